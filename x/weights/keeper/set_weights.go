package keeper

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	subnettypes "github.com/mindnet/mindnet/x/subnet/types"
	"github.com/mindnet/mindnet/x/weights/types"
)

// SetWeights stores the weight row that hotkey's neuron on netuid gives to uids, after every stateful
// rule of the issue (subtensor's do_set_weights, in Mindnet's order): the row is shaped right (stateless,
// checked again here so that no caller can skip it), the subnet exists and has commit-reveal off, the
// hotkey holds a UID, the version key is current, the row fits the subnet, the hotkey holds a validator
// permit (or is the subnet owner setting a self-weight) and min_validator_stake, the row has enough
// non-zero weights and none above max_weight_limit, and the UID is outside weights_rate_limit. The row
// is stored normalised and the neuron's last_update moves to this block. Gas is charged per entry before
// any state is read, so that a refused long row still pays for its length. It returns the setter's UID.
func (k *Keeper) SetWeights(ctx context.Context, hotkey sdk.AccAddress, netuid uint32, uids, weights []uint32, versionKey uint64) (uint32, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, fmt.Errorf("read params: %w", err)
	}
	sdk.UnwrapSDKContext(ctx).GasMeter().ConsumeGas(params.GasPerWeight*uint64(len(uids)), "x/weights row entries")

	if err := types.CheckRowShape(uids, weights); err != nil {
		return 0, err
	}
	subnet, err := k.subnets.GetSubnet(ctx, netuid)
	if errors.Is(err, subnettypes.ErrUnknownSubnet) {
		return 0, errorsmod.Wrapf(types.ErrUnknownSubnet, "netuid %d", netuid)
	}
	if err != nil {
		return 0, fmt.Errorf("read subnet %d: %w", netuid, err)
	}
	hp := subnet.Hyperparameters
	// Plain weights are visible in the mempool and copyable; where commit-reveal is on they must go
	// through commit and reveal.
	if hp.CommitRevealEnabled {
		return 0, errorsmod.Wrapf(types.ErrCommitRevealEnabled, "netuid %d", netuid)
	}
	hotkeyStr, err := k.addressCodec.BytesToString(hotkey)
	if err != nil {
		return 0, fmt.Errorf("%w: hotkey: %w", types.ErrInvalidAddress, err)
	}
	uid, err := k.subnets.UIDOf(ctx, netuid, hotkey)
	if errors.Is(err, subnettypes.ErrHotkeyNotRegistered) {
		return 0, errorsmod.Wrapf(types.ErrHotkeyNotRegistered, "hotkey %s on netuid %d", hotkeyStr, netuid)
	}
	if err != nil {
		return 0, fmt.Errorf("read uid of %s on netuid %d: %w", hotkeyStr, netuid, err)
	}
	if versionKey < hp.WeightsVersionKey {
		return 0, errorsmod.Wrapf(types.ErrOutdatedVersionKey, "got %d, the subnet needs at least %d", versionKey, hp.WeightsVersionKey)
	}
	if err := checkFitsSubnet(uids, subnet.NeuronCount); err != nil {
		return 0, err
	}
	selfWeight := types.IsSelfWeight(uid, uids)
	neuron, err := k.subnets.GetNeuron(ctx, netuid, uid)
	if err != nil {
		return 0, fmt.Errorf("read neuron %d/%d: %w", netuid, uid, err)
	}
	if !neuron.Scores.ValidatorPermit {
		// subtensor lets a subnet owner without a permit weight itself, so that emission has somewhere to
		// go on a subnet with no validators yet; nothing else.
		switch {
		case hotkeyStr != subnet.Owner:
			return 0, errorsmod.Wrapf(types.ErrNoValidatorPermit, "uid %d on netuid %d", uid, netuid)
		case !selfWeight:
			return 0, errorsmod.Wrapf(types.ErrOwnerSelfWeightOnly, "uid %d on netuid %d", uid, netuid)
		}
	}
	stake, err := k.subnets.TotalStakeOf(ctx, hotkey)
	if err != nil {
		return 0, fmt.Errorf("read stake of %s: %w", hotkeyStr, err)
	}
	if stake.LT(hp.MinValidatorStake) {
		return 0, errorsmod.Wrapf(types.ErrInsufficientStake, "%s umind staked, the subnet needs %s", stake, hp.MinValidatorStake)
	}
	if !selfWeight {
		if need := min(int(hp.MinAllowedWeights), int(subnet.NeuronCount)); types.NonZero(weights) < need {
			return 0, errorsmod.Wrapf(types.ErrTooFewWeights, "%d non-zero weights, the subnet needs %d", types.NonZero(weights), need)
		}
		if top, exceeded := types.ExceedsMaxWeight(weights, hp.MaxWeightLimit); exceeded {
			return 0, errorsmod.Wrapf(types.ErrMaxWeightExceeded, "largest weight is %d/65535 of the row, max_weight_limit is %d", top, hp.MaxWeightLimit)
		}
	}
	height := blockHeight(ctx)
	if err := k.checkRateLimit(ctx, netuid, uid, hp.WeightsRateLimit, height); err != nil {
		return 0, err
	}

	normUIDs, normWeights := types.NormaliseRow(uids, weights)
	row := types.WeightRow{Netuid: netuid, Uid: uid, Uids: normUIDs, Weights: normWeights, SetAt: height}
	if err := k.Weights.Set(ctx, collections.Join(netuid, uid), row); err != nil {
		return 0, fmt.Errorf("store weights of %d/%d: %w", netuid, uid, err)
	}
	if err := k.subnets.SetNeuronLastUpdate(ctx, netuid, uid, height); err != nil {
		return 0, fmt.Errorf("set last_update of %d/%d: %w", netuid, uid, err)
	}
	emit(ctx, types.EventTypeWeightsSet,
		types.AttributeKeyNetuid, strconv.FormatUint(uint64(netuid), 10),
		types.AttributeKeyUID, strconv.FormatUint(uint64(uid), 10),
		types.AttributeKeyHotkey, hotkeyStr,
		types.AttributeKeyEntries, strconv.Itoa(len(normUIDs)),
		types.AttributeKeyHeight, strconv.FormatInt(height, 10),
	)
	return uid, nil
}

// checkFitsSubnet refuses rows longer than the subnet and UIDs at or above its size: UIDs are dense,
// 0 to neuron_count-1.
func checkFitsSubnet(uids []uint32, size uint32) error {
	if uint64(len(uids)) > uint64(size) {
		return errorsmod.Wrapf(types.ErrTooManyWeights, "%d entries, the subnet has %d neurons", len(uids), size)
	}
	for _, u := range uids {
		if u >= size {
			return errorsmod.Wrapf(types.ErrUIDOutOfRange, "uid %d, the subnet has %d neurons", u, size)
		}
	}
	return nil
}

// checkRateLimit refuses a row within rateLimit blocks of the UID's last one. A UID with no row (never
// set, or cleared when the UID changed hands) may set at once.
func (k *Keeper) checkRateLimit(ctx context.Context, netuid, uid uint32, rateLimit uint64, height int64) error {
	prev, err := k.Weights.Get(ctx, collections.Join(netuid, uid))
	if errors.Is(err, collections.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read weights of %d/%d: %w", netuid, uid, err)
	}
	if next := NextSetBlock(prev.SetAt, rateLimit); height < next {
		return errorsmod.Wrapf(types.ErrRateLimited, "uid %d set weights at block %d; next allowed at block %d", uid, prev.SetAt, next)
	}
	return nil
}

// NextSetBlock is the first block at which a UID that set weights at setAt may set them again.
func NextSetBlock(setAt int64, rateLimit uint64) int64 {
	if rateLimit > uint64(1<<62) {
		return 1 << 62
	}
	return setAt + int64(rateLimit)
}

// GetRow returns the stored row of (netuid, uid), and false when it set none.
func (k *Keeper) GetRow(ctx context.Context, netuid, uid uint32) (types.WeightRow, bool, error) {
	row, err := k.Weights.Get(ctx, collections.Join(netuid, uid))
	if errors.Is(err, collections.ErrNotFound) {
		return types.WeightRow{}, false, nil
	}
	if err != nil {
		return types.WeightRow{}, false, fmt.Errorf("read weights of %d/%d: %w", netuid, uid, err)
	}
	return row, true, nil
}
