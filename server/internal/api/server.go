// Package api is yingji-server's HTTP API v1 over the durable store: the
// handlers, the plans being served and their reloads, the live incidents,
// the decision log, authentication and the metrics.
package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	yserver "github.com/yingji/yingji/server"
	"github.com/yingji/yingji/server/internal/core"
	"github.com/yingji/yingji/server/internal/store"
)

// Config is what a Server is built from.
type Config struct {
	Store store.Store
	// Plan is an embedded plan id or a plan folder ("" = the default plan).
	Plan string
	// Tokens maps bearer tokens to principals; nil serves everyone as
	// "anonymous" (the caller must then listen on loopback only).
	Tokens Tokens
	Logger *slog.Logger
	// Now is the clock (deadlines, decision times); time.Now if nil.
	Now func() time.Time
	// MaxBody limits a request body (and one NDJSON line); MaxStream an
	// NDJSON stream.
	MaxBody, MaxStream int64
	// PollInterval is how often a node checks for a plan another node
	// published, beside LISTEN/NOTIFY (0: 2s).
	PollInterval time.Duration
}

// Server is the HTTP API. It is safe for concurrent use.
type Server struct {
	st     store.Store
	tokens Tokens
	log    *slog.Logger
	now    func() time.Time
	m      *metrics
	plans  *Plans
	inc    *incidents
	rec    *recorder
	mux    *http.ServeMux
	nodeID string
	cfg    Config

	stop    context.CancelFunc
	bg      sync.WaitGroup
	started atomic.Bool
}

// New loads the plan, stores and publishes it, and builds the handlers.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 1 << 20
	}
	if cfg.MaxStream <= 0 {
		cfg.MaxStream = 256 << 20
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 2 * time.Second
	}
	var id [4]byte
	_, _ = rand.Read(id[:])
	s := &Server{st: cfg.Store, tokens: cfg.Tokens, log: cfg.Logger, now: cfg.Now, m: newMetrics(), nodeID: hex.EncodeToString(id[:]), cfg: cfg}
	s.rec = &recorder{st: cfg.Store, m: s.m}
	var err error
	// Every plan is loaded with the server's decision sink and clock: the
	// library records each grade, roster and event it decides.
	if s.plans, err = newPlans(ctx, cfg.Store, cfg.Plan, cfg.Logger, s.m, core.Options{Sink: s.rec, Now: cfg.Now, DecisionIDs: newDecisionID}); err != nil {
		return nil, err
	}
	s.inc = &incidents{s: s, m: map[string]*entry{}}
	s.routes()
	return s, nil
}

// Plans returns the plans being served.
func (s *Server) Plans() *Plans { return s.plans }

// Handler is the API.
func (s *Server) Handler() http.Handler { return s.mux }

// Close stops the background work. Every decision record is stored
// before the answer that carries it, so none is pending.
func (s *Server) Close() {
	if s.stop != nil {
		s.stop()
	}
	s.bg.Wait()
}

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	add := func(pattern string, methods map[string]handler) {
		s.mux.Handle(pattern, s.serveRoute(&route{name: pattern, methods: methods}))
	}
	get := http.MethodGet
	post := http.MethodPost
	add("/v1/grade", map[string]handler{post: {s.handleGrade, reader}})
	add("/v1/roster", map[string]handler{post: {s.handleRoster, reader}})
	add("/v1/incidents", map[string]handler{post: {s.handleCreate, writer}, get: {s.handleList, reader}})
	add("/v1/incidents/{id}", map[string]handler{get: {s.handleIncident, reader}})
	add("/v1/incidents/{id}/events", map[string]handler{post: {s.handleEvent, writer}, get: {s.handleEvents, reader}})
	add("/v1/incidents/{id}/migrate", map[string]handler{post: {s.handleMigrate, admin}})
	add("/v1/plans", map[string]handler{get: {s.handlePlans, reader}})
	add("/v1/status", map[string]handler{get: {s.handleStatus, reader}})
	add("/v1/reload", map[string]handler{post: {s.handleReload, admin}})
	add("/v1/decisions", map[string]handler{get: {s.handleDecisions, reader}})
	add("/healthz", map[string]handler{get: {s.handleHealth, open}})
	add("/readyz", map[string]handler{get: {s.handleReady, open}})
	metricsHandler := promhttp.HandlerFor(s.m.reg, promhttp.HandlerOpts{})
	add("/metrics", map[string]handler{get: {func(w http.ResponseWriter, r *http.Request, _ *Principal) { metricsHandler.ServeHTTP(w, r) }, open}})
	add("/openapi.json", map[string]handler{get: {s.handleOpenAPI, open}})
	notFound := s.serveRoute(&route{name: "(unknown)", methods: nil})
	s.mux.Handle("/", s.withPages(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			notFound.ServeHTTP(w, r)
			return
		}
		s.m.requests.WithLabelValues("(unknown)", "404").Inc()
		writeError(w, &apiError{status: http.StatusNotFound, code: "request.not-found", msg: "no route " + r.URL.Path + "; GET /openapi.json lists the API"})
	})))
}

func planHeaders(w http.ResponseWriter, p *core.Plan) {
	h := w.Header()
	h["Yingji-Plan"] = []string{p.ID()}
	h["Yingji-Plan-Revision"] = []string{p.Revision()}
	h["Yingji-Plan-Hash"] = []string{p.Hash()}
}

func (s *Server) handleRoster(w http.ResponseWriter, r *http.Request, _ *Principal) {
	body, ae := readBody(w, r, s.cfg.MaxBody)
	if ae != nil {
		writeError(w, ae)
		return
	}
	if _, ae := decodeObject(body, "incident", "level", "industries", "localities"); ae != nil {
		writeError(w, ae)
		return
	}
	var req core.RosterRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, jsonError(err))
		return
	}
	plan := s.plans.Current()
	ctx, pend := withPending(r.Context())
	out, err := plan.Roster(ctx, req)
	if ferr := s.flush(ctx, pend); ferr != nil {
		writeError(w, notRecorded(ferr))
		return
	}
	if err != nil {
		writeError(w, gradeError(err))
		return
	}
	planHeaders(w, plan)
	writeRaw(w, http.StatusOK, out)
}

type plansAnswer struct {
	Current  core.PlanRef   `json:"current"`
	Stored   []store.Bundle `json:"stored"`
	Embedded []string       `json:"embedded"`
}

func (s *Server) handlePlans(w http.ResponseWriter, r *http.Request, _ *Principal) {
	bs, err := s.st.Bundles(r.Context())
	if err != nil {
		writeError(w, internal(err))
		return
	}
	writeJSON(w, http.StatusOK, plansAnswer{Current: s.plans.Current().Ref(), Stored: bs, Embedded: core.EmbeddedIDs()})
}

// statusAnswer is GET /v1/status: the library engine's status with what
// the server adds (publication, source, store, node, authentication).
type statusAnswer struct {
	Status
	Store string `json:"store"`
	Node  string `json:"node"`
	Auth  bool   `json:"authenticated"`
}

func (s *Server) status() statusAnswer {
	return statusAnswer{Status: s.plans.Status(), Store: s.st.Kind(), Node: s.nodeID, Auth: s.tokens != nil}
}

func (s *Server) handleStatus(w http.ResponseWriter, _ *http.Request, _ *Principal) {
	writeJSON(w, http.StatusOK, s.status())
}

func (s *Server) handleReload(w http.ResponseWriter, r *http.Request, _ *Principal) {
	if r.ContentLength > 0 {
		writeError(w, &apiError{status: http.StatusBadRequest, code: "input.unexpected-body", msg: "POST /v1/reload takes no body: it reloads the --plan folder"})
		return
	}
	err := s.plans.Reload(r.Context(), "api")
	switch {
	case errors.Is(err, errNotReloadable):
		writeError(w, &apiError{status: http.StatusConflict, code: "plan.not-reloadable", msg: err.Error()})
	case err != nil && core.IsLoadError(err):
		writeError(w, &apiError{status: http.StatusUnprocessableEntity, problems: core.ProblemsOf(err)})
	case err != nil:
		writeError(w, internal(err))
	default:
		writeJSON(w, http.StatusOK, s.status())
	}
}

func (s *Server) handleHealth(w http.ResponseWriter, _ *http.Request, _ *Principal) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request, _ *Principal) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.st.Ping(ctx); err != nil {
		writeError(w, &apiError{status: http.StatusServiceUnavailable, code: "store.unavailable", msg: "the database does not answer: " + err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "plan": s.plans.Current().Hash()})
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, _ *http.Request, _ *Principal) {
	writeRaw(w, http.StatusOK, bytes.TrimRight(yserver.OpenAPI, "\n"))
}

// String describes the server for the start-up log.
func (s *Server) String() string {
	pl := s.plans.Current()
	return fmt.Sprintf("plan %s revision %s (%s), store %s", pl.ID(), pl.Revision(), pl.Hash(), s.st.Kind())
}
