// Package table renders a subnet's metagraph as a fixed-width text table with the progress toward the
// subnet's next epoch: the view that `mindnet-top` and `make demo` refresh in a terminal. Write renders
// a View; Fetch reads one from a node over gRPC.
package table
