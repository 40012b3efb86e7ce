package keeper_test

import (
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/x/subnet/types"
)

// Regression: CheckTx and simulation run on the state of the last committed block, with that block's
// height. A registration simulated right after a block that had one was refused with
// ErrTooManyRegistrationsInBlock, although the transaction would land in the next block: every
// client that estimates gas (`--gas auto`, the miner's register command) failed.
func TestSimulationCountsAsTheNextBlock(t *testing.T) {
	f := newFixture(t, nil)
	netuid, _ := f.createSubnet("alpha")
	cold := f.account("cold", 1_000_000_000)
	f.at(5)
	f.mustRegister(cold, f.account("hot-1", 0), netuid)

	// The block is committed; the next transaction is simulated on a branch of its state, at its height.
	block := f.ctx
	simCtx, _ := block.CacheContext()
	f.ctx = simCtx.WithExecMode(sdk.ExecModeSimulate)
	hot2 := f.account("hot-2", 0)
	if _, err := f.register(cold, hot2, netuid); err != nil {
		t.Fatalf("simulating a registration for the next block: %v", err)
	}

	// In the block itself the limit still holds.
	f.ctx = block.WithExecMode(sdk.ExecModeFinalize)
	_, err := f.register(cold, f.account("hot-3", 0), netuid)
	requireErrorIs(t, err, types.ErrTooManyRegistrationsInBlock)
}
