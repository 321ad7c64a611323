// Package api is yingji-server's HTTP API v1 over the durable store: the
// handlers, the plans being served and their reloads, the live incidents,
// the decision log, authentication and the metrics.
package api

import (
	"bufio"
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
	"strconv"
	"strings"
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

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 8192); return &b }}

func isNDJSON(ct string) bool {
	ct, _, _ = strings.Cut(ct, ";")
	ct = strings.TrimSpace(strings.ToLower(ct))
	return ct == "application/x-ndjson" || ct == "application/jsonl" || ct == "application/json-seq"
}

func (s *Server) handleGrade(w http.ResponseWriter, r *http.Request, p *Principal) {
	if isNDJSON(r.Header.Get("Content-Type")) {
		s.gradeStream(w, r, p)
		return
	}
	body, ae := readBody(w, r, s.cfg.MaxBody)
	if ae != nil {
		writeError(w, ae)
		return
	}
	plan := s.plans.Current()
	ctx, pend := withPending(r.Context())
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	out, err := plan.Grade(ctx, body, (*bp)[:0])
	*bp = out[:0]
	if ferr := s.flush(ctx, pend); ferr != nil {
		writeError(w, notRecorded(ferr))
		return
	}
	if err != nil {
		if !json.Valid(body) {
			writeError(w, malformed())
			return
		}
		writeError(w, gradeError(err))
		return
	}
	planHeaders(w, plan)
	writeRaw(w, http.StatusOK, out)
}

// gradeError reads a JSON error of the incident as the API does; the
// library's input errors as they are.
func gradeError(err error) *apiError {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	if errors.As(err, &se) || errors.As(err, &te) {
		return jsonError(err)
	}
	return libError(err)
}

// gradeStream grades one incident per line, in order: one result, or
// {"line": N, "error": {…}}, per line; blank lines are skipped. The answer
// goes out in chunks, each sent only after the decision records of its
// lines are stored (one write per chunk, so a stream is not one fsync per
// line); if they cannot be, every line of the chunk is answered with
// decision.not-recorded and the stream ends.
func (s *Server) gradeStream(w http.ResponseWriter, r *http.Request, _ *Principal) {
	plan := s.plans.Current()
	ctx, pend := withPending(r.Context())
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxStream)
	in := bufio.NewReaderSize(body, 64<<10)
	planHeaders(w, plan)
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	var chunk []byte // the answers not yet sent
	var lines []int  // their line numbers
	send := func() bool {
		if ferr := s.flush(ctx, pend); ferr != nil {
			ae := notRecorded(ferr)
			chunk = chunk[:0]
			for _, n := range lines {
				chunk = appendLineError(chunk, n, ae)
			}
			_, _ = w.Write(chunk)
			return false
		}
		if len(chunk) > 0 {
			if _, err := w.Write(chunk); err != nil {
				return false
			}
		}
		chunk, lines = chunk[:0], lines[:0]
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		return true
	}
	var line []byte
	for n := 1; ; n++ {
		line = line[:0]
		var err error
		tooLong := false
		for {
			var frag []byte
			frag, err = in.ReadSlice('\n')
			if int64(len(line)+len(frag)) > s.cfg.MaxBody {
				tooLong = true
			} else {
				line = append(line, frag...)
			}
			if err != bufio.ErrBufferFull {
				break
			}
		}
		if err != nil && err != io.EOF {
			if !send() {
				return
			}
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				chunk = appendLineError(chunk, n, tooLarge(s.cfg.MaxStream))
			} else {
				chunk = appendLineError(chunk, n, &apiError{code: "request.unreadable", msg: err.Error()})
			}
			_, _ = w.Write(chunk)
			return
		}
		switch {
		case tooLong:
			chunk, lines = appendLineError(chunk, n, tooLarge(s.cfg.MaxBody)), append(lines, n)
		case len(bytes.TrimSpace(line)) == 0:
		default:
			var gerr error
			mark := len(chunk)
			chunk, gerr = plan.Grade(ctx, line, chunk)
			switch {
			case gerr != nil && !json.Valid(line):
				chunk = appendLineError(chunk[:mark], n, malformed())
			case gerr != nil:
				chunk = appendLineError(chunk[:mark], n, gradeError(gerr))
			default:
				chunk = append(chunk, '\n')
			}
			lines = append(lines, n)
		}
		if err == io.EOF {
			send()
			return
		}
		if in.Buffered() == 0 || len(chunk) >= 64<<10 {
			if !send() {
				return
			}
		}
	}
}

func malformed() *apiError {
	return &apiError{status: http.StatusBadRequest, code: "request.malformed-json", msg: "the body is not one whole JSON value"}
}

func appendLineError(dst []byte, n int, ae *apiError) []byte {
	b, _ := json.Marshal(struct {
		Line  int         `json:"line"`
		Error errorObject `json:"error"`
	}{n, ae.body().Error})
	dst = append(dst, b...)
	return append(dst, '\n')
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

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request, p *Principal) {
	body, ae := readBody(w, r, s.cfg.MaxBody)
	if ae != nil {
		writeError(w, ae)
		return
	}
	a, ae := s.inc.post(r.Context(), p, "", body, -1, true)
	if ae != nil {
		writeError(w, ae)
		return
	}
	w.Header().Set("Location", "/v1/incidents/"+a.incident)
	w.Header().Set("Etag", etag(a.seq))
	writeRaw(w, a.status, a.answer)
}

func (s *Server) handleEvent(w http.ResponseWriter, r *http.Request, p *Principal) {
	id := r.PathValue("id")
	ifMatch, ae := parseIfMatch(r.Header.Get("If-Match"))
	if ae != nil {
		writeError(w, ae)
		return
	}
	body, ae := readBody(w, r, s.cfg.MaxBody)
	if ae != nil {
		writeError(w, ae)
		return
	}
	a, ae := s.inc.post(r.Context(), p, id, body, ifMatch, false)
	if ae != nil {
		writeError(w, ae)
		return
	}
	w.Header().Set("Etag", etag(a.seq))
	if a.status == http.StatusCreated {
		a.status = http.StatusOK // the first event re-delivered to the events route
	}
	writeRaw(w, a.status, a.answer)
}

func (s *Server) handleIncident(w http.ResponseWriter, r *http.Request, _ *Principal) {
	v, ae := s.inc.get(r.Context(), r.PathValue("id"))
	if ae != nil {
		writeError(w, ae)
		return
	}
	w.Header().Set("Etag", etag(v.Seq))
	writeJSON(w, http.StatusOK, v)
}

// queryInt reads a non-negative integer query parameter.
func queryInt(r *http.Request, name string) (int64, *apiError) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, &apiError{status: http.StatusBadRequest, code: "input.type", field: name, msg: name + ": must be a whole number ≥ 0, not " + strconv.Quote(v)}
	}
	return n, nil
}

// page reads a listing's cursor ("after", the last item of the page
// before) and its length ("limit": 100 unless given, at most 1000).
func page(r *http.Request) (after int64, limit int, ae *apiError) {
	if after, ae = queryInt(r, "after"); ae != nil {
		return 0, 0, ae
	}
	lim, ae := queryInt(r, "limit")
	if ae != nil {
		return 0, 0, ae
	}
	if lim == 0 {
		return after, 100, nil
	}
	return after, int(min(lim, 1000)), nil
}

func checkQuery(r *http.Request, allowed ...string) *apiError {
	var ps []core.Problem
	for k := range r.URL.Query() {
		found := false
		for _, a := range allowed {
			found = found || a == k
		}
		if !found {
			ps = append(ps, core.Problem{Code: core.CodeInputUnknownField, Field: k, Message: k + ": unknown query parameter; the parameters are " + strings.Join(allowed, ", ")})
		}
	}
	if len(ps) > 0 {
		return &apiError{status: http.StatusBadRequest, problems: ps}
	}
	return nil
}

type incidentList struct {
	Incidents []store.Incident `json:"incidents"`
	Next      string           `json:"next"`
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request, _ *Principal) {
	if ae := checkQuery(r, "open", "phase", "level", "after", "limit"); ae != nil {
		writeError(w, ae)
		return
	}
	q := r.URL.Query()
	f := store.IncidentFilter{Phase: q.Get("phase"), Level: q.Get("level")}
	if v := q.Get("open"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			writeError(w, &apiError{status: http.StatusBadRequest, code: "input.type", field: "open", msg: "open: must be true or false"})
			return
		}
		f.Open = &b
	}
	var ae *apiError
	if f.After, f.Limit, ae = page(r); ae != nil {
		writeError(w, ae)
		return
	}
	list, err := s.st.Incidents(r.Context(), f)
	if err != nil {
		writeError(w, internal(err))
		return
	}
	out := incidentList{Incidents: list}
	if len(list) == f.Limit {
		out.Next = strconv.FormatInt(list[len(list)-1].N, 10)
	}
	writeJSON(w, http.StatusOK, out)
}

type eventList struct {
	Incident string        `json:"incident"`
	Events   []loggedEvent `json:"events"`
	Next     string        `json:"next"`
}

type loggedEvent struct {
	Seq       int64           `json:"seq"`
	Event     json.RawMessage `json:"event"`
	Principal string          `json:"principal"`
	StoredAt  time.Time       `json:"storedAt"`
}

func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request, _ *Principal) {
	id := r.PathValue("id")
	if ae := checkQuery(r, "after", "limit"); ae != nil {
		writeError(w, ae)
		return
	}
	after, ae := queryInt(r, "after")
	if ae != nil {
		writeError(w, ae)
		return
	}
	lim, ae := queryInt(r, "limit")
	if ae != nil {
		writeError(w, ae)
		return
	}
	if lim == 0 || lim > 1000 {
		lim = 1000
	}
	if _, err := s.st.Incident(r.Context(), id); errors.Is(err, store.ErrNotFound) {
		writeError(w, &apiError{status: http.StatusNotFound, code: "incident.not-found", msg: "no incident " + id})
		return
	} else if err != nil {
		writeError(w, internal(err))
		return
	}
	evs, err := s.st.Events(r.Context(), id, after, int(lim))
	if err != nil {
		writeError(w, internal(err))
		return
	}
	out := eventList{Incident: id, Events: make([]loggedEvent, len(evs))}
	for i, e := range evs {
		out.Events[i] = loggedEvent{Seq: e.Seq, Event: e.Body, Principal: e.Principal, StoredAt: e.Stored}
	}
	if int64(len(evs)) == lim {
		out.Next = strconv.FormatInt(evs[len(evs)-1].Seq, 10)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleMigrate(w http.ResponseWriter, r *http.Request, p *Principal) {
	body, ae := readBody(w, r, s.cfg.MaxBody)
	if ae != nil {
		writeError(w, ae)
		return
	}
	var req migrateRequest
	if len(bytes.TrimSpace(body)) > 0 {
		if _, ae := decodeObject(body, "to", "apply"); ae != nil {
			writeError(w, ae)
			return
		}
		if err := json.Unmarshal(body, &req); err != nil {
			writeError(w, jsonError(err))
			return
		}
	}
	a, ae := s.inc.migrate(r.Context(), p, r.PathValue("id"), req)
	if ae != nil {
		if a.Incident != "" {
			writeJSON(w, ae.status, struct {
				errorBody
				Migration migrateAnswer `json:"migration"`
			}{ae.body(), a})
			return
		}
		writeError(w, ae)
		return
	}
	writeJSON(w, http.StatusOK, a)
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

type decisionList struct {
	Decisions []decisionView `json:"decisions"`
	Next      string         `json:"next"`
}

func (s *Server) handleDecisions(w http.ResponseWriter, r *http.Request, _ *Principal) {
	if ae := checkQuery(r, "since", "incident", "kind", "after", "limit"); ae != nil {
		writeError(w, ae)
		return
	}
	q := r.URL.Query()
	f := store.DecisionFilter{Incident: q.Get("incident")}
	if v := q.Get("kind"); v != "" {
		k, ok := decisionKinds[v]
		if !ok {
			writeError(w, &apiError{status: http.StatusBadRequest, code: "input.enum-unknown", field: "kind",
				msg: fmt.Sprintf("kind: %q is none of classify, roster, apply, migrate", v)})
			return
		}
		f.Kind = k
	}
	if v := q.Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			writeError(w, &apiError{status: http.StatusBadRequest, code: "input.type", field: "since", msg: "since: an RFC 3339 time, e.g. 2025-10-15T09:00:00+06:00"})
			return
		}
		f.Since = t
	}
	var ae *apiError
	if f.After, f.Limit, ae = page(r); ae != nil {
		writeError(w, ae)
		return
	}
	ds, err := s.st.Decisions(r.Context(), f)
	if err != nil {
		writeError(w, internal(err))
		return
	}
	out := decisionList{Decisions: make([]decisionView, len(ds))}
	for i, d := range ds {
		out.Decisions[i] = viewDecision(d)
	}
	if len(ds) == f.Limit {
		out.Next = strconv.FormatInt(ds[len(ds)-1].Seq, 10)
	}
	writeJSON(w, http.StatusOK, out)
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
