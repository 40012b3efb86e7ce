// Package apptest builds a Mindnet application in memory with a one-validator genesis and drives it
// block by block through ABCI, without CometBFT: fast enough for app-level tests of genesis, blocks,
// export and import.
package apptest
