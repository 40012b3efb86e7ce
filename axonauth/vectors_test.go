package axonauth

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/vectors.json")

func makeVectors(t *testing.T) []Vector {
	t.Helper()
	specs := []struct {
		name     string
		netuid   uint16
		nonce    uint64
		req, res []byte
	}{
		{"empty bodies", 0, 1, nil, nil},
		{"generate request", 1, 1_764_000_000_123_456_789, []byte{0x0a, 0x0c, 'p', 'a', 'c', 'k', 'a', 'g', 'e', ' ', 'm', 'a', 'i', 'n', 0x10, 0x10}, []byte("\n\x06func (")},
		{"max netuid", 65535, 1<<63 - 1, []byte("x"), []byte("y")},
	}
	var out []Vector
	for i, s := range specs {
		ck := sha256.Sum256([]byte{'c', byte(i)})
		mk := sha256.Sum256([]byte{'m', byte(i)})
		caller, err := NewSigner(ck[:])
		if err != nil {
			t.Fatal(err)
		}
		miner, err := NewSigner(mk[:])
		if err != nil {
			t.Fatal(err)
		}
		req, err := caller.SignRequest(s.req, s.netuid, s.nonce, miner.Address())
		if err != nil {
			t.Fatal(err)
		}
		res, err := miner.SignResponse(s.res, req)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, Vector{
			Name: s.name, CallerPrivKey: hex.EncodeToString(ck[:]), MinerPrivKey: hex.EncodeToString(mk[:]),
			Caller: caller.Address(), Miner: miner.Address(), Netuid: s.netuid, Nonce: s.nonce,
			RequestBody: hex.EncodeToString(s.req), RequestSignature: hex.EncodeToString(req.Signature),
			ResponseBody: hex.EncodeToString(s.res), ResponseSignature: hex.EncodeToString(res.Signature),
		})
	}
	return out
}

// The committed vectors pin the wire format: a change to the signed message breaks every deployed
// miner and validator, so it must show up here as a failing test.
func TestSignatureVectors(t *testing.T) {
	path := filepath.Join("testdata", "vectors.json")
	got := makeVectors(t)
	if *update {
		bz, err := json.MarshalIndent(got, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(bz, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := LoadVectors(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != len(got) {
		t.Fatalf("%d vectors on disk, %d computed", len(want), len(got))
	}
	for i := range want {
		if want[i] != got[i] {
			t.Errorf("vector %q: computed\n%+v\nwant\n%+v", want[i].Name, got[i], want[i])
		}
	}
	if err := CheckVectors(want); err != nil {
		t.Fatal(err)
	}
}
