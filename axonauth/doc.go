// Package axonauth signs and checks the requests and responses of the axon protocol, the off-chain
// gRPC/HTTP protocol between subnet validators and miners. Both binaries use it: the validator signs
// requests and checks responses, the miner checks requests and signs responses.
//
// Keys are the chain's own: secp256k1 hotkeys, addresses in bech32 with the `mind` prefix. A caller
// sends its compressed public key with every request; the miner derives the address from it, so a
// signature can only be made by the holder of the hotkey the chain knows.
//
// # Request signature
//
// The caller signs (secp256k1 over SHA-256, 64-byte r||s; r and s in [1, n-1], s at most n/2, so
// that a signature has exactly one valid encoding) this message:
//
//	"mindnet-axon-request-v1\n"
//	SHA-256(body)                      32 bytes
//	nonce                              8 bytes, big-endian: the caller's clock in Unix nanoseconds
//	netuid                             2 bytes, big-endian
//	len(caller) || caller              1 byte length, then the caller hotkey's bech32 address
//	len(miner)  || miner               1 byte length, then the miner hotkey's bech32 address
//
// where body is the request message in deterministic protobuf encoding. Binding the miner's hotkey
// stops a request meant for one miner being replayed to another; binding the netuid stops it being
// replayed on another subnet; the nonce, which must be within a time window of the miner's clock and
// never used before by that caller, stops it being replayed to the same miner. Nonces need not arrive
// in order (see NonceTracker): a validator may have several requests in flight to one miner.
//
// # Response signature
//
// The miner signs the same layout with the tag "mindnet-axon-response-v1\n", SHA-256 of the response
// body, and SHA-256 of the request signature in place of nothing: so a validator can prove to anyone
// which answer a miner gave to which request.
package axonauth
