package scoreboard

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/mindnet/mindnet/metagraph"
)

// DefaultAlpha is the moving average's step; the package documentation explains the choice.
const DefaultAlpha = 0.1

// Errors for bad input; nothing changes when one is returned.
var (
	ErrAlpha = errors.New("scoreboard: alpha must be in (0, 1]")
	ErrScore = errors.New("scoreboard: score must be a number in [0, 1]")
	ErrUID   = errors.New("scoreboard: UID out of range")
	ErrEntry = errors.New("scoreboard: bad saved entry")
)

// Entry is one UID's record; exported so that a validator can persist the board.
type Entry struct {
	UID    uint16  `json:"uid"`
	Hotkey string  `json:"hotkey"`
	EMA    float64 `json:"ema"`
	Count  uint64  `json:"count"` // scores observed since the UID last changed hands
}

// Board holds the moving averages. It is not safe for concurrent use: the validator's round loop owns it.
type Board struct {
	alpha   float64
	entries map[uint16]Entry
}

// New returns an empty board.
func New(alpha float64) (*Board, error) {
	if !(alpha > 0 && alpha <= 1) {
		return nil, fmt.Errorf("%w, got %v", ErrAlpha, alpha)
	}
	return &Board{alpha: alpha, entries: map[uint16]Entry{}}, nil
}

// Restore returns a board holding saved entries, as Entries returned them.
func Restore(alpha float64, saved []Entry) (*Board, error) {
	b, err := New(alpha)
	if err != nil {
		return nil, err
	}
	for _, e := range saved {
		if _, dup := b.entries[e.UID]; dup {
			return nil, fmt.Errorf("%w: UID %d twice", ErrEntry, e.UID)
		}
		if !validScore(e.EMA) || e.Hotkey == "" {
			return nil, fmt.Errorf("%w: UID %d hotkey %q ema %v", ErrEntry, e.UID, e.Hotkey, e.EMA)
		}
		b.entries[e.UID] = e
	}
	return b, nil
}

func validScore(s float64) bool { return s >= 0 && s <= 1 } // false for NaN

// Observe folds score into the UID's average. If the UID is recorded under another hotkey, its
// record is reset first.
func (b *Board) Observe(uid uint16, hotkey string, score float64) error {
	if !validScore(score) {
		return fmt.Errorf("%w, got %v for UID %d", ErrScore, score, uid)
	}
	e, ok := b.entries[uid]
	if !ok || e.Hotkey != hotkey {
		e = Entry{UID: uid, Hotkey: hotkey}
	}
	e.EMA = (1-b.alpha)*e.EMA + b.alpha*score
	e.Count++
	b.entries[uid] = e
	return nil
}

// Sync aligns the board with the metagraph: UIDs whose hotkey changed are reset to zero and UIDs no
// longer in the subnet dropped. It returns the UIDs reset or dropped, in increasing order.
func (b *Board) Sync(snap *metagraph.Snapshot) ([]uint16, error) {
	current := make(map[uint16]string, len(snap.Neurons))
	for _, n := range snap.Neurons {
		if n.UID > math.MaxUint16 {
			return nil, fmt.Errorf("%w: %d", ErrUID, n.UID)
		}
		current[uint16(n.UID)] = n.Hotkey
	}
	var changed []uint16
	for uid, e := range b.entries {
		hk, ok := current[uid]
		switch {
		case !ok:
			delete(b.entries, uid)
		case hk != e.Hotkey:
			b.entries[uid] = Entry{UID: uid, Hotkey: hk}
		default:
			continue
		}
		changed = append(changed, uid)
	}
	slices.Sort(changed)
	return changed, nil
}

// Get returns the UID's record.
func (b *Board) Get(uid uint16) (Entry, bool) {
	e, ok := b.entries[uid]
	return e, ok
}

// Entries returns every record in increasing UID order.
func (b *Board) Entries() []Entry {
	out := make([]Entry, 0, len(b.entries))
	for _, e := range b.entries {
		out = append(out, e)
	}
	slices.SortFunc(out, func(x, y Entry) int { return int(x.UID) - int(y.UID) })
	return out
}
