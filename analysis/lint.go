package analysis

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
)

// Codes of the lint's findings, the diag.Diagnostic Code of each.
const (
	CodeGap                = "gap"
	CodeOverlap            = "overlap"
	CodeShadowed           = "shadowed"
	CodeUnsatisfiable      = "unsatisfiable"
	CodeUnreachableLevel   = "unreachable-level"
	CodeNonMonotone        = "non-monotone"
	CodeScopeDisagreement  = "scope-disagreement"
	CodeUnusedInput        = "unused-input"
	CodeThresholdOrder     = "threshold-order"
	CodeUntracedClause     = "untraced-clause"
	CodeInterpretation     = diag.CodeInterpretation
	CodeAnalysisIncomplete = "analysis-incomplete"
)

// Finding is one lint finding about a rule set: the diagnostic a person
// reads, and the facts behind it for a program.
type Finding struct {
	diag.Diagnostic
	// Input is the id of the input the finding is about, "" when it is
	// about the rule set as a whole.
	Input string `json:"input,omitempty"`
	// Region is the range of Input's values the finding is about (enum
	// ranks, 0 and 1 for bools); Range renders it.
	Region grading.Interval `json:"-"`
	Range  string           `json:"range,omitempty"`
	// Levels and Criteria are the ids of the levels and criteria involved.
	Levels   []string `json:"levels,omitempty"`
	Criteria []string `json:"criteria,omitempty"`
	// Example is an incident that shows the finding, with its Outcome.
	Example Incident `json:"example,omitempty"`
	Outcome *Outcome `json:"outcome,omitempty"`
}

// LintRules analyses a grading rule set and returns its findings, sorted
// by position. Every finding is defined per input (see the package
// documentation): a range of an input is named by a level when one of the
// level's alternatives reads the input and holds there, every other input
// at its least severe value.
//
//   - gap: a range of an input, other than its least value, that no level
//     names through the input or a co-member (with no deaths, 1 missing is
//     named by 一般's "3 人以下死亡", since deaths and missing make up
//     死亡（含失踪）).
//   - overlap: a range of a count or amount that two levels name, where the
//     less severe one's alternative is not wholly shadowed. Ordered enums
//     and bools name "this value or more" by design and are not reported.
//   - shadowed: an alternative that can never decide a grade, because at
//     every point of the inputs it reads where it holds, a more severe
//     level holds through those inputs; unsatisfiable: one that never
//     holds.
//   - unreachable-level: a level no incident can get.
//   - non-monotone: more of an input gives a lower grade.
//   - threshold-order: a more severe level names an input from a lower
//     value than a less severe one.
//   - scope-disagreement: on one input, the scope's own thresholds (1.3 (1))
//     against the grades its grades: criterion puts in scope (1.3 (3)).
//   - unused-input: an input that is not context and no criterion reads.
//   - interpretation: every interpretation: note, as a to-do (Info).
//
// LintRules is safe for concurrent use.
func LintRules(r *grading.Rules) []Finding {
	s, err := newSpace(r)
	if err != nil {
		return []Finding{{Diagnostic: diag.Diagnostic{Severity: diag.Warning, Code: CodeAnalysisIncomplete,
			Summary: "the rules could not be analysed: " + err.Error(),
			Detail:  "report this as a bug in yingji, with the grading.yaml that causes it"}}}
	}
	l := &linter{s: s, ctx: context.Background()}
	l.run()
	l.interpretations()
	slices.SortStableFunc(l.out, func(a, b Finding) int { return diag.Compare(a.Diagnostic, b.Diagnostic) })
	return l.out
}

type linter struct {
	s      *space
	ctx    context.Context
	out    []Finding
	lines  map[int][]lineCell
	shadow map[*part]*shadowing
}

// lineCell is one cell of an input's line: the input at the cell's value,
// every other input at its least severe value.
type lineCell struct {
	cell
	named [][]*part // by level rank: parts reading the input that hold
	// kin counts the parts that read a co-member of the input (one
	// sharing a derived quantity with it) but not the input, and hold.
	kin   int
	grade int     // rank of the grade; -1 for none
	scope []*part // scope parts reading the input that hold
}

func (l *lineCell) levels() []int {
	var out []int
	for rank, ps := range l.named {
		if len(ps) > 0 {
			out = append(out, rank)
		}
	}
	return out
}

// first is the part of the most severe level naming the cell.
func (l *lineCell) first() *part {
	for _, ps := range l.named {
		if len(ps) > 0 {
			return ps[0]
		}
	}
	return nil
}

func (s *space) line(i int, cells []cell) []lineCell {
	out := make([]lineCell, len(cells))
	for k, c := range cells {
		pt := s.least()
		pt[i] = c.rep
		e := s.at(pt)
		lc := lineCell{cell: c, named: make([][]*part, len(s.level)), grade: e.grade()}
		for _, p := range s.parts {
			switch {
			case p.reads&(1<<i) != 0:
				if e.holds(p) {
					lc.named[p.level.Rank] = append(lc.named[p.level.Rank], p)
				}
			case p.reads&s.group[i] != 0:
				if e.holds(p) {
					lc.kin++
				}
			}
		}
		for _, p := range s.scope {
			if p.reads&(1<<i) != 0 && e.holds(p) {
				lc.scope = append(lc.scope, p)
			}
		}
		out[k] = lc
	}
	return out
}

// example is the incident at value x of input i: the input, and its
// co-members of derived quantities at their least value.
func (s *space) example(i int, x float64) Incident {
	var inc Incident
	for j, in := range s.inputs {
		switch {
		case j == i:
			inc = append(inc, Fact{in.ID, value(in, x)})
		case s.group[i]&(1<<j) != 0:
			inc = append(inc, Fact{in.ID, value(in, 0)})
		}
	}
	return inc
}

func (l *linter) outcome(inc Incident) *Outcome {
	o, err := Grade(l.ctx, l.s.r, inc)
	if err != nil {
		return nil
	}
	return &o
}

func (l *linter) add(f Finding) {
	if f.Input != "" && f.Range == "" {
		in, _ := l.s.r.Input(f.Input)
		f.Range = Describe(in, f.Region)
	}
	if f.Example != nil && f.Outcome == nil {
		f.Outcome = l.outcome(f.Example)
	}
	l.out = append(l.out, f)
}

// gradedScope is graded, with whether the example is in scope.
func gradedScope(inc Incident, o *Outcome) string {
	s := graded(inc, o)
	if o != nil && o.InScope != nil {
		in := "in scope"
		if !*o.InScope {
			in = "not in scope"
		}
		s = strings.TrimSuffix(s, ".") + ", " + in + "."
	}
	return s
}

// graded is how a finding's example reads: `{"endangered": 1} is graded 一般 (baseline: …)`.
func graded(inc Incident, o *Outcome) string {
	if o == nil {
		return "Example: " + inc.String() + "."
	}
	return fmt.Sprintf("Example: %s is graded %s.", inc, o)
}

func (l *linter) run() {
	s := l.s
	l.lines = map[int][]lineCell{}
	for i := range s.inputs {
		if s.levelsRead(i) {
			l.lines[i] = s.line(i, s.axisOf(i))
		}
	}
	l.shadow = map[*part]*shadowing{}
	for _, p := range s.parts {
		l.shadow[p] = s.shadowOf(p)
	}
	for i := range s.inputs {
		cells, ok := l.lines[i]
		if !ok {
			continue
		}
		l.gaps(i, cells)
		if t := s.inputs[i].Type; t == grading.Count || t == grading.Amount {
			l.overlaps(i, cells)
		}
		l.monotone(i, cells)
		l.order(i, cells)
		l.scopeAgreement(i, cells)
	}
	l.shadowed()
	l.unreachable()
	l.unused()
}

// gaps reports runs of cells, past the least value, that no level names,
// through the input or through a co-member of its derived quantities: with
// no deaths, 1 missing is named by 一般's "3 人以下死亡".
func (l *linter) gaps(i int, cells []lineCell) {
	in := l.s.inputs[i]
	unnamed := func(c lineCell) bool { return c.kin == 0 && len(c.levels()) == 0 }
	for a := 1; a < len(cells); a++ {
		if !unnamed(cells[a]) {
			continue
		}
		b := a
		for b+1 < len(cells) && unnamed(cells[b+1]) {
			b++
		}
		region := join(cells[a].cell, cells[b].cell)
		var below, above *part
		if a > 0 {
			below = cells[a-1].first()
		}
		if b+1 < len(cells) {
			above = cells[b+1].first()
		}
		ex := l.s.example(i, cells[a].rep)
		o := l.outcome(ex)
		f := Finding{Input: in.ID, Region: region, Example: ex, Outcome: o}
		f.Severity, f.Code = diag.Warning, CodeGap
		rng := Describe(in, region)
		f.Summary = fmt.Sprintf("%s %s is named by no level's criterion", name(in), rng)
		var det []string
		switch {
		case below != nil && above != nil:
			det = append(det, fmt.Sprintf("%s ends below it and %s starts above it, so only other facts or the baseline can grade it.", cite(below), cite(above)))
		case above != nil:
			det = append(det, fmt.Sprintf("The lowest level naming %s is %s, from %s; no level's criterion names less.", in.ID, levelName(above.level), cite(above)))
		case below != nil:
			det = append(det, fmt.Sprintf("%s ends below it and no level names more.", cite(below)))
		}
		det = append(det, graded(ex, o))
		det = append(det, fmt.Sprintf("Name %s in the criterion of the level it belongs to, or record why it is left out in an interpretation: note.", rng))
		f.Detail = strings.Join(det, " ")
		switch {
		case below != nil:
			f.Subject, f.Path, f.Clause = below.at, below.path, below.crit.Clause
			f.Criteria = append(f.Criteria, below.crit.ID)
			f.Levels = append(f.Levels, below.level.ID)
		default:
			lv := l.leastLevel()
			f.Subject, f.Path, f.Clause = lv.At, fmt.Sprintf("levels[%d]", lv.Rank), lv.Clause
			f.Levels = append(f.Levels, lv.ID)
		}
		if above != nil {
			f.Criteria = append(f.Criteria, above.crit.ID)
			f.Levels = append(f.Levels, above.level.ID)
		}
		l.add(f)
		a = b
	}
}

// leastLevel is the baseline, or else the least severe level.
func (l *linter) leastLevel() *grading.Level {
	ls := l.s.r.Levels()
	for _, lv := range ls {
		if lv.Baseline {
			return lv
		}
	}
	return ls[len(ls)-1]
}

// overlaps reports, for each alternative of a less severe level that is
// not wholly shadowed, the runs of cells where a more severe level names
// the input too.
func (l *linter) overlaps(i int, cells []lineCell) {
	in := l.s.inputs[i]
	type key struct {
		p    *part
		over string
	}
	var order []key
	at := map[key][]int{}
	with := map[key][]*part{}
	for k, c := range cells {
		for rank, ps := range c.named {
			var over []*part
			var ids []string
			for _, ps2 := range c.named[:rank] {
				if len(ps2) > 0 {
					over = append(over, ps2[0])
					ids = append(ids, ps2[0].crit.ID)
				}
			}
			if len(over) == 0 {
				continue
			}
			for _, p := range ps {
				if l.shadow[p].shadowed() {
					continue
				}
				kk := key{p, strings.Join(ids, "\x00")}
				if _, ok := at[kk]; !ok {
					order = append(order, kk)
					with[kk] = over
				}
				at[kk] = append(at[kk], k)
			}
		}
	}
	for _, kk := range order {
		ks := at[kk]
		for a := 0; a < len(ks); {
			b := a
			for b+1 < len(ks) && ks[b+1] == ks[b]+1 {
				b++
			}
			l.reportOverlap(in, i, cells, kk.p, ks[a], ks[b], with[kk])
			a = b + 1
		}
	}
}

func (l *linter) reportOverlap(in *grading.Input, i int, cells []lineCell, p *part, a, b int, over []*part) {
	region := join(cells[a].cell, cells[b].cell)
	rng := Describe(in, region)
	ex := l.s.example(i, cells[a].rep)
	o := l.outcome(ex)
	var clauses, cites []string
	f := Finding{Input: in.ID, Region: region, Example: ex, Outcome: o,
		Levels: []string{p.level.ID}, Criteria: []string{p.crit.ID}}
	for _, q := range over {
		clauses = append(clauses, q.crit.Clause)
		cites = append(cites, cite(q))
		f.Levels = append(f.Levels, q.level.ID)
		f.Criteria = append(f.Criteria, q.crit.ID)
	}
	f.Severity, f.Code = diag.Warning, CodeOverlap
	f.Subject, f.Path, f.Clause = p.at, p.path, p.crit.Clause
	f.Summary = fmt.Sprintf("%s %s is named by both %s (%s) and %s (%s)", name(in), rng,
		p.crit.Clause, levelName(p.level), strings.Join(clauses, ", "), levelName(over[0].level))
	f.Detail = fmt.Sprintf("%s reaches into the range of %s; the more severe level wins there, so %s decides only outside that range (%s). %s Bound %s where the more severe level starts, or record the reading in an interpretation: note.",
		cite(p), strings.Join(cites, ", "), p.crit.Clause, rng, graded(ex, o), p.crit.Clause)
	l.add(f)
}

// shadowing is what shadowOf found about one alternative.
type shadowing struct {
	holds bool      // it holds somewhere
	open  bool      // somewhere it holds, no more severe level does
	by    []*part   // more severe alternatives that hold where it does
	where []float64 // a point where it holds (the first found)
	skip  bool      // too many points to search
}

func (sh *shadowing) shadowed() bool { return sh != nil && sh.holds && !sh.open && !sh.skip }

// maxGrid caps the points searched for one alternative.
const maxGrid = 1 << 18

// shadowOf decides whether p can ever decide a grade: it searches the
// cells of the inputs p reads (every other input at its least value) for a
// point where p holds and no more severe level holds through those inputs.
func (s *space) shadowOf(p *part) *shadowing {
	sh := &shadowing{}
	var idx []int
	var axes [][]cell
	size := 1
	// The last input varies slowest, so the first example found moves the
	// first input alone.
	for i := len(s.inputs) - 1; i >= 0; i-- {
		if p.reads&(1<<i) != 0 {
			ax := s.axisOf(i)
			idx = append(idx, i)
			axes = append(axes, ax)
			size *= len(ax)
			if size > maxGrid {
				sh.skip = true
				return sh
			}
		}
	}
	seen := map[*part]bool{}
	pt := s.least()
	var walk func(k int) bool
	walk = func(k int) bool {
		if k == len(idx) {
			e := s.at(pt)
			if !e.holds(p) {
				return true
			}
			if !sh.holds {
				sh.holds = true
				sh.where = slices.Clone(pt)
			}
			for _, ps := range s.level[:p.level.Rank] {
				for _, q := range ps {
					if q.reads&p.reads != 0 && e.holds(q) {
						if !seen[q] {
							seen[q] = true
							sh.by = append(sh.by, q)
						}
						return true
					}
				}
			}
			sh.open = true
			sh.where = slices.Clone(pt)
			return false
		}
		for _, c := range axes[k] {
			pt[idx[k]] = c.rep
			if !walk(k + 1) {
				return false
			}
		}
		pt[idx[k]] = 0
		return true
	}
	walk(0)
	return sh
}

// exampleAt is the incident of a point, with the inputs in mask set.
func (s *space) exampleAt(pt point, mask uint64) Incident {
	var inc Incident
	for j, in := range s.inputs {
		if mask&(1<<j) != 0 {
			inc = append(inc, Fact{in.ID, value(in, pt[j])})
		}
	}
	return inc
}

func (l *linter) shadowed() {
	s := l.s
	for _, p := range s.parts {
		sh := l.shadow[p]
		if sh.skip {
			l.add(Finding{Diagnostic: diag.Diagnostic{Severity: diag.Info, Code: CodeAnalysisIncomplete, Subject: p.at, Path: p.path, Clause: p.crit.Clause,
				Summary: fmt.Sprintf("%s reads too many inputs together to search for shadowing", p.crit.Clause),
				Detail:  "it was not checked; split it into alternatives (any:) that read fewer inputs each"}})
			continue
		}
		what := fmt.Sprintf("%s (%q)", p.crit.Clause, p.threshold())
		if l.partsOf(p.crit) > 1 {
			what = fmt.Sprintf("the alternative %q of %s", p.written(), p.crit.Clause)
		}
		f := Finding{Levels: []string{p.level.ID}, Criteria: []string{p.crit.ID}}
		f.Subject, f.Path, f.Clause = p.at, p.path, p.crit.Clause
		if !sh.holds {
			f.Severity, f.Code = diag.Warning, CodeUnsatisfiable
			f.Summary = fmt.Sprintf("%s can never hold", what)
			f.Detail = "no value of the inputs it reads satisfies it; correct its thresholds or remove it"
			l.add(f)
			continue
		}
		if !sh.shadowed() {
			continue
		}
		f.Severity, f.Code = diag.Warning, CodeShadowed
		ex := s.exampleAt(sh.where, p.reads|l.groupOf(p.reads))
		f.Example = ex
		f.Outcome = l.outcome(ex)
		var cites, clauses []string
		for _, q := range sh.by {
			cites = append(cites, cite(q))
			clauses = append(clauses, q.crit.Clause)
			f.Levels = append(f.Levels, q.level.ID)
			f.Criteria = append(f.Criteria, q.crit.ID)
		}
		where := "wherever it holds"
		if ins := s.inputsOf(p.reads); len(ins) == 1 {
			i := s.pos[ins[0].ID]
			if region, ok := l.holdRegion(p, i); ok {
				f.Input, f.Region = ins[0].ID, region
				where = fmt.Sprintf("wherever it holds (%s %s)", ins[0].ID, Describe(ins[0], region))
			}
		}
		f.Summary = fmt.Sprintf("%s can never decide a grade: %s (%s) always wins there", what, strings.Join(clauses, ", "), levelName(sh.by[0].level))
		f.Detail = fmt.Sprintf("%s, %s also holds and the more severe level wins. %s Give it a range of its own or remove it.",
			where, strings.Join(cites, ", "), graded(ex, f.Outcome))
		l.add(f)
	}
}

func (l *linter) partsOf(cr *grading.Criterion) int {
	n := 0
	for _, q := range l.s.parts {
		if q.crit == cr {
			n++
		}
	}
	return n
}

func (l *linter) groupOf(mask uint64) uint64 {
	var m uint64
	for i := range l.s.inputs {
		if mask&(1<<i) != 0 {
			m |= l.s.group[i]
		}
	}
	return m
}

func (s *space) inputsOf(mask uint64) []*grading.Input {
	var out []*grading.Input
	for i, in := range s.inputs {
		if mask&(1<<i) != 0 {
			out = append(out, in)
		}
	}
	return out
}

// holdRegion is the range of input i where p holds on i's line, when it is
// one run of cells.
func (l *linter) holdRegion(p *part, i int) (grading.Interval, bool) {
	cells := l.lines[i]
	a, b := -1, -1
	for k, c := range cells {
		if slices.Contains(c.named[p.level.Rank], p) {
			if a < 0 {
				a = k
			} else if b != k-1 {
				return grading.Interval{}, false
			}
			b = k
		}
	}
	if a < 0 {
		return grading.Interval{}, false
	}
	return join(cells[a].cell, cells[b].cell), true
}

// unreachable reports levels no incident can get: every alternative of a
// level is shadowed or never holds, or, for the baseline, every point
// searched grades above it.
func (l *linter) unreachable() {
	s := l.s
	for _, lv := range s.r.Levels() {
		if lv.Baseline {
			if l.baselineReached(lv) {
				continue
			}
			f := Finding{Levels: []string{lv.ID}}
			f.Severity, f.Code = diag.Error, CodeUnreachableLevel
			f.Subject, f.Path, f.Clause = lv.At, fmt.Sprintf("levels[%d]", lv.Rank), lv.Clause
			ex := Incident{}
			f.Example, f.Outcome = ex, l.outcome(ex)
			f.Summary = fmt.Sprintf("no incident can be graded %s: a more severe level holds even with no harm recorded", levelName(lv))
			f.Detail = fmt.Sprintf("%s Find the more severe criterion that holds at the least values and correct it.", graded(ex, f.Outcome))
			l.add(f)
			continue
		}
		ps := s.level[lv.Rank]
		if len(ps) == 0 {
			continue
		}
		dead := true
		var by []string
		for _, p := range ps {
			sh := l.shadow[p]
			if sh.holds && !sh.shadowed() {
				dead = false
				break
			}
			for _, q := range sh.by {
				if !slices.Contains(by, q.crit.Clause) {
					by = append(by, q.crit.Clause)
				}
			}
		}
		if !dead {
			continue
		}
		f := Finding{Levels: []string{lv.ID}}
		f.Severity, f.Code = diag.Error, CodeUnreachableLevel
		f.Subject, f.Path, f.Clause = lv.At, fmt.Sprintf("levels[%d]", lv.Rank), lv.Clause
		f.Summary = fmt.Sprintf("no incident can be graded %s: every criterion of %s is shadowed or never holds", levelName(lv), lv.Clause)
		f.Detail = "the more severe criteria " + strings.Join(by, ", ") + " hold wherever its criteria do; give the level ranges of its own"
		if len(by) == 0 {
			f.Detail = "none of its criteria can hold; correct their thresholds"
		}
		l.add(f)
	}
}

func (l *linter) baselineReached(lv *grading.Level) bool {
	if g := l.s.at(l.s.least()).grade(); g == lv.Rank {
		return true
	}
	for _, cells := range l.lines {
		for _, c := range cells {
			if c.grade == lv.Rank {
				return true
			}
		}
	}
	return len(l.lines) == 0
}

// monotone reports runs of cells graded less severely than a cell below
// them: more harm, lower grade.
func (l *linter) monotone(i int, cells []lineCell) {
	in := l.s.inputs[i]
	levels := l.s.r.Levels()
	sev := func(g int) int {
		if g < 0 {
			return len(levels)
		}
		return g
	}
	best, at := sev(cells[0].grade), 0
	for k := 1; k < len(cells); k++ {
		g := sev(cells[k].grade)
		if g <= best {
			best, at = g, k
			continue
		}
		b := k
		for b+1 < len(cells) && sev(cells[b+1].grade) > best {
			b++
		}
		region := join(cells[k].cell, cells[b].cell)
		ex := l.s.example(i, cells[k].rep)
		o := l.outcome(ex)
		f := Finding{Input: in.ID, Region: region, Example: ex, Outcome: o}
		f.Severity, f.Code = diag.Error, CodeNonMonotone
		higher := levels[best]
		lower := "no level"
		if cells[k].grade >= 0 {
			lower = levelName(levels[cells[k].grade])
		}
		f.Summary = fmt.Sprintf("more %s gives a lower grade: %s is %s, though %s is %s", in.ID, Describe(in, region), lower,
			Describe(in, cells[at].iv), levelName(higher))
		f.Levels = []string{higher.ID}
		if p := cells[at].first(); p != nil && p.level == higher {
			f.Subject, f.Path, f.Clause = p.at, p.path, p.crit.Clause
			f.Criteria = []string{p.crit.ID}
		} else {
			f.Subject, f.Path, f.Clause = in.At, fmt.Sprintf("inputs[%d]", l.s.yaml[in.ID]), in.Clause
		}
		f.Detail = fmt.Sprintf("A grade must not fall as harm grows. %s Extend the more severe range up to where the next one starts, or bound the next range from where this one ends.", graded(ex, o))
		l.add(f)
		k = b
	}
}

// order reports a more severe level that names an input from a lower
// value than a less severe level does (alternatives wholly shadowed are
// left to the shadowed finding).
func (l *linter) order(i int, cells []lineCell) {
	in := l.s.inputs[i]
	n := len(l.s.level)
	low := make([]int, n)
	by := make([]*part, n)
	for rank := range low {
		low[rank] = -1
	}
	for k, c := range cells {
		for rank, ps := range c.named {
			if low[rank] >= 0 {
				continue
			}
			for _, p := range ps {
				if !l.shadow[p].shadowed() {
					low[rank], by[rank] = k, p
					break
				}
			}
		}
	}
	for a := 0; a < n; a++ {
		for b := a + 1; b < n; b++ {
			if low[a] < 0 || low[b] < 0 || low[a] >= low[b] {
				continue
			}
			pa, pb := by[a], by[b]
			f := Finding{Input: in.ID, Region: join(cells[low[a]].cell, cells[low[b]-1].cell),
				Levels: []string{pa.level.ID, pb.level.ID}, Criteria: []string{pa.crit.ID, pb.crit.ID}}
			f.Example = l.s.example(i, cells[low[a]].rep)
			f.Severity, f.Code = diag.Warning, CodeThresholdOrder
			f.Subject, f.Path, f.Clause = pa.at, pa.path, pa.crit.Clause
			f.Summary = fmt.Sprintf("thresholds out of order on %s: %s (%s) starts at %s, below %s (%s), which starts at %s",
				in.ID, pa.crit.Clause, levelName(pa.level), Describe(in, cells[low[a]].iv), pb.crit.Clause, levelName(pb.level), Describe(in, cells[low[b]].iv))
			f.Outcome = l.outcome(f.Example)
			f.Detail = fmt.Sprintf("A more severe level should start where a less severe one ends: %s, %s. %s Check the two thresholds against the text.",
				cite(pa), cite(pb), graded(f.Example, f.Outcome))
			l.add(f)
		}
	}
}

// scopeAgreement compares, on one input, the scope's own thresholds with
// the grades its grades: criterion puts in scope.
func (l *linter) scopeAgreement(i int, cells []lineCell) {
	s := l.s
	var byGrades *grading.Criterion
	ref := -1
	for _, cr := range s.r.ScopeCriteria() {
		for _, lv := range cr.Grades {
			if lv.Rank > ref {
				ref, byGrades = lv.Rank, cr
			}
		}
	}
	var scopeParts []*part
	for _, p := range s.scope {
		if p.reads&(1<<i) != 0 {
			scopeParts = append(scopeParts, p)
		}
	}
	if byGrades == nil || len(scopeParts) == 0 {
		return
	}
	in := s.inputs[i]
	refLevel := s.r.Levels()[ref]
	state := func(c lineCell) int {
		inScope := len(c.scope) > 0
		graded := c.grade >= 0 && c.grade <= ref
		switch {
		case inScope && !graded:
			return 1
		case graded && !inScope:
			return 2
		}
		return 0
	}
	for a := 1; a < len(cells); a++ {
		st := state(cells[a])
		if st == 0 {
			continue
		}
		b := a
		for b+1 < len(cells) && state(cells[b+1]) == st {
			b++
		}
		region := join(cells[a].cell, cells[b].cell)
		rng := Describe(in, region)
		ex := s.example(i, cells[a].rep)
		o := l.outcome(ex)
		f := Finding{Input: in.ID, Region: region, Example: ex, Outcome: o, Levels: []string{refLevel.ID}}
		f.Severity, f.Code = diag.Warning, CodeScopeDisagreement
		sp := scopeParts[0]
		if st == 1 {
			sp = cells[a].scope[0]
			f.Summary = fmt.Sprintf("%s puts %s %s in scope, but it is graded below %s", sp.crit.Clause, name(in), rng, levelName(refLevel))
			det := fmt.Sprintf("%s starts at %s, while the grades %s covers (%s and above) start", cite(sp), Describe(in, cells[a].iv), byGrades.Clause, levelName(refLevel))
			next := -1
			for k := b + 1; k < len(cells); k++ {
				if cells[k].grade >= 0 && cells[k].grade <= ref {
					next = k
					break
				}
			}
			if next >= 0 {
				det += " at " + Describe(in, cells[next].iv)
				if p := cells[next].first(); p != nil {
					det += " with " + cite(p)
					f.Criteria = append(f.Criteria, p.crit.ID)
				}
			} else {
				det += " nowhere above it on this input"
			}
			f.Detail = det + ". " + gradedScope(ex, o) + " Align the two thresholds, or record which is meant in an interpretation: note."
		} else {
			p := cells[a].first()
			f.Summary = fmt.Sprintf("%s %s is graded %s or above, but is below %s's threshold", name(in), rng, levelName(refLevel), sp.crit.Clause)
			det := ""
			if p != nil {
				det = fmt.Sprintf("%s grades it %s; ", cite(p), levelName(p.level))
				f.Criteria = append(f.Criteria, p.crit.ID)
			}
			f.Detail = det + fmt.Sprintf("%s starts only at %s, so such an incident is in scope only through %s. %s Align the two thresholds, or record which is meant in an interpretation: note.",
				cite(sp), l.scopeStart(cells, sp, in), byGrades.Clause, gradedScope(ex, o))
		}
		f.Subject, f.Path, f.Clause = sp.at, sp.path, sp.crit.Clause
		f.Criteria = append([]string{sp.crit.ID}, f.Criteria...)
		l.add(f)
		a = b
	}
}

func (l *linter) scopeStart(cells []lineCell, sp *part, in *grading.Input) string {
	for _, c := range cells {
		if slices.Contains(c.scope, sp) {
			return Describe(in, c.iv)
		}
	}
	return "no value"
}

// unused reports inputs that are not context and that no criterion reads.
func (l *linter) unused() {
	s := l.s
	var read uint64
	for _, p := range s.parts {
		read |= p.reads
	}
	for _, p := range s.scope {
		read |= p.reads
	}
	for i, in := range s.inputs {
		if in.Context || read&(1<<i) != 0 {
			continue
		}
		f := Finding{Input: in.ID, Region: grading.All}
		f.Range = "any value"
		f.Severity, f.Code = diag.Warning, CodeUnusedInput
		f.Subject, f.Path, f.Clause = in.At, fmt.Sprintf("inputs[%d]", s.yaml[in.ID]), in.Clause
		f.Summary = fmt.Sprintf("input %s is declared but no criterion reads it", name(in))
		f.Detail = "use it in a criterion, declare it context: true if it is context for rosters and the workflow, or remove it"
		l.add(f)
	}
}

// interpretations lists every interpretation: note of the rule set as a
// to-do for the next revision.
func (l *linter) interpretations() {
	r := l.s.r
	seen := map[string]bool{}
	note := func(text, clause, what, path string, at diag.Range) {
		text = strings.TrimSpace(text)
		if text == "" || seen[clause+"\x00"+text] {
			return
		}
		seen[clause+"\x00"+text] = true
		l.out = append(l.out, Finding{Diagnostic: interpretation(text, clause, what, path, at)})
	}
	for i, in := range r.Inputs() {
		note(in.Interpretation, in.Clause, "input "+in.ID, fmt.Sprintf("inputs[%d]", i), in.At)
	}
	for i, q := range r.Quantities() {
		if q.Input == nil {
			note(q.Interpretation, q.Clause, "quantity "+q.ID, fmt.Sprintf("quantities[%d]", i-len(l.s.inputs)), q.At)
		}
	}
	for _, lv := range r.Levels() {
		path := fmt.Sprintf("levels[%d]", lv.Rank)
		note(lv.Interpretation, lv.Clause, "level "+levelName(lv), path, lv.At)
		note(lv.Authority.Interpretation, lv.Authority.Clause, "who activates "+levelName(lv), path+".authority", lv.At)
		for j, cr := range lv.Criteria {
			note(cr.Interpretation, cr.Clause, "criterion", fmt.Sprintf("%s.criteria[%d]", path, j), cr.At)
		}
	}
	sc := r.Scope()
	var scopeAt diag.Range
	if cs := r.ScopeCriteria(); len(cs) > 0 {
		scopeAt = cs[0].At
	}
	note(sc.Interpretation, sc.Clause, "scope", "scope", scopeAt)
	for j, cr := range r.ScopeCriteria() {
		note(cr.Interpretation, cr.Clause, "scope criterion", fmt.Sprintf("scope.criteria[%d]", j), cr.At)
	}
}

// interpretation is the Info diagnostic listing one interpretation note.
func interpretation(text, clause, what, path string, at diag.Range) diag.Diagnostic {
	where := what
	if clause != "" {
		where = clause + " (" + what + ")"
	}
	return diag.Diagnostic{Severity: diag.Info, Code: CodeInterpretation, Subject: at, Path: path, Clause: clause,
		Summary: fmt.Sprintf("interpretation taken at %s: %s", where, clip(text, 90)),
		Detail:  text + " — To do for the next revision: confirm this reading in the text, or reword the clause so that it needs none."}
}
