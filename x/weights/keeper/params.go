package keeper

import (
	"context"
	"fmt"
	"strconv"

	errorsmod "cosmossdk.io/errors"

	"github.com/mindnet/mindnet/x/weights/types"
)

// UpdateParams replaces the module params; only the authority (the gov module account) may.
func (k *Keeper) UpdateParams(ctx context.Context, authority string, params types.Params) error {
	if authority != k.authority {
		return errorsmod.Wrapf(types.ErrInvalidAuthority, "expected %s, got %s", k.authority, authority)
	}
	if err := params.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, params); err != nil {
		return fmt.Errorf("store params: %w", err)
	}
	emit(ctx, types.EventTypeParamsUpdated,
		"gas_per_weight", strconv.FormatUint(params.GasPerWeight, 10),
		"max_pending_commits", strconv.FormatUint(uint64(params.MaxPendingCommits), 10),
	)
	return nil
}
