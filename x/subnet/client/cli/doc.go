// Package cli holds the x/subnet commands that autocli cannot build from the proto descriptors: those
// that spread one nested message (a subnet's model) over positional arguments. autocli adds every
// other command next to them.
package cli
