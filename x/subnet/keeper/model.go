package keeper

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/x/subnet/types"
)

// A subnet's model changes only at its epoch, never in the middle of a tempo: validators score a
// whole tempo against one model, and miners and validators get until the epoch to fetch the new
// folder. The owner's request is kept in PendingModels and applied in x/subnet's end-blocker of the
// subnet's first epoch block after the request, after x/emission's epoch has closed the tempo.

// SetSubnetModel records owner's request that netuid serve model from the end of its next epoch, and
// returns that epoch's block as the schedule stands now. A later request before then replaces it.
func (k *Keeper) SetSubnetModel(ctx context.Context, owner string, netuid uint32, model types.SubnetModel) (int64, error) {
	if err := model.Validate(); err != nil {
		return 0, err
	}
	if netuid == types.RootNetuid {
		return 0, errorsmod.Wrap(types.ErrRootSubnet, "it serves no model")
	}
	subnet, err := k.GetSubnet(ctx, netuid)
	if err != nil {
		return 0, err
	}
	if subnet.Owner != owner {
		return 0, errorsmod.Wrapf(types.ErrNotSubnetOwner, "subnet %d is owned by %s", netuid, subnet.Owner)
	}
	height := blockHeight(ctx)
	pending := types.PendingSubnetModel{Netuid: netuid, Model: model, RequestedAt: height}
	if err := k.PendingModels.Set(ctx, netuid, pending); err != nil {
		return 0, fmt.Errorf("write pending model of subnet %d: %w", netuid, err)
	}
	effective := modelEffectiveBlock(subnet, height, height)
	emit(ctx, types.EventTypeSetSubnetModel, modelAttributes(netuid, model,
		types.AttributeKeyOwner, owner,
		types.AttributeKeyEffectiveBlock, strconv.FormatInt(effective, 10))...)
	return effective, nil
}

// modelEffectiveBlock is the block at whose end a model requested at requestedAt takes effect under
// the subnet's current tempo: its first epoch block after both requestedAt and done, the last block
// whose end-blocker has run (or may still run, when done is the current block).
func modelEffectiveBlock(s types.Subnet, requestedAt, done int64) int64 {
	from := max(requestedAt, done, -1) + 1
	return int64(types.NextEpochBlock(s.Netuid, s.Hyperparameters.Tempo, uint64(from)))
}

// ApplyPendingModels gives every subnet whose epoch block this is, and whose model change was asked
// for before this block, its new model. Requests are visited in netuid order.
func (k *Keeper) ApplyPendingModels(ctx context.Context) error {
	height := sdk.UnwrapSDKContext(ctx).BlockHeight()
	if height < 0 {
		return nil
	}
	type due struct {
		subnet  types.Subnet
		pending types.PendingSubnetModel
	}
	var apply []due
	err := k.PendingModels.Walk(ctx, nil, func(netuid uint32, p types.PendingSubnetModel) (bool, error) {
		if p.RequestedAt >= height {
			return false, nil
		}
		s, err := k.GetSubnet(ctx, netuid)
		if err != nil {
			return true, err
		}
		if types.IsEpochBlock(netuid, s.Hyperparameters.Tempo, uint64(height)) {
			apply = append(apply, due{s, p})
		}
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("walk pending models: %w", err)
	}
	for _, d := range apply {
		d.subnet.Model = d.pending.Model
		if err := k.Subnets.Set(ctx, d.subnet.Netuid, d.subnet); err != nil {
			return fmt.Errorf("write subnet %d: %w", d.subnet.Netuid, err)
		}
		if err := k.PendingModels.Remove(ctx, d.subnet.Netuid); err != nil {
			return fmt.Errorf("drop pending model of subnet %d: %w", d.subnet.Netuid, err)
		}
		emit(ctx, types.EventTypeSubnetModelChanged, modelAttributes(d.subnet.Netuid, d.subnet.Model)...)
	}
	return nil
}

func modelAttributes(netuid uint32, m types.SubnetModel, extra ...string) []string {
	return append([]string{
		types.AttributeKeyNetuid, strconv.FormatUint(uint64(netuid), 10),
		types.AttributeKeyModelName, m.Name,
		types.AttributeKeyModelDigest, m.Digest,
		types.AttributeKeyPrecisions, strings.Join(m.Precisions, ","),
		types.AttributeKeyContextLength, strconv.FormatUint(uint64(m.ContextLength), 10),
	}, extra...)
}

// PendingModel returns the model change waiting for netuid's next epoch, and false when none waits.
func (k *Keeper) PendingModel(ctx context.Context, netuid uint32) (types.PendingSubnetModel, bool, error) {
	p, err := k.PendingModels.Get(ctx, netuid)
	if errors.Is(err, collections.ErrNotFound) {
		return types.PendingSubnetModel{}, false, nil
	}
	if err != nil {
		return types.PendingSubnetModel{}, false, fmt.Errorf("read pending model of subnet %d: %w", netuid, err)
	}
	return p, true, nil
}
