package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"

	"github.com/yingji/yingji/server/internal/core"
	"github.com/yingji/yingji/server/internal/store"
)

// Plans is the library's engine (core.Engine: the plan served, swapped
// atomically, its status, the plans kept by hash) tied to the database:
// every plan served is stored by content hash and published, so that every
// node serves it and an incident keeps the revision it started under
// across restarts. The served plan changes by a reload (folder change,
// SIGHUP, POST /v1/reload) or by adopting what another node published.
//
// Plans is safe for concurrent use: a request takes one *core.Plan and
// uses it to the end, so every answer comes wholly from one revision.
type Plans struct {
	st     store.Store
	source string // an embedded plan id or a folder
	log    *slog.Logger
	m      *metrics
	eng    *core.Engine

	adopted atomic.Int64 // the publication generation served
	stored  sync.Map     // hash → struct{}: bundles known to be in the store

	rl      sync.Mutex // serialises reloads and adoptions
	mu      sync.Mutex // guards what follows
	trigger string     // what started the last reload
	pubErr  string     // why the last reload's plan could not be stored or published
}

func newPlans(ctx context.Context, st store.Store, source string, log *slog.Logger, m *metrics, o core.Options) (*Plans, error) {
	eng, err := core.NewEngine(source, o)
	if err != nil {
		return nil, fmt.Errorf("the plan %q does not load:\n%s", source, core.RenderLoadError(err))
	}
	p := &Plans{st: st, source: source, log: log, m: m, eng: eng}
	if err := p.publish(ctx, eng.Current()); err != nil {
		return nil, err
	}
	m.planInfo(eng.Current())
	return p, nil
}

// Current is the plan served for new incidents, grading and rosters.
func (p *Plans) Current() *core.Plan { return p.eng.Current() }

// Engine is the engine the plans are served by.
func (p *Plans) Engine() *core.Engine { return p.eng }

// IsDir reports whether the source is a folder (and so can be watched).
func (p *Plans) IsDir() bool {
	st, err := os.Stat(p.source)
	return p.source != "" && err == nil && st.IsDir()
}

// ensureStored stores pl's bundle unless it is known to be stored: an
// incident refers to its plan by hash, so the bundle must be in the
// database before the first incident under it is.
func (p *Plans) ensureStored(ctx context.Context, pl *core.Plan) error {
	if _, ok := p.stored.Load(pl.Hash()); ok {
		return nil
	}
	if err := p.st.PutBundle(ctx, store.Bundle{Hash: pl.Hash(), PlanID: pl.ID(), Revision: pl.Revision(), Files: pl.Files()}); err != nil {
		return fmt.Errorf("storing the plan bundle: %w", err)
	}
	p.stored.Store(pl.Hash(), struct{}{})
	return nil
}

// publish stores pl's bundle and makes it the plan every node serves.
func (p *Plans) publish(ctx context.Context, pl *core.Plan) error {
	if err := p.ensureStored(ctx, pl); err != nil {
		return err
	}
	gen, err := p.st.Publish(ctx, pl.Hash())
	if err != nil {
		return fmt.Errorf("publishing the plan: %w", err)
	}
	p.adopted.Store(max(p.adopted.Load(), gen))
	return nil
}

// Get returns the plan with the given hash: one the engine holds, or the
// stored bundle loaded with the engine's options.
func (p *Plans) Get(ctx context.Context, hash string) (*core.Plan, error) {
	if pl, ok := p.eng.Plan(hash); ok {
		return pl, nil
	}
	b, err := p.st.Bundle(ctx, hash)
	if err != nil {
		return nil, fmt.Errorf("plan bundle %s: %w", hash, err)
	}
	pl, err := p.eng.LoadBundle(hash, b.Files)
	if err != nil {
		return nil, fmt.Errorf("stored plan bundle %s does not load: %w", hash, err)
	}
	p.stored.Store(hash, struct{}{})
	return pl, nil
}

// errNotReloadable is the answer to a reload of an embedded plan.
var errNotReloadable = errors.New("the served plan is embedded in the binary; start with --plan DIR to reload from a folder")

// errPublish marks a reload whose plan loaded but could not be stored or
// published: the previous plan serves again.
var errPublish = errors.New("the reloaded plan could not be stored")

// Reload loads the source folder again (core.Engine.Reload). A plan that
// does not load changes nothing: the old plan keeps serving and the
// engine's status, the log and the metrics say why. A plan that loads is
// stored by hash and published to every node.
func (p *Plans) Reload(ctx context.Context, trigger string) error {
	if !p.IsDir() {
		return errNotReloadable
	}
	p.rl.Lock()
	defer p.rl.Unlock()
	p.note(trigger, "")
	old := p.eng.Current()
	pl, err := p.eng.Reload(p.source)
	if err != nil {
		p.m.reloads.WithLabelValues("failed").Inc()
		p.log.Error("reload failed; the previous plan keeps serving", "trigger", trigger, "source", p.source,
			"problems", len(core.ProblemsOf(err)), "diagnostics", core.RenderLoadError(err))
		return err
	}
	if pl.Hash() != old.Hash() {
		if err := p.publish(ctx, pl); err != nil {
			// Serve the plan that is stored: an incident under one that
			// is not could not be written.
			p.eng.Swap(old)
			p.note(trigger, err.Error())
			p.m.reloads.WithLabelValues("failed").Inc()
			p.log.Error("reload failed: the plan loaded but could not be stored; the previous plan keeps serving", "trigger", trigger, "err", err)
			return fmt.Errorf("%w: %v", errPublish, err)
		}
		p.m.planInfo(pl)
	}
	p.m.reloads.WithLabelValues("ok").Inc()
	p.log.Info("plan reloaded", "trigger", trigger, "plan", pl.ID(), "revision", pl.Revision(), "hash", pl.Hash(), "changed", pl.Hash() != old.Hash())
	return nil
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
	p.rl.Lock()
	defer p.rl.Unlock()
	if gen <= p.adopted.Load() {
		return nil
	}
	if p.eng.Current().Hash() != hash {
		p.log.Info("serving the plan another node published", "plan", pl.ID(), "revision", pl.Revision(), "hash", hash, "generation", gen)
		p.eng.Swap(pl)
		p.m.planInfo(pl)
	}
	p.adopted.Store(gen)
	return nil
}

func (p *Plans) note(trigger, pubErr string) {
	p.mu.Lock()
	p.trigger, p.pubErr = trigger, pubErr
	p.mu.Unlock()
}

// Status is what /v1/status shows: the library engine's status (the plan
// served, when it was loaded, the last reload attempt and its diagnostics,
// the plans kept by hash) and what the server adds to it.
type Status struct {
	core.Status
	// Generation is the publication served (it grows with each plan any
	// node publishes).
	Generation int64  `json:"generation"`
	Source     string `json:"source"`
	Watched    bool   `json:"watched"`
	// LastTrigger is what started the last reload: watch, sighup or api.
	LastTrigger string `json:"lastTrigger,omitempty"`
	// PublishError is why the last reload's plan, though it loaded, could
	// not be stored or published (the previous plan serves again).
	PublishError string `json:"publishError,omitempty"`
}

// Status reports what is served and how the last reload went.
func (p *Plans) Status() Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	return Status{Status: p.eng.Status(), Generation: p.adopted.Load(), Source: p.source, Watched: p.IsDir(),
		LastTrigger: p.trigger, PublishError: p.pubErr}
}
