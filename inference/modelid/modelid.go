package modelid

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Required files of every model folder; the *.safetensors files come on top of them.
const (
	ConfigFile    = "config.json"
	TokenizerFile = "tokenizer.json"
	weightsSuffix = ".safetensors"
)

// The built-in model (package models, folder gocode-tiny), as a subnet records it by default. The
// package's tests check both against the embedded folder, so a retrained model cannot ship with a
// stale identity.
const (
	// BuiltinName is models.DefaultName.
	BuiltinName   = "gocode-tiny"
	BuiltinDigest = "510dc52f2ee0c3f8c00f7dcc19d0738431196bd0501677b607cb1a9524e5734e"
	// BuiltinContextLength is max_position_embeddings in the built-in model's config.json.
	BuiltinContextLength = 256
)

// ErrNotModelFolder is returned when a folder lacks a file the digest needs.
var ErrNotModelFolder = errors.New("not a model folder: it needs config.json, tokenizer.json and at least one *.safetensors file")

// File is one line of the manifest: a canonical file and its own SHA-256.
type File struct {
	Name   string
	SHA256 string
}

// Files lists the canonical files of the folder dir in fsys, sorted by name in byte order, each with
// its SHA-256. Only top-level files count; a file name that sha256sum would print escaped (one with a
// backslash or a newline) is refused, so that the coreutils recipe always gives the same digest.
func Files(fsys fs.FS, dir string) ([]File, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read model folder %s: %w", dir, err)
	}
	var names []string
	hasConfig, hasTokenizer, hasWeights := false, false, false
	for _, e := range entries {
		name := e.Name()
		canonical := false
		switch {
		case name == ConfigFile:
			hasConfig, canonical = true, true
		case name == TokenizerFile:
			hasTokenizer, canonical = true, true
		case strings.HasSuffix(name, weightsSuffix) && len(name) > len(weightsSuffix):
			hasWeights, canonical = true, true
		}
		if !canonical {
			continue
		}
		if e.IsDir() {
			return nil, fmt.Errorf("%s in %s is a directory, not a file", name, dir)
		}
		if strings.ContainsAny(name, "\\\n\r") {
			return nil, fmt.Errorf("model file name %q in %s: a backslash or line break in a name is not allowed", name, dir)
		}
		names = append(names, name)
	}
	if !hasConfig || !hasTokenizer || !hasWeights {
		return nil, fmt.Errorf("%s: %w", dir, ErrNotModelFolder)
	}
	slices.Sort(names)
	files := make([]File, 0, len(names))
	for _, name := range names {
		sum, err := fileSHA256(fsys, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: name, SHA256: sum})
	}
	return files, nil
}

func fileSHA256(fsys fs.FS, name string) (string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return "", fmt.Errorf("open %s: %w", name, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Manifest is the text whose SHA-256 is the digest: one "SHA256  NAME\n" line per file, in order.
func Manifest(files []File) []byte {
	var b bytes.Buffer
	for _, f := range files {
		b.WriteString(f.SHA256)
		b.WriteString("  ")
		b.WriteString(f.Name)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// Digest returns the digest of the model folder dir in fsys: 64 lowercase hex digits. Use
// os.DirFS(dir) with "." for a folder on disk, models.FS with models.DefaultName for the built-in
// model.
func Digest(fsys fs.FS, dir string) (string, error) {
	files, err := Files(fsys, dir)
	if err != nil {
		return "", err
	}
	return DigestOf(files), nil
}

// DigestOf returns the digest of a file list that Files returned.
func DigestOf(files []File) string {
	sum := sha256.Sum256(Manifest(files))
	return hex.EncodeToString(sum[:])
}

// ValidDigest reports whether s is written as a digest is: exactly 64 lowercase hex digits.
func ValidDigest(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Short is the first 12 digits of a digest, as tables show it; anything shorter is returned whole.
func Short(digest string) string {
	if len(digest) <= 12 {
		return digest
	}
	return digest[:12]
}

// ContextLength returns max_position_embeddings from the folder's config.json: the longest context
// the model was built for, and so the most a subnet can let its validators' tasks use.
func ContextLength(fsys fs.FS, dir string) (uint32, error) {
	name := path.Join(dir, ConfigFile)
	bz, err := fs.ReadFile(fsys, name)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", name, err)
	}
	var cfg struct {
		MaxPositionEmbeddings *uint32 `json:"max_position_embeddings"`
	}
	if err := json.Unmarshal(bz, &cfg); err != nil {
		return 0, fmt.Errorf("parse %s: %w", name, err)
	}
	if cfg.MaxPositionEmbeddings == nil || *cfg.MaxPositionEmbeddings == 0 {
		return 0, fmt.Errorf("%s has no positive max_position_embeddings", name)
	}
	return *cfg.MaxPositionEmbeddings, nil
}
