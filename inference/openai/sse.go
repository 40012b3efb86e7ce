package openai

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// readEvents calls onData with the data of each server-sent event until the
// [DONE] sentinel. A stream that ends without it was cut short.
func readEvents(r io.Reader, onData func([]byte) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var data []byte
	for {
		line, err := br.ReadBytes('\n')
		if err != nil && (err != io.EOF || len(line) == 0) {
			if err == io.EOF {
				return ErrTruncatedStream
			}
			return fmt.Errorf("%w: %v", ErrTruncatedStream, err)
		}
		line = bytes.TrimRight(line, "\r\n")
		switch {
		case len(line) == 0:
			if len(data) == 0 {
				continue
			}
			if bytes.Equal(data, []byte("[DONE]")) {
				return nil
			}
			if err := onData(data); err != nil {
				return err
			}
			data = data[:0]
		case line[0] == ':':
			// a comment, used as a keep-alive
		case bytes.HasPrefix(line, []byte("data:")):
			v := bytes.TrimPrefix(bytes.TrimPrefix(line, []byte("data:")), []byte(" "))
			if len(data) > 0 {
				data = append(data, '\n')
			}
			data = append(data, v...)
		}
		// "event:", "id:" and "retry:" fields carry nothing we use.
	}
}
