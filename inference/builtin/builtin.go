package builtin

import (
	"fmt"
	"sync"

	"github.com/mindnet/mindnet/inference/llama"
	"github.com/mindnet/mindnet/models"
)

var (
	once    sync.Once
	shared  *llama.Model
	errLoad error
)

// Load returns the default model, decoded once per process and shared: the
// model is read-only and safe for concurrent use.
func Load() (*llama.Model, error) {
	once.Do(func() {
		shared, errLoad = llama.Load(models.FS, models.DefaultName, models.DefaultName)
		if errLoad != nil {
			errLoad = fmt.Errorf("builtin model: %w", errLoad)
		}
	})
	return shared, errLoad
}
