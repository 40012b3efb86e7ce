package devnet

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// StopChainNode stops chain node i (SIGTERM, as an operator would) and waits for it to exit.
func (n *Network) StopChainNode(i int) error {
	pidFile := filepath.Join(nodeHome(n.Config.Dir, i), "mindnetd.pid")
	data, err := os.ReadFile(pidFile)
	if err != nil {
		return fmt.Errorf("node%d pid: %w", i, err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		return fmt.Errorf("node%d pid file %s: %w", i, pidFile, err)
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		return fmt.Errorf("stop node%d: %w", i, err)
	}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if syscall.Kill(pid, 0) != nil {
			return nil
		}
	}
	return fmt.Errorf("node%d (pid %d) still running 20 s after SIGTERM", i, pid)
}

// StartChainNodes starts every chain node that is not running, from its kept state.
func (n *Network) StartChainNodes(ctx context.Context) error {
	if out, err := n.localnet(ctx, "start", "--validators", strconv.Itoa(n.Config.ChainValidators)); err != nil {
		return fmt.Errorf("localnet start: %w\n%s", err, out)
	}
	return nil
}
