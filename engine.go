package yingji

import (
	"context"
	"errors"
	"io/fs"
	"sync/atomic"

	"github.com/yingji/yingji/grading"
)

// Engine serves one plan at a time and swaps in a new one atomically. A
// reload that does not load cleanly changes nothing: the engine keeps
// serving the plan it had and the reload returns the diagnostics.
//
// An Engine is safe for concurrent use: any number of goroutines may
// classify while another reloads. Each call works on one whole plan; a
// Result refers to the plan that produced it, never to a mix.
type Engine struct {
	cur atomic.Pointer[Plan]
}

// NewEngine returns an engine serving p, which must not be nil.
func NewEngine(p *Plan) *Engine {
	if p == nil {
		panic("yingji: NewEngine(nil)")
	}
	e := &Engine{}
	e.cur.Store(p)
	return e
}

// Plan returns the plan being served. Use the returned plan for a sequence
// of related calls, so that all of them see the same rules.
func (e *Engine) Plan() *Plan { return e.cur.Load() }

// Reload loads the plan in fsys and, only if it loads cleanly, swaps it in.
// It returns the new plan, or the *LoadError (the old plan still serving).
func (e *Engine) Reload(fsys fs.FS) (*Plan, error) {
	p, err := Load(fsys)
	if err != nil {
		return nil, err
	}
	e.cur.Store(p)
	return p, nil
}

// Swap serves p from now on and returns the plan it replaces.
func (e *Engine) Swap(p *Plan) *Plan {
	if p == nil {
		panic("yingji: Engine.Swap(nil)")
	}
	return e.cur.Swap(p)
}

// ErrNoGrading is returned when the served plan has no grading rules.
var ErrNoGrading = errors.New("yingji: the plan has no grading rules")

// ClassifyJSON grades one incident given as a JSON object (the input
// contract: deaths, missing, directLoss …) with the plan being served.
// Lists (industries, localities) are checked against the plan's orgchart.
func (e *Engine) ClassifyJSON(ctx context.Context, incident []byte) (grading.Result, error) {
	p := e.Plan()
	inc, err := p.ParseIncident(incident)
	if err != nil {
		return grading.Result{}, err
	}
	return p.Grading.Classify(ctx, inc)
}
