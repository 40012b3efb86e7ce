package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/tokenizer"
)

// Errors the client returns; a *StatusError matches ErrStatus.
var (
	ErrStatus            = errors.New("openai: server answered with an error status")
	ErrTruncatedStream   = errors.New("openai: stream ended before [DONE]")
	ErrMalformedResponse = errors.New("openai: malformed response")
	ErrUnmappableToken   = errors.New("openai: cannot map token text to an id")
	ErrConfig            = errors.New("openai: invalid config")
)

// StatusError is a non-2xx answer.
type StatusError struct {
	Code    int
	Message string // the server's error message, when it sent one
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("openai: HTTP %d: %s", e.Code, e.Message)
}

// Is makes errors.Is(err, ErrStatus) true for every StatusError.
func (e *StatusError) Is(target error) bool { return target == ErrStatus }

// Config says where the server is and how to talk to it.
type Config struct {
	BaseURL    string        // e.g. http://gpu-box:8000/v1
	Model      string        // the served model name
	APIKey     string        // sent as a bearer token when set
	HTTPClient *http.Client  // default: http.DefaultClient
	Timeout    time.Duration // per attempt; default 60s
	MaxRetries int           // extra attempts after the first; default 3, -1 for none
	Backoff    time.Duration // first retry delay, doubled each time; default 250ms
	// Tokenizer is the served model's tokenizer (required): Score encodes
	// the prompt with it, and token names are mapped onto its ids.
	Tokenizer *tokenizer.Tokenizer
	// TokenIDs asks the server to name tokens "token_id:N" (vLLM's
	// return_tokens_as_token_ids). Leave it off for servers that reject
	// unknown fields.
	TokenIDs bool
	// BOSID is put before the prompt's ids in Score, as the server's own
	// tokenizer does for text prompts; -1 for none.
	BOSID int
	// EOSID tells an end-of-sequence stop from a stop-sequence stop; -1 if
	// unknown.
	EOSID int
	// ScoreMaxTokens is max_tokens for prefill scoring: 0 where the server
	// accepts it (vLLM), else 1 (the extra token is ignored).
	ScoreMaxTokens int
}

// Client is an inference.Engine backed by an OpenAI-compatible server.
type Client struct {
	cfg   Config
	base  string
	vocab *vocabIndex
}

var _ inference.Engine = (*Client)(nil)

// New checks cfg and fills in defaults.
func New(cfg Config) (*Client, error) {
	if !strings.HasPrefix(cfg.BaseURL, "http://") && !strings.HasPrefix(cfg.BaseURL, "https://") {
		return nil, fmt.Errorf("%w: base URL %q must start with http:// or https://", ErrConfig, cfg.BaseURL)
	}
	if cfg.Model == "" {
		return nil, fmt.Errorf("%w: model name is empty", ErrConfig)
	}
	if cfg.Tokenizer == nil {
		return nil, fmt.Errorf("%w: the served model's tokenizer is required to map its tokens to ids", ErrConfig)
	}
	if cfg.ScoreMaxTokens < 0 || cfg.ScoreMaxTokens > 1 {
		return nil, fmt.Errorf("%w: score max tokens must be 0 or 1", ErrConfig)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 60 * time.Second
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = 3
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	if cfg.Backoff == 0 {
		cfg.Backoff = 250 * time.Millisecond
	}
	return &Client{cfg: cfg, base: strings.TrimRight(cfg.BaseURL, "/"), vocab: newVocabIndex(cfg.Tokenizer)}, nil
}

// Info names the served model.
func (c *Client) Info() inference.Info {
	return inference.Info{Model: c.cfg.Model, Backend: "openai", EOSID: c.cfg.EOSID, VocabSize: c.cfg.Tokenizer.VocabSize()}
}

// retryable reports whether an attempt's failure may be retried: what a
// server's load or the network may have caused (transport errors, an
// attempt's own timeout, a stream cut short, 429 and 5xx). Everything else
// (a 4xx, a body that does not parse, tokens of another vocabulary) would
// fail the same way again.
func retryable(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code == http.StatusTooManyRequests || se.Code >= 500
	}
	var transport *transportError
	return errors.As(err, &transport) || errors.Is(err, ErrTruncatedStream)
}

// transportError is a failure to get an answer at all: connection refused
// or reset, DNS, the attempt's own deadline.
type transportError struct{ err error }

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// call posts body to path and hands the successful response to read, with
// retries. For streams, read reports through delivered whether anything has
// reached the caller, after which a failure is final.
func (c *Client) call(ctx context.Context, path string, body any, read func(io.Reader) error, delivered func() bool) error {
	payload, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("openai: encode request: %w", err)
	}
	delay := c.cfg.Backoff
	for attempt := 0; ; attempt++ {
		err = c.attempt(ctx, path, payload, read)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil || attempt >= c.cfg.MaxRetries || !retryable(err) || (delivered != nil && delivered()) {
			return fmt.Errorf("openai: %s (attempt %d): %w", path, attempt+1, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("openai: %s: %w (after %v)", path, ctx.Err(), err)
		case <-time.After(delay):
		}
		delay *= 2
	}
}

// maxBody bounds what a response may make us read.
const maxBody = 64 << 20

func (c *Client) attempt(ctx context.Context, path string, payload []byte, read func(io.Reader) error) error {
	actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, c.base+path, bytes.NewReader(payload))
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if c.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return &transportError{err}
	}
	defer resp.Body.Close()
	body := io.LimitReader(resp.Body, maxBody)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return statusError(resp.StatusCode, body)
	}
	if err := read(body); err != nil {
		if actx.Err() != nil && ctx.Err() == nil {
			return &transportError{err} // this attempt's own deadline cut the body
		}
		return err
	}
	return nil
}

// statusError reads the OpenAI error body {"error": {"message": ...}} (or
// vLLM's older {"message": ...}), falling back to the raw text.
func statusError(code int, body io.Reader) error {
	raw, _ := io.ReadAll(io.LimitReader(body, 4096))
	var e struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
	}
	msg := strings.TrimSpace(string(raw))
	if json.Unmarshal(raw, &e) == nil {
		var inner struct {
			Message string `json:"message"`
		}
		var plain string
		switch {
		case json.Unmarshal(e.Error, &inner) == nil && inner.Message != "":
			msg = inner.Message
		case json.Unmarshal(e.Error, &plain) == nil && plain != "":
			msg = plain
		case e.Message != "":
			msg = e.Message
		}
	}
	return &StatusError{Code: code, Message: msg}
}

// Models lists the model names the server serves (GET /v1/models). It is
// not retried: a caller that waits for a server to come up loops on it.
func (c *Client) Models(ctx context.Context) ([]string, error) {
	actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, c.base+"/models", nil)
	if err != nil {
		return nil, fmt.Errorf("openai: build request: %w", err)
	}
	if c.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("openai: /models: %w", &transportError{err})
	}
	defer resp.Body.Close()
	body := io.LimitReader(resp.Body, maxBody)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("openai: /models: %w", statusError(resp.StatusCode, body))
	}
	var list ModelList
	if err := json.NewDecoder(body).Decode(&list); err != nil {
		return nil, fmt.Errorf("openai: /models: %w: %v", ErrMalformedResponse, err)
	}
	names := make([]string, len(list.Data))
	for i, m := range list.Data {
		names[i] = m.ID
	}
	return names, nil
}

// Transient reports whether err is one that waiting may cure: the server
// unreachable or timing out, 429 or 5xx.
func Transient(err error) bool { return retryable(err) }
