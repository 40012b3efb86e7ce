package server

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the miner's Prometheus series, on a private registry.
type Metrics struct {
	Registry   *prometheus.Registry
	Requests   *prometheus.CounterVec   // by method and result (a gRPC code name)
	Latency    *prometheus.HistogramVec // by method, seconds
	Tokens     prometheus.Counter       // generated tokens
	TokensPerS prometheus.Histogram     // per request
	QueueDepth prometheus.GaugeFunc
	Metagraph  *prometheus.CounterVec // refreshes by outcome
}

// NewMetrics registers the miner's series; queueDepth reports the admission queue length.
func NewMetrics(queueDepth func() float64) *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mindnet_miner_requests_total", Help: "Axon requests by method and result (gRPC code).",
		}, []string{"method", "result"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "mindnet_miner_request_duration_seconds", Help: "Axon request latency, authentication included.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2, 14),
		}, []string{"method"}),
		Tokens: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "mindnet_miner_generated_tokens_total", Help: "Tokens generated for validators.",
		}),
		TokensPerS: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "mindnet_miner_generation_tokens_per_second", Help: "Generation throughput per request.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 14),
		}),
		QueueDepth: prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "mindnet_miner_queue_depth_requests", Help: "Requests waiting for an inference slot.",
		}, queueDepth),
		Metagraph: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mindnet_miner_metagraph_refreshes_total", Help: "Metagraph refreshes by outcome.",
		}, []string{"outcome"}),
	}
	m.Registry.MustRegister(m.Requests, m.Latency, m.Tokens, m.TokensPerS, m.QueueDepth, m.Metagraph)
	return m
}

// MetagraphSynced records a metagraph refresh outcome.
func (m *Metrics) MetagraphSynced(ok bool) {
	if ok {
		m.Metagraph.WithLabelValues("ok").Inc()
	} else {
		m.Metagraph.WithLabelValues("error").Inc()
	}
}
