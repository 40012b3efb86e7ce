package chain

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// cometRPC answers like CometBFT v0.38+: 64-bit integers as strings, block events under
// finalize_block_events, errors as JSON-RPC errors.
func cometRPC(t *testing.T) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/status":
			w.Write([]byte(`{"jsonrpc":"2.0","id":-1,"result":{"node_info":{"network":"mindnet-local-1"},"sync_info":{"latest_block_height":"120","latest_block_time":"2026-01-02T03:04:05.5Z","earliest_block_height":"7"}}}`))
		case "/block_results":
			if r.URL.Query().Get("height") == "999" {
				w.Write([]byte(`{"jsonrpc":"2.0","id":-1,"error":{"code":-32603,"message":"Internal error","data":"height 999 must be less than or equal to the current blockchain height 120"}}`))
				return
			}
			w.Write([]byte(`{"jsonrpc":"2.0","id":-1,"result":{"height":"110","finalize_block_events":[{"type":"emission_epoch","attributes":[{"key":"netuid","value":"1","index":true},{"key":"paid","value":"820","index":true}]}]}}`))
		default:
			http.NotFound(w, r)
		}
	}))
}

func TestRPCDecodesCometBFTAnswers(t *testing.T) {
	srv := cometRPC(t)
	defer srv.Close()
	c := NewClient(nil, srv.URL+"/", time.Second)
	st, err := c.Status(context.Background())
	if err != nil || st.Height != 120 || st.EarliestHeight != 7 || st.ChainID != "mindnet-local-1" || st.Time.IsZero() {
		t.Fatalf("status %+v, %v", st, err)
	}
	evs, err := c.BlockEvents(context.Background(), 110)
	if err != nil || len(evs) != 1 || evs[0].Type != "emission_epoch" || evs[0].Attr("netuid") != "1" || evs[0].Attr("paid") != "820" || evs[0].Attr("none") != "" {
		t.Fatalf("events %+v, %v", evs, err)
	}
	if _, err := c.BlockEvents(context.Background(), 999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a height above the head: %v, want ErrNotFound", err)
	}
}

func TestANodeThatIsDownIsUnavailable(t *testing.T) {
	srv := cometRPC(t)
	url := srv.URL
	srv.Close()
	c := NewClient(nil, url, time.Second)
	if _, err := c.Status(context.Background()); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("closed port: %v, want ErrUnavailable", err)
	}
}

func TestClassifySortsGRPCErrors(t *testing.T) {
	cases := []struct {
		err  error
		want error
	}{
		{status.Error(codes.NotFound, "no such proposal"), ErrNotFound},
		{status.Error(codes.Unknown, "subnet 9: subnet not found"), ErrNotFound},
		{status.Error(codes.Unavailable, "connection refused"), ErrUnavailable},
		{status.Error(codes.DeadlineExceeded, "slow"), ErrUnavailable},
		{context.DeadlineExceeded, ErrUnavailable},
	}
	for _, c := range cases {
		if got := classify("q", c.err); !errors.Is(got, c.want) {
			t.Errorf("%v classified as %v, want %v", c.err, got, c.want)
		}
	}
	if got := classify("q", status.Error(codes.InvalidArgument, "bad")); errors.Is(got, ErrNotFound) || errors.Is(got, ErrUnavailable) {
		t.Errorf("an invalid argument was classified as %v", got)
	}
	if classify("q", nil) != nil {
		t.Error("nil error classified")
	}
}
