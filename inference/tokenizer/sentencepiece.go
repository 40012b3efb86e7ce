package tokenizer

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// metaspace is SentencePiece's stand-in for a blank, U+2581.
const metaspace = "▁"

// prepend says when a SentencePiece-style tokenizer puts ▁ before a part of
// the text.
type prepend int

const (
	prependNever  prepend = iota
	prependFirst          // Metaspace "first": only the part at the text's start
	prependAlways         // Metaspace "always": every part not starting with ▁
	prependLegacy         // normalizer Prepend: every non-empty part, unconditionally
)

// sentencePiece is how Llama 2 and Mistral tokenizers turn text into BPE
// symbols: blanks become ▁, a ▁ goes before the text, and each character
// is a symbol, or its UTF-8 bytes as <0xXX> tokens when the vocabulary
// lacks it (byte fallback).
type sentencePiece struct {
	on       bool
	prepend  prepend
	split    bool             // Metaspace split: each ▁ starts a new word
	symbolID map[string]int32 // a character's token
	byteID   [256]int32       // <0xXX> tokens, -1 where absent
	fallback bool             // byte_fallback: unknown characters become their bytes
	unk      int32            // unk_token's id, -1 for none
	strip    int              // leading blanks the decoder strips
}

// isSentencePiece reports a Metaspace pre-tokenizer or the Prepend/Replace
// normalizer pair, the two ways tokenizer.json writes SentencePiece's
// behaviour.
func isSentencePiece(f *fileFormat) bool {
	for _, c := range append(f.PreTokenizer.members(), f.Normalizer.members()...) {
		if c.Type == "Metaspace" || c.Type == "Prepend" {
			return true
		}
	}
	return false
}

func (t *Tokenizer) parseSentencePiece(f *fileFormat) error {
	sp := &t.sp
	sp.on = true
	sp.unk = -1
	norm := f.Normalizer.members()
	pre := f.PreTokenizer.members()
	switch {
	case len(pre) == 0 && len(norm) == 2 && norm[0].Type == "Prepend" && norm[0].Prepend == metaspace &&
		norm[1].Type == "Replace" && norm[1].Pattern.String != nil && *norm[1].Pattern.String == " " && norm[1].Content == metaspace:
		sp.prepend = prependLegacy
	case len(norm) == 0 && len(pre) == 1 && pre[0].Type == "Metaspace" && pre[0].Replacement == metaspace:
		switch pre[0].PrependScheme {
		case "always":
			sp.prepend = prependAlways
		case "first":
			sp.prepend = prependFirst
		case "never":
			sp.prepend = prependNever
		case "": // files from before prepend_scheme: add_prefix_space
			if pre[0].AddPrefixSpace == nil || *pre[0].AddPrefixSpace {
				sp.prepend = prependAlways
			}
		default:
			return fmt.Errorf("%w: Metaspace prepend_scheme %q", ErrUnsupported, pre[0].PrependScheme)
		}
		sp.split = pre[0].Split == nil || *pre[0].Split
	default:
		return fmt.Errorf("%w: SentencePiece-style tokenizer with normalizer %s and pre_tokenizer %s "+
			"(want Prepend+Replace and none, or none and Metaspace)", ErrUnsupported, typesOf(norm), typesOf(pre))
	}
	for _, d := range f.Decoder.members() {
		switch d.Type {
		case "Replace", "ByteFallback", "Fuse":
		case "Strip":
			if d.Content != " " || d.Stop != 0 {
				return fmt.Errorf("%w: Strip decoder of %q, %d, %d", ErrUnsupported, d.Content, d.Start, d.Stop)
			}
			sp.strip = d.Start
		case "Metaspace":
			if d.PrependScheme != "never" {
				sp.strip = 1
			}
		default:
			return fmt.Errorf("%w: decoder %q in a SentencePiece-style tokenizer", ErrUnsupported, d.Type)
		}
	}
	for i := range sp.byteID {
		sp.byteID[i] = -1
	}
	sp.symbolID = map[string]int32{}
	for piece, id := range f.Model.Vocab {
		if id < 0 {
			return fmt.Errorf("%w: negative id for %q", ErrFormat, piece)
		}
		if t.pieces[id] != nil {
			return fmt.Errorf("%w: id %d used twice", ErrFormat, id)
		}
		if b, ok := byteToken(piece); ok {
			sp.byteID[b] = int32(id)
			t.pieces[id] = []byte{b}
			continue
		}
		t.pieces[id] = []byte(strings.ReplaceAll(piece, metaspace, " "))
		if utf8.RuneCountInString(piece) == 1 {
			sp.symbolID[piece] = int32(id)
		}
	}
	if f.Model.UnkToken != nil {
		id, ok := f.Model.Vocab[*f.Model.UnkToken]
		if !ok {
			return fmt.Errorf("%w: unk_token %q not in the vocabulary", ErrFormat, *f.Model.UnkToken)
		}
		sp.unk = int32(id)
	}
	if sp.fallback = f.Model.ByteFallback; sp.fallback {
		for b, id := range sp.byteID {
			if id < 0 {
				return fmt.Errorf("%w: byte_fallback without the token <0x%02X>", ErrFormat, b)
			}
		}
	} else if sp.unk < 0 {
		return fmt.Errorf("%w: SentencePiece-style tokenizer with neither byte_fallback nor unk_token", ErrUnsupported)
	}
	return nil
}

// byteToken reads a byte-fallback token, <0x0A>.
func byteToken(piece string) (byte, bool) {
	if len(piece) != 6 || !strings.HasPrefix(piece, "<0x") || piece[5] != '>' {
		return 0, false
	}
	v, err := strconv.ParseUint(piece[3:5], 16, 8)
	return byte(v), err == nil && strings.ToUpper(piece[3:5]) == piece[3:5]
}

// encodeSentencePiece appends the tokens of one part of the text (between
// added tokens); first says whether the part starts the text.
func (t *Tokenizer) encodeSentencePiece(w *wordState, part string, first bool, out []int) []int {
	sp := &t.sp
	s := strings.ReplaceAll(part, " ", metaspace)
	switch sp.prepend {
	case prependLegacy:
		s = metaspace + s
	case prependAlways:
		if !strings.HasPrefix(s, metaspace) {
			s = metaspace + s
		}
	case prependFirst:
		if first && !strings.HasPrefix(s, metaspace) {
			s = metaspace + s
		}
	}
	if !sp.split {
		return w.symbols(t, s, out)
	}
	for len(s) > 0 {
		// Each ▁ begins a word (MergedWithNext): cut before the next one.
		end := len(s)
		if i := strings.Index(s[1:], metaspace); i >= 0 {
			end = 1 + i
		}
		out = w.symbols(t, s[:end], out)
		s = s[end:]
	}
	return out
}

// symbols runs BPE over a word's characters, each one's token or, without
// one, its bytes' tokens (or unk).
func (w *wordState) symbols(t *Tokenizer, word string, out []int) []int {
	w.ids = w.ids[:0]
	for i := 0; i < len(word); {
		// A byte that is not UTF-8 is a character of its own here: it has
		// no token but its byte's.
		_, n := utf8.DecodeRuneInString(word[i:])
		char := word[i : i+n]
		i += n
		if id, ok := t.sp.symbolID[char]; ok {
			w.ids = append(w.ids, id)
			continue
		}
		if t.sp.fallback {
			for _, b := range []byte(char) {
				w.ids = append(w.ids, t.sp.byteID[b])
			}
			continue
		}
		// fuse_unk: consecutive unknowns are one unk, as SentencePiece does.
		if len(w.ids) == 0 || w.ids[len(w.ids)-1] != t.sp.unk {
			w.ids = append(w.ids, t.sp.unk)
		}
	}
	return w.merge(t, out)
}
