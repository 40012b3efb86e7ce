package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"
	corestore "cosmossdk.io/core/store"
	"cosmossdk.io/log/v2"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkaddress "github.com/cosmos/cosmos-sdk/types/address"
	"github.com/cosmos/cosmos-sdk/types/bech32"

	"github.com/mindnet/mindnet/x/emission/types"
)

// Keeper owns every piece of x/emission state; nothing else reads or writes the module's store.
type Keeper struct {
	cdc          codec.BinaryCodec
	addressCodec address.Codec
	bank         types.BankKeeper
	subnets      types.SubnetKeeper
	weights      types.WeightsKeeper

	// denom is the token minted and paid.
	denom string
	// feeCollector is the module account x/distribution pays chain validators and delegators from.
	feeCollector string
	// stakePool is the module account that holds all stake (x/subnet's).
	stakePool string
	// authority may change params: the gov module account.
	authority string
	// hrp is the bech32 prefix of account addresses (the authority's), for storedAddr.
	hrp string

	Schema collections.Schema
	Params collections.Item[types.Params]
	// Ledger counts what was minted and where it went.
	Ledger collections.Item[types.Ledger]
	// Pending is each subnet's emission accrued since its last epoch, held in the module account.
	Pending collections.Map[uint32, math.Int]
	// Bonds by (netuid, uid): the bond row the validator at that UID holds, as the epoch stores it.
	Bonds collections.Map[collections.Pair[uint32, uint32], types.BondRow]
	// LastEpoch is the block of each subnet's latest epoch.
	LastEpoch collections.Map[uint32, int64]
}

// NewKeeper declares the module's collections over storeService. feeCollector names the module
// account that x/distribution pays from; stakePool the one x/subnet holds stake in.
func NewKeeper(
	cdc codec.BinaryCodec, storeService corestore.KVStoreService, addressCodec address.Codec,
	bank types.BankKeeper, subnets types.SubnetKeeper, weights types.WeightsKeeper,
	denom, feeCollector, stakePool, authority string,
) *Keeper {
	if _, err := addressCodec.StringToBytes(authority); err != nil {
		panic(fmt.Errorf("x/emission authority %q is not a valid address: %w", authority, err))
	}
	if err := sdk.ValidateDenom(denom); err != nil {
		panic(fmt.Errorf("x/emission denom %q: %w", denom, err))
	}
	hrp, _, err := bech32.DecodeAndConvert(authority)
	if err != nil {
		panic(fmt.Errorf("x/emission authority %q is not bech32: %w", authority, err))
	}
	sb := collections.NewSchemaBuilder(storeService)
	k := &Keeper{
		hrp:          hrp,
		cdc:          cdc,
		addressCodec: addressCodec,
		bank:         bank,
		subnets:      subnets,
		weights:      weights,
		denom:        denom,
		feeCollector: feeCollector,
		stakePool:    stakePool,
		authority:    authority,
		Params:       collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		Ledger:       collections.NewItem(sb, types.LedgerKey, "ledger", codec.CollValue[types.Ledger](cdc)),
		Pending:      collections.NewMap(sb, types.PendingKey, "pending", collections.Uint32Key, sdk.IntValue),
		Bonds: collections.NewMap(sb, types.BondsKey, "bonds",
			collections.PairKeyCodec(collections.Uint32Key, collections.Uint32Key), codec.CollValue[types.BondRow](cdc)),
		LastEpoch: collections.NewMap(sb, types.LastEpochKey, "last_epoch", collections.Uint32Key, collections.Int64Value),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(fmt.Errorf("build x/emission schema: %w", err))
	}
	k.Schema = schema
	return k
}

// Authority returns the address allowed to change params.
func (k *Keeper) Authority() string { return k.authority }

// SubnetKeeper returns the part of x/subnet the keeper reads, for the simulation's factories.
func (k *Keeper) SubnetKeeper() types.SubnetKeeper { return k.subnets }

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

// storedAddr decodes an address that x/subnet stored after validating it, as addr does, without the
// address codec's per-call sdk.GetConfig lookup: in SDK v0.54 that lookup resolves the executable's
// path (a system call), and an epoch decodes two addresses per neuron, 8192 on the largest subnet.
// Anything but a plain bech32 account address of the chain's prefix falls back to addr, so its
// result and its errors are addr's.
func (k *Keeper) storedAddr(field, s string) (sdk.AccAddress, error) {
	hrp, bz, err := bech32.DecodeAndConvert(s)
	if err != nil || hrp != k.hrp || len(bz) == 0 || len(bz) > sdkaddress.MaxAddrLen {
		return k.addr(field, s)
	}
	return bz, nil
}

func (k *Keeper) addrString(a sdk.AccAddress) string {
	s, err := k.addressCodec.BytesToString(a)
	if err != nil {
		panic(fmt.Errorf("x/emission: address cannot be encoded: %w", err))
	}
	return s
}

func (k *Keeper) logger(ctx context.Context) log.Logger {
	return sdk.UnwrapSDKContext(ctx).Logger().With("module", "x/"+types.ModuleName)
}

// PendingOf returns what netuid has accrued since its last epoch (zero when nothing).
func (k *Keeper) PendingOf(ctx context.Context, netuid uint32) (math.Int, error) {
	v, err := k.Pending.Get(ctx, netuid)
	if err != nil {
		if errorsIsNotFound(err) {
			return math.ZeroInt(), nil
		}
		return math.Int{}, fmt.Errorf("read pending emission of netuid %d: %w", netuid, err)
	}
	return v, nil
}

// setPending stores a subnet's pending emission, dropping the entry at zero.
func (k *Keeper) setPending(ctx context.Context, netuid uint32, amount math.Int) error {
	if amount.IsZero() {
		if err := k.Pending.Remove(ctx, netuid); err != nil {
			return fmt.Errorf("drop pending emission of netuid %d: %w", netuid, err)
		}
		return nil
	}
	if err := k.Pending.Set(ctx, netuid, amount); err != nil {
		return fmt.Errorf("write pending emission of netuid %d: %w", netuid, err)
	}
	return nil
}

func (k *Keeper) ledger(ctx context.Context) (types.Ledger, error) {
	l, err := k.Ledger.Get(ctx)
	if err != nil {
		return types.Ledger{}, fmt.Errorf("read issuance ledger: %w", err)
	}
	return l, nil
}

func (k *Keeper) params(ctx context.Context) (types.Params, error) {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return types.Params{}, fmt.Errorf("read params: %w", err)
	}
	return p, nil
}

func emit(ctx context.Context, eventType string, attrs ...string) {
	kv := make([]sdk.Attribute, 0, len(attrs)/2)
	for i := 0; i+1 < len(attrs); i += 2 {
		kv = append(kv, sdk.NewAttribute(attrs[i], attrs[i+1]))
	}
	sdk.UnwrapSDKContext(ctx).EventManager().EmitEvent(sdk.NewEvent(eventType, kv...))
}
