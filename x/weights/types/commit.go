package types

import (
	"crypto/sha256"
	"encoding/binary"
)

// CommitDomain tags every commit hash, so that a weight commitment can never be mistaken for a hash
// of anything else, and so that a future encoding can change the tag instead of colliding with this one.
const CommitDomain = "mindnet/weights/commit/v1"

// CommitHashSize is the length of a commit hash: a SHA-256 digest.
const CommitHashSize = sha256.Size

// Salt bounds. A salt shorter than MinSaltLength could be found by trying every value against the
// weights a copier guesses; longer than MaxSaltLength only costs block space.
const (
	MinSaltLength = 8
	MaxSaltLength = 64
)

// CommitHash returns the commitment that MsgCommitWeights carries and MsgRevealWeights must match: the
// SHA-256 of this canonical encoding, every integer big-endian:
//
//	"mindnet/weights/commit/v1"        the 25 ASCII bytes of CommitDomain, no length prefix
//	u32 len(hotkey) || hotkey          the hotkey's bech32 string ("mind1..."), as UTF-8 bytes
//	u32 netuid
//	u32 len(uids)    || u32 uid ...    the uids in the order given (not sorted)
//	u32 len(weights) || u32 weight ... the weights in the order given, unnormalised
//	u32 len(salt)    || salt
//	u64 version_key
//
// Binding the hotkey stops one validator from replaying another's commit as its own; binding the
// netuid and version key stops a reveal from counting on another subnet or software version. Both
// lists carry their own length, so no two different inputs share an encoding. Test vectors:
// x/weights/types/testdata/commit_vectors.json.
func CommitHash(hotkey string, netuid uint32, uids, weights []uint32, salt []byte, versionKey uint64) []byte {
	h := sha256.New()
	var b [8]byte
	u32 := func(v uint32) {
		binary.BigEndian.PutUint32(b[:4], v)
		h.Write(b[:4])
	}
	h.Write([]byte(CommitDomain))
	u32(uint32(len(hotkey)))
	h.Write([]byte(hotkey))
	u32(netuid)
	u32(uint32(len(uids)))
	for _, u := range uids {
		u32(u)
	}
	u32(uint32(len(weights)))
	for _, w := range weights {
		u32(w)
	}
	u32(uint32(len(salt)))
	h.Write(salt)
	binary.BigEndian.PutUint64(b[:], versionKey)
	h.Write(b[:])
	return h.Sum(nil)
}
