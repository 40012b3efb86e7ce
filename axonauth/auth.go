package axonauth

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	secp "github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// AddressPrefix is the bech32 prefix of hotkey addresses.
const AddressPrefix = "mind"

const (
	requestTag  = "mindnet-axon-request-v1\n"
	responseTag = "mindnet-axon-response-v1\n"

	// SignatureSize is the size of a secp256k1 signature in r||s form.
	SignatureSize = 64
	// PubKeySize is the size of a compressed secp256k1 public key.
	PubKeySize = 33
	// maxAddressLen bounds the addresses inside a signed message so their length fits one byte.
	maxAddressLen = 255
)

// Errors a caller or miner can get from checking a signature. Each says what is wrong.
var (
	ErrMissingSignature = errors.New("request is not signed: send the caller's hotkey, public key, nonce and signature")
	ErrMalformedPubKey  = errors.New("public key is not a 33-byte compressed secp256k1 key")
	ErrPubKeyMismatch   = errors.New("public key does not belong to the claimed hotkey")
	ErrBadSignature     = errors.New("signature does not verify for this body, nonce, netuid, caller and miner")
	ErrMalformedAddress = errors.New("hotkey is not a valid mind1… address")
)

// Envelope is what travels beside a request or response body to authenticate it.
type Envelope struct {
	Netuid    uint16
	Nonce     uint64 // Unix nanoseconds on the caller's clock
	Caller    string // caller hotkey, bech32
	Miner     string // miner hotkey, bech32
	PubKey    []byte // compressed secp256k1 key of the signer
	Signature []byte // 64-byte r||s
}

// Signer holds a hotkey's private key. The key is parsed and its public key derived once, here,
// not on every signature.
type Signer struct {
	key     *secp.PrivateKey
	pub     []byte // compressed
	address string
}

// NewSigner returns a signer for a 32-byte secp256k1 private key.
func NewSigner(privateKey []byte) (*Signer, error) {
	if len(privateKey) != secp256k1.PrivKeySize {
		return nil, fmt.Errorf("private key must be %d bytes, got %d", secp256k1.PrivKeySize, len(privateKey))
	}
	sdkKey := &secp256k1.PrivKey{Key: bytes.Clone(privateKey)}
	pub := sdkKey.PubKey()
	addr, err := bech32.ConvertAndEncode(AddressPrefix, pub.Address())
	if err != nil {
		return nil, fmt.Errorf("encode hotkey address: %w", err)
	}
	return &Signer{key: secp.PrivKeyFromBytes(sdkKey.Key), pub: pub.Bytes(), address: addr}, nil
}

// Address returns the signer's hotkey address (mind1…).
func (s *Signer) Address() string { return s.address }

// PubKey returns the signer's compressed public key.
func (s *Signer) PubKey() []byte { return bytes.Clone(s.pub) }

// SignRequest signs a request body for miner on netuid with the given nonce.
func (s *Signer) SignRequest(body []byte, netuid uint16, nonce uint64, miner string) (Envelope, error) {
	env := Envelope{Netuid: netuid, Nonce: nonce, Caller: s.address, Miner: miner, PubKey: s.PubKey()}
	msg, err := requestMessage(sha256.Sum256(body), env)
	if err != nil {
		return Envelope{}, err
	}
	env.Signature = sign(s.key, msg)
	return env, nil
}

// SignResponse signs a response body as the miner, bound to the request it answers.
func (s *Signer) SignResponse(body []byte, request Envelope) (Envelope, error) {
	if request.Miner != s.address {
		return Envelope{}, fmt.Errorf("request was addressed to %s, not to this miner %s", request.Miner, s.address)
	}
	env := Envelope{Netuid: request.Netuid, Nonce: request.Nonce, Caller: request.Caller, Miner: s.address, PubKey: s.PubKey()}
	msg, err := responseMessage(sha256.Sum256(body), request.Signature, env)
	if err != nil {
		return Envelope{}, err
	}
	env.Signature = sign(s.key, msg)
	return env, nil
}

// VerifyRequest checks that env is a valid signature by env.Caller over body. It checks nothing
// about freshness or permission: see NonceTracker and the miner's caller policy. A long-running
// process that checks many signatures from the same keys should hold its own Verifier.
func VerifyRequest(body []byte, env Envelope) error {
	return sharedVerifier.VerifyRequest(body, env)
}

// VerifyResponse checks that env is the miner's signature over a response body answering the request
// whose signature was requestSig.
func VerifyResponse(body, requestSig []byte, env Envelope) error {
	return sharedVerifier.VerifyResponse(body, requestSig, env)
}

func requestMessage(bodyHash [32]byte, env Envelope) ([]byte, error) {
	return signedMessage(requestTag, bodyHash[:], nil, env)
}

func responseMessage(bodyHash [32]byte, requestSig []byte, env Envelope) ([]byte, error) {
	sigHash := sha256.Sum256(requestSig)
	return signedMessage(responseTag, bodyHash[:], sigHash[:], env)
}

func signedMessage(tag string, bodyHash, extra []byte, env Envelope) ([]byte, error) {
	if len(env.Caller) == 0 || len(env.Caller) > maxAddressLen {
		return nil, fmt.Errorf("%w: caller %q", ErrMalformedAddress, env.Caller)
	}
	if len(env.Miner) == 0 || len(env.Miner) > maxAddressLen {
		return nil, fmt.Errorf("%w: miner %q", ErrMalformedAddress, env.Miner)
	}
	buf := make([]byte, 0, len(tag)+len(bodyHash)+len(extra)+8+2+2+len(env.Caller)+len(env.Miner))
	buf = append(buf, tag...)
	buf = append(buf, bodyHash...)
	buf = append(buf, extra...)
	buf = binary.BigEndian.AppendUint64(buf, env.Nonce)
	buf = binary.BigEndian.AppendUint16(buf, env.Netuid)
	buf = append(buf, byte(len(env.Caller)))
	buf = append(buf, env.Caller...)
	buf = append(buf, byte(len(env.Miner)))
	buf = append(buf, env.Miner...)
	return buf, nil
}
