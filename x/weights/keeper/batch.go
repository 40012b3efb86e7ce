package keeper

import (
	"context"
	"fmt"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/x/weights/types"
)

// BatchSetWeights sets hotkey's row on each entry's subnet, each checked exactly as SetWeights checks
// one, in entry order, and returns the UID of each. The first refusal fails the whole message; the SDK
// then discards the rows already written, so a batch is all or nothing. A netuid may appear only once:
// a second row would silently replace the first (or be rate limited), which is never what was meant.
func (k *Keeper) BatchSetWeights(ctx context.Context, hotkey sdk.AccAddress, entries []types.WeightsEntry) ([]uint32, error) {
	if len(entries) == 0 {
		return nil, types.ErrEmptyBatch
	}
	if len(entries) > types.MaxBatchEntries {
		return nil, fmt.Errorf("%w: %d entries, at most %d", types.ErrBatchTooLarge, len(entries), types.MaxBatchEntries)
	}
	seen := make(map[uint32]bool, len(entries)) // membership only; never iterated
	uids := make([]uint32, len(entries))
	for i, e := range entries {
		if seen[e.Netuid] {
			return nil, fmt.Errorf("%w: netuid %d", types.ErrDuplicateBatchNetuid, e.Netuid)
		}
		seen[e.Netuid] = true
		uid, err := k.SetWeights(ctx, hotkey, e.Netuid, e.Uids, e.Weights, e.VersionKey)
		if err != nil {
			return nil, fmt.Errorf("entry %d (netuid %d): %w", i, e.Netuid, err)
		}
		uids[i] = uid
	}
	return uids, nil
}
