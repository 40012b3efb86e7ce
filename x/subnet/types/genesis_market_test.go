package types_test

import (
	"errors"
	"testing"

	"cosmossdk.io/math"

	"github.com/mindnet/mindnet/x/subnet/types"
)

// marketGenesis is a valid genesis with root, subnets 1 and 2, a pool on 1 with two positions (30 + 12
// alpha outstanding) and no pool listed for 2 (init seeds it).
func marketGenesis(t *testing.T) *types.GenesisState {
	gs := types.DefaultGenesis()
	subnet := func(netuid uint32, lock int64) types.Subnet {
		h := gs.Params.DefaultHyperparameters
		return types.Subnet{Netuid: netuid, Owner: addr(t, 9), Name: "s", Lock: math.NewInt(lock), Hyperparameters: h, Burn: h.MinBurn}
	}
	gs.Subnets = []types.Subnet{subnet(0, 0), subnet(1, 1_000), subnet(2, 500)}
	hot, cold, nominator := addr(t, 1), addr(t, 2), addr(t, 3)
	gs.HotkeyOwners = []types.HotkeyOwner{{Hotkey: hot, Coldkey: cold}}
	p := types.NewPool(1, math.NewInt(1_000))
	p.AlphaReserve = math.NewInt(958)
	p.MindReserve = math.NewInt(1_044)
	p.AlphaOutstanding = math.NewInt(42)
	gs.Pools = []types.Pool{p}
	gs.AlphaStakes = []types.AlphaStake{
		{Netuid: 1, Hotkey: hot, Coldkey: cold, Amount: math.NewInt(30)},
		{Netuid: 1, Hotkey: hot, Coldkey: nominator, Amount: math.NewInt(12)},
	}
	return gs
}

func TestGenesisMarketValid(t *testing.T) {
	gs := marketGenesis(t)
	if err := gs.Validate(); err != nil {
		t.Fatalf("valid market genesis refused: %v", err)
	}
	if err := gs.ValidateAddresses(ac); err != nil {
		t.Fatalf("valid market genesis addresses refused: %v", err)
	}
}

func TestGenesisMarketRefusals(t *testing.T) {
	cases := []struct {
		name    string
		corrupt func(gs *types.GenesisState)
	}{
		{"pool for an unknown netuid", func(gs *types.GenesisState) {
			gs.Pools = append(gs.Pools, types.NewPool(7, math.NewInt(10)))
		}},
		{"pool for root", func(gs *types.GenesisState) {
			gs.Pools = append(gs.Pools, types.NewPool(types.RootNetuid, math.NewInt(10)))
		}},
		{"pool listed twice", func(gs *types.GenesisState) {
			gs.Pools = append(gs.Pools, gs.Pools[0])
		}},
		{"invalid pool", func(gs *types.GenesisState) {
			gs.Pools[0].MindReserve = math.NewInt(-1)
		}},
		{"position on a subnet without a listed pool", func(gs *types.GenesisState) {
			gs.AlphaStakes = append(gs.AlphaStakes, types.AlphaStake{Netuid: 2, Hotkey: addr(t, 1), Coldkey: addr(t, 2), Amount: math.NewInt(5)})
		}},
		{"position on an unknown subnet", func(gs *types.GenesisState) {
			gs.AlphaStakes[0].Netuid = 9
		}},
		{"position behind an unowned hotkey", func(gs *types.GenesisState) {
			gs.AlphaStakes[1].Hotkey = addr(t, 4)
		}},
		{"zero position", func(gs *types.GenesisState) {
			gs.AlphaStakes[1].Amount = math.ZeroInt()
			gs.Pools[0].AlphaOutstanding = math.NewInt(30)
		}},
		{"position listed twice", func(gs *types.GenesisState) {
			gs.AlphaStakes = append(gs.AlphaStakes, gs.AlphaStakes[1])
			gs.Pools[0].AlphaOutstanding = math.NewInt(54)
		}},
		{"outstanding above the sum", func(gs *types.GenesisState) {
			gs.Pools[0].AlphaOutstanding = math.NewInt(43)
		}},
		{"outstanding below the sum", func(gs *types.GenesisState) {
			gs.Pools[0].AlphaOutstanding = math.NewInt(41)
		}},
		{"outstanding without positions", func(gs *types.GenesisState) {
			gs.AlphaStakes = nil
		}},
	}
	for _, c := range cases {
		gs := marketGenesis(t)
		c.corrupt(gs)
		if err := gs.Validate(); !errors.Is(err, types.ErrInvalidGenesis) {
			t.Errorf("%s: got %v, want ErrInvalidGenesis", c.name, err)
		}
	}
}

func TestGenesisMarketRefusesBadPositionColdkey(t *testing.T) {
	gs := marketGenesis(t)
	gs.AlphaStakes[0].Coldkey = "cosmos1notours"
	if err := gs.ValidateAddresses(ac); err == nil {
		t.Fatal("an alpha stake with a malformed coldkey passed the address check")
	}
}
