// Package keeper holds x/subnet's state and the rules that change it. keeper.go declares every
// collection; each other file keeps one concern: subnets.go (creation, creation cost, ownership,
// replacement at max_subnets), hyperparams.go (params and per-subnet settings), registration.go (UIDs,
// burn adjustment, pruning, scores written by x/emission), serving.go (axon info), stake.go (stake,
// nominators, delegate take), genesis.go, and the thin msg_server.go and query_server.go.
package keeper
