package tasks

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseJSONL(t *testing.T) {
	data := `{"name": "fib", "prompt": "def fib(n):\n"}

{"name": "add", "prompt": "func {{add}}(a, b int) int {\n\treturn a + b + {{#3}}\n}\n"}
`
	set, err := ParseJSONL([]byte(data))
	if err != nil || set.Len() != 2 || set.Prompt(0).Name != "fib" || !strings.Contains(set.Prompt(0).Text(), "def fib") {
		t.Fatalf("%v %v", set, err)
	}
	gen, err := NewGenerator(set, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if task := gen.Task(1, 0, "m"); task.Request.Prompt == "" {
		t.Fatal("empty task prompt")
	}
	for _, bad := range []string{
		``,
		`{"name": "a b", "prompt": "x"}`,
		`{"name": "a", "prompt": ""}`,
		`{"name": "a", "prompt": "x"}` + "\n" + `{"name": "a", "prompt": "y"}`,
		`{"name": "a", "prompt": "x", "extra": 1}`,
		`not json`,
		`{"name": "a", "prompt": "{{unclosed"}`,
	} {
		if _, err := ParseJSONL([]byte(bad)); !errors.Is(err, ErrPromptSet) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestLoad(t *testing.T) {
	def, err := Load("")
	if err != nil || def.Len() == 0 {
		t.Fatalf("default: %v", err)
	}
	path := filepath.Join(t.TempDir(), "p.jsonl")
	_ = os.WriteFile(path, []byte(`{"name": "one", "prompt": "print("}`), 0o600)
	if set, err := Load(path); err != nil || set.Len() != 1 {
		t.Fatalf("file: %v", err)
	}
	if _, err := Load(path + ".missing"); err == nil || !strings.Contains(err.Error(), "tasks.prompts") {
		t.Fatalf("missing: %v", err)
	}
}

// A subnet's context length bounds prompt and answer together.
func TestContextLengthBoundsTheAnswer(t *testing.T) {
	set, _ := Default()
	cfg := DefaultConfig()
	cfg.MaxTokens = []int{48}
	cfg.ContextLength = 40
	cfg.CountTokens = func(p string) int { return 30 }
	gen, err := NewGenerator(set, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if task := gen.Task(1, 0, "m"); task.Request.MaxTokens != 10 || task.Deadline != cfg.BaseDeadline+10*cfg.DeadlinePerToken {
		t.Fatalf("max tokens %d, deadline %v", task.Request.MaxTokens, task.Deadline)
	}
	cfg.ContextLength = 4096
	gen, _ = NewGenerator(set, cfg)
	if task := gen.Task(1, 0, "m"); task.Request.MaxTokens != 48 {
		t.Fatalf("room to spare: %d", task.Request.MaxTokens)
	}
}
