package service

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/mindnet/mindnet/validator/scoreboard"
)

// Metrics are the validator's Prometheus series, on a private registry.
type Metrics struct {
	Registry      *prometheus.Registry
	Queries       *prometheus.CounterVec // answers scored, by outcome (a scoring reason code)
	QueryLatency  prometheus.Histogram   // seconds from sending a task to holding the answer
	Verification  prometheus.Histogram   // seconds the reference engine spent verifying one answer
	Unscored      prometheus.Counter     // answers the validator could not score (its engine failed)
	Rounds        prometheus.Counter     // rounds completed
	RoundDuration prometheus.Histogram   // seconds per round, calls and scoring
	Scores        *prometheus.GaugeVec   // moving average by UID
	Submissions   *prometheus.CounterVec // weight transactions by kind and outcome
	LastHeight    *prometheus.GaugeVec   // block of the last landed weight transaction, by kind
	Metagraph     *prometheus.CounterVec // refreshes by outcome
	Pending       prometheus.Gauge       // commits awaiting their reveal
}

// NewMetrics registers the validator's series.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Queries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mindnet_validator_queries_total", Help: "Answers scored, by outcome: ok or the reason the score is zero.",
		}, []string{"outcome"}),
		QueryLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "mindnet_validator_query_duration_seconds", Help: "Time from sending a task to holding the miner's whole answer.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2, 12),
		}),
		Verification: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "mindnet_validator_verification_duration_seconds", Help: "Reference-engine time to verify one answer by prefill.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}),
		Unscored: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "mindnet_validator_unscored_answers_total", Help: "Answers left unscored because the validator's own engine failed.",
		}),
		Rounds: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "mindnet_validator_rounds_total", Help: "Rounds completed.",
		}),
		RoundDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "mindnet_validator_round_duration_seconds", Help: "Round time: calls and scoring.",
			Buckets: prometheus.ExponentialBuckets(0.1, 2, 10),
		}),
		Scores: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "mindnet_validator_score_ratio", Help: "Moving average of each UID's answer scores, in [0, 1].",
		}, []string{"uid"}),
		Submissions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mindnet_validator_submissions_total", Help: "Weight transactions by kind (set, commit, reveal) and outcome (ok, retry, refused, error, missed).",
		}, []string{"kind", "outcome"}),
		LastHeight: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "mindnet_validator_last_submission_height_blocks", Help: "Block of the last weight transaction that landed, by kind.",
		}, []string{"kind"}),
		Metagraph: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mindnet_validator_metagraph_refreshes_total", Help: "Metagraph refreshes by outcome.",
		}, []string{"outcome"}),
		Pending: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "mindnet_validator_pending_commits", Help: "Weight commits awaiting their reveal.",
		}),
	}
	m.Registry.MustRegister(m.Queries, m.QueryLatency, m.Verification, m.Unscored, m.Rounds, m.RoundDuration,
		m.Scores, m.Submissions, m.LastHeight, m.Metagraph, m.Pending)
	return m
}

// Submission implements submit.Observer.
func (m *Metrics) Submission(kind, outcome string) {
	m.Submissions.WithLabelValues(kind, outcome).Inc()
}

// MetagraphSynced records a metagraph refresh outcome.
func (m *Metrics) MetagraphSynced(ok bool) {
	if ok {
		m.Metagraph.WithLabelValues("ok").Inc()
	} else {
		m.Metagraph.WithLabelValues("error").Inc()
	}
}

// SetScores replaces the score gauges, so that UIDs no longer tracked disappear.
func (m *Metrics) SetScores(entries []scoreboard.Entry) {
	m.Scores.Reset()
	for _, e := range entries {
		m.Scores.WithLabelValues(strconv.Itoa(int(e.UID))).Set(e.EMA)
	}
}
