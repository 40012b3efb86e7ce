// Package service runs the explorer: it reads the configuration (defaults, a TOML file, MINDNET_EXPLORER_*
// variables, flags), dials the node, opens the store, and runs the indexer and the web server side by
// side until the context ends, then shuts both down cleanly.
package service
