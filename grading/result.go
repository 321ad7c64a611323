package grading

import (
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"strings"
)

// Rules returns the rule set that produced the result.
func (res *Result) Rules() *Rules { return res.rules }

// Incident returns the facts the result was graded on.
func (res *Result) Incident() Incident { return res.inc }

// Level returns the grade. It is false only for a plan without a baseline
// level when no criterion matched.
func (res *Result) Level() (*Level, bool) {
	if res.rules == nil || res.level < 0 {
		return nil, false
	}
	return res.rules.levels[res.level], true
}

// Ceiling returns the most severe grade the unknown inputs could still
// reach; it equals Level when nothing unknown could raise it.
func (res *Result) Ceiling() (*Level, bool) {
	if res.rules == nil || res.ceiling < 0 {
		return nil, false
	}
	return res.rules.levels[res.ceiling], true
}

// InScope reports whether the incident falls within the plan's scope.
func (res *Result) InScope() bool { return res.scope != 0 }

// Match is a criterion that holds for the incident.
//
// Concurrency: a value referring to the Rules' criteria; safe to read from
// any goroutine.
type Match struct {
	Criterion *Criterion
	// Provisional is set when the criterion holds only because some input
	// it depends on is unknown and was taken at its least severe value.
	Provisional bool
}

// Matches iterates over the matched criteria, most severe level first,
// without allocating.
func (res *Result) Matches() iter.Seq[Match] {
	return func(yield func(Match) bool) {
		if res.rules == nil {
			return
		}
		for _, cr := range res.rules.criteria {
			if res.matched.has(cr.index) && !yield(Match{cr, res.provisional.has(cr.index)}) {
				return
			}
		}
	}
}

// Matched returns the matched criteria, at the winning level and below.
func (res *Result) Matched() []Match {
	out := make([]Match, 0, res.matched.count())
	for m := range res.Matches() {
		out = append(out, m)
	}
	return out
}

// ScopeMatched returns the scope criteria that hold.
func (res *Result) ScopeMatched() []Match {
	var out []Match
	if res.rules == nil {
		return out
	}
	for _, cr := range res.rules.scope {
		if res.scope&(1<<cr.index) != 0 {
			out = append(out, Match{cr, res.scopeProv&(1<<cr.index) != 0})
		}
	}
	return out
}

// Unknown is an input with no value that could still raise the grade.
//
// Concurrency: a value referring to the Rules' inputs and levels; safe to
// read from any goroutine.
type Unknown struct {
	Input      *Input
	CouldReach *Level
}

// Unknowns lists the unknown inputs that could raise the grade, with the
// most severe level each could reach, in declaration order.
func (res *Result) Unknowns() []Unknown {
	var out []Unknown
	if res.rules == nil {
		return out
	}
	for _, in := range res.rules.inputs {
		if in.index >= 0 && res.reach[in.index] != 0 {
			out = append(out, Unknown{in, res.rules.levels[res.reach[in.index]-1]})
		}
	}
	return out
}

// Because explains why criterion cr holds (or does not) for the incident,
// with the figures: "deaths + missing = 12 ∈ [10, 30)".
func (res *Result) Because(cr *Criterion) string {
	if cr.Cond == nil {
		names := make([]string, len(cr.Grades))
		for i, l := range cr.Grades {
			names[i] = l.Name
		}
		if l, ok := res.Level(); ok {
			return fmt.Sprintf("grade %s is one of %s", l.Name, strings.Join(names, ", "))
		}
		return "no grade"
	}
	var parts []string
	res.because(cr.Cond, &parts)
	return strings.Join(parts, "; ")
}

func (res *Result) because(c *Cond, parts *[]string) {
	switch c.Op {
	case OpAny:
		// Name the alternatives that hold whatever the unknowns are; only
		// when none does, the ones that hold with unknowns taken at their
		// least severe value.
		ev := res.evaluator()
		var sure, min []*Cond
		for _, k := range c.Kids {
			t := ev.eval(k)
			if t.sure {
				sure = append(sure, k)
			} else if t.min {
				min = append(min, k)
			}
		}
		if len(sure) == 0 {
			sure = min
		}
		for _, k := range sure {
			res.because(k, parts)
		}
	case OpAll:
		for _, k := range c.Kids {
			res.because(k, parts)
		}
	case OpAtom:
		*parts = append(*parts, res.describeAtom(c))
	case OpExpr:
		var vals []string
		for _, in := range res.rules.inputs {
			if in.index >= 0 && c.refs&(1<<in.index) != 0 {
				vals = append(vals, res.describeInput(in))
			}
		}
		*parts = append(*parts, fmt.Sprintf("%s holds (%s)", strings.TrimSpace(c.Written), strings.Join(vals, ", ")))
	}
}

func (res *Result) evaluator() *evaluator {
	qv := make([]qval, len(res.rules.quantities))
	for i, q := range res.rules.quantities {
		// The Result exists, so every quantity it reads was evaluated.
		qv[i], _ = res.rules.quantityValue(q, &res.inc)
	}
	return &evaluator{r: res.rules, inc: &res.inc, q: qv}
}

func (res *Result) describeInput(in *Input) string {
	if res.inc.known&(1<<in.index) == 0 {
		return in.ID + " unknown"
	}
	x := res.inc.val(in.index)
	switch in.Type {
	case Enum:
		return fmt.Sprintf("%s = %s", in.ID, in.Values[int(x)].ID)
	case Bool:
		return fmt.Sprintf("%s = %t", in.ID, x == 1)
	}
	return fmt.Sprintf("%s = %s", in.ID, FormatNumber(x, in.Unit))
}

func (res *Result) describeAtom(c *Cond) string {
	q := c.Quantity
	v, _ := res.rules.quantityValue(q, &res.inc)
	name := q.ID
	if q.Expr != "" {
		name = strings.TrimSpace(q.Expr)
	}
	var unknown []string
	for _, in := range res.rules.inputs {
		if in.index >= 0 && v.refs&(1<<in.index) != 0 {
			unknown = append(unknown, in.ID)
		}
	}
	note := ""
	if len(unknown) > 0 {
		note = " (" + strings.Join(unknown, ", ") + " unknown)"
	}
	switch q.Type {
	case Enum:
		vals := q.Input.Values
		got := vals[int(v.lo)].ID
		if !v.known {
			return fmt.Sprintf("%s unknown", name)
		}
		if math.IsInf(c.Interval.Hi, 1) {
			return fmt.Sprintf("%s = %s ≥ %s", name, got, vals[int(c.Interval.Lo)].ID)
		}
		return fmt.Sprintf("%s = %s", name, got)
	case Bool:
		if !v.known {
			return fmt.Sprintf("%s unknown", name)
		}
		return fmt.Sprintf("%s = %t", name, v.lo == 1)
	}
	rel := "∈"
	if !c.Interval.Contains(v.lo) {
		rel = "∉"
	}
	switch {
	case v.known:
		return fmt.Sprintf("%s = %s %s %s", name, FormatNumber(v.lo, q.Unit), rel, c.Interval.String())
	case v.refs == q.refs:
		return fmt.Sprintf("%s unknown, taken as %s %s %s", name, FormatNumber(v.lo, q.Unit), rel, c.Interval.String())
	}
	return fmt.Sprintf("%s ≥ %s%s %s %s", name, FormatNumber(v.lo, q.Unit), note, rel, c.Interval.String())
}

// resultJSON is the wire form of a Result: the integration contract.
// Every id comes with its display name (level and levelName, response and
// responseName, input and inputName); every list is present, [] when
// empty; a key is left out only where it has no meaning (the level of a
// scope criterion) or no text (authority clause and text, interpretation).
type resultJSON struct {
	Level        string        `json:"level"`
	LevelName    string        `json:"levelName"`
	Response     string        `json:"response"`
	ResponseName string        `json:"responseName"`
	Authority    authorityJSON `json:"authority"`
	InScope      bool          `json:"inScope"`
	Scope        []matchJSON   `json:"scope"`
	Matched      []matchJSON   `json:"matched"`
	Unknown      []unknownJSON `json:"unknown"`
	Ceiling      string        `json:"ceiling"`
	CeilingName  string        `json:"ceilingName"`
}

type authorityJSON struct {
	Bodies []string `json:"bodies"`
	Clause string   `json:"clause,omitempty"`
	Text   string   `json:"text,omitempty"`
}

type matchJSON struct {
	Level          string `json:"level,omitempty"`
	LevelName      string `json:"levelName,omitempty"`
	Criterion      string `json:"criterion"`
	Clause         string `json:"clause"`
	Text           string `json:"text"`
	Because        string `json:"because"`
	Provisional    bool   `json:"provisional"`
	Interpretation string `json:"interpretation,omitempty"`
}

type unknownJSON struct {
	Input          string `json:"input"`
	InputName      string `json:"inputName"`
	CouldReach     string `json:"couldReach"`
	CouldReachName string `json:"couldReachName"`
}

func (res *Result) matchJSON(m Match) matchJSON {
	mj := matchJSON{Criterion: m.Criterion.ID, Clause: m.Criterion.Clause, Text: m.Criterion.Text,
		Because: res.Because(m.Criterion), Provisional: m.Provisional, Interpretation: m.Criterion.Interpretation}
	if l := m.Criterion.Level; l != nil {
		mj.Level, mj.LevelName = l.ID, l.Name
	}
	return mj
}

// MarshalJSON renders the result with its explanation:
//
//	level, levelName        the grade: "serious", "重大" ("" with no level)
//	response, responseName  the response level it starts: "II", "Ⅱ级应急响应"
//	authority               who may start it: bodies[], clause, text
//	inScope, scope[]        the plan's scope (1.3) and the criteria that put it there
//	matched[]               every matched criterion, most severe level first:
//	                        level, levelName, criterion, clause, text,
//	                        because (the figures), provisional, interpretation
//	unknown[]               unknown inputs that could raise the grade:
//	                        input, inputName, couldReach, couldReachName
//	ceiling, ceilingName    the most severe grade the unknowns could reach
//
// Lists are [] when empty, never null.
func (res Result) MarshalJSON() ([]byte, error) {
	out := resultJSON{Scope: []matchJSON{}, Matched: []matchJSON{}, Unknown: []unknownJSON{}, Authority: authorityJSON{Bodies: []string{}}}
	if l, ok := res.Level(); ok {
		out.Level, out.LevelName = l.ID, l.Name
		out.Response, out.ResponseName = l.Response.ID, l.Response.Name
		out.Authority = authorityJSON{Bodies: l.Authority.Bodies, Clause: l.Authority.Clause, Text: l.Authority.Text}
		if out.Authority.Bodies == nil {
			out.Authority.Bodies = []string{}
		}
	}
	if l, ok := res.Ceiling(); ok {
		out.Ceiling, out.CeilingName = l.ID, l.Name
	}
	out.InScope = res.InScope()
	for _, m := range res.ScopeMatched() {
		out.Scope = append(out.Scope, res.matchJSON(m))
	}
	for m := range res.Matches() {
		out.Matched = append(out.Matched, res.matchJSON(m))
	}
	for _, u := range res.Unknowns() {
		out.Unknown = append(out.Unknown, unknownJSON{Input: u.Input.ID, InputName: u.Input.Label, CouldReach: u.CouldReach.ID, CouldReachName: u.CouldReach.Name})
	}
	return json.Marshal(out)
}

// Explain renders the result for a person: the grade, the response level
// and who may start it, the scope, every matched criterion with its clause
// and figures, and what the unknown inputs could still change.
func (res *Result) Explain() string {
	var b strings.Builder
	l, ok := res.Level()
	if !ok {
		b.WriteString("No level matched, and the plan declares no baseline level.\n")
		return b.String()
	}
	fmt.Fprintf(&b, "Grade: %s (%s)", l.Name, l.ID)
	if l.Clause != "" {
		fmt.Fprintf(&b, " [%s]", l.Clause)
	}
	b.WriteByte('\n')
	if l.Response.ID != "" {
		fmt.Fprintf(&b, "Response: %s", l.Response.ID)
		if l.Response.Name != "" {
			fmt.Fprintf(&b, " %s", l.Response.Name)
		}
		if l.Response.Clause != "" {
			fmt.Fprintf(&b, " [%s]", l.Response.Clause)
		}
		b.WriteByte('\n')
	}
	if len(l.Authority.Bodies) > 0 {
		fmt.Fprintf(&b, "Activated by: %s", strings.Join(l.Authority.Bodies, " or "))
		if l.Authority.Clause != "" {
			fmt.Fprintf(&b, " [%s]", l.Authority.Clause)
		}
		b.WriteByte('\n')
	}
	if len(res.rules.scope) > 0 {
		if res.InScope() {
			fmt.Fprintf(&b, "In scope of this plan:")
			for _, m := range res.ScopeMatched() {
				fmt.Fprintf(&b, " %s", m.Criterion.Clause)
			}
			b.WriteByte('\n')
		} else {
			fmt.Fprintf(&b, "Not in scope of this plan [%s]\n", res.rules.scopeInfo.Clause)
		}
	}
	matched := res.Matched()
	if len(matched) == 0 && l.Baseline {
		fmt.Fprintf(&b, "No criterion matched; %s is the baseline: every incident is at least %s.\n", l.Name, l.Name)
		if l.Interpretation != "" {
			fmt.Fprintf(&b, "  interpretation: %s\n", l.Interpretation)
		}
	}
	if len(matched) > 0 {
		b.WriteString("Because:\n")
	}
	for _, m := range matched {
		cr := m.Criterion
		fmt.Fprintf(&b, "  %s %s: %s", cr.Level.Name, cr.Clause, res.Because(cr))
		if m.Provisional {
			b.WriteString(" (provisional)")
		}
		b.WriteByte('\n')
		fmt.Fprintf(&b, "      「%s」\n", cr.Text)
		if cr.Interpretation != "" {
			fmt.Fprintf(&b, "      interpretation: %s\n", cr.Interpretation)
		}
	}
	if us := res.Unknowns(); len(us) > 0 {
		b.WriteString("Unknown, could still raise the grade:\n")
		for _, u := range us {
			label := ""
			if u.Input.Label != "" {
				label = " (" + u.Input.Label + ")"
			}
			fmt.Fprintf(&b, "  %s%s → up to %s\n", u.Input.ID, label, u.CouldReach.Name)
		}
	}
	return b.String()
}
