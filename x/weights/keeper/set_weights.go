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
// hotkey holds a UID, the row passes checkRow (version key, fit, permit, stake, min and max weight),
// and the UID is outside weights_rate_limit. The row is stored normalised and the neuron's last_update
// moves to this block. Gas is charged per entry before any state is read, so that a refused long row
// still pays for its length. It returns the setter's UID.
func (k *Keeper) SetWeights(ctx context.Context, hotkey sdk.AccAddress, netuid uint32, uids, weights []uint32, versionKey uint64) (uint32, error) {
	if err := k.chargeRow(ctx, len(uids)); err != nil {
		return 0, err
	}
	if err := types.CheckRowShape(uids, weights); err != nil {
		return 0, err
	}
	subnet, err := k.subnet(ctx, netuid)
	if err != nil {
		return 0, err
	}
	hp := subnet.Hyperparameters
	// Plain weights are visible in the mempool and copyable; where commit-reveal is on they must go
	// through commit and reveal.
	if hp.CommitRevealEnabled {
		return 0, errorsmod.Wrapf(types.ErrCommitRevealEnabled, "netuid %d", netuid)
	}
	setter, err := k.setter(ctx, netuid, hotkey)
	if err != nil {
		return 0, err
	}
	if err := k.checkRow(ctx, subnet, setter, uids, weights, versionKey); err != nil {
		return 0, err
	}
	height := blockHeight(ctx)
	if err := k.checkRateLimit(ctx, netuid, setter.uid, hp.WeightsRateLimit, height); err != nil {
		return 0, err
	}
	if err := k.storeRow(ctx, netuid, setter, uids, weights, height); err != nil {
		return 0, err
	}
	return setter.uid, nil
}

// setterRef is the neuron that sends a weight message: its hotkey in both forms and its UID.
type setterRef struct {
	hotkey    sdk.AccAddress
	hotkeyStr string
	uid       uint32
}

// chargeRow charges gas_per_weight for each entry of a submitted row.
func (k *Keeper) chargeRow(ctx context.Context, entries int) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return fmt.Errorf("read params: %w", err)
	}
	sdk.UnwrapSDKContext(ctx).GasMeter().ConsumeGas(params.GasPerWeight*uint64(entries), "x/weights row entries")
	return nil
}

// subnet reads netuid, mapping x/subnet's unknown-subnet error to this module's.
func (k *Keeper) subnet(ctx context.Context, netuid uint32) (subnettypes.Subnet, error) {
	subnet, err := k.subnets.GetSubnet(ctx, netuid)
	if errors.Is(err, subnettypes.ErrUnknownSubnet) {
		return subnettypes.Subnet{}, errorsmod.Wrapf(types.ErrUnknownSubnet, "netuid %d", netuid)
	}
	if err != nil {
		return subnettypes.Subnet{}, fmt.Errorf("read subnet %d: %w", netuid, err)
	}
	return subnet, nil
}

// setter finds the UID hotkey holds on netuid.
func (k *Keeper) setter(ctx context.Context, netuid uint32, hotkey sdk.AccAddress) (setterRef, error) {
	hotkeyStr, err := k.addressCodec.BytesToString(hotkey)
	if err != nil {
		return setterRef{}, fmt.Errorf("%w: hotkey: %w", types.ErrInvalidAddress, err)
	}
	uid, err := k.subnets.UIDOf(ctx, netuid, hotkey)
	if errors.Is(err, subnettypes.ErrHotkeyNotRegistered) {
		return setterRef{}, errorsmod.Wrapf(types.ErrHotkeyNotRegistered, "hotkey %s on netuid %d", hotkeyStr, netuid)
	}
	if err != nil {
		return setterRef{}, fmt.Errorf("read uid of %s on netuid %d: %w", hotkeyStr, netuid, err)
	}
	return setterRef{hotkey: hotkey, hotkeyStr: hotkeyStr, uid: uid}, nil
}

// checkRow runs the rules a row must pass on its subnet, whether it comes from MsgSetWeights, a batch
// entry or a reveal: version key, the row fits the subnet (on the root subnet: every target is an
// existing subnet other than the root), the setter may weight (permit, or the owner's self-weight),
// stake, and unless a self-weight min_allowed_weights and max_weight_limit. The rate limit is apart
// because under commit-reveal it binds the commit, not the reveal.
func (k *Keeper) checkRow(ctx context.Context, subnet subnettypes.Subnet, s setterRef, uids, weights []uint32, versionKey uint64) error {
	hp := subnet.Hyperparameters
	netuid := subnet.Netuid
	if versionKey < hp.WeightsVersionKey {
		return errorsmod.Wrapf(types.ErrOutdatedVersionKey, "got %d, the subnet needs at least %d", versionKey, hp.WeightsVersionKey)
	}
	root := netuid == subnettypes.RootNetuid
	targets := uint64(subnet.NeuronCount)
	if root {
		n, err := k.checkRootTargets(ctx, uids, hp.MinAllowedWeights)
		if err != nil {
			return err
		}
		targets = n
	} else if err := checkFitsSubnet(uids, subnet.NeuronCount); err != nil {
		return err
	}
	selfWeight := !root && types.IsSelfWeight(s.uid, uids)
	if err := k.checkMayWeight(ctx, subnet, s, selfWeight); err != nil {
		return err
	}
	if err := k.checkStake(ctx, subnet, s); err != nil {
		return err
	}
	if !selfWeight {
		if need := min(uint64(hp.MinAllowedWeights), targets); uint64(types.NonZero(weights)) < need {
			return errorsmod.Wrapf(types.ErrTooFewWeights, "%d non-zero weights, the subnet needs %d", types.NonZero(weights), need)
		}
		if top, exceeded := types.ExceedsMaxWeight(weights, hp.MaxWeightLimit); exceeded {
			return errorsmod.Wrapf(types.ErrMaxWeightExceeded, "largest weight is %d/65535 of the row, max_weight_limit is %d", top, hp.MaxWeightLimit)
		}
	}
	return nil
}

// checkMayWeight requires a validator permit, except that the subnet owner without one may set a
// self-weight (subtensor lets an owner weight itself so that emission has somewhere to go on a subnet
// with no validators yet). On the root subnet membership itself is the gate: x/emission admits only
// the top stakers chain-wide to netuid 0, so no permit is asked there.
func (k *Keeper) checkMayWeight(ctx context.Context, subnet subnettypes.Subnet, s setterRef, selfWeight bool) error {
	if subnet.Netuid == subnettypes.RootNetuid {
		return nil
	}
	neuron, err := k.subnets.GetNeuron(ctx, subnet.Netuid, s.uid)
	if err != nil {
		return fmt.Errorf("read neuron %d/%d: %w", subnet.Netuid, s.uid, err)
	}
	if neuron.Scores.ValidatorPermit {
		return nil
	}
	switch {
	case s.hotkeyStr != subnet.Owner:
		return errorsmod.Wrapf(types.ErrNoValidatorPermit, "uid %d on netuid %d", s.uid, subnet.Netuid)
	case !selfWeight:
		return errorsmod.Wrapf(types.ErrOwnerSelfWeightOnly, "uid %d on netuid %d", s.uid, subnet.Netuid)
	}
	return nil
}

// checkStake requires min_validator_stake of every setter, the owner's self-weight included, as
// subtensor checks stake for every setter.
func (k *Keeper) checkStake(ctx context.Context, subnet subnettypes.Subnet, s setterRef) error {
	stake, err := k.subnets.VoiceOf(ctx, subnet.Netuid, s.hotkey)
	if err != nil {
		return fmt.Errorf("read stake of %s: %w", s.hotkeyStr, err)
	}
	if min := subnet.Hyperparameters.MinValidatorStake; !min.IsNil() && stake.LT(min) {
		return errorsmod.Wrapf(types.ErrInsufficientStake, "stake %s on netuid %d (alpha plus root_weight of root stake), the subnet needs %s", stake, subnet.Netuid, min)
	}
	return nil
}

// checkRootTargets requires every target of a root row to be an existing subnet other than the root,
// and returns a lower bound on how many subnets may be weighted, for min_allowed_weights: it probes
// netuids 1, 2, ... (x/subnet hands out the lowest free netuid) and stops at minAllowed, so the work is
// bounded by the hyperparameter, not by the number of subnets.
func (k *Keeper) checkRootTargets(ctx context.Context, netuids []uint32, minAllowed uint32) (uint64, error) {
	for _, target := range netuids {
		if target == subnettypes.RootNetuid {
			return 0, errorsmod.Wrap(types.ErrInvalidRootTarget, "netuid 0 is the root itself")
		}
		if _, err := k.subnet(ctx, target); err != nil {
			if errors.Is(err, types.ErrUnknownSubnet) {
				return 0, errorsmod.Wrapf(types.ErrInvalidRootTarget, "netuid %d does not exist", target)
			}
			return 0, err
		}
	}
	var n uint64
	for n < uint64(minAllowed) {
		_, err := k.subnets.GetSubnet(ctx, uint32(n+1))
		if errors.Is(err, subnettypes.ErrUnknownSubnet) {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("read subnet %d: %w", n+1, err)
		}
		n++
	}
	return n, nil
}

// storeRow normalises and stores a checked row, moves the neuron's last_update to height and announces it.
func (k *Keeper) storeRow(ctx context.Context, netuid uint32, s setterRef, uids, weights []uint32, height int64) error {
	normUIDs, normWeights := types.NormaliseRow(uids, weights)
	row := types.WeightRow{Netuid: netuid, Uid: s.uid, Uids: normUIDs, Weights: normWeights, SetAt: height}
	if err := k.Weights.Set(ctx, collections.Join(netuid, s.uid), row); err != nil {
		return fmt.Errorf("store weights of %d/%d: %w", netuid, s.uid, err)
	}
	if err := k.subnets.SetNeuronLastUpdate(ctx, netuid, s.uid, height); err != nil {
		return fmt.Errorf("set last_update of %d/%d: %w", netuid, s.uid, err)
	}
	emit(ctx, types.EventTypeWeightsSet,
		types.AttributeKeyNetuid, strconv.FormatUint(uint64(netuid), 10),
		types.AttributeKeyUID, strconv.FormatUint(uint64(s.uid), 10),
		types.AttributeKeyHotkey, s.hotkeyStr,
		types.AttributeKeyEntries, strconv.Itoa(len(normUIDs)),
		types.AttributeKeyHeight, strconv.FormatInt(height, 10),
	)
	return nil
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
	prev, ok, err := k.GetRow(ctx, netuid, uid)
	if err != nil || !ok {
		return err
	}
	if next := NextSetBlock(prev.SetAt, rateLimit); height < next {
		return errorsmod.Wrapf(types.ErrRateLimited, "uid %d set weights at block %d; next allowed at block %d", uid, prev.SetAt, next)
	}
	return nil
}

// NextSetBlock is the first block at which a UID that set weights (or committed) at setAt may do so again.
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

// IterateRows calls fn with every stored row of netuid in UID order, until fn asks to stop or fails.
// x/emission reads a subnet's weight matrix through it at each epoch.
func (k *Keeper) IterateRows(ctx context.Context, netuid uint32, fn func(uid uint32, row types.WeightRow) (stop bool, err error)) error {
	err := k.Weights.Walk(ctx, collections.NewPrefixedPairRange[uint32, uint32](netuid),
		func(key collections.Pair[uint32, uint32], row types.WeightRow) (bool, error) {
			return fn(key.K2(), row)
		})
	if err != nil {
		return fmt.Errorf("walk weights of netuid %d: %w", netuid, err)
	}
	return nil
}
