// Package devnet starts and stops a whole Mindnet network on one machine: a CometBFT/Mindnet chain
// (through scripts/localnet.sh), a subnet with a short tempo, a staked subnet validator, miners on the
// built-in model and one miner that serves a different model, and the subnet validator that scores
// them. `make demo` (cmd/mindnet-devnet) and the end-to-end tests (tests/e2e) drive the same code, so
// what the demo shows is what the tests assert.
//
// It runs the project's real binaries from a build folder and talks to the chain only through the CLI,
// REST and gRPC that users have; every process it starts writes its log under the network's folder.
package devnet
