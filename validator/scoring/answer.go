package scoring

import (
	"errors"
	"fmt"
	"math"
	"sync"

	"google.golang.org/protobuf/proto"

	axonv1 "github.com/mindnet/mindnet/api/mindnet/axon/v1"
	"github.com/mindnet/mindnet/axonauth"
	"github.com/mindnet/mindnet/axonclient"
	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/validator/tasks"
)

// prepareAfter is how many verified answers a miner's key signs here before it gets a table: a table
// costs about 5 ms to build (axonauth BenchmarkNewKeyTable) and saves about 0.12 ms per signature,
// so a key busy enough to reach this count is likely to repay it; a subnet with more serving miners
// than the verifier keeps tables for does not churn tables on miners sampled once in a while.
const prepareAfter = 32

// keyUses counts verified answers per miner key until the key is prepared. The count is bounded: when
// it holds axonauth.DefaultMaxKeys keys it starts over, which only delays some tables.
type keyUses struct {
	mu sync.Mutex
	n  map[[axonauth.PubKeySize]byte]int
}

func (u *keyUses) prepareIfBusy(v *axonauth.Verifier, pub []byte) {
	if len(pub) != axonauth.PubKeySize {
		return
	}
	key := [axonauth.PubKeySize]byte(pub)
	u.mu.Lock()
	if u.n == nil || len(u.n) >= axonauth.DefaultMaxKeys {
		u.n = map[[axonauth.PubKeySize]byte]int{}
	}
	u.n[key]++
	busy := u.n[key] >= prepareAfter
	u.mu.Unlock()
	if busy {
		v.Prepare(pub) // a no-op once the key has its table
	}
}

// checkSignatures re-checks, independently of the client that made the call, that the answer is
// signed by the miner's hotkey and bound to this task's request, so that a stored answer is proof of
// what the miner said. It returns a reason code and detail, or "" when all is well.
//
// The scorer meets the same keys every round (its own, as the requests' signer, and its miners'): it
// keeps them in its own axonauth.Verifier and prepares those that have passed every check here and
// sign often (see prepareAfter), whose later signatures then verify with a precomputed table in
// about a third of the time, with the same refusals.
func (s *Scorer) checkSignatures(task tasks.Task, hotkey string, a axonclient.Signed[*axonv1.GenerateResponse]) (string, string) {
	if len(a.Proof.Signature) == 0 && len(a.Proof.PubKey) == 0 {
		return ReasonUnsigned, "the answer carries no miner signature"
	}
	req := a.Request
	if req.Miner != hotkey {
		return ReasonWrongRequest, fmt.Sprintf("request was addressed to %s, not to the miner %s", req.Miner, hotkey)
	}
	body, err := proto.MarshalOptions{Deterministic: true}.Marshal(task.Proto())
	if err != nil {
		return ReasonWrongRequest, fmt.Sprintf("encode the task's request: %v", err)
	}
	if err := s.sigs.VerifyRequest(body, req); err != nil {
		return ReasonWrongRequest, fmt.Sprintf("the signed request is not task %s: %v", task.ID, err)
	}
	p := a.Proof
	if p.Miner != hotkey {
		return ReasonBadSignature, fmt.Sprintf("signed by %s, not by the miner %s", p.Miner, hotkey)
	}
	if p.Caller != req.Caller || p.Nonce != req.Nonce || p.Netuid != req.Netuid {
		return ReasonBadSignature, fmt.Sprintf("signature is for caller %s nonce %d netuid %d, the request was %s %d %d",
			p.Caller, p.Nonce, p.Netuid, req.Caller, req.Nonce, req.Netuid)
	}
	resp, err := proto.MarshalOptions{Deterministic: true}.Marshal(a.Response)
	if err != nil {
		return ReasonMalformed, fmt.Sprintf("encode the response: %v", err)
	}
	if err := s.sigs.VerifyResponse(resp, req.Signature, p); err != nil {
		if errors.Is(err, axonauth.ErrMissingSignature) {
			return ReasonUnsigned, err.Error()
		}
		return ReasonBadSignature, err.Error()
	}
	// Both keys have now signed for this task's request and answer as the metagraph's hotkeys, so
	// they may have a table (Prepare's rule). The request's key is the validator's own, used for
	// every answer; a miner's key only once it has answered often enough to repay its table.
	s.sigs.Prepare(req.PubKey)
	s.keyUses.prepareIfBusy(s.sigs, p.PubKey)
	return "", ""
}

// errMalformed marks an answer that is not a well-formed generation.
var errMalformed = errors.New("malformed answer")

// toResult converts a miner's response into the engine's terms, refusing what no engine produces:
// an unknown finish reason, token ids outside the vocabulary (vocab 0: unknown, not checked), or
// log-probabilities that are not numbers.
func toResult(r *axonv1.GenerateResponse, vocab int) (inference.Result, error) {
	out := inference.Result{Text: r.GetText(), Finish: inference.FinishReason(r.GetFinishReason()), PromptTokens: int(r.GetPromptTokens())}
	switch out.Finish {
	case inference.FinishLength, inference.FinishStop, inference.FinishEOS:
	default:
		return inference.Result{}, fmt.Errorf("%w: finish reason %q", errMalformed, r.GetFinishReason())
	}
	out.Tokens = make([]inference.Token, len(r.GetTokens()))
	for i, t := range r.GetTokens() {
		if vocab > 0 && int64(t.GetId()) >= int64(vocab) {
			return inference.Result{}, fmt.Errorf("%w: token %d has id %d outside the vocabulary of %d", errMalformed, i, t.GetId(), vocab)
		}
		if lp := t.GetLogprob(); math.IsNaN(lp) || math.IsInf(lp, 0) {
			return inference.Result{}, fmt.Errorf("%w: token %d has log-probability %v", errMalformed, i, lp)
		}
		out.Tokens[i] = inference.Token{ID: int(t.GetId()), Text: t.GetText(), Logprob: t.GetLogprob()}
	}
	return out, nil
}
