package keeper

import (
	"context"
	"fmt"
	"strconv"

	errorsmod "cosmossdk.io/errors"

	"github.com/mindnet/mindnet/x/subnet/types"
)

// UpdateParams replaces the module parameters; only the authority may. Subnets keep their current
// hyperparameters: new bounds apply to the next change of each.
func (k *Keeper) UpdateParams(ctx context.Context, authority string, params types.Params) error {
	if authority != k.authority {
		return errorsmod.Wrapf(types.ErrInvalidAuthority, "expected %s, got %s", k.authority, authority)
	}
	if err := params.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, params); err != nil {
		return fmt.Errorf("write params: %w", err)
	}
	emit(ctx, types.EventTypeUpdateParams, types.AttributeKeyAuthority, authority)
	return nil
}

// SetHyperparameters replaces netuid's hyperparameters. The authority may change any of them; the
// owner only those types.CheckOwnerChange allows; both stay within the bounds in params.
func (k *Keeper) SetHyperparameters(ctx context.Context, signer string, netuid uint32, next types.Hyperparameters) error {
	subnet, err := k.GetSubnet(ctx, netuid)
	if err != nil {
		return err
	}
	if signer != k.authority {
		if signer != subnet.Owner {
			return errorsmod.Wrapf(types.ErrNotSubnetOwner, "subnet %d is owned by %s", netuid, subnet.Owner)
		}
		if err := types.CheckOwnerChange(subnet.Hyperparameters, next); err != nil {
			return err
		}
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return fmt.Errorf("read params: %w", err)
	}
	if err := params.CheckHyperparameters(next); err != nil {
		return err
	}
	// Bring the burn up to date under the old interval before the new settings take over.
	advanceBurn(&subnet, blockHeight(ctx))
	subnet.Hyperparameters = next
	subnet.Burn = clampBurn(subnet.Burn, next)
	if err := k.Subnets.Set(ctx, netuid, subnet); err != nil {
		return fmt.Errorf("write subnet %d: %w", netuid, err)
	}
	emit(ctx, types.EventTypeSetHyperparameters,
		types.AttributeKeyNetuid, strconv.FormatUint(uint64(netuid), 10),
		types.AttributeKeyAuthority, signer)
	return nil
}

// Hyperparameters returns netuid's hyperparameters, for x/weights and x/emission.
func (k *Keeper) Hyperparameters(ctx context.Context, netuid uint32) (types.Hyperparameters, error) {
	subnet, err := k.GetSubnet(ctx, netuid)
	if err != nil {
		return types.Hyperparameters{}, err
	}
	return subnet.Hyperparameters, nil
}
