package llama

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/mindnet/mindnet/inference/safetensors"
)

// Files of a Hugging Face checkpoint: one model.safetensors, or shards listed
// by an index that maps every tensor name to its shard.
const (
	weightsFile = "model.safetensors"
	indexFile   = "model.safetensors.index.json"
)

// tensorSet is the tensors of a checkpoint, whether in one file or several.
type tensorSet interface {
	Tensor(name string) (safetensors.Tensor, error)
	Names() []string
}

// readWeights reads model.safetensors from dir or, when the folder has none,
// the shards that model.safetensors.index.json names.
func readWeights(fsys fs.FS, dir string) (tensorSet, error) {
	data, err := fs.ReadFile(fsys, path.Join(dir, weightsFile))
	if err == nil {
		return safetensors.Parse(data)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	index, ierr := fs.ReadFile(fsys, path.Join(dir, indexFile))
	if ierr != nil {
		if errors.Is(ierr, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: neither %s nor %s", ErrWeights, weightsFile, indexFile)
		}
		return nil, ierr
	}
	return readShards(fsys, dir, index)
}

// sharded is a checkpoint split over several safetensors files.
type sharded struct {
	where map[string]*safetensors.File
	names []string
}

func (s *sharded) Tensor(name string) (safetensors.Tensor, error) {
	f, ok := s.where[name]
	if !ok {
		return safetensors.Tensor{}, fmt.Errorf("%w: %q", safetensors.ErrNotFound, name)
	}
	return f.Tensor(name)
}

func (s *sharded) Names() []string { return slices.Clone(s.names) }

// readShards parses every shard the index names and checks that the index
// and the shards agree: each listed tensor is in the shard it is listed
// under, and each shard holds only listed tensors, so no tensor is read from
// two places or silently left out.
func readShards(fsys fs.FS, dir string, index []byte) (*sharded, error) {
	var idx struct {
		WeightMap map[string]string `json:"weight_map"`
	}
	if err := json.Unmarshal(index, &idx); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrWeights, indexFile, err)
	}
	if len(idx.WeightMap) == 0 {
		return nil, fmt.Errorf("%w: %s has an empty weight_map", ErrWeights, indexFile)
	}
	var files []string
	for name, file := range idx.WeightMap {
		// A shard is a file of the folder itself: no paths, no way out.
		if file == "" || strings.ContainsAny(file, `/\`) || file == "." || file == ".." ||
			!strings.HasSuffix(file, ".safetensors") {
			return nil, fmt.Errorf("%w: %s maps %s to %q, not a .safetensors file of the folder", ErrWeights, indexFile, name, file)
		}
		if !slices.Contains(files, file) {
			files = append(files, file)
		}
	}
	slices.Sort(files)
	s := &sharded{where: make(map[string]*safetensors.File, len(idx.WeightMap))}
	for _, file := range files {
		data, err := fs.ReadFile(fsys, path.Join(dir, file))
		if err != nil {
			return nil, err
		}
		f, err := safetensors.Parse(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		for _, name := range f.Names() {
			if idx.WeightMap[name] != file {
				return nil, fmt.Errorf("%w: %s holds %s, which %s puts in %q", ErrWeights, file, name, indexFile, idx.WeightMap[name])
			}
			s.where[name] = f
			s.names = append(s.names, name)
		}
	}
	for name, file := range idx.WeightMap {
		if s.where[name] == nil {
			return nil, fmt.Errorf("%w: %s lists %s in %s, which does not hold it", ErrWeights, indexFile, name, file)
		}
	}
	return s, nil
}
