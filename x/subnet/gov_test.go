package subnet_test

import (
	"encoding/json"
	"testing"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/mindnet/mindnet/app"
	"github.com/mindnet/mindnet/testutil/apptest"
	"github.com/mindnet/mindnet/x/subnet/types"
)

// govVotingPeriod is short enough that a proposal ends a few apptest blocks after it was submitted.
const govVotingPeriod = 5 * apptest.BlockInterval

// shortGovVoting shortens x/gov's voting periods in genesis.
func shortGovVoting(cdc codec.JSONCodec, state map[string]json.RawMessage) error {
	var gs govv1.GenesisState
	if err := cdc.UnmarshalJSON(state[govtypes.ModuleName], &gs); err != nil {
		return err
	}
	voting, expedited := govVotingPeriod, govVotingPeriod-2*apptest.BlockInterval
	gs.Params.VotingPeriod, gs.Params.ExpeditedVotingPeriod = &voting, &expedited
	bz, err := cdc.MarshalJSON(&gs)
	if err != nil {
		return err
	}
	state[govtypes.ModuleName] = bz
	return nil
}

// TestGovernanceChangesHyperparameterBound changes a governance bound on a hyperparameter the only way
// the chain allows: a proposal carrying MsgUpdateParams with the gov module account as authority,
// passed by the genesis validator's delegator. A rival proposal that is voted down changes nothing;
// the same message signed by an ordinary account is refused; and once the new bound is in force the
// subnet owner can no longer set a value beyond it.
func TestGovernanceChangesHyperparameterBound(t *testing.T) {
	c := apptest.New(t, 2, shortGovVoting)
	proposer, owner := c.Accounts[0], c.Accounts[1]
	govAccount := authtypes.NewModuleAddress(govtypes.ModuleName).String()
	ctx := func() sdk.Context { return c.App.NewContext(true) }

	before, err := c.App.SubnetKeeper.Params.Get(ctx())
	if err != nil {
		t.Fatal(err)
	}
	const newMaxImmunity = 8_192
	if before.MaxHyperparameters.ImmunityPeriod <= newMaxImmunity {
		t.Fatalf("default max immunity_period %d is already within %d: the test would prove nothing",
			before.MaxHyperparameters.ImmunityPeriod, newMaxImmunity)
	}
	lowered := before
	lowered.MaxHyperparameters.ImmunityPeriod = newMaxImmunity
	raised := before
	raised.MaxHyperparameters.ImmunityPeriod = 2 * before.MaxHyperparameters.ImmunityPeriod

	// The owner's subnet, with immunity_period set above the bound the proposal will impose: the
	// bound must not rewrite existing subnets.
	c.NextBlock(t, c.SignedTx(t, 1, &types.MsgCreateSubnet{Owner: owner.String(), Name: "llm"}))
	hp := types.DefaultHyperparameters()
	hp.ImmunityPeriod = 20_000
	c.NextBlock(t, c.SignedTx(t, 1, &types.MsgSetHyperparameters{Authority: owner.String(), Netuid: 1, Hyperparameters: hp}))

	// Without governance the same message is refused.
	res := c.NextBlockResults(t, c.SignedTx(t, 0, &types.MsgUpdateParams{Authority: proposer.String(), Params: lowered}))
	if r := res.TxResults[0]; r.Codespace != types.ModuleName || r.Code != types.ErrInvalidAuthority.ABCICode() {
		t.Fatalf("MsgUpdateParams signed by an ordinary account: code %s/%d (%s), want ErrInvalidAuthority", r.Codespace, r.Code, r.Log)
	}

	minDeposit := sdk.NewCoins(sdk.NewCoin(app.BondDenom, govv1.DefaultMinDepositTokens))
	submit := func(params types.Params, title string) []byte {
		msg, err := govv1.NewMsgSubmitProposal([]sdk.Msg{&types.MsgUpdateParams{Authority: govAccount, Params: params}},
			minDeposit, proposer.String(), "", title, "change x/subnet's max immunity_period bound", false)
		if err != nil {
			t.Fatal(err)
		}
		return c.SignedTx(t, 0, msg)
	}
	c.NextBlock(t, submit(lowered, "lower max immunity_period"))
	c.NextBlock(t, submit(raised, "raise max immunity_period"))
	for _, id := range []uint64{1, 2} {
		p, err := c.App.GovKeeper.Proposals.Get(ctx(), id)
		if err != nil || p.Status != govv1.StatusVotingPeriod {
			t.Fatalf("proposal %d: status %v, err %v; want voting period", id, p.Status, err)
		}
	}
	c.NextBlock(t, c.SignedTxWithKey(t, c.DelegatorKey,
		govv1.NewMsgVote(c.Delegator, 1, govv1.OptionYes, ""),
		govv1.NewMsgVote(c.Delegator, 2, govv1.OptionNo, "")))

	// Nothing changes until the voting period ends.
	if got, _ := c.App.SubnetKeeper.Params.Get(ctx()); !got.Equal(before) {
		t.Fatalf("params changed during the voting period: %+v", got)
	}
	for end := c.Time().Add(govVotingPeriod); !c.Time().After(end); {
		c.NextBlock(t)
	}

	for id, want := range map[uint64]govv1.ProposalStatus{1: govv1.StatusPassed, 2: govv1.StatusRejected} {
		p, err := c.App.GovKeeper.Proposals.Get(ctx(), id)
		if err != nil || p.Status != want {
			t.Errorf("proposal %d: status %v (failed reason %q), err %v; want %v", id, p.Status, p.FailedReason, err, want)
		}
	}
	after, err := c.App.SubnetKeeper.Params.Get(ctx())
	if err != nil {
		t.Fatal(err)
	}
	if !after.Equal(lowered) {
		t.Fatalf("params after the vote: max immunity_period %d, want %d and nothing else changed",
			after.MaxHyperparameters.ImmunityPeriod, newMaxImmunity)
	}

	// The existing subnet keeps its value; a new value must lie within the new bound.
	var sub types.QuerySubnetResponse
	query(t, c, "Subnet", &types.QuerySubnetRequest{Netuid: 1}, &sub)
	if sub.Subnet.Hyperparameters.ImmunityPeriod != 20_000 {
		t.Errorf("subnet 1 immunity_period %d after the bound changed, want it kept at 20000", sub.Subnet.Hyperparameters.ImmunityPeriod)
	}
	hp.ImmunityPeriod = newMaxImmunity + 1
	res = c.NextBlockResults(t, c.SignedTx(t, 1, &types.MsgSetHyperparameters{Authority: owner.String(), Netuid: 1, Hyperparameters: hp}))
	if r := res.TxResults[0]; r.Codespace != types.ModuleName || r.Code != types.ErrHyperparameterOutOfBounds.ABCICode() {
		t.Errorf("immunity_period %d past the new bound: code %s/%d (%s), want ErrHyperparameterOutOfBounds",
			hp.ImmunityPeriod, r.Codespace, r.Code, r.Log)
	}
	hp.ImmunityPeriod = newMaxImmunity
	c.NextBlock(t, c.SignedTx(t, 1, &types.MsgSetHyperparameters{Authority: owner.String(), Netuid: 1, Hyperparameters: hp}))
	query(t, c, "Subnet", &types.QuerySubnetRequest{Netuid: 1}, &sub)
	if sub.Subnet.Hyperparameters.ImmunityPeriod != newMaxImmunity {
		t.Errorf("subnet 1 immunity_period %d, want %d", sub.Subnet.Hyperparameters.ImmunityPeriod, newMaxImmunity)
	}
}
