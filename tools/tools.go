//go:build tools

// Package tools pins the versions of the code generators that `make proto-gen` runs. It is a separate
// module so that buf's large dependency tree never reaches the chain's own go.mod.
package tools
