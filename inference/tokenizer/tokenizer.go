package tokenizer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Errors for tokenizer files this package cannot use, and for bad ids.
var (
	ErrFormat      = errors.New("tokenizer: malformed tokenizer.json")
	ErrUnsupported = errors.New("tokenizer: unsupported tokenizer.json feature")
	ErrUnknownID   = errors.New("tokenizer: token id out of range")
)

// Tokenizer is a loaded BPE tokenizer, byte-level (GPT-2, Llama 3, Qwen2)
// or SentencePiece-style (Llama 2, Mistral); safe for concurrent use.
type Tokenizer struct {
	pieces       [][]byte          // id -> bytes it decodes to
	special      map[string]int    // added tokens matched verbatim in text
	specialOrder []string          // longest first, for leftmost-longest matching
	isSpecial    []bool            // id -> added token
	merges       map[uint64]merged // (left id, right id) -> merge

	// Byte-level tokenizers.
	byteLevel      bool
	byteID         [256]int32 // single-byte token for each byte
	addPrefixSpace bool
	split          splitter
	nfc            bool             // normalizer NFC (Qwen2)
	wordID         map[string]int32 // ignore_merges: a whole word in the vocabulary is one token

	// SentencePiece-style tokenizers.
	sp sentencePiece

	// bos is what the post-processor puts before a single sequence; hasBOS
	// says whether the file has a post-processor to say so.
	bos    []int
	hasBOS bool
}

type merged struct {
	rank int32
	id   int32
}

func pairKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

type addedToken struct {
	ID         int    `json:"id"`
	Content    string `json:"content"`
	Special    bool   `json:"special"`
	LStrip     bool   `json:"lstrip"`
	RStrip     bool   `json:"rstrip"`
	SingleWord bool   `json:"single_word"`
}

type fileFormat struct {
	AddedTokens   []addedToken    `json:"added_tokens"`
	Normalizer    *component      `json:"normalizer"`
	PreTokenizer  *component      `json:"pre_tokenizer"`
	Decoder       *component      `json:"decoder"`
	PostProcessor json.RawMessage `json:"post_processor"`
	Model         struct {
		Type         string            `json:"type"`
		Vocab        map[string]int    `json:"vocab"`
		Merges       []json.RawMessage `json:"merges"`
		ByteFallback bool              `json:"byte_fallback"`
		IgnoreMerges bool              `json:"ignore_merges"`
		UnkToken     *string           `json:"unk_token"`
		Prefix       *string           `json:"continuing_subword_prefix"`
		Suffix       *string           `json:"end_of_word_suffix"`
		Dropout      *float64          `json:"dropout"`
	} `json:"model"`
}

// component is any normalizer, pre-tokenizer or decoder: the fields of the
// kinds this package knows, and the members of a Sequence.
type component struct {
	Type           string      `json:"type"`
	AddPrefixSpace *bool       `json:"add_prefix_space"`
	UseRegex       *bool       `json:"use_regex"`
	Normalizers    []component `json:"normalizers"`
	PreTokenizers  []component `json:"pretokenizers"`
	Decoders       []component `json:"decoders"`
	Pattern        struct {
		Regex  *string `json:"Regex"`
		String *string `json:"String"`
	} `json:"pattern"`
	Content       string `json:"content"`
	Behavior      string `json:"behavior"`
	Invert        bool   `json:"invert"`
	Prepend       string `json:"prepend"`
	Replacement   string `json:"replacement"`
	PrependScheme string `json:"prepend_scheme"`
	Split         *bool  `json:"split"`
	Start         int    `json:"start"`
	Stop          int    `json:"stop"`
	// Digits pre-tokenizer.
	IndividualDigits bool `json:"individual_digits"`
}

// members flattens a Sequence into its parts; any other component is a
// sequence of one.
func (c *component) members() []component {
	if c == nil {
		return nil
	}
	if c.Type == "Sequence" {
		var out []component
		for _, list := range [][]component{c.Normalizers, c.PreTokenizers, c.Decoders} {
			for i := range list {
				out = append(out, list[i].members()...)
			}
		}
		return out
	}
	return []component{*c}
}

// Read parses a tokenizer.json stream.
func Read(r io.Reader) (*Tokenizer, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("tokenizer: read: %w", err)
	}
	return Parse(data)
}

// Parse builds a tokenizer from the bytes of a tokenizer.json. Only what this
// package implements faithfully is accepted (see the package doc); anything
// else is refused with ErrUnsupported naming the part it cannot run.
func Parse(data []byte) (*Tokenizer, error) {
	var f fileFormat
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if f.Model.Type != "BPE" {
		return nil, fmt.Errorf("%w: model type %q (want BPE)", ErrUnsupported, f.Model.Type)
	}
	if (f.Model.Prefix != nil && *f.Model.Prefix != "") || (f.Model.Suffix != nil && *f.Model.Suffix != "") {
		return nil, fmt.Errorf("%w: continuing_subword_prefix or end_of_word_suffix", ErrUnsupported)
	}
	if f.Model.Dropout != nil && *f.Model.Dropout != 0 {
		return nil, fmt.Errorf("%w: BPE dropout %v", ErrUnsupported, *f.Model.Dropout)
	}
	size := 0
	for _, id := range f.Model.Vocab {
		size = max(size, id+1)
	}
	for _, a := range f.AddedTokens {
		size = max(size, a.ID+1)
	}
	if size > 1<<24 {
		return nil, fmt.Errorf("%w: vocabulary of %d ids", ErrFormat, size)
	}
	t := &Tokenizer{
		pieces:    make([][]byte, size),
		isSpecial: make([]bool, size),
		special:   map[string]int{},
		merges:    make(map[uint64]merged, len(f.Model.Merges)),
	}
	var err error
	if f.Model.ByteFallback || isSentencePiece(&f) {
		err = t.parseSentencePiece(&f)
	} else {
		err = t.parseByteLevel(&f)
	}
	if err != nil {
		return nil, err
	}
	for _, a := range f.AddedTokens {
		if a.ID < 0 || a.Content == "" {
			return nil, fmt.Errorf("%w: added token %q with id %d", ErrFormat, a.Content, a.ID)
		}
		if a.LStrip || a.RStrip || a.SingleWord {
			return nil, fmt.Errorf("%w: added token %q with lstrip, rstrip or single_word", ErrUnsupported, a.Content)
		}
		t.pieces[a.ID] = []byte(a.Content)
		t.isSpecial[a.ID] = true
		t.special[a.Content] = a.ID
		t.specialOrder = append(t.specialOrder, a.Content)
	}
	slices.SortFunc(t.specialOrder, func(a, b string) int { return len(b) - len(a) })
	pieceID := make(map[string]int32, len(f.Model.Vocab))
	for piece, id := range f.Model.Vocab {
		pieceID[piece] = int32(id)
	}
	for rank, raw := range f.Model.Merges {
		left, right, err := parseMerge(raw)
		if err != nil {
			return nil, fmt.Errorf("%w: merge %d: %v", ErrFormat, rank, err)
		}
		l, okL := pieceID[left]
		r, okR := pieceID[right]
		m, okM := pieceID[left+right]
		if !okL || !okR || !okM {
			return nil, fmt.Errorf("%w: merge %d (%q %q) uses tokens not in the vocabulary", ErrFormat, rank, left, right)
		}
		key := pairKey(l, r)
		if _, dup := t.merges[key]; !dup {
			t.merges[key] = merged{rank: int32(rank), id: m}
		}
	}
	if t.bos, t.hasBOS, err = parseTemplate(f.PostProcessor, t.special); err != nil {
		return nil, err
	}
	return t, nil
}

// parseByteLevel reads the GPT-2 family: a ByteLevel pre-tokenizer with its
// own split, or a Split by a known pattern followed by ByteLevel without
// one (Llama 3, Qwen2); no normalizer but NFC (Qwen2); a ByteLevel decoder.
func (t *Tokenizer) parseByteLevel(f *fileFormat) error {
	t.byteLevel = true
	for _, n := range f.Normalizer.members() {
		if n.Type != "NFC" {
			return fmt.Errorf("%w: normalizer %q in a byte-level tokenizer (want none or NFC)", ErrUnsupported, n.Type)
		}
		t.nfc = true
	}
	pre := f.PreTokenizer.members()
	switch {
	case len(pre) == 1 && pre[0].Type == "ByteLevel" && (pre[0].UseRegex == nil || *pre[0].UseRegex):
		t.split = splitWords
	case len(pre) == 2 && pre[0].Type == "Digits" && pre[1].Type == "ByteLevel" &&
		(pre[1].UseRegex == nil || *pre[1].UseRegex):
		// SmolLM2's: ASCII digits apart (each alone, or in runs), then
		// GPT-2's split of each piece.
		individual := pre[0].IndividualDigits
		t.split = func(dst []string, s string) []string { return splitDigits(dst, s, individual) }
		pre = pre[1:]
	case len(pre) == 2 && pre[0].Type == "Split" && pre[1].Type == "ByteLevel" &&
		pre[1].UseRegex != nil && !*pre[1].UseRegex:
		sp := pre[0]
		if sp.Pattern.Regex == nil || sp.Behavior != "Isolated" || sp.Invert {
			return fmt.Errorf("%w: Split pre-tokenizer must isolate a Regex pattern", ErrUnsupported)
		}
		if t.split = splitters[*sp.Pattern.Regex]; t.split == nil {
			return fmt.Errorf("%w: Split pattern %q (want GPT-2's, Llama 3's or Qwen2's)", ErrUnsupported, *sp.Pattern.Regex)
		}
		if pre[0].AddPrefixSpace != nil {
			return fmt.Errorf("%w: Split with add_prefix_space", ErrUnsupported)
		}
		pre = pre[1:]
	default:
		return fmt.Errorf("%w: pre_tokenizer %s (want ByteLevel, or Split then ByteLevel)", ErrUnsupported, typesOf(pre))
	}
	t.addPrefixSpace = pre[0].AddPrefixSpace != nil && *pre[0].AddPrefixSpace
	for _, d := range f.Decoder.members() {
		if d.Type != "ByteLevel" {
			return fmt.Errorf("%w: decoder %q (want ByteLevel)", ErrUnsupported, d.Type)
		}
	}
	for i := range t.byteID {
		t.byteID[i] = -1
	}
	if f.Model.IgnoreMerges {
		t.wordID = make(map[string]int32, len(f.Model.Vocab))
	}
	for piece, id := range f.Model.Vocab {
		if id < 0 {
			return fmt.Errorf("%w: negative id for %q", ErrFormat, piece)
		}
		b, ok := pieceBytes(piece)
		if !ok {
			continue
		}
		if t.pieces[id] != nil {
			return fmt.Errorf("%w: id %d used twice", ErrFormat, id)
		}
		t.pieces[id] = b
		if len(b) == 1 {
			t.byteID[b[0]] = int32(id)
		}
		if t.wordID != nil {
			t.wordID[string(b)] = int32(id)
		}
	}
	for b, id := range t.byteID {
		if id < 0 {
			return fmt.Errorf("%w: no token for byte %#02x", ErrFormat, b)
		}
	}
	return nil
}

func typesOf(cs []component) string {
	if len(cs) == 0 {
		return "none"
	}
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Type
	}
	return strings.Join(names, "+")
}

// parseTemplate reads what a TemplateProcessing post-processor (alone or in
// a Sequence) puts before a single sequence: the BOS a model expects. ok is
// false when the file has no post-processor at all, so the model's config
// decides.
func parseTemplate(raw json.RawMessage, special map[string]int) (bos []int, ok bool, err error) {
	if len(raw) == 0 {
		return nil, false, nil
	}
	type piece struct {
		SpecialToken *struct {
			ID string `json:"id"`
		} `json:"SpecialToken"`
		Sequence *struct {
			ID string `json:"id"`
		} `json:"Sequence"`
	}
	type processor struct {
		Type       string      `json:"type"`
		Single     []piece     `json:"single"`
		Processors []processor `json:"processors"`
	}
	var p *processor
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, false, fmt.Errorf("%w: post_processor: %v", ErrFormat, err)
	}
	list := []processor{}
	if p != nil {
		list = append(list, *p)
		list = append(list, p.Processors...)
	}
	for _, q := range list {
		if q.Type != "TemplateProcessing" {
			continue
		}
		for _, pc := range q.Single {
			if pc.Sequence != nil {
				break
			}
			if pc.SpecialToken == nil {
				continue
			}
			id, found := special[pc.SpecialToken.ID]
			if !found {
				return nil, false, fmt.Errorf("%w: post_processor names %q, not an added token", ErrFormat, pc.SpecialToken.ID)
			}
			bos = append(bos, id)
		}
	}
	return bos, true, nil
}

// BOS returns the tokens the tokenizer's post-processor puts before a
// prompt (none for Qwen2), and false when the file has no post-processor,
// in which case the model's config names its BOS.
func (t *Tokenizer) BOS() ([]int, bool) { return slices.Clone(t.bos), t.hasBOS }

// parseMerge accepts both spellings `tokenizers` writes: "a b" and ["a","b"].
func parseMerge(raw json.RawMessage) (string, string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		left, right, ok := strings.Cut(s, " ")
		if !ok || strings.Contains(right, " ") {
			return "", "", fmt.Errorf("%q is not two tokens", s)
		}
		return left, right, nil
	}
	var pair []string
	if err := json.Unmarshal(raw, &pair); err != nil || len(pair) != 2 {
		return "", "", fmt.Errorf("%s is neither \"a b\" nor [a, b]", raw)
	}
	return pair[0], pair[1], nil
}

// VocabSize is one past the largest id.
func (t *Tokenizer) VocabSize() int { return len(t.pieces) }

// SpecialID returns the id of an added token such as "<|end_of_text|>".
func (t *Tokenizer) SpecialID(content string) (int, bool) {
	id, ok := t.special[content]
	return id, ok
}

// IsSpecial reports whether id is an added (special) token.
func (t *Tokenizer) IsSpecial(id int) bool {
	return id >= 0 && id < len(t.isSpecial) && t.isSpecial[id]
}

// TokenBytes returns the bytes a token decodes to; a token may hold part of
// a UTF-8 sequence. The result must not be modified.
func (t *Tokenizer) TokenBytes(id int) ([]byte, error) {
	if id < 0 || id >= len(t.pieces) || t.pieces[id] == nil {
		return nil, fmt.Errorf("%w: %d (vocabulary has %d)", ErrUnknownID, id, len(t.pieces))
	}
	return t.pieces[id], nil
}

// Decode concatenates the tokens' bytes. Special tokens decode to their
// text. A SentencePiece-style decoder then strips the blank that encoding
// put before the text (its Strip or Metaspace step), so text that did not
// begin with a blank round-trips.
func (t *Tokenizer) Decode(ids []int) (string, error) {
	var sb strings.Builder
	for _, id := range ids {
		b, err := t.TokenBytes(id)
		if err != nil {
			return "", err
		}
		sb.Write(b)
	}
	out := sb.String()
	for i := 0; i < t.sp.strip && strings.HasPrefix(out, " "); i++ {
		out = out[1:]
	}
	return out, nil
}
