package miner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/folder"
	"github.com/mindnet/mindnet/inference/openai"
	"github.com/mindnet/mindnet/inference/verify"
	"github.com/mindnet/mindnet/miner/config"
)

// ErrEngineCheck says the engine failed the start-up check; the message says what to fix.
var ErrEngineCheck = errors.New("engine check failed")

// NewEngine builds the configured engine for the subnet's model folder: the built-in engine running it,
// or a client of an OpenAI-compatible server serving it, which takes its tokenizer and special tokens.
func NewEngine(cfg config.Config, model *folder.Folder) (inference.Engine, error) {
	switch cfg.Engine.Kind {
	case "builtin":
		return model.Load()
	case "openai":
		return openai.New(openai.Config{
			BaseURL: cfg.Engine.OpenAIURL, Model: cfg.Engine.Model, APIKey: os.Getenv(cfg.Engine.APIKeyEnv),
			Tokenizer: model.Tokenizer, TokenIDs: cfg.Engine.TokenIDs, BOSID: model.BOSID(), EOSID: model.EOSID(),
		})
	default:
		return nil, fmt.Errorf("unknown engine %q", cfg.Engine.Kind)
	}
}

// localReferenceLimit bounds the weights a miner in front of a server loads to check that server's
// answers: a GPU miner's large model is checked by its tokens alone.
const localReferenceLimit = 2 << 30

// probePrompt is what the start-up check asks for: code the built-in model knows, and short.
const probePrompt = "func (s *Server) Close() error {\n"

// CheckEngine checks, before the axon is announced, that an OpenAI-compatible server is up and serves
// the subnet's model: it lists the configured model, it answers a short greedy completion with
// log-probabilities whose tokens belong to the model's tokenizer, and, where the miner can load the
// model itself, those log-probabilities match its own within the validators' tolerance. It waits up to
// engine.probe_timeout for a server that is not answering yet. The built-in engine needs no check.
func (m *Miner) CheckEngine(ctx context.Context) error {
	client, ok := m.engine.(*openai.Client)
	if !ok {
		return nil
	}
	var ref inference.Engine
	if m.model.WeightBytes() <= localReferenceLimit {
		model, err := m.model.Load()
		if err != nil {
			return fmt.Errorf("load the model folder to check the server against: %w", err)
		}
		ref = model
	}
	// The server's precision may be half where the subnet allows it: validators then use the
	// half-precision tolerance, and so does this check.
	tol := verify.DefaultTolerance
	if m.cfg.Engine.Precision == "half" || m.subnet.AllowsHalf() {
		tol = verify.HalfPrecisionTolerance
	}
	return Probe(ctx, client, ProbeConfig{
		URL: m.cfg.Engine.OpenAIURL, Model: m.cfg.Engine.Model, Folder: m.model, Reference: ref,
		Tolerance: tol, Timeout: m.cfg.Engine.ProbeTimeout,
		Waiting: func(err error) {
			m.log.Warn("waiting for the OpenAI-compatible server", "url", m.cfg.Engine.OpenAIURL, "err", err)
		},
	})
}

// ProbeConfig says what Probe checks.
type ProbeConfig struct {
	URL, Model string
	Folder     *folder.Folder
	// Reference is the model run locally, or nil to check tokens only.
	Reference inference.Engine
	Tolerance verify.Tolerance
	Timeout   time.Duration
	// Waiting is told of each failure that waiting may cure.
	Waiting func(error)
}

// Probe runs the start-up check of CheckEngine against client.
func Probe(ctx context.Context, client *openai.Client, pc ProbeConfig) error {
	ctx, cancel := context.WithTimeout(ctx, pc.Timeout)
	defer cancel()
	req := inference.Request{Prompt: probePrompt, MaxTokens: 16, Seed: 1, TopK: 1}
	var names []string
	var answer inference.Result
	for {
		var err error
		if names, err = client.Models(ctx); err == nil {
			if !slices.Contains(names, pc.Model) {
				return fmt.Errorf("%w: the server at %s serves %q, not engine.model %q: start it with the subnet's model folder, or set engine.model to the name it serves",
					ErrEngineCheck, pc.URL, strings.Join(names, ", "), pc.Model)
			}
			answer, err = client.Generate(ctx, req)
		}
		if err == nil {
			break
		}
		if !openai.Transient(err) || ctx.Err() != nil {
			if ctx.Err() != nil {
				err = fmt.Errorf("no answer within engine.probe_timeout (%s): %w", pc.Timeout, err)
			}
			return fmt.Errorf("%w: the server at %s cannot serve this miner: %v\n%s", ErrEngineCheck, pc.URL, err, hint(err))
		}
		if pc.Waiting != nil {
			pc.Waiting(err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(2 * time.Second):
		}
	}
	if len(answer.Tokens) == 0 {
		return fmt.Errorf("%w: the server at %s answered a %d-token request with no tokens", ErrEngineCheck, pc.URL, req.MaxTokens)
	}
	if pc.Reference == nil {
		return nil
	}
	vd, err := verify.Verifier{Reference: pc.Reference, Tokenizer: pc.Folder.Tokenizer, Tolerance: pc.Tolerance}.Verify(ctx, req, answer)
	if err != nil {
		return fmt.Errorf("%w: score the server's answer with the local model: %v", ErrEngineCheck, err)
	}
	if !vd.Pass {
		return fmt.Errorf("%w: the server at %s does not compute the subnet's model %s as validators do: its answer to a greedy test prompt differs from the model's own (largest log-probability drift %.4f nats, tolerance %.4f; %s). Serve the model folder %s, in the precision engine.precision names (%s tolerance)",
			ErrEngineCheck, pc.URL, pc.Folder.Name, vd.MaxDrift, pc.Tolerance.LogprobTolerance, firstReason(vd), folderName(pc.Folder), precisionName(pc.Tolerance))
	}
	return nil
}

func hint(err error) string {
	switch {
	case errors.Is(err, openai.ErrUnmappableToken):
		return "its tokens are not the subnet model's: serve the subnet's model folder, or set engine.token_ids if the server is vLLM"
	case errors.Is(err, openai.ErrMalformedResponse):
		return "its answers lack what validators need (log-probabilities for every token): use vLLM, SGLang or mindnet-serve"
	case errors.Is(err, openai.ErrStatus):
		return "check engine.model and the server's log"
	}
	return "check engine.openai_url (it ends in /v1) and that the server is running"
}

func firstReason(vd verify.Verdict) string {
	if len(vd.Reasons) == 0 {
		return "no detail"
	}
	r := vd.Reasons[0]
	return fmt.Sprintf("%s at token %d: %s", r.Code, r.Position, r.Detail)
}

func folderName(f *folder.Folder) string {
	if f.Builtin() {
		return "models/" + f.Name + " (the built-in model)"
	}
	return f.Path
}

func precisionName(t verify.Tolerance) string {
	if t == verify.HalfPrecisionTolerance {
		return "half-precision"
	}
	return "float32"
}
