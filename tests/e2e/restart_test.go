//go:build e2e

package e2e

import (
	"context"
	"testing"
	"time"
)

// TestDevnetSurvivesAChainValidatorRestart runs the demo's network on four chain validators, stops one,
// checks that the other three keep making blocks (they hold three quarters of the voting power), then
// restarts it and checks that it catches up with the chain.
func TestDevnetSurvivesAChainValidatorRestart(t *testing.T) {
	net := startDevnet(t, 4)
	waitHeight(t, 26657, height(t, 26657)+3, time.Minute)

	if err := net.StopChainNode(3); err != nil {
		t.Fatal(err)
	}
	stoppedAt := height(t, 26657)
	if h := height(t, 26687); h != -1 {
		t.Fatalf("node3 still answers at height %d after being stopped", h)
	}
	waitHeight(t, 26657, stoppedAt+10, time.Minute)
	t.Logf("three validators went from height %d to %d without node3", stoppedAt, height(t, 26657))

	if err := net.StartChainNodes(context.Background()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		lead, node3 := height(t, 26657), height(t, 26687)
		if node3 >= lead-1 && node3 > stoppedAt+10 {
			t.Logf("node3 caught up: height %d, node0 %d", node3, lead)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("node3 at height %d, node0 at %d two minutes after restart", node3, lead)
		}
		time.Sleep(time.Second)
	}
	// The restarted validator signs again.
	waitHeight(t, 26687, height(t, 26687)+3, time.Minute)
}

func waitHeight(t *testing.T, rpcPort int, target int64, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for height(t, rpcPort) < target {
		if time.Now().After(deadline) {
			t.Fatalf("port %d: height %d, want %d within %s", rpcPort, height(t, rpcPort), target, within)
		}
		time.Sleep(500 * time.Millisecond)
	}
}
