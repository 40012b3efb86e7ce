package tasks

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"
)

// render fills p's slots from rng: each identifier label gets a distinct name from the pools that
// the prompt's own text does not use (a capitalised label an exported one), each integer slot a
// value between half and twice its own.
func (p Prompt) render(rng *rand.Rand) string {
	taken := make(map[string]bool, len(p.labels))
	names := make(map[string]string, len(p.labels))
	for _, label := range p.labels {
		pool := localNames
		if unicode.IsUpper(rune(label[0])) {
			pool = exportedNames
		}
		names[label] = pick(rng, pool, func(n string) bool { return !p.words[n] && !taken[n] }, label)
		taken[names[label]] = true
	}
	var b strings.Builder
	for _, pc := range p.pieces {
		switch pc.kind {
		case textPiece:
			b.WriteString(pc.text)
		case identPiece:
			b.WriteString(names[pc.text])
		case intPiece:
			lo, hi := max(1, pc.value/2), 2*pc.value
			b.WriteString(strconv.Itoa(lo + rng.IntN(hi-lo+1)))
		}
	}
	return b.String()
}

// pick draws a name from pool that ok accepts, starting at a random place so that every
// acceptable name is as likely; if none is acceptable it keeps fallback, the label as written.
func pick(rng *rand.Rand, pool []string, ok func(string) bool, fallback string) string {
	start := rng.IntN(len(pool))
	for i := range pool {
		if n := pool[(start+i)%len(pool)]; ok(n) {
			return n
		}
	}
	return fallback
}
