package axonauth

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
)

// Vector is one published signature test vector (testdata/vectors.json). Other implementations of the
// axon protocol, and the validator's own tests, check themselves against these.
type Vector struct {
	Name              string `json:"name"`
	CallerPrivKey     string `json:"caller_private_key"`
	MinerPrivKey      string `json:"miner_private_key"`
	Caller            string `json:"caller"`
	Miner             string `json:"miner"`
	Netuid            uint16 `json:"netuid"`
	Nonce             uint64 `json:"nonce"`
	RequestBody       string `json:"request_body"`
	RequestSignature  string `json:"request_signature"`
	ResponseBody      string `json:"response_body"`
	ResponseSignature string `json:"response_signature"`
}

// LoadVectors reads a vectors file.
func LoadVectors(path string) ([]Vector, error) {
	bz, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read vectors: %w", err)
	}
	var vs []Vector
	if err := json.Unmarshal(bz, &vs); err != nil {
		return nil, fmt.Errorf("decode vectors %s: %w", path, err)
	}
	return vs, nil
}

// CheckVectors verifies every vector's request and response signatures, and that signing again with
// the vector's keys reproduces them byte for byte (secp256k1 signing here is deterministic, RFC 6979).
func CheckVectors(vs []Vector) error {
	for _, v := range vs {
		if err := checkVector(v); err != nil {
			return fmt.Errorf("vector %q: %w", v.Name, err)
		}
	}
	return nil
}

func checkVector(v Vector) error {
	dec := func(field, s string) ([]byte, error) {
		b, err := hex.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", field, err)
		}
		return b, nil
	}
	ck, err := dec("caller_private_key", v.CallerPrivKey)
	if err != nil {
		return err
	}
	mk, err := dec("miner_private_key", v.MinerPrivKey)
	if err != nil {
		return err
	}
	reqBody, err := dec("request_body", v.RequestBody)
	if err != nil {
		return err
	}
	resBody, err := dec("response_body", v.ResponseBody)
	if err != nil {
		return err
	}
	caller, err := NewSigner(ck)
	if err != nil {
		return err
	}
	miner, err := NewSigner(mk)
	if err != nil {
		return err
	}
	if caller.Address() != v.Caller || miner.Address() != v.Miner {
		return fmt.Errorf("keys give addresses %s, %s; vector says %s, %s", caller.Address(), miner.Address(), v.Caller, v.Miner)
	}
	req, err := caller.SignRequest(reqBody, v.Netuid, v.Nonce, v.Miner)
	if err != nil {
		return err
	}
	if got := hex.EncodeToString(req.Signature); got != v.RequestSignature {
		return fmt.Errorf("request signature %s, vector says %s", got, v.RequestSignature)
	}
	if err := VerifyRequest(reqBody, req); err != nil {
		return err
	}
	res, err := miner.SignResponse(resBody, req)
	if err != nil {
		return err
	}
	if got := hex.EncodeToString(res.Signature); got != v.ResponseSignature {
		return fmt.Errorf("response signature %s, vector says %s", got, v.ResponseSignature)
	}
	return VerifyResponse(resBody, req.Signature, res)
}
