package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/mindnet/mindnet/explorer/chain"
	"github.com/mindnet/mindnet/explorer/indexer"
	"github.com/mindnet/mindnet/explorer/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config is what the server reads from and how much it shows.
type Config struct {
	Node  chain.Reader
	Store *store.Store
	// Head returns the node's head as the indexer last saw it, and the last error reaching the node.
	Head func() (chain.Status, error)
	// Labels names hotkeys (the devnet's "miner-1", "odd-1"…); may be nil.
	Labels map[string]string
	// Epochs is how many past epochs the history charts show.
	Epochs int
	// Series is how many UIDs a chart draws at most (the top ones by the chart's value).
	Series int
	// Timeout bounds the work behind one page, every node query included.
	Timeout time.Duration
	Log     *slog.Logger
	// Now is the clock ("12s ago"); nil means time.Now.
	Now func() time.Time
}

// Server is the explorer's HTTP handler.
type Server struct {
	cfg   Config
	pages map[string]*template.Template
	hub   *hub
	mux   *http.ServeMux
	reg   *prometheus.Registry

	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

var pageNames = []string{"network", "subnet", "neuron", "account", "proposals", "block", "search", "error"}

// New parses the templates and builds the routes.
func New(cfg Config) (*Server, error) {
	if cfg.Node == nil || cfg.Store == nil || cfg.Head == nil {
		return nil, errors.New("web: Node, Store and Head are required")
	}
	if cfg.Epochs <= 0 {
		cfg.Epochs = 50
	}
	if cfg.Series <= 0 {
		cfg.Series = 16
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, pages: map[string]*template.Template{}, hub: newHub(), mux: http.NewServeMux(), reg: prometheus.NewRegistry()}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).Funcs(template.FuncMap{"ago": func(t time.Time) string { return ago(t, s.cfg.Now()) }}).
			ParseFS(templateFS, "templates/layout.html", "templates/charts.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		s.pages[name] = t
	}
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mindnet_explorer_http_requests_total", Help: "HTTP requests by route and status code."}, []string{"route", "code"})
	s.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "mindnet_explorer_http_request_duration_seconds", Help: "Time to serve a page, by route.", Buckets: prometheus.ExponentialBuckets(0.001, 2, 14)}, []string{"route"})
	s.reg.MustRegister(s.requests, s.latency,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "mindnet_explorer_store_bytes", Help: "Size of the history store on disk."}, func() float64 { return float64(cfg.Store.DiskUsage()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "mindnet_explorer_indexed_height", Help: "The last block the indexer committed."}, func() float64 { c, _ := cfg.Store.Cursor(); return float64(c) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "mindnet_explorer_live_streams", Help: "Open server-sent event streams."}, func() float64 { return float64(s.hub.count()) }),
	)

	static, _ := fs.Sub(staticFS, "static")
	s.route("GET /{$}", "network", s.network)
	s.route("GET /subnets/{netuid}", "subnet", s.subnet)
	s.route("GET /subnets/{netuid}/neurons/{uid}", "neuron", s.neuron)
	s.route("GET /accounts/{address}", "account", s.account)
	s.route("GET /proposals", "proposals", s.proposals)
	s.route("GET /blocks/{height}", "block", s.block)
	s.route("GET /search", "search", s.search)
	s.route("GET /", "notfound", func(w http.ResponseWriter, r *http.Request) error {
		return notFound("There is no page at this address.")
	})
	s.mux.HandleFunc("GET /events", s.events)
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	s.mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/static/favicon.svg", http.StatusMovedPermanently)
	})
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}))
	return s, nil
}

// Publish sends an indexer update to every open live stream.
func (s *Server) Publish(u indexer.Update) { s.hub.publish(u) }

// Registry is the server's private Prometheus registry (the binary adds its own metrics to it).
func (s *Server) Registry() *prometheus.Registry { return s.reg }

// ServeHTTP implements http.Handler with the explorer's security headers.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Scripts only from this origin: no inline script, so markup that reaches a page cannot run.
	// uPlot sizes its canvas through element styles, hence 'unsafe-inline' for styles only.
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	s.mux.ServeHTTP(w, r)
}

// pageError is an error with the status and message a visitor sees.
type pageError struct {
	Status int
	Title  string
	Msg    string
}

func (e *pageError) Error() string { return e.Msg }

func notFound(msg string) error {
	return &pageError{Status: http.StatusNotFound, Title: "Not found", Msg: msg}
}

func badRequest(msg string) error {
	return &pageError{Status: http.StatusBadRequest, Title: "Bad request", Msg: msg}
}

// page is what every template gets.
type page struct {
	Title   string
	Nav     string
	Netuid  string // set on subnet pages, so live updates know which epochs concern them
	Head    chain.Status
	NodeErr string
	Query   string
	Body    any
}

type handler func(w http.ResponseWriter, r *http.Request) error

// route registers h under pattern, with a deadline, metrics, and error pages.
func (s *Server) route(pattern, name string, h handler) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		began := time.Now()
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.Timeout)
		defer cancel()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		if err := h(rec, r.WithContext(ctx)); err != nil {
			s.fail(rec, r, err)
		}
		s.requests.WithLabelValues(name, strconv.Itoa(rec.status)).Inc()
		s.latency.WithLabelValues(name).Observe(time.Since(began).Seconds())
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// fail renders the error page: 404 for what does not exist, 503 with the node banner when the node
// did not answer, 500 otherwise.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var pe *pageError
	switch {
	case errors.As(err, &pe):
	case errors.Is(err, chain.ErrNotFound):
		pe = &pageError{Status: http.StatusNotFound, Title: "Not found", Msg: "The chain has no such record."}
	case errors.Is(err, chain.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		pe = &pageError{Status: http.StatusServiceUnavailable, Title: "Node unavailable",
			Msg: "The chain node is not answering, so this page cannot be shown now. It reloads by itself when the node is back."}
	default:
		pe = &pageError{Status: http.StatusInternalServerError, Title: "Error", Msg: "The explorer could not build this page."}
	}
	if pe.Status >= 500 {
		s.cfg.Log.Warn("page failed", "path", r.URL.Path, "status", pe.Status, "err", err)
	}
	p := s.newPage(pe.Title, "")
	if pe.Status == http.StatusServiceUnavailable && p.NodeErr == "" {
		p.NodeErr = err.Error()
	}
	p.Body = pe
	s.render(w, pe.Status, "error", p)
}

// newPage fills the fields every page shows: the head and the node's health.
func (s *Server) newPage(title, nav string) *page {
	st, err := s.cfg.Head()
	p := &page{Title: title, Nav: nav, Head: st}
	if err != nil {
		p.NodeErr = err.Error()
	}
	return p
}

// render executes the page's template into a buffer first, so that a template error never leaves
// half a page.
func (s *Server) render(w http.ResponseWriter, status int, name string, p *page) {
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		s.cfg.Log.Error("template failed", "page", name, "err", err)
		http.Error(w, "the explorer could not render this page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// healthz answers 200 while the node answers the indexer, 503 otherwise.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	st, err := s.cfg.Head()
	cursor, _ := s.cfg.Store.Cursor()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "node unavailable: %v\nindexed height %d\n", err, cursor)
		return
	}
	fmt.Fprintf(w, "ok\nnode height %d\nindexed height %d\n", st.Height, cursor)
}

// events streams the indexer's updates as server-sent events until the browser leaves.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	c, unsubscribe := s.hub.subscribe()
	defer unsubscribe()
	_, _ = w.Write([]byte("retry: 3000\n\n"))
	flusher.Flush()
	keepalive := time.NewTicker(15 * time.Second)
	defer keepalive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case msg := <-c:
			if _, err := w.Write(msg); err != nil {
				return
			}
		case <-keepalive.C:
			if _, err := w.Write([]byte(": keepalive\n\n")); err != nil {
				return
			}
		}
		flusher.Flush()
	}
}
