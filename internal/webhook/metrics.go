package webhook

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the webhook series: what arrived, what was refused and why,
// what processing did, and how long an event waited to be processed.
type Metrics struct {
	Received  *prometheus.CounterVec
	Rejected  *prometheus.CounterVec
	Processed *prometheus.CounterVec
	Lag       prometheus.Histogram
	Batch     prometheus.Histogram
}

// NewMetrics registers the webhook series on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Received: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zoombridge_webhook_received_total",
			Help: "Verified webhook deliveries acknowledged, by result (new, duplicate, url_validation).",
		}, []string{"result"}),
		Rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zoombridge_webhook_rejected_total",
			Help: "Webhook deliveries refused, by reason.",
		}, []string{"reason"}),
		Processed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zoombridge_webhook_processed_total",
			Help: "Webhook events processed, by outcome.",
		}, []string{"outcome"}),
		Lag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "zoombridge_webhook_lag_seconds",
			Help:    "Time from receipt of a webhook event to the end of its processing.",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300},
		}),
		Batch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "zoombridge_webhook_commit_batch_size",
			Help:    "Webhook events stored per database commit (group commit).",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256, 512},
		}),
	}
	reg.MustRegister(m.Received, m.Rejected, m.Processed, m.Lag, m.Batch)
	return m
}
