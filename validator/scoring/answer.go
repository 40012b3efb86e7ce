package scoring

import (
	"errors"
	"fmt"
	"math"

	"google.golang.org/protobuf/proto"

	axonv1 "github.com/mindnet/mindnet/api/mindnet/axon/v1"
	"github.com/mindnet/mindnet/axonauth"
	"github.com/mindnet/mindnet/axonclient"
	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/validator/tasks"
)

// checkSignatures re-checks, independently of the client that made the call, that the answer is
// signed by the miner's hotkey and bound to this task's request, so that a stored answer is proof of
// what the miner said. It returns a reason code and detail, or "" when all is well.
func checkSignatures(task tasks.Task, hotkey string, a axonclient.Signed[*axonv1.GenerateResponse]) (string, string) {
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
	if err := axonauth.VerifyRequest(body, req); err != nil {
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
	if err := axonauth.VerifyResponse(resp, req.Signature, p); err != nil {
		if errors.Is(err, axonauth.ErrMissingSignature) {
			return ReasonUnsigned, err.Error()
		}
		return ReasonBadSignature, err.Error()
	}
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
