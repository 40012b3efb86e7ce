package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/cockroachdb/pebble"
)

// Epoch is one subnet epoch as the chain reported it (x/emission's emission_epoch event) with the
// metagraph read at its block.
type Epoch struct {
	Netuid   uint32    `json:"netuid"`
	Height   int64     `json:"height"`
	Time     time.Time `json:"time"`
	Pending  string    `json:"pending"`   // emission the epoch paid out of, in umind
	OwnerCut string    `json:"owner_cut"` // umind to the subnet owner
	Paid     string    `json:"paid"`      // umind paid to neurons as stake
	Carried  string    `json:"carried"`   // umind left for the next epoch
	// Neurons is empty when the node no longer had the state at that height (pruned).
	Neurons []Neuron `json:"-"`
	// UIDs is how many neuron rows the store holds for this epoch.
	UIDs int `json:"uids"`
}

// Neuron is one UID's results at an epoch. Fractions are the chain's u16 (65535 is 1).
type Neuron struct {
	UID             uint32
	Hotkey          string
	Stake           uint64
	Emission        uint64
	Incentive       uint16
	Dividends       uint16
	Trust           uint16
	Consensus       uint16
	ValidatorTrust  uint16
	ValidatorPermit bool
}

// Point is one UID's row at one epoch, for history charts.
type Point struct {
	Height int64
	Neuron
}

// Store is the explorer's database. It is safe for concurrent use.
type Store struct {
	db   *pebble.DB
	keep int
}

// Key prefixes. Integers are big-endian so that keys sort by netuid, then height, then UID.
const (
	prefixCursor = 'c'
	prefixEpoch  = 'e'
	prefixNeuron = 'u'
)

// ErrEmpty: there is nothing stored for the request.
var ErrEmpty = errors.New("no history stored")

// Open opens (or creates) the store in dir, keeping at most keep epochs per subnet (keep >= 1).
func Open(dir string, keep int) (*Store, error) {
	if keep < 1 {
		return nil, fmt.Errorf("store: keep must be at least 1 epoch, got %d", keep)
	}
	db, err := pebble.Open(dir, &pebble.Options{})
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	return &Store{db: db, keep: keep}, nil
}

// Close flushes and closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Cursor returns the last height the indexer committed, 0 when none.
func (s *Store) Cursor() (int64, error) {
	v, closer, err := s.db.Get([]byte{prefixCursor})
	if errors.Is(err, pebble.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer closer.Close()
	if len(v) != 8 {
		return 0, fmt.Errorf("store: cursor has %d bytes, want 8", len(v))
	}
	return int64(binary.BigEndian.Uint64(v)), nil
}

func epochKey(prefix byte, netuid uint32, height int64) []byte {
	k := make([]byte, 13, 17)
	k[0] = prefix
	binary.BigEndian.PutUint32(k[1:], netuid)
	binary.BigEndian.PutUint64(k[5:], uint64(height))
	return k
}

func neuronKey(netuid uint32, height int64, uid uint32) []byte {
	return binary.BigEndian.AppendUint32(epochKey(prefixNeuron, netuid, height), uid)
}

// Commit writes the epochs of block height and moves the cursor to height, in one batch: a crash
// leaves either both or neither. Subnets that got an epoch lose their epochs beyond the newest keep.
func (s *Store) Commit(height int64, epochs []Epoch) error {
	b := s.db.NewIndexedBatch()
	defer b.Close()
	for _, e := range epochs {
		e.Height = height
		e.UIDs = len(e.Neurons)
		summary, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if err := b.Set(epochKey(prefixEpoch, e.Netuid, height), summary, nil); err != nil {
			return err
		}
		for _, n := range e.Neurons {
			if err := b.Set(neuronKey(e.Netuid, height, n.UID), encodeNeuron(n), nil); err != nil {
				return err
			}
		}
	}
	if err := b.Set([]byte{prefixCursor}, binary.BigEndian.AppendUint64(nil, uint64(height)), nil); err != nil {
		return err
	}
	for _, e := range epochs {
		if err := s.prune(b, e.Netuid); err != nil {
			return err
		}
	}
	opts := pebble.NoSync
	if len(epochs) > 0 {
		opts = pebble.Sync
	}
	return b.Commit(opts)
}

// prune deletes, in batch b, the subnet's epochs older than the newest keep (counting those in b).
func (s *Store) prune(b *pebble.Batch, netuid uint32) error {
	it, err := b.NewIter(&pebble.IterOptions{LowerBound: epochKey(prefixEpoch, netuid, 0), UpperBound: epochKey(prefixEpoch, netuid+1, 0)})
	if err != nil {
		return err
	}
	defer it.Close()
	n := 0
	for ok := it.Last(); ok; ok = it.Prev() {
		n++
		if n > s.keep {
			h := int64(binary.BigEndian.Uint64(it.Key()[5:13]))
			if err := b.DeleteRange(epochKey(prefixEpoch, netuid, 0), epochKey(prefixEpoch, netuid, h+1), nil); err != nil {
				return err
			}
			return b.DeleteRange(epochKey(prefixNeuron, netuid, 0), epochKey(prefixNeuron, netuid, h+1), nil)
		}
	}
	return it.Error()
}

// Epochs returns the subnet's newest limit epochs, oldest first.
func (s *Store) Epochs(netuid uint32, limit int) ([]Epoch, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: epochKey(prefixEpoch, netuid, 0), UpperBound: epochKey(prefixEpoch, netuid, math.MaxInt64)})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out []Epoch
	for ok := it.Last(); ok && len(out) < limit; ok = it.Prev() {
		var e Epoch
		if err := json.Unmarshal(it.Value(), &e); err != nil {
			return nil, fmt.Errorf("store: epoch record: %w", err)
		}
		out = append(out, e)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, it.Error()
}

// Rows returns every UID's row at the subnet's epoch at height, in UID order.
func (s *Store) Rows(netuid uint32, height int64) ([]Neuron, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: epochKey(prefixNeuron, netuid, height), UpperBound: epochKey(prefixNeuron, netuid, height+1)})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out []Neuron
	for ok := it.First(); ok; ok = it.Next() {
		n, err := decodeNeuron(it.Value())
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, it.Error()
}

// History returns, for each of uids, its rows at the given epochs (ascending heights from Epochs),
// oldest first. A UID absent at an epoch (not yet registered, or pruned state) has no point there.
// One iterator serves every lookup: a seek on an open iterator costs far less than a Get.
func (s *Store) History(netuid uint32, uids []uint32, heights []int64) (map[uint32][]Point, error) {
	out := make(map[uint32][]Point, len(uids))
	if len(heights) == 0 || len(uids) == 0 {
		return out, nil
	}
	it, err := s.db.NewIter(&pebble.IterOptions{
		LowerBound: epochKey(prefixNeuron, netuid, heights[0]),
		UpperBound: epochKey(prefixNeuron, netuid, heights[len(heights)-1]+1),
	})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	for _, h := range heights {
		for _, uid := range uids {
			key := neuronKey(netuid, h, uid)
			if !it.SeekGE(key) || !bytes.Equal(it.Key(), key) {
				continue
			}
			n, err := decodeNeuron(it.Value())
			if err != nil {
				return nil, err
			}
			out[uid] = append(out[uid], Point{Height: h, Neuron: n})
		}
	}
	return out, it.Error()
}

// DiskUsage is the database's size on disk in bytes.
func (s *Store) DiskUsage() uint64 { return s.db.Metrics().DiskSpaceUsage() }

// Compact compacts the whole key space, so that deleted epochs leave the disk (tests and measurements
// call it; Pebble also compacts on its own).
func (s *Store) Compact() error {
	return s.db.Compact([]byte{0}, []byte{0xff}, true)
}

// encodeNeuron writes a row as uvarints and the hotkey: about 60 bytes per UID.
func encodeNeuron(n Neuron) []byte {
	b := make([]byte, 0, 24+len(n.Hotkey))
	b = binary.AppendUvarint(b, uint64(n.UID))
	b = binary.AppendUvarint(b, n.Stake)
	b = binary.AppendUvarint(b, n.Emission)
	for _, v := range []uint16{n.Incentive, n.Dividends, n.Trust, n.Consensus, n.ValidatorTrust} {
		b = binary.AppendUvarint(b, uint64(v))
	}
	permit := uint64(0)
	if n.ValidatorPermit {
		permit = 1
	}
	b = binary.AppendUvarint(b, permit)
	return append(b, n.Hotkey...)
}

func decodeNeuron(b []byte) (Neuron, error) {
	var vals [9]uint64
	for i := range vals {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return Neuron{}, fmt.Errorf("store: neuron row is truncated at field %d", i)
		}
		vals[i], b = v, b[n:]
	}
	return Neuron{
		UID: uint32(vals[0]), Stake: vals[1], Emission: vals[2],
		Incentive: uint16(vals[3]), Dividends: uint16(vals[4]), Trust: uint16(vals[5]),
		Consensus: uint16(vals[6]), ValidatorTrust: uint16(vals[7]), ValidatorPermit: vals[8] == 1,
		Hotkey: string(b),
	}, nil
}
