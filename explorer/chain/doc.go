// Package chain is the explorer's read-only view of a Mindnet node: the node's gRPC queries (x/subnet,
// x/weights, x/emission, bank, gov) and its CometBFT RPC (status, block headers, block events). Every
// call runs under a deadline, and errors are sorted into the two kinds a page must tell apart: the thing
// asked for does not exist (ErrNotFound) and the node is not answering (ErrUnavailable).
package chain
