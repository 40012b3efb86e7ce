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

// Tokenizer is a loaded byte-level BPE tokenizer; safe for concurrent use.
type Tokenizer struct {
	pieces         [][]byte          // id -> bytes it decodes to
	special        map[string]int    // added tokens matched verbatim in text
	specialOrder   []string          // longest first, for leftmost-longest matching
	isSpecial      []bool            // id -> added token
	byteID         [256]int32        // single-byte token for each byte
	merges         map[uint64]merged // (left id, right id) -> merge
	addPrefixSpace bool
}

type merged struct {
	rank int32
	id   int32
}

func pairKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

type fileFormat struct {
	AddedTokens []struct {
		ID      int    `json:"id"`
		Content string `json:"content"`
		Special bool   `json:"special"`
	} `json:"added_tokens"`
	Normalizer   json.RawMessage `json:"normalizer"`
	PreTokenizer *byteLevel      `json:"pre_tokenizer"`
	Decoder      *byteLevel      `json:"decoder"`
	Model        struct {
		Type         string            `json:"type"`
		Vocab        map[string]int    `json:"vocab"`
		Merges       []json.RawMessage `json:"merges"`
		ByteFallback bool              `json:"byte_fallback"`
		Prefix       *string           `json:"continuing_subword_prefix"`
		Suffix       *string           `json:"end_of_word_suffix"`
	} `json:"model"`
}

type byteLevel struct {
	Type           string `json:"type"`
	AddPrefixSpace bool   `json:"add_prefix_space"`
	UseRegex       *bool  `json:"use_regex"`
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
// package implements faithfully is accepted: a BPE model over the ByteLevel
// alphabet with the GPT-2 split and no normalizer.
func Parse(data []byte) (*Tokenizer, error) {
	var f fileFormat
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if f.Model.Type != "BPE" {
		return nil, fmt.Errorf("%w: model type %q (want BPE)", ErrUnsupported, f.Model.Type)
	}
	if n := strings.TrimSpace(string(f.Normalizer)); n != "" && n != "null" {
		return nil, fmt.Errorf("%w: a normalizer", ErrUnsupported)
	}
	if f.PreTokenizer == nil || f.PreTokenizer.Type != "ByteLevel" ||
		(f.PreTokenizer.UseRegex != nil && !*f.PreTokenizer.UseRegex) {
		return nil, fmt.Errorf("%w: pre_tokenizer must be ByteLevel with use_regex", ErrUnsupported)
	}
	if f.Decoder != nil && f.Decoder.Type != "ByteLevel" {
		return nil, fmt.Errorf("%w: decoder %q (want ByteLevel)", ErrUnsupported, f.Decoder.Type)
	}
	if f.Model.ByteFallback || (f.Model.Prefix != nil && *f.Model.Prefix != "") ||
		(f.Model.Suffix != nil && *f.Model.Suffix != "") {
		return nil, fmt.Errorf("%w: byte_fallback or subword affixes", ErrUnsupported)
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
		pieces:         make([][]byte, size),
		isSpecial:      make([]bool, size),
		special:        map[string]int{},
		merges:         make(map[uint64]merged, len(f.Model.Merges)),
		addPrefixSpace: f.PreTokenizer.AddPrefixSpace,
	}
	for i := range t.byteID {
		t.byteID[i] = -1
	}
	pieceID := make(map[string]int32, len(f.Model.Vocab))
	for piece, id := range f.Model.Vocab {
		if id < 0 {
			return nil, fmt.Errorf("%w: negative id for %q", ErrFormat, piece)
		}
		pieceID[piece] = int32(id)
		if b, ok := pieceBytes(piece); ok {
			if t.pieces[id] != nil {
				return nil, fmt.Errorf("%w: id %d used twice", ErrFormat, id)
			}
			t.pieces[id] = b
			if len(b) == 1 {
				t.byteID[b[0]] = int32(id)
			}
		}
	}
	for _, a := range f.AddedTokens {
		if a.ID < 0 || a.Content == "" {
			return nil, fmt.Errorf("%w: added token %q with id %d", ErrFormat, a.Content, a.ID)
		}
		t.pieces[a.ID] = []byte(a.Content)
		t.isSpecial[a.ID] = true
		t.special[a.Content] = a.ID
		t.specialOrder = append(t.specialOrder, a.Content)
	}
	slices.SortFunc(t.specialOrder, func(a, b string) int { return len(b) - len(a) })
	for b, id := range t.byteID {
		if id < 0 {
			return nil, fmt.Errorf("%w: no token for byte %#02x", ErrFormat, b)
		}
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
	return t, nil
}

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

// Decode concatenates the tokens' bytes. Special tokens decode to their text.
func (t *Tokenizer) Decode(ids []int) (string, error) {
	var sb strings.Builder
	for _, id := range ids {
		b, err := t.TokenBytes(id)
		if err != nil {
			return "", err
		}
		sb.Write(b)
	}
	return sb.String(), nil
}
