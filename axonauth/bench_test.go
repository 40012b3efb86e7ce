package axonauth

import (
	"testing"
	"time"
)

func benchRequest(b *testing.B) (*Verifier, []byte, Envelope) {
	caller, miner := testSigner(b, "caller"), testSigner(b, "miner")
	body := make([]byte, 96)
	env, err := caller.SignRequest(body, 1, 42, miner.Address())
	if err != nil {
		b.Fatal(err)
	}
	v := NewVerifier(0, 0)
	if err := v.VerifyRequest(body, env); err != nil {
		b.Fatal(err)
	}
	return v, body, env
}

// BenchmarkVerifyRequest checks a request from a remembered key through the generic path.
func BenchmarkVerifyRequest(b *testing.B) {
	v, body, env := benchRequest(b)
	for b.Loop() {
		if err := v.VerifyRequest(body, env); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyRequestPrepared checks it through the key's precomputed table.
func BenchmarkVerifyRequestPrepared(b *testing.B) {
	v, body, env := benchRequest(b)
	v.Prepare(env.PubKey)
	for v.keys[[PubKeySize]byte(env.PubKey)].table.Load() == nil {
		time.Sleep(time.Millisecond)
	}
	for b.Loop() {
		if err := v.VerifyRequest(body, env); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignResponse is the miner's signature over a response.
func BenchmarkSignResponse(b *testing.B) {
	caller, miner := testSigner(b, "caller"), testSigner(b, "miner")
	req, err := caller.SignRequest(nil, 1, 42, miner.Address())
	if err != nil {
		b.Fatal(err)
	}
	body := make([]byte, 2048)
	for b.Loop() {
		if _, err := miner.SignResponse(body, req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewKeyTable(b *testing.B) {
	v, _, env := benchRequest(b)
	k := v.keys[[PubKeySize]byte(env.PubKey)]
	for b.Loop() {
		newKeyTable(k.pub)
	}
}
