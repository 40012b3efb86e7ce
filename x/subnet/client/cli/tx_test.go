package cli_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mindnet/mindnet/x/subnet/client/cli"
	"github.com/mindnet/mindnet/x/subnet/types"
)

func TestModelFromArgs(t *testing.T) {
	digest := strings.Repeat("ab", 32)
	m, err := cli.ModelFromArgs("org/model-7b", digest, "float32, half", "8192")
	if err != nil {
		t.Fatal(err)
	}
	want := types.SubnetModel{Name: "org/model-7b", Digest: digest, Precisions: []string{"float32", "half"}, ContextLength: 8192}
	if !m.Equal(want) {
		t.Fatalf("got %+v, want %+v", m, want)
	}
	for _, c := range []struct {
		name, digest, precisions, context string
		want                              error
	}{
		{"", digest, "float32", "1", types.ErrInvalidModelName},
		{"m", digest[:63], "float32", "1", types.ErrInvalidModelDigest},
		{"m", digest, "float64", "1", types.ErrInvalidPrecision},
		{"m", digest, "half,half", "1", types.ErrInvalidPrecision},
		{"m", digest, "float32", "0", types.ErrInvalidContextLength},
		{"m", digest, "float32", "-5", types.ErrInvalidContextLength},
		{"m", digest, "float32", "many", types.ErrInvalidContextLength},
	} {
		if _, err := cli.ModelFromArgs(c.name, c.digest, c.precisions, c.context); !errors.Is(err, c.want) {
			t.Errorf("ModelFromArgs(%q, %q, %q, %q): got %v, want %v", c.name, c.digest, c.precisions, c.context, err, c.want)
		}
	}
}
