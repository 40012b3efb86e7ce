package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/mindnet/mindnet/validator/scoreboard"
)

// Version is the file format's version; Load refuses files of another.
const Version = 1

// ErrFormat marks a state file that cannot be used.
var ErrFormat = errors.New("state: bad state file")

// Commit is a weight commit whose reveal is still to come. It is saved before the commit is
// broadcast, so that a crash between broadcast and save cannot lose the salt of a commit the chain
// holds.
type Commit struct {
	Hash       []byte   `json:"hash"`
	Salt       []byte   `json:"salt"`
	UIDs       []uint32 `json:"uids"`
	Weights    []uint32 `json:"weights"`
	VersionKey uint64   `json:"version_key"`
	// Epoch is the tempo index of the commit's block (x/subnet/types.EpochIndex); while Height is 0
	// (broadcast not yet confirmed in a block) it is the index at the time of broadcast.
	Epoch  uint64 `json:"epoch"`
	Height int64  `json:"height"`
	TxHash string `json:"tx_hash,omitempty"`
}

// Confirmed reports whether the commit is known to be in a block.
func (c Commit) Confirmed() bool { return c.Height > 0 }

// Submission is the validator's last weight transaction that landed.
type Submission struct {
	Kind   string `json:"kind"` // set, commit or reveal
	Height int64  `json:"height"`
	Epoch  uint64 `json:"epoch"`
	TxHash string `json:"tx_hash"`
	UIDs   int    `json:"uids"`
}

// State is the whole file.
type State struct {
	Version int    `json:"version"`
	Netuid  uint32 `json:"netuid"`
	Hotkey  string `json:"hotkey"`
	// Alpha is the scoreboard's EMA step the scores were averaged with.
	Alpha   float64            `json:"alpha"`
	Scores  []scoreboard.Entry `json:"scores"`
	Pending []Commit           `json:"pending_commits"`
	Last    *Submission        `json:"last_submission,omitempty"`
	// RowAt is the block of the last set or commit: x/weights' weights_rate_limit counts from it
	// (reveals are not rate limited).
	RowAt   int64  `json:"row_at,omitempty"`
	Rounds  uint64 `json:"rounds"`
	SavedAt string `json:"saved_at,omitempty"` // RFC 3339, for people reading the file
}

// Load reads the state file. A missing file is not an error: it returns nil, nil.
func Load(path string) (*State, error) {
	bz, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read state %s: %w", path, err)
	}
	var s State
	if err := json.Unmarshal(bz, &s); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrFormat, path, err)
	}
	if s.Version != Version {
		return nil, fmt.Errorf("%w: %s has version %d, this validator reads %d", ErrFormat, path, s.Version, Version)
	}
	return &s, nil
}

// Save replaces the state file atomically.
func Save(path string, s *State) error {
	out := *s
	out.Version = Version
	out.Pending = slices.Clone(s.Pending)
	bz, err := json.MarshalIndent(&out, "", "  ")
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	return WriteFileAtomic(path, append(bz, '\n'), 0o600)
}

// WriteFileAtomic writes data to path so that readers and crashes see the old content or the new,
// never part of either: temp file in the same folder, fsync, rename, fsync of the folder (which makes
// the rename itself durable on Linux).
func WriteFileAtomic(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create temporary file in %s: %w", dir, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(perm); err != nil {
		return fmt.Errorf("chmod %s: %w", tmp.Name(), err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // not every platform can sync a folder; the rename is done either way
		_ = d.Close()
	}
	return nil
}
