// Package core is the server's one door into the yingji library. Every call
// the server makes into github.com/yingji/yingji goes through this package,
// so a change of the library's public API is absorbed here and nowhere else.
//
// A *Plan is immutable once loaded and safe for concurrent use by any number
// of goroutines, as the library's plan is.
package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing/fstest"
	"time"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/orgchart"
	"github.com/yingji/yingji/workflow"
)

// The workflow's value types, named here so that the rest of the server
// refers to the library only through this package.
type (
	Instance = workflow.Instance
	Event    = workflow.Event
	Effects  = workflow.Effects
	Deadline = workflow.Deadline
	Task     = workflow.Task
	PlanRef  = workflow.PlanRef
)

// DefaultPlan is the id of the plan served when none is named.
const DefaultPlan = yingji.DefaultPlan

// EmbeddedIDs lists the plans compiled into the binary.
func EmbeddedIDs() []string { return yingji.EmbeddedIDs() }

// Plan is one loaded plan with the exact bytes of the files it was loaded
// from (its bundle), so it can be stored by content hash and loaded again
// with the same hash after a restart.
type Plan struct {
	p     *yingji.Plan
	enc   *grading.JSONEncoder
	files map[string][]byte
}

// LoadDir loads a plan folder from disk.
func LoadDir(dir string) (*Plan, error) { return load(os.DirFS(dir)) }

// LoadEmbedded loads a plan compiled into the binary.
func LoadEmbedded(id string) (*Plan, error) {
	p, err := yingji.Embedded(id)
	if err != nil {
		return nil, err
	}
	return wrap(p), nil
}

// LoadSpec loads an embedded plan by id, or a folder when spec names one.
func LoadSpec(spec string) (*Plan, error) {
	if spec == "" {
		spec = DefaultPlan
	}
	if slices.Contains(EmbeddedIDs(), spec) {
		if st, err := os.Stat(spec); err != nil || !st.IsDir() {
			return LoadEmbedded(spec)
		}
	}
	return LoadDir(spec)
}

// LoadBundle loads a plan from the files of a stored bundle.
func LoadBundle(files map[string][]byte) (*Plan, error) {
	m := fstest.MapFS{}
	for name, b := range files {
		m[name] = &fstest.MapFile{Data: b, Mode: 0o444}
	}
	return load(m)
}

func load(fsys fs.FS) (*Plan, error) {
	p, err := yingji.Load(fsys)
	if err != nil {
		return nil, err
	}
	return wrap(p), nil
}

func wrap(p *yingji.Plan) *Plan {
	pl := &Plan{p: p, files: map[string][]byte{}}
	for name, b := range p.Sources {
		pl.files[name] = b
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

// Summary is the part of an answer a decision record keeps.
type Summary struct {
	Level       string   `json:"level,omitempty"`
	Response    string   `json:"response,omitempty"`
	Clauses     []string `json:"clauses,omitempty"`
	Provisional bool     `json:"provisional,omitempty"`
	InScope     *bool    `json:"inScope,omitempty"`
	Phase       string   `json:"phase,omitempty"`
	Rejection   string   `json:"rejection,omitempty"`
	Guard       string   `json:"guard,omitempty"`
}

// ErrNoGrading is returned by Grade for a plan without grading rules.
var ErrNoGrading = yingji.ErrNoGrading

// Grade grades one incident given as a JSON object and appends the result,
// exactly as `yingji grade --json` renders it (compact), to dst.
func (p *Plan) Grade(ctx context.Context, incident []byte, dst []byte) ([]byte, Summary, error) {
	if p.p.Grading == nil {
		return dst, Summary{}, ErrNoGrading
	}
	inc, err := p.p.ParseIncident(incident)
	if err != nil {
		return dst, Summary{}, err
	}
	res, err := p.p.Grading.Classify(ctx, inc)
	if err != nil {
		return dst, Summary{}, err
	}
	out, err := p.enc.Append(dst, &res)
	if err != nil {
		return dst, Summary{}, err
	}
	return out, summarize(&res), nil
}

func summarize(res *grading.Result) Summary {
	var s Summary
	if l, ok := res.Level(); ok {
		s.Level, s.Response = l.ID, l.Response.ID
	}
	for m := range res.Matches() {
		if m.Criterion.Level != nil && m.Criterion.Level.ID == s.Level {
			s.Clauses = append(s.Clauses, m.Criterion.Clause)
			if m.Provisional {
				s.Provisional = true
			}
		}
	}
	in := res.InScope()
	s.InScope = &in
	return s
}

// RosterRequest is the body of POST /v1/roster: an incident to grade first,
// or a level, and the incident's industries and localities.
type RosterRequest struct {
	Incident   json.RawMessage `json:"incident,omitempty"`
	Level      string          `json:"level,omitempty"`
	Industries []string        `json:"industries,omitempty"`
	Localities []string        `json:"localities,omitempty"`
}

// ErrNoOrgchart is returned by Roster for a plan without an orgchart.
var ErrNoOrgchart = errors.New("yingji: the plan has no orgchart")

// ErrRosterLevel is returned by Roster when neither a level nor an
// incident that grades to one with a response level is given.
var ErrRosterLevel = errors.New("yingji: give level, or an incident that grades to a level with a response")

// Roster builds the roster `yingji roster --json` prints: from the level
// given, or from the grade of the incident given.
func (p *Plan) Roster(ctx context.Context, req RosterRequest) ([]byte, Summary, error) {
	chart := p.p.Orgchart
	if chart == nil {
		return nil, Summary{}, ErrNoOrgchart
	}
	act := orgchart.Activation{Industries: slices.Clone(req.Industries), Localities: slices.Clone(req.Localities)}
	var sum Summary
	switch {
	case req.Level != "":
		act.Response = p.responseOf(req.Level)
		sum.Response = act.Response
	case len(req.Incident) > 0:
		if p.p.Grading == nil {
			return nil, Summary{}, ErrNoGrading
		}
		inc, err := p.p.ParseIncident(req.Incident)
		if err != nil {
			return nil, Summary{}, err
		}
		res, err := p.p.Grading.Classify(ctx, inc)
		if err != nil {
			return nil, Summary{}, err
		}
		sum = summarize(&res)
		if sum.Response == "" {
			return nil, sum, ErrRosterLevel
		}
		act.Response = sum.Response
		for _, l := range inc.Lists() {
			switch l.Input {
			case "industries":
				act.Industries = append(act.Industries, l.Values...)
			case "localities":
				act.Localities = append(act.Localities, l.Values...)
			}
		}
	default:
		return nil, Summary{}, ErrRosterLevel
	}
	r, err := chart.Activate(ctx, act)
	if err != nil {
		return nil, sum, &RosterError{Err: err, Level: req.Level != ""}
	}
	b, err := json.Marshal(r)
	return b, sum, err
}

// RosterError is a roster the orgchart could not build: an unknown level,
// industry or locality.
type RosterError struct {
	Err   error
	Level bool
}

func (e *RosterError) Error() string { return e.Err.Error() }
func (e *RosterError) Unwrap() error { return e.Err }

// responseOf maps a grade (id or name) to its response level; anything else
// is taken as a response level as written.
//
// Gap: the library's Rules.ParseResponse (Ⅲ, 三级, Ⅲ级应急响应 …, issue 9 §3)
// is not on main yet; when it lands this calls it.
func (p *Plan) responseOf(level string) string {
	if r := p.p.Grading; r != nil {
		if l, ok := r.Level(level); ok && l.Response.ID != "" {
			return l.Response.ID
		}
	}
	return level
}

// ErrNoWorkflow is returned for incident calls on a plan without one.
var ErrNoWorkflow = errors.New("yingji: the plan has no workflow")

// Start returns a new, empty instance under this plan.
func (p *Plan) Start(id string) (Instance, error) {
	if p.p.Workflow == nil {
		return Instance{}, ErrNoWorkflow
	}
	return p.p.Workflow.Start(id), nil
}

// Apply applies one event to inst, all-or-nothing.
func (p *Plan) Apply(ctx context.Context, inst Instance, ev Event) (Instance, Effects, error) {
	if p.p.Workflow == nil {
		return inst, Effects{}, ErrNoWorkflow
	}
	return p.p.Workflow.Apply(ctx, inst, ev)
}

// Replay rebuilds an instance from its log under this plan.
func (p *Plan) Replay(ctx context.Context, id string, log []Event) (Instance, error) {
	if p.p.Workflow == nil {
		return Instance{}, ErrNoWorkflow
	}
	return p.p.Workflow.Replay(ctx, id, log)
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

// EventSummary is the decision summary of an applied event.
func EventSummary(inst Instance) Summary {
	return Summary{Level: inst.Level, Response: inst.Response, Phase: inst.Phase}
}

// Change is one part of an incident's state that a migration changes.
type Change struct {
	Field string          `json:"field"`
	Old   json.RawMessage `json:"old"`
	New   json.RawMessage `json:"new"`
}

// Migration is what replaying an instance's log under another plan gives.
//
// Gap: issue 9 §6 puts a migration report in the library (Engine.Reload
// keeping old bundles, a Rebase report per instance); until it lands this
// replays the log and compares the state part by part.
type Migration struct {
	From    PlanRef  `json:"from"`
	To      PlanRef  `json:"to"`
	Changes []Change `json:"changes"`
	// Rejected is set when the new plan rejects an event of the log: the
	// instance cannot be migrated.
	Rejected *Rejection `json:"rejected,omitempty"`
	Instance *Instance  `json:"-"`
}

// Rejection names the event of the log the new plan rejects.
type Rejection struct {
	Seq     int       `json:"seq"`
	Problem []Problem `json:"problems"`
}

// Migrate replays inst's log under plan to and reports what changes.
func Migrate(ctx context.Context, inst Instance, from, to *Plan) (Migration, error) {
	m := Migration{From: from.Ref(), To: to.Ref(), Changes: []Change{}}
	next, err := to.Replay(ctx, inst.ID, inst.Log())
	if err != nil {
		var re *workflow.ReplayError
		if errors.As(err, &re) {
			m.Rejected = &Rejection{Seq: re.Seq, Problem: ProblemsOf(re.Err)}
			return m, nil
		}
		return m, err
	}
	a, b := stateJSON(inst), stateJSON(next)
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range keys {
			if !yield(k) {
				return
			}
		}
	}) {
		if k == "plan" || k == "log" {
			continue
		}
		if string(a[k]) != string(b[k]) {
			m.Changes = append(m.Changes, Change{Field: k, Old: orNull(a[k]), New: orNull(b[k])})
		}
	}
	m.Instance = &next
	return m, nil
}

func orNull(b json.RawMessage) json.RawMessage {
	if len(b) == 0 {
		return json.RawMessage("null")
	}
	return b
}

func stateJSON(inst Instance) map[string]json.RawMessage {
	b, _ := json.Marshal(inst)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(b, &m)
	return m
}

// DecodeEvent decodes one event envelope strictly.
func DecodeEvent(b []byte) (Event, error) {
	var ev Event
	if err := json.Unmarshal(b, &ev); err != nil {
		return Event{}, fmt.Errorf("workflow: %w", err)
	}
	return ev, nil
}

// trimPrefix drops the "pkg: " prefix of a library message.
func trimPrefix(s string) string {
	for _, p := range []string{"grading: ", "workflow: ", "orgchart: ", "yingji: "} {
		s = strings.TrimPrefix(s, p)
	}
	return s
}

// Flag is a flag raised on an instance (迟报 …).
type Flag = workflow.Flag

// Time is the workflow's instant with the offset it was written in.
type Time = workflow.Time

// TimeOf is the workflow Time of t.
func TimeOf(t time.Time) Time { return workflow.TimeOf(t) }
