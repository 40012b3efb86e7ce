package tasks

import (
	"bufio"
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

//go:embed prompts/openings.txt
var openings []byte

// ErrPromptSet marks a prompt set that cannot be used; the message names the line at fault.
var ErrPromptSet = errors.New("tasks: malformed prompt set")

// Set is a parsed prompt set.
type Set struct {
	prompts []Prompt
}

// Prompt is one opening of the set, as a template whose slots a variation fills.
type Prompt struct {
	Name   string
	pieces []piece
	labels []string // identifier slots, in order of first appearance
	words  map[string]bool
}

type pieceKind int

const (
	textPiece  pieceKind = iota
	identPiece           // {{label}}
	intPiece             // {{#N}}
)

type piece struct {
	kind  pieceKind
	text  string // text, or the slot's label
	value int    // an integer slot's value in the set
}

// Default returns the prompt set embedded in the binary.
func Default() (*Set, error) {
	return Parse(openings)
}

// Parse reads a prompt set in the format that prompts/openings.txt describes.
func Parse(data []byte) (*Set, error) {
	var (
		set   Set
		name  string
		body  strings.Builder
		start int
		open  bool
		names = map[string]bool{}
	)
	finish := func() error {
		if !open {
			return nil
		}
		p, err := parsePrompt(name, body.String())
		if err != nil {
			return fmt.Errorf("%w: prompt %q (line %d): %v", ErrPromptSet, name, start, err)
		}
		set.prompts = append(set.prompts, p)
		return nil
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	ended := false // the current prompt's last line ended in a backslash
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if h, ok := strings.CutPrefix(line, "=== "); ok {
			if err := finish(); err != nil {
				return nil, err
			}
			name = strings.TrimSpace(h)
			if name == "" || strings.ContainsAny(name, " \t") {
				return nil, fmt.Errorf("%w: line %d: prompt name %q must be one word", ErrPromptSet, n, name)
			}
			if names[name] {
				return nil, fmt.Errorf("%w: line %d: prompt name %q used twice", ErrPromptSet, n, name)
			}
			names[name] = true
			body.Reset()
			start, open, ended = n, true, false
			continue
		}
		if !open {
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			return nil, fmt.Errorf("%w: line %d: text before the first \"=== name\" header", ErrPromptSet, n)
		}
		if ended {
			return nil, fmt.Errorf("%w: line %d: prompt %q goes on after a line ending in a backslash", ErrPromptSet, n, name)
		}
		if cut, ok := strings.CutSuffix(line, `\`); ok {
			body.WriteString(cut)
			ended = true
			continue
		}
		body.WriteString(line)
		body.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPromptSet, err)
	}
	if err := finish(); err != nil {
		return nil, err
	}
	if len(set.prompts) == 0 {
		return nil, fmt.Errorf("%w: no prompts", ErrPromptSet)
	}
	return &set, nil
}

// parsePrompt splits text into literal text and {{…}} slots.
func parsePrompt(name, text string) (Prompt, error) {
	p := Prompt{Name: name, words: map[string]bool{}}
	seen := map[string]bool{}
	rest := text
	for rest != "" {
		i := strings.Index(rest, "{{")
		// In "{{{x}}", as in a composite literal "T{{{x}}}", the slot is the inner "{{x}}".
		for i >= 0 && i+2 < len(rest) && rest[i+2] == '{' {
			i++
		}
		if i < 0 {
			p.pieces = append(p.pieces, piece{kind: textPiece, text: rest})
			break
		}
		if i > 0 {
			p.pieces = append(p.pieces, piece{kind: textPiece, text: rest[:i]})
		}
		j := strings.Index(rest[i:], "}}")
		if j < 0 {
			return Prompt{}, errors.New("unclosed {{")
		}
		label := rest[i+2 : i+j]
		rest = rest[i+j+2:]
		if num, ok := strings.CutPrefix(label, "#"); ok {
			v, err := strconv.Atoi(num)
			if err != nil || v < 1 {
				return Prompt{}, fmt.Errorf("integer slot {{%s}} needs a positive integer", label)
			}
			p.pieces = append(p.pieces, piece{kind: intPiece, value: v})
			continue
		}
		if !isIdent(label) {
			return Prompt{}, fmt.Errorf("slot {{%s}} is not an identifier", label)
		}
		if !seen[label] {
			seen[label] = true
			p.labels = append(p.labels, label)
		}
		p.pieces = append(p.pieces, piece{kind: identPiece, text: label})
	}
	if len(p.pieces) == 0 {
		return Prompt{}, errors.New("empty prompt")
	}
	for _, pc := range p.pieces {
		if pc.kind == textPiece {
			for _, w := range words(pc.text) {
				p.words[w] = true
			}
		}
	}
	return p, nil
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || unicode.IsLetter(r) || (i > 0 && unicode.IsDigit(r))) {
			return false
		}
	}
	return true
}

// words lists the identifier-like words of s, so that a renamed slot never takes a name the
// prompt already uses for something else.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r))
	})
}

// Len returns the number of prompts.
func (s *Set) Len() int { return len(s.prompts) }

// Prompt returns the i-th prompt.
func (s *Set) Prompt(i int) Prompt { return s.prompts[i] }

// Text is the prompt as written, every slot filled with its label or its own value.
func (p Prompt) Text() string {
	var b strings.Builder
	for _, pc := range p.pieces {
		switch pc.kind {
		case intPiece:
			b.WriteString(strconv.Itoa(pc.value))
		default:
			b.WriteString(pc.text)
		}
	}
	return b.String()
}
