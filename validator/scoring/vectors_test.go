package scoring

import (
	"path/filepath"
	"testing"

	"github.com/mindnet/mindnet/axonauth"
)

// The validator checks miners' signatures with axonauth; the published vectors pin the wire format it
// relies on, so a change to signing that the miner side adopted alone would fail here too.
func TestAxonSignatureVectors(t *testing.T) {
	vs, err := axonauth.LoadVectors(filepath.Join("..", "..", "axonauth", "testdata", "vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatal("no vectors")
	}
	if err := axonauth.CheckVectors(vs); err != nil {
		t.Fatal(err)
	}
}
