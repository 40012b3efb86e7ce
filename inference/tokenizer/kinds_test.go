package tokenizer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestGoldenKinds: for each kind of tokenizer.json (Llama 3, Qwen2 and
// SmolLM2 byte-level BPE with their splits, Llama 2 and Mistral
// SentencePiece-style BPE), Encode gives the ids that
// scripts/model/hftok.py, written apart from this package and running the
// files' own regular expressions through Python's `regex`, gives for the
// same texts (scripts/model/tokgolden.py writes both).
func TestGoldenKinds(t *testing.T) {
	for _, kind := range []struct {
		name string
		bos  []string // what the post-processor puts first
		// roundTrip: Decode(Encode(s)) == s for this text, which NFC
		// (Qwen2), a Metaspace that adds no second ▁ (Mistral) and the
		// legacy normalizer's ▁ after each added token (Llama 2, as
		// transformers' legacy mode) do not keep for every text.
		roundTrip func(string) bool
	}{
		{"llama3", []string{"<|begin_of_text|>"}, func(string) bool { return true }},
		{"qwen2", nil, func(string) bool { return false }},
		{"smollm2", nil, func(string) bool { return true }},
		{"llama2", []string{"<s>"}, func(s string) bool { return !strings.Contains(s, "</s>") }},
		{"mistral", []string{"<s>"}, func(string) bool { return false }},
	} {
		t.Run(kind.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", kind.name+".tokenizer.json"))
			if err != nil {
				t.Fatal(err)
			}
			tok, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			bos, ok := tok.BOS()
			var want []int
			for _, s := range kind.bos {
				id, _ := tok.SpecialID(s)
				want = append(want, id)
			}
			if !ok || !slices.Equal(bos, want) {
				t.Errorf("BOS %v %v, want %v", bos, ok, want)
			}
			data, err = os.ReadFile(filepath.Join("testdata", kind.name+".golden.json"))
			if err != nil {
				t.Fatal(err)
			}
			var g struct {
				Cases []struct {
					Text string `json:"text"`
					IDs  []int  `json:"ids"`
				} `json:"cases"`
			}
			if err := json.Unmarshal(data, &g); err != nil || len(g.Cases) < 10 {
				t.Fatalf("%d cases, %v", len(g.Cases), err)
			}
			for _, c := range g.Cases {
				ids := tok.Encode(c.Text)
				if !slices.Equal(ids, c.IDs) && len(ids)+len(c.IDs) > 0 {
					t.Errorf("%q:\n Go     %v\n Python %v", c.Text, ids, c.IDs)
				}
				back, err := tok.Decode(ids)
				if err != nil {
					t.Errorf("%q: %v", c.Text, err)
				}
				if kind.roundTrip(c.Text) && back != c.Text {
					t.Errorf("%q decodes to %q", c.Text, back)
				}
			}
		})
	}
}

// TestSentencePieceSteps pins the steps of the SentencePiece-style path
// that the golden texts rely on, on the Llama 2-style file.
func TestSentencePieceSteps(t *testing.T) {
	data, err := os.ReadFile("testdata/llama2.tokenizer.json")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	// An emoji has no piece: its four bytes come out as <0xXX> tokens, and
	// decode back to it.
	ids := tok.Encode("🙂")
	var pieces []string
	for _, id := range ids {
		b, _ := tok.TokenBytes(id)
		pieces = append(pieces, string(b))
	}
	if len(ids) != 5 || pieces[0] != " " || strings.Join(pieces[1:], "") != "🙂" {
		t.Errorf("🙂 -> %v %q", ids, pieces)
	}
	// The legacy normalizer puts ▁ before each part between added tokens.
	a := tok.Encode("x</s>x")
	if len(a) != 3 || a[0] != a[2] {
		t.Errorf("x</s>x -> %v", a)
	}
	if s, _ := tok.Decode(tok.Encode("a b")); s != "a b" {
		t.Errorf("a b round-trips to %q", s)
	}
}

// FuzzKinds: no text makes any kind of tokenizer panic or produce an id it
// cannot decode, and the Llama 3 one round-trips every text.
func FuzzKinds(f *testing.F) {
	var toks []*Tokenizer
	for _, name := range []string{"llama3", "qwen2", "llama2", "mistral", "smollm2"} {
		data, err := os.ReadFile(filepath.Join("testdata", name+".tokenizer.json"))
		if err != nil {
			f.Fatal(err)
		}
		tok, err := Parse(data)
		if err != nil {
			f.Fatal(err)
		}
		toks = append(toks, tok)
	}
	f.Add("it's 1234 <s>x</s>\r\n\n  ▁ \xff\xfe🙂<|eot_id|>")
	f.Add("'S'ſ\u0301e\u0301 ٣٤٥٦ !!a")
	f.Fuzz(func(t *testing.T, s string) {
		for i, tok := range toks {
			back, err := tok.Decode(tok.Encode(s))
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 && back != s {
				t.Fatalf("llama3: %q -> %q", s, back)
			}
		}
	})
}

// TestKindRefusals: variants of the kinds that this package does not
// implement are refused, naming what is wrong, rather than encoded wrongly.
func TestKindRefusals(t *testing.T) {
	read := func(name string) map[string]any {
		data, err := os.ReadFile(filepath.Join("testdata", name+".tokenizer.json"))
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		return doc
	}
	for _, c := range []struct {
		kind, want string
		edit       func(doc map[string]any)
	}{
		{"mistral", `prepend_scheme "sometimes"`, func(d map[string]any) {
			d["pre_tokenizer"].(map[string]any)["prepend_scheme"] = "sometimes"
		}},
		{"mistral", "neither byte_fallback nor unk_token", func(d map[string]any) {
			m := d["model"].(map[string]any)
			m["byte_fallback"], m["unk_token"] = false, nil
		}},
		{"mistral", `decoder "WordPiece"`, func(d map[string]any) { d["decoder"] = map[string]any{"type": "WordPiece"} }},
		{"llama2", "normalizer Prepend+Lowercase", func(d map[string]any) {
			n := d["normalizer"].(map[string]any)["normalizers"].([]any)
			n[1] = map[string]any{"type": "Lowercase"}
		}},
		{"llama2", "byte_fallback without the token <0x41>", func(d map[string]any) {
			delete(d["model"].(map[string]any)["vocab"].(map[string]any), "<0x41>")
		}},
		{"llama3", `Split pattern "\\w+"`, func(d map[string]any) {
			d["pre_tokenizer"].(map[string]any)["pretokenizers"].([]any)[0].(map[string]any)["pattern"] = map[string]any{"Regex": `\w+`}
		}},
		{"qwen2", `normalizer "NFKC"`, func(d map[string]any) { d["normalizer"] = map[string]any{"type": "NFKC"} }},
		{"qwen2", `decoder "Metaspace"`, func(d map[string]any) { d["decoder"] = map[string]any{"type": "Metaspace"} }},
	} {
		doc := read(c.kind)
		c.edit(doc)
		data, _ := json.Marshal(doc)
		_, err := Parse(data)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v (want an error naming %s)", c.kind, err, c.want)
		}
	}
}
