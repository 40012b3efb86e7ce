// Package e2e drives real mindnetd processes started by scripts/localnet.sh, the way an operator would.
// The tests are behind the e2e build tag (run them with `make e2e`): they take minutes and need the
// localnet ports (26656-26687, 1317-1320, 9090-9093) free on 127.0.0.1.
package e2e
