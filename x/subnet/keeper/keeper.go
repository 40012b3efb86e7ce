package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	collcodec "cosmossdk.io/collections/codec"
	"cosmossdk.io/core/address"
	corestore "cosmossdk.io/core/store"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/x/subnet/types"
)

// Keeper owns every piece of x/subnet state; nothing else reads or writes the module's store.
type Keeper struct {
	cdc          codec.BinaryCodec
	addressCodec address.Codec
	bank         types.BankKeeper
	hooks        types.SubnetHooks

	// denom is the token that stake, burns and locks are paid in.
	denom string
	// authority may change params and any subnet's hyperparameters: the gov module account.
	authority string

	Schema collections.Schema
	Params collections.Item[types.Params]
	// Subnets by netuid.
	Subnets collections.Map[uint32, types.Subnet]
	// LockState is the last subnet creation, from which the creation cost follows.
	LockState collections.Item[types.SubnetLockState]
	// Neurons by (netuid, uid). UIDs of a subnet are dense: 0 to neuron_count-1.
	Neurons collections.Map[collections.Pair[uint32, uint32], types.Neuron]
	// UIDs indexes Neurons by (netuid, hotkey).
	UIDs collections.Map[collections.Pair[uint32, sdk.AccAddress], uint32]
	// HotkeyOwners maps a hotkey to the coldkey that first registered it.
	HotkeyOwners collections.Map[sdk.AccAddress, sdk.AccAddress]
	// Stakes by (hotkey, coldkey): what a coldkey has put behind a hotkey.
	Stakes collections.Map[collections.Pair[sdk.AccAddress, sdk.AccAddress], math.Int]
	// TotalStake is the sum of Stakes per hotkey.
	TotalStake collections.Map[sdk.AccAddress, math.Int]
	// StakesByColdkey indexes Stakes by (coldkey, hotkey).
	StakesByColdkey collections.KeySet[collections.Pair[sdk.AccAddress, sdk.AccAddress]]
	// DelegateTakes holds takes set explicitly; a hotkey without one uses params.default_delegate_take.
	DelegateTakes collections.Map[sdk.AccAddress, uint32]
	// PruneOrder indexes Neurons by (netuid, pruning score, registration block, uid): walked in order,
	// its first non-immune entry is the neuron a registration into a full subnet replaces.
	PruneOrder collections.KeySet[collections.Quad[uint32, uint32, uint64, uint32]]
	// PendingModels holds, by netuid, the model change an owner asked for, until the subnet's next
	// epoch applies it.
	PendingModels collections.Map[uint32, types.PendingSubnetModel]
	// Pools by netuid: every subnet but root has one.
	Pools collections.Map[uint32, types.Pool]
	// AlphaStakes by (netuid, hotkey, coldkey): the alpha a coldkey holds behind a hotkey on a subnet.
	AlphaStakes collections.Map[collections.Triple[uint32, sdk.AccAddress, sdk.AccAddress], math.Int]
	// AlphaTotals is the sum of AlphaStakes per (netuid, hotkey).
	AlphaTotals collections.Map[collections.Pair[uint32, sdk.AccAddress], math.Int]
	// AlphaByColdkey indexes AlphaStakes by (coldkey, netuid, hotkey).
	AlphaByColdkey collections.KeySet[collections.Triple[sdk.AccAddress, uint32, sdk.AccAddress]]
}

// NewKeeper declares the module's collections over storeService. denom is the chain's staking token.
func NewKeeper(
	cdc codec.BinaryCodec, storeService corestore.KVStoreService, addressCodec address.Codec,
	bank types.BankKeeper, denom, authority string,
) *Keeper {
	if _, err := addressCodec.StringToBytes(authority); err != nil {
		panic(fmt.Errorf("x/subnet authority %q is not a valid address: %w", authority, err))
	}
	if err := sdk.ValidateDenom(denom); err != nil {
		panic(fmt.Errorf("x/subnet denom %q: %w", denom, err))
	}
	sb := collections.NewSchemaBuilder(storeService)
	addrValue := collcodec.KeyToValueCodec(sdk.AccAddressKey)
	k := &Keeper{
		cdc:          cdc,
		addressCodec: addressCodec,
		bank:         bank,
		denom:        denom,
		authority:    authority,
		Params:       collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		Subnets: collections.NewMap(sb, types.SubnetsKey, "subnets", collections.Uint32Key,
			codec.CollValue[types.Subnet](cdc)),
		LockState: collections.NewItem(sb, types.LockStateKey, "lock_state", codec.CollValue[types.SubnetLockState](cdc)),
		Neurons: collections.NewMap(sb, types.NeuronsKey, "neurons",
			collections.PairKeyCodec(collections.Uint32Key, collections.Uint32Key), codec.CollValue[types.Neuron](cdc)),
		UIDs: collections.NewMap(sb, types.UIDsKey, "uids",
			collections.PairKeyCodec(collections.Uint32Key, sdk.AccAddressKey), collections.Uint32Value),
		HotkeyOwners: collections.NewMap(sb, types.HotkeyOwnersKey, "hotkey_owners", sdk.AccAddressKey, addrValue),
		Stakes: collections.NewMap(sb, types.StakesKey, "stakes",
			collections.PairKeyCodec(sdk.AccAddressKey, sdk.AccAddressKey), sdk.IntValue),
		TotalStake: collections.NewMap(sb, types.TotalStakeKey, "total_stake", sdk.AccAddressKey, sdk.IntValue),
		StakesByColdkey: collections.NewKeySet(sb, types.StakesByColdkeyKey, "stakes_by_coldkey",
			collections.PairKeyCodec(sdk.AccAddressKey, sdk.AccAddressKey)),
		DelegateTakes: collections.NewMap(sb, types.DelegateTakesKey, "delegate_takes", sdk.AccAddressKey, collections.Uint32Value),
		PruneOrder: collections.NewKeySet(sb, types.PruneOrderKey, "prune_order",
			collections.QuadKeyCodec(collections.Uint32Key, collections.Uint32Key, collections.Uint64Key, collections.Uint32Key)),
		PendingModels: collections.NewMap(sb, types.PendingModelsKey, "pending_models", collections.Uint32Key,
			codec.CollValue[types.PendingSubnetModel](cdc)),
		Pools: collections.NewMap(sb, types.PoolsKey, "pools", collections.Uint32Key, codec.CollValue[types.Pool](cdc)),
		AlphaStakes: collections.NewMap(sb, types.AlphaStakesKey, "alpha_stakes",
			collections.TripleKeyCodec(collections.Uint32Key, sdk.AccAddressKey, sdk.AccAddressKey), sdk.IntValue),
		AlphaTotals: collections.NewMap(sb, types.AlphaTotalsKey, "alpha_totals",
			collections.PairKeyCodec(collections.Uint32Key, sdk.AccAddressKey), sdk.IntValue),
		AlphaByColdkey: collections.NewKeySet(sb, types.AlphaByColdkeyKey, "alpha_by_coldkey",
			collections.TripleKeyCodec(sdk.AccAddressKey, collections.Uint32Key, sdk.AccAddressKey)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(fmt.Errorf("build x/subnet schema: %w", err))
	}
	k.Schema = schema
	return k
}

// SetHooks installs the hooks other modules register; call it once, while wiring the app.
func (k *Keeper) SetHooks(h types.SubnetHooks) {
	if k.hooks != nil {
		panic("x/subnet hooks already set")
	}
	k.hooks = h
}

// Authority returns the address allowed to change params.
func (k *Keeper) Authority() string { return k.authority }

// Denom returns the token that stake, burns and locks are paid in.
func (k *Keeper) Denom() string { return k.denom }

// AddressCodec returns the codec for account addresses.
func (k *Keeper) AddressCodec() address.Codec { return k.addressCodec }

func (k *Keeper) coins(amount math.Int) sdk.Coins { return sdk.NewCoins(sdk.NewCoin(k.denom, amount)) }

func (k *Keeper) addr(field, s string) (sdk.AccAddress, error) {
	bz, err := k.addressCodec.StringToBytes(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %q: %w", types.ErrInvalidAddress, field, s, err)
	}
	return bz, nil
}

func (k *Keeper) addrString(a sdk.AccAddress) string {
	s, err := k.addressCodec.BytesToString(a)
	if err != nil {
		// Bytes came from the store, where only decoded addresses are written.
		panic(fmt.Errorf("x/subnet: stored address cannot be encoded: %w", err))
	}
	return s
}

// blockHeight is the height of the block a message will be part of. Simulation (gas estimation) runs
// on the last committed block's state and carries its height, but the transaction can only land in the
// next block: counting it there keeps per-block limits (registrations per block, rate limits) from
// refusing, in gas estimation, what the block would accept. CheckTx runs no message handlers.
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
