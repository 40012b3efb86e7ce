// Package folder opens the model folder that a subnet serves, as the off-chain binaries need it: the
// built-in model when no folder is named, else a Hugging Face folder on disk. Whatever engine serves
// the model (the built-in one, or an OpenAI-compatible server on a GPU), the tokenizer and the special
// tokens come from here, so that token ids mean the same to miner and validator.
package folder

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/mindnet/mindnet/inference/builtin"
	"github.com/mindnet/mindnet/inference/llama"
	"github.com/mindnet/mindnet/inference/modelid"
	"github.com/mindnet/mindnet/inference/tokenizer"
	"github.com/mindnet/mindnet/models"
)

// Folder is an opened model folder. Its weights are read only by Load.
type Folder struct {
	// FS and Dir locate the files: the embedded built-in model, or os.DirFS(dir) and ".".
	FS  fs.FS
	Dir string
	// Name is the model's name: the built-in model's, or the folder's base name.
	Name string
	// Path is the folder as configured, "" for the built-in model.
	Path      string
	Config    llama.Config
	Tokenizer *tokenizer.Tokenizer
}

// Open reads the config and tokenizer of the folder at dir, or of the built-in model when dir is "".
func Open(dir string) (*Folder, error) {
	f := &Folder{FS: models.FS, Dir: models.DefaultName, Name: models.DefaultName}
	if dir != "" {
		info, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("model folder %s: %w", dir, err)
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("model folder %s is not a folder", dir)
		}
		f = &Folder{FS: os.DirFS(dir), Dir: ".", Name: path.Base(strings.TrimRight(dir, "/")), Path: dir}
	}
	cfgData, err := fs.ReadFile(f.FS, path.Join(f.Dir, "config.json"))
	if err != nil {
		return nil, fmt.Errorf("model folder %s: %w", f.describe(), err)
	}
	if f.Config, err = llama.ParseConfig(cfgData); err != nil {
		return nil, fmt.Errorf("model folder %s: %w", f.describe(), err)
	}
	tokData, err := fs.ReadFile(f.FS, path.Join(f.Dir, "tokenizer.json"))
	if err != nil {
		return nil, fmt.Errorf("model folder %s: %w", f.describe(), err)
	}
	if f.Tokenizer, err = tokenizer.Parse(tokData); err != nil {
		return nil, fmt.Errorf("model folder %s: %w", f.describe(), err)
	}
	return f, nil
}

func (f *Folder) describe() string {
	if f.Path == "" {
		return "of the built-in model " + f.Name
	}
	return f.Path
}

// Builtin reports whether the folder is the built-in model.
func (f *Folder) Builtin() bool { return f.Path == "" }

// BOSID is the token the model's tokenizer puts before a prompt, as the built-in engine does: the one
// its post-processor names (-1 when it names none, as Qwen2's does), else the config's bos_token_id.
func (f *Folder) BOSID() int {
	if bos, ok := f.Tokenizer.BOS(); ok {
		if len(bos) == 0 {
			return -1
		}
		return bos[0]
	}
	return f.Config.BOSTokenID[0]
}

// EOSID is the model's (first) end-of-sequence token.
func (f *Folder) EOSID() int { return f.Config.EOSTokenID[0] }

// WeightBytes is the size of the folder's safetensors files.
func (f *Folder) WeightBytes() int64 {
	var n int64
	entries, _ := fs.ReadDir(f.FS, f.Dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".safetensors") {
			if info, err := e.Info(); err == nil {
				n += info.Size()
			}
		}
	}
	return n
}

// Load reads the weights into the built-in engine (the built-in model is loaded once per process).
func (f *Folder) Load() (*llama.Model, error) {
	if f.Builtin() {
		return builtin.Load()
	}
	return llama.Load(f.FS, f.Dir, f.Name)
}

// Digest is the folder's model digest as subnets record it (package modelid).
func (f *Folder) Digest() (string, error) {
	return modelid.Digest(f.FS, f.Dir)
}

// Describe names the folder for people: its path, or the built-in model.
func (f *Folder) Describe() string {
	if f.Builtin() {
		return "the built-in model (" + f.Name + ")"
	}
	return f.Path
}
