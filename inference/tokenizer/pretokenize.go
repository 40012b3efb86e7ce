package tokenizer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// contractions are the GPT-2 pattern's first alternatives, tried in order.
var contractions = [...]string{"s", "t", "re", "ve", "m", "ll", "d"}

type runeClass int

const (
	classSpace runeClass = iota
	classLetter
	classNumber
	classOther
)

// classify maps a rune to the pattern's classes: \s is Unicode White_Space
// (unicode.IsSpace), \p{L} and \p{N} are the general categories. A byte
// that is not valid UTF-8 decodes to U+FFFD, a symbol, so it falls in
// "other" just as the replacement character would.
func classify(r rune) runeClass {
	switch {
	case unicode.IsSpace(r):
		return classSpace
	case unicode.IsLetter(r):
		return classLetter
	case unicode.IsNumber(r):
		return classNumber
	}
	return classOther
}

// splitWords appends to dst the words of s in the order the GPT-2 pattern
// finds them; the words concatenate back to s.
func splitWords(dst []string, s string) []string {
	for i := 0; i < len(s); {
		j := matchAt(s, i)
		dst = append(dst, s[i:j])
		i = j
	}
	return dst
}

// matchAt returns the end of the pattern's match that starts at s[i].
func matchAt(s string, i int) int {
	if s[i] == '\'' {
		for _, c := range contractions {
			if strings.HasPrefix(s[i+1:], c) {
				return i + 1 + len(c)
			}
		}
	}
	r, w := utf8.DecodeRuneInString(s[i:])
	if r == ' ' && i+1 < len(s) {
		next, _ := utf8.DecodeRuneInString(s[i+1:])
		if classify(next) != classSpace {
			// " ?\p{L}+", " ?\p{N}+" and " ?[^\s\p{L}\p{N}]+" take one
			// leading space along with the run that follows it.
			return classRun(s, i+1)
		}
	}
	if classify(r) != classSpace {
		return classRun(s, i)
	}
	j := i + w
	for j < len(s) {
		r, w := utf8.DecodeRuneInString(s[j:])
		if classify(r) != classSpace {
			break
		}
		j += w
	}
	if j == len(s) {
		return j
	}
	// "\s+(?!\S)" backs off one blank so that the last blank can lead the
	// next word; a single blank before a word is taken alone by "\s+".
	_, lastW := utf8.DecodeLastRuneInString(s[:j])
	if j-lastW > i {
		return j - lastW
	}
	return j
}

// classRun returns the end of the run of runes of s[k]'s class.
func classRun(s string, k int) int {
	r, w := utf8.DecodeRuneInString(s[k:])
	c := classify(r)
	j := k + w
	for j < len(s) {
		r, w := utf8.DecodeRuneInString(s[j:])
		if classify(r) != c {
			break
		}
		j += w
	}
	return j
}
