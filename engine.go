package yingji

import (
	"cmp"
	"context"
	"errors"
	"io/fs"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/orgchart"
	"github.com/yingji/yingji/workflow"
)

// Engine serves one plan at a time and swaps in a new one atomically. A
// reload that does not load cleanly changes nothing: the engine keeps
// serving the plan it had, and Status says why the reload failed.
//
// The engine keeps every plan it has served reachable by its content hash
// (PlanByHash) until Forget, so a workflow instance started under an
// earlier revision goes on under that revision until it is explicitly
// migrated (Migrate).
//
// An Engine is safe for concurrent use: any number of goroutines may
// classify, build rosters and apply events while another reloads. Each call
// works on one whole plan; a result refers to the plan that produced it,
// never to a mix.
type Engine struct {
	cur atomic.Pointer[Plan]

	mu     sync.Mutex // guards what follows
	byHash map[string]*Plan
	status Status
}

// Status is what an engine is serving and how its last reload went.
//
// Concurrency: a plain value; Engine.Status returns a copy.
type Status struct {
	Plan  workflow.PlanRef `json:"plan"`
	Title string           `json:"title"`
	// LoadedAt is when the served plan was swapped in, by the plan's clock
	// (WithClock).
	LoadedAt time.Time `json:"loadedAt"`
	// Reloads counts reload attempts, failed ones included.
	Reloads int `json:"reloads"`
	// LastReload is the latest reload attempt; nil before the first.
	LastReload *ReloadAttempt `json:"lastReload,omitempty"`
	// Retained are the plans kept reachable by hash, the served one
	// first.
	Retained []workflow.PlanRef `json:"retained"`
}

// ReloadAttempt is one call of Reload.
//
// Concurrency: a plain value.
type ReloadAttempt struct {
	At time.Time `json:"at"`
	OK bool      `json:"ok"`
	// Plan is the plan loaded, when OK.
	Plan *workflow.PlanRef `json:"plan,omitempty"`
	// Changed is false when the reload loaded the content already served.
	Changed bool `json:"changed"`
	// Diagnostics are why the reload failed: every error of the plan,
	// positioned.
	Diagnostics diag.Diagnostics `json:"diagnostics"`
}

// NewEngine returns an engine serving p, which must not be nil.
func NewEngine(p *Plan) *Engine {
	if p == nil {
		panic("yingji: NewEngine(nil)")
	}
	e := &Engine{byHash: map[string]*Plan{p.Hash: p}}
	e.cur.Store(p)
	e.status = Status{Plan: p.ref(), Title: p.Manifest.Title, LoadedAt: p.cfg.clock()}
	return e
}

// Plan returns the plan being served. Use the returned plan for a sequence
// of related calls, so that all of them see the same rules.
func (e *Engine) Plan() *Plan { return e.cur.Load() }

// PlanByHash returns a plan the engine has served, by content hash.
func (e *Engine) PlanByHash(hash string) (*Plan, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, ok := e.byHash[hash]
	return p, ok
}

// Forget drops a plan kept for instances started under it. The plan being
// served is never dropped.
func (e *Engine) Forget(hash string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if hash != e.cur.Load().Hash {
		delete(e.byHash, hash)
	}
}

// Reload loads the plan in fsys with the options the served plan was
// loaded with and, only if it loads cleanly, swaps it in. It returns the
// new plan, or the *LoadError (the old plan still serving); either way
// Status records the attempt.
func (e *Engine) Reload(fsys fs.FS) (*Plan, error) {
	old := e.cur.Load()
	p, err := load(fsys, old.cfg)
	e.mu.Lock()
	defer e.mu.Unlock()
	at := ReloadAttempt{At: old.cfg.clock(), OK: err == nil, Diagnostics: diag.Diagnostics{}}
	e.status.Reloads++
	if err != nil {
		if le, ok := err.(*LoadError); ok {
			at.Diagnostics = le.Diagnostics.Errors()
		} else {
			at.Diagnostics = diag.Diagnostics{{Severity: diag.Error, Code: diag.CodeInternal, Summary: err.Error()}}
		}
		e.status.LastReload = &at
		return nil, err
	}
	ref := p.ref()
	at.Plan = &ref
	at.Changed = p.Hash != old.Hash
	e.status.LastReload = &at
	if !at.Changed {
		return old, nil
	}
	e.swapLocked(p, at.At)
	return p, nil
}

// Swap serves p from now on and returns the plan it replaces, which stays
// reachable by hash.
func (e *Engine) Swap(p *Plan) *Plan {
	if p == nil {
		panic("yingji: Engine.Swap(nil)")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	old := e.cur.Load()
	e.swapLocked(p, p.cfg.clock())
	return old
}

func (e *Engine) swapLocked(p *Plan, at time.Time) {
	if kept, ok := e.byHash[p.Hash]; ok {
		p = kept // the same content: keep one plan value per hash
	}
	e.byHash[p.Hash] = p
	e.cur.Store(p)
	e.status.Plan, e.status.Title, e.status.LoadedAt = p.ref(), p.Manifest.Title, at
}

// Status reports the plan being served, when it was loaded, the last
// reload attempt and the plans kept by hash.
func (e *Engine) Status() Status {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.status
	if s.LastReload != nil {
		lr := *s.LastReload
		s.LastReload = &lr
	}
	cur := e.cur.Load()
	s.Retained = []workflow.PlanRef{cur.ref()}
	var others []*Plan
	for h, p := range e.byHash {
		if h != cur.Hash {
			others = append(others, p)
		}
	}
	slices.SortFunc(others, func(a, b *Plan) int { return compareRefs(a.ref(), b.ref()) })
	for _, p := range others {
		s.Retained = append(s.Retained, p.ref())
	}
	return s
}

func compareRefs(a, b workflow.PlanRef) int {
	return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Revision, b.Revision), cmp.Compare(a.Hash, b.Hash))
}

// ErrNoGrading is returned when the served plan has no grading rules.
var ErrNoGrading = errors.New("yingji: the plan has no grading rules")

// Classify grades inc with the plan being served; see Plan.Classify.
func (e *Engine) Classify(ctx context.Context, inc grading.Incident) (grading.Result, error) {
	return e.Plan().Classify(ctx, inc)
}

// ClassifyJSON grades one incident given as a JSON object with the plan
// being served; see Plan.ClassifyJSON.
func (e *Engine) ClassifyJSON(ctx context.Context, incident []byte) (grading.Result, error) {
	return e.Plan().ClassifyJSON(ctx, incident)
}

// Assess grades inc and builds its roster with the plan being served; see
// Plan.Assess.
func (e *Engine) Assess(ctx context.Context, inc grading.Incident) (Assessment, error) {
	return e.Plan().Assess(ctx, inc)
}

// Roster builds a roster with the plan being served; see Plan.Roster.
func (e *Engine) Roster(ctx context.Context, level string, industries, localities []string) (orgchart.Roster, error) {
	return e.Plan().Roster(ctx, level, industries, localities)
}

// Start starts a workflow instance under the plan being served.
func (e *Engine) Start(id string) (workflow.Instance, error) {
	return e.Plan().Start(id)
}

// Apply applies ev to inst under the plan the instance was started under
// (by its hash), not necessarily the one being served: a reload never
// changes a live instance. An instance of a plan the engine does not hold
// (Forget, or another engine's) is an error with code plan.unknown-hash.
func (e *Engine) Apply(ctx context.Context, inst workflow.Instance, ev workflow.Event) (workflow.Instance, workflow.Effects, error) {
	p, ok := e.PlanByHash(inst.Plan.Hash)
	if !ok {
		return inst, workflow.Effects{}, &UnknownPlanError{Plan: inst.Plan}
	}
	return p.Apply(ctx, inst, ev)
}
