package types_test

import (
	"errors"
	"slices"
	"testing"

	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/mindnet/mindnet/x/weights/types"
)

func TestMsgSetWeightsValidate(t *testing.T) {
	ac := addresscodec.NewBech32Codec("mind")
	hotkey, err := ac.BytesToString(sdk.AccAddress(make([]byte, 20)))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		msg  types.MsgSetWeights
		want error
	}{
		{"ok", types.MsgSetWeights{Hotkey: hotkey, Uids: []uint32{3, 1}, Weights: []uint32{0, 65535}}, nil},
		{"empty row", types.MsgSetWeights{Hotkey: hotkey}, nil},
		{"bad hotkey", types.MsgSetWeights{Hotkey: "cosmos1xyz", Uids: []uint32{1}, Weights: []uint32{1}}, types.ErrInvalidAddress},
		{"length mismatch", types.MsgSetWeights{Hotkey: hotkey, Uids: []uint32{1}, Weights: []uint32{1, 2}}, types.ErrLengthMismatch},
		{"duplicate", types.MsgSetWeights{Hotkey: hotkey, Uids: []uint32{4, 1, 4}, Weights: []uint32{1, 1, 1}}, types.ErrDuplicateUID},
		{"weight above u16", types.MsgSetWeights{Hotkey: hotkey, Uids: []uint32{1}, Weights: []uint32{65536}}, types.ErrWeightTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.msg.Validate(ac)
			if tc.want == nil && err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestExceedsMaxWeightIntegerTest(t *testing.T) {
	cases := []struct {
		weights  []uint32
		limit    uint32
		top      uint64
		exceeded bool
	}{
		{[]uint32{1, 1}, 32767, 32767, false}, // floor(65535/2) = 32767, at the limit
		{[]uint32{1, 1}, 32766, 32767, true},  // one above
		{[]uint32{2, 1}, 43690, 43690, false}, // floor(2*65535/3)
		{[]uint32{5}, 65534, 65535, true},     // a lone weight is the whole row
		{[]uint32{5}, 65535, 65535, false},    // the limit 65535 never binds
		{[]uint32{0, 0}, 0, 0, false},         // an all-zero row has no share
		{[]uint32{65535, 65535, 65535}, 21845, 21845, false},
	}
	for _, tc := range cases {
		top, exceeded := types.ExceedsMaxWeight(tc.weights, tc.limit)
		if top != tc.top || exceeded != tc.exceeded {
			t.Errorf("ExceedsMaxWeight(%v, %d) = %d, %v; want %d, %v", tc.weights, tc.limit, top, exceeded, tc.top, tc.exceeded)
		}
	}
}

func TestNormaliseRow(t *testing.T) {
	uids, ws := types.NormaliseRow([]uint32{9, 2, 5, 7}, []uint32{3, 0, 6, 1})
	if !slices.Equal(uids, []uint32{5, 7, 9}) || !slices.Equal(ws, []uint32{65535, 10923, 32768}) {
		t.Fatalf("got %v %v", uids, ws)
	}
	uids, ws = types.NormaliseRow([]uint32{1, 2}, []uint32{0, 0})
	if len(uids) != 0 || len(ws) != 0 {
		t.Fatalf("all-zero row stored as %v %v", uids, ws)
	}
}

func TestIsSelfWeight(t *testing.T) {
	if !types.IsSelfWeight(3, []uint32{3}) || types.IsSelfWeight(3, []uint32{3, 4}) || types.IsSelfWeight(3, []uint32{4}) || types.IsSelfWeight(3, nil) {
		t.Fatal("IsSelfWeight disagrees with subtensor's is_self_weight")
	}
}

// FuzzRowChecks: no input panics the stateless checks, and every row they accept normalises to a row
// of the stored shape with the same non-zero UIDs.
func FuzzRowChecks(f *testing.F) {
	f.Add([]byte{1, 0, 2, 0, 3, 0}, []byte{10, 0, 20, 0, 0, 0})
	f.Add([]byte{}, []byte{})
	f.Add([]byte{1, 0, 1, 0}, []byte{255, 255, 1, 0})
	f.Fuzz(func(t *testing.T, rawUIDs, rawWeights []byte) {
		uids := u16s(rawUIDs)
		weights := make([]uint32, 0, len(rawWeights)/3)
		for i := 0; i+2 < len(rawWeights); i += 3 {
			weights = append(weights, uint32(rawWeights[i])|uint32(rawWeights[i+1])<<8|uint32(rawWeights[i+2]&1)<<16)
		}
		if err := types.CheckRowShape(uids, weights); err != nil {
			return
		}
		types.ExceedsMaxWeight(weights, uint32(len(rawUIDs)))
		outUIDs, outWeights := types.NormaliseRow(uids, weights)
		row := types.WeightRow{Uids: outUIDs, Weights: outWeights}
		if err := row.ValidateStored(); err != nil {
			t.Fatalf("normalised row %v invalid: %v", row, err)
		}
		if len(outUIDs) != types.NonZero(weights) {
			t.Fatalf("%d entries stored, %d non-zero given", len(outUIDs), types.NonZero(weights))
		}
	})
}

func u16s(b []byte) []uint32 {
	out := make([]uint32, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		out = append(out, uint32(b[i])|uint32(b[i+1])<<8)
	}
	return out
}

// FuzzMessageChecks: no input panics the stateless checks of any weight message, and whatever they
// accept has the shape the keeper relies on: a 32-byte hash, a salt within bounds, rows of equal
// lengths with no UID twice and u16 weights, batches of 1..MaxBatchEntries distinct netuids.
func FuzzMessageChecks(f *testing.F) {
	ac := addresscodec.NewBech32Codec("mind")
	hotkey, err := ac.BytesToString(sdk.AccAddress(make([]byte, 20)))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(hotkey, uint32(1), []byte{1, 0, 2, 0}, []byte{5, 0, 0, 7, 0, 0}, make([]byte, 32), make([]byte, 16), uint8(2))
	f.Add("mind1bad", uint32(0), []byte{}, []byte{}, []byte{1}, []byte{}, uint8(0))
	f.Add(hotkey, uint32(7), []byte{3, 0, 3, 0}, []byte{1, 0, 0, 1, 0, 0}, make([]byte, 31), make([]byte, 7), uint8(65))
	f.Add(hotkey, uint32(2), []byte{9, 0}, []byte{255, 255, 1}, make([]byte, 33), make([]byte, 65), uint8(1))
	f.Fuzz(func(t *testing.T, hk string, netuid uint32, rawUIDs, rawWeights, hash, salt []byte, batch uint8) {
		uids := u16s(rawUIDs)
		weights := make([]uint32, 0, len(rawWeights)/3)
		for i := 0; i+2 < len(rawWeights); i += 3 {
			weights = append(weights, uint32(rawWeights[i])|uint32(rawWeights[i+1])<<8|uint32(rawWeights[i+2]&1)<<16)
		}
		rowOK := func(u, w []uint32) {
			t.Helper()
			if len(u) != len(w) {
				t.Fatalf("accepted %d uids with %d weights", len(u), len(w))
			}
			seen := map[uint32]bool{}
			for i := range u {
				if seen[u[i]] || w[i] > types.MaxWeight {
					t.Fatalf("accepted row %v %v", u, w)
				}
				seen[u[i]] = true
			}
		}
		if (&types.MsgSetWeights{Hotkey: hk, Netuid: netuid, Uids: uids, Weights: weights}).Validate(ac) == nil {
			rowOK(uids, weights)
		}
		if (&types.MsgCommitWeights{Hotkey: hk, Netuid: netuid, CommitHash: hash}).Validate(ac) == nil && len(hash) != types.CommitHashSize {
			t.Fatalf("accepted a %d-byte hash", len(hash))
		}
		if (&types.MsgRevealWeights{Hotkey: hk, Netuid: netuid, Uids: uids, Weights: weights, Salt: salt}).Validate(ac) == nil {
			if len(salt) < types.MinSaltLength || len(salt) > types.MaxSaltLength {
				t.Fatalf("accepted a %d-byte salt", len(salt))
			}
			rowOK(uids, weights)
			// What passes the checks hashes without trouble, to a SHA-256 digest.
			if len(types.CommitHash(hk, netuid, uids, weights, salt, 0)) != types.CommitHashSize {
				t.Fatal("hash of an accepted reveal is not 32 bytes")
			}
		}
		entries := make([]types.WeightsEntry, int(batch))
		for i := range entries {
			// Netuids repeat when batch wraps past len(rawUIDs)+1, so duplicates get exercised.
			entries[i] = types.WeightsEntry{Netuid: netuid + uint32(i%(len(rawUIDs)+1)), Uids: uids, Weights: weights}
		}
		if (&types.MsgBatchSetWeights{Hotkey: hk, Entries: entries}).Validate(ac) == nil {
			if len(entries) == 0 || len(entries) > types.MaxBatchEntries {
				t.Fatalf("accepted a batch of %d", len(entries))
			}
			seen := map[uint32]bool{}
			for _, e := range entries {
				if seen[e.Netuid] {
					t.Fatalf("accepted netuid %d twice", e.Netuid)
				}
				seen[e.Netuid] = true
				rowOK(e.Uids, e.Weights)
			}
		}
	})
}

func TestMessageChecksNameTheirErrors(t *testing.T) {
	ac := addresscodec.NewBech32Codec("mind")
	hk, _ := ac.BytesToString(sdk.AccAddress(make([]byte, 20)))
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"commit short hash", (&types.MsgCommitWeights{Hotkey: hk, CommitHash: make([]byte, 31)}).Validate(ac), types.ErrInvalidCommitHash},
		{"commit bad hotkey", (&types.MsgCommitWeights{Hotkey: "x", CommitHash: make([]byte, 32)}).Validate(ac), types.ErrInvalidAddress},
		{"commit ok", (&types.MsgCommitWeights{Hotkey: hk, CommitHash: make([]byte, 32)}).Validate(ac), nil},
		{"reveal short salt", (&types.MsgRevealWeights{Hotkey: hk, Salt: make([]byte, 7)}).Validate(ac), types.ErrSaltLength},
		{"reveal long salt", (&types.MsgRevealWeights{Hotkey: hk, Salt: make([]byte, 65)}).Validate(ac), types.ErrSaltLength},
		{"reveal duplicate", (&types.MsgRevealWeights{Hotkey: hk, Salt: make([]byte, 8), Uids: []uint32{1, 1}, Weights: []uint32{1, 1}}).Validate(ac), types.ErrDuplicateUID},
		{"batch empty", (&types.MsgBatchSetWeights{Hotkey: hk}).Validate(ac), types.ErrEmptyBatch},
		{"batch too large", (&types.MsgBatchSetWeights{Hotkey: hk, Entries: make([]types.WeightsEntry, types.MaxBatchEntries+1)}).Validate(ac), types.ErrBatchTooLarge},
		{"batch duplicate netuid", (&types.MsgBatchSetWeights{Hotkey: hk, Entries: []types.WeightsEntry{{Netuid: 1}, {Netuid: 2}, {Netuid: 1}}}).Validate(ac), types.ErrDuplicateBatchNetuid},
		{"batch bad row", (&types.MsgBatchSetWeights{Hotkey: hk, Entries: []types.WeightsEntry{{Netuid: 1, Uids: []uint32{1}}}}).Validate(ac), types.ErrLengthMismatch},
		{"params bad pending bound", (&types.MsgUpdateParams{Authority: hk, Params: types.Params{MaxPendingCommits: 0}}).Validate(ac), types.ErrInvalidParams},
		{"params ok", (&types.MsgUpdateParams{Authority: hk, Params: types.DefaultParams()}).Validate(ac), nil},
	}
	for _, tc := range cases {
		if tc.want == nil && tc.err != nil || tc.want != nil && !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, tc.err, tc.want)
		}
	}
}
