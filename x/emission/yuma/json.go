package yuma

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
)

// RunJSON reads an epoch input as JSON from r, runs Epoch and writes the output as JSON
// to w. It is what `mindnetd debug yuma --input FILE` runs, so that anyone can check the
// chain's numbers against another implementation. A malformed input gets a *FieldError
// naming the field, and nothing is written.
//
// Input:
//
//	{"block": 12, "emission": 1000000000, "last_epoch_block": 0,
//	 "params": {"kappa": 32767, "activity_cutoff": 5000, "max_allowed_validators": 64,
//	            "bonds_moving_average": 900000, "bonds_penalty": 65535, "yuma3": false,
//	            "liquid_alpha": false, "alpha_low": 45875, "alpha_high": 58982,
//	            "alpha_sigmoid_steepness": 1000, "min_validator_stake": 0, "tempo": 360},
//	 "neurons": [{"stake": 1000, "validator_permit": true, "last_update": 11,
//	              "registered_at": 0, "weights": [[4, 16383], [5, 65535]],
//	              "bonds": [[4, 65535]]}, ...]}
//
// last_epoch_block, min_validator_stake, tempo, weights and bonds may be left out (0 or
// empty); every other field is required. Output: one object per neuron with the
// fractions rank, trust, consensus, incentive, dividends, validator_trust and
// pruning_score as exact decimals, emission, server_emission and validator_emission in
// umind, validator_permit, active and the new bond rows; then the dust and the UID that
// received it.
func RunJSON(r io.Reader, w io.Writer) error {
	in, err := DecodeInput(r)
	if err != nil {
		return err
	}
	out, err := Epoch(in)
	if err != nil {
		return err
	}
	return EncodeOutput(w, out)
}

// DecodeInput parses the JSON input format described at RunJSON.
func DecodeInput(r io.Reader) (Input, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return Input{}, &FieldError{Err: ErrMalformedInput, Detail: "not valid JSON: " + err.Error()}
	}
	if _, err := dec.Token(); err != io.EOF {
		return Input{}, &FieldError{Err: ErrMalformedInput, Detail: "not valid JSON: data after the top-level object"}
	}
	return decodeInput(doc)
}

func decodeInput(doc any) (Input, error) {
	var in Input
	top, err := object(doc, "")
	if err != nil {
		return in, err
	}
	if err := onlyKeys(top, "", "block", "emission", "last_epoch_block", "params", "neurons"); err != nil {
		return in, err
	}
	f := fields{m: top}
	in.Block = f.uint("block", math.MaxUint64, true)
	in.Emission = f.uint("emission", math.MaxUint64, true)
	in.LastEpochBlock = f.uint("last_epoch_block", math.MaxUint64, false)
	if f.err != nil {
		return in, f.err
	}
	rawParams, ok := top["params"]
	if !ok {
		return in, fieldErr("params", ErrMissingField, "missing")
	}
	if in.Params, err = decodeParams(rawParams); err != nil {
		return in, err
	}
	rawNeurons, ok := top["neurons"]
	if !ok {
		return in, fieldErr("neurons", ErrMissingField, "missing")
	}
	list, ok := rawNeurons.([]any)
	if !ok {
		return in, fieldErr("neurons", ErrMalformedInput, "must be an array")
	}
	if len(list) > MaxNeurons {
		return in, fieldErr("neurons", ErrTooManyNeurons, "%d neurons, at most %d fit in u16 UIDs", len(list), MaxNeurons)
	}
	in.Neurons = make([]Neuron, len(list))
	for i, raw := range list {
		if in.Neurons[i], err = decodeNeuron(raw, "neurons["+itoa(i)+"]"); err != nil {
			return in, err
		}
	}
	return in, nil
}

func decodeParams(raw any) (Params, error) {
	var p Params
	m, err := object(raw, "params")
	if err != nil {
		return p, err
	}
	if err := onlyKeys(m, "params", "kappa", "activity_cutoff", "max_allowed_validators",
		"bonds_moving_average", "bonds_penalty", "yuma3", "liquid_alpha", "alpha_low",
		"alpha_high", "alpha_sigmoid_steepness", "min_validator_stake", "tempo"); err != nil {
		return p, err
	}
	f := fields{m: m, path: "params"}
	p.Kappa = uint16(f.uint("kappa", math.MaxUint16, true))
	p.ActivityCutoff = f.uint("activity_cutoff", math.MaxUint64, true)
	p.MaxAllowedValidators = uint16(f.uint("max_allowed_validators", math.MaxUint16, true))
	p.BondsMovingAverage = f.uint("bonds_moving_average", 1_000_000, true)
	p.BondsPenalty = uint16(f.uint("bonds_penalty", math.MaxUint16, true))
	p.Yuma3 = f.bool("yuma3", true)
	p.LiquidAlpha = f.bool("liquid_alpha", true)
	p.AlphaLow = uint16(f.uint("alpha_low", math.MaxUint16, true))
	p.AlphaHigh = uint16(f.uint("alpha_high", math.MaxUint16, true))
	p.AlphaSigmoidSteepness = f.int16("alpha_sigmoid_steepness", true)
	p.MinValidatorStake = f.uint("min_validator_stake", math.MaxUint64, false)
	p.Tempo = f.uint("tempo", math.MaxUint64, false)
	return p, f.err
}

func decodeNeuron(raw any, path string) (Neuron, error) {
	var nr Neuron
	m, err := object(raw, path)
	if err != nil {
		return nr, err
	}
	if err := onlyKeys(m, path, "stake", "validator_permit", "last_update", "registered_at", "weights", "bonds"); err != nil {
		return nr, err
	}
	f := fields{m: m, path: path}
	nr.Stake = f.uint("stake", math.MaxUint64, true)
	nr.ValidatorPermit = f.bool("validator_permit", true)
	nr.LastUpdate = f.uint("last_update", math.MaxUint64, true)
	nr.RegisteredAt = f.uint("registered_at", math.MaxUint64, true)
	if f.err != nil {
		return nr, f.err
	}
	if nr.Weights, err = decodeRow(m["weights"], path+".weights"); err != nil {
		return nr, err
	}
	nr.Bonds, err = decodeRow(m["bonds"], path+".bonds")
	return nr, err
}

// decodeRow reads a sparse row, [[uid, value], ...]; absent or null is an empty row.
func decodeRow(raw any, path string) ([]Entry, error) {
	if raw == nil {
		return nil, nil
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, fieldErr(path, ErrMalformedInput, "must be an array of [uid, value] pairs")
	}
	row := make([]Entry, len(list))
	for k, item := range list {
		at := path + "[" + itoa(k) + "]"
		pair, ok := item.([]any)
		if !ok || len(pair) != 2 {
			return nil, fieldErr(at, ErrMalformedInput, "must be a [uid, value] pair")
		}
		uid, err := number(pair[0], at+"[0]", math.MaxUint16)
		if err != nil {
			return nil, err
		}
		val, err := number(pair[1], at+"[1]", math.MaxUint16)
		if err != nil {
			return nil, err
		}
		row[k] = Entry{UID: uint16(uid), Value: uint16(val)}
	}
	return row, nil
}

func object(raw any, path string) (map[string]any, error) {
	m, ok := raw.(map[string]any)
	if !ok {
		name := path
		if name == "" {
			name = "input"
		}
		return nil, fieldErr(path, ErrMalformedInput, "%s must be a JSON object", name)
	}
	return m, nil
}

// onlyKeys rejects fields the format does not know, so that a misspelt parameter is an
// error rather than a silent default. Keys are checked in sorted order so that the error
// does not depend on map order.
func onlyKeys(m map[string]any, path string, allowed ...string) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(allowed, k) {
			return fieldErr(join(path, k), ErrMalformedInput, "unknown field")
		}
	}
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// fields reads typed fields of one object, keeping the first error.
type fields struct {
	m    map[string]any
	path string
	err  error
}

func (f *fields) uint(key string, max uint64, required bool) uint64 {
	if f.err != nil {
		return 0
	}
	raw, ok := f.m[key]
	if !ok {
		if required {
			f.err = fieldErr(join(f.path, key), ErrMissingField, "missing")
		}
		return 0
	}
	v, err := number(raw, join(f.path, key), max)
	f.err = err
	return v
}

func (f *fields) int16(key string, required bool) int16 {
	if f.err != nil {
		return 0
	}
	at := join(f.path, key)
	raw, ok := f.m[key]
	if !ok {
		if required {
			f.err = fieldErr(at, ErrMissingField, "missing")
		}
		return 0
	}
	num, ok := raw.(json.Number)
	if !ok {
		f.err = fieldErr(at, ErrMalformedInput, "must be an integer")
		return 0
	}
	v, err := strconv.ParseInt(num.String(), 10, 16)
	if err != nil {
		f.err = fieldErr(at, ErrValueOutOfRange, "%s is not an integer in [%d, %d]", num, math.MinInt16, math.MaxInt16)
		return 0
	}
	return int16(v)
}

func (f *fields) bool(key string, required bool) bool {
	if f.err != nil {
		return false
	}
	raw, ok := f.m[key]
	if !ok {
		if required {
			f.err = fieldErr(join(f.path, key), ErrMissingField, "missing")
		}
		return false
	}
	b, ok := raw.(bool)
	if !ok {
		f.err = fieldErr(join(f.path, key), ErrMalformedInput, "must be true or false")
	}
	return b
}

// number reads a non-negative JSON integer no larger than max. Fractions and exponents
// are refused: every quantity in the input is a whole number.
func number(raw any, path string, max uint64) (uint64, error) {
	num, ok := raw.(json.Number)
	if !ok {
		return 0, fieldErr(path, ErrMalformedInput, "must be a non-negative integer")
	}
	v, err := strconv.ParseUint(num.String(), 10, 64)
	if err != nil || v > max {
		return 0, fieldErr(path, ErrValueOutOfRange, "%s is not an integer in [0, %d]", num, max)
	}
	return v, nil
}

// jsonNeuron is the output format of one neuron. Fractions are json.Number so that they
// are written as exact decimals, never through a float.
type jsonNeuron struct {
	Rank              json.Number `json:"rank"`
	Trust             json.Number `json:"trust"`
	Consensus         json.Number `json:"consensus"`
	Incentive         json.Number `json:"incentive"`
	Dividends         json.Number `json:"dividends"`
	ValidatorTrust    json.Number `json:"validator_trust"`
	Emission          uint64      `json:"emission"`
	ValidatorPermit   bool        `json:"validator_permit"`
	PruningScore      json.Number `json:"pruning_score"`
	Bonds             [][2]uint16 `json:"bonds"`
	ServerEmission    uint64      `json:"server_emission"`
	ValidatorEmission uint64      `json:"validator_emission"`
	Active            bool        `json:"active"`
}

// EncodeOutput writes out as JSON, one neuron per line.
func EncodeOutput(w io.Writer, out Output) error {
	bw := bufio.NewWriter(w)
	var line bytes.Buffer
	bw.WriteString(`{"neurons": [`)
	for i, r := range out.Neurons {
		bonds := make([][2]uint16, len(r.Bonds))
		for k, e := range r.Bonds {
			bonds[k] = [2]uint16{e.UID, e.Value}
		}
		jn := jsonNeuron{
			Rank:              json.Number(r.Rank.String()),
			Trust:             json.Number(r.Trust.String()),
			Consensus:         json.Number(r.Consensus.String()),
			Incentive:         json.Number(r.Incentive.String()),
			Dividends:         json.Number(r.Dividends.String()),
			ValidatorTrust:    json.Number(r.ValidatorTrust.String()),
			Emission:          r.Emission,
			ValidatorPermit:   r.ValidatorPermit,
			PruningScore:      json.Number(r.PruningScore.String()),
			Bonds:             bonds,
			ServerEmission:    r.ServerEmission,
			ValidatorEmission: r.ValidatorEmission,
			Active:            r.Active,
		}
		line.Reset()
		enc := json.NewEncoder(&line)
		if err := enc.Encode(jn); err != nil {
			return fmt.Errorf("encode neuron %d: %w", i, err)
		}
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n  ")
		bw.Write(bytes.TrimRight(line.Bytes(), "\n"))
	}
	fmt.Fprintf(bw, "\n], \"dust\": %d, \"dust_uid\": %d}\n", out.Dust, out.DustUID)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write yuma output: %w", err)
	}
	return nil
}
