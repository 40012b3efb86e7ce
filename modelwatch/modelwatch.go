// Package modelwatch holds an off-chain binary to the model its subnet records on chain: at start it
// compares the digest of the model folder the process loaded (model.dir, or the built-in model) with
// the subnet's, and refuses to start on a mismatch with both digests, the subnet's model name and the
// folder; while running it re-reads the record, and when the owner's change takes effect it logs it
// and reports the mismatch, so that the miner stops serving and the validator stops scoring until they
// are restarted with the new folder.
package modelwatch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"

	subnetv1 "github.com/mindnet/mindnet/api/mindnet/subnet/v1"
	"github.com/mindnet/mindnet/inference/folder"
)

// ErrMismatch says the loaded folder is not the subnet's model; the message gives both digests.
var ErrMismatch = errors.New("the model folder is not the subnet's model")

// Model is a subnet's model record.
type Model struct {
	Name          string
	Digest        string
	Precisions    []string
	ContextLength uint32
}

// AllowsHalf reports whether validators accept half-precision serving on the subnet.
func (m Model) AllowsHalf() bool { return slices.Contains(m.Precisions, "half") }

// Source reads a subnet's model record.
type Source func(ctx context.Context, netuid uint32) (Model, error)

// GRPCSource reads the record from a node.
func GRPCSource(conn grpc.ClientConnInterface) Source {
	q := subnetv1.NewQueryClient(conn)
	return func(ctx context.Context, netuid uint32) (Model, error) {
		res, err := q.Model(ctx, &subnetv1.QueryModelRequest{Netuid: netuid})
		if err != nil {
			return Model{}, fmt.Errorf("read the model of netuid %d: %w", netuid, err)
		}
		m := res.GetModel()
		return Model{Name: m.GetName(), Digest: m.GetDigest(), Precisions: m.GetPrecisions(), ContextLength: m.GetContextLength()}, nil
	}
}

// Watch compares a loaded folder with the subnet's record.
type Watch struct {
	src      Source
	netuid   uint32
	folder   *folder.Folder
	digest   string
	log      *slog.Logger
	mismatch atomic.Pointer[error]
}

// Check reads the subnet's record and compares it with the folder; it returns the record, or
// ErrMismatch with what to do. The Watch it returns keeps checking in Run.
func Check(ctx context.Context, src Source, netuid uint32, f *folder.Folder, log *slog.Logger) (*Watch, Model, error) {
	digest, err := f.Digest()
	if err != nil {
		return nil, Model{}, fmt.Errorf("digest of %s: %w", f.Describe(), err)
	}
	w := &Watch{src: src, netuid: netuid, folder: f, digest: digest, log: log}
	m, err := src(ctx, netuid)
	if err != nil {
		return nil, Model{}, err
	}
	if err := w.compare(m); err != nil {
		return nil, m, err
	}
	return w, m, nil
}

func (w *Watch) compare(m Model) error {
	if m.Digest == w.digest {
		return nil
	}
	return fmt.Errorf("%w: subnet %d serves %q with digest %s; model.dir is %s with digest %s. Set model.dir to the subnet's model folder (compute a folder's digest with `mindnetd debug model-digest DIR`)",
		ErrMismatch, w.netuid, m.Name, m.Digest, w.folder.Describe(), w.digest)
}

// Err is nil while the folder is the subnet's model, and the mismatch once the record changed.
func (w *Watch) Err() error {
	if p := w.mismatch.Load(); p != nil {
		return *p
	}
	return nil
}

// Run re-reads the record every interval until ctx ends. A record it cannot read changes nothing.
func (w *Watch) Run(ctx context.Context, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		m, err := w.src(rctx, w.netuid)
		cancel()
		if err != nil {
			w.log.Debug("could not re-read the subnet's model", "err", err)
			continue
		}
		err = w.compare(m)
		switch was := w.Err(); {
		case err != nil && was == nil:
			w.log.Error("the subnet's model changed: stopped until restarted with the new model folder", "netuid", w.netuid, "model", m.Name, "digest", m.Digest, "loaded", w.digest, "model_dir", w.folder.Describe())
			w.mismatch.Store(&err)
		case err == nil && was != nil:
			w.log.Info("the subnet's model is the loaded one again: resumed", "netuid", w.netuid, "digest", w.digest)
			w.mismatch.Store(nil)
		}
	}
}
