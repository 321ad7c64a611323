package api

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/yingji/yingji/server/internal/core"
	"github.com/yingji/yingji/server/internal/store"
)

// recorder is the server's decision sink (the library's DecisionSink,
// given to every plan the server loads). The library calls it once per
// grade, roster and event, synchronously, and withholds a decision the
// sink cannot record; the server keeps the same promise over HTTP: no
// answer that carries a decision is sent before its record is durably
// stored.
//
//   - During a request (the handler put a pending set in the context) the
//     record is held, and the handler stores what its request decided in
//     one write — group-committed with the other requests' writes — before
//     it answers; if that write fails the answer is 503
//     decision.not-recorded and carries no decision.
//   - An accepted event's record is held apart and stored in the event's
//     own transaction: it is as durable as the event, and a re-delivery
//     or a lost race stores neither.
//   - Outside a request the record is stored before Record returns.
//
// An event's record (kind apply, accepted or refused) says whether its
// incident is a drill (演练), as the request's pending set was told.
//
// The principal comes from the context (core.WithPrincipal): the token's
// name, never the token. A recorder is safe for concurrent use.
type recorder struct {
	st store.Store
	m  *metrics
}

type pendingKey struct{}

// pending is what one request has decided and not yet stored.
type pending struct {
	mu    sync.Mutex
	ds    []store.Decision
	apply *store.Decision // the latest accepted event's record
	drill bool            // the incident the request posts to is a drill
}

// withPending gives ctx a pending set for the decisions of one request.
func withPending(ctx context.Context) (context.Context, *pending) {
	p := &pending{}
	return context.WithValue(ctx, pendingKey{}, p), p
}

// setDrill tells whether the incident the request's events go to is a
// drill; their records, made after, say so.
func (p *pending) setDrill(drill bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.drill = drill
}

// takeApply returns the accepted event's record and forgets it.
func (p *pending) takeApply() *store.Decision {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := p.apply
	p.apply = nil
	return d
}

func (p *pending) take() []store.Decision {
	p.mu.Lock()
	defer p.mu.Unlock()
	ds := p.ds
	p.ds = nil
	return ds
}

func (r *recorder) Record(ctx context.Context, d core.Decision) error {
	sd, err := storeDecision(d)
	if err != nil {
		return err
	}
	if p, ok := ctx.Value(pendingKey{}).(*pending); ok {
		p.mu.Lock()
		defer p.mu.Unlock()
		if d.Kind == core.DecisionApply {
			sd.Drill = p.drill
		}
		if d.Kind == core.DecisionApply && d.Result.Accepted != nil && *d.Result.Accepted {
			p.apply = &sd
		} else {
			p.ds = append(p.ds, sd)
		}
		return nil
	}
	if err := r.st.AddDecisions(context.WithoutCancel(ctx), []store.Decision{sd}); err != nil {
		return err
	}
	r.m.decisions.Inc()
	return nil
}

// storeDecision is the library's record in the store's columns.
func storeDecision(d core.Decision) (store.Decision, error) {
	facts, err := json.Marshal(d.Facts)
	if err != nil {
		return store.Decision{}, err
	}
	unknown, err := json.Marshal(d.Unknown)
	if err != nil {
		return store.Decision{}, err
	}
	res, err := json.Marshal(d.Result)
	if err != nil {
		return store.Decision{}, err
	}
	return store.Decision{ID: d.ID, Time: d.Time.UTC(), Kind: string(d.Kind), PlanID: d.Plan.ID, Revision: d.Plan.Revision, PlanHash: d.Plan.Hash,
		Principal: d.Principal, Incident: d.Incident, Facts: facts, Unknown: unknown, Result: res}, nil
}

// flush stores what the request has decided so far, durably; an error
// means the decisions are not recorded and must not be given.
func (s *Server) flush(ctx context.Context, p *pending) error {
	ds := p.take()
	if len(ds) == 0 {
		return nil
	}
	if err := s.st.AddDecisions(context.WithoutCancel(ctx), ds); err != nil {
		s.log.Error("decision records not stored; the decisions are withheld", "records", len(ds), "err", err)
		return err
	}
	s.m.decisions.Add(float64(len(ds)))
	return nil
}

// notRecorded is the answer when the decision could not be recorded.
func notRecorded(err error) *apiError {
	return &apiError{status: 503, code: "decision.not-recorded",
		msg: "the decision could not be recorded, so it is not given: " + err.Error()}
}

// decisionView is one record of GET /v1/decisions: the library's decision
// record (yingji.Decision) with its place in the record order and, for an
// accepted event, its place in the incident's log.
type decisionView struct {
	Seq       int64           `json:"seq"`
	ID        string          `json:"decisionId"`
	Kind      string          `json:"kind"`
	Time      time.Time       `json:"time"`
	Plan      core.PlanRef    `json:"plan"`
	Principal string          `json:"principal"`
	Incident  string          `json:"incident,omitempty"`
	Facts     json.RawMessage `json:"facts"`
	Unknown   json.RawMessage `json:"unknown"`
	Result    json.RawMessage `json:"result"`
	LogSeq    int64           `json:"logSeq,omitempty"`
	// Drill marks a record made for a drill (演练) incident: an event
	// posted to it or its migration.
	Drill bool `json:"drill"`
}

func viewDecision(d store.Decision) decisionView {
	return decisionView{Seq: d.Seq, ID: d.ID, Kind: d.Kind, Time: d.Time, Plan: core.PlanRef{ID: d.PlanID, Revision: d.Revision, Hash: d.PlanHash},
		Principal: d.Principal, Incident: d.Incident, Facts: d.Facts, Unknown: d.Unknown, Result: d.Result, LogSeq: d.LogSeq, Drill: d.Drill}
}

// decisionKinds are the kinds ?kind= takes, with the names the first
// version of the API used for two of them.
var decisionKinds = map[string]string{
	"classify": "classify", "roster": "roster", "apply": "apply", "migrate": "migrate",
	"grade": "classify", "event": "apply",
}

// newDecisionID makes a decision record's id: 32 hex digits like the
// library's own, but in time order — 48 bits of Unix milliseconds, then
// 80 random bits — so that a record lands at the end of the id index
// instead of on a random page of it (fewer pages written per commit).
func newDecisionID() string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(time.Now().UnixMilli())<<16)
	_, _ = rand.Read(b[6:])
	return hex.EncodeToString(b[:])
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
