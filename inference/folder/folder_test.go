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

// The token before a prompt is the one the engine puts there: none for Qwen2, whose tokenizer's
// post-processor adds none although its config names a bos_token_id.
func TestBOSFollowsTheEngine(t *testing.T) {
	for _, dir := range []string{"", "../llama/testdata/arch/llama3", "../llama/testdata/arch/qwen2"} {
		f, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		m, err := f.Load()
		if err != nil {
			t.Fatal(err)
		}
		ids := m.EncodePrompt("x")
		want := -1
		if len(ids) > len(f.Tokenizer.Encode("x")) {
			want = ids[0]
		}
		if f.BOSID() != want {
			t.Fatalf("%q: BOSID %d, the engine puts %v first", dir, f.BOSID(), ids)
		}
	}
}
