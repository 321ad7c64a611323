// Package core is the server's one door into the yingji library. Every call
// the server makes into github.com/yingji/yingji goes through this package,
// so a change of the library's public API is absorbed here and nowhere else.
//
// The server answers with what the library gives: its results, its roster,
// its decision records, its engine status, its migration report and the
// stable codes of its errors (diag.ProblemsOf). This package adds only what
// an HTTP service needs around them: the bytes of a plan's files (a bundle,
// stored by content hash), plans loaded back from stored bundles, and the
// HTTP status of each code.
//
// A *Plan is immutable once loaded and safe for concurrent use by any number
// of goroutines, as the library's plan is; an *Engine is safe for concurrent
// use, as the library's engine is.
package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"sync"
	"testing/fstest"
	"time"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/workflow"
)

// The library's value types, named here so that the rest of the server
// refers to the library only through this package.
type (
	Instance   = workflow.Instance
	Event      = workflow.Event
	Effects    = workflow.Effects
	Deadline   = workflow.Deadline
	Task       = workflow.Task
	PlanRef    = workflow.PlanRef
	Flag       = workflow.Flag
	Time       = workflow.Time
	Decision   = yingji.Decision
	Status     = yingji.Status
	Migration  = yingji.Migration
	Divergence = yingji.Divergence
)

// DecisionSink receives the library's decision records.
type DecisionSink = yingji.DecisionSink

// The kinds of decision records the library makes.
const (
	DecisionClassify = yingji.DecisionClassify
	DecisionRoster   = yingji.DecisionRoster
	DecisionApply    = yingji.DecisionApply
)

// ErrDecisionNotRecorded is wrapped by the error of a call whose decision
// the sink could not record: the decision is not given.
var ErrDecisionNotRecorded = yingji.ErrDecisionNotRecorded

// WithPrincipal names who is asking, for the decision records of the calls
// made with ctx (a token's name, never the token).
func WithPrincipal(ctx context.Context, principal string) context.Context {
	return yingji.WithPrincipal(ctx, principal)
}

// DefaultPlan is the id of the plan served when none is named.
const DefaultPlan = yingji.DefaultPlan

// EmbeddedIDs lists the plans compiled into the binary.
func EmbeddedIDs() []string { return yingji.EmbeddedIDs() }

// Options are what every plan of an engine is loaded with.
type Options struct {
	// Sink receives a decision record for every grade, roster and event;
	// nil records nothing.
	Sink DecisionSink
	// Now stamps decision records and the engine's status; time.Now if nil.
	Now func() time.Time
	// DecisionIDs makes the decision records' ids; the library's (128
	// random bits) if nil.
	DecisionIDs func() string
}

func (o Options) library() []yingji.Option {
	var opts []yingji.Option
	if o.Sink != nil {
		opts = append(opts, yingji.WithDecisionSink(o.Sink))
	}
	if o.Now != nil {
		opts = append(opts, yingji.WithClock(o.Now))
	}
	if o.DecisionIDs != nil {
		opts = append(opts, yingji.WithDecisionIDs(o.DecisionIDs))
	}
	return opts
}

// Plan is one loaded plan with the exact bytes of the files it was loaded
// from (its bundle), so it can be stored by content hash and loaded again
// with the same hash after a restart.
type Plan struct {
	p     *yingji.Plan
	enc   *grading.JSONEncoder
	files map[string][]byte
}

func wrap(p *yingji.Plan) *Plan {
	pl := &Plan{p: p, files: maps.Clone(map[string][]byte(p.Sources))}
	if pl.files == nil {
		pl.files = map[string][]byte{}
	}
	if p.Grading != nil {
		pl.enc = grading.NewJSONEncoder(p.Grading)
	}
	return pl
}

// RenderLoadError renders a plan that did not load with its source lines.
func RenderLoadError(err error) string {
	var le *yingji.LoadError
	if errors.As(err, &le) {
		return le.Render()
	}
	return err.Error()
}

// ID, Revision, Title and Hash identify the plan.
func (p *Plan) ID() string       { return p.p.ID() }
func (p *Plan) Revision() string { return p.p.Manifest.Revision }
func (p *Plan) Title() string    { return p.p.Manifest.Title }
func (p *Plan) Hash() string     { return p.p.Hash }

// Ref names the plan as a workflow instance records it.
func (p *Plan) Ref() PlanRef { return PlanRef{ID: p.ID(), Revision: p.Revision(), Hash: p.Hash()} }

// Files returns the bundle: every file the plan was loaded from, by name.
// The map is shared; do not modify it.
func (p *Plan) Files() map[string][]byte { return p.files }

// HasWorkflow reports whether the plan declares a response process.
func (p *Plan) HasWorkflow() bool { return p.p.Workflow != nil }

// Grade grades one incident given as a JSON object (Plan.ClassifyJSON:
// strict, its lists checked against the orgchart, its decision recorded)
// and appends the result, exactly as `yingji grade --json` renders it
// (compact), to dst.
func (p *Plan) Grade(ctx context.Context, incident []byte, dst []byte) ([]byte, error) {
	res, err := p.p.ClassifyJSON(ctx, incident)
	if err != nil {
		return dst, err
	}
	return p.enc.Append(dst, &res)
}

// RosterRequest is the body of POST /v1/roster: a response level as
// people write it (Ⅲ, III, 3, 三级, Ⅲ级应急响应, or the grade 较大 that
// starts it), or an incident to grade first; and the incident's industries
// and localities (ids, names or aliases).
type RosterRequest struct {
	Incident   json.RawMessage `json:"incident,omitempty"`
	Level      *string         `json:"level,omitempty"`
	Industries []string        `json:"industries,omitempty"`
	Localities []string        `json:"localities,omitempty"`
}

// Roster builds the roster `yingji roster --json` prints: for the level
// given (Plan.Roster), or for the grade of the incident given (Plan.Assess,
// with the request's industries and localities added to the incident's).
// Both record their decisions.
func (p *Plan) Roster(ctx context.Context, req RosterRequest) ([]byte, error) {
	if req.Incident == nil || req.Level != nil {
		level := ""
		if req.Level != nil {
			level = *req.Level
		}
		r, err := p.p.Roster(ctx, level, req.Industries, req.Localities)
		if err != nil {
			return nil, err
		}
		return json.Marshal(r)
	}
	inc, err := p.p.ParseIncident(req.Incident)
	if err != nil {
		return nil, err
	}
	if p.p.Orgchart == nil {
		return nil, &codedError{code: yingji.CodeNoOrgchart, err: yingji.ErrNoOrgchart}
	}
	for _, in := range p.p.Grading.Inputs() {
		var more []string
		switch in.Ref {
		case "industries":
			more = req.Industries
		case "localities":
			more = req.Localities
		}
		if len(more) == 0 {
			continue
		}
		var have []string
		if v, ok := inc.Value(in.ID); ok {
			have = v.([]string)
		}
		if err := inc.Set(in.ID, dedupe(append(slices.Clone(have), more...))); err != nil {
			return nil, err
		}
	}
	a, err := p.p.Assess(ctx, inc)
	if err != nil {
		return nil, err
	}
	if a.Roster == nil {
		return nil, &codedError{code: grading.CodeLevelUnknown, field: "incident",
			err: errors.New("yingji: the incident grades to no level with a response level, so it has no roster")}
	}
	return json.Marshal(a.Roster)
}

func dedupe(s []string) []string {
	out := s[:0]
	seen := map[string]bool{}
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// Start returns a new, empty instance under this plan.
func (p *Plan) Start(id string) (Instance, error) { return p.p.Start(id) }

// Apply applies one event to inst under this plan, all or nothing, and
// records the decision (accepted, or rejected with its code).
func (p *Plan) Apply(ctx context.Context, inst Instance, ev Event) (Instance, Effects, error) {
	return p.p.Apply(ctx, inst, ev)
}

// Replay rebuilds an instance from its stored log under this plan. It
// records no decisions: the events of a stored log were decided when they
// were accepted.
func (p *Plan) Replay(ctx context.Context, id string, log []Event) (Instance, error) {
	if p.p.Workflow == nil {
		_, err := p.p.Start(id)
		return Instance{}, err
	}
	return p.p.Workflow.Replay(ctx, id, log)
}

// Reapply applies an event of the stored log (written by another writer)
// to inst, to bring it up to date. It records no decision, for the same
// reason as Replay.
func (p *Plan) Reapply(ctx context.Context, inst Instance, ev Event) (Instance, error) {
	if p.p.Workflow == nil {
		_, err := p.p.Start(inst.ID)
		return inst, err
	}
	next, _, err := p.p.Workflow.Apply(ctx, inst, ev)
	return next, err
}

// Migrate reports what replaying inst's log under p would change
// (Plan.Migrate) and, when apply is set and p accepts the whole log, gives
// the migrated instance.
func (p *Plan) Migrate(ctx context.Context, inst Instance, apply bool) (Migration, error) {
	ms, err := p.p.Migrate(ctx, []Instance{inst}, apply)
	if err != nil {
		return Migration{}, err
	}
	return ms[0], nil
}

// ResolveActor resolves a unit, placeholder or group by id, name or alias
// to its id, as the workflow does for an event's actor.
func (p *Plan) ResolveActor(key string) (string, bool) {
	c := p.p.Orgchart
	if c == nil {
		return "", false
	}
	if u, ok := c.Unit(key); ok {
		return u.ID, true
	}
	if ph, ok := c.Placeholder(key); ok {
		return ph.ID, true
	}
	if g, ok := c.Group(key); ok {
		return g.ID, true
	}
	return "", false
}

// ActorName is the display name of an actor id ("" if unknown).
func (p *Plan) ActorName(id string) string {
	c := p.p.Orgchart
	if c == nil {
		return ""
	}
	if u, ok := c.Unit(id); ok {
		return u.Name
	}
	if ph, ok := c.Placeholder(id); ok {
		return ph.Name
	}
	if g, ok := c.Group(id); ok {
		return g.Name
	}
	return ""
}

// Final reports whether phase is a final phase of the plan's workflow.
func (p *Plan) Final(phase string) bool {
	if p.p.Workflow == nil {
		return false
	}
	ph, ok := p.p.Workflow.Phase(phase)
	return ok && ph.Final
}

// PhaseName is the display name of a phase.
func (p *Plan) PhaseName(phase string) string {
	if p.p.Workflow == nil {
		return ""
	}
	if ph, ok := p.p.Workflow.Phase(phase); ok {
		return ph.Name
	}
	return ""
}

// Due lists the overdue tasks of inst at now (the server's clock).
func Due(inst Instance, now time.Time) []Deadline { return workflow.Due(inst, now) }

// TimeOf is the workflow Time of t.
func TimeOf(t time.Time) Time { return workflow.TimeOf(t) }

// DecodeEvent decodes one event envelope strictly.
func DecodeEvent(b []byte) (Event, error) {
	var ev Event
	if err := json.Unmarshal(b, &ev); err != nil {
		return Event{}, err
	}
	return ev, nil
}

// Engine is the library's engine (yingji.Engine: the plan served, swapped
// atomically on reload, earlier plans kept by hash, its status) plus the
// plans the server loads back from stored bundles for incidents started
// under revisions this process never served.
type Engine struct {
	e    *yingji.Engine
	opts []yingji.Option

	mu      sync.Mutex
	wrapped map[*yingji.Plan]*Plan // one *Plan per library plan
	bundles map[string]*Plan       // loaded from stored bundles, by hash
}

// NewEngine loads spec — an embedded plan id, or a plan folder (read with
// yingji.LoadDir) — and serves it.
func NewEngine(spec string, o Options) (*Engine, error) {
	if spec == "" {
		spec = DefaultPlan
	}
	opts := o.library()
	var p *yingji.Plan
	var err error
	if st, serr := os.Stat(spec); slices.Contains(EmbeddedIDs(), spec) && (serr != nil || !st.IsDir()) {
		p, err = yingji.Embedded(spec, opts...)
	} else {
		p, err = yingji.LoadDir(spec, opts...)
	}
	if err != nil {
		return nil, err
	}
	return &Engine{e: yingji.NewEngine(p), opts: opts, wrapped: map[*yingji.Plan]*Plan{}, bundles: map[string]*Plan{}}, nil
}

func (e *Engine) wrap(p *yingji.Plan) *Plan {
	e.mu.Lock()
	defer e.mu.Unlock()
	w := e.wrapped[p]
	if w == nil {
		w = wrap(p)
		e.wrapped[p] = w
	}
	return w
}

// Current is the plan being served.
func (e *Engine) Current() *Plan { return e.wrap(e.e.Plan()) }

// Plan returns a plan by content hash: one the engine has served, or one
// loaded from a stored bundle.
func (e *Engine) Plan(hash string) (*Plan, bool) {
	if p, ok := e.e.PlanByHash(hash); ok {
		return e.wrap(p), true
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, ok := e.bundles[hash]
	return p, ok
}

// LoadBundle loads a plan from the files of a stored bundle, with the
// engine's options, and keeps it by hash. The plan is not served.
func (e *Engine) LoadBundle(hash string, files map[string][]byte) (*Plan, error) {
	if p, ok := e.Plan(hash); ok {
		return p, nil
	}
	m := fstest.MapFS{}
	for name, b := range files {
		m[name] = &fstest.MapFile{Data: b, Mode: 0o444}
	}
	lp, err := yingji.Load(m, e.opts...)
	if err != nil {
		return nil, err
	}
	if lp.Hash != hash {
		return nil, fmt.Errorf("the stored plan bundle %s loads with hash %s", hash, lp.Hash)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if have := e.bundles[hash]; have != nil {
		return have, nil
	}
	p := wrap(lp)
	e.bundles[hash] = p
	return p, nil
}

// Reload loads the plan folder dir again (Engine.Reload over the folder
// opened as an os.Root, as yingji.LoadDir reads it) and, if it loads,
// serves it. The status records the attempt either way.
func (e *Engine) Reload(dir string) (*Plan, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("yingji: cannot open plan folder %s: %w", dir, err)
	}
	defer root.Close()
	p, err := e.e.Reload(root.FS())
	if err != nil {
		return nil, err
	}
	return e.wrap(p), nil
}

// Swap serves p (a plan another node published) and returns the plan it
// replaces.
func (e *Engine) Swap(p *Plan) *Plan {
	e.mu.Lock()
	delete(e.bundles, p.Hash()) // the engine keeps it from now on
	e.mu.Unlock()
	return e.wrap(e.e.Swap(p.p))
}

// Status is the library engine's status: the plan served, when it was
// loaded, the last reload attempt with its diagnostics, the plans kept.
func (e *Engine) Status() Status { return e.e.Status() }

// Apply applies ev to inst under the plan the instance was started under
// (Engine.Apply, by its hash), or under the stored bundle of that hash,
// and records the decision.
func (e *Engine) Apply(ctx context.Context, inst Instance, ev Event) (Instance, Effects, error) {
	if _, ok := e.e.PlanByHash(inst.Plan.Hash); ok {
		return e.e.Apply(ctx, inst, ev)
	}
	if p, ok := e.Plan(inst.Plan.Hash); ok {
		return p.Apply(ctx, inst, ev)
	}
	return e.e.Apply(ctx, inst, ev) // the library's plan.unknown-hash
}
