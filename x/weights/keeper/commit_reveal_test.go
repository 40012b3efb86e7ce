package keeper_test

import (
	"reflect"
	"slices"
	"testing"

	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	"github.com/mindnet/mindnet/x/weights/types"
)

// TestCommitRevealThroughWindows walks one commit through its tempos: too early, wrong salt, revealed
// in the window, replayed, and a second commit revealed too late.
func TestCommitRevealThroughWindows(t *testing.T) {
	f := newFixture(t)
	f.openCRSubnet(1, 8, nil)
	hk := f.validator(1, 2, 5000)
	uids, ws := []uint32{5, 0, 3}, []uint32{20, 40, 10}

	res, err := f.commit(hk, 1, uids, ws, salt(1), 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Uid != 2 || res.RevealStart != crWindowStart || res.RevealEnd != crWindowEnd {
		t.Fatalf("commit response %v, want uid 2 window [%d, %d]", res, crWindowStart, crWindowEnd)
	}
	// A commit shows nothing and does not count as an update.
	if _, ok, _ := f.k.GetRow(f.ctx, 1, 2); ok {
		t.Fatal("a row was stored at commit")
	}
	if lu := f.subnets.neurons[neuronKey{1, 2}].LastUpdate; lu != 0 {
		t.Fatalf("last_update moved to %d at commit", lu)
	}

	unchanged := func(step string, err, want error) {
		t.Helper()
		before := f.exported()
		requireErrorIs(t, err, want)
		if !reflect.DeepEqual(before, f.exported()) {
			t.Fatalf("%s changed state", step)
		}
	}
	f.at(crWindowStart - 1)
	_, err = f.reveal(hk, 1, uids, ws, salt(1), 0)
	unchanged("too-early reveal", err, types.ErrRevealTooEarly)

	f.at(crWindowStart)
	_, err = f.reveal(hk, 1, uids, ws, salt(2), 0)
	unchanged("wrong salt", err, types.ErrRevealMismatch)
	_, err = f.reveal(hk, 1, []uint32{0, 3, 5}, []uint32{40, 10, 20}, salt(1), 0)
	unchanged("reordered row", err, types.ErrRevealMismatch)
	_, err = f.reveal(hk, 1, uids, ws, salt(1), 1)
	unchanged("other version key", err, types.ErrRevealMismatch)

	rev, err := f.reveal(hk, 1, uids, ws, salt(1), 0)
	if err != nil {
		t.Fatal(err)
	}
	if rev.Uid != 2 || rev.CommittedAt != crCommitHeight || rev.DroppedEntries != 0 {
		t.Fatalf("reveal response %v", rev)
	}
	row, ok, _ := f.k.GetRow(f.ctx, 1, 2)
	want := types.WeightRow{Netuid: 1, Uid: 2, Uids: []uint32{0, 3, 5}, Weights: []uint32{65535, 16384, 32768}, SetAt: crWindowStart}
	if !ok || !row.Equal(want) {
		t.Fatalf("row %v, want %v", row, want)
	}
	if lu := f.subnets.neurons[neuronKey{1, 2}].LastUpdate; lu != crWindowStart {
		t.Fatalf("last_update %d, want the reveal's block %d", lu, crWindowStart)
	}
	if evs := f.events(types.EventTypeWeightsRevealed); len(evs) != 1 || evs[0][types.AttributeKeyCommittedAt] != "100" {
		t.Fatalf("revealed events %v", evs)
	}

	f.at(crWindowStart + 1)
	_, err = f.reveal(hk, 1, uids, ws, salt(1), 0)
	unchanged("replayed reveal", err, types.ErrAlreadyRevealed)

	// A second commit (made in the same tempo, so with the same window) left until after its window.
	f.at(crCommitHeight + 1)
	if _, err := f.commit(hk, 1, []uint32{1}, []uint32{1}, salt(3), 0); err != nil {
		t.Fatal(err)
	}
	f.at(crWindowEnd + 1)
	_, err = f.reveal(hk, 1, []uint32{1}, []uint32{1}, salt(3), 0)
	unchanged("too-late reveal", err, types.ErrRevealTooLate)
}

func TestRevealAtBothEdgesOfTheWindow(t *testing.T) {
	for _, at := range []int64{crWindowStart, crWindowEnd} {
		f := newFixture(t)
		f.openCRSubnet(1, 8, nil)
		hk := f.validator(1, 0, 5000)
		if _, err := f.commit(hk, 1, []uint32{1}, []uint32{1}, salt(1), 0); err != nil {
			t.Fatal(err)
		}
		f.at(at)
		if _, err := f.reveal(hk, 1, []uint32{1}, []uint32{1}, salt(1), 0); err != nil {
			t.Fatalf("reveal at block %d: %v", at, err)
		}
	}
}

// TestRevealWindowFollowsCommitRevealPeriod: with a period of 3 tempos the window is the third tempo
// after the commit's.
func TestRevealWindowFollowsCommitRevealPeriod(t *testing.T) {
	f := newFixture(t)
	f.openCRSubnet(1, 8, func(h *subnettypes.Hyperparameters) { h.CommitRevealPeriod = 3 })
	hk := f.validator(1, 0, 5000)
	res, err := f.commit(hk, 1, []uint32{1}, []uint32{1}, salt(1), 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.RevealStart != crWindowStart+2*(crTempo+1) || res.RevealEnd != crWindowEnd+2*(crTempo+1) {
		t.Fatalf("window [%d, %d]", res.RevealStart, res.RevealEnd)
	}
	f.at(crWindowEnd) // the window a period of 1 would have used
	requireErrorIs(t, func() error { _, err := f.reveal(hk, 1, []uint32{1}, []uint32{1}, salt(1), 0); return err }(), types.ErrRevealTooEarly)
	f.at(res.RevealStart)
	if _, err := f.reveal(hk, 1, []uint32{1}, []uint32{1}, salt(1), 0); err != nil {
		t.Fatal(err)
	}
}

// TestCommitsExpireLazilyAndAreCounted: expired commits stay until the UID's next commit or reveal,
// which drops them and counts them in weights_commits_expired; revealed ones are dropped uncounted.
func TestCommitsExpireLazilyAndAreCounted(t *testing.T) {
	f := newFixture(t)
	f.openCRSubnet(1, 8, nil)
	hk := f.validator(1, 0, 5000)
	for i := range byte(3) {
		if _, err := f.commit(hk, 1, []uint32{1}, []uint32{uint32(i) + 1}, salt(i), 0); err != nil {
			t.Fatal(err)
		}
	}
	f.at(crWindowStart)
	if _, err := f.reveal(hk, 1, []uint32{1}, []uint32{1}, salt(0), 0); err != nil {
		t.Fatal(err)
	}
	f.at(crWindowEnd + 1)
	if got := len(f.exported().Commits[0].Commits); got != 3 {
		t.Fatalf("%d commits stored before the next commit, want 3 (expiry is lazy)", got)
	}
	if _, err := f.commit(hk, 1, []uint32{2}, []uint32{1}, salt(9), 0); err != nil {
		t.Fatal(err)
	}
	q := f.exported().Commits[0]
	if len(q.Commits) != 1 || q.Commits[0].CommittedAt != crWindowEnd+1 {
		t.Fatalf("queue after expiry %v, want only the new commit", q)
	}
	evs := f.events(types.EventTypeCommitsExpired)
	if len(evs) != 1 || evs[0][types.AttributeKeyCount] != "2" || evs[0][types.AttributeKeyUID] != "0" {
		t.Fatalf("expired events %v, want one counting 2", evs)
	}
}

func TestPendingCommitsBoundedByParam(t *testing.T) {
	f := newFixture(t)
	f.openCRSubnet(1, 8, nil)
	hk := f.validator(1, 0, 5000)
	for i := range byte(types.DefaultMaxPendingCommits) {
		if _, err := f.commit(hk, 1, []uint32{1}, []uint32{1}, salt(i), 0); err != nil {
			t.Fatal(err)
		}
	}
	before := f.exported()
	_, err := f.commit(hk, 1, []uint32{1}, []uint32{1}, salt(99), 0)
	requireErrorIs(t, err, types.ErrTooManyPendingCommits)
	if !reflect.DeepEqual(before, f.exported()) {
		t.Fatal("refused commit changed state")
	}
	// A revealed commit no longer counts as pending.
	f.at(crWindowStart)
	if _, err := f.reveal(hk, 1, []uint32{1}, []uint32{1}, salt(0), 0); err != nil {
		t.Fatal(err)
	}
	if _, err := f.commit(hk, 1, []uint32{1}, []uint32{1}, salt(99), 0); err != nil {
		t.Fatalf("commit after a reveal freed a slot: %v", err)
	}
	// The bound is a param.
	if err := f.k.UpdateParams(f.ctx, f.k.Authority(), types.Params{GasPerWeight: 1, MaxPendingCommits: 8}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.commit(hk, 1, []uint32{1}, []uint32{1}, salt(100), 0); err != nil {
		t.Fatalf("commit under a raised bound: %v", err)
	}
}

// TestCommitRefusals: each rule of a commit is its own named error and changes nothing.
func TestCommitRefusals(t *testing.T) {
	cases := []struct {
		name   string
		setup  func(f *fixture)
		hotkey func(f *fixture) string
		netuid uint32
		hash   []byte
		want   error
	}{
		{name: "bad address", hotkey: func(*fixture) string { return "mind1nope" }, netuid: 1, want: types.ErrInvalidAddress},
		{name: "hash not 32 bytes", netuid: 1, hash: make([]byte, 20), want: types.ErrInvalidCommitHash},
		{name: "unknown subnet", netuid: 9, want: types.ErrUnknownSubnet},
		{name: "commit-reveal off", setup: func(f *fixture) { f.openSubnet(2, 4, nil); f.validator(2, 0, 5000) },
			hotkey: func(f *fixture) string { return f.str(f.hotkey(2, 0)) }, netuid: 2, want: types.ErrCommitRevealDisabled},
		{name: "hotkey holds no uid", hotkey: func(f *fixture) string { return f.str(account("stranger")) }, netuid: 1, want: types.ErrHotkeyNotRegistered},
		{name: "no validator permit", hotkey: func(f *fixture) string { return f.str(f.hotkey(1, 5)) }, netuid: 1, want: types.ErrNoValidatorPermit},
		{name: "stake below min", hotkey: func(f *fixture) string { return f.str(f.validator(1, 4, 999)) }, netuid: 1, want: types.ErrInsufficientStake},
		{name: "tempo 0", setup: func(f *fixture) {
			f.openCRSubnet(3, 4, func(h *subnettypes.Hyperparameters) { h.Tempo = 0 })
			f.validator(3, 0, 5000)
		}, hotkey: func(f *fixture) string { return f.str(f.hotkey(3, 0)) }, netuid: 3, want: types.ErrNoEpochs},
		{name: "duplicate hash", netuid: 1, hash: types.CommitHash("", 0, nil, nil, salt(1), 0), want: types.ErrDuplicateCommit},
		{name: "rate limited", setup: func(f *fixture) {
			f.openCRSubnet(4, 4, func(h *subnettypes.Hyperparameters) { h.WeightsRateLimit = 5 })
			f.validator(4, 0, 5000)
			if _, err := f.commit(f.hotkey(4, 0), 4, []uint32{1}, []uint32{1}, salt(1), 0); err != nil {
				f.t.Fatal(err)
			}
			f.at(crCommitHeight + 4)
		}, hotkey: func(f *fixture) string { return f.str(f.hotkey(4, 0)) }, netuid: 4, want: types.ErrRateLimited},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.openCRSubnet(1, 8, nil)
			hk := f.validator(1, 0, 5000)
			// A pending commit whose hash the duplicate case reuses.
			if _, err := f.msgs.CommitWeights(f.ctx, &types.MsgCommitWeights{Hotkey: f.str(hk), Netuid: 1, CommitHash: types.CommitHash("", 0, nil, nil, salt(1), 0)}); err != nil {
				t.Fatal(err)
			}
			if tc.setup != nil {
				tc.setup(f)
			}
			hotkey := f.str(hk)
			if tc.hotkey != nil {
				hotkey = tc.hotkey(f)
			}
			hash := tc.hash
			if hash == nil {
				hash = types.CommitHash(hotkey, tc.netuid, []uint32{1}, []uint32{1}, salt(42), 0)
			}
			before := f.exported()
			_, err := f.msgs.CommitWeights(f.ctx, &types.MsgCommitWeights{Hotkey: hotkey, Netuid: tc.netuid, CommitHash: hash})
			requireErrorIs(t, err, tc.want)
			if !reflect.DeepEqual(before, f.exported()) {
				t.Fatal("refused commit changed state")
			}
		})
	}
}

// TestRevealChecksTheRowLikeSetWeights: a commit hides the row, so the row's rules bind at reveal;
// each refusal is the same named error set-weights gives, and the commit stays pending.
func TestRevealChecksTheRowLikeSetWeights(t *testing.T) {
	cases := []struct {
		name    string
		hp      func(*subnettypes.Hyperparameters)
		uids    []uint32
		weights []uint32
		version uint64
		hotkey  func(f *fixture) []byte
		want    error
	}{
		{name: "too few weights", hp: func(h *subnettypes.Hyperparameters) { h.MinAllowedWeights = 3 }, uids: []uint32{1, 2}, weights: []uint32{1, 1}, want: types.ErrTooFewWeights},
		{name: "above max_weight_limit", hp: func(h *subnettypes.Hyperparameters) { h.MaxWeightLimit = 32767 }, uids: []uint32{1, 2}, weights: []uint32{2, 1}, want: types.ErrMaxWeightExceeded},
		{name: "outdated version key", hp: func(h *subnettypes.Hyperparameters) { h.WeightsVersionKey = 3 }, uids: []uint32{1}, weights: []uint32{1}, version: 2, want: types.ErrOutdatedVersionKey},
		{name: "uid out of range", uids: []uint32{1, 8}, weights: []uint32{1, 1}, want: types.ErrUIDOutOfRange},
		{name: "owner weights others without permit", uids: []uint32{1, 7}, weights: []uint32{1, 1},
			hotkey: func(f *fixture) []byte { return f.makeOwnerNeuron(1, 7, 5000) }, want: types.ErrOwnerSelfWeightOnly},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.openCRSubnet(1, 8, nil)
			hk := f.validator(1, 0, 5000)
			if tc.hotkey != nil {
				hk = tc.hotkey(f)
			}
			if _, err := f.commit(hk, 1, tc.uids, tc.weights, salt(1), tc.version); err != nil {
				t.Fatal(err)
			}
			if tc.hp != nil {
				s := f.subnets.subnets[1]
				tc.hp(&s.Hyperparameters)
				f.subnets.subnets[1] = s
			}
			f.at(crWindowStart)
			before := f.exported()
			_, err := f.reveal(hk, 1, tc.uids, tc.weights, salt(1), tc.version)
			requireErrorIs(t, err, tc.want)
			if !reflect.DeepEqual(before, f.exported()) {
				t.Fatal("refused reveal changed state")
			}
		})
	}
}

func TestRevealRefusals(t *testing.T) {
	f := newFixture(t)
	f.openCRSubnet(1, 8, nil)
	f.openSubnet(2, 8, nil)
	hk := f.validator(1, 0, 5000)
	f.validator(2, 0, 5000)
	f.at(crWindowStart)
	_, err := f.reveal(hk, 1, []uint32{1}, []uint32{1}, salt(1), 0)
	requireErrorIs(t, err, types.ErrNoPendingCommit)
	_, err = f.reveal(f.hotkey(2, 0), 2, []uint32{1}, []uint32{1}, salt(1), 0)
	requireErrorIs(t, err, types.ErrCommitRevealDisabled)
	_, err = f.reveal(hk, 1, []uint32{1}, []uint32{1}, []byte("short"), 0)
	requireErrorIs(t, err, types.ErrSaltLength)
	_, err = f.reveal(account("stranger"), 1, []uint32{1}, []uint32{1}, salt(1), 0)
	requireErrorIs(t, err, types.ErrHotkeyNotRegistered)
	// Set-weights is refused while commit-reveal is on.
	requireErrorIs(t, f.set(hk, 1, []uint32{1}, []uint32{1}, 0), types.ErrCommitRevealEnabled)
}

func TestOwnerCommitsAndRevealsSelfWeightWithoutPermit(t *testing.T) {
	f := newFixture(t)
	f.openCRSubnet(1, 8, nil)
	owner := f.makeOwnerNeuron(1, 3, 5000)
	if _, err := f.commit(owner, 1, []uint32{3}, []uint32{9}, salt(1), 0); err != nil {
		t.Fatal(err)
	}
	f.at(crWindowStart)
	if _, err := f.reveal(owner, 1, []uint32{3}, []uint32{9}, salt(1), 0); err != nil {
		t.Fatal(err)
	}
	row, ok, _ := f.k.GetRow(f.ctx, 1, 3)
	if !ok || !slices.Equal(row.Weights, []uint32{types.MaxWeight}) {
		t.Fatalf("row %v", row)
	}
}

// TestRevealAfterUIDChangedHandsGivesTheNewHolderNothing is the attack of subtensor issue 1787: a
// validator commits weights that favour UID 3; before the reveal the attacker gets UID 3 pruned and
// registers into it. At reveal, the weight committed for the old holder of UID 3 must not reach the
// attacker, while the entries for UIDs that did not change hands are stored. The same holds for a
// registration in the commit's own block; a registration before the commit keeps its entry.
func TestRevealAfterUIDChangedHandsGivesTheNewHolderNothing(t *testing.T) {
	f := newFixture(t)
	f.openCRSubnet(1, 8, nil)
	validator := f.validator(1, 0, 5000)
	attacker := account("attacker")

	// UID 5 changed hands before the commit (at block 99): the validator saw its new holder.
	f.at(crCommitHeight - 1)
	f.replaceNeuron(1, 5, account("earlier"), crCommitHeight-1)
	f.at(crCommitHeight)
	// UID 6 changes hands in the commit's own block, after the commit in that block's order.
	uids, ws := []uint32{1, 3, 5, 6}, []uint32{10, 60000, 20, 30}
	if _, err := f.commit(validator, 1, uids, ws, salt(7), 0); err != nil {
		t.Fatal(err)
	}
	f.replaceNeuron(1, 6, account("same-block"), crCommitHeight)

	// Between commit and reveal, UID 3 (the miner the validator rates highest) is pruned and the
	// attacker registers into it.
	f.at(crCommitHeight + 5)
	f.replaceNeuron(1, 3, attacker, crCommitHeight+5)

	f.at(crWindowStart)
	res, err := f.reveal(validator, 1, uids, ws, salt(7), 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.DroppedEntries != 2 {
		t.Fatalf("dropped %d entries, want 2 (UIDs 3 and 6)", res.DroppedEntries)
	}
	row, ok, _ := f.k.GetRow(f.ctx, 1, 0)
	if !ok {
		t.Fatal("no row stored")
	}
	if slices.Contains(row.Uids, 3) || slices.Contains(row.Uids, 6) {
		t.Fatalf("row %v reaches a UID that changed hands after the commit", row)
	}
	if !slices.Equal(row.Uids, []uint32{1, 5}) || !slices.Equal(row.Weights, []uint32{32768, 65535}) {
		t.Fatalf("row %v, want uids [1 5] scaled over what was kept", row)
	}
	// Nothing anywhere gives the attacker's UID weight.
	err = f.k.IterateRows(f.ctx, 1, func(uid uint32, r types.WeightRow) (bool, error) {
		if slices.Contains(r.Uids, 3) {
			t.Errorf("row of uid %d weights the attacker's UID 3: %v", uid, r)
		}
		return false, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if lu := f.subnets.neurons[neuronKey{1, 0}].LastUpdate; lu != crWindowStart {
		t.Fatalf("last_update %d, want the reveal's block %d", lu, crWindowStart)
	}
}

// TestHandOverDropsTheOldHoldersCommits: the UID's commits go with its old holder.
func TestHandOverDropsTheOldHoldersCommits(t *testing.T) {
	f := newFixture(t)
	f.openCRSubnet(1, 8, nil)
	hk := f.validator(1, 2, 5000)
	if _, err := f.commit(hk, 1, []uint32{1}, []uint32{1}, salt(1), 0); err != nil {
		t.Fatal(err)
	}
	newHolder := account("new-holder")
	f.replaceNeuron(1, 2, newHolder, crCommitHeight+1)
	if gs := f.exported(); len(gs.Commits) != 0 {
		t.Fatalf("commits survived the hand-over: %v", gs.Commits)
	}
	f.at(crWindowStart)
	_, err := f.reveal(newHolder, 1, []uint32{1}, []uint32{1}, salt(1), 0)
	requireErrorIs(t, err, types.ErrNoPendingCommit)
	if err := f.k.Hooks().AfterSubnetDissolved(f.ctx, 1); err != nil {
		t.Fatal(err)
	}
}
