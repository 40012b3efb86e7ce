package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/mindnet/mindnet/inference"
	"github.com/mindnet/mindnet/inference/llama"
	"github.com/mindnet/mindnet/inference/openai"
)

// Limits bound what one request may ask and how many run at once.
type Limits struct {
	// Concurrency is how many requests run on the engine at once.
	Concurrency int
	// QueueDepth is how many more may wait; past it requests get 429.
	QueueDepth int
	// MaxBodyBytes bounds a request body; larger ones get 413.
	MaxBodyBytes int64
	// MaxTokens bounds max_tokens (the model's context bounds it too).
	MaxTokens int
	// RequestTimeout bounds one request's time on the engine.
	RequestTimeout time.Duration
}

// Server answers the OpenAI API with one model.
type Server struct {
	model   *llama.Model
	served  string
	limits  Limits
	log     *slog.Logger
	metrics *Metrics
	slots   chan struct{}
	waiting atomic.Int64
	created int64
}

// New serves model under name.
func New(model *llama.Model, name string, limits Limits, log *slog.Logger) (*Server, error) {
	if name == "" {
		return nil, errors.New("serve: the served model name is empty")
	}
	if limits.Concurrency < 1 || limits.QueueDepth < 0 || limits.MaxBodyBytes < 1024 || limits.MaxTokens < 1 {
		return nil, fmt.Errorf("serve: limits out of range: concurrency %d (≥1), queue depth %d (≥0), max body %d (≥1024), max tokens %d (≥1)",
			limits.Concurrency, limits.QueueDepth, limits.MaxBodyBytes, limits.MaxTokens)
	}
	if limits.RequestTimeout <= 0 {
		limits.RequestTimeout = 5 * time.Minute
	}
	return &Server{model: model, served: name, limits: limits, log: log, metrics: NewMetrics(),
		slots: make(chan struct{}, limits.Concurrency), created: time.Now().Unix()}, nil
}

// Metrics returns the server's metrics.
func (s *Server) Metrics() *Metrics { return s.metrics }

// Handler routes the API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/models", s.models)
	mux.HandleFunc("POST /v1/completions", s.instrument("completions", s.completions))
	mux.HandleFunc("POST /v1/chat/completions", s.instrument("chat", s.chat))
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.Registry, promhttp.HandlerOpts{}))
	return mux
}

func (s *Server) models(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, openai.ModelList{Object: "list", Data: []openai.ModelCard{{
		ID: s.served, Object: "model", Created: s.created, OwnedBy: "mindnet",
		MaxModelLen: s.model.Config().MaxPositionEmbeddings,
	}}})
}

// apiError is a refusal with its HTTP status and the request field at fault.
type apiError struct {
	status int
	param  string
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func badRequest(param, format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, param: param, msg: fmt.Sprintf(format, args...)}
}

// errorType is the type name OpenAI's (and vLLM's) error objects give a status.
func errorType(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "BadRequestError"
	case http.StatusNotFound:
		return "NotFoundError"
	case http.StatusRequestEntityTooLarge:
		return "RequestEntityTooLarge"
	case http.StatusTooManyRequests:
		return "RateLimitError"
	case http.StatusServiceUnavailable:
		return "ServiceUnavailableError"
	}
	return "InternalServerError"
}

func writeError(w http.ResponseWriter, e *apiError) {
	var param *string
	if e.param != "" {
		param = &e.param
	}
	writeJSON(w, e.status, openai.ErrorBody{Error: openai.ErrorDetail{Message: e.msg, Type: errorType(e.status), Param: param, Code: e.status}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// handlerFunc answers a request or returns the refusal to write; a handler
// that has started a response returns nil.
type handlerFunc func(w http.ResponseWriter, r *http.Request) *apiError

// instrument counts and times a route and turns its refusals into OpenAI
// error bodies.
func (s *Server) instrument(route string, h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		status := http.StatusOK
		if err := h(w, r); err != nil {
			status = err.status
			if status >= 500 {
				s.log.Error("request failed", "route", route, "err", err.msg)
			} else {
				s.log.Debug("request refused", "route", route, "status", status, "param", err.param, "err", err.msg)
			}
			writeError(w, err)
		}
		s.metrics.Requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
		s.metrics.Duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	}
}

// decode reads a JSON body within the size limit.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) *apiError {
	r.Body = http.MaxBytesReader(w, r.Body, s.limits.MaxBodyBytes)
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &apiError{status: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf("request body over %d bytes", s.limits.MaxBodyBytes)}
		}
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			field := typeErr.Field[strings.LastIndex(typeErr.Field, ".")+1:] // embedded structs prefix their name
			return badRequest(field, "field %q: expected %s, got JSON %s", field, typeErr.Type, typeErr.Value)
		}
		return badRequest("", "request body is not valid JSON: %v", err)
	}
	return nil
}

// admit waits for an engine slot, or refuses with 429 when the queue is
// full; release must be called when it returns nil.
func (s *Server) admit(ctx context.Context) (release func(), err *apiError) {
	select {
	case s.slots <- struct{}{}:
	default:
		if s.waiting.Add(1) > int64(s.limits.QueueDepth) {
			s.waiting.Add(-1)
			s.metrics.Rejected.Inc()
			return nil, &apiError{status: http.StatusTooManyRequests, msg: fmt.Sprintf("server busy: %d requests running and %d waiting; retry later", s.limits.Concurrency, s.limits.QueueDepth)}
		}
		s.metrics.Waiting.Inc()
		defer func() { s.waiting.Add(-1); s.metrics.Waiting.Dec() }()
		select {
		case s.slots <- struct{}{}:
		case <-ctx.Done():
			return nil, &apiError{status: http.StatusServiceUnavailable, msg: "request cancelled while waiting for the engine"}
		}
	}
	s.metrics.Running.Inc()
	return func() { <-s.slots; s.metrics.Running.Dec() }, nil
}

// engineError maps an engine failure onto a refusal.
func engineError(err error) *apiError {
	switch {
	case errors.Is(err, llama.ErrContextLength):
		return badRequest("max_tokens", "%v", err)
	case errors.Is(err, llama.ErrTokenID):
		return badRequest("prompt", "%v", err)
	case errors.Is(err, inference.ErrBadRequest):
		return badRequest("", "%v", err)
	case errors.Is(err, context.DeadlineExceeded):
		return &apiError{status: http.StatusServiceUnavailable, msg: "request timed out on the engine"}
	case errors.Is(err, context.Canceled):
		return &apiError{status: http.StatusServiceUnavailable, msg: "request cancelled"}
	}
	return &apiError{status: http.StatusInternalServerError, msg: err.Error()}
}
