package types_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"strconv"
	"testing"

	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	"github.com/mindnet/mindnet/x/weights/types"
)

type commitVector struct {
	Name       string   `json:"name"`
	Hotkey     string   `json:"hotkey"`
	Netuid     uint32   `json:"netuid"`
	UIDs       []uint32 `json:"uids"`
	Weights    []uint32 `json:"weights"`
	SaltHex    string   `json:"salt_hex"`
	VersionKey string   `json:"version_key"`
	Preimage   string   `json:"preimage_hex"`
	Hash       string   `json:"commit_hash_hex"`
}

// TestCommitHashVectors checks CommitHash against the published vectors, which an independent
// implementation (Python's hashlib) computed from the documented encoding.
func TestCommitHashVectors(t *testing.T) {
	bz, err := os.ReadFile("testdata/commit_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Vectors []commitVector `json:"vectors"`
	}
	if err := json.Unmarshal(bz, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Vectors) < 5 {
		t.Fatalf("%d vectors, want at least 5", len(doc.Vectors))
	}
	seen := map[string]string{}
	for _, v := range doc.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			salt, err := hex.DecodeString(v.SaltHex)
			if err != nil {
				t.Fatal(err)
			}
			vk, err := strconv.ParseUint(v.VersionKey, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			got := types.CommitHash(v.Hotkey, v.Netuid, v.UIDs, v.Weights, salt, vk)
			if hex.EncodeToString(got) != v.Hash {
				t.Fatalf("hash %x, want %s", got, v.Hash)
			}
			if len(got) != types.CommitHashSize {
				t.Fatalf("hash is %d bytes", len(got))
			}
			if prev, dup := seen[v.Hash]; dup {
				t.Fatalf("same hash as vector %q", prev)
			}
			seen[v.Hash] = v.Name
		})
	}
}

// TestCommitHashBindsEveryField: changing any one input changes the hash.
func TestCommitHashBindsEveryField(t *testing.T) {
	base := func() (string, uint32, []uint32, []uint32, []byte, uint64) {
		return "mind1weskc6tyv96x7u3ddphhg6m90yknqvp32sjsu0", 3, []uint32{1, 2}, []uint32{10, 20}, []byte("saltsalt"), 1
	}
	h0 := types.CommitHash(base())
	variants := map[string]func() []byte{
		"hotkey":      func() []byte { _, n, u, w, s, v := base(); return types.CommitHash("mind1other", n, u, w, s, v) },
		"netuid":      func() []byte { h, _, u, w, s, v := base(); return types.CommitHash(h, 4, u, w, s, v) },
		"uid":         func() []byte { h, n, _, w, s, v := base(); return types.CommitHash(h, n, []uint32{1, 3}, w, s, v) },
		"weight":      func() []byte { h, n, u, _, s, v := base(); return types.CommitHash(h, n, u, []uint32{10, 21}, s, v) },
		"salt":        func() []byte { h, n, u, w, _, v := base(); return types.CommitHash(h, n, u, w, []byte("saltsalu"), v) },
		"version key": func() []byte { h, n, u, w, s, _ := base(); return types.CommitHash(h, n, u, w, s, 2) },
		// Moving an entry between the lists must not collide: each list has its own length.
		"list boundary": func() []byte {
			h, n, _, _, s, v := base()
			return types.CommitHash(h, n, []uint32{1, 2, 10}, []uint32{20}, s, v)
		},
	}
	for name, f := range variants {
		if bytes.Equal(f(), h0) {
			t.Errorf("changing the %s left the hash unchanged", name)
		}
	}
}

func TestRevealWindowIsTheTempoPeriodAfterTheCommitsTempo(t *testing.T) {
	const netuid, tempo = 1, 10
	for _, period := range []uint64{1, 2, 3} {
		for commit := int64(1); commit < 60; commit++ {
			start, end, err := types.RevealWindow(netuid, tempo, period, commit)
			if err != nil {
				t.Fatal(err)
			}
			e := subnettypes.EpochIndex(netuid, tempo, uint64(commit))
			// Every block of the window, and no block next to it, is in tempo e+period.
			if subnettypes.EpochIndex(netuid, tempo, uint64(start)) != e+period || subnettypes.EpochIndex(netuid, tempo, uint64(end)) != e+period {
				t.Fatalf("commit %d period %d: window [%d, %d] not in tempo %d", commit, period, start, end, e+period)
			}
			if subnettypes.EpochIndex(netuid, tempo, uint64(start-1)) == e+period || subnettypes.EpochIndex(netuid, tempo, uint64(end+1)) == e+period {
				t.Fatalf("commit %d period %d: window [%d, %d] is not the whole tempo", commit, period, start, end)
			}
			if end-start != tempo || !subnettypes.IsEpochBlock(netuid, tempo, uint64(end)) || start <= commit {
				t.Fatalf("commit %d period %d: window [%d, %d]", commit, period, start, end)
			}
		}
	}
	for name, args := range map[string][2]uint64{"tempo 0": {0, 1}, "period 0": {10, 0}, "overflow": {1 << 40, 1 << 40}} {
		if _, _, err := types.RevealWindow(netuid, args[0], args[1], 5); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
