// Package opsconfig is the operational plumbing that the off-chain binaries (mindnet-miner and
// mindnet-validator) share: layered configuration (defaults, then a TOML file, then environment
// variables, then the flags that were set), the structured logger their log.level and log.format keys
// describe, the commented file that `init` writes, and `~` in paths. Each binary keeps its own keys,
// defaults and validation in its config package.
package opsconfig
