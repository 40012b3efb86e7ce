// Package keeper holds x/subnet's state and the rules that change it.
package keeper

import (
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"
	corestore "cosmossdk.io/core/store"

	"github.com/cosmos/cosmos-sdk/codec"

	"github.com/mindnet/mindnet/x/subnet/types"
)

// Keeper owns every piece of x/subnet state; nothing else reads or writes the module's store.
type Keeper struct {
	cdc          codec.BinaryCodec
	addressCodec address.Codec

	// authority may change params: the gov module account.
	authority string

	Schema collections.Schema
	Params collections.Item[types.Params]
}

// NewKeeper declares the module's collections over storeService.
func NewKeeper(cdc codec.BinaryCodec, storeService corestore.KVStoreService, addressCodec address.Codec, authority string) *Keeper {
	if _, err := addressCodec.StringToBytes(authority); err != nil {
		panic(fmt.Errorf("x/subnet authority %q is not a valid address: %w", authority, err))
	}
	sb := collections.NewSchemaBuilder(storeService)
	k := &Keeper{
		cdc:          cdc,
		addressCodec: addressCodec,
		authority:    authority,
		Params:       collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(fmt.Errorf("build x/subnet schema: %w", err))
	}
	k.Schema = schema
	return k
}

// Authority returns the address allowed to change params.
func (k *Keeper) Authority() string { return k.authority }
