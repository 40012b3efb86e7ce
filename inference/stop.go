package inference

// FirstStop returns where the earliest stop sequence begins in text, looking
// only at matches that end at or after from (text before from was checked
// already), and -1 when there is none. Engines and the verifier share it so
// that they agree on where a stop sequence ends generation. It does not
// allocate, as engines call it once per generated token.
func FirstStop(text []byte, stops []string, from int) int {
	best := -1
	for _, s := range stops {
		if s == "" {
			continue
		}
		for i := max(0, from-len(s)+1); i+len(s) <= len(text); i++ {
			if best >= 0 && i >= best {
				break
			}
			// A string(bytes) comparison is done in place, without a copy.
			if text[i] == s[0] && string(text[i:i+len(s)]) == s {
				best = i
				break
			}
		}
	}
	return best
}
