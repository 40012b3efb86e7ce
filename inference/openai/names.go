package openai

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mindnet/mindnet/inference/tokenizer"
)

// How servers name tokens in log-probability entries, and how this package
// maps the names back to ids.
//
// vLLM names a token by decoding it alone (tokenizer.decode([id])), which for
// a byte-level BPE token that holds part of a UTF-8 sequence gives U+FFFD
// replacement characters, one per maximal invalid subpart, as Python's
// errors="replace" and Rust's from_utf8_lossy do. Several tokens then share
// one name (every lone continuation byte is "\uFFFD"), so such a name is
// ambiguous by itself; the client resolves it against the answer's text,
// which the server decodes as a whole. OpenAI's own API writes such tokens
// as "bytes:\xe2\x80", which is exact; vLLM's return_tokens_as_token_ids
// writes "token_id:N", which is exact too.

// LossyText decodes b as UTF-8, replacing each maximal subpart of an
// ill-formed sequence with one U+FFFD: the text Python's
// bytes.decode("utf-8", "replace") gives, and so the token names vLLM writes.
func LossyText(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r != utf8.RuneError || size > 1 {
			sb.WriteRune(r)
			b = b[size:]
			continue
		}
		sb.WriteRune(utf8.RuneError)
		b = b[maximalSubpart(b):]
	}
	return sb.String()
}

// maximalSubpart is the length of the longest prefix of b (at least 1) that
// starts a well-formed UTF-8 sequence without completing it (Unicode 15,
// section 3.9, "U+FFFD Substitution of Maximal Subparts").
func maximalSubpart(b []byte) int {
	lead := b[0]
	var need int
	lo, hi := byte(0x80), byte(0xBF) // range of the second byte
	switch {
	case lead >= 0xC2 && lead <= 0xDF:
		need = 1
	case lead == 0xE0:
		need, lo = 2, 0xA0
	case lead == 0xED:
		need, hi = 2, 0x9F
	case lead >= 0xE1 && lead <= 0xEF:
		need = 2
	case lead == 0xF0:
		need, lo = 3, 0x90
	case lead == 0xF4:
		need, hi = 3, 0x8F
	case lead >= 0xF1 && lead <= 0xF3:
		need = 3
	default:
		return 1
	}
	n := 1
	for n <= need && n < len(b) {
		c := b[n]
		if n == 1 && (c < lo || c > hi) || n > 1 && (c < 0x80 || c > 0xBF) {
			break
		}
		n++
	}
	return n
}

// parseBytesName reads OpenAI's "bytes:\xe2\x80" token names.
func parseBytesName(name string) ([]byte, bool) {
	rest, ok := strings.CutPrefix(name, "bytes:")
	if !ok {
		return nil, false
	}
	var out []byte
	for len(rest) > 0 {
		if len(rest) >= 4 && rest[0] == '\\' && rest[1] == 'x' {
			v, err := strconv.ParseUint(rest[2:4], 16, 8)
			if err == nil {
				out = append(out, byte(v))
				rest = rest[4:]
				continue
			}
		}
		out = append(out, rest[0])
		rest = rest[1:]
	}
	return out, true
}

// vocabIndex maps the names servers give tokens back to ids.
type vocabIndex struct {
	tok     *tokenizer.Tokenizer
	byBytes map[string]int   // exact bytes -> id
	byName  map[string][]int // lossy name -> ids, more than one when ambiguous
}

func newVocabIndex(tok *tokenizer.Tokenizer) *vocabIndex {
	v := &vocabIndex{tok: tok, byBytes: make(map[string]int, tok.VocabSize()), byName: make(map[string][]int, tok.VocabSize())}
	for id := 0; id < tok.VocabSize(); id++ {
		b, err := tok.TokenBytes(id)
		if err != nil || tok.IsSpecial(id) {
			continue // special tokens are found by content (SpecialID)
		}
		if _, seen := v.byBytes[string(b)]; !seen {
			v.byBytes[string(b)] = id
		}
		name := LossyText(b)
		v.byName[name] = append(v.byName[name], id)
	}
	return v
}

// candidates lists the ids a server's name for a token may stand for: one
// for an exact or unambiguous name, several for a lossy one, none when the
// name is no token of this vocabulary.
func (v *vocabIndex) candidates(name string) []int {
	if rest, ok := strings.CutPrefix(name, "token_id:"); ok {
		// Exact, and not checked against the tokenizer: a model's vocabulary
		// may be padded past its tokenizer's, and the verifier checks ids.
		if id, err := strconv.Atoi(rest); err == nil && id >= 0 {
			return []int{id}
		}
		return nil
	}
	if b, ok := parseBytesName(name); ok {
		if id, ok := v.byBytes[string(b)]; ok {
			return []int{id}
		}
		return nil
	}
	if id, ok := v.tok.SpecialID(name); ok {
		return []int{id}
	}
	return v.byName[name]
}

// resolve maps a run of token names onto ids, using text, the server's
// decoding of the whole run, to settle names several tokens share. Special
// tokens take no room in text (servers skip them when decoding), and text may
// end before the tokens do (a stop sequence cuts it). With partial set (a
// stream, whose server holds back an incomplete character), ambiguous tokens
// past the end of text are left for later: ids then covers only the leading
// tokens that text settles.
func (v *vocabIndex) resolve(names []string, text string, partial bool) (ids []int, err error) {
	cands := make([][]int, len(names))
	ambiguous := false
	for i, name := range names {
		cands[i] = v.candidates(name)
		if len(cands[i]) == 0 {
			return nil, fmt.Errorf("%w: %q is no token of the model's tokenizer (does the server serve the subnet's model?)", ErrUnmappableToken, name)
		}
		ambiguous = ambiguous || len(cands[i]) > 1
	}
	ids = make([]int, 0, len(names))
	if !ambiguous {
		for _, c := range cands {
			ids = append(ids, c[0])
		}
		return ids, nil
	}
	// Depth-first: each candidate must spell the text's next bytes. In a
	// byte-level vocabulary a token's bytes fix its id, so at most one path
	// spells the text.
	var walk func(i, off int) bool
	walk = func(i, off int) bool {
		if i == len(names) {
			return off == len(text)
		}
		if off == len(text) && len(cands[i]) > 1 && !v.allSpecial(cands[i]) {
			if partial {
				return true // settled by text still to come
			}
			return false
		}
		for _, id := range cands[i] {
			next := off
			if !v.tok.IsSpecial(id) {
				b, _ := v.tok.TokenBytes(id)
				rest := text[off:]
				switch {
				case len(b) <= len(rest) && rest[:len(b)] == string(b):
					next = off + len(b)
				case len(b) > len(rest) && string(b[:len(rest)]) == rest:
					next = len(text) // the text ends inside this token
				default:
					continue
				}
			}
			ids = append(ids, id)
			if walk(i+1, next) {
				return true
			}
			ids = ids[:len(ids)-1]
		}
		return false
	}
	if !walk(0, 0) {
		return nil, fmt.Errorf("%w: the token names do not spell the answer's text %q", ErrUnmappableToken, text)
	}
	return ids, nil
}

func (v *vocabIndex) allSpecial(ids []int) bool {
	for _, id := range ids {
		if !v.tok.IsSpecial(id) {
			return false
		}
	}
	return true
}
