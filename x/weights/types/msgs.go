package types

import (
	"cmp"
	"fmt"
	"slices"

	"cosmossdk.io/core/address"
)

// Stateless checks ("ValidateBasic"): they need only an address codec, never the store. The msg server
// runs them first; the keeper then checks what depends on the subnet (size, hyperparameters, permits).

// MaxBatchEntries bounds the subnets one MsgBatchSetWeights may cover; a hotkey sits on few subnets,
// and the bound keeps a batch's work in one transaction predictable.
const MaxBatchEntries = 64

// Validate checks the hotkey's address and the row's shape: one weight per UID, each UID once, each
// weight a u16.
func (m *MsgSetWeights) Validate(ac address.Codec) error {
	if err := checkHotkey(ac, m.Hotkey); err != nil {
		return err
	}
	return CheckRowShape(m.Uids, m.Weights)
}

// Validate checks the hotkey's address and that the hash is a SHA-256 digest.
func (m *MsgCommitWeights) Validate(ac address.Codec) error {
	if err := checkHotkey(ac, m.Hotkey); err != nil {
		return err
	}
	return CheckCommitHash(m.CommitHash)
}

// Validate checks the hotkey's address, the salt's length and the row's shape. A reveal whose row is
// malformed could never be stored, so it is refused before any hashing.
func (m *MsgRevealWeights) Validate(ac address.Codec) error {
	if err := checkHotkey(ac, m.Hotkey); err != nil {
		return err
	}
	if err := CheckSalt(m.Salt); err != nil {
		return err
	}
	return CheckRowShape(m.Uids, m.Weights)
}

// Validate checks the hotkey, that the batch has 1..MaxBatchEntries entries with no netuid twice, and
// every entry's row shape.
func (m *MsgBatchSetWeights) Validate(ac address.Codec) error {
	if err := checkHotkey(ac, m.Hotkey); err != nil {
		return err
	}
	if len(m.Entries) == 0 {
		return ErrEmptyBatch
	}
	if len(m.Entries) > MaxBatchEntries {
		return fmt.Errorf("%w: %d entries, at most %d", ErrBatchTooLarge, len(m.Entries), MaxBatchEntries)
	}
	netuids := make([]uint32, len(m.Entries))
	for i, e := range m.Entries {
		if err := CheckRowShape(e.Uids, e.Weights); err != nil {
			return fmt.Errorf("entry %d (netuid %d): %w", i, e.Netuid, err)
		}
		netuids[i] = e.Netuid
	}
	slices.Sort(netuids)
	for i := 1; i < len(netuids); i++ {
		if netuids[i] == netuids[i-1] {
			return fmt.Errorf("%w: netuid %d", ErrDuplicateBatchNetuid, netuids[i])
		}
	}
	return nil
}

// Validate checks the authority's address and the params; that the authority is the right one is the
// keeper's check.
func (m *MsgUpdateParams) Validate(ac address.Codec) error {
	if _, err := ac.StringToBytes(m.Authority); err != nil {
		return fmt.Errorf("%w: authority %q: %w", ErrInvalidAddress, m.Authority, err)
	}
	return m.Params.Validate()
}

func checkHotkey(ac address.Codec, hotkey string) error {
	if _, err := ac.StringToBytes(hotkey); err != nil {
		return fmt.Errorf("%w: hotkey %q: %w", ErrInvalidAddress, hotkey, err)
	}
	return nil
}

// CheckCommitHash refuses a commit hash that is not CommitHashSize bytes.
func CheckCommitHash(hash []byte) error {
	if len(hash) != CommitHashSize {
		return fmt.Errorf("%w: got %d bytes", ErrInvalidCommitHash, len(hash))
	}
	return nil
}

// CheckSalt refuses a salt outside MinSaltLength..MaxSaltLength bytes.
func CheckSalt(salt []byte) error {
	if len(salt) < MinSaltLength || len(salt) > MaxSaltLength {
		return fmt.Errorf("%w: got %d bytes", ErrSaltLength, len(salt))
	}
	return nil
}

// CheckRowShape checks what a weight row needs before any state is read: equal lengths, no UID twice,
// every weight at most MaxWeight.
func CheckRowShape(uids, weights []uint32) error {
	if len(uids) != len(weights) {
		return fmt.Errorf("%w: %d uids, %d weights", ErrLengthMismatch, len(uids), len(weights))
	}
	for i, w := range weights {
		if w > MaxWeight {
			return fmt.Errorf("%w: %d for uid %d", ErrWeightTooLarge, w, uids[i])
		}
	}
	sorted := slices.Clone(uids)
	slices.Sort(sorted)
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			return fmt.Errorf("%w: uid %d", ErrDuplicateUID, sorted[i])
		}
	}
	return nil
}

// IsSelfWeight reports whether a row gives all its weight to the setter's own UID: one entry, aimed
// at uid (subtensor's is_self_weight). Such a row is exempt from min_allowed_weights and
// max_weight_limit, and is the only row a subnet owner without a validator permit may set.
func IsSelfWeight(uid uint32, uids []uint32) bool {
	return len(uids) == 1 && uids[0] == uid
}

// NonZero counts the non-zero weights of a row.
func NonZero(weights []uint32) int {
	n := 0
	for _, w := range weights {
		if w > 0 {
			n++
		}
	}
	return n
}

// ExceedsMaxWeight reports whether some weight, as a share of the row's sum in 1/MaxWeight-ths rounded
// down, is above limit: floor(w*65535/sum) > limit, the same integer test validator/weights.Check makes,
// so that a row the validator accepts the chain accepts too. A limit of MaxWeight or more never binds.
func ExceedsMaxWeight(weights []uint32, limit uint32) (top uint64, exceeded bool) {
	var sum, largest uint64
	for _, w := range weights {
		sum += uint64(w)
		largest = max(largest, uint64(w))
	}
	if sum == 0 {
		return 0, false
	}
	top = largest * MaxWeight / sum
	return top, limit < MaxWeight && top > uint64(limit)
}

// NormaliseRow returns the row as it is stored: sorted by UID, zero weights dropped, and scaled so that
// the largest weight is MaxWeight (each w becomes round(w*65535/max), as subtensor's max-upscale does).
// The inputs must have passed CheckRowShape. An all-zero row stores as empty.
func NormaliseRow(uids, weights []uint32) (outUIDs, outWeights []uint32) {
	order := make([]int, 0, len(uids))
	var top uint64
	for i, w := range weights {
		if w > 0 {
			order = append(order, i)
			top = max(top, uint64(w))
		}
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(uids[a], uids[b]) })
	outUIDs = make([]uint32, len(order))
	outWeights = make([]uint32, len(order))
	for j, i := range order {
		outUIDs[j] = uids[i]
		// w <= top <= MaxWeight, so w*MaxWeight fits easily in 64 bits and the result is in 1..MaxWeight.
		outWeights[j] = uint32((uint64(weights[i])*MaxWeight + top/2) / top)
	}
	return outUIDs, outWeights
}
