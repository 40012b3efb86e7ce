package keeper_test

import (
	"reflect"
	"slices"
	"testing"

	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	"github.com/mindnet/mindnet/x/weights/types"
)

// openRoot makes the root subnet (netuid 0) with commit-reveal off and subnets 1..3 to weight.
func (f *fixture) openRoot() {
	f.openSubnet(0, 4, nil)
	for n := uint32(1); n <= 3; n++ {
		f.openSubnet(n, 2, nil)
	}
}

// TestRootRowsTargetSubnets: a root member weights netuids, without a validator permit; the root and
// unknown netuids are refused by name.
func TestRootRowsTargetSubnets(t *testing.T) {
	f := newFixture(t)
	f.openRoot()
	member := f.hotkey(0, 1)
	f.subnets.stake[string(member)] = f.subnets.subnets[0].Hyperparameters.MinValidatorStake
	if err := f.set(member, 0, []uint32{3, 1}, []uint32{1, 3}, 0); err != nil {
		t.Fatal(err)
	}
	row, ok, _ := f.k.GetRow(f.ctx, 0, 1)
	if !ok || !slices.Equal(row.Uids, []uint32{1, 3}) || !slices.Equal(row.Weights, []uint32{65535, 21845}) {
		t.Fatalf("root row %v", row)
	}
	f.at(101)
	for name, tc := range map[string]struct {
		uids []uint32
		want error
	}{
		"root targets itself": {[]uint32{0, 1}, types.ErrInvalidRootTarget},
		"unknown netuid":      {[]uint32{1, 9}, types.ErrInvalidRootTarget},
		"netuid beyond uids":  {[]uint32{1, 2, 3}, nil}, // netuid 3 >= root's 4 UIDs is fine: targets are netuids
		"duplicate target":    {[]uint32{2, 2}, types.ErrDuplicateUID},
		"not a root member":   {nil, types.ErrHotkeyNotRegistered},
		"below min stake":     {[]uint32{1}, types.ErrInsufficientStake},
	} {
		t.Run(name, func(t *testing.T) {
			signer := member
			ws := make([]uint32, len(tc.uids))
			for i := range ws {
				ws[i] = 1
			}
			switch name {
			case "not a root member":
				signer, tc.uids, ws = f.hotkey(1, 0), []uint32{1}, []uint32{1}
			case "below min stake":
				signer = f.hotkey(0, 2)
			}
			before := f.exported()
			err := f.set(signer, 0, tc.uids, ws, 0)
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			requireErrorIs(t, err, tc.want)
			if !reflect.DeepEqual(before, f.exported()) {
				t.Fatal("refused root row changed state")
			}
		})
	}
}

// TestRootMinAllowedWeightsCappedBySubnetCount: min_allowed_weights on the root counts at most the
// subnets there are to weight.
func TestRootMinAllowedWeightsCappedBySubnetCount(t *testing.T) {
	f := newFixture(t)
	f.openRoot()
	s := f.subnets.subnets[0]
	s.Hyperparameters.MinAllowedWeights = 10
	f.subnets.subnets[0] = s
	member := f.hotkey(0, 0)
	f.subnets.stake[string(member)] = s.Hyperparameters.MinValidatorStake
	requireErrorIs(t, f.set(member, 0, []uint32{1, 2}, []uint32{1, 1}, 0), types.ErrTooFewWeights)
	if err := f.set(member, 0, []uint32{1, 2, 3}, []uint32{1, 1, 1}, 0); err != nil {
		t.Fatalf("a row over all 3 subnets: %v", err)
	}
}

// TestRootRevealDropsSubnetsCreatedAfterTheCommit: on the root the targets are netuids; a netuid whose
// subnet was replaced by a new one after the commit gets nothing from it.
func TestRootRevealDropsSubnetsCreatedAfterTheCommit(t *testing.T) {
	f := newFixture(t)
	f.openRoot()
	root := f.subnets.subnets[0]
	root.Hyperparameters.CommitRevealEnabled, root.Hyperparameters.Tempo, root.Hyperparameters.CommitRevealPeriod = true, crTempo, 1
	f.subnets.subnets[0] = root
	member := f.hotkey(0, 0)
	f.subnets.stake[string(member)] = root.Hyperparameters.MinValidatorStake
	res, err := f.commit(member, 0, []uint32{1, 2}, []uint32{5, 5}, salt(1), 0)
	if err != nil {
		t.Fatal(err)
	}
	replaced := f.subnets.subnets[2]
	replaced.RegisteredAt = crCommitHeight + 3
	f.subnets.subnets[2] = replaced
	f.at(res.RevealStart)
	rev, err := f.reveal(member, 0, []uint32{1, 2}, []uint32{5, 5}, salt(1), 0)
	if err != nil {
		t.Fatal(err)
	}
	row, _, _ := f.k.GetRow(f.ctx, 0, 0)
	if rev.DroppedEntries != 1 || !slices.Equal(row.Uids, []uint32{1}) {
		t.Fatalf("dropped %d, row %v; want netuid 2 dropped", rev.DroppedEntries, row)
	}
}

func TestBatchSetWeightsSetsEachSubnet(t *testing.T) {
	f := newFixture(t)
	f.openSubnet(1, 4, nil)
	f.openSubnet(2, 4, nil)
	// One hotkey with a UID and a permit on both subnets: UID 0 on 1, UID 2 on 2.
	hk := f.validator(1, 0, 5000)
	n := f.subnets.neurons[neuronKey{2, 2}]
	n.Hotkey, n.Scores.ValidatorPermit = f.str(hk), true
	f.subnets.neurons[neuronKey{2, 2}] = n
	f.subnets.uids[uidKey(2, hk)] = 2
	res, err := f.msgs.BatchSetWeights(f.ctx, &types.MsgBatchSetWeights{Hotkey: f.str(hk), Entries: []types.WeightsEntry{
		{Netuid: 2, Uids: []uint32{0, 1}, Weights: []uint32{1, 2}},
		{Netuid: 1, Uids: []uint32{3}, Weights: []uint32{7}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Uids, []uint32{2, 0}) {
		t.Fatalf("uids %v, want [2 0] in entry order", res.Uids)
	}
	if _, ok, _ := f.k.GetRow(f.ctx, 2, 2); !ok {
		t.Fatal("no row on netuid 2")
	}
	if _, ok, _ := f.k.GetRow(f.ctx, 1, 0); !ok {
		t.Fatal("no row on netuid 1")
	}
	// An entry is checked like MsgSetWeights; the error names the entry.
	f.at(101)
	_, err = f.msgs.BatchSetWeights(f.ctx, &types.MsgBatchSetWeights{Hotkey: f.str(hk), Entries: []types.WeightsEntry{
		{Netuid: 1, Uids: []uint32{3}, Weights: []uint32{7}},
		{Netuid: 2, Uids: []uint32{9}, Weights: []uint32{1}},
	}})
	requireErrorIs(t, err, types.ErrUIDOutOfRange)
	_, err = f.msgs.BatchSetWeights(f.ctx, &types.MsgBatchSetWeights{Hotkey: f.str(hk), Entries: []types.WeightsEntry{{Netuid: 1}, {Netuid: 1}}})
	requireErrorIs(t, err, types.ErrDuplicateBatchNetuid)
}

func TestUpdateParamsOnlyByAuthority(t *testing.T) {
	f := newFixture(t)
	next := types.Params{GasPerWeight: 5, MaxPendingCommits: 2}
	_, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.str(account("someone")), Params: next})
	requireErrorIs(t, err, types.ErrInvalidAuthority)
	_, err = f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.k.Authority(), Params: types.Params{MaxPendingCommits: 0}})
	requireErrorIs(t, err, types.ErrInvalidParams)
	if _, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.k.Authority(), Params: next}); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.k.Params.Get(f.ctx); !got.Equal(next) {
		t.Fatalf("params %v, want %v", got, next)
	}
}

func TestIterateRowsInUIDOrderAndStops(t *testing.T) {
	f := newFixture(t)
	setRows(t, f, 1, 4)
	setRows(t, f, 2, 2)
	var seen []uint32
	if err := f.k.IterateRows(f.ctx, 1, func(uid uint32, r types.WeightRow) (bool, error) {
		if r.Netuid != 1 || r.Uid != uid {
			t.Fatalf("row %v for uid %d", r, uid)
		}
		seen = append(seen, uid)
		return uid == 2, nil
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seen, []uint32{0, 1, 2}) {
		t.Fatalf("saw %v, want [0 1 2] then stop", seen)
	}
}

func TestQueryPendingCommitsAndNextAllowedBlock(t *testing.T) {
	f := newFixture(t)
	f.openCRSubnet(1, 8, func(h *subnettypes.Hyperparameters) { h.WeightsRateLimit = 7 })
	f.openSubnet(2, 8, func(h *subnettypes.Hyperparameters) { h.WeightsRateLimit = 3 })
	hk := f.validator(1, 4, 5000)
	if _, err := f.commit(hk, 1, []uint32{1}, []uint32{1}, salt(1), 0); err != nil {
		t.Fatal(err)
	}
	res, err := f.queries.PendingCommits(f.ctx, &types.QueryPendingCommitsRequest{Netuid: 1, Hotkey: f.str(hk)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Uid != 4 || len(res.Commits) != 1 || res.Commits[0].RevealStart != crWindowStart || res.Commits[0].RevealEnd != crWindowEnd || res.Height != crCommitHeight {
		t.Fatalf("pending commits %v", res)
	}
	if _, err := f.queries.PendingCommits(f.ctx, &types.QueryPendingCommitsRequest{Netuid: 1, Hotkey: f.str(account("nobody"))}); err == nil {
		t.Fatal("unregistered hotkey answered")
	}
	next, err := f.queries.NextAllowedBlock(f.ctx, &types.QueryNextAllowedBlockRequest{Netuid: 1, Uid: 4})
	if err != nil || next.NextBlock != crCommitHeight+7 || !next.CommitReveal {
		t.Fatalf("next allowed under commit-reveal: %v %v", next, err)
	}
	next, err = f.queries.NextAllowedBlock(f.ctx, &types.QueryNextAllowedBlockRequest{Netuid: 1, Uid: 5})
	if err != nil || next.NextBlock != crCommitHeight+1 {
		t.Fatalf("next allowed for a fresh uid: %v %v", next, err)
	}
	hk2 := f.validator(2, 0, 5000)
	if err := f.set(hk2, 2, []uint32{1}, []uint32{1}, 0); err != nil {
		t.Fatal(err)
	}
	next, err = f.queries.NextAllowedBlock(f.ctx, &types.QueryNextAllowedBlockRequest{Netuid: 2, Uid: 0})
	if err != nil || next.NextBlock != crCommitHeight+3 || next.CommitReveal {
		t.Fatalf("next allowed for set-weights: %v %v", next, err)
	}
	if _, err := f.queries.NextAllowedBlock(f.ctx, &types.QueryNextAllowedBlockRequest{Netuid: 2, Uid: 99}); err == nil {
		t.Fatal("uid beyond the subnet answered")
	}
}
