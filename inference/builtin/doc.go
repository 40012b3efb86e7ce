// Package builtin loads the model embedded in the binary (package models)
// into the pure-Go engine: the engine a fresh machine with no GPU and no
// network runs.
package builtin
