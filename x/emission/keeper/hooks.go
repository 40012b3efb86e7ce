package keeper

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	"github.com/mindnet/mindnet/x/emission/types"
	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// Hooks follows x/subnet: a UID that changes hands starts with no bonds, held or received, and a
// dissolved subnet takes its pending emission and bonds with it.
type Hooks struct{ k *Keeper }

var _ subnettypes.SubnetHooks = Hooks{}

// Hooks returns the x/subnet hooks of this keeper.
func (k *Keeper) Hooks() Hooks { return Hooks{k: k} }

// AfterNeuronReplaced clears the bonds the old holder of (netuid, uid) held and the bonds others held
// on it, so the new holder neither inherits the old one's dividends nor pays out its support. (The
// epoch also drops bonds on UIDs registered since the previous epoch, as subtensor does; clearing them
// here keeps the stored rows and the bonds query truthful at once.)
func (h Hooks) AfterNeuronReplaced(ctx context.Context, netuid, uid uint32, _, _ string) error {
	if err := h.k.clearBonds(ctx, netuid, uid); err != nil {
		return err
	}
	emit(ctx, types.EventTypeBondsCleared,
		types.AttributeKeyNetuid, strconv.FormatUint(uint64(netuid), 10),
		types.AttributeKeyUID, strconv.FormatUint(uint64(uid), 10))
	return nil
}

// clearBonds drops uid's own bond row and its column in every other row of netuid.
func (k *Keeper) clearBonds(ctx context.Context, netuid, uid uint32) error {
	if err := k.Bonds.Remove(ctx, collections.Join(netuid, uid)); err != nil {
		return fmt.Errorf("drop bonds of %d/%d: %w", netuid, uid, err)
	}
	var changed []types.BondRow
	err := k.Bonds.Walk(ctx, collections.NewPrefixedPairRange[uint32, uint32](netuid),
		func(_ collections.Pair[uint32, uint32], row types.BondRow) (bool, error) {
			if i, found := slices.BinarySearch(row.Uids, uid); found {
				row.Uids = slices.Delete(row.Uids, i, i+1)
				row.Values = slices.Delete(row.Values, i, i+1)
				changed = append(changed, row)
			}
			return false, nil
		})
	if err != nil {
		return fmt.Errorf("read bonds of netuid %d: %w", netuid, err)
	}
	for _, row := range changed {
		key := collections.Join(row.Netuid, row.Uid)
		if len(row.Uids) == 0 {
			err = k.Bonds.Remove(ctx, key)
		} else {
			err = k.Bonds.Set(ctx, key, row)
		}
		if err != nil {
			return fmt.Errorf("write bonds of %d/%d: %w", row.Netuid, row.Uid, err)
		}
	}
	return nil
}

// AfterSubnetDissolved drops the subnet's pending alpha (nobody is left to earn it, and it is alpha of
// a pool that no longer exists, not umind) and its bonds and epoch record before the netuid is reused.
func (h Hooks) AfterSubnetDissolved(ctx context.Context, netuid uint32) error {
	k := h.k
	pending, err := k.PendingOf(ctx, netuid)
	if err != nil {
		return err
	}
	if pending.IsPositive() {
		if err := k.setPending(ctx, netuid, math.ZeroInt()); err != nil {
			return err
		}
		emit(ctx, types.EventTypeBurnPending,
			types.AttributeKeyNetuid, strconv.FormatUint(uint64(netuid), 10),
			types.AttributeKeyAmount, pending.String())
	}
	if err := k.Bonds.Clear(ctx, collections.NewPrefixedPairRange[uint32, uint32](netuid)); err != nil {
		return fmt.Errorf("clear bonds of netuid %d: %w", netuid, err)
	}
	if err := k.LastEpoch.Remove(ctx, netuid); err != nil {
		return fmt.Errorf("drop last epoch of netuid %d: %w", netuid, err)
	}
	return nil
}
