package state

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/mindnet/mindnet/validator/scoreboard"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "state.json")
	s := &State{Netuid: 2, Hotkey: "mind1v", Alpha: 0.1, Rounds: 7, RowAt: 40,
		Scores:  []scoreboard.Entry{{UID: 1, Hotkey: "mind1a", EMA: 0.5, Count: 3}},
		Pending: []Commit{{Hash: []byte{1, 2}, Salt: []byte{3}, UIDs: []uint32{1}, Weights: []uint32{65535}, Epoch: 4, Height: 40}},
		Last:    &Submission{Kind: "commit", Height: 40, Epoch: 4, TxHash: "AB", UIDs: 1},
	}
	if err := Save(path, s); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Version = Version
	if !reflect.DeepEqual(got, s) {
		t.Fatalf("got %+v\nwant %+v", got, s)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v %v", info.Mode(), err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("temporary files left: %v", entries)
	}
}

func TestLoadMissingAndBad(t *testing.T) {
	dir := t.TempDir()
	if s, err := Load(filepath.Join(dir, "none.json")); s != nil || err != nil {
		t.Fatalf("missing file: %v %v", s, err)
	}
	bad := filepath.Join(dir, "bad.json")
	for _, body := range []string{"{", `{"version": 99}`} {
		if err := os.WriteFile(bad, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(bad); !errors.Is(err, ErrFormat) {
			t.Errorf("%q: %v", body, err)
		}
	}
}

// TestFailedSaveChangesNothing: when the file cannot be replaced (here a folder stands in its way,
// which stops root too), Update leaves the state in memory as it was and leaves no temporary file.
func TestFailedSaveChangesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	st, err := Open(path, 1, "mind1v", func() time.Time { return time.Unix(0, 0) })
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Update(func(s *State) { s.Rounds = 1 }); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(path, "occupied"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := st.Update(func(s *State) { s.Rounds = 2 }); err == nil {
		t.Fatal("save over a folder succeeded")
	}
	if st.Snapshot().Rounds != 1 {
		t.Fatal("memory changed though the save failed")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("temporary file left behind: %v", entries)
	}
}

// TestOpenRefusesAnotherValidatorsFile: a state file kept for another subnet or hotkey is refused.
func TestOpenRefusesAnotherValidatorsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	st, err := Open(path, 1, "mind1v", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Update(func(*State) {}); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, 2, "mind1v", nil); !errors.Is(err, ErrFormat) {
		t.Fatalf("other netuid: %v", err)
	}
	if _, err := Open(path, 1, "mind1w", nil); !errors.Is(err, ErrFormat) {
		t.Fatalf("other hotkey: %v", err)
	}
	if _, err := Open(path, 1, "mind1v", nil); err != nil {
		t.Fatal(err)
	}
}

// TestSnapshotIsACopy: changing a snapshot does not change the store.
func TestSnapshotIsACopy(t *testing.T) {
	st, err := Open(filepath.Join(t.TempDir(), "s.json"), 1, "v", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Update(func(s *State) { s.Pending = []Commit{{Salt: []byte{1}}} }); err != nil {
		t.Fatal(err)
	}
	snap := st.Snapshot()
	snap.Pending[0].Salt[0] = 9
	if st.Snapshot().Pending[0].Salt[0] != 1 {
		t.Fatal("snapshot shares memory with the store")
	}
}
