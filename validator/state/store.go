package state

import (
	"fmt"
	"sync"
	"time"
)

// Store is the state shared by a validator's round loop and its submitter: every change goes
// through Update, which saves the file before it returns, so that what the process acts on is what
// a restart would find.
type Store struct {
	path string
	now  func() time.Time

	mu sync.Mutex
	s  State
}

// Open loads path, or starts an empty state for netuid and hotkey when there is no file. A file kept
// for another subnet or hotkey is refused: its scores and commits mean nothing here.
func Open(path string, netuid uint32, hotkey string, now func() time.Time) (*Store, error) {
	if now == nil {
		now = time.Now
	}
	s, err := Load(path)
	if err != nil {
		return nil, err
	}
	if s == nil {
		s = &State{Version: Version, Netuid: netuid, Hotkey: hotkey}
	}
	if s.Netuid != netuid || s.Hotkey != hotkey {
		return nil, fmt.Errorf("%w: %s belongs to netuid %d hotkey %s, not netuid %d hotkey %s; point state.path elsewhere",
			ErrFormat, path, s.Netuid, s.Hotkey, netuid, hotkey)
	}
	return &Store{path: path, now: now, s: *s}, nil
}

// Path is the state file.
func (st *Store) Path() string { return st.path }

// Snapshot returns a copy of the state.
func (st *Store) Snapshot() State {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.s.clone()
}

// Update applies change to a copy of the state and saves it; the state in memory changes only if
// the save succeeds.
func (st *Store) Update(change func(*State)) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	next := st.s.clone()
	change(&next)
	next.SavedAt = st.now().UTC().Format(time.RFC3339)
	if err := Save(st.path, &next); err != nil {
		return err
	}
	st.s = next
	return nil
}

func (s State) clone() State {
	out := s
	out.Scores = append(out.Scores[:0:0], s.Scores...)
	out.Pending = make([]Commit, len(s.Pending))
	for i, c := range s.Pending {
		c.Hash = append([]byte(nil), c.Hash...)
		c.Salt = append([]byte(nil), c.Salt...)
		c.UIDs = append([]uint32(nil), c.UIDs...)
		c.Weights = append([]uint32(nil), c.Weights...)
		out.Pending[i] = c
	}
	if s.Last != nil {
		last := *s.Last
		out.Last = &last
	}
	return out
}
