// Package server is the miner's axon: the gRPC service (and its HTTP/JSON gateway) through which subnet
// validators ask the miner for inference. It authenticates every call (signature, nonce, the caller's
// standing on chain, per-caller rate limits), admits work through a bounded queue that favours callers
// with more stake when overloaded, runs the inference engine, and signs every answer with the miner's
// hotkey.
package server
