package tasks

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// A prompt set as JSON lines, for subnets whose model is not the built-in one: one object a line,
//
//	{"name": "fib", "prompt": "def fib(n):\n"}
//
// where name is one word, unique in the file, and prompt is the opening the model continues. A
// prompt may hold the same slots as the built-in set (prompts/openings.txt): {{label}} for an
// identifier that each task renames, {{#N}} for an integer that each task varies. Blank lines are
// skipped.

// jsonlPrompt is one line of a JSON-lines prompt set.
type jsonlPrompt struct {
	Name   string `json:"name"`
	Prompt string `json:"prompt"`
}

// ParseJSONL reads a prompt set in JSON lines.
func ParseJSONL(data []byte) (*Set, error) {
	var set Set
	names := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var jp jsonlPrompt
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&jp); err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrPromptSet, n, err)
		}
		switch {
		case jp.Name == "" || strings.ContainsAny(jp.Name, " \t\n"):
			return nil, fmt.Errorf("%w: line %d: name %q must be one word", ErrPromptSet, n, jp.Name)
		case names[jp.Name]:
			return nil, fmt.Errorf("%w: line %d: name %q used twice", ErrPromptSet, n, jp.Name)
		case strings.TrimSpace(jp.Prompt) == "":
			return nil, fmt.Errorf("%w: line %d: prompt %q is empty", ErrPromptSet, n, jp.Name)
		}
		names[jp.Name] = true
		p, err := parsePrompt(jp.Name, jp.Prompt)
		if err != nil {
			return nil, fmt.Errorf("%w: prompt %q (line %d): %v", ErrPromptSet, jp.Name, n, err)
		}
		set.prompts = append(set.prompts, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPromptSet, err)
	}
	if len(set.prompts) == 0 {
		return nil, fmt.Errorf("%w: no prompts", ErrPromptSet)
	}
	return &set, nil
}

// Load returns the prompt set at path (JSON lines), or the built-in set when path is "".
func Load(path string) (*Set, error) {
	if path == "" {
		return Default()
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tasks.prompts: %w", err)
	}
	set, err := ParseJSONL(data)
	if err != nil {
		return nil, fmt.Errorf("tasks.prompts %s: %w", path, err)
	}
	return set, nil
}
