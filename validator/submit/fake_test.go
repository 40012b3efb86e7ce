package submit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
)

// fakeChain keeps x/weights' rules that the submitter must live with: the rate limit on rows, one
// commit per hash, reveals only in tempo index commit's + commit_reveal_period with a matching hash.
// fail makes the next calls fail without reaching the chain; lose makes the next calls reach the
// chain but lose the answer (the ambiguous failure a crash or timeout leaves).
type fakeChain struct {
	mu      sync.Mutex
	netuid  uint32
	height  int64
	hp      Hyperparameters
	fail    int
	lose    int
	lastRow int64
	commits map[string]int64 // hash → commit height
	rows    []Row            // rows that took effect (sets and reveals), in order
	calls   []string
}

func newFakeChain(netuid uint32, hp Hyperparameters) *fakeChain {
	return &fakeChain{netuid: netuid, height: 1, hp: hp, commits: map[string]int64{}, lastRow: -1 << 40}
}

var errUnreachable = errors.New("node unreachable")

func (f *fakeChain) Height(context.Context) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.height, nil
}

func (f *fakeChain) Hyperparameters(context.Context, uint32) (Hyperparameters, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hp, nil
}

func (f *fakeChain) epoch(h int64) uint64 {
	return subnettypes.EpochIndex(f.netuid, f.hp.Tempo, uint64(h))
}

// tx runs apply as one transaction landing in the current block.
func (f *fakeChain) tx(kind string, apply func() error) (Receipt, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, kind)
	if f.fail > 0 {
		f.fail--
		return Receipt{}, errUnreachable
	}
	if err := apply(); err != nil {
		return Receipt{}, fmt.Errorf("%w: %v", ErrRefused, err)
	}
	if f.lose > 0 {
		f.lose--
		return Receipt{}, errors.New("tx not in a block after 1m: context deadline exceeded")
	}
	return Receipt{Height: f.height, TxHash: fmt.Sprintf("%s@%d", kind, f.height)}, nil
}

func (f *fakeChain) rateLimited() error {
	if f.height < f.lastRow+int64(f.hp.WeightsRateLimit) {
		return fmt.Errorf("rate limited until %d", f.lastRow+int64(f.hp.WeightsRateLimit))
	}
	return nil
}

func (f *fakeChain) SetWeights(_ context.Context, _ uint32, row Row, _ uint64) (Receipt, error) {
	return f.tx(KindSet, func() error {
		if f.hp.CommitRevealEnabled {
			return errors.New("commit-reveal is on")
		}
		if err := f.rateLimited(); err != nil {
			return err
		}
		f.lastRow = f.height
		f.rows = append(f.rows, row)
		return nil
	})
}

func (f *fakeChain) CommitWeights(_ context.Context, _ uint32, hash []byte) (Receipt, error) {
	return f.tx(KindCommit, func() error {
		if !f.hp.CommitRevealEnabled {
			return errors.New("commit-reveal is off")
		}
		if err := f.rateLimited(); err != nil {
			return err
		}
		if _, dup := f.commits[string(hash)]; dup {
			return errors.New("commit exists")
		}
		f.lastRow = f.height
		f.commits[string(hash)] = f.height
		return nil
	})
}

func (f *fakeChain) RevealWeights(_ context.Context, netuid uint32, row Row, salt []byte, version uint64) (Receipt, error) {
	return f.tx(KindReveal, func() error {
		h, _ := f.CommitHash("validator", netuid, row, salt, version)
		at, ok := f.commits[string(h)]
		if !ok {
			return errors.New("no commit matches the reveal")
		}
		if due := f.epoch(at) + f.hp.CommitRevealPeriod; f.epoch(f.height) != due {
			return fmt.Errorf("reveal in tempo %d, window is tempo %d", f.epoch(f.height), due)
		}
		delete(f.commits, string(h))
		f.rows = append(f.rows, row)
		return nil
	})
}

func (f *fakeChain) CommitHash(hotkey string, netuid uint32, row Row, salt []byte, version uint64) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(hotkey)
	_ = binary.Write(&b, binary.BigEndian, netuid)
	_ = binary.Write(&b, binary.BigEndian, row.UIDs)
	_ = binary.Write(&b, binary.BigEndian, row.Weights)
	b.Write(salt)
	_ = binary.Write(&b, binary.BigEndian, version)
	h := sha256.Sum256(b.Bytes())
	return h[:], nil
}

func (f *fakeChain) advance(blocks int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.height += blocks
}
