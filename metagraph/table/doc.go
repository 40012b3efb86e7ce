// Package table renders a subnet's metagraph as a fixed-width text table with the progress toward the
// subnet's next epoch: the view that `mindnet-top` and `make demo` refresh in a terminal. It formats
// only; reading the chain is the caller's job (metagraph.GRPCSource and a height/tempo lookup).
package table
