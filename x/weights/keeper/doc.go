// Package keeper holds x/weights state: one sparse, normalised weight row per (netuid, uid), and the
// rules a row must pass before it is stored (set_weights.go). It reads x/subnet through the narrow
// types.SubnetKeeper interface and follows UID hand-overs through x/subnet's hooks.
package keeper
