package serve

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the server's Prometheus series, on a private registry.
type Metrics struct {
	Registry *prometheus.Registry
	Requests *prometheus.CounterVec
	Duration *prometheus.HistogramVec
	Tokens   *prometheus.CounterVec
	Running  prometheus.Gauge
	Waiting  prometheus.Gauge
	Rejected prometheus.Counter
}

// NewMetrics registers the server's series.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mindnet_serve_requests_total",
			Help: "Requests by route and HTTP status."}, []string{"route", "code"}),
		Duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "mindnet_serve_request_duration_seconds",
			Help: "Time to answer a request, by route.", Buckets: prometheus.ExponentialBuckets(0.001, 2, 16)}, []string{"route"}),
		Tokens: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mindnet_serve_tokens_total",
			Help: "Tokens processed: prompt (prefilled) and generated."}, []string{"kind"}),
		Running:  prometheus.NewGauge(prometheus.GaugeOpts{Name: "mindnet_serve_running_requests", Help: "Requests on the engine now."}),
		Waiting:  prometheus.NewGauge(prometheus.GaugeOpts{Name: "mindnet_serve_waiting_requests", Help: "Requests waiting for the engine."}),
		Rejected: prometheus.NewCounter(prometheus.CounterOpts{Name: "mindnet_serve_rejected_total", Help: "Requests refused with 429 because the queue was full."}),
	}
	m.Registry.MustRegister(m.Requests, m.Duration, m.Tokens, m.Running, m.Waiting, m.Rejected)
	return m
}
