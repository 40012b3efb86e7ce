package simulation

import (
	"context"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"

	"github.com/mindnet/mindnet/x/emission/keeper"
	"github.com/mindnet/mindnet/x/emission/types"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// seatCandidate is a simulation account whose hotkey may take a root seat now, with the coldkey that
// owns it.
type seatCandidate struct {
	hotkey, coldkey simsx.SimAccount
}

// MsgRootRegisterFactory seats on root a hotkey that a simulation account owns and that is not a
// member yet: any such hotkey while root has a free seat, once it is full only one whose total stake
// is strictly above the lowest member's. Accounts are scanned in the simulator's order, so the choice
// depends on the seed and the state only.
func MsgRootRegisterFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgRootRegister] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRootRegister) {
		params, err := k.Params.Get(ctx)
		if err != nil {
			reporter.Skipf("read params: %v", err)
			return nil, nil
		}
		members, err := k.RootMembers(ctx)
		if err != nil {
			reporter.Skipf("read root members: %v", err)
			return nil, nil
		}
		// Once root is full a newcomer must beat the lowest member's total stake; nil while seats are free.
		var floor *math.Int
		if uint32(len(members)) >= params.MaxRootMembers {
			if len(members) == 0 { // max_root_members is at least 1: unreachable, kept for safety
				reporter.Skip("root has no seats")
				return nil, nil
			}
			lowest := members[0].TotalStake
			for _, m := range members[1:] {
				lowest = math.MinInt(lowest, m.TotalStake)
			}
			floor = &lowest
		}
		candidates := seatCandidates(ctx, k, testData, reporter, floor)
		if reporter.IsSkipped() {
			return nil, nil
		}
		if len(candidates) == 0 {
			reporter.Skip("no hotkey may take a root seat")
			return nil, nil
		}
		c := candidates[testData.Rand().Intn(len(candidates))]
		return []simsx.SimAccount{c.coldkey}, &types.MsgRootRegister{Coldkey: c.coldkey.AddressBech32, Hotkey: c.hotkey.AddressBech32}
	}
}

// seatCandidates lists the simulation accounts that are registered hotkeys owned by a simulation
// account and hold no root seat, with a total stake strictly above floor when floor is not nil.
func seatCandidates(ctx context.Context, k *keeper.Keeper, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, floor *math.Int) []seatCandidate {
	sk := k.SubnetKeeper()
	var out []seatCandidate
	for i := range testData.AccountsCount() {
		hotkey := testData.AccountAt(reporter, i)
		if reporter.IsSkipped() {
			return nil
		}
		owner, ok, err := sk.HotkeyOwner(ctx, hotkey.Address)
		if err != nil || !ok {
			continue
		}
		if _, err := sk.UIDOf(ctx, subnettypes.RootNetuid, hotkey.Address); err == nil {
			continue
		}
		stake, err := sk.TotalStakeOf(ctx, hotkey.Address)
		if err != nil || floor != nil && !stake.GT(*floor) {
			continue
		}
		ownerStr, err := testData.AddressCodec().BytesToString(owner)
		if err != nil || !testData.HasAccount(ownerStr) {
			continue
		}
		coldkey := testData.GetAccount(reporter, ownerStr)
		if reporter.IsSkipped() {
			return nil
		}
		out = append(out, seatCandidate{hotkey: hotkey, coldkey: coldkey})
	}
	return out
}

// MsgUpdateParamsFactory is a governance proposal with a fresh random draw of the params.
func MsgUpdateParamsFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgUpdateParams] {
	return func(_ context.Context, testData *simsx.ChainDataSource, _ simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUpdateParams) {
		params := RandomParams(testData.Rand().Rand)
		return nil, &types.MsgUpdateParams{Authority: k.Authority(), Params: params}
	}
}
