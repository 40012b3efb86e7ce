package tasks

import (
	"errors"
	"go/scanner"
	"go/token"
	"strings"
	"testing"
)

func TestDefaultSetParses(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if set.Len() < 100 || set.Len() > 200 {
		t.Fatalf("%d prompts, want 100 to 200", set.Len())
	}
	for i := range set.Len() {
		p := set.Prompt(i)
		if len(p.Text()) > 600 {
			t.Errorf("%s: %d bytes, too long for the model's context", p.Name, len(p.Text()))
		}
		// Every prompt is Go that lexes cleanly (no unterminated literal), as written and varied.
		for _, text := range []string{p.Text(), p.render(rngFor(uint64(i)))} {
			if err := lexes(text); err != nil {
				t.Errorf("%s: %v\n%s", p.Name, err, text)
			}
		}
	}
}

func lexes(src string) error {
	var errs scanner.ErrorList
	var s scanner.Scanner
	fset := token.NewFileSet()
	s.Init(fset.AddFile("prompt.go", -1, len(src)), []byte(src), func(pos token.Position, msg string) { errs.Add(pos, msg) }, scanner.ScanComments)
	for {
		if _, tok, _ := s.Scan(); tok == token.EOF {
			break
		}
	}
	return errs.Err()
}

func TestParseFormat(t *testing.T) {
	set, err := Parse([]byte("# comment\n\n=== one\nfunc {{f}}({{x}} int) {\n\treturn {{#8}} + \\\n=== two\nT{{{v}}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if set.Len() != 2 {
		t.Fatalf("%d prompts", set.Len())
	}
	if got := set.Prompt(0).Text(); got != "func f(x int) {\n\treturn 8 + " {
		t.Fatalf("prompt one: %q", got)
	}
	if got := set.Prompt(1).Text(); got != "T{v}\n" {
		t.Fatalf("prompt two: %q", got)
	}
	if labels := set.Prompt(0).labels; len(labels) != 2 || labels[0] != "f" || labels[1] != "x" {
		t.Fatalf("labels %v", labels)
	}
}

func TestParseRefusesMalformedSets(t *testing.T) {
	cases := map[string]string{
		"empty":                "# nothing\n",
		"text before header":   "func f() {\n=== a\nx\n",
		"duplicate name":       "=== a\nx\n=== a\ny\n",
		"name with space":      "=== a b\nx\n",
		"unclosed slot":        "=== a\nfunc {{f(\n",
		"bad slot":             "=== a\n{{a-b}}\n",
		"bad integer":          "=== a\n{{#0}}\n",
		"text after backslash": "=== a\nx \\\ny\n",
		"empty prompt":         "=== a\n=== b\nx\n",
	}
	for name, text := range cases {
		if _, err := Parse([]byte(text)); !errors.Is(err, ErrPromptSet) {
			t.Errorf("%s: got %v", name, err)
		}
	}
	_, err := Parse([]byte("=== a\nx\n=== b\n{{a-b}}\n"))
	if err == nil || !strings.Contains(err.Error(), `"b" (line 3)`) {
		t.Errorf("error does not name the prompt and line: %v", err)
	}
}

func TestRenderRenamesConsistently(t *testing.T) {
	set, err := Parse([]byte("=== a\nfunc {{sum}}({{xs}} []int) int {\n\tfor _, {{v}} := range {{xs}} {\n\t\tbuf := {{#10}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := set.Prompt(0)
	changed := 0
	for seed := range uint64(50) {
		out := p.render(rngFor(seed))
		var fn, xs, v, xs2 string
		var lit int
		if _, err := fmtSscanf(out, &fn, &xs, &v, &xs2, &lit); err != nil {
			t.Fatalf("%q: %v", out, err)
		}
		if xs != xs2 {
			t.Fatalf("one label, two names: %q", out)
		}
		if fn == xs || fn == v || xs == v || fn == "buf" || xs == "buf" || v == "buf" {
			t.Fatalf("names collide: %q", out)
		}
		if lit < 5 || lit > 20 {
			t.Fatalf("literal %d outside [5, 20]", lit)
		}
		if out != p.Text() {
			changed++
		}
	}
	if changed < 45 {
		t.Fatalf("only %d of 50 variations differ from the prompt as written", changed)
	}
}
