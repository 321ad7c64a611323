package api

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/yingji/yingji/server/internal/core"
)

// metrics are the server's Prometheus metrics, on a registry of its own.
type metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	events     prometheus.Counter
	reloads    *prometheus.CounterVec
	rejections *prometheus.CounterVec
	decisions  prometheus.Counter
	conflicts  prometheus.Counter
	plan       *prometheus.GaugeVec
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "yingji_http_requests_total",
			Help: "HTTP requests answered, by route and status code."}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "yingji_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}}, []string{"route"}),
		events: prometheus.NewCounter(prometheus.CounterOpts{Name: "yingji_events_appended_total",
			Help: "Events durably appended to incident logs by this process."}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "yingji_reloads_total",
			Help: "Plan reload attempts, by result (ok, failed)."}, []string{"result"}),
		rejections: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "yingji_rejections_total",
			Help: "Events the plan rejected (guards, phases, order, duplicates), by code."}, []string{"code"}),
		decisions: prometheus.NewCounter(prometheus.CounterOpts{Name: "yingji_decisions_recorded_total",
			Help: "Decision records stored."}),
		conflicts: prometheus.NewCounter(prometheus.CounterOpts{Name: "yingji_append_conflicts_total",
			Help: "Appends that lost a race on an incident's sequence number and were retried or answered 412."}),
		plan: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "yingji_plan_info",
			Help: "The plan served (value 1), by id, revision and hash."}, []string{"plan", "revision", "hash"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.events, m.reloads, m.rejections, m.decisions, m.conflicts, m.plan,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.reloads.WithLabelValues("ok")
	m.reloads.WithLabelValues("failed")
	return m
}

func (m *metrics) planInfo(p *core.Plan) {
	m.plan.Reset()
	m.plan.WithLabelValues(p.ID(), p.Revision(), p.Hash()).Set(1)
}
