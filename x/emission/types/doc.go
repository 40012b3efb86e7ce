// Package types is x/emission's vocabulary: params, genesis, messages, errors, events, store keys and
// the narrow interfaces the module needs from x/bank, x/subnet and x/weights.
package types
