package keeper_test

import (
	"reflect"
	"testing"

	"github.com/mindnet/mindnet/x/subnet/types"
)

func TestSetHyperparametersByOwnerAndGovernance(t *testing.T) {
	f := newFixture(t, nil)
	netuid, owner := f.createSubnet("alpha")
	stranger := f.account("stranger", 0)
	base, _ := f.k.Hyperparameters(f.ctx, netuid)

	send := func(signer string, change func(*types.Hyperparameters)) error {
		h := base
		change(&h)
		_, err := f.msgs.SetHyperparameters(f.ctx, &types.MsgSetHyperparameters{Authority: signer, Netuid: netuid, Hyperparameters: h})
		return err
	}

	refusals := []struct {
		name   string
		signer string
		change func(*types.Hyperparameters)
		want   error
	}{
		{"stranger", f.str(stranger), func(h *types.Hyperparameters) { h.ImmunityPeriod = 10 }, types.ErrNotSubnetOwner},
		{"owner sets tempo", f.str(owner), func(h *types.Hyperparameters) { h.Tempo = 99 }, types.ErrHyperparameterNotSettable},
		{"owner turns commit-reveal off", f.str(owner), func(h *types.Hyperparameters) { h.CommitRevealEnabled = false }, types.ErrHyperparameterNotSettable},
		{"above bound", f.str(owner), func(h *types.Hyperparameters) { h.ImmunityPeriod = 2_000_000 }, types.ErrHyperparameterOutOfBounds},
		{"kappa above scale", f.authority, func(h *types.Hyperparameters) { h.Kappa = 70_000 }, types.ErrHyperparameterOutOfBounds},
		{"validators above uids", f.authority, func(h *types.Hyperparameters) { h.MaxAllowedValidators = h.MaxAllowedUids + 1 }, types.ErrHyperparameterOutOfBounds},
		{"min burn above max", f.str(owner), func(h *types.Hyperparameters) { h.MinBurn = h.MaxBurn.AddRaw(1) }, types.ErrHyperparameterOutOfBounds},
		{"zero tempo", f.authority, func(h *types.Hyperparameters) { h.Tempo = 0 }, types.ErrHyperparameterOutOfBounds},
	}
	before := f.exported()
	for _, r := range refusals {
		requireErrorIs(t, send(r.signer, r.change), r.want)
	}
	if !reflect.DeepEqual(before, f.exported()) {
		t.Fatal("a refused change altered state")
	}
	_, err := f.msgs.SetHyperparameters(f.ctx, &types.MsgSetHyperparameters{Authority: f.str(owner), Netuid: 42, Hyperparameters: base})
	requireErrorIs(t, err, types.ErrUnknownSubnet)

	if err := send(f.str(owner), func(h *types.Hyperparameters) { h.ImmunityPeriod = 10; h.WeightsVersionKey = 7 }); err != nil {
		t.Fatalf("owner change: %v", err)
	}
	if err := send(f.authority, func(h *types.Hyperparameters) { h.Tempo = 99; h.CommitRevealEnabled = false }); err != nil {
		t.Fatalf("governance change: %v", err)
	}
	got, _ := f.k.Hyperparameters(f.ctx, netuid)
	if got.Tempo != 99 || got.CommitRevealEnabled || got.ImmunityPeriod != base.ImmunityPeriod {
		t.Fatalf("hyperparameters = %+v: governance's full replacement should hold", got)
	}
}

func TestSetHyperparametersClampsCurrentBurn(t *testing.T) {
	f := newFixture(t, nil)
	netuid, _ := f.createSubnet("alpha")
	f.setHyper(netuid, func(h *types.Hyperparameters) { h.MinBurn = h.MinBurn.MulRaw(10); h.MaxBurn = h.MinBurn })
	cost, err := f.k.RegistrationCost(f.ctx, netuid)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := f.k.Hyperparameters(f.ctx, netuid)
	if !cost.Equal(h.MinBurn) {
		t.Fatalf("burn = %s, want it raised to the new min_burn %s", cost, h.MinBurn)
	}
}

func TestUpdateParamsOnlyByAuthorityAndValid(t *testing.T) {
	f := newFixture(t, nil)
	stranger := f.account("stranger", 0)
	p := types.DefaultParams()
	p.MaxDelegateTake = 2_000

	_, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.str(stranger), Params: p})
	requireErrorIs(t, err, types.ErrInvalidAuthority)

	bad := p
	bad.MinHyperparameters.Tempo = bad.MaxHyperparameters.Tempo + 1
	_, err = f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: bad})
	requireErrorIs(t, err, types.ErrInvalidParams)

	if _, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p}); err != nil {
		t.Fatal(err)
	}
	res, err := f.queries.Params(f.ctx, &types.QueryParamsRequest{})
	if err != nil || res.Params.MaxDelegateTake != 2_000 {
		t.Fatalf("params = %v (%v), want max_delegate_take 2000", res, err)
	}
}
