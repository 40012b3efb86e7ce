package types

import "context"

// SubnetHooks lets other modules follow changes in x/subnet without x/subnet importing them (as
// x/staking's hooks do). x/weights uses AfterNeuronReplaced to drop weights and bonds aimed at a UID
// that changed hands.
// AfterSubnetDissolved tells them to drop everything they hold for a netuid that is about to be reused.
type SubnetHooks interface {
	AfterNeuronReplaced(ctx context.Context, netuid, uid uint32, oldHotkey, newHotkey string) error
	AfterSubnetDissolved(ctx context.Context, netuid uint32) error
}

// MultiSubnetHooks calls several hooks in order; the first error stops the chain and fails the message.
type MultiSubnetHooks []SubnetHooks

// NewMultiSubnetHooks combines hooks.
func NewMultiSubnetHooks(hooks ...SubnetHooks) MultiSubnetHooks { return hooks }

// AfterNeuronReplaced calls every hook.
func (h MultiSubnetHooks) AfterNeuronReplaced(ctx context.Context, netuid, uid uint32, oldHotkey, newHotkey string) error {
	for _, hook := range h {
		if err := hook.AfterNeuronReplaced(ctx, netuid, uid, oldHotkey, newHotkey); err != nil {
			return err
		}
	}
	return nil
}

// AfterSubnetDissolved calls every hook.
func (h MultiSubnetHooks) AfterSubnetDissolved(ctx context.Context, netuid uint32) error {
	for _, hook := range h {
		if err := hook.AfterSubnetDissolved(ctx, netuid); err != nil {
			return err
		}
	}
	return nil
}
