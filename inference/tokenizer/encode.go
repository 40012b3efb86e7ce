package tokenizer

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Encode returns the token ids of text without adding any BOS token.
// Occurrences of added tokens in text become those tokens, as in `tokenizers`:
// they are cut out first, and the parts between them are normalized,
// pre-tokenized and merged each on its own.
func (t *Tokenizer) Encode(text string) []int {
	var ids []int
	var words []string
	var w wordState
	first := true
	for len(text) > 0 {
		at, special := t.nextSpecial(text)
		part := text[:at]
		switch {
		case part == "":
		case t.sp.on:
			ids = t.encodeSentencePiece(&w, part, first, ids)
		default:
			if t.nfc {
				part = norm.NFC.String(part)
			}
			if t.addPrefixSpace && part[0] != ' ' {
				part = " " + part
			}
			words = t.split(words[:0], part)
			for _, word := range words {
				if id, ok := t.wordID[word]; ok { // ignore_merges
					ids = append(ids, int(id))
					continue
				}
				ids = w.bpe(t, word, ids)
			}
		}
		if special == "" {
			break
		}
		ids = append(ids, t.special[special])
		text = text[at+len(special):]
		first = false
	}
	return ids
}

// nextSpecial finds the leftmost added token in text, the longest one where
// several start at the same place; it returns len(text) and "" if none.
func (t *Tokenizer) nextSpecial(text string) (int, string) {
	best, bestTok := len(text), ""
	for _, s := range t.specialOrder {
		if i := strings.Index(text[:min(len(text), best+len(s))], s); i >= 0 && i < best {
			best, bestTok = i, s
		}
	}
	return best, bestTok
}

// wordState holds the scratch space of one word's merges, reused across
// words: symbols form a linked list and candidate merges a min-heap ordered
// by (rank, position), which is the order `tokenizers` applies them in and
// keeps long words (a line of 10,000 '=') linear-logarithmic.
type wordState struct {
	ids  []int32
	prev []int32
	next []int32
	heap []candidate
}

type candidate struct {
	rank int32
	pos  int32 // index of the left symbol
	left int32 // left symbol id when pushed; a mismatch marks it stale
	righ int32 // right symbol id when pushed
}

func (c candidate) less(d candidate) bool {
	return c.rank < d.rank || (c.rank == d.rank && c.pos < d.pos)
}

// bpe merges a byte-level word, starting from its bytes' tokens.
func (w *wordState) bpe(t *Tokenizer, word string, out []int) []int {
	w.ids = w.ids[:0]
	for i := 0; i < len(word); i++ {
		w.ids = append(w.ids, t.byteID[word[i]])
	}
	return w.merge(t, out)
}

// merge applies the merges to the symbols in w.ids and appends the result.
func (w *wordState) merge(t *Tokenizer, out []int) []int {
	n := len(w.ids)
	w.prev = w.prev[:0]
	w.next = w.next[:0]
	w.heap = w.heap[:0]
	for i := 0; i < n; i++ {
		w.prev = append(w.prev, int32(i-1))
		w.next = append(w.next, int32(i+1))
	}
	for i := 0; i+1 < n; i++ {
		w.push(t, int32(i))
	}
	for len(w.heap) > 0 {
		c := w.pop()
		r := w.next[c.pos]
		if w.ids[c.pos] != c.left || r >= int32(n) || w.ids[r] != c.righ || w.ids[c.pos] < 0 {
			continue // a neighbour was merged since this candidate was pushed
		}
		m := t.merges[pairKey(c.left, c.righ)]
		w.ids[c.pos] = m.id
		w.ids[r] = -1
		w.next[c.pos] = w.next[r]
		if nr := w.next[r]; nr < int32(n) {
			w.prev[nr] = c.pos
		}
		if p := w.prev[c.pos]; p >= 0 {
			w.push(t, p)
		}
		w.push(t, c.pos)
	}
	for i := int32(0); i < int32(n); i = w.next[i] {
		out = append(out, int(w.ids[i]))
	}
	return out
}

// push adds the merge of the symbol at pos with its right neighbour, if any.
func (w *wordState) push(t *Tokenizer, pos int32) {
	r := w.next[pos]
	if r >= int32(len(w.ids)) {
		return
	}
	m, ok := t.merges[pairKey(w.ids[pos], w.ids[r])]
	if !ok {
		return
	}
	w.heap = append(w.heap, candidate{rank: m.rank, pos: pos, left: w.ids[pos], righ: w.ids[r]})
	for i := len(w.heap) - 1; i > 0; {
		p := (i - 1) / 2
		if !w.heap[i].less(w.heap[p]) {
			break
		}
		w.heap[i], w.heap[p] = w.heap[p], w.heap[i]
		i = p
	}
}

func (w *wordState) pop() candidate {
	h := w.heap
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h) && h[l].less(h[m]) {
			m = l
		}
		if r < len(h) && h[r].less(h[m]) {
			m = r
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	w.heap = h
	return top
}
