package devnet

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// cli runs mindnetd against chain node 0 with its test keyring.
type cli struct {
	bin  string // path of mindnetd
	home string // node 0's home: its keyring holds alice, bob, charlie and the network's hotkeys
}

func (c cli) run(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, c.bin, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("mindnetd %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// query runs a query and decodes its JSON output into v.
func (c cli) query(ctx context.Context, v any, args ...string) error {
	out, err := c.run(ctx, append(args, "--home", c.home, "-o", "json")...)
	if err != nil {
		return err
	}
	return decodeJSON(out, v)
}

// keyAddress returns the address of a key in node 0's keyring, creating the key if it is missing.
func (c cli) keyAddress(ctx context.Context, name string) (string, error) {
	keyring := []string{"--home", c.home, "--keyring-backend", "test"}
	out, err := c.run(ctx, append([]string{"keys", "show", name, "-a"}, keyring...)...)
	if err != nil {
		if _, err := c.run(ctx, append([]string{"keys", "add", name}, keyring...)...); err != nil {
			return "", err
		}
		out, err = c.run(ctx, append([]string{"keys", "show", name, "-a"}, keyring...)...)
		if err != nil {
			return "", err
		}
	}
	return strings.TrimSpace(out), nil
}

// tx broadcasts a transaction signed by from, waits until it is in a block, and returns an error that
// carries the chain's log when it was refused.
func (c cli) tx(ctx context.Context, from string, args ...string) error {
	full := append(args, "--from", from, "--home", c.home, "--keyring-backend", "test",
		"--chain-id", ChainID, "--gas", "auto", "--gas-adjustment", "1.5", "--yes", "-o", "json")
	out, err := c.run(ctx, full...)
	if err != nil {
		return err
	}
	var sent struct {
		TxHash string `json:"txhash"`
		Code   int    `json:"code"`
		RawLog string `json:"raw_log"`
	}
	if err := decodeJSON(out, &sent); err != nil {
		return fmt.Errorf("%s: %w", strings.Join(args, " "), err)
	}
	if sent.Code != 0 {
		return fmt.Errorf("%s refused: %s", strings.Join(args, " "), sent.RawLog)
	}
	out, err = c.run(ctx, "q", "wait-tx", sent.TxHash, "--home", c.home, "--timeout", "30s", "-o", "json")
	if err != nil {
		return err
	}
	var landed struct {
		Code   int    `json:"code"`
		RawLog string `json:"raw_log"`
	}
	if err := decodeJSON(out, &landed); err != nil {
		return err
	}
	if landed.Code != 0 {
		return fmt.Errorf("%s failed in its block: %s", strings.Join(args, " "), landed.RawLog)
	}
	return nil
}

// decodeJSON decodes the JSON object in a command's output; the CLI may print a gas estimate first.
func decodeJSON(out string, v any) error {
	i := strings.Index(out, "{")
	if i < 0 {
		return fmt.Errorf("no JSON in output: %q", out)
	}
	if err := json.Unmarshal([]byte(out[i:]), v); err != nil {
		return fmt.Errorf("decode %q: %w", out, err)
	}
	return nil
}

func nodeHome(dir string, i int) string { return filepath.Join(dir, "chain", fmt.Sprintf("node%d", i)) }
