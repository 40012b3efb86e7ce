package keeper

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	"github.com/mindnet/mindnet/x/weights/types"
)

// Commit-reveal (subtensor's commit_weights / reveal_weights): a validator first commits the
// hash of its row, and shows the row only commit_reveal_period tempos later, when copying it is worth
// nothing. Expired commits are dropped lazily, by the next commit or reveal of the same UID: the work is
// bounded by max_pending_commits per message, and nothing runs in blocks where no one commits.

// CommitWeights records hash as a pending commit of hotkey's UID on netuid and returns it, with its
// reveal window, and the UID. Rules: the subnet exists and has commit-reveal on; the hotkey holds a
// UID, a validator permit (the subnet owner may commit without one: its self-weight is the only row it
// could reveal) and min_validator_stake; the UID's last commit is at least weights_rate_limit blocks
// back; the hash is not already pending; fewer than max_pending_commits commits are pending.
func (k *Keeper) CommitWeights(ctx context.Context, hotkey sdk.AccAddress, netuid uint32, hash []byte) (types.WeightCommit, uint32, error) {
	if err := types.CheckCommitHash(hash); err != nil {
		return types.WeightCommit{}, 0, err
	}
	subnet, err := k.subnet(ctx, netuid)
	if err != nil {
		return types.WeightCommit{}, 0, err
	}
	hp := subnet.Hyperparameters
	if !hp.CommitRevealEnabled {
		return types.WeightCommit{}, 0, errorsmod.Wrapf(types.ErrCommitRevealDisabled, "netuid %d", netuid)
	}
	s, err := k.setter(ctx, netuid, hotkey)
	if err != nil {
		return types.WeightCommit{}, 0, err
	}
	if err := k.checkMayWeight(ctx, subnet, s, true); err != nil {
		return types.WeightCommit{}, 0, err
	}
	if err := k.checkStake(ctx, subnet, s); err != nil {
		return types.WeightCommit{}, 0, err
	}
	height := blockHeight(ctx)
	start, end, err := types.RevealWindow(netuid, hp.Tempo, hp.CommitRevealPeriod, height)
	if err != nil {
		return types.WeightCommit{}, 0, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return types.WeightCommit{}, 0, fmt.Errorf("read params: %w", err)
	}
	queue, err := k.commitQueue(ctx, netuid, s)
	if err != nil {
		return types.WeightCommit{}, 0, err
	}
	expired := dropFinished(&queue, height)
	// Under commit-reveal the commit is the act of setting weights, so weights_rate_limit spaces commits.
	if queue.LastCommitAt != 0 {
		if next := NextSetBlock(queue.LastCommitAt, hp.WeightsRateLimit); height < next {
			return types.WeightCommit{}, 0, errorsmod.Wrapf(types.ErrRateLimited, "uid %d committed at block %d; next commit allowed at block %d", s.uid, queue.LastCommitAt, next)
		}
	}
	pending := 0
	for _, c := range queue.Commits {
		if bytes.Equal(c.Hash, hash) {
			return types.WeightCommit{}, 0, errorsmod.Wrapf(types.ErrDuplicateCommit, "committed at block %d", c.CommittedAt)
		}
		if c.RevealedAt == 0 {
			pending++
		}
	}
	if pending >= int(params.MaxPendingCommits) {
		return types.WeightCommit{}, 0, errorsmod.Wrapf(types.ErrTooManyPendingCommits, "uid %d holds %d (max_pending_commits %d); see `mindnetd q weights pending-commits %d %s`",
			s.uid, pending, params.MaxPendingCommits, netuid, s.hotkeyStr)
	}
	commit := types.WeightCommit{Hash: bytes.Clone(hash), CommittedAt: height, RevealStart: start, RevealEnd: end}
	queue.Commits = append(queue.Commits, commit)
	queue.LastCommitAt = height
	if err := k.Commits.Set(ctx, collections.Join(netuid, s.uid), queue); err != nil {
		return types.WeightCommit{}, 0, fmt.Errorf("store commits of %d/%d: %w", netuid, s.uid, err)
	}
	emitExpired(ctx, netuid, s, expired)
	emit(ctx, types.EventTypeWeightsCommitted,
		types.AttributeKeyNetuid, strconv.FormatUint(uint64(netuid), 10),
		types.AttributeKeyUID, strconv.FormatUint(uint64(s.uid), 10),
		types.AttributeKeyHotkey, s.hotkeyStr,
		types.AttributeKeyCommitHash, hex.EncodeToString(hash),
		types.AttributeKeyHeight, strconv.FormatInt(height, 10),
		types.AttributeKeyRevealStart, strconv.FormatInt(start, 10),
		types.AttributeKeyRevealEnd, strconv.FormatInt(end, 10),
	)
	return commit, s.uid, nil
}

// RevealResult is what a reveal stored.
type RevealResult struct {
	UID uint32
	// CommittedAt is the block of the commit the reveal opened.
	CommittedAt int64
	// DroppedEntries counts row entries left out because their target changed hands after the commit.
	DroppedEntries int
}

// RevealWeights opens the pending commit of hotkey's UID on netuid whose hash is
// CommitHash(hotkey, netuid, uids, weights, salt, versionKey), within its reveal window, and stores the
// row after every check MsgSetWeights makes except the rate limit, which bound the commit. Entries aimed
// at a UID whose holder registered at or after the commit's block are then dropped (on the root subnet:
// at a netuid whose subnet was created at or after it), so that weights committed for a pruned neuron
// never reach the one that took its UID (subtensor issue 1787). The neuron's last_update moves to the
// reveal's block.
func (k *Keeper) RevealWeights(ctx context.Context, hotkey sdk.AccAddress, netuid uint32, uids, weights []uint32, salt []byte, versionKey uint64) (RevealResult, error) {
	if err := k.chargeRow(ctx, len(uids)); err != nil {
		return RevealResult{}, err
	}
	if err := types.CheckSalt(salt); err != nil {
		return RevealResult{}, err
	}
	if err := types.CheckRowShape(uids, weights); err != nil {
		return RevealResult{}, err
	}
	subnet, err := k.subnet(ctx, netuid)
	if err != nil {
		return RevealResult{}, err
	}
	if !subnet.Hyperparameters.CommitRevealEnabled {
		return RevealResult{}, errorsmod.Wrapf(types.ErrCommitRevealDisabled, "netuid %d", netuid)
	}
	s, err := k.setter(ctx, netuid, hotkey)
	if err != nil {
		return RevealResult{}, err
	}
	queue, found, err := k.storedQueue(ctx, netuid, s)
	if err != nil {
		return RevealResult{}, err
	}
	if !found || len(queue.Commits) == 0 {
		return RevealResult{}, errorsmod.Wrapf(types.ErrNoPendingCommit, "hotkey %s, uid %d on netuid %d", s.hotkeyStr, s.uid, netuid)
	}
	height := blockHeight(ctx)
	hash := types.CommitHash(s.hotkeyStr, netuid, uids, weights, salt, versionKey)
	i := commitIndex(queue.Commits, hash)
	if i < 0 {
		return RevealResult{}, errorsmod.Wrapf(types.ErrRevealMismatch, "hash %x; uid %d holds %d commits", hash, s.uid, len(queue.Commits))
	}
	c := queue.Commits[i]
	switch {
	case c.RevealedAt != 0:
		return RevealResult{}, errorsmod.Wrapf(types.ErrAlreadyRevealed, "committed at block %d, revealed at block %d", c.CommittedAt, c.RevealedAt)
	case height < c.RevealStart:
		return RevealResult{}, errorsmod.Wrapf(types.ErrRevealTooEarly, "committed at block %d; reveal in blocks %d to %d; this is block %d, %d blocks early",
			c.CommittedAt, c.RevealStart, c.RevealEnd, height, c.RevealStart-height)
	case height > c.RevealEnd:
		return RevealResult{}, errorsmod.Wrapf(types.ErrRevealTooLate, "committed at block %d; the window was blocks %d to %d; this is block %d",
			c.CommittedAt, c.RevealStart, c.RevealEnd, height)
	}
	if err := k.checkRow(ctx, subnet, s, uids, weights, versionKey); err != nil {
		return RevealResult{}, err
	}
	keptUIDs, keptWeights, dropped, err := k.dropReplacedTargets(ctx, netuid, uids, weights, c.CommittedAt)
	if err != nil {
		return RevealResult{}, err
	}
	if err := k.storeRow(ctx, netuid, s, keptUIDs, keptWeights, height); err != nil {
		return RevealResult{}, err
	}
	queue.Commits[i].RevealedAt = height
	expired := dropFinished(&queue, height)
	if err := k.Commits.Set(ctx, collections.Join(netuid, s.uid), queue); err != nil {
		return RevealResult{}, fmt.Errorf("store commits of %d/%d: %w", netuid, s.uid, err)
	}
	emitExpired(ctx, netuid, s, expired)
	emit(ctx, types.EventTypeWeightsRevealed,
		types.AttributeKeyNetuid, strconv.FormatUint(uint64(netuid), 10),
		types.AttributeKeyUID, strconv.FormatUint(uint64(s.uid), 10),
		types.AttributeKeyHotkey, s.hotkeyStr,
		types.AttributeKeyCommitHash, hex.EncodeToString(hash),
		types.AttributeKeyCommittedAt, strconv.FormatInt(c.CommittedAt, 10),
		types.AttributeKeyDroppedEntries, strconv.Itoa(dropped),
		types.AttributeKeyHeight, strconv.FormatInt(height, 10),
	)
	return RevealResult{UID: s.uid, CommittedAt: c.CommittedAt, DroppedEntries: dropped}, nil
}

// dropReplacedTargets leaves out the entries whose target is newer than the commit: a UID whose holder
// registered at or after committedAt, or on the root subnet a netuid whose subnet was created at or
// after it. "At" counts as newer because a commit and a registration in the same block are unordered
// for the committer, who built its row from the state before that block (the epoch's own mask,
// last_update <= registered_at, is inclusive the same way).
func (k *Keeper) dropReplacedTargets(ctx context.Context, netuid uint32, uids, weights []uint32, committedAt int64) (keptUIDs, keptWeights []uint32, dropped int, err error) {
	keptUIDs = make([]uint32, 0, len(uids))
	keptWeights = make([]uint32, 0, len(weights))
	for i, target := range uids {
		if weights[i] == 0 {
			continue // stored rows leave zeros out anyway
		}
		var registeredAt int64
		if netuid == subnettypes.RootNetuid {
			s, err := k.subnet(ctx, target)
			if err != nil {
				return nil, nil, 0, err
			}
			registeredAt = s.RegisteredAt
		} else {
			n, err := k.subnets.GetNeuron(ctx, netuid, target)
			if err != nil {
				return nil, nil, 0, fmt.Errorf("read neuron %d/%d: %w", netuid, target, err)
			}
			registeredAt = n.RegisteredAt
		}
		if registeredAt >= committedAt {
			dropped++
			continue
		}
		keptUIDs = append(keptUIDs, target)
		keptWeights = append(keptWeights, weights[i])
	}
	return keptUIDs, keptWeights, dropped, nil
}

// commitQueue returns the UID's queue, or a new empty one for s. A queue left by another hotkey (which
// the hand-over hook should have dropped) is not s's and is replaced.
func (k *Keeper) commitQueue(ctx context.Context, netuid uint32, s setterRef) (types.CommitQueue, error) {
	q, found, err := k.storedQueue(ctx, netuid, s)
	if err != nil {
		return types.CommitQueue{}, err
	}
	if !found {
		return types.CommitQueue{Netuid: netuid, Uid: s.uid, Hotkey: s.hotkeyStr}, nil
	}
	return q, nil
}

// storedQueue reads the UID's queue if it belongs to s.
func (k *Keeper) storedQueue(ctx context.Context, netuid uint32, s setterRef) (types.CommitQueue, bool, error) {
	q, err := k.Commits.Get(ctx, collections.Join(netuid, s.uid))
	if errors.Is(err, collections.ErrNotFound) {
		return types.CommitQueue{}, false, nil
	}
	if err != nil {
		return types.CommitQueue{}, false, fmt.Errorf("read commits of %d/%d: %w", netuid, s.uid, err)
	}
	if q.Hotkey != s.hotkeyStr {
		return types.CommitQueue{}, false, nil
	}
	return q, true, nil
}

// dropFinished removes the commits whose window ended before height and returns how many of them were
// never revealed (expired). Revealed commits are kept until then only to refuse replays.
func dropFinished(q *types.CommitQueue, height int64) int {
	expired := 0
	kept := q.Commits[:0]
	for _, c := range q.Commits {
		if c.RevealEnd >= height {
			kept = append(kept, c)
			continue
		}
		if c.RevealedAt == 0 {
			expired++
		}
	}
	q.Commits = kept
	return expired
}

func commitIndex(commits []types.WeightCommit, hash []byte) int {
	for i, c := range commits {
		if bytes.Equal(c.Hash, hash) {
			return i
		}
	}
	return -1
}

func emitExpired(ctx context.Context, netuid uint32, s setterRef, expired int) {
	if expired == 0 {
		return
	}
	emit(ctx, types.EventTypeCommitsExpired,
		types.AttributeKeyNetuid, strconv.FormatUint(uint64(netuid), 10),
		types.AttributeKeyUID, strconv.FormatUint(uint64(s.uid), 10),
		types.AttributeKeyHotkey, s.hotkeyStr,
		types.AttributeKeyCount, strconv.Itoa(expired),
	)
}
