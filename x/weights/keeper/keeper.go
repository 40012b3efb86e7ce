package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"
	corestore "cosmossdk.io/core/store"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/x/weights/types"
)

// Keeper owns every piece of x/weights state; nothing else reads or writes the module's store.
type Keeper struct {
	cdc          codec.BinaryCodec
	addressCodec address.Codec
	subnets      types.SubnetKeeper

	Schema collections.Schema
	Params collections.Item[types.Params]
	// Weights holds the row that the neuron at (netuid, uid) set last. A UID that never set weights, or
	// whose row was cleared when it changed hands, has no entry.
	Weights collections.Map[collections.Pair[uint32, uint32], types.WeightRow]
}

// NewKeeper declares the module's collections over storeService.
func NewKeeper(cdc codec.BinaryCodec, storeService corestore.KVStoreService, addressCodec address.Codec, subnets types.SubnetKeeper) *Keeper {
	sb := collections.NewSchemaBuilder(storeService)
	k := &Keeper{
		cdc:          cdc,
		addressCodec: addressCodec,
		subnets:      subnets,
		Params:       collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		Weights: collections.NewMap(sb, types.WeightsKey, "weights",
			collections.PairKeyCodec(collections.Uint32Key, collections.Uint32Key), codec.CollValue[types.WeightRow](cdc)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(fmt.Errorf("build x/weights schema: %w", err))
	}
	k.Schema = schema
	return k
}

// AddressCodec returns the codec for account addresses.
func (k *Keeper) AddressCodec() address.Codec { return k.addressCodec }

// blockHeight is the height of the block a message will be part of. Simulation (gas estimation) runs on
// the last committed block's state but its transaction lands in the next block; counting it there keeps
// the rate limit from refusing, in gas estimation, what the block would accept (as x/subnet does).
func blockHeight(ctx context.Context) int64 {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	if sdkCtx.ExecMode() == sdk.ExecModeSimulate {
		return sdkCtx.BlockHeight() + 1
	}
	return sdkCtx.BlockHeight()
}

func emit(ctx context.Context, eventType string, attrs ...string) {
	kv := make([]sdk.Attribute, 0, len(attrs)/2)
	for i := 0; i+1 < len(attrs); i += 2 {
		kv = append(kv, sdk.NewAttribute(attrs[i], attrs[i+1]))
	}
	sdk.UnwrapSDKContext(ctx).EventManager().EmitEvent(sdk.NewEvent(eventType, kv...))
}
