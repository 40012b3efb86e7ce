package keeper

import (
	"context"
	"fmt"
	"strconv"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/x/subnet/types"
)

// ServeAxon records where hotkey's neuron on netuid listens. A neuron may change it once every
// serving_rate_limit blocks, so that the metagraph stays a stable address book for validators.
func (k *Keeper) ServeAxon(ctx context.Context, hotkey sdk.AccAddress, netuid uint32, axon types.AxonInfo) error {
	if err := types.CheckAxonEndpoint(axon.Ip, axon.Port); err != nil {
		return err
	}
	subnet, err := k.GetSubnet(ctx, netuid)
	if err != nil {
		return err
	}
	uid, err := k.UIDOf(ctx, netuid, hotkey)
	if err != nil {
		return err
	}
	neuron, err := k.GetNeuron(ctx, netuid, uid)
	if err != nil {
		return err
	}
	height := blockHeight(ctx)
	limit := subnet.Hyperparameters.ServingRateLimit
	if last := neuron.Axon.Block; last != 0 && height-last < int64(limit) {
		return errorsmod.Wrapf(types.ErrServingRateLimited, "last served at block %d, next allowed at %d", last, last+int64(limit))
	}
	axon.Block = height
	neuron.Axon = axon
	// Neither the pruning score nor the registration block changes, so PruneOrder stays as it is.
	if err := k.Neurons.Set(ctx, collections.Join(netuid, uid), neuron); err != nil {
		return fmt.Errorf("write neuron %d/%d: %w", netuid, uid, err)
	}
	emit(ctx, types.EventTypeServeAxon,
		types.AttributeKeyNetuid, strconv.FormatUint(uint64(netuid), 10),
		types.AttributeKeyUID, strconv.FormatUint(uint64(uid), 10),
		types.AttributeKeyHotkey, neuron.Hotkey,
		types.AttributeKeyIP, axon.Ip,
		types.AttributeKeyPort, strconv.FormatUint(uint64(axon.Port), 10),
		types.AttributeKeyProtocol, strconv.FormatUint(uint64(axon.Protocol), 10),
		types.AttributeKeyVersion, strconv.FormatUint(uint64(axon.Version), 10))
	return nil
}
