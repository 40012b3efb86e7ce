package axonauth

import (
	"crypto/sha256"
	"errors"
	"testing"
)

func testSigner(t testing.TB, seed string) *Signer {
	t.Helper()
	key := sha256.Sum256([]byte(seed))
	s, err := NewSigner(key[:])
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSignedRequestVerifies(t *testing.T) {
	caller, miner := testSigner(t, "caller"), testSigner(t, "miner")
	body := []byte("generate: package main")
	env, err := caller.SignRequest(body, 3, 1_700_000_000_000_000_000, miner.Address())
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyRequest(body, env); err != nil {
		t.Fatalf("honest request refused: %v", err)
	}
}

func TestRequestRefusals(t *testing.T) {
	caller, miner, other := testSigner(t, "caller"), testSigner(t, "miner"), testSigner(t, "other")
	body := []byte("generate: package main")
	good, err := caller.SignRequest(body, 3, 42, miner.Address())
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name   string
		body   []byte
		mutate func(*Envelope)
		want   error
	}{
		{"no signature", body, func(e *Envelope) { e.Signature = nil }, ErrMissingSignature},
		{"no public key", body, func(e *Envelope) { e.PubKey = nil }, ErrMissingSignature},
		{"short public key", body, func(e *Envelope) { e.PubKey = e.PubKey[:20] }, ErrMalformedPubKey},
		{"someone else's key", body, func(e *Envelope) { e.PubKey = other.PubKey() }, ErrPubKeyMismatch},
		{"claims another caller", body, func(e *Envelope) { e.Caller = other.Address() }, ErrPubKeyMismatch},
		{"caller not an address", body, func(e *Envelope) { e.Caller = "alice" }, ErrMalformedAddress},
		{"body changed", []byte("generate: package evil"), func(*Envelope) {}, ErrBadSignature},
		{"nonce changed", body, func(e *Envelope) { e.Nonce++ }, ErrBadSignature},
		{"netuid changed", body, func(e *Envelope) { e.Netuid = 4 }, ErrBadSignature},
		{"sent to another miner", body, func(e *Envelope) { e.Miner = other.Address() }, ErrBadSignature},
		{"truncated signature", body, func(e *Envelope) { e.Signature = e.Signature[:63] }, ErrBadSignature},
		{"flipped signature bit", body, func(e *Envelope) {
			s := append([]byte(nil), e.Signature...)
			s[10] ^= 1
			e.Signature = s
		}, ErrBadSignature},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := good
			env.PubKey = append([]byte(nil), good.PubKey...)
			tc.mutate(&env)
			if err := VerifyRequest(tc.body, env); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestSignedResponseBindsRequest(t *testing.T) {
	caller, miner, other := testSigner(t, "caller"), testSigner(t, "miner"), testSigner(t, "other")
	req, err := caller.SignRequest([]byte("req"), 1, 7, miner.Address())
	if err != nil {
		t.Fatal(err)
	}
	resp := []byte("func main() {}")
	env, err := miner.SignResponse(resp, req)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyResponse(resp, req.Signature, env); err != nil {
		t.Fatalf("honest response refused: %v", err)
	}
	if err := VerifyResponse([]byte("func main() { evil() }"), req.Signature, env); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("altered response: got %v", err)
	}
	otherReq, err := caller.SignRequest([]byte("another"), 1, 8, miner.Address())
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyResponse(resp, otherReq.Signature, env); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("response moved to another request: got %v", err)
	}
	if _, err := other.SignResponse(resp, req); err == nil {
		t.Fatal("a miner signed a response to a request addressed to someone else")
	}
}

func TestNewSignerRejectsBadKey(t *testing.T) {
	if _, err := NewSigner(make([]byte, 31)); err == nil {
		t.Fatal("31-byte key accepted")
	}
}
