package yingji

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/internal/yamlx"
	"github.com/yingji/yingji/orgchart"
	"github.com/yingji/yingji/plans"
	"github.com/yingji/yingji/workflow"
)

// DefaultPlan is the id of the embedded plan Default loads.
const DefaultPlan = "changji-2025"

// Plan is one whole, loaded plan: its metadata, its grading rules and the
// rest of its data. A Plan is immutable and safe for concurrent use.
type Plan struct {
	Manifest Manifest
	Grading  *grading.Rules
	// Orgchart is the command structure, duties and contacts; nil for a
	// plan that declares no orgchart file (a grading-only plan).
	Orgchart *orgchart.Chart
	// Workflow is the response process; nil for a plan without one. It is
	// bound to this plan's id, revision and Hash, so instances record them.
	Workflow *workflow.Definition
	// Hash identifies the exact content the plan was loaded from (SHA-256
	// over every file, in name order), so a workflow instance can tell which
	// rules it started under.
	Hash string
	// Warnings are the findings that did not stop the plan from loading.
	Warnings diag.Diagnostics
	// Sources holds every file read, for rendering diagnostics.
	Sources diag.Sources

	cfg  config        // the options it was loaded with; a reload reuses them
	spec *manifestSpec // plan.yaml with positions, for the lint
}

// ID returns the plan's id, e.g. "changji-2025".
func (p *Plan) ID() string { return p.Manifest.ID }

// LoadError is what Load returns for a plan that does not load: every
// diagnostic, sorted, and the sources to render them with. errors.As with a
// *diag.Diagnostics target recovers the diagnostics.
//
// Concurrency: a plain value; safe to read from several goroutines, not to change while read.
type LoadError struct {
	Diagnostics diag.Diagnostics
	Sources     diag.Sources
}

func (e *LoadError) Error() string {
	n := len(e.Diagnostics.Errors())
	return fmt.Sprintf("yingji: the plan does not load (%d errors):\n%s", n, e.Diagnostics.Error())
}

// Unwrap returns the diagnostics.
func (e *LoadError) Unwrap() error { return e.Diagnostics }

// Render renders every diagnostic with its source line and a caret.
func (e *LoadError) Render() string { return diag.RenderString(e.Diagnostics, e.Sources) }

// Load reads a plan folder: plan.yaml at the root of fsys and the files it
// names. Every file is decoded strictly, every reference resolved and every
// expression compiled; the result is a whole plan or a *LoadError with all
// the diagnostics. Use os.DirFS for a folder on disk, fs.Sub for a folder
// inside another file system.
func Load(fsys fs.FS, opts ...Option) (*Plan, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	return load(fsys, cfg)
}

func load(fsys fs.FS, cfg config) (*Plan, error) {
	l := loader{fsys: fsys, sources: diag.Sources{}, cfg: cfg}
	p := l.load()
	l.diags.Sort()
	if l.diags.HasErrors() {
		return nil, &LoadError{Diagnostics: l.diags, Sources: l.sources}
	}
	p.Warnings = l.diags
	p.Sources = l.sources
	p.cfg = cfg
	if l.hashed == "" {
		l.hashed = l.hash()
	}
	p.Hash = l.hashed
	if p.Workflow != nil {
		p.Workflow = p.Workflow.ForPlan(workflow.PlanRef{ID: p.ID(), Revision: p.Manifest.Revision, Hash: p.Hash})
	}
	return p, nil
}

// Embedded loads one of the plans that ship with yingji by id.
func Embedded(id string, opts ...Option) (*Plan, error) {
	if !slices.Contains(EmbeddedIDs(), id) {
		return nil, fmt.Errorf("yingji: no embedded plan %q; the embedded plans are %s.%s",
			id, strings.Join(EmbeddedIDs(), ", "), diag.Suggest(id, EmbeddedIDs()))
	}
	sub, err := fs.Sub(plans.FS, id)
	if err != nil {
		return nil, err
	}
	return Load(sub, opts...)
}

// Default loads the default embedded plan, changji-2025.
func Default(opts ...Option) (*Plan, error) { return Embedded(DefaultPlan, opts...) }

// EmbeddedIDs lists the ids of the embedded plans, sorted.
func EmbeddedIDs() []string {
	entries, _ := fs.ReadDir(plans.FS, ".")
	var ids []string
	for _, e := range entries {
		if e.IsDir() {
			ids = append(ids, e.Name())
		}
	}
	return ids
}

type loader struct {
	cfg     config
	fsys    fs.FS
	sources diag.Sources
	diags   diag.Diagnostics
	total   int64  // bytes read so far, against MaxPlanSize
	hashed  string // hash(), once every file is read; "" until then
}

func (l *loader) read(name string, at diag.Range, path string) *yamlx.File {
	src, ok := l.readBytes(name, at, path)
	if !ok {
		return nil
	}
	f, ds := yamlx.Parse(name, src)
	l.diags = append(l.diags, ds...)
	if ds.HasErrors() {
		return nil
	}
	return f
}

// readBytes reads a file of the plan and keeps it for rendering
// diagnostics.
func (l *loader) readBytes(name string, at diag.Range, path string) ([]byte, bool) {
	src, err := l.readFile(name)
	if err != nil {
		var ref *refusal
		switch {
		case errors.As(err, &ref):
			l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Error, Code: ref.code, Subject: at, Path: path,
				Summary: "refused: " + ref.why, Fix: ref.fix, Params: map[string]string{"file": name}})
		case errors.Is(err, fs.ErrNotExist):
			fix := "create the file, or correct its name in plan.yaml"
			if name == "plan.yaml" {
				fix = "point Load at a plan folder: plan.yaml must be at the root of the file system (use fs.Sub for a folder inside it)"
			}
			l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Error, Code: diag.CodeFileMissing, Subject: at, Path: path,
				Summary: name + " does not exist", Fix: fix, Params: map[string]string{"file": name}})
		default:
			l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Error, Code: diag.CodeFileRead, Subject: at, Path: path,
				Summary: fmt.Sprintf("cannot read %s: %v", name, err), Fix: "check the file's permissions", Params: map[string]string{"file": name}})
		}
		return nil, false
	}
	l.sources[name] = src
	return src, true
}

func (l *loader) load() *Plan {
	mf := l.read("plan.yaml", diag.Range{}, "")
	if mf == nil {
		return nil
	}
	m := &manifestSpec{}
	ds := mf.DecodeWith(manifestTables, m)
	l.diags = append(l.diags, ds...)
	if ds.HasErrors() {
		return nil
	}
	l.diags = append(l.diags, mf.Interpretations()...)
	p := &Plan{Manifest: m.public(), spec: m}
	conv, ok := l.convention(m)
	if !ok {
		return nil
	}
	if m.Files.Grading == "" {
		l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Error, Code: diag.CodePlanMissingFile, Subject: m.Meta.At(), Path: "files",
			Summary: "plan.yaml names no grading file", Fix: "add files: {grading: grading.yaml}"})
		return nil
	}
	// Every file is read first, in this order (the plan's size cap names
	// the file that crosses it). Then a helper goroutine parses
	// workflow.yaml and compiles the orgchart with its contacts, while
	// this one compiles grading.yaml and then the workflow, guessing the
	// orgchart's actors and checking the guesses once it is done
	// (pendingActors).
	// Each step's diagnostics are added in this same order whatever
	// finishes first, so the result does not depend on the schedule.
	gf := l.readPlanFile(m.Files.Grading, m.Files.Meta.At(), "files.grading")
	var of, cf, wf planFile
	if m.Files.Orgchart != "" {
		of = l.readPlanFile(m.Files.Orgchart, m.Files.Meta.At(), "files.orgchart")
		if m.Files.Contacts != "" {
			cf = l.readPlanFile(m.Files.Contacts, m.Files.Meta.At(), "files.contacts")
		}
	}
	if m.Files.Workflow != "" {
		wf = l.readPlanFile(m.Files.Workflow, m.Files.Meta.At(), "files.workflow")
	}
	var org orgchartStep
	var orgPanic *any
	var wg sync.WaitGroup
	actors := newPendingActors()
	var wsrc *workflow.Source
	var wpds diag.Diagnostics
	parseWorkflow := m.Files.Workflow != "" && wf.ok && m.Files.Orgchart != ""
	parsed := make(chan struct{}) // closed when wsrc and wpds are set, or never will be
	if m.Files.Orgchart != "" {
		wg.Go(func() {
			isParsed := false
			defer func() {
				// A panic is raised again on the loader's goroutine, where
				// Load's caller can recover it; the workflow must not wait.
				if v := recover(); v != nil {
					orgPanic = &v
					actors.resolve(nil)
					if !isParsed {
						close(parsed)
					}
				}
			}()
			if parseWorkflow {
				wsrc, wpds = workflow.Parse(wf.name, wf.src)
			}
			close(parsed)
			isParsed = true
			org = compileOrgchart(of, cf, m.Files.Contacts != "")
			actors.resolve(org.chart)
			// Every file is read: hash them here rather than after the
			// workflow, which is compiled on the loader's goroutine.
			l.hashed = l.hash()
		})
		// The new goroutine waits on this P, where another P looking for
		// work may not see it (one marking for the GC while idle looks
		// only at its own queue and the global one): yield, so that this
		// one goes to the global queue and either runs at once.
		runtime.Gosched()
	}
	var gds diag.Diagnostics
	if gf.ok {
		p.Grading, gds = grading.Compile(gf.name, gf.src, l.gradingOptions(conv)...)
	}
	var wstep workflowStep
	if parseWorkflow {
		<-parsed
		switch {
		case wsrc == nil:
			wstep.diags = wpds
		case p.Grading != nil:
			// Compiled without waiting for the orgchart, and again with
			// its answers if a guess was wrong (pendingActors).
			actors.guess()
			wstep.def, wstep.diags = wsrc.Compile(p.Grading, l.workflowOptions(actors)...)
			if !actors.settle() {
				wstep.def, wstep.diags = wsrc.Compile(p.Grading, l.workflowOptions(actors)...)
			}
		}
	}
	wg.Wait()
	if orgPanic != nil {
		panic(*orgPanic)
	}
	l.diags = append(l.diags, gf.diags...)
	l.diags = append(l.diags, gds...)
	if m.Files.Orgchart != "" {
		p.Orgchart = l.orgchart(of, cf, org, p.Grading)
	} else if m.Files.Contacts != "" {
		l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Error, Code: diag.CodePlanMissingFile, Subject: m.Files.Meta.At(), Path: "files.contacts",
			Summary: "contacts need an orgchart", Fix: "add files.orgchart, or remove files.contacts"})
	}
	if m.Files.Workflow != "" {
		p.Workflow = l.workflow(m, wf, wstep, p.Grading, p.Orgchart, actors)
	}
	l.checkRefs(m, p.Grading, p.Orgchart)
	l.checkIDs(m)
	return p
}

// planFile is a file of the plan as read, with the diagnostics of reading
// it, to be added to the loader's in their turn.
type planFile struct {
	name  string
	src   []byte
	ok    bool
	diags diag.Diagnostics
}

// readPlanFile reads the file plan.yaml names name.
func (l *loader) readPlanFile(name string, at diag.Range, path string) planFile {
	f := planFile{name: l.fileName(name)}
	n := len(l.diags)
	f.src, f.ok = l.readBytes(f.name, at, path)
	f.diags = slices.Clone(l.diags[n:])
	l.diags = l.diags[:n]
	return f
}

// orgchartStep is what compiling the orgchart and its contacts gives.
type orgchartStep struct {
	chart *orgchart.Chart
	diags diag.Diagnostics
	done  bool // the chart compiled with its contacts: its levels are to be checked
}

// compileOrgchart compiles the orgchart file of with the contacts file cf
// (when hasContacts). It touches nothing of the loader, so that it can run
// beside grading.Compile.
func compileOrgchart(of, cf planFile, hasContacts bool) orgchartStep {
	var st orgchartStep
	var opts []orgchart.Option
	contactsOK := true
	if hasContacts {
		if !cf.ok {
			return st
		}
		contacts, ds := orgchart.ParseContacts(cf.name, cf.src)
		st.diags = append(st.diags, ds...)
		// Broken contacts are reported with the orgchart's own problems.
		if contactsOK = !ds.HasErrors(); contactsOK {
			opts = append(opts, orgchart.WithContacts(contacts))
		}
	}
	if !of.ok {
		return st
	}
	chart, ds := orgchart.Compile(of.name, of.src, opts...)
	st.diags = append(st.diags, ds...)
	if !contactsOK {
		return st
	}
	st.chart, st.done = chart, true
	return st
}

// orgchart adds the orgchart's diagnostics and checks that the response
// levels the orgchart refers to exist in the grading rules.
func (l *loader) orgchart(of, cf planFile, st orgchartStep, rules *grading.Rules) *orgchart.Chart {
	l.diags = append(l.diags, of.diags...)
	l.diags = append(l.diags, cf.diags...)
	l.diags = append(l.diags, st.diags...)
	chart := st.chart
	if !st.done || chart == nil || rules == nil {
		return chart
	}
	oname := of.name
	var ids []string
	for _, lv := range rules.Levels() {
		ids = append(ids, lv.Response.ID)
	}
	for _, id := range chart.ResponseLevels() {
		if _, ok := rules.Level(id); !ok {
			// Response levels are ranked: list them in order, never
			// suggest one by spelling (Ⅲ must not be steered to I).
			l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Error, Code: diag.CodePlanUnknownLevel,
				Subject: diag.Range{Filename: oname, Start: diag.Pos{Line: 1, Column: 1}, End: diag.Pos{Line: 1, Column: 2, Byte: 1}},
				Summary: fmt.Sprintf("the orgchart refers to response level %q, which grading.yaml does not declare", id),
				Fix:     "use a response level id of grading.yaml, in order: " + strings.Join(ids, ", "),
				Params:  map[string]string{"level": id, "valid": strings.Join(ids, ", ")}})
		}
	}
	return chart
}

// gradingOptions passes the plan's convention and the limits set on Load
// to grading.Compile.
func (l *loader) gradingOptions(conv grading.Convention) []grading.Option {
	opts := []grading.Option{grading.WithConvention(conv)}
	if l.cfg.maxNodes > 0 {
		opts = append(opts, grading.MaxNodes(uint(l.cfg.maxNodes)))
	}
	if l.cfg.memoryBudget > 0 {
		opts = append(opts, grading.MemoryBudget(l.cfg.memoryBudget))
	}
	if l.cfg.maxCriteria > 0 {
		opts = append(opts, grading.MaxCriteria(l.cfg.maxCriteria))
	}
	return opts
}

// fileName cleans a file name from plan.yaml; names are relative to the
// plan folder. A name that leaves the folder stays as written, so that
// readFile refuses it by the name the drafter wrote.
func (l *loader) fileName(name string) string {
	if c := path.Clean(name); fs.ValidPath(c) {
		return c
	}
	return name
}

func (l *loader) convention(m *manifestSpec) (grading.Convention, bool) {
	b := m.Boundaries
	parse := func(v yamlx.String, key string) (bool, bool) {
		switch v.Value {
		case "inclusive":
			return true, true
		case "exclusive":
			return false, true
		}
		l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Error, Code: diag.CodePlanBoundaries, Subject: v.At(), Path: "boundaries." + key,
			Summary: fmt.Sprintf("boundaries.%s must be inclusive or exclusive, not %q", key, v.Value),
			Fix:     `write inclusive (the number itself counts, as in "以上含本数") or exclusive`,
			Params:  map[string]string{"key": key, "value": v.Value}})
		return false, false
	}
	above, ok1 := parse(b.Above, "above")
	below, ok2 := parse(b.Below, "below")
	return grading.Convention{AboveInclusive: above, BelowInclusive: below}, ok1 && ok2
}

func (l *loader) checkIDs(m *manifestSpec) {
	if !idPattern(m.ID) {
		l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Error, Code: diag.CodePlanID, Subject: m.Meta.At(), Path: "id",
			Summary: fmt.Sprintf("plan id %q is not a valid id", m.ID), Fix: "use lower-case letters, digits and -, e.g. changji-2025",
			Params: map[string]string{"id": m.ID}})
	}
	seen := make(map[string]int, len(m.Clauses)) // clause → index of its first entry
	for i, c := range m.Clauses {
		if j, dup := seen[c.Clause]; dup {
			first := m.Clauses[j].Meta.At()
			l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Error, Code: diag.CodePlanDuplicateClause, Subject: c.Meta.At(), Path: fmt.Sprintf("clauses[%d]", i),
				Summary: fmt.Sprintf("clause %q is listed twice in the index (first at %s)", c.Clause, first),
				Fix:     "list each clause once", Params: map[string]string{"clause": c.Clause, "first": first.String()}})
			continue
		}
		seen[c.Clause] = i
	}
}

func idPattern(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func (l *loader) hash() string {
	h := sha256.New()
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range l.sources {
			if !yield(k) {
				return
			}
		}
	}) {
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(l.sources[name]))
		h.Write(l.sources[name])
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
