// Package miner runs a Mindnet miner: it checks that its hotkey holds a UID on the subnet, announces
// where it serves (MsgServeAxon) when that changed, keeps a metagraph view to know who may call, and
// serves the axon over gRPC and HTTP/JSON with Prometheus metrics and a health endpoint, until its
// context is cancelled, when it stops taking calls and drains the ones in flight.
package miner
