package tokenizer

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// toyJSON builds a tokenizer.json with two specials, the 256 byte tokens and
// the given merges (each written in plain text, mapped to the byte alphabet).
func toyJSON(t testing.TB, merges [][2]string) []byte {
	t.Helper()
	alpha := func(s string) string {
		var sb strings.Builder
		for i := 0; i < len(s); i++ {
			sb.WriteRune(byteToRune[s[i]])
		}
		return sb.String()
	}
	vocab := map[string]int{"<|begin_of_text|>": 0, "<|end_of_text|>": 1}
	for b := 0; b < 256; b++ {
		vocab[string(byteToRune[b])] = len(vocab)
	}
	var ms []string
	for _, m := range merges {
		l, r := alpha(m[0]), alpha(m[1])
		if _, ok := vocab[l+r]; !ok {
			vocab[l+r] = len(vocab)
		}
		ms = append(ms, l+" "+r)
	}
	doc := map[string]any{
		"version": "1.0",
		"added_tokens": []map[string]any{
			{"id": 0, "content": "<|begin_of_text|>", "special": true},
			{"id": 1, "content": "<|end_of_text|>", "special": true},
		},
		"normalizer":    nil,
		"pre_tokenizer": map[string]any{"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
		"decoder":       map[string]any{"type": "ByteLevel"},
		"model":         map[string]any{"type": "BPE", "vocab": vocab, "merges": ms},
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

var toyMerges = [][2]string{
	{" ", "f"}, {"u", "n"}, {" f", "un"}, {"c", "(" /* never adjacent via split */}, {"a", "a"},
	{"aa", "aa"}, {"i", "n"}, {"in", "t"}, {"\n", "\t"}, {"=", "="},
}

func toy(t testing.TB) *Tokenizer {
	tok, err := Parse(toyJSON(t, toyMerges))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func pieces(t *testing.T, tok *Tokenizer, ids []int) []string {
	var out []string
	for _, id := range ids {
		b, err := tok.TokenBytes(id)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

func TestSplitWords(t *testing.T) {
	cases := map[string][]string{
		"func main() {\n\tx := 1\n}": {"func", " main", "()", " {", "\n", "\t", "x", " :=", " 1", "\n", "}"},
		"a  b":                       {"a", " ", " b"},
		"a\n\n\tb   ":                {"a", "\n\n", "\t", "b", "   "},
		"it's they'll 'x":            {"it", "'s", " they", "'ll", " '", "x"},
		"héllo wörld ١٢٣ x²":         {"héllo", " wörld", " ١٢٣", " x", "²"},
		"tab\t\u3000y":               {"tab", "\t", "\u3000", "y"},
		" ":                          {" "},
		"x \x1c":                     {"x", " \x1c"},
		"bad\xffbyte":                {"bad", "\xff", "byte"},
	}
	for in, want := range cases {
		if got := splitWords(nil, in); !slices.Equal(got, want) {
			t.Errorf("split %q = %q, want %q", in, got, want)
		}
	}
}

func TestMergesByRank(t *testing.T) {
	tok := toy(t)
	ids := tok.Encode(" fun aaaaa int\n\tx")
	got := pieces(t, tok, ids)
	want := []string{" fun", " ", "aaaa", "a", " ", "int", "\n", "\t", "x"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q want %q", got, want)
	}
	// A very long word must stay fast and merge consistently.
	long := strings.Repeat("=", 100000)
	if n := len(tok.Encode(long)); n != 50000 {
		t.Fatalf("long word: %d tokens", n)
	}
}

func TestSpecialTokens(t *testing.T) {
	tok := toy(t)
	ids := tok.Encode("a<|end_of_text|>b<|begin_of_text|>")
	if !slices.Equal(ids, []int{tok.byteIDOf('a'), 1, tok.byteIDOf('b'), 0}) {
		t.Fatalf("ids %v", ids)
	}
	if id, ok := tok.SpecialID("<|end_of_text|>"); !ok || id != 1 || !tok.IsSpecial(1) || tok.IsSpecial(5) {
		t.Fatal("special lookup")
	}
	text, err := tok.Decode(ids)
	if err != nil || text != "a<|end_of_text|>b<|begin_of_text|>" {
		t.Fatalf("decode %q %v", text, err)
	}
	if _, err := tok.Decode([]int{tok.VocabSize()}); !errors.Is(err, ErrUnknownID) {
		t.Fatalf("out of range id: %v", err)
	}
}

func (t *Tokenizer) byteIDOf(b byte) int { return int(t.byteID[b]) }

func TestRoundTripRandom(t *testing.T) {
	tok := toy(t)
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("ab \t\n'sllé世界🙂١²\u3000\u00a0=(){}\"")
	for i := 0; i < 2000; i++ {
		var sb strings.Builder
		n := rng.IntN(40)
		for j := 0; j < n; j++ {
			switch rng.IntN(4) {
			case 0:
				sb.WriteRune(rune(rng.IntN(0x10FFFF)))
			case 1:
				sb.WriteByte(byte(rng.IntN(256)))
			default:
				sb.WriteRune(alphabet[rng.IntN(len(alphabet))])
			}
		}
		s := sb.String()
		got, err := tok.Decode(tok.Encode(s))
		if err != nil || got != s {
			t.Fatalf("round trip %q -> %q (%v)", s, got, err)
		}
		if utf8.ValidString(s) && strings.Join(splitWords(nil, s), "") != s {
			t.Fatalf("split lost text of %q", s)
		}
	}
}

// goSources lists some Go files to round-trip: this package's own and, when
// the toolchain's sources are on disk (they are wherever Go is installed),
// a slice of the standard library.
func goSources(t *testing.T) []string {
	files, _ := filepath.Glob("*.go")
	std, _ := filepath.Glob(filepath.Join(runtime.GOROOT(), "src", "strings", "*.go"))
	return append(files, std...)
}

func TestRoundTripGoSource(t *testing.T) {
	tok := toy(t)
	for _, f := range goSources(t) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := tok.Decode(tok.Encode(string(src)))
		if err != nil || got != string(src) {
			t.Fatalf("%s does not round-trip", f)
		}
	}
}

func TestMalformedFiles(t *testing.T) {
	good := string(toyJSON(t, toyMerges))
	cases := []struct {
		name, doc string
		want      error
	}{
		{"not json", "{", ErrFormat},
		{"wordpiece", strings.Replace(good, `"type":"BPE"`, `"type":"WordPiece"`, 1), ErrUnsupported},
		{"metaspace", strings.Replace(good, `"type":"ByteLevel","use_regex"`, `"type":"Metaspace","use_regex"`, 1), ErrUnsupported},
		{"normalizer", strings.Replace(good, `"normalizer":null`, `"normalizer":{"type":"Lowercase"}`, 1), ErrUnsupported},
		{"split pattern", strings.Replace(good, `"pre_tokenizer":{`, `"pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"Split","pattern":{"Regex":"\\w+"},"behavior":"Isolated"},{"type":"ByteLevel","use_regex":false}]},"x":{`, 1), ErrUnsupported},
		{"lstrip", strings.Replace(good, `"special":true`, `"special":true,"lstrip":true`, 1), ErrUnsupported},
		{"template", strings.Replace(good, `"normalizer":null`, `"normalizer":null,"post_processor":{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<nope>"}}]}`, 1), ErrFormat},
		{"bad merge", strings.Replace(good, `"merges":[`, `"merges":["x",`, 1), ErrFormat},
		{"unknown merge", strings.Replace(good, `"merges":[`, `"merges":["zz qq",`, 1), ErrFormat},
		{"missing bytes", string(mustJSON(t, map[string]any{"pre_tokenizer": map[string]any{"type": "ByteLevel"},
			"model": map[string]any{"type": "BPE", "vocab": map[string]int{"a": 0}, "merges": []string{}}})), ErrFormat},
	}
	for _, c := range cases {
		if _, err := Parse([]byte(c.doc)); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v want %v", c.name, err, c.want)
		}
	}
	// The array spelling of merges is accepted too.
	arr := strings.Replace(good, `"merges":["`, `"merges":[["Ġ","f"],"`, 1)
	if _, err := Parse([]byte(arr)); err != nil {
		t.Errorf("array merge: %v", err)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func FuzzRoundTrip(f *testing.F) {
	tok := toy(f)
	f.Add("func main() {\n\tprintln(\"hi\")\n}\n")
	f.Add("it's  'll\u3000\xff<|end_of_text|>")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := tok.Decode(tok.Encode(s))
		if err != nil || got != s {
			t.Fatalf("round trip %q -> %q (%v)", s, got, err)
		}
	})
}

func FuzzParse(f *testing.F) {
	f.Add(toyJSON(f, toyMerges))
	f.Fuzz(func(t *testing.T, data []byte) {
		tok, err := Parse(data)
		if err != nil {
			return
		}
		ids := tok.Encode("x := y<|end_of_text|>")
		if _, err := tok.Decode(ids); err != nil {
			t.Fatal(err)
		}
	})
}
