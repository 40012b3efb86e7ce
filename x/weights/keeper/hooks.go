package keeper

import (
	"context"
	"fmt"
	"strconv"

	"cosmossdk.io/collections"

	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	"github.com/mindnet/mindnet/x/weights/types"
)

// Hooks follows x/subnet: a UID that changes hands loses its old holder's row, and a dissolved subnet
// loses all its rows, so that nothing the old holders set speaks for the new ones.
type Hooks struct{ k *Keeper }

var _ subnettypes.SubnetHooks = Hooks{}

// Hooks returns the x/subnet hooks of this keeper.
func (k *Keeper) Hooks() Hooks { return Hooks{k: k} }

// AfterNeuronReplaced clears the row and the commits the old holder of (netuid, uid) made. Weights
// other validators aim at uid stay stored; the epoch masks those set before the new registration
// (last_update vs registered_at), and a reveal drops entries committed before it.
func (h Hooks) AfterNeuronReplaced(ctx context.Context, netuid, uid uint32, oldHotkey, _ string) error {
	key := collections.Join(netuid, uid)
	if err := h.k.Commits.Remove(ctx, key); err != nil {
		return fmt.Errorf("clear commits of %d/%d: %w", netuid, uid, err)
	}
	has, err := h.k.Weights.Has(ctx, key)
	if err != nil {
		return fmt.Errorf("read weights of %d/%d: %w", netuid, uid, err)
	}
	if !has {
		return nil
	}
	if err := h.k.Weights.Remove(ctx, key); err != nil {
		return fmt.Errorf("clear weights of %d/%d: %w", netuid, uid, err)
	}
	emit(ctx, types.EventTypeRowCleared,
		types.AttributeKeyNetuid, strconv.FormatUint(uint64(netuid), 10),
		types.AttributeKeyUID, strconv.FormatUint(uint64(uid), 10),
		types.AttributeKeyHotkey, oldHotkey,
	)
	return nil
}

// AfterSubnetDissolved drops every row and commit of netuid before the netuid is reused.
func (h Hooks) AfterSubnetDissolved(ctx context.Context, netuid uint32) error {
	if err := h.k.Commits.Clear(ctx, collections.NewPrefixedPairRange[uint32, uint32](netuid)); err != nil {
		return fmt.Errorf("clear commits of netuid %d: %w", netuid, err)
	}
	if err := h.k.Weights.Clear(ctx, collections.NewPrefixedPairRange[uint32, uint32](netuid)); err != nil {
		return fmt.Errorf("clear weights of netuid %d: %w", netuid, err)
	}
	return nil
}
