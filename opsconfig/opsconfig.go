package opsconfig

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// Layers says where a binary's settings come from.
type Layers struct {
	// Defaults holds every key the binary knows, with its default value.
	Defaults map[string]any
	// EnvPrefix prefixes environment variables: key chain.grpc is PREFIX_CHAIN_GRPC.
	EnvPrefix string
	// InitCommand is what creates a missing file, named in the error when the file cannot be read.
	InitCommand string
}

// Load decodes into out the defaults, overridden by the TOML file at path (if not empty), then by the
// environment, then by the flags that were set (only flags named like a known key).
func (l Layers) Load(path string, flags *pflag.FlagSet, out any) error {
	v := viper.New()
	for k, val := range l.Defaults {
		v.SetDefault(k, val)
	}
	if path != "" {
		v.SetConfigFile(path)
		v.SetConfigType("toml")
		if err := v.ReadInConfig(); err != nil {
			return fmt.Errorf("read config %s: %w (create one with `%s`)", path, err, l.InitCommand)
		}
	}
	v.SetEnvPrefix(l.EnvPrefix)
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	if flags != nil {
		var bindErr error
		flags.VisitAll(func(f *pflag.Flag) {
			if _, known := l.Defaults[f.Name]; known && bindErr == nil {
				bindErr = v.BindPFlag(f.Name, f)
			}
		})
		if bindErr != nil {
			return bindErr
		}
	}
	if err := v.Unmarshal(out); err != nil {
		return fmt.Errorf("decode config: %w", err)
	}
	return nil
}

// FileOrNone returns path, or "" when the file does not exist and the user did not name it: a binary
// then runs on defaults, environment and flags alone. A file the user named must exist.
func FileOrNone(path string, named bool) string {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) && !named {
		return ""
	}
	return path
}

// Logger builds the structured logger for log.level (debug, info, warn, error) and log.format (text or
// json), writing to stderr and naming the binary on every line.
func Logger(level, format, binary string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log.level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: l}
	var h slog.Handler
	switch format {
	case "text", "":
		h = slog.NewTextHandler(os.Stderr, opts)
	case "json":
		h = slog.NewJSONHandler(os.Stderr, opts)
	default:
		return nil, fmt.Errorf("log.format must be text or json, got %q", format)
	}
	return slog.New(h).With("binary", binary), nil
}

// WriteFile writes a configuration file that init rendered, refusing to overwrite one unless force.
func WriteFile(path string, data []byte, force bool) error {
	if _, err := os.Stat(path); err == nil && !force {
		return fmt.Errorf("%s exists; use --force to overwrite it", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o600)
}

// ExpandHome replaces a leading ~/ with the user's home folder.
func ExpandHome(p string) string {
	if strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return home + p[1:]
		}
	}
	return p
}
