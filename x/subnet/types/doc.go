// Package types holds x/subnet's vocabulary: its state and message types (generated from
// proto/mindnet/subnet/v1), parameters with their defaults and bounds, errors, events and store keys.
package types
