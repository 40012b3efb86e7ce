package axonauth

import (
	"crypto/sha256"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	secp "github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

// Verifier checks signatures and remembers the public keys it has seen sign, so that a key that
// signs again is neither decompressed nor hashed into an address again. Keys that the owner marks
// with Prepare (a miner's admitted callers, a validator's miners) also get a precomputed table that
// makes their verification about twice as fast. Both caches are bounded. A Verifier is safe for
// concurrent use; the zero value is not: use NewVerifier.
type Verifier struct {
	maxKeys   int
	maxTables int

	mu     sync.Mutex
	keys   map[[PubKeySize]byte]*knownKey
	tables int    // keys that hold or are building a table
	tick   uint64 // use clock for least-recently-used eviction
}

type knownKey struct {
	pub      *secp.PublicKey
	address  string // bech32
	table    atomic.Pointer[keyTable]
	building bool   // under Verifier.mu
	lastUsed uint64 // under Verifier.mu
}

// Default cache bounds: the keys a miner or validator meets are a subnet's neurons (at most a few
// thousand); tables (≈ 217 KB each) are kept for the busiest few dozen.
const (
	DefaultMaxKeys   = 4096
	DefaultMaxTables = 64
)

// NewVerifier returns a verifier that remembers up to maxKeys public keys and keeps precomputed
// tables for up to maxTables of them (non-positive values take the defaults).
func NewVerifier(maxKeys, maxTables int) *Verifier {
	if maxKeys <= 0 {
		maxKeys = DefaultMaxKeys
	}
	if maxTables <= 0 {
		maxTables = DefaultMaxTables
	}
	return &Verifier{maxKeys: maxKeys, maxTables: min(maxTables, maxKeys), keys: make(map[[PubKeySize]byte]*knownKey)}
}

// sharedVerifier backs the package-level VerifyRequest and VerifyResponse.
var sharedVerifier = NewVerifier(0, 0)

// VerifyRequest checks that env is a valid signature by env.Caller over body. It checks nothing
// about freshness or permission: see NonceTracker and the miner's caller policy.
func (v *Verifier) VerifyRequest(body []byte, env Envelope) error {
	msg, err := requestMessage(sha256.Sum256(body), env)
	if err != nil {
		return err
	}
	return v.verify(env.Caller, env, msg)
}

// VerifyResponse checks that env is the miner's signature over a response body answering the
// request whose signature was requestSig.
func (v *Verifier) VerifyResponse(body, requestSig []byte, env Envelope) error {
	msg, err := responseMessage(sha256.Sum256(body), requestSig, env)
	if err != nil {
		return err
	}
	return v.verify(env.Miner, env, msg)
}

// Prepare says that pubKey, which has already signed successfully here, will sign many more
// messages: its table is built in the background, once. Call it only for keys that passed every
// check (for a miner: the caller is admitted by the chain), so that strangers cannot make the
// verifier spend time and memory on theirs. Unknown or malformed keys are ignored.
func (v *Verifier) Prepare(pubKey []byte) {
	if len(pubKey) != PubKeySize {
		return
	}
	v.mu.Lock()
	k := v.keys[[PubKeySize]byte(pubKey)]
	if k == nil || k.building || k.table.Load() != nil {
		v.mu.Unlock()
		return
	}
	if v.tables >= v.maxTables {
		v.dropLeastRecentTableLocked()
	}
	if v.tables >= v.maxTables { // every table is still being built
		v.mu.Unlock()
		return
	}
	k.building = true
	v.tables++
	v.mu.Unlock()
	go func() { k.table.Store(newKeyTable(k.pub)) }()
}

// dropLeastRecentTableLocked frees the table of the key used longest ago. A table still being built
// is left alone; it counts until its key is evicted.
func (v *Verifier) dropLeastRecentTableLocked() {
	var oldest *knownKey
	for _, k := range v.keys {
		if k.table.Load() != nil && (oldest == nil || k.lastUsed < oldest.lastUsed) {
			oldest = k
		}
	}
	if oldest != nil {
		oldest.table.Store(nil)
		oldest.building = false
		v.tables--
	}
}

func (v *Verifier) verify(signer string, env Envelope, msg []byte) error {
	if len(env.Signature) == 0 || len(env.PubKey) == 0 {
		return ErrMissingSignature
	}
	if len(env.PubKey) != PubKeySize {
		return ErrMalformedPubKey
	}
	key := [PubKeySize]byte(env.PubKey)
	v.mu.Lock()
	k := v.keys[key]
	if k != nil {
		v.tick++
		k.lastUsed = v.tick
	}
	v.mu.Unlock()

	known := k != nil
	if !known {
		pub, err := secp.ParsePubKey(env.PubKey)
		if err != nil || (env.PubKey[0] != 0x02 && env.PubKey[0] != 0x03) {
			return ErrMalformedPubKey
		}
		addr, err := bech32.ConvertAndEncode(AddressPrefix, (&secp256k1.PubKey{Key: env.PubKey}).Address())
		if err != nil {
			return fmt.Errorf("encode address of public key: %w", err)
		}
		k = &knownKey{pub: pub, address: addr}
	}
	if signer != k.address {
		// Tell a malformed address from a well-formed one that belongs to another key.
		if hrp, _, err := bech32.DecodeAndConvert(signer); err != nil || hrp != AddressPrefix {
			return fmt.Errorf("%w: %q", ErrMalformedAddress, signer)
		}
		return ErrPubKeyMismatch
	}

	r, s, ok := parseSignature(env.Signature)
	if !ok {
		return ErrBadSignature
	}
	hash := sha256.Sum256(msg)
	if t := k.table.Load(); t != nil {
		ok = t.verify(&hash, &r, &s)
	} else {
		ok = ecdsa.NewSignature(&r, &s).Verify(hash[:], k.pub)
	}
	if !ok {
		return ErrBadSignature
	}
	if !known {
		v.remember(key, k)
	}
	return nil
}

// remember adds a key that has just produced a valid signature, evicting the least recently used
// key when full.
func (v *Verifier) remember(key [PubKeySize]byte, k *knownKey) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if _, ok := v.keys[key]; ok {
		return
	}
	if len(v.keys) >= v.maxKeys {
		var oldestKey [PubKeySize]byte
		var oldest *knownKey
		for kk, c := range v.keys {
			if oldest == nil || c.lastUsed < oldest.lastUsed {
				oldestKey, oldest = kk, c
			}
		}
		if oldest.building || oldest.table.Load() != nil {
			v.tables--
		}
		delete(v.keys, oldestKey)
	}
	v.tick++
	k.lastUsed = v.tick
	v.keys[key] = k
}

// parseSignature reads a 64-byte r||s signature. Both halves must be in [1, n-1] (no reduction mod
// n, so there is one encoding per signature) and s must be in the lower half of the order, as the
// chain's own secp256k1 keys require, so that a signature cannot be altered into another valid one.
func parseSignature(sig []byte) (r, s secp.ModNScalar, ok bool) {
	if len(sig) != SignatureSize {
		return r, s, false
	}
	if r.SetByteSlice(sig[:32]) || s.SetByteSlice(sig[32:]) {
		return r, s, false
	}
	if r.IsZero() || s.IsZero() || s.IsOverHalfOrder() {
		return r, s, false
	}
	return r, s, true
}

// sign makes the 64-byte r||s signature (RFC 6979 nonce, lower-S) over SHA-256(msg).
func sign(key *secp.PrivateKey, msg []byte) []byte {
	hash := sha256.Sum256(msg)
	sig := ecdsa.Sign(key, hash[:])
	out := make([]byte, SignatureSize)
	r, s := sig.R(), sig.S()
	r.PutBytesUnchecked(out[:32])
	s.PutBytesUnchecked(out[32:])
	return out
}

// knownKeys reports the cache sizes, for tests.
func (v *Verifier) knownKeys() (keys, tables int) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return len(v.keys), v.tables
}
