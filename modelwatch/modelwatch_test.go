package modelwatch

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mindnet/mindnet/inference/folder"
	"github.com/mindnet/mindnet/inference/modelid"
)

func TestCheckAndWatch(t *testing.T) {
	f, err := folder.Open("")
	if err != nil {
		t.Fatal(err)
	}
	var current atomic.Pointer[Model]
	builtin := Model{Name: modelid.BuiltinName, Digest: modelid.BuiltinDigest, Precisions: []string{"float32"}}
	current.Store(&builtin)
	src := func(context.Context, uint32) (Model, error) { return *current.Load(), nil }
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	w, m, err := Check(context.Background(), src, 1, f, log)
	if err != nil || m.Digest != modelid.BuiltinDigest || m.AllowsHalf() {
		t.Fatalf("built-in: %+v %v", m, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.Run(ctx, 5*time.Millisecond)
	other := Model{Name: "other", Digest: strings.Repeat("ab", 32), Precisions: []string{"float32", "half"}}
	current.Store(&other)
	waitFor(t, func() bool { return errors.Is(w.Err(), ErrMismatch) })
	current.Store(&builtin)
	waitFor(t, func() bool { return w.Err() == nil })

	alt, _ := folder.Open("../inference/llama/testdata/gocode-alt")
	_, _, err = Check(context.Background(), src, 1, alt, log)
	if !errors.Is(err, ErrMismatch) || !strings.Contains(err.Error(), modelid.BuiltinDigest) || !strings.Contains(err.Error(), "gocode-alt") {
		t.Fatalf("alt: %v", err)
	}
	if !other.AllowsHalf() {
		t.Fatal("half not allowed")
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatal("condition not reached")
}
