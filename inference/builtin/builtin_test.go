package builtin

import (
	"context"
	"strings"
	"testing"

	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/llama"
	"github.com/mindnet/mindnet/models"
)

func load(t testing.TB) *llama.Model {
	t.Helper()
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func loadFresh() (*llama.Model, error) {
	return llama.Load(models.FS, models.DefaultName, models.DefaultName)
}

func TestLoadIsShared(t *testing.T) {
	a, b := load(t), load(t)
	if a != b {
		t.Fatal("Load decoded the model twice")
	}
	info := a.Info()
	if info.Model != models.DefaultName || info.Backend != "builtin-cpu" || info.VocabSize < 256 {
		t.Fatalf("info %+v", info)
	}
}

// TestCompletesGoCode checks that the shipped model has learnt Go: greedy
// completions of common openings continue with the tokens a Go programmer
// would expect.
func TestCompletesGoCode(t *testing.T) {
	m := load(t)
	cases := []struct{ prompt, want string }{
		// The licence header every standard library file opens with.
		{"// Copyright 2009 The Go Authors. All rights reserved.\n", "// Use of this source code is governed by a BSD-style"},
		// Go's error idiom.
		{"func (b *Buffer) Write(p []byte) (n int, err error) {\n", "\tif "},
		// A block closes at the indentation it opened at.
		{"\tif err != nil {\n\t\treturn ", "\n\t}\n"},
	}
	for _, c := range cases {
		res, err := m.Generate(context.Background(), inference.Request{Prompt: c.prompt, MaxTokens: 24})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%q -> %q", c.prompt, res.Text)
		if !strings.Contains(res.Text, c.want) {
			t.Errorf("%q continued as %q, expected %q in it", c.prompt, res.Text, c.want)
		}
	}
}
