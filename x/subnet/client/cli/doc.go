// Package cli holds the x/subnet commands that autocli cannot build from the proto descriptors: set-model,
// which spreads one nested message (a subnet's model) over positional arguments, and add-stake,
// remove-stake and move-stake, which read amounts with or without the denom and print the pool's quote
// before signing. autocli adds every other command next to them.
package cli
