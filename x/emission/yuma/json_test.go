package yuma

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden outputs in testdata")

// TestGoldenFiles runs every testdata/*.input.json through RunJSON and compares the output
// byte for byte with the matching .golden.json. Regenerate with `go test -run Golden
// -update` after a deliberate change, and review the diff.
func TestGoldenFiles(t *testing.T) {
	inputs, err := filepath.Glob("testdata/*.input.json")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, path := range inputs {
		t.Run(filepath.Base(path), func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := RunJSON(bytes.NewReader(raw), &got); err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(path, ".input.json") + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("output differs from %s:\n%s", golden, got.String())
			}
		})
	}
}

// TestGoldenClassicMatchesSubtensorTrace checks the classic golden file's emissions
// against the values subtensor's test_bonds trace prints for the same epoch.
func TestGoldenClassicMatchesSubtensorTrace(t *testing.T) {
	raw, err := os.ReadFile("testdata/classic_subtensor_test_bonds.input.json")
	if err != nil {
		t.Fatal(err)
	}
	in, err := DecodeInput(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	out, err := Epoch(in)
	if err != nil {
		t.Fatal(err)
	}
	want := []uint64{49999998, 99999999, 150000000, 200000001, 49998779, 100000610, 149996337, 200004272}
	for i, w := range want {
		r := out.Neurons[i]
		if got := r.ServerEmission + r.ValidatorEmission; got != w && !(i == out.DustUID && got == w+out.Dust) {
			t.Errorf("emission[%d] = %d, want %d", i, got, w)
		}
	}
}

const validInput = `{"block": 12, "emission": 1000000000,
 "params": {"kappa": 32767, "activity_cutoff": 5000, "max_allowed_validators": 64,
  "bonds_moving_average": 900000, "bonds_penalty": 65535, "yuma3": false,
  "liquid_alpha": false, "alpha_low": 45875, "alpha_high": 58982, "alpha_sigmoid_steepness": 1000},
 "neurons": [
  {"stake": 1000, "validator_permit": true, "last_update": 11, "registered_at": 0, "weights": [[1, 16383], [2, 65535]], "bonds": [[1, 65535]]},
  {"stake": 0, "validator_permit": false, "last_update": 0, "registered_at": 0},
  {"stake": 0, "validator_permit": false, "last_update": 0, "registered_at": 0}]}`

func TestJSONErrorsNameTheField(t *testing.T) {
	cases := []struct {
		name, from, to string
		sentinel       error
		want           string
	}{
		{"uid out of range", `[2, 65535]`, `[9, 65535]`, ErrUIDOutOfRange,
			"neurons[0].weights[1]: uid 9 out of range (subnet has 3 neurons)"},
		{"duplicate uid", `[2, 65535]`, `[1, 65535]`, ErrDuplicateUID,
			"neurons[0].weights[1]: uid 1 appears twice in the row"},
		{"bond uid", `"bonds": [[1, 65535]]`, `"bonds": [[3, 65535]]`, ErrUIDOutOfRange,
			"neurons[0].bonds[0]: uid 3 out of range (subnet has 3 neurons)"},
		{"u16 overflow", `"kappa": 32767`, `"kappa": 70000`, ErrValueOutOfRange,
			"params.kappa: 70000 is not an integer in [0, 65535]"},
		{"negative", `"stake": 1000`, `"stake": -5`, ErrValueOutOfRange,
			"neurons[0].stake: -5 is not an integer in [0, 18446744073709551615]"},
		{"fraction", `"block": 12`, `"block": 12.5`, ErrValueOutOfRange,
			"block: 12.5 is not an integer in [0, 18446744073709551615]"},
		{"bonds moving average", `900000`, `1000001`, ErrValueOutOfRange,
			"params.bonds_moving_average: 1000001 is not an integer in [0, 1000000]"},
		{"steepness", `"alpha_sigmoid_steepness": 1000`, `"alpha_sigmoid_steepness": 40000`, ErrValueOutOfRange,
			"params.alpha_sigmoid_steepness: 40000 is not an integer in [-32768, 32767]"},
		{"alpha order", `"alpha_low": 45875`, `"alpha_low": 60000`, ErrBadParam,
			"params.alpha_low: alpha_low 60000 is above alpha_high 58982"},
		{"missing", `"validator_permit": true, `, ``, ErrMissingField,
			"neurons[0].validator_permit: missing"},
		{"unknown", `"kappa"`, `"kapa"`, ErrMalformedInput, "params.kapa: unknown field"},
		{"pair", `[1, 16383]`, `[1, 16383, 4]`, ErrMalformedInput,
			"neurons[0].weights[0]: must be a [uid, value] pair"},
		{"type", `"yuma3": false`, `"yuma3": 0`, ErrMalformedInput, "params.yuma3: must be true or false"},
		{"not json", `"block": 12,`, `"block": 12`, ErrMalformedInput, "not valid JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := strings.Replace(validInput, c.from, c.to, 1)
			if doc == validInput {
				t.Fatalf("replacement %q not found", c.from)
			}
			var out bytes.Buffer
			err := RunJSON(strings.NewReader(doc), &out)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, c.sentinel) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q (%v), want %q", err, errors.Unwrap(err), c.want)
			}
			if out.Len() != 0 {
				t.Error("output written despite the error")
			}
		})
	}
	if err := RunJSON(strings.NewReader(validInput), new(bytes.Buffer)); err != nil {
		t.Fatalf("valid input refused: %v", err)
	}
}

func TestEpochRefusesMalformedInputWithoutPanicking(t *testing.T) {
	big := Input{Neurons: make([]Neuron, MaxNeurons+1)}
	if _, err := Epoch(big); !errors.Is(err, ErrTooManyNeurons) {
		t.Errorf("too many neurons: %v", err)
	}
	over := Input{Neurons: []Neuron{{Stake: 1 << 62}, {Stake: 1 << 62}}}
	if _, err := Epoch(over); !errors.Is(err, ErrStakeOverflow) {
		t.Errorf("stake overflow: %v", err)
	}
	empty, err := Epoch(Input{Emission: 5})
	if err != nil || empty.Dust != 5 || empty.DustUID != -1 {
		t.Errorf("empty subnet: %+v %v", empty, err)
	}
}

// FuzzDecodeInput feeds arbitrary bytes to the decoder and, when they decode, to Epoch:
// nothing may panic, a decoded input must run, and the emission must add up. Interesting
// inputs found by fuzzing are kept in testdata/fuzz/FuzzDecodeInput and rerun by every
// `go test`.
func FuzzDecodeInput(f *testing.F) {
	f.Add([]byte(validInput))
	f.Add([]byte(strings.Replace(validInput, `"yuma3": false`, `"yuma3": true`, 1)))
	f.Add([]byte(strings.Replace(validInput, `"liquid_alpha": false`, `"liquid_alpha": true`, 1)))
	for _, path := range []string{"testdata/classic_subtensor_test_bonds.input.json", "testdata/yuma3_liquid_alpha.input.json"} {
		if raw, err := os.ReadFile(path); err == nil {
			f.Add(raw)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := DecodeInput(bytes.NewReader(data))
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error is not a *FieldError: %v", err)
			}
			return
		}
		out, err := Epoch(in)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error is not a *FieldError: %v", err)
			}
			return
		}
		var paid uint64
		for _, r := range out.Neurons {
			paid += r.Emission
		}
		if out.DustUID < 0 {
			paid += out.Dust
		}
		if paid != in.Emission {
			t.Fatalf("paid %d of %d", paid, in.Emission)
		}
		if err := EncodeOutput(new(bytes.Buffer), out); err != nil {
			t.Fatal(err)
		}
	})
}
