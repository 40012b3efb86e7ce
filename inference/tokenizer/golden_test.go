package tokenizer

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
)

// checkGolden compares Encode with the ids that scripts/model/golden.py's
// independent Python implementation produced for the same tokenizer.json.
func checkGolden(t *testing.T, tokenizerPath, goldenPath string) {
	t.Helper()
	f, err := os.Open(tokenizerPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tok, err := Read(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Cases []struct {
			Text string `json:"text"`
			IDs  []int  `json:"ids"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Cases) == 0 {
		t.Fatal("no golden cases")
	}
	for _, c := range g.Cases {
		ids := tok.Encode(c.Text)
		if !slices.Equal(ids, c.IDs) && !(len(ids) == 0 && len(c.IDs) == 0) {
			t.Errorf("%q: Go %v, Python %v", c.Text, ids, c.IDs)
		}
		back, err := tok.Decode(ids)
		if err != nil || back != c.Text {
			t.Errorf("%q decodes to %q (%v)", c.Text, back, err)
		}
	}
}

// TestGoldenShippedTokenizer: Go and the training script's Python encoder,
// written independently, agree on the shipped tokenizer.
func TestGoldenShippedTokenizer(t *testing.T) {
	checkGolden(t, "../../models/gocode-tiny/tokenizer.json", "testdata/golden.json")
}

func TestShippedTokenizerRoundTrips(t *testing.T) {
	f, err := os.Open("../../models/gocode-tiny/tokenizer.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tok, err := Read(f)
	if err != nil {
		t.Fatal(err)
	}
	var chars, tokens int
	for _, path := range goSources(t) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		ids := tok.Encode(string(src))
		back, err := tok.Decode(ids)
		if err != nil || back != string(src) {
			t.Fatalf("%s does not round-trip", path)
		}
		chars += len(src)
		tokens += len(ids)
	}
	t.Logf("Go source: %.2f bytes per token", float64(chars)/float64(tokens))
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 500; i++ {
		b := make([]byte, rng.IntN(64))
		for j := range b {
			b[j] = byte(rng.IntN(256))
		}
		s := string(b)
		if i%2 == 0 {
			s = strings.ToValidUTF8(s, "é")
		}
		if back, err := tok.Decode(tok.Encode(s)); err != nil || back != s {
			t.Fatalf("%q round-trips to %q", s, back)
		}
	}
}
