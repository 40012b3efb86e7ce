package modelid_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mindnet/mindnet/inference/modelid"
	"github.com/mindnet/mindnet/models"
)

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// folder is a small model folder with two shards, listed out of order, and files that do not count.
func folder() fstest.MapFS {
	return fstest.MapFS{
		"m/tokenizer.json":                       {Data: []byte(`{"model":{}}`)},
		"m/model-00002-of-00002.safetensors":     {Data: []byte("shard two")},
		"m/config.json":                          {Data: []byte(`{"max_position_embeddings": 4096}`)},
		"m/model-00001-of-00002.safetensors":     {Data: []byte("shard one")},
		"m/README.md":                            {Data: []byte("ignored")},
		"m/generation_config.json":               {Data: []byte("{}")},
		"m/model.safetensors.index.json":         {Data: []byte("{}")},
		"m/sub/model-00003-of-00002.safetensors": {Data: []byte("not top level")},
	}
}

func TestDigestFollowsTheDocumentedManifest(t *testing.T) {
	fsys := folder()
	want := sum(sum(`{"max_position_embeddings": 4096}`) + "  config.json\n" +
		sum("shard one") + "  model-00001-of-00002.safetensors\n" +
		sum("shard two") + "  model-00002-of-00002.safetensors\n" +
		sum(`{"model":{}}`) + "  tokenizer.json\n")
	got, err := modelid.Digest(fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("digest %s, want %s", got, want)
	}
	if !modelid.ValidDigest(got) {
		t.Fatalf("digest %q is not in the form ValidDigest accepts", got)
	}
}

func TestDigestChangesWithAnyCanonicalFileAndOnlyThem(t *testing.T) {
	base, err := modelid.Digest(folder(), "m")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"config.json", "tokenizer.json", "model-00001-of-00002.safetensors"} {
		fsys := folder()
		fsys["m/"+name] = &fstest.MapFile{Data: []byte("changed")}
		if d, _ := modelid.Digest(fsys, "m"); d == base {
			t.Errorf("changing %s left the digest unchanged", name)
		}
	}
	fsys := folder()
	fsys["m/README.md"] = &fstest.MapFile{Data: []byte("changed")}
	fsys["m/model.safetensors.index.json"] = &fstest.MapFile{Data: []byte("changed")}
	if d, _ := modelid.Digest(fsys, "m"); d != base {
		t.Errorf("changing a non-canonical file changed the digest")
	}
	// Renaming a shard changes the manifest, and so the digest, even with the same bytes.
	fsys = folder()
	fsys["m/model-00003-of-00003.safetensors"] = fsys["m/model-00002-of-00002.safetensors"]
	delete(fsys, "m/model-00002-of-00002.safetensors")
	if d, _ := modelid.Digest(fsys, "m"); d == base {
		t.Errorf("renaming a shard left the digest unchanged")
	}
}

func TestDigestRefusesIncompleteFolders(t *testing.T) {
	for _, missing := range []string{"m/config.json", "m/tokenizer.json"} {
		fsys := folder()
		delete(fsys, missing)
		if _, err := modelid.Digest(fsys, "m"); !errors.Is(err, modelid.ErrNotModelFolder) {
			t.Errorf("without %s: got %v, want ErrNotModelFolder", missing, err)
		}
	}
	fsys := folder()
	delete(fsys, "m/model-00001-of-00002.safetensors")
	delete(fsys, "m/model-00002-of-00002.safetensors")
	if _, err := modelid.Digest(fsys, "m"); !errors.Is(err, modelid.ErrNotModelFolder) {
		t.Errorf("without weights: got %v, want ErrNotModelFolder", err)
	}
	if _, err := modelid.Digest(folder(), "nowhere"); err == nil {
		t.Errorf("a missing folder gave no error")
	}
	fsys = folder()
	fsys["m/odd\\name.safetensors"] = &fstest.MapFile{Data: []byte("x")}
	if _, err := modelid.Digest(fsys, "m"); err == nil || !strings.Contains(err.Error(), "backslash") {
		t.Errorf("a name sha256sum would escape: got %v", err)
	}
}

func TestBuiltinConstantsMatchTheEmbeddedModel(t *testing.T) {
	if modelid.BuiltinName != models.DefaultName {
		t.Fatalf("modelid.BuiltinName is %q, models.DefaultName %q", modelid.BuiltinName, models.DefaultName)
	}
	got, err := modelid.Digest(models.FS, models.DefaultName)
	if err != nil {
		t.Fatal(err)
	}
	if got != modelid.BuiltinDigest {
		t.Fatalf("the built-in model's digest is %s but modelid.BuiltinDigest says %s: update the constant", got, modelid.BuiltinDigest)
	}
	n, err := modelid.ContextLength(models.FS, models.DefaultName)
	if err != nil {
		t.Fatal(err)
	}
	if n != modelid.BuiltinContextLength {
		t.Fatalf("the built-in model's context is %d but modelid.BuiltinContextLength says %d", n, modelid.BuiltinContextLength)
	}
}

// TestCoreutilsRecipeGivesTheSameDigest runs the one-liner the docs give, on a folder on disk.
func TestCoreutilsRecipeGivesTheSameDigest(t *testing.T) {
	for _, tool := range []string{"sh", "sha256sum", "sort"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	dir := t.TempDir()
	for name, f := range folder() {
		p := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(name, "m/")))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := modelid.Digest(os.DirFS(dir), ".")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", "sha256sum config.json tokenizer.json *.safetensors | LC_ALL=C sort -k 2 | sha256sum")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Fields(string(out))[0]; got != want {
		t.Fatalf("coreutils recipe gives %s, Digest %s", got, want)
	}
}

func TestValidDigestAndShort(t *testing.T) {
	good := strings.Repeat("0a", 32)
	for s, want := range map[string]bool{
		good:                    true,
		strings.ToUpper(good):   false,
		good[:63]:               false,
		good + "0":              false,
		strings.Repeat("g", 64): false,
		"":                      false,
		modelid.BuiltinDigest:   true,
	} {
		if modelid.ValidDigest(s) != want {
			t.Errorf("ValidDigest(%q) = %v, want %v", s, !want, want)
		}
	}
	if modelid.Short(good) != good[:12] || modelid.Short("abc") != "abc" {
		t.Errorf("Short: got %q and %q", modelid.Short(good), modelid.Short("abc"))
	}
}

func TestContextLengthRefusesAConfigWithoutIt(t *testing.T) {
	fsys := folder()
	if n, err := modelid.ContextLength(fsys, "m"); err != nil || n != 4096 {
		t.Fatalf("got %d, %v; want 4096", n, err)
	}
	fsys["m/config.json"] = &fstest.MapFile{Data: []byte(`{"hidden_size": 8}`)}
	if _, err := modelid.ContextLength(fsys, "m"); err == nil {
		t.Fatal("a config without max_position_embeddings gave no error")
	}
}
