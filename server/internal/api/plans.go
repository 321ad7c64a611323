package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yingji/yingji/server/internal/core"
	"github.com/yingji/yingji/server/internal/store"
)

// Plans holds the plan being served and every plan an incident refers to,
// by content hash. The served plan changes by a reload (folder change,
// SIGHUP, POST /v1/reload), which stores the bundle and publishes it in
// the database, or by adopting what another node published.
//
// Plans is safe for concurrent use: a request takes one *core.Plan and
// uses it to the end, so every answer comes wholly from one revision.
type Plans struct {
	st     store.Store
	source string // an embedded plan id or a folder
	log    *slog.Logger
	now    func() time.Time
	m      *metrics

	cur     atomic.Pointer[core.Plan]
	adopted atomic.Int64 // the publication generation served

	mu       sync.Mutex // serialises reloads and guards the fields below
	byHash   map[string]*core.Plan
	loadedAt time.Time
	last     *ReloadStatus
}

// ReloadStatus is the outcome of the last reload attempt.
type ReloadStatus struct {
	At       time.Time      `json:"at"`
	Trigger  string         `json:"trigger"`
	OK       bool           `json:"ok"`
	Hash     string         `json:"hash,omitempty"`
	Changed  bool           `json:"changed"`
	Problems []core.Problem `json:"problems"`
	Message  string         `json:"message,omitempty"`
}

func newPlans(ctx context.Context, st store.Store, source string, log *slog.Logger, now func() time.Time, m *metrics) (*Plans, error) {
	p := &Plans{st: st, source: source, log: log, now: now, m: m, byHash: map[string]*core.Plan{}}
	pl, err := core.LoadSpec(source)
	if err != nil {
		return nil, fmt.Errorf("the plan %q does not load:\n%s", source, core.RenderLoadError(err))
	}
	if err := p.publish(ctx, pl); err != nil {
		return nil, err
	}
	return p, nil
}

// Current is the plan served for new incidents, grading and rosters.
func (p *Plans) Current() *core.Plan { return p.cur.Load() }

// IsDir reports whether the source is a folder (and so can be watched).
func (p *Plans) IsDir() bool {
	st, err := os.Stat(p.source)
	return p.source != "" && err == nil && st.IsDir()
}

// publish stores pl's bundle, makes it the published plan and serves it.
func (p *Plans) publish(ctx context.Context, pl *core.Plan) error {
	if err := p.st.PutBundle(ctx, store.Bundle{Hash: pl.Hash(), PlanID: pl.ID(), Revision: pl.Revision(), Files: pl.Files()}); err != nil {
		return fmt.Errorf("storing the plan bundle: %w", err)
	}
	gen, err := p.st.Publish(ctx, pl.Hash())
	if err != nil {
		return fmt.Errorf("publishing the plan: %w", err)
	}
	p.mu.Lock()
	p.byHash[pl.Hash()] = pl
	p.mu.Unlock()
	p.serve(pl, gen)
	return nil
}

func (p *Plans) serve(pl *core.Plan, gen int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if gen < p.adopted.Load() {
		return
	}
	p.adopted.Store(gen)
	if old := p.cur.Load(); old == nil || old.Hash() != pl.Hash() {
		p.loadedAt = p.now()
	}
	p.cur.Store(pl)
	p.m.planInfo(pl)
}

// Get returns the plan with the given hash, from memory or from the
// stored bundle.
func (p *Plans) Get(ctx context.Context, hash string) (*core.Plan, error) {
	p.mu.Lock()
	pl := p.byHash[hash]
	p.mu.Unlock()
	if pl != nil {
		return pl, nil
	}
	b, err := p.st.Bundle(ctx, hash)
	if err != nil {
		return nil, fmt.Errorf("plan bundle %s: %w", hash, err)
	}
	pl, err = core.LoadBundle(b.Files)
	if err != nil {
		return nil, fmt.Errorf("stored plan bundle %s does not load: %w", hash, err)
	}
	if pl.Hash() != hash {
		return nil, fmt.Errorf("stored plan bundle %s loads with hash %s", hash, pl.Hash())
	}
	p.mu.Lock()
	if have := p.byHash[hash]; have != nil {
		pl = have
	} else {
		p.byHash[hash] = pl
	}
	p.mu.Unlock()
	return pl, nil
}

// errNotReloadable is the answer to a reload of an embedded plan.
var errNotReloadable = errors.New("the served plan is embedded in the binary; start with --plan DIR to reload from a folder")

// Reload loads the source folder again. A plan that does not load changes
// nothing: the old plan keeps serving and the status, the log and the
// metrics say why.
func (p *Plans) Reload(ctx context.Context, trigger string) (ReloadStatus, error) {
	st := ReloadStatus{At: p.now(), Trigger: trigger, Problems: []core.Problem{}}
	if !p.IsDir() {
		st.Message = errNotReloadable.Error()
		return st, errNotReloadable
	}
	pl, err := core.LoadDir(p.source)
	if err != nil {
		st.Problems = core.ProblemsOf(err)
		st.Message = core.RenderLoadError(err)
		p.record(st)
		p.m.reloads.WithLabelValues("failed").Inc()
		p.log.Error("reload failed; the previous plan keeps serving", "trigger", trigger, "source", p.source, "problems", len(st.Problems), "diagnostics", st.Message)
		return st, err
	}
	st.OK, st.Hash = true, pl.Hash()
	st.Changed = p.Current().Hash() != pl.Hash()
	if st.Changed {
		if err := p.publish(ctx, pl); err != nil {
			st.OK, st.Message = false, err.Error()
			st.Problems = []core.Problem{{Code: "store.error", Message: err.Error()}}
			p.record(st)
			p.m.reloads.WithLabelValues("failed").Inc()
			p.log.Error("reload failed", "trigger", trigger, "err", err)
			return st, err
		}
	}
	p.record(st)
	p.m.reloads.WithLabelValues("ok").Inc()
	p.log.Info("plan reloaded", "trigger", trigger, "plan", pl.ID(), "revision", pl.Revision(), "hash", pl.Hash(), "changed", st.Changed)
	return st, nil
}

func (p *Plans) record(st ReloadStatus) {
	p.mu.Lock()
	p.last = &st
	p.mu.Unlock()
}

// Adopt serves the plan published in the database if it is newer than
// the one served (another node reloaded).
func (p *Plans) Adopt(ctx context.Context) error {
	hash, gen, err := p.st.Current(ctx)
	if err != nil {
		return err
	}
	if gen <= p.adopted.Load() {
		return nil
	}
	pl, err := p.Get(ctx, hash)
	if err != nil {
		return err
	}
	if p.Current().Hash() != hash {
		p.log.Info("serving the plan another node published", "plan", pl.ID(), "revision", pl.Revision(), "hash", hash, "generation", gen)
	}
	p.serve(pl, gen)
	return nil
}

// Status is the engine status /v1/status shows.
type Status struct {
	Plan       string        `json:"plan"`
	Title      string        `json:"title"`
	Revision   string        `json:"revision"`
	Hash       string        `json:"hash"`
	LoadedAt   time.Time     `json:"loadedAt"`
	Generation int64         `json:"generation"`
	Source     string        `json:"source"`
	Watched    bool          `json:"watched"`
	LastReload *ReloadStatus `json:"lastReload"`
}

// Status reports what is served and how the last reload went.
//
// Gap: issue 9 §6 gives the library an Engine.Status; the server keeps
// its own until it lands, since it also publishes through the database.
func (p *Plans) Status() Status {
	pl := p.Current()
	p.mu.Lock()
	defer p.mu.Unlock()
	return Status{Plan: pl.ID(), Title: pl.Title(), Revision: pl.Revision(), Hash: pl.Hash(), LoadedAt: p.loadedAt,
		Generation: p.adopted.Load(), Source: p.source, Watched: p.IsDir(), LastReload: p.last}
}
