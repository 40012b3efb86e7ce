package types_test

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"cosmossdk.io/math"

	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"

	"github.com/mindnet/mindnet/x/subnet/types"
)

var ac = addresscodec.NewBech32Codec("mind")

func addr(t testing.TB, b byte) string {
	raw := make([]byte, 20)
	for i := range raw {
		raw[i] = b
	}
	s, err := ac.BytesToString(raw)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func ptr[T any](v T) *T { return &v }

// model returns a valid model record, changed by change when it is not nil.
func model(change func(*types.SubnetModel)) types.SubnetModel {
	m := types.SubnetModel{Name: "org/model", Digest: strings.Repeat("c3", 32), Precisions: []string{"float32", "half"}, ContextLength: 4096}
	if change != nil {
		change(&m)
	}
	return m
}

func TestDefaultModelIsValidAndParamsCheckIt(t *testing.T) {
	if err := types.DefaultModel().Validate(); err != nil {
		t.Fatal(err)
	}
	p := types.DefaultParams()
	p.DefaultModel.Precisions = nil
	if err := p.Validate(); !errors.Is(err, types.ErrInvalidParams) || !errors.Is(err, types.ErrInvalidPrecision) {
		t.Fatalf("params with an invalid default model: %v", err)
	}
}

func TestStatelessChecks(t *testing.T) {
	a, b := addr(t, 1), addr(t, 2)
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"create ok", (&types.MsgCreateSubnet{Owner: a, Name: "text generation"}).Validate(ac), nil},
		{"create empty name", (&types.MsgCreateSubnet{Owner: a}).Validate(ac), types.ErrInvalidSubnetName},
		{"create control char", (&types.MsgCreateSubnet{Owner: a, Name: "a\x00b"}).Validate(ac), types.ErrInvalidSubnetName},
		{"create bad owner", (&types.MsgCreateSubnet{Owner: "cosmos1abc", Name: "x"}).Validate(ac), types.ErrInvalidAddress},
		{"register ok", (&types.MsgRegisterNeuron{Coldkey: a, Hotkey: b, Netuid: 1}).Validate(ac), nil},
		{"register bad hotkey", (&types.MsgRegisterNeuron{Coldkey: a, Hotkey: "", Netuid: 1}).Validate(ac), types.ErrInvalidAddress},
		{"serve ipv6", (&types.MsgServeAxon{Hotkey: a, Ip: "2001:db8::2", Port: 1}).Validate(ac), nil},
		{"serve unspecified v4", (&types.MsgServeAxon{Hotkey: a, Ip: "0.0.0.0", Port: 1}).Validate(ac), types.ErrInvalidIP},
		{"serve unspecified v6", (&types.MsgServeAxon{Hotkey: a, Ip: "::", Port: 1}).Validate(ac), types.ErrInvalidIP},
		{"serve mapped unspecified", (&types.MsgServeAxon{Hotkey: a, Ip: "::ffff:0.0.0.0", Port: 1}).Validate(ac), types.ErrInvalidIP},
		{"serve zone", (&types.MsgServeAxon{Hotkey: a, Ip: "fe80::1%eth0", Port: 1}).Validate(ac), types.ErrInvalidIP},
		{"serve port 0", (&types.MsgServeAxon{Hotkey: a, Ip: "1.2.3.4"}).Validate(ac), types.ErrInvalidPort},
		{"serve port too big", (&types.MsgServeAxon{Hotkey: a, Ip: "1.2.3.4", Port: 70_000}).Validate(ac), types.ErrInvalidPort},
		{"stake ok", (&types.MsgAddStake{Coldkey: a, Hotkey: b, Amount: math.OneInt()}).Validate(ac), nil},
		{"stake nil amount", (&types.MsgAddStake{Coldkey: a, Hotkey: b}).Validate(ac), types.ErrInvalidAmount},
		{"unstake negative", (&types.MsgRemoveStake{Coldkey: a, Hotkey: b, Amount: math.NewInt(-1)}).Validate(ac), types.ErrInvalidAmount},
		{"take above 100%", (&types.MsgSetDelegateTake{Hotkey: a, Take: 10_001}).Validate(ac), types.ErrTakeOutOfBounds},
		{"transfer bad new owner", (&types.MsgTransferSubnetOwnership{Owner: a, NewOwner: "x"}).Validate(ac), types.ErrInvalidAddress},
		{"hyperparameters unset amounts", (&types.MsgSetHyperparameters{Authority: a}).Validate(ac), types.ErrHyperparameterOutOfBounds},
		{"params ok", (&types.MsgUpdateParams{Authority: a, Params: types.DefaultParams()}).Validate(ac), nil},
		{"params invalid", (&types.MsgUpdateParams{Authority: a}).Validate(ac), types.ErrInvalidParams},
		{"create with model", (&types.MsgCreateSubnet{Owner: a, Name: "x", Model: ptr(model(nil))}).Validate(ac), nil},
		{"create with bad model", (&types.MsgCreateSubnet{Owner: a, Name: "x", Model: ptr(model(func(m *types.SubnetModel) { m.ContextLength = 0 }))}).Validate(ac), types.ErrInvalidContextLength},
		{"set model ok", (&types.MsgSetSubnetModel{Owner: a, Netuid: 1, Model: model(nil)}).Validate(ac), nil},
		{"set model half only", (&types.MsgSetSubnetModel{Owner: a, Netuid: 1, Model: model(func(m *types.SubnetModel) { m.Precisions = []string{"half"} })}).Validate(ac), nil},
		{"set model bad owner", (&types.MsgSetSubnetModel{Owner: "cosmos1abc", Netuid: 1, Model: model(nil)}).Validate(ac), types.ErrInvalidAddress},
		{"set model no name", (&types.MsgSetSubnetModel{Owner: a, Model: model(func(m *types.SubnetModel) { m.Name = "" })}).Validate(ac), types.ErrInvalidModelName},
		{"set model padded name", (&types.MsgSetSubnetModel{Owner: a, Model: model(func(m *types.SubnetModel) { m.Name = " m" })}).Validate(ac), types.ErrInvalidModelName},
		{"set model 128-char name", (&types.MsgSetSubnetModel{Owner: a, Model: model(func(m *types.SubnetModel) { m.Name = strings.Repeat("n", 128) })}).Validate(ac), nil},
		{"set model 129-char name", (&types.MsgSetSubnetModel{Owner: a, Model: model(func(m *types.SubnetModel) { m.Name = strings.Repeat("n", 129) })}).Validate(ac), types.ErrInvalidModelName},
		{"set model digest 0x", (&types.MsgSetSubnetModel{Owner: a, Model: model(func(m *types.SubnetModel) { m.Digest = "0x" + m.Digest[2:] })}).Validate(ac), types.ErrInvalidModelDigest},
		{"set model digest too long", (&types.MsgSetSubnetModel{Owner: a, Model: model(func(m *types.SubnetModel) { m.Digest += "0" })}).Validate(ac), types.ErrInvalidModelDigest},
		{"set model float16 spelled out", (&types.MsgSetSubnetModel{Owner: a, Model: model(func(m *types.SubnetModel) { m.Precisions = []string{"float16"} })}).Validate(ac), types.ErrInvalidPrecision},
		{"set model repeated precision", (&types.MsgSetSubnetModel{Owner: a, Model: model(func(m *types.SubnetModel) { m.Precisions = []string{"float32", "float32"} })}).Validate(ac), types.ErrInvalidPrecision},
		{"set model context too long", (&types.MsgSetSubnetModel{Owner: a, Model: model(func(m *types.SubnetModel) { m.ContextLength = types.MaxModelContextLength + 1 })}).Validate(ac), types.ErrInvalidContextLength},
		{"set model longest context", (&types.MsgSetSubnetModel{Owner: a, Model: model(func(m *types.SubnetModel) { m.ContextLength = types.MaxModelContextLength })}).Validate(ac), nil},
	}
	for _, c := range cases {
		if c.want == nil && c.err != nil {
			t.Errorf("%s: unexpected error %v", c.name, c.err)
		}
		if c.want != nil && !errors.Is(c.err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.err, c.want)
		}
	}
}

func TestDefaultParamsAndGenesisValidate(t *testing.T) {
	if err := types.DefaultParams().Validate(); err != nil {
		t.Fatal(err)
	}
	if err := types.DefaultGenesis().Validate(); err != nil {
		t.Fatal(err)
	}
	p := types.DefaultParams()
	p.DefaultDelegateTake = 2_000
	if err := p.Validate(); !errors.Is(err, types.ErrInvalidParams) {
		t.Fatalf("default take above max: %v", err)
	}
	p = types.DefaultParams()
	p.MaxHyperparameters.Kappa = 70_000
	if err := p.Validate(); !errors.Is(err, types.ErrInvalidParams) {
		t.Fatalf("kappa bound above u16: %v", err)
	}
	p = types.DefaultParams()
	p.DefaultHyperparameters.Tempo = 0
	if err := p.Validate(); !errors.Is(err, types.ErrInvalidParams) {
		t.Fatalf("default tempo out of bounds: %v", err)
	}
}

// The fuzz targets below run their seeds as regression tests under plain `go test`; explore further
// with `go test ./x/subnet/types -run '^$' -fuzz FuzzServeAxonValidate`. Each checks that the stateless
// check never panics and that whatever it accepts satisfies the rule it stands for.

func FuzzServeAxonValidate(f *testing.F) {
	for _, s := range []struct {
		ip   string
		port uint32
	}{{"127.0.0.1", 8091}, {"0.0.0.0", 1}, {"::", 1}, {"::ffff:0.0.0.0", 1}, {"2001:db8::1", 65535}, {"1.2.3.4", 0},
		{"256.1.1.1", 1}, {"fe80::1%eth0", 1}, {"", 1}, {" 1.2.3.4", 1}, {"1.2.3.4", 65536}, {"224.0.0.1", 80}} {
		f.Add(s.ip, s.port)
	}
	hot := addr(f, 7)
	f.Fuzz(func(t *testing.T, ip string, port uint32) {
		err := (&types.MsgServeAxon{Hotkey: hot, Ip: ip, Port: port}).Validate(ac)
		if err != nil {
			if !errors.Is(err, types.ErrInvalidIP) && !errors.Is(err, types.ErrInvalidPort) {
				t.Fatalf("unnamed error %v", err)
			}
			return
		}
		parsed, perr := netip.ParseAddr(ip)
		if perr != nil || parsed.Unmap().IsUnspecified() || port == 0 || port > 65535 {
			t.Fatalf("accepted %q:%d", ip, port)
		}
	})
}

func FuzzCreateSubnetValidate(f *testing.F) {
	for _, s := range []string{"", "a", "text generation", " lead", "trail ", "tab\tin", "\xff\xfe", "名前", string(make([]byte, 65))} {
		f.Add(addr(f, 1), s)
	}
	f.Add("cosmos1qqqq", "x")
	f.Fuzz(func(t *testing.T, owner, name string) {
		err := (&types.MsgCreateSubnet{Owner: owner, Name: name}).Validate(ac)
		if err != nil {
			if !errors.Is(err, types.ErrInvalidSubnetName) && !errors.Is(err, types.ErrInvalidAddress) {
				t.Fatalf("unnamed error %v", err)
			}
			return
		}
		if name == "" || len([]rune(name)) > types.MaxSubnetNameLength {
			t.Fatalf("accepted name %q", name)
		}
		if _, err := ac.StringToBytes(owner); err != nil {
			t.Fatalf("accepted owner %q", owner)
		}
	})
}

func FuzzStakeValidate(f *testing.F) {
	for _, s := range []string{"1", "0", "-1", "", "abc", "1000000000000000000000000000000", "+5", "0x10"} {
		f.Add(addr(f, 1), addr(f, 2), s)
	}
	f.Fuzz(func(t *testing.T, coldkey, hotkey, amount string) {
		amt, ok := math.NewIntFromString(amount)
		if !ok {
			amt = math.Int{}
		}
		for _, err := range []error{
			(&types.MsgAddStake{Coldkey: coldkey, Hotkey: hotkey, Amount: amt}).Validate(ac),
			(&types.MsgRemoveStake{Coldkey: coldkey, Hotkey: hotkey, Amount: amt}).Validate(ac),
		} {
			if err != nil {
				if !errors.Is(err, types.ErrInvalidAmount) && !errors.Is(err, types.ErrInvalidAddress) {
					t.Fatalf("unnamed error %v", err)
				}
				continue
			}
			if amt.IsNil() || !amt.IsPositive() {
				t.Fatalf("accepted amount %q", amount)
			}
		}
	})
}

func FuzzRegisterAndTakeValidate(f *testing.F) {
	f.Add(addr(f, 1), addr(f, 2), uint32(0))
	f.Add("", "mind1", uint32(10_001))
	f.Add(addr(f, 3), "not bech32", uint32(1_800))
	f.Fuzz(func(t *testing.T, coldkey, hotkey string, take uint32) {
		if err := (&types.MsgRegisterNeuron{Coldkey: coldkey, Hotkey: hotkey}).Validate(ac); err != nil && !errors.Is(err, types.ErrInvalidAddress) {
			t.Fatalf("unnamed error %v", err)
		}
		err := (&types.MsgSetDelegateTake{Hotkey: hotkey, Take: take}).Validate(ac)
		if err == nil && take > types.TakeDenominator {
			t.Fatalf("accepted take %d", take)
		}
		if err != nil && !errors.Is(err, types.ErrTakeOutOfBounds) && !errors.Is(err, types.ErrInvalidAddress) {
			t.Fatalf("unnamed error %v", err)
		}
	})
}

// The market's parameters are bounded: a swap fee above 10%, a zero or over-long price half-life and a
// root weight above 100% are refused; the bounds themselves are accepted.
func TestMarketParamsBounds(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*types.Params)
		ok   bool
	}{
		{"swap fee at its bound", func(p *types.Params) { p.SwapFee = types.MaxSwapFee }, true},
		{"swap fee above 10%", func(p *types.Params) { p.SwapFee = types.MaxSwapFee + 1 }, false},
		{"no swap fee", func(p *types.Params) { p.SwapFee = 0 }, true},
		{"half-life of one block", func(p *types.Params) { p.PriceEmaHalfLife = 1 }, true},
		{"half-life zero", func(p *types.Params) { p.PriceEmaHalfLife = 0 }, false},
		{"half-life at its bound", func(p *types.Params) { p.PriceEmaHalfLife = types.MaxPriceEMAHalfLife }, true},
		{"half-life above its bound", func(p *types.Params) { p.PriceEmaHalfLife = types.MaxPriceEMAHalfLife + 1 }, false},
		{"root weight zero", func(p *types.Params) { p.RootWeight = 0 }, true},
		{"root weight above 100%", func(p *types.Params) { p.RootWeight = types.TakeDenominator + 1 }, false},
	} {
		p := types.DefaultParams()
		c.edit(&p)
		err := p.Validate()
		if c.ok && err != nil {
			t.Errorf("%s: refused: %v", c.name, err)
		}
		if !c.ok && !errors.Is(err, types.ErrInvalidParams) {
			t.Errorf("%s: got %v, want ErrInvalidParams", c.name, err)
		}
	}
}
