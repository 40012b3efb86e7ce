package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"
	corestore "cosmossdk.io/core/store"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	"github.com/mindnet/mindnet/x/weights/types"
)

// Keeper owns every piece of x/weights state; nothing else reads or writes the module's store.
type Keeper struct {
	cdc          codec.BinaryCodec
	addressCodec address.Codec
	subnets      types.SubnetKeeper
	// authority may change params: the gov module account unless WithAuthority says otherwise.
	authority string

	Schema collections.Schema
	Params collections.Item[types.Params]
	// Weights holds the row that the neuron at (netuid, uid) set last. A UID that never set weights, or
	// whose row was cleared when it changed hands, has no entry.
	Weights collections.Map[collections.Pair[uint32, uint32], types.WeightRow]
	// Commits holds the commit queue of the neuron at (netuid, uid): its pending commits, its revealed
	// ones until their window ends, and its last commit block. Dropped when the UID changes hands.
	Commits collections.Map[collections.Pair[uint32, uint32], types.CommitQueue]
}

// Option changes how NewKeeper builds the keeper.
type Option func(*Keeper)

// WithAuthority sets the address allowed to change params (by default the gov module account).
func WithAuthority(authority string) Option { return func(k *Keeper) { k.authority = authority } }

// NewKeeper declares the module's collections over storeService.
func NewKeeper(cdc codec.BinaryCodec, storeService corestore.KVStoreService, addressCodec address.Codec, subnets types.SubnetKeeper, opts ...Option) *Keeper {
	sb := collections.NewSchemaBuilder(storeService)
	k := &Keeper{
		cdc:          cdc,
		addressCodec: addressCodec,
		subnets:      subnets,
		Params:       collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		Weights: collections.NewMap(sb, types.WeightsKey, "weights",
			collections.PairKeyCodec(collections.Uint32Key, collections.Uint32Key), codec.CollValue[types.WeightRow](cdc)),
		Commits: collections.NewMap(sb, types.CommitsKey, "commits",
			collections.PairKeyCodec(collections.Uint32Key, collections.Uint32Key), codec.CollValue[types.CommitQueue](cdc)),
	}
	for _, opt := range opts {
		opt(k)
	}
	if k.authority == "" {
		gov, err := addressCodec.BytesToString(authtypes.NewModuleAddress(govtypes.ModuleName))
		if err != nil {
			panic(fmt.Errorf("x/weights: encode the gov module address: %w", err))
		}
		k.authority = gov
	}
	if _, err := addressCodec.StringToBytes(k.authority); err != nil {
		panic(fmt.Errorf("x/weights authority %q is not a valid address: %w", k.authority, err))
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

// Authority returns the address allowed to change params.
func (k *Keeper) Authority() string { return k.authority }

// blockHeight is the height of the block a message will be part of. Simulation (gas estimation) runs on
// the last committed block's state but its transaction lands in the next block; counting it there keeps
// the rate limit and the reveal window from refusing, in gas estimation, what the block would accept
// (as x/subnet does).
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

// SubnetKeeper returns the view of x/subnet the keeper reads, for the simulation's message factories.
func (k *Keeper) SubnetKeeper() types.SubnetKeeper { return k.subnets }
