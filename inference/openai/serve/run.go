package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/mindnet/mindnet/inference/builtin"
	"github.com/mindnet/mindnet/inference/llama"
	"github.com/mindnet/mindnet/models"
)

// Load loads the model the options name: model.dir, or the built-in model.
// The served name is model.name, else model.dir as given (as vLLM names a
// model by its path), else the built-in model's name.
func Load(o Options) (*llama.Model, string, error) {
	name := o.Model.Name
	if o.Model.Dir == "" {
		m, err := builtin.Load()
		if name == "" {
			name = models.DefaultName
		}
		return m, name, err
	}
	m, err := llama.LoadDir(o.Model.Dir)
	if err != nil {
		return nil, "", fmt.Errorf("load model %s: %w", o.Model.Dir, err)
	}
	if name == "" {
		name = o.Model.Dir
	}
	return m, name, nil
}

// Run serves the options' model until ctx ends, then drains requests in
// flight for up to the request timeout.
func Run(ctx context.Context, o Options, log *slog.Logger) error {
	model, name, err := Load(o)
	if err != nil {
		return err
	}
	srv, err := New(model, name, o.limits(), log)
	if err != nil {
		return err
	}
	lis, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", o.Listen, err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	log.Info("serving", "addr", lis.Addr().String(), "model", name, "dir", o.Model.Dir, "context", model.Config().MaxPositionEmbeddings,
		"concurrency", o.Limits.Concurrency, "queue_depth", o.Limits.QueueDepth)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(lis) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", o.Listen, err)
	case <-ctx.Done():
	}
	log.Info("shutting down: draining requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), o.Limits.RequestTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}
