// Package types is x/weights' vocabulary: its messages and their stateless checks, errors, events,
// store keys, params, genesis, and the narrow view of x/subnet the keeper needs.
package types
