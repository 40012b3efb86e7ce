package types

import (
	"context"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	weightstypes "github.com/mindnet/mindnet/x/weights/types"
)

// BankKeeper is the part of x/bank that x/emission uses: minting into its module account, paying the
// fee collector, subnet owners and the x/subnet stake pool, and burning a dissolved subnet's pending
// emission.
type BankKeeper interface {
	MintCoins(ctx context.Context, moduleName string, amt sdk.Coins) error
	BurnCoins(ctx context.Context, moduleName string, amt sdk.Coins) error
	SendCoinsFromModuleToModule(ctx context.Context, senderModule, recipientModule string, amt sdk.Coins) error
	SendCoinsFromModuleToAccount(ctx context.Context, senderModule string, recipientAddr sdk.AccAddress, amt sdk.Coins) error
	GetBalance(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
}

// SubnetKeeper is the part of x/subnet that x/emission reads, and the writes it makes: epoch results,
// subnet shares, root seats, pool injections and alpha payouts.
type SubnetKeeper interface {
	GetSubnet(ctx context.Context, netuid uint32) (subnettypes.Subnet, error)
	IterateSubnets(ctx context.Context, fn func(subnettypes.Subnet) (stop bool, err error)) error
	IterateNeurons(ctx context.Context, netuid uint32, fn func(subnettypes.Neuron) (stop bool, err error)) error
	UIDOf(ctx context.Context, netuid uint32, hotkey sdk.AccAddress) (uint32, error)
	HotkeyOwner(ctx context.Context, hotkey sdk.AccAddress) (sdk.AccAddress, bool, error)
	TotalStakeOf(ctx context.Context, hotkey sdk.AccAddress) (math.Int, error)
	Voice(ctx context.Context, netuid uint32, hotkey sdk.AccAddress, rootWeight uint32) (math.Int, error)
	DelegateTake(ctx context.Context, hotkey sdk.AccAddress) (uint32, error)
	IterateNominators(ctx context.Context, hotkey sdk.AccAddress, fn func(coldkey sdk.AccAddress, amount math.Int) (stop bool, err error)) error
	SetNeuronScores(ctx context.Context, netuid, uid uint32, scores subnettypes.NeuronScores) error
	SetSubnetEmissionShare(ctx context.Context, netuid, share uint32) error
	RegisterRootNeuron(ctx context.Context, hotkey sdk.AccAddress, replaceUID *uint32) (uint32, error)
	GetPool(ctx context.Context, netuid uint32) (subnettypes.Pool, error)
	RootWeight(ctx context.Context) (uint32, error)
	IterateAlphaNominators(ctx context.Context, netuid uint32, hotkey sdk.AccAddress, fn func(coldkey sdk.AccAddress, amount math.Int) (stop bool, err error)) error
	InjectEmission(ctx context.Context, netuid uint32, mind, alphaOut math.Int) error
	CreditAlpha(ctx context.Context, netuid uint32, credits []subnettypes.StakeCredit) error
}

// WeightsKeeper is the part of x/weights that x/emission reads: the stored weight rows, visited in UID
// order.
type WeightsKeeper interface {
	IterateRows(ctx context.Context, netuid uint32, fn func(uid uint32, row weightstypes.WeightRow) (stop bool, err error)) error
}
