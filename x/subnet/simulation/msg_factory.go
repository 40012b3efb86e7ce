package simulation

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/x/subnet/keeper"
	"github.com/mindnet/mindnet/x/subnet/types"
)

// Every factory reads the state the message will meet and builds one the chain must accept, or skips.
// The two refusals that depend on state the factory does not model (whether every neuron or subnet is
// still immune) are accepted by name through acceptOnly; any other refusal fails the simulation.

// acceptOnly is a delivery handler that lets the named refusals through and fails on any other error.
func acceptOnly(allowed ...error) simsx.SimDeliveryResultHandler {
	return func(err error) error {
		for _, a := range allowed {
			if errors.Is(err, a) {
				return nil
			}
		}
		return err
	}
}

func height(ctx context.Context) int64 { return sdk.UnwrapSDKContext(ctx).BlockHeight() }

// subnets lists every subnet, root included, in netuid order.
func subnets(ctx context.Context, k *keeper.Keeper, reporter simsx.SimulationReporter) []types.Subnet {
	var out []types.Subnet
	err := k.Subnets.Walk(ctx, nil, func(_ uint32, s types.Subnet) (bool, error) {
		out = append(out, s)
		return false, nil
	})
	if err != nil {
		reporter.Skipf("read subnets: %v", err)
		return nil
	}
	return out
}

// ownedSubnet picks a non-root subnet whose owner is a simulation account, or skips.
func ownedSubnet(ctx context.Context, k *keeper.Keeper, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) (types.Subnet, simsx.SimAccount) {
	var candidates []types.Subnet
	for _, s := range subnets(ctx, k, reporter) {
		if s.Netuid != 0 && testData.HasAccount(s.Owner) {
			candidates = append(candidates, s)
		}
	}
	if len(candidates) == 0 {
		reporter.Skip("no subnet owned by a simulation account")
		return types.Subnet{}, simsx.SimAccount{}
	}
	s := candidates[testData.Rand().Intn(len(candidates))]
	return s, testData.GetAccount(reporter, s.Owner)
}

// registeredHotkeys lists every hotkey that has an owner, in store order.
func registeredHotkeys(ctx context.Context, k *keeper.Keeper, reporter simsx.SimulationReporter) []sdk.AccAddress {
	var out []sdk.AccAddress
	if err := k.HotkeyOwners.Walk(ctx, nil, func(hotkey, _ sdk.AccAddress) (bool, error) {
		out = append(out, hotkey)
		return false, nil
	}); err != nil {
		reporter.Skipf("read hotkey owners: %v", err)
	}
	return out
}

// MsgCreateSubnetFactory opens a subnet for an account that can pay the current creation lock.
func MsgCreateSubnetFactory(k *keeper.Keeper) simsx.FactoryMethodWithDeliveryResultHandler[*types.MsgCreateSubnet] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgCreateSubnet, simsx.SimDeliveryResultHandler) {
		cost, err := k.SubnetCreationCost(ctx)
		if err != nil {
			reporter.Skipf("creation cost: %v", err)
			return nil, nil, nil
		}
		lock := sdk.NewCoin(k.Denom(), cost)
		owner := testData.AnyAccount(reporter, simsx.WithLiquidBalanceGTE(lock))
		if reporter.IsSkipped() || !owner.LiquidBalance().BlockAmount(lock) {
			reporter.Skip("no account can pay the creation lock")
			return nil, nil, nil
		}
		name := "sim " + testData.Rand().StringN(1+testData.Rand().Intn(20))
		msg := &types.MsgCreateSubnet{Owner: owner.AddressBech32, Name: name}
		// Half the subnets name their model; the others get params.default_model.
		if testData.Rand().Intn(2) == 0 {
			m := randomModel(testData.Rand().Intn)
			msg.Model = &m
		}
		return []simsx.SimAccount{owner}, msg, acceptOnly(types.ErrMaxSubnets)
	}
}

// MsgRegisterNeuronFactory registers a hotkey that the coldkey owns or that nobody owns yet on a subnet
// where it holds no UID, paying the current burn, unless the subnet took its last registration for
// this block.
func MsgRegisterNeuronFactory(k *keeper.Keeper) simsx.FactoryMethodWithDeliveryResultHandler[*types.MsgRegisterNeuron] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRegisterNeuron, simsx.SimDeliveryResultHandler) {
		// Root seats come from x/emission's MsgRootRegister, never from a burn.
		var all []types.Subnet
		for _, s := range subnets(ctx, k, reporter) {
			if s.Netuid != types.RootNetuid {
				all = append(all, s)
			}
		}
		if len(all) == 0 {
			reporter.Skip("no subnet but root")
			return nil, nil, nil
		}
		subnet := all[testData.Rand().Intn(len(all))]
		if subnet.LastRegistrationBlock == height(ctx) && subnet.RegistrationsThisBlock >= subnet.Hyperparameters.MaxRegistrationsPerBlock {
			reporter.Skip("subnet took its last registration for this block")
			return nil, nil, nil
		}
		cost, err := k.RegistrationCost(ctx, subnet.Netuid)
		if err != nil {
			reporter.Skipf("registration cost: %v", err)
			return nil, nil, nil
		}
		burn := sdk.NewCoin(k.Denom(), cost)
		coldkey := testData.AnyAccount(reporter, simsx.WithLiquidBalanceGTE(burn))
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		free := simsx.SimAccountFilterFn(func(a simsx.SimAccount) bool {
			owner, err := k.HotkeyOwners.Get(ctx, a.Address)
			if err == nil && !owner.Equals(coldkey.Address) || err != nil && !errors.Is(err, collections.ErrNotFound) {
				return false
			}
			has, err := k.UIDs.Has(ctx, collections.Join(subnet.Netuid, a.Address))
			return err == nil && !has
		})
		hotkey := testData.AnyAccountN(5, reporter, free)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		if !coldkey.LiquidBalance().BlockAmount(burn) && burn.IsPositive() {
			reporter.Skip("coldkey cannot pay the burn")
			return nil, nil, nil
		}
		msg := &types.MsgRegisterNeuron{Coldkey: coldkey.AddressBech32, Hotkey: hotkey.AddressBech32, Netuid: subnet.Netuid}
		return []simsx.SimAccount{coldkey}, msg, acceptOnly(types.ErrSubnetFullAllImmune)
	}
}

// MsgServeAxonFactory sets a random public endpoint for a neuron whose serving rate limit has passed.
func MsgServeAxonFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgServeAxon] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgServeAxon) {
		var ready []types.Neuron
		for _, s := range subnets(ctx, k, reporter) {
			if err := k.Neurons.Walk(ctx, collections.NewPrefixedPairRange[uint32, uint32](s.Netuid), func(_ collections.Pair[uint32, uint32], n types.Neuron) (bool, error) {
				if n.Axon.Block == 0 || uint64(height(ctx)-n.Axon.Block) >= s.Hyperparameters.ServingRateLimit {
					ready = append(ready, n)
				}
				return false, nil
			}); err != nil {
				reporter.Skipf("read neurons: %v", err)
				return nil, nil
			}
		}
		if len(ready) == 0 {
			reporter.Skip("no neuron may serve now")
			return nil, nil
		}
		r := testData.Rand()
		n := ready[r.Intn(len(ready))]
		hotkey := testData.GetAccount(reporter, n.Hotkey)
		// Documentation ranges (RFC 5737, RFC 3849) are public, specified unicast addresses.
		ip := fmt.Sprintf("203.0.113.%d", 1+r.Intn(254))
		if r.Intn(3) == 0 {
			ip = fmt.Sprintf("2001:db8::%x", 1+r.Intn(0xfffe))
		}
		return []simsx.SimAccount{hotkey}, &types.MsgServeAxon{
			Hotkey: n.Hotkey, Netuid: n.Netuid, Ip: ip, Port: uint32(1 + r.Intn(65535)),
			Protocol: uint32(r.Intn(5)), Version: uint32(r.Intn(100)),
		}
	}
}

// stakeNetuid picks where to stake: root, or a subnet with a pool, about evenly.
func stakeNetuid(ctx context.Context, k *keeper.Keeper, r *simsx.XRand) uint32 {
	var netuids []uint32
	_ = k.Pools.Walk(ctx, nil, func(netuid uint32, p types.Pool) (bool, error) {
		if p.MindReserve.IsPositive() {
			netuids = append(netuids, netuid)
		}
		return false, nil
	})
	if len(netuids) == 0 || r.Intn(2) == 0 {
		return types.RootNetuid
	}
	return netuids[r.Intn(len(netuids))]
}

// limitNear returns, one time in three, a limit price within 20% of the pool's current price, which a
// swap may or may not pass; otherwise no limit.
func limitNear(ctx context.Context, k *keeper.Keeper, r *simsx.XRand, netuid uint32) *math.LegacyDec {
	if netuid == types.RootNetuid || r.Intn(3) != 0 {
		return nil
	}
	p, err := k.GetPool(ctx, netuid)
	if err != nil || !p.Price().IsPositive() {
		return nil
	}
	limit := p.Price().MulInt64(int64(80 + r.Intn(41))).QuoInt64(100)
	if !limit.IsPositive() {
		return nil
	}
	return &limit
}

// swapRefusals are the refusals that depend on pool arithmetic the factories do not repeat: a swap too
// small to give anything, and a limit price the swap would pass.
var swapRefusals = []error{types.ErrSwapTooSmall, types.ErrPriceLimit}

// MsgAddStakeFactory puts part of an account's balance behind a registered hotkey, as root stake or
// through a subnet's pool, sometimes with a limit price.
func MsgAddStakeFactory(k *keeper.Keeper) simsx.FactoryMethodWithDeliveryResultHandler[*types.MsgAddStake] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgAddStake, simsx.SimDeliveryResultHandler) {
		hotkeys := registeredHotkeys(ctx, k, reporter)
		if len(hotkeys) == 0 {
			reporter.Skip("no registered hotkey")
			return nil, nil, nil
		}
		r := testData.Rand()
		hotkey := hotkeys[r.Intn(len(hotkeys))]
		coldkey := testData.AnyAccount(reporter, simsx.WithDenomBalance(k.Denom()))
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		amount := coldkey.LiquidBalance().RandSubsetCoin(reporter, k.Denom())
		if reporter.IsSkipped() || !amount.IsPositive() {
			reporter.Skip("nothing to stake")
			return nil, nil, nil
		}
		netuid := stakeNetuid(ctx, k, r)
		msg := &types.MsgAddStake{Coldkey: coldkey.AddressBech32, Hotkey: hotkey.String(), Amount: amount.Amount,
			Netuid: netuid, LimitPrice: limitNear(ctx, k, r, netuid)}
		return []simsx.SimAccount{coldkey}, msg, acceptOnly(swapRefusals...)
	}
}

// stakeRecord is one position: root stake (netuid 0) or alpha on a subnet.
type stakeRecord struct {
	netuid          uint32
	hotkey, coldkey sdk.AccAddress
	amount          math.Int
}

func stakeRecords(ctx context.Context, k *keeper.Keeper) ([]stakeRecord, error) {
	var records []stakeRecord
	if err := k.Stakes.Walk(ctx, nil, func(key collections.Pair[sdk.AccAddress, sdk.AccAddress], amount math.Int) (bool, error) {
		records = append(records, stakeRecord{types.RootNetuid, key.K1(), key.K2(), amount})
		return false, nil
	}); err != nil {
		return nil, err
	}
	err := k.AlphaStakes.Walk(ctx, nil, func(key collections.Triple[uint32, sdk.AccAddress, sdk.AccAddress], amount math.Int) (bool, error) {
		records = append(records, stakeRecord{key.K1(), key.K2(), key.K3(), amount})
		return false, nil
	})
	return records, err
}

// pickRecord picks a position whose coldkey is a simulation account, and the account.
func pickRecord(ctx context.Context, k *keeper.Keeper, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) (stakeRecord, simsx.SimAccount, bool) {
	records, err := stakeRecords(ctx, k)
	if err != nil {
		reporter.Skipf("read stakes: %v", err)
		return stakeRecord{}, simsx.SimAccount{}, false
	}
	var mine []stakeRecord
	for _, rec := range records {
		if testData.HasAccount(rec.coldkey.String()) {
			mine = append(mine, rec)
		}
	}
	if len(mine) == 0 {
		reporter.Skip("no stake")
		return stakeRecord{}, simsx.SimAccount{}, false
	}
	rec := mine[testData.Rand().Intn(len(mine))]
	coldkey := testData.GetAccountbyAccAddr(reporter, rec.coldkey)
	return rec, coldkey, !reporter.IsSkipped()
}

// MsgRemoveStakeFactory takes back part or all of one position, selling alpha through the pool.
func MsgRemoveStakeFactory(k *keeper.Keeper) simsx.FactoryMethodWithDeliveryResultHandler[*types.MsgRemoveStake] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRemoveStake, simsx.SimDeliveryResultHandler) {
		rec, coldkey, ok := pickRecord(ctx, k, testData, reporter)
		if !ok {
			return nil, nil, nil
		}
		r := testData.Rand()
		amount := rec.amount
		if r.Intn(3) != 0 { // usually a part, sometimes all of it
			amount = simsxAmount(r, rec.amount)
		}
		msg := &types.MsgRemoveStake{Coldkey: coldkey.AddressBech32, Hotkey: rec.hotkey.String(), Amount: amount,
			Netuid: rec.netuid, LimitPrice: limitNear(ctx, k, r, rec.netuid)}
		return []simsx.SimAccount{coldkey}, msg, acceptOnly(swapRefusals...)
	}
}

// MsgMoveStakeFactory moves part of a position to another registered hotkey, on the same subnet or
// another one (root included).
func MsgMoveStakeFactory(k *keeper.Keeper) simsx.FactoryMethodWithDeliveryResultHandler[*types.MsgMoveStake] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgMoveStake, simsx.SimDeliveryResultHandler) {
		rec, coldkey, ok := pickRecord(ctx, k, testData, reporter)
		if !ok {
			return nil, nil, nil
		}
		hotkeys := registeredHotkeys(ctx, k, reporter)
		if len(hotkeys) == 0 {
			reporter.Skip("no registered hotkey")
			return nil, nil, nil
		}
		r := testData.Rand()
		dest := hotkeys[r.Intn(len(hotkeys))]
		destNetuid := stakeNetuid(ctx, k, r)
		if dest.Equals(rec.hotkey) && destNetuid == rec.netuid {
			reporter.Skip("moving to the same position")
			return nil, nil, nil
		}
		msg := &types.MsgMoveStake{Coldkey: coldkey.AddressBech32, OriginHotkey: rec.hotkey.String(), OriginNetuid: rec.netuid,
			DestinationHotkey: dest.String(), DestinationNetuid: destNetuid, Amount: simsxAmount(r, rec.amount)}
		return []simsx.SimAccount{coldkey}, msg, acceptOnly(swapRefusals...)
	}
}

// simsxAmount is a uniform amount in [1, max].
func simsxAmount(r *simsx.XRand, max math.Int) math.Int {
	amount, err := r.PositiveSDKIntn(max)
	if err != nil || !amount.IsPositive() {
		return max
	}
	return amount
}

// MsgSetDelegateTakeFactory sets a registered hotkey's take within the governance bounds.
func MsgSetDelegateTakeFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgSetDelegateTake] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgSetDelegateTake) {
		hotkeys := registeredHotkeys(ctx, k, reporter)
		if len(hotkeys) == 0 {
			reporter.Skip("no registered hotkey")
			return nil, nil
		}
		params, err := k.Params.Get(ctx)
		if err != nil {
			reporter.Skipf("read params: %v", err)
			return nil, nil
		}
		hotkey := testData.GetAccountbyAccAddr(reporter, hotkeys[testData.Rand().Intn(len(hotkeys))])
		if reporter.IsSkipped() {
			return nil, nil
		}
		take := params.MinDelegateTake + uint32(testData.Rand().Intn(int(params.MaxDelegateTake-params.MinDelegateTake)+1))
		return []simsx.SimAccount{hotkey}, &types.MsgSetDelegateTake{Hotkey: hotkey.AddressBech32, Take: take}
	}
}

// MsgTransferSubnetOwnershipFactory hands a subnet to another simulation account.
func MsgTransferSubnetOwnershipFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgTransferSubnetOwnership] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgTransferSubnetOwnership) {
		subnet, owner := ownedSubnet(ctx, k, testData, reporter)
		if reporter.IsSkipped() {
			return nil, nil
		}
		next := testData.AnyAccount(reporter, simsx.ExcludeAccounts(owner))
		if reporter.IsSkipped() {
			return nil, nil
		}
		return []simsx.SimAccount{owner}, &types.MsgTransferSubnetOwnership{Owner: owner.AddressBech32, Netuid: subnet.Netuid, NewOwner: next.AddressBech32}
	}
}

// MsgSetHyperparametersFactory has a subnet owner change the hyperparameters an owner may set, within
// the governance bounds; the ones reserved to governance are left as they are.
func MsgSetHyperparametersFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgSetHyperparameters] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgSetHyperparameters) {
		subnet, owner := ownedSubnet(ctx, k, testData, reporter)
		if reporter.IsSkipped() {
			return nil, nil
		}
		params, err := k.Params.Get(ctx)
		if err != nil {
			reporter.Skipf("read params: %v", err)
			return nil, nil
		}
		r := testData.Rand()
		lo, hi := params.MinHyperparameters, params.MaxHyperparameters
		h := subnet.Hyperparameters
		// Kept short so that the rules they gate still fire within a short run.
		h.ImmunityPeriod = within(r, lo.ImmunityPeriod, hi.ImmunityPeriod, 30)
		h.ServingRateLimit = within(r, lo.ServingRateLimit, hi.ServingRateLimit, 10)
		h.WeightsRateLimit = within(r, lo.WeightsRateLimit, hi.WeightsRateLimit, 200)
		h.ActivityCutoff = within(r, lo.ActivityCutoff, hi.ActivityCutoff, 10_000)
		h.Kappa = uint32(within(r, uint64(lo.Kappa), uint64(hi.Kappa), uint64(hi.Kappa)))
		h.MinAllowedWeights = uint32(within(r, uint64(lo.MinAllowedWeights), uint64(hi.MinAllowedWeights), 64))
		h.CommitRevealEnabled = h.CommitRevealEnabled || r.Intn(4) == 0
		minBurn := within(r, lo.MinBurn.Uint64(), hi.MinBurn.Uint64(), 1_000_000)
		h.MinBurn = math.NewIntFromUint64(minBurn)
		h.MaxBurn = math.NewIntFromUint64(within(r, max(minBurn, lo.MaxBurn.Uint64()), hi.MaxBurn.Uint64(), minBurn+100_000_000))
		if err := params.CheckHyperparameters(h); err != nil {
			reporter.Skipf("drew hyperparameters outside the bounds: %v", err)
			return nil, nil
		}
		return []simsx.SimAccount{owner}, &types.MsgSetHyperparameters{Authority: owner.AddressBech32, Netuid: subnet.Netuid, Hyperparameters: h}
	}
}

// within draws uniformly from [lo, min(hi, ceiling)], or returns lo when that range is empty.
func within(r *simsx.XRand, lo, hi, ceiling uint64) uint64 {
	top := min(hi, max(ceiling, lo))
	if top <= lo {
		return lo
	}
	return lo + uint64(r.Int63n(int64(top-lo+1)))
}

// MsgUpdateParamsFactory is a governance proposal that replaces the module params with a new random
// draw of the simulation's defaults (authority: the gov module account).
func MsgUpdateParamsFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgUpdateParams] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUpdateParams) {
		params, err := k.Params.Get(ctx)
		if err != nil {
			reporter.Skipf("read params: %v", err)
			return nil, nil
		}
		r := testData.Rand()
		params.MaxSubnets = uint32(3 + r.Intn(6))
		params.SubnetImmunityPeriod = uint64(r.Intn(30))
		params.DefaultHyperparameters.MaxAllowedUids = uint32(max(2+r.Intn(15), int(params.DefaultHyperparameters.MaxAllowedValidators)))
		params.MaxDelegateTake = uint32(within(r, uint64(max(params.MinDelegateTake, params.DefaultDelegateTake)), types.TakeDenominator, 5_000))
		if err := params.Validate(); err != nil {
			reporter.Skipf("drew invalid params: %v", err)
			return nil, nil
		}
		return nil, &types.MsgUpdateParams{Authority: k.Authority(), Params: params}
	}
}

// randomModel draws a valid model record: a name, a digest of random hex digits, one or both
// precisions and a context length up to 32768 tokens.
func randomModel(intn func(int) int) types.SubnetModel {
	const hex = "0123456789abcdef"
	digest := make([]byte, 64)
	for i := range digest {
		digest[i] = hex[intn(len(hex))]
	}
	precisions := [][]string{
		{types.PrecisionFloat32}, {types.PrecisionHalf}, {types.PrecisionFloat32, types.PrecisionHalf}, {types.PrecisionHalf, types.PrecisionFloat32},
	}[intn(4)]
	return types.SubnetModel{
		Name:          fmt.Sprintf("sim-model-%d", intn(1_000)),
		Digest:        string(digest),
		Precisions:    precisions,
		ContextLength: uint32(1 + intn(32_768)),
	}
}

// MsgSetSubnetModelFactory has a subnet owner ask for a new model; it applies at the subnet's next
// epoch, which x/subnet's end-blocker runs during the simulation.
func MsgSetSubnetModelFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgSetSubnetModel] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgSetSubnetModel) {
		subnet, owner := ownedSubnet(ctx, k, testData, reporter)
		if reporter.IsSkipped() {
			return nil, nil
		}
		model := randomModel(testData.Rand().Intn)
		return []simsx.SimAccount{owner}, &types.MsgSetSubnetModel{Owner: owner.AddressBech32, Netuid: subnet.Netuid, Model: model}
	}
}
