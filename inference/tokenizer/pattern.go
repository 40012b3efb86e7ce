package tokenizer

import (
	"unicode/utf8"
)

// The pre-tokenizer patterns this package implements, exactly as a
// tokenizer.json spells them in a Split pre-tokenizer. Go's regexp has no
// lookahead, so each is written by hand; the golden tests check them
// against Python's `regex` module running the patterns themselves.
const (
	// gpt2Pattern is GPT-2's split, also what ByteLevel with use_regex applies.
	gpt2Pattern = `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
	// llama3Pattern is Llama 3's: contractions in any case, a letter run
	// with one leading non-letter, numbers in runs of up to three digits,
	// punctuation with its trailing newlines, and newlines apart from other
	// blanks.
	llama3Pattern = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
	// qwen2Pattern is Llama 3's with one digit per number.
	qwen2Pattern = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
)

// splitter splits a part of text into the pieces a pattern matches, in
// order; the pieces concatenate back to the part.
type splitter func(dst []string, s string) []string

// splitters maps each pattern to its implementation.
var splitters = map[string]splitter{
	gpt2Pattern:   splitWords,
	llama3Pattern: func(dst []string, s string) []string { return splitLlama3(dst, s, 3) },
	qwen2Pattern:  func(dst []string, s string) []string { return splitLlama3(dst, s, 1) },
}

// splitLlama3 splits s as the Llama 3 pattern does, with numbers cut into
// runs of at most digits.
func splitLlama3(dst []string, s string, digits int) []string {
	for i := 0; i < len(s); {
		j := matchLlama3(s, i, digits)
		dst = append(dst, s[i:j])
		i = j
	}
	return dst
}

func isNewline(r rune) bool { return r == '\r' || r == '\n' }

// matchLlama3 returns the end of the pattern's match at s[i], trying the
// alternatives in order as a backtracking engine does.
func matchLlama3(s string, i, digits int) int {
	if end := contractionFold(s, i); end > 0 {
		return end
	}
	r, w := utf8.DecodeRuneInString(s[i:])
	c := classify(r)
	// [^\r\n\p{L}\p{N}]?\p{L}+
	if c == classLetter {
		return classRun(s, i)
	}
	if !isNewline(r) && c != classNumber && i+w < len(s) {
		if next, _ := utf8.DecodeRuneInString(s[i+w:]); classify(next) == classLetter {
			return classRun(s, i+w)
		}
	}
	// \p{N}{1,3}
	if c == classNumber {
		j := i + w
		for n := 1; n < digits && j < len(s); n++ {
			r, w := utf8.DecodeRuneInString(s[j:])
			if classify(r) != classNumber {
				break
			}
			j += w
		}
		return j
	}
	// ` ?[^\s\p{L}\p{N}]+[\r\n]*`
	k := i
	if r == ' ' && i+1 < len(s) {
		if next, _ := utf8.DecodeRuneInString(s[i+1:]); classify(next) == classOther {
			k = i + 1
		}
	}
	if kr, _ := utf8.DecodeRuneInString(s[k:]); classify(kr) == classOther {
		j := classRun(s, k)
		for j < len(s) && isNewline(rune(s[j])) {
			j++
		}
		return j
	}
	// What is left starts with a blank: s[i:j] is the run of blanks.
	j, lastNewline := i, -1
	for j < len(s) {
		r, w := utf8.DecodeRuneInString(s[j:])
		if classify(r) != classSpace {
			break
		}
		if isNewline(r) {
			lastNewline = j
		}
		j += w
	}
	// \s*[\r\n]+ ends right after the run's last newline.
	if lastNewline >= 0 {
		return lastNewline + 1
	}
	// \s+(?!\S) leaves the last blank for the next word, unless the run
	// ends the text; a single blank before a word is \s+ alone.
	if j == len(s) {
		return j
	}
	_, lastW := utf8.DecodeLastRuneInString(s[:j])
	if j-lastW > i {
		return j - lastW
	}
	return j
}

// contractionFold matches (?i:'s|'t|'re|'ve|'m|'ll|'d) at s[i] and returns
// the match's end, or 0. Case folding is Unicode's simple folding, under
// which ſ (U+017F) is an s; no other letter of these has a fold outside
// ASCII except K, which is not among them.
func contractionFold(s string, i int) int {
	if s[i] != '\'' {
		return 0
	}
	fold := func(j int) (rune, int) {
		r, w := utf8.DecodeRuneInString(s[j:])
		switch {
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		case r == 'ſ':
			r = 's'
		}
		return r, w
	}
	for _, c := range contractions {
		j := i + 1
		ok := true
		for _, want := range c {
			if j >= len(s) {
				ok = false
				break
			}
			r, w := fold(j)
			if r != want {
				ok = false
				break
			}
			j += w
		}
		if ok {
			return j
		}
	}
	return 0
}

// splitDigits is the Digits pre-tokenizer followed by GPT-2's split: ASCII
// digits are cut out (each alone when individual, else in runs) and the
// text between them is split by the GPT-2 pattern.
func splitDigits(dst []string, s string, individual bool) []string {
	isDigit := func(b byte) bool { return b >= '0' && b <= '9' }
	for i := 0; i < len(s); {
		j := i
		if isDigit(s[i]) {
			j++
			for !individual && j < len(s) && isDigit(s[j]) {
				j++
			}
			dst = append(dst, s[i:j])
		} else {
			for j < len(s) && !isDigit(s[j]) {
				j++
			}
			dst = splitWords(dst, s[i:j])
		}
		i = j
	}
	return dst
}
