package yingji

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/orgchart"
	"github.com/yingji/yingji/workflow"
)

// orgDirectory lets the workflow name its actors by the orgchart's units,
// placeholders and groups, by id, name, short name or alias, gives their
// names, and checks the localities and industries an incident names.
//
// Every key is read from the chart once, when the plan loads: the chart's
// lookups (Unit, Placeholder, Group, Locality, Industry) return copies,
// which on Apply's path — an actor named by its name, a locality by its
// everyday name, each entry of a roster — cost more than the rest of the
// event. The directory is immutable after newOrgDirectory and safe for
// concurrent reads.
type orgDirectory struct {
	ok     bool                         // built from a chart
	keys   map[string]string            // every id, name, short name and alias → actor id
	names  map[string]string            // every actor id → its name ("" for none)
	shorts map[string]string            // unit id → the short name the plan gives it
	ids    []string                     // actor ids: units, placeholders, groups, in file order
	refs   map[string]map[string]string // "localities", "industries": key → id
	refIDs map[string][]string
}

func newOrgDirectory(c *orgchart.Chart) orgDirectory {
	d := orgDirectory{keys: map[string]string{}, names: map[string]string{}, shorts: map[string]string{}, refs: map[string]map[string]string{}, refIDs: map[string][]string{}}
	if c == nil {
		return d
	}
	d.ok = true
	add := func(id, name string, other ...string) {
		d.ids = append(d.ids, id)
		d.names[id] = name
		for _, k := range append([]string{id, name}, other...) {
			if k != "" {
				if _, taken := d.keys[k]; !taken {
					d.keys[k] = id
				}
			}
		}
	}
	for _, u := range c.Units() {
		add(u.ID, u.Name, append([]string{u.Short}, u.Aliases...)...)
		if u.Short != "" {
			d.shorts[u.ID] = u.Short
		}
	}
	for _, ph := range c.Placeholders() {
		add(ph.ID, ph.Name, ph.Aliases...)
	}
	for _, g := range c.Groups() {
		add(g.ID, g.Name, g.Aliases...)
	}
	list := func(ref, id, name string, aliases []string) {
		if d.refs[ref] == nil {
			d.refs[ref] = map[string]string{}
		}
		d.refIDs[ref] = append(d.refIDs[ref], id)
		for _, k := range append([]string{id, name}, aliases...) {
			if _, taken := d.refs[ref][k]; k != "" && !taken {
				d.refs[ref][k] = id
			}
		}
	}
	for _, l := range c.Localities() {
		list(refLocalities, l.ID, l.Name, l.Aliases)
	}
	for _, i := range c.Industries() {
		list(refIndustries, i.ID, i.Name, i.Aliases)
	}
	return d
}

func (d orgDirectory) Actor(key string) (string, bool) {
	id, ok := d.keys[strings.TrimSpace(key)]
	return id, ok
}

// ActorName gives an actor's name; see workflow.ActorNamer.
func (d orgDirectory) ActorName(id string) (string, bool) {
	name := d.names[id]
	return name, name != ""
}

// ActorShortName gives the short name the plan gives a unit ("以下简称
// 昌吉州指挥部"); see workflow.ActorShortNamer.
func (d orgDirectory) ActorShortName(id string) (string, bool) {
	short := d.shorts[id]
	return short, short != ""
}

func (d orgDirectory) Actors() []string { return slices.Clone(d.ids) }

// Ref resolves an id, name or alias in one of the orgchart's lists (the
// ref: of a grading list input) to its id; see workflow.IncidentChecker.
func (d orgDirectory) Ref(ref, key string) (string, bool) {
	id, ok := d.refs[ref][strings.TrimSpace(key)]
	return id, ok
}

// Refs lists the ids of one of the orgchart's lists; nil for a list the
// orgchart does not hold.
func (d orgDirectory) Refs(ref string) []string {
	if !d.ok {
		return nil
	}
	if _, ok := refKinds[ref]; !ok {
		return nil
	}
	return slices.Clone(d.refIDs[ref])
}

var (
	_ workflow.IncidentChecker = orgDirectory{}
	_ workflow.ActorNamer      = orgDirectory{}
	_ workflow.ActorShortNamer = orgDirectory{}
)

// roster hands the orgchart's roster to the workflow when a response level
// is activated, so its notifications name who is told and why.
func roster(c *orgchart.Chart, dir orgDirectory) workflow.RosterFunc {
	return func(ctx context.Context, response string, industries, localities []string) ([]workflow.Recipient, error) {
		r, err := c.Activate(ctx, orgchart.Activation{Industries: industries, Localities: localities, Response: response})
		if err != nil {
			return nil, err
		}
		out := make([]workflow.Recipient, 0, len(r.Entries))
		for _, e := range r.Entries {
			rc := workflow.Recipient{ID: e.ID, Name: e.Name, Engaged: e.Involvement == orgchart.Engage, Conditional: e.Conditional}
			if len(e.Reasons) > 0 {
				rc.Clause, rc.By = e.Reasons[0].Clause, e.Reasons[0].By
				if id, ok := dir.Actor(rc.By); ok {
					rc.By = id // the workflow names actors by id
				}
			}
			out = append(out, rc)
		}
		return out, nil
	}
}

// workflowStep is what compiling the workflow file gives.
type workflowStep struct {
	def   *workflow.Definition
	diags diag.Diagnostics
}

// workflowOptions passes the actors and the limits set on Load to
// workflow.Compile.
func (l *loader) workflowOptions(actors workflow.ActorResolver) []workflow.Option {
	opts := []workflow.Option{workflow.WithActors(actors)}
	if l.cfg.maxNodes > 0 {
		opts = append(opts, workflow.MaxNodes(uint(l.cfg.maxNodes)))
	}
	if l.cfg.memoryBudget > 0 {
		opts = append(opts, workflow.MemoryBudget(l.cfg.memoryBudget))
	}
	if l.cfg.maxLog > 0 {
		opts = append(opts, workflow.MaxLog(l.cfg.maxLog))
	}
	return opts
}

// workflow adds the diagnostics of the workflow file, compiled (st) against
// the grading rules and the orgchart's actors when both are there, and
// hands the workflow the orgchart's roster.
func (l *loader) workflow(m *manifestSpec, wf planFile, st workflowStep, rules *grading.Rules, chart *orgchart.Chart, actors *pendingActors) *workflow.Definition {
	l.diags = append(l.diags, wf.diags...)
	if !wf.ok {
		return nil
	}
	if rules == nil {
		return nil // the grading errors are reported already
	}
	if chart == nil && m.Files.Orgchart == "" {
		l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Error, Code: diag.CodePlanMissingFile, Subject: m.Files.Meta.At(), Path: "files.workflow",
			Summary: "a workflow needs an orgchart", Fix: "add files.orgchart: the workflow's actors are units of the orgchart"})
		return nil
	}
	if chart == nil {
		// The orgchart is declared but does not compile: its errors are
		// reported, and every actor of the workflow would be "unknown"
		// only because of them (the workflow was compiled with
		// uncheckedActors). The workflow's own findings still count.
		l.diags = append(l.diags, notChecked(m.Files.Meta.At(), "files.workflow", m.Files.Workflow, m.Files.Orgchart, "actors"))
	}
	l.diags = append(l.diags, st.diags...)
	if st.def == nil || chart == nil {
		return st.def
	}
	return st.def.WithRoster(roster(chart, actors.get().(orgDirectory)))
}

// pendingActors are the orgchart's actors for a workflow compiled while
// the orgchart is still compiling: every call waits until the orgchart is
// done, then answers as the orgchart's directory (newOrgDirectory), or, if
// the orgchart does not compile, as uncheckedActors. It implements the
// optional interfaces that orgDirectory does, and no others (a test keeps
// the two sets equal).
//
// Between guess and settle, Actor does not wait: it answers that a key is
// an actor's id, as a plan's workflow writes them, and records the key;
// settle then waits for the orgchart and checks each answer against its
// answer. The loader compiles the workflow between the two, and compiles
// it again if an answer differed (a name or an alias of a unit, an actor
// that does not exist): the workflow the compiler observes is the same
// either way, and it need not wait for the orgchart, which compiles on
// the other goroutine.
//
// Concurrency: safe for concurrent use outside guess and settle; it
// changes once, in resolve, before any call returns. Between guess and
// settle, Actor is called from the goroutine that calls them only (the
// workflow's compiler).
type pendingActors struct {
	ready  sync.WaitGroup
	once   sync.Once
	actors workflow.ActorResolver // set by resolve

	guessing bool     // between guess and settle
	guessed  []string // the keys Actor answered meanwhile
}

// guess makes Actor answer without waiting until settle.
func (p *pendingActors) guess() { p.guessing, p.guessed = true, p.guessed[:0] }

// settle ends guess: it waits for the orgchart and reports whether each
// answer Actor gave was the orgchart's.
func (p *pendingActors) settle() bool {
	p.guessing = false
	real := p.get()
	for _, k := range p.guessed {
		if id, ok := real.Actor(k); !ok || id != k {
			return false
		}
	}
	return true
}

func newPendingActors() *pendingActors {
	p := &pendingActors{}
	p.ready.Add(1)
	return p
}

// resolve gives the orgchart's result, nil when it does not compile; only
// the first call counts.
func (p *pendingActors) resolve(chart *orgchart.Chart) {
	p.once.Do(func() {
		defer p.ready.Done()
		if chart == nil {
			p.actors = uncheckedActors{}
		} else {
			p.actors = newOrgDirectory(chart)
		}
	})
}

func (p *pendingActors) get() workflow.ActorResolver {
	p.ready.Wait()
	return p.actors
}

func (p *pendingActors) Actor(key string) (string, bool) {
	if p.guessing {
		p.guessed = append(p.guessed, key)
		return key, true
	}
	return p.get().Actor(key)
}
func (p *pendingActors) Actors() []string { return p.get().Actors() }

func (p *pendingActors) ActorName(id string) (string, bool) {
	if n, ok := p.get().(workflow.ActorNamer); ok {
		return n.ActorName(id)
	}
	return "", false
}

func (p *pendingActors) ActorShortName(id string) (string, bool) {
	if n, ok := p.get().(workflow.ActorShortNamer); ok {
		return n.ActorShortName(id)
	}
	return "", false
}

func (p *pendingActors) Ref(ref, key string) (string, bool) {
	if ic, ok := p.get().(workflow.IncidentChecker); ok {
		return ic.Ref(ref, key)
	}
	return "", false
}

func (p *pendingActors) Refs(ref string) []string {
	if ic, ok := p.get().(workflow.IncidentChecker); ok {
		return ic.Refs(ref)
	}
	return nil
}

// uncheckedActors accepts every actor: the workflow is compiled with it
// when the orgchart fails, so that its actors are not all reported as
// unknown.
type uncheckedActors struct{}

func (uncheckedActors) Actor(key string) (string, bool) { return key, true }
func (uncheckedActors) Actors() []string                { return nil }

// notChecked is the note that a file's references into another file were
// not checked because that file does not compile.
func notChecked(at diag.Range, path, file, failed, what string) diag.Diagnostic {
	return diag.Diagnostic{Severity: diag.Info, Code: CodeNotChecked, Subject: at, Path: path,
		Summary: fmt.Sprintf("%s's %s were not checked: %s does not compile", file, what, failed),
		Fix:     fmt.Sprintf("fix %s first; %s's %s are checked once it compiles", failed, file, what),
		Params:  map[string]string{"file": file, "failed": failed, "what": what}}
}
