package simulation

import (
	"context"
	"errors"
	"slices"

	"cosmossdk.io/collections"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"

	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	"github.com/mindnet/mindnet/x/weights/keeper"
	"github.com/mindnet/mindnet/x/weights/types"
)

// setter is a neuron that may weight now: a validator with a permit, or a subnet owner (self-weight
// only), with min_validator_stake.
type setter struct {
	subnet  subnettypes.Subnet
	neuron  subnettypes.Neuron
	account simsx.SimAccount
	// selfOnly: the owner without a permit may only weight its own UID.
	selfOnly bool
}

func height(ctx context.Context) int64 { return sdk.UnwrapSDKContext(ctx).BlockHeight() }

// subnets lists the subnets by probing netuids from 1: x/subnet hands out the lowest free netuid and
// never leaves a gap. The root (owned by governance) is left out.
func subnets(ctx context.Context, sk types.SubnetKeeper) []subnettypes.Subnet {
	var out []subnettypes.Subnet
	for netuid := uint32(1); ; netuid++ {
		s, err := sk.GetSubnet(ctx, netuid)
		if err != nil {
			return out
		}
		out = append(out, s)
	}
}

// setters lists, in (netuid, uid) order, the neurons that may set a row or commit on a subnet whose
// commit-reveal is commitReveal, whose rate limit has passed, and whose hotkey is a simulation account.
func setters(ctx context.Context, k *keeper.Keeper, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, commitReveal bool) []setter {
	sk := k.SubnetKeeper()
	var out []setter
	for _, s := range subnets(ctx, sk) {
		hp := s.Hyperparameters
		if hp.CommitRevealEnabled != commitReveal {
			continue
		}
		for uid := range s.NeuronCount {
			n, err := sk.GetNeuron(ctx, s.Netuid, uid)
			if err != nil || !testData.HasAccount(n.Hotkey) {
				continue
			}
			selfOnly := !n.Scores.ValidatorPermit
			if selfOnly && n.Hotkey != s.Owner {
				continue
			}
			acc := testData.GetAccount(reporter, n.Hotkey)
			if reporter.IsSkipped() {
				return nil
			}
			stake, err := sk.VoiceOf(ctx, s.Netuid, acc.Address)
			if err != nil || stake.LT(hp.MinValidatorStake) {
				continue
			}
			if !rateLimitPassed(ctx, k, s, uid) {
				continue
			}
			out = append(out, setter{subnet: s, neuron: n, account: acc, selfOnly: selfOnly})
		}
	}
	return out
}

func rateLimitPassed(ctx context.Context, k *keeper.Keeper, s subnettypes.Subnet, uid uint32) bool {
	limit := s.Hyperparameters.WeightsRateLimit
	if s.Hyperparameters.CommitRevealEnabled {
		q, err := k.Commits.Get(ctx, collections.Join(s.Netuid, uid))
		if errors.Is(err, collections.ErrNotFound) {
			return true
		}
		return err == nil && height(ctx) >= keeper.NextSetBlock(q.LastCommitAt, limit)
	}
	row, ok, err := k.GetRow(ctx, s.Netuid, uid)
	return err == nil && (!ok || height(ctx) >= keeper.NextSetBlock(row.SetAt, limit))
}

// randomRow draws a row the subnet accepts from s: the self-weight for an owner without a permit,
// otherwise distinct UIDs with at least min(min_allowed_weights, size) non-zero weights, equal so that
// no share exceeds max_weight_limit unless the limit allows a single weight.
func randomRow(r *simsx.XRand, s setter) (uids, weights []uint32) {
	if s.selfOnly {
		return []uint32{s.neuron.Uid}, []uint32{uint32(1 + r.Intn(types.MaxWeight))}
	}
	size := int(s.subnet.NeuronCount)
	need := min(int(s.subnet.Hyperparameters.MinAllowedWeights), size)
	// Equal weights over n UIDs give each floor(65535/n); take n large enough for max_weight_limit.
	n := max(need, 1)
	for n < size && types.MaxWeight/uint32(n) > s.subnet.Hyperparameters.MaxWeightLimit {
		n++
	}
	perm := r.Perm(size)[:n]
	w := uint32(1 + r.Intn(1000))
	for _, u := range perm {
		uids = append(uids, uint32(u))
		weights = append(weights, w)
	}
	return uids, weights
}

// MsgSetWeightsFactory sets a row on a subnet with commit-reveal off.
func MsgSetWeightsFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgSetWeights] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgSetWeights) {
		all := setters(ctx, k, testData, reporter, false)
		if len(all) == 0 {
			reporter.Skip("no neuron may set weights on a subnet without commit-reveal")
			return nil, nil
		}
		r := testData.Rand()
		s := all[r.Intn(len(all))]
		uids, ws := randomRow(r, s)
		return []simsx.SimAccount{s.account}, &types.MsgSetWeights{
			Hotkey: s.neuron.Hotkey, Netuid: s.subnet.Netuid, Uids: uids, Weights: ws, VersionKey: s.subnet.Hyperparameters.WeightsVersionKey,
		}
	}
}

// committed is a row the simulation committed, kept to reveal it later.
type committed struct {
	netuid  uint32
	hotkey  string
	uids    []uint32
	weights []uint32
	salt    []byte
	version uint64
	hash    []byte
}

// CommitReveal remembers the simulation's commits between the commit and the reveal factories. Its
// list is only appended to and scanned in order, so runs stay deterministic.
type CommitReveal struct {
	commits []committed
}

// MsgCommitWeightsFactory commits a random row on a subnet with commit-reveal on and remembers it.
func (cr *CommitReveal) MsgCommitWeightsFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgCommitWeights] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgCommitWeights) {
		var free []setter
		for _, s := range setters(ctx, k, testData, reporter, true) {
			if pendingCommits(ctx, k, s) < maxPending(ctx, k) && s.subnet.Hyperparameters.Tempo > 0 {
				free = append(free, s)
			}
		}
		if len(free) == 0 {
			reporter.Skip("no neuron may commit")
			return nil, nil
		}
		r := testData.Rand()
		s := free[r.Intn(len(free))]
		uids, ws := randomRow(r, s)
		salt := []byte(r.StringN(types.MinSaltLength + r.Intn(types.MaxSaltLength-types.MinSaltLength+1)))
		version := s.subnet.Hyperparameters.WeightsVersionKey
		hash := types.CommitHash(s.neuron.Hotkey, s.subnet.Netuid, uids, ws, salt, version)
		cr.commits = append(cr.commits, committed{netuid: s.subnet.Netuid, hotkey: s.neuron.Hotkey, uids: uids, weights: ws, salt: salt, version: version, hash: hash})
		return []simsx.SimAccount{s.account}, &types.MsgCommitWeights{Hotkey: s.neuron.Hotkey, Netuid: s.subnet.Netuid, CommitHash: hash}
	}
}

// MsgRevealWeightsFactory reveals a remembered commit whose window is open, if its hotkey still holds
// the UID it committed from, still may weight, and the row still fits the subnet.
func (cr *CommitReveal) MsgRevealWeightsFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgRevealWeights] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRevealWeights) {
		h := height(ctx)
		for _, c := range cr.commits {
			s, ok := revealable(ctx, k, testData, reporter, c, h)
			if reporter.IsSkipped() {
				return nil, nil
			}
			if !ok {
				continue
			}
			return []simsx.SimAccount{s.account}, &types.MsgRevealWeights{
				Hotkey: c.hotkey, Netuid: c.netuid, Uids: c.uids, Weights: c.weights, Salt: c.salt, VersionKey: c.version,
			}
		}
		reporter.Skip("no commit in its reveal window")
		return nil, nil
	}
}

// revealable reports whether c is pending with an open window at h and would pass the row's rules now.
func revealable(ctx context.Context, k *keeper.Keeper, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, c committed, h int64) (setter, bool) {
	sk := k.SubnetKeeper()
	sub, err := sk.GetSubnet(ctx, c.netuid)
	if err != nil || !sub.Hyperparameters.CommitRevealEnabled || c.version < sub.Hyperparameters.WeightsVersionKey {
		return setter{}, false
	}
	hk, err := k.AddressCodec().StringToBytes(c.hotkey)
	if err != nil {
		return setter{}, false
	}
	uid, err := sk.UIDOf(ctx, c.netuid, hk)
	if err != nil {
		return setter{}, false
	}
	q, err := k.Commits.Get(ctx, collections.Join(c.netuid, uid))
	if err != nil || q.Hotkey != c.hotkey {
		return setter{}, false
	}
	i := slices.IndexFunc(q.Commits, func(w types.WeightCommit) bool { return string(w.Hash) == string(c.hash) })
	if i < 0 || q.Commits[i].RevealedAt != 0 || h < q.Commits[i].RevealStart || h > q.Commits[i].RevealEnd {
		return setter{}, false
	}
	n, err := sk.GetNeuron(ctx, c.netuid, uid)
	if err != nil {
		return setter{}, false
	}
	selfOnly := !n.Scores.ValidatorPermit
	if selfOnly && (n.Hotkey != sub.Owner || len(c.uids) != 1 || c.uids[0] != uid) {
		return setter{}, false
	}
	stake, err := sk.VoiceOf(ctx, c.netuid, hk)
	if err != nil || stake.LT(sub.Hyperparameters.MinValidatorStake) {
		return setter{}, false
	}
	hp := sub.Hyperparameters
	for _, u := range c.uids {
		if u >= sub.NeuronCount {
			return setter{}, false
		}
	}
	if !selfOnly && !types.IsSelfWeight(uid, c.uids) {
		if types.NonZero(c.weights) < min(int(hp.MinAllowedWeights), int(sub.NeuronCount)) {
			return setter{}, false
		}
		if _, exceeded := types.ExceedsMaxWeight(c.weights, hp.MaxWeightLimit); exceeded {
			return setter{}, false
		}
	}
	acc := testData.GetAccount(reporter, c.hotkey)
	return setter{subnet: sub, neuron: n, account: acc, selfOnly: selfOnly}, !reporter.IsSkipped()
}

func pendingCommits(ctx context.Context, k *keeper.Keeper, s setter) uint32 {
	q, err := k.Commits.Get(ctx, collections.Join(s.subnet.Netuid, s.neuron.Uid))
	if err != nil {
		return 0
	}
	var n uint32
	for _, c := range q.Commits {
		if c.RevealedAt == 0 && c.RevealEnd >= height(ctx) {
			n++
		}
	}
	return n
}

func maxPending(ctx context.Context, k *keeper.Keeper) uint32 {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return 0
	}
	return p.MaxPendingCommits
}

// MsgUpdateParamsFactory is a governance proposal with a fresh random draw of the params.
func MsgUpdateParamsFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgUpdateParams] {
	return func(_ context.Context, testData *simsx.ChainDataSource, _ simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUpdateParams) {
		r := testData.Rand()
		params := types.Params{GasPerWeight: uint64(r.Intn(2001)), MaxPendingCommits: uint32(1 + r.Intn(8))}
		return nil, &types.MsgUpdateParams{Authority: k.Authority(), Params: params}
	}
}
