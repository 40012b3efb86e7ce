package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/mindnet/mindnet/explorer/chain"
	"github.com/mindnet/mindnet/explorer/indexer"
	"github.com/mindnet/mindnet/explorer/store"
	"github.com/mindnet/mindnet/explorer/web"
	"github.com/mindnet/mindnet/opsconfig"
)

// Config is the explorer's configuration. Keys (mapstructure tags) are the TOML keys and flag names.
type Config struct {
	GRPC   string `mapstructure:"grpc"`
	RPC    string `mapstructure:"rpc"`
	Listen string `mapstructure:"listen"`
	Store  struct {
		Path       string `mapstructure:"path"`
		KeepEpochs int    `mapstructure:"keep_epochs"`
	} `mapstructure:"store"`
	QueryTimeout  time.Duration `mapstructure:"query_timeout"`
	PageTimeout   time.Duration `mapstructure:"page_timeout"`
	HistoryEpochs int           `mapstructure:"history_epochs"`
	Poll          time.Duration `mapstructure:"poll"`
	Log           struct {
		Level  string `mapstructure:"level"`
		Format string `mapstructure:"format"`
	} `mapstructure:"log"`
	// Labels names hotkeys on the pages (hotkey=name); flags only.
	Labels map[string]string `mapstructure:"-"`
}

// Defaults are every key with its documented default (docs/explorer.md lists them).
var Defaults = map[string]any{
	"grpc":              "127.0.0.1:9090",
	"rpc":               "http://127.0.0.1:26657",
	"listen":            "127.0.0.1:8080",
	"store.path":        "~/.mindnet-explorer/store",
	"store.keep_epochs": 1000,
	"query_timeout":     5 * time.Second,
	"page_timeout":      10 * time.Second,
	"history_epochs":    50,
	"poll":              time.Second,
	"log.level":         "info",
	"log.format":        "text",
}

// Layers is where the configuration comes from.
var Layers = opsconfig.Layers{Defaults: Defaults, EnvPrefix: "MINDNET_EXPLORER", InitCommand: "a TOML file with the keys in docs/explorer.md"}

// Validate checks the settings before anything starts.
func (c Config) Validate() error {
	var errs []error
	if c.GRPC == "" {
		errs = append(errs, errors.New("grpc: the node's gRPC address is required"))
	}
	if !strings.HasPrefix(c.RPC, "http://") && !strings.HasPrefix(c.RPC, "https://") {
		errs = append(errs, fmt.Errorf("rpc: %q must be an http:// or https:// URL of CometBFT RPC", c.RPC))
	}
	if c.Listen == "" {
		errs = append(errs, errors.New("listen: an address such as 127.0.0.1:8080 is required"))
	}
	if c.Store.Path == "" {
		errs = append(errs, errors.New("store.path is required"))
	}
	if c.Store.KeepEpochs < 1 {
		errs = append(errs, fmt.Errorf("store.keep_epochs must be at least 1, got %d", c.Store.KeepEpochs))
	}
	if c.QueryTimeout <= 0 || c.PageTimeout <= 0 || c.Poll <= 0 {
		errs = append(errs, errors.New("query_timeout, page_timeout and poll must be positive durations"))
	}
	if c.HistoryEpochs < 1 {
		errs = append(errs, fmt.Errorf("history_epochs must be at least 1, got %d", c.HistoryEpochs))
	}
	return errors.Join(errs...)
}

// Run serves the explorer until ctx ends. ready, if not nil, receives the listening address.
func Run(ctx context.Context, cfg Config, log *slog.Logger, ready func(addr string)) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	path := opsconfig.ExpandHome(cfg.Store.Path)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("store folder: %w", err)
	}
	db, err := store.Open(path, cfg.Store.KeepEpochs)
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := grpc.NewClient(cfg.GRPC, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return fmt.Errorf("node gRPC %s: %w", cfg.GRPC, err)
	}
	defer conn.Close()
	node := chain.NewClient(conn, cfg.RPC, cfg.QueryTimeout)

	var srv *web.Server
	ixCfg := indexer.DefaultConfig()
	ixCfg.Poll = cfg.Poll
	ix := indexer.New(ixCfg, node, db, log, func(u indexer.Update) {
		if srv != nil {
			srv.Publish(u)
		}
	})
	srv, err = web.New(web.Config{
		Node: node, Store: db, Head: ix.Head, Labels: cfg.Labels,
		Epochs: cfg.HistoryEpochs, Timeout: cfg.PageTimeout, Log: log,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Listen, err)
	}
	g, gctx := errgroup.WithContext(ctx)
	// Requests inherit gctx, so that live streams end when the explorer stops.
	httpSrv := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return gctx }}
	log.Info("explorer listening", "url", "http://"+ln.Addr().String(), "grpc", cfg.GRPC, "rpc", cfg.RPC, "store", path)
	if ready != nil {
		ready(ln.Addr().String())
	}

	g.Go(func() error { return ix.Run(gctx) })
	g.Go(func() error {
		if err := httpSrv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error {
		<-gctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := httpSrv.Shutdown(sctx); err != nil {
			return httpSrv.Close()
		}
		return nil
	})
	err = g.Wait()
	log.Info("explorer stopped")
	return err
}
