package tokenizer

// byteToRune is GPT-2's byte alphabet: printable Latin-1 bytes stand for
// themselves and the other 68 bytes for U+0100 onwards, in byte order, so that
// every token is a printable string.
var byteToRune, runeToByte = buildByteAlphabet()

func buildByteAlphabet() ([256]rune, map[rune]byte) {
	var fwd [256]rune
	back := make(map[rune]byte, 256)
	next := rune(256)
	for b := 0; b < 256; b++ {
		printable := (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)
		if printable {
			fwd[b] = rune(b)
		} else {
			fwd[b] = next
			next++
		}
		back[fwd[b]] = byte(b)
	}
	return fwd, back
}

// pieceBytes turns a vocabulary entry written in the byte alphabet back into
// the bytes it stands for; ok is false if it uses a rune outside the alphabet.
func pieceBytes(piece string) ([]byte, bool) {
	out := make([]byte, 0, len(piece))
	for _, r := range piece {
		b, ok := runeToByte[r]
		if !ok {
			return nil, false
		}
		out = append(out, b)
	}
	return out, true
}
