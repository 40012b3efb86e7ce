package types

import (
	"context"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// SubnetKeeper is the part of x/subnet that x/weights reads and the one write it makes (a neuron's
// last_update). Errors for a missing subnet, hotkey or neuron are x/subnet's registered errors.
type SubnetKeeper interface {
	GetSubnet(ctx context.Context, netuid uint32) (subnettypes.Subnet, error)
	UIDOf(ctx context.Context, netuid uint32, hotkey sdk.AccAddress) (uint32, error)
	GetNeuron(ctx context.Context, netuid, uid uint32) (subnettypes.Neuron, error)
	// VoiceOf is a hotkey's stake on one subnet: its alpha there plus root_weight of its root stake.
	VoiceOf(ctx context.Context, netuid uint32, hotkey sdk.AccAddress) (math.Int, error)
	SetNeuronLastUpdate(ctx context.Context, netuid, uid uint32, height int64) error
}
