package folder

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/mindnet/mindnet/models"
)

func TestOpenBuiltinAndFolder(t *testing.T) {
	b, err := Open("")
	if err != nil || !b.Builtin() || b.Name != models.DefaultName || b.Tokenizer.VocabSize() == 0 || b.WeightBytes() == 0 {
		t.Fatalf("built-in: %+v %v", b, err)
	}
	alt, err := Open("../llama/testdata/gocode-alt")
	if err != nil || alt.Builtin() || alt.Name != "gocode-alt" || alt.BOSID() < 0 {
		t.Fatalf("alt: %+v %v", alt, err)
	}
	m, err := alt.Load()
	if err != nil || m.Info().Model != "gocode-alt" {
		t.Fatalf("load alt: %v", err)
	}
}

func TestOpenRefusesWhatIsNoModel(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("empty folder: %v", err)
	}
	file := filepath.Join(dir, "f")
	_ = os.WriteFile(file, nil, 0o600)
	if _, err := Open(file); err == nil {
		t.Fatal("a file opened as a folder")
	}
	if _, err := Open(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing: %v", err)
	}
}
