package axonauth

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"testing"
	"time"

	secp "github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

// The table's scalar product must equal the library's for scalars that exercise every window,
// including the short top one.
func TestKeyTableMulMatchesLibrary(t *testing.T) {
	priv := secp.PrivKeyFromBytes(sha256.New().Sum(nil))
	table := newKeyTable(priv.PubKey())
	var q secp.JacobianPoint
	priv.PubKey().AsJacobian(&q)
	scalars := [][]byte{{1}, {2}, {63}, {64}, {0x0f, 0xff}}
	ones := make([]byte, 32)
	for i := range ones {
		ones[i] = 0xff
	}
	scalars = append(scalars, ones) // reduced mod n: n-1 + 2^256-n … every window non-zero
	for i := range 50 {
		h := sha256.Sum256(binary.BigEndian.AppendUint64(nil, uint64(i)))
		scalars = append(scalars, h[:])
	}
	for _, b := range scalars {
		var k secp.ModNScalar
		k.SetByteSlice(b)
		var got, want secp.JacobianPoint
		table.mul(&k, &got)
		secp.ScalarMultNonConst(&k, &q, &want)
		got.ToAffine()
		want.ToAffine()
		if !got.X.Equals(&want.X) || !got.Y.Equals(&want.Y) {
			t.Fatalf("k=%x: table and library disagree", b)
		}
	}
}

// The table path must accept exactly what the library accepts: honest signatures, and none of the
// same signatures over another message, with another key, or with a bit flipped.
func TestKeyTableVerifyMatchesLibrary(t *testing.T) {
	for i := range 20 {
		seed := sha256.Sum256([]byte{'k', byte(i)})
		priv := secp.PrivKeyFromBytes(seed[:])
		other := secp.PrivKeyFromBytes(sha256.New().Sum(seed[:]))
		table := newKeyTable(priv.PubKey())
		hash := sha256.Sum256([]byte{'m', byte(i)})
		sig := sign(priv, []byte{'m', byte(i)})
		cases := []struct {
			name string
			hash [32]byte
			sig  []byte
		}{
			{"honest", hash, sig},
			{"other message", sha256.Sum256([]byte("other")), sig},
			{"other key", hash, sign(other, []byte{'m', byte(i)})},
			{"flipped r", hash, flip(sig, 3)},
			{"flipped s", hash, flip(sig, 40)},
		}
		for _, c := range cases {
			r, s, ok := parseSignature(c.sig)
			if !ok {
				continue // refused before any curve arithmetic, on both paths
			}
			want := ecdsa.NewSignature(&r, &s).Verify(c.hash[:], priv.PubKey())
			if got := table.verify(&c.hash, &r, &s); got != want {
				t.Fatalf("key %d, %s: table says %v, library says %v", i, c.name, got, want)
			}
			if c.name == "honest" && !want {
				t.Fatalf("key %d: honest signature refused", i)
			}
		}
	}
}

func flip(sig []byte, i int) []byte {
	out := append([]byte(nil), sig...)
	out[i] ^= 1
	return out
}

func TestParseSignatureRefusesNonCanonical(t *testing.T) {
	order := secp.Params().N.FillBytes(make([]byte, 32))
	halfPlusOne := secp.Params().N.FillBytes(make([]byte, 32))
	var hs secp.ModNScalar
	hs.SetByteSlice(halfPlusOne)
	one := make([]byte, 32)
	one[31] = 1
	zero := make([]byte, 32)
	var high secp.ModNScalar
	high.SetByteSlice(one)
	high.Negate() // n-1: above half the order
	hb := high.Bytes()
	for name, sig := range map[string][]byte{
		"r = n":    append(append([]byte{}, order...), one...),
		"s = n":    append(append([]byte{}, one...), order...),
		"r = 0":    append(append([]byte{}, zero...), one...),
		"s = 0":    append(append([]byte{}, one...), zero...),
		"high s":   append(append([]byte{}, one...), hb[:]...),
		"63 bytes": make([]byte, 63),
	} {
		if _, _, ok := parseSignature(sig); ok {
			t.Errorf("%s accepted", name)
		}
	}
}

// Once a key is prepared, its table answers every refusal exactly as the generic path did.
func TestPreparedKeyKeepsEveryRefusal(t *testing.T) {
	caller, miner, other := testSigner(t, "caller"), testSigner(t, "miner"), testSigner(t, "other")
	v := NewVerifier(0, 0)
	body := []byte("generate: package main")
	good, err := caller.SignRequest(body, 3, 42, miner.Address())
	if err != nil {
		t.Fatal(err)
	}
	if err := v.VerifyRequest(body, good); err != nil {
		t.Fatal(err)
	}
	v.Prepare(good.PubKey)
	deadline := time.Now().Add(10 * time.Second)
	for v.keys[[PubKeySize]byte(good.PubKey)].table.Load() == nil {
		if time.Now().After(deadline) {
			t.Fatal("table never built")
		}
		time.Sleep(time.Millisecond)
	}
	if err := v.VerifyRequest(body, good); err != nil {
		t.Fatalf("honest request refused on the table path: %v", err)
	}
	for name, mutate := range map[string]func(*Envelope){
		"nonce":         func(e *Envelope) { e.Nonce++ },
		"netuid":        func(e *Envelope) { e.Netuid++ },
		"miner":         func(e *Envelope) { e.Miner = other.Address() },
		"signature bit": func(e *Envelope) { e.Signature = flip(e.Signature, 10) },
	} {
		env := good
		mutate(&env)
		if err := v.VerifyRequest(body, env); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s changed: got %v", name, err)
		}
	}
	if err := v.VerifyRequest([]byte("evil"), good); !errors.Is(err, ErrBadSignature) {
		t.Errorf("body changed: got %v", err)
	}
}

func TestVerifierBounds(t *testing.T) {
	v := NewVerifier(3, 1)
	miner := testSigner(t, "miner")
	var envs []Envelope
	for i := range 5 {
		s := testSigner(t, string(rune('a'+i)))
		env, err := s.SignRequest(nil, 1, 1, miner.Address())
		if err != nil {
			t.Fatal(err)
		}
		if err := v.VerifyRequest(nil, env); err != nil {
			t.Fatal(err)
		}
		envs = append(envs, env)
		v.Prepare(env.PubKey)
	}
	keys, tables := v.knownKeys()
	if keys > 3 || tables > 1 {
		t.Fatalf("verifier holds %d keys and %d tables, bounds 3 and 1", keys, tables)
	}
	// Evicted keys still verify, through the generic path.
	for _, env := range envs {
		if err := v.VerifyRequest(nil, env); err != nil {
			t.Fatal(err)
		}
	}
}

// A well-formed but unknown key that fails its signature is not remembered.
func TestVerifierRemembersOnlyGoodSigners(t *testing.T) {
	v := NewVerifier(0, 0)
	caller, miner := testSigner(t, "caller"), testSigner(t, "miner")
	env, err := caller.SignRequest([]byte("a"), 1, 1, miner.Address())
	if err != nil {
		t.Fatal(err)
	}
	if err := v.VerifyRequest([]byte("b"), env); !errors.Is(err, ErrBadSignature) {
		t.Fatal(err)
	}
	if keys, _ := v.knownKeys(); keys != 0 {
		t.Fatalf("a key whose signature failed was remembered")
	}
	v.Prepare(env.PubKey)
	if _, tables := v.knownKeys(); tables != 0 {
		t.Fatal("a table was built for a key that never signed successfully")
	}
}

// TestKeyTableVerifyTakesXAboveOrder: ECDSA compares r with the x of u1·G + u2·Q reduced mod n, and
// an x in [n, p) reduces to x - n. Honest signing meets such an x about once in 2^128 signatures, so
// no random test reaches that branch: here a key is built backwards from a chosen point R with x ≥ n,
// so that a signature with r = x - n is valid under it, and the table must agree with the library on
// it and on its neighbour r + 1.
func TestKeyTableVerifyTakesXAboveOrder(t *testing.T) {
	// The smallest x > n on the curve (x = n is on it too, but gives r = 0): step up from n + 1
	// until x³ + 7 has a square root.
	var x, y, one secp.FieldVal
	one.SetInt(1)
	x.SetByteSlice(secp.Params().N.Bytes())
	x.Add(&one).Normalize()
	for !secp.DecompressY(&x, false, &y) {
		x.Add(&one).Normalize()
	}
	if !x.IsGtOrEqPrimeMinusOrder() {
		t.Fatal("chosen x does not take the r + n branch")
	}
	xb := x.Bytes()
	var r, s secp.ModNScalar
	if overflow := r.SetByteSlice(xb[:]); !overflow {
		t.Fatal("x is below n")
	}
	s.SetInt(12345)
	hash := sha256.Sum256([]byte("x above the order"))
	var e secp.ModNScalar
	e.SetByteSlice(hash[:])
	// Q = u2⁻¹·(R − u1·G), with u1 = e/s and u2 = r/s, makes u1·G + u2·Q = R.
	var w, u1, u2 secp.ModNScalar
	w.InverseValNonConst(&s)
	u1.Mul2(&e, &w)
	u2.Mul2(&r, &w)
	var rPoint, u1G, diff, q secp.JacobianPoint
	rPoint.X, rPoint.Y = x, y
	rPoint.Z.SetInt(1)
	secp.ScalarBaseMultNonConst(&u1, &u1G)
	u1G.ToAffine()
	u1G.Y.Negate(1).Normalize()
	secp.AddNonConst(&rPoint, &u1G, &diff)
	u2.InverseNonConst()
	secp.ScalarMultNonConst(&u2, &diff, &q)
	q.ToAffine()
	pub := secp.NewPublicKey(&q.X, &q.Y)
	table := newKeyTable(pub)

	if !ecdsa.NewSignature(&r, &s).Verify(hash[:], pub) {
		t.Fatal("library refuses the constructed signature: the construction is wrong")
	}
	if !table.verify(&hash, &r, &s) {
		t.Error("table refuses a signature whose point has x ≥ n")
	}
	var next secp.ModNScalar
	next.SetInt(1).Add(&r)
	if want, got := ecdsa.NewSignature(&next, &s).Verify(hash[:], pub), table.verify(&hash, &next, &s); got != want || got {
		t.Errorf("r + 1: table says %v, library says %v, want both false", got, want)
	}
}

// FuzzKeyTableVerify: for any key, message and bit flipped in an honest signature, the table path
// decides as the library does (go test -fuzz FuzzKeyTableVerify ./axonauth explores further).
func FuzzKeyTableVerify(f *testing.F) {
	f.Add([]byte("key"), []byte("message"), uint16(0), false)
	f.Add([]byte("key"), []byte("message"), uint16(3), true)
	f.Add([]byte("other key"), []byte(""), uint16(300), true)
	f.Fuzz(func(t *testing.T, keySeed, msg []byte, flipAt uint16, flipped bool) {
		seed := sha256.Sum256(keySeed)
		priv := secp.PrivKeyFromBytes(seed[:])
		sig := sign(priv, msg)
		if flipped {
			sig[int(flipAt)%len(sig)] ^= 1 << (flipAt / 64 % 8)
		}
		r, s, ok := parseSignature(sig)
		if !ok {
			return // refused before any curve arithmetic, on both paths
		}
		hash := sha256.Sum256(msg)
		want := ecdsa.NewSignature(&r, &s).Verify(hash[:], priv.PubKey())
		if got := newKeyTable(priv.PubKey()).verify(&hash, &r, &s); got != want {
			t.Fatalf("table says %v, library says %v", got, want)
		}
		if !flipped && !want {
			t.Fatal("honest signature refused")
		}
	})
}
