package llama

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/mindnet/mindnet/inference"
)

// Errors a request can get from the engine.
var (
	ErrContextLength = errors.New("llama: prompt and continuation exceed the model's context")
	ErrTokenID       = errors.New("llama: token id outside the vocabulary")
)

var _ inference.Engine = (*Model)(nil)

// Info names the model.
func (m *Model) Info() inference.Info {
	return inference.Info{Model: m.name, Backend: "builtin-cpu", VocabSize: m.cfg.VocabSize, EOSID: m.cfg.EOSTokenID[0]}
}

// EncodePrompt is the token sequence the engine feeds for a prompt: what
// the tokenizer's post-processor puts first (BOS for Llama and Mistral,
// nothing for Qwen2; the config's bos_token_id when tokenizer.json has no
// post-processor), then the prompt's tokens.
func (m *Model) EncodePrompt(prompt string) []int {
	return append(slices.Clone(m.bos), m.tok.Encode(prompt)...)
}

// Generate continues req.Prompt.
func (m *Model) Generate(ctx context.Context, req inference.Request) (inference.Result, error) {
	return m.GenerateStream(ctx, req, nil)
}

// GenerateStream is Generate that reports each token as it is chosen.
func (m *Model) GenerateStream(ctx context.Context, req inference.Request, onToken func(inference.Token) error) (inference.Result, error) {
	return m.GenerateTokensStream(ctx, m.EncodePrompt(req.Prompt), req, onToken)
}

// GenerateTokensStream is GenerateStream for a prompt given as token ids
// (BOS included where wanted); req.Prompt is ignored. Servers whose clients
// send token ids (OpenAI's completions API allows it) use it.
func (m *Model) GenerateTokensStream(ctx context.Context, prompt []int, req inference.Request, onToken func(inference.Token) error) (inference.Result, error) {
	if err := req.Validate(); err != nil {
		return inference.Result{}, err
	}
	if len(prompt) == 0 {
		return inference.Result{}, fmt.Errorf("%w: empty prompt and the model has no BOS token", inference.ErrBadRequest)
	}
	if _, err := m.checkTokens(nil, prompt); err != nil {
		return inference.Result{}, err
	}
	if len(prompt)+req.MaxTokens > m.cfg.MaxPositionEmbeddings {
		return inference.Result{}, fmt.Errorf("%w: %d prompt tokens + %d new > %d", ErrContextLength,
			len(prompt), req.MaxTokens, m.cfg.MaxPositionEmbeddings)
	}
	s := m.getState()
	defer m.putState(s)
	if err := m.prefill(ctx, s, prompt); err != nil {
		return inference.Result{}, err
	}
	// Everything the loop writes is allocated here, once per request.
	res := inference.Result{PromptTokens: len(prompt), Finish: inference.FinishLength,
		Tokens: make([]inference.Token, 0, req.MaxTokens)}
	k := min(req.TopK, m.cfg.VocabSize)
	alts := make([]inference.Alternative, k*req.MaxTokens)
	text := make([]byte, 0, m.maxTokenLen*req.MaxTokens)
	r := newRNG(req.Seed)
	logits := s.logits[:m.cfg.VocabSize]
	pos := len(prompt)
	for step := 0; step < req.MaxTokens; step++ {
		if err := ctx.Err(); err != nil {
			return inference.Result{}, fmt.Errorf("llama: generate: %w", err)
		}
		_, id, lse := logSoftmaxStats(logits)
		if !req.Greedy() {
			id = s.sample(logits, req.Temperature, req.EffectiveTopP(), r)
		}
		tok := inference.Token{ID: id, Text: m.tokenText[id], Logprob: float64(logits[id]) - lse}
		if k > 0 {
			tok.Top = alts[step*k : (step+1)*k : (step+1)*k]
			m.topAlternatives(tok.Top, logits, lse)
		}
		res.Tokens = append(res.Tokens, tok)
		if onToken != nil {
			if err := onToken(tok); err != nil {
				return inference.Result{}, fmt.Errorf("llama: generate: stream consumer: %w", err)
			}
		}
		if m.eos[id] {
			res.Finish = inference.FinishEOS
			break
		}
		before := len(text)
		text = append(text, tok.Text...)
		if at := inference.FirstStop(text, req.Stop, before); at >= 0 {
			text = text[:at]
			res.Finish = inference.FinishStop
			break
		}
		if step+1 < req.MaxTokens {
			s.one[0] = id
			m.forward(s, s.one[:], pos, 0)
			pos++
		}
	}
	res.Text = string(text)
	return res, nil
}

// prefill runs prompt through the model, leaving the last token's logits in
// s.logits.
func (m *Model) prefill(ctx context.Context, s *state, prompt []int) error {
	for start := 0; start < len(prompt); start += chunk {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("llama: prefill: %w", err)
		}
		end := min(len(prompt), start+chunk)
		logitsFrom := end - start // only the prompt's last token predicts
		if end == len(prompt) {
			logitsFrom--
		}
		m.forward(s, prompt[start:end], start, logitsFrom)
	}
	return nil
}

// Score returns each continuation token's log-probability given the prompt
// and the tokens before it, and the model's own best token at each place,
// from one prefill pass.
func (m *Model) Score(ctx context.Context, prompt string, continuation []int) ([]inference.Scored, error) {
	ids := m.EncodePrompt(prompt)
	return m.ScoreTokens(ctx, ids, continuation)
}

// ScoreTokens is Score with the prompt already encoded (BOS included).
func (m *Model) ScoreTokens(ctx context.Context, prompt, continuation []int) ([]inference.Scored, error) {
	if len(prompt) == 0 {
		return nil, fmt.Errorf("%w: empty prompt", inference.ErrBadRequest)
	}
	all, err := m.checkTokens(nil, prompt, continuation)
	if err != nil {
		return nil, err
	}
	s := m.getState()
	defer m.putState(s)
	out := make([]inference.Scored, len(continuation))
	if err := m.scoreFrom(ctx, s, all, 0, len(prompt)-1, continuation, out); err != nil {
		return nil, err
	}
	return out, nil
}

// checkTokens returns head, then the other sequences, as one sequence,
// refusing ids outside the vocabulary and a whole longer than the context.
func (m *Model) checkTokens(head []int, rest ...[]int) ([]int, error) {
	n := len(head)
	for _, r := range rest {
		n += len(r)
	}
	if n > m.cfg.MaxPositionEmbeddings {
		return nil, fmt.Errorf("%w: %d tokens > %d", ErrContextLength, n, m.cfg.MaxPositionEmbeddings)
	}
	all := append(make([]int, 0, n), head...)
	for _, r := range rest {
		for _, id := range r {
			if id < 0 || id >= m.cfg.VocabSize {
				return nil, fmt.Errorf("%w: %d", ErrTokenID, id)
			}
		}
		all = append(all, r...)
	}
	return all, nil
}

// scoreFrom runs all[start:len(all)-1] through the model at their positions,
// the cache of s already holding positions before start, and scores
// continuation, the tail of all whose first token the logits at position
// first predict, into out. Positions before start are the caller's to score:
// out[:start-first] is left alone when first < start.
func (m *Model) scoreFrom(ctx context.Context, s *state, all []int, start, first int, continuation []int, out []inference.Scored) error {
	defer func() { s.score = scoreJob{} }()
	// Position p's logits predict token p+1.
	for at := start; at < len(all)-1; at += chunk {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("llama: score: %w", err)
		}
		end := min(len(all)-1, at+chunk)
		from := max(0, first-at)
		s.score = scoreJob{} // a chunk of the prompt alone predicts nothing scored
		if from < end-at {
			s.score = scoreJob{out: out[at+from-first : end-first], next: continuation[at+from-first : end-first]}
		}
		m.forward(s, all[at:end], at, from) // scores the rows from `from` on (see forward)
	}
	return nil
}

// scoreJob turns rows of logits into the log-probabilities of the tokens
// next, one row each. The forward pass runs it on each band's rows right
// after their logits, while they are still in that core's cache.
type scoreJob struct {
	out  []inference.Scored
	next []int
}

// run scores rows [lo, hi) of logits, rows of width v.
func (j *scoreJob) run(logits []float32, v, lo, hi int) {
	for r := lo; r < hi; r++ {
		row := logits[r*v : (r+1)*v]
		id := j.next[r]
		best, top, lse := logSoftmaxStats(row)
		j.out[r] = inference.Scored{ID: id, Logprob: float64(row[id]) - lse, TopID: top, TopLogprob: float64(best) - lse}
	}
}
