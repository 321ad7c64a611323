package analysis

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/internal/human"
)

// GradeChange is a range of one input that two rule sets treat differently:
// they grade it differently (Kind "grade"), or grade it the same but
// disagree on whether it is within the plan's scope (Kind "scope", only
// when both have scope criteria).
//
// Concurrency: a plain value; safe to read from several goroutines, not to change while read.
type GradeChange struct {
	Kind  string `json:"kind"`
	Input string `json:"input"`
	Label string `json:"label,omitempty"`
	// Region is the range of the input's values (enum ranks of A, or of B
	// for values only B has; 0 and 1 for bools); Range renders it.
	Region grading.Interval `json:"-"`
	Range  string           `json:"range"`
	// Bounds is Range with its numeric ends (enum ranks along both rule
	// sets' values, in the order of Range).
	Bounds Bounds `json:"bounds"`
	// Example is an incident in the region: the input, and the inputs
	// that share a derived quantity with it at their least value. Each
	// rule set is given the facts it has inputs for.
	Example Facts `json:"example"`
	A       Side  `json:"a"`
	B       Side  `json:"b"`
}

// Side is what one rule set makes of a GradeChange's example.
//
// Concurrency: a plain value; safe to read from several goroutines, not to change while read.
type Side struct {
	Outcome
	// Note says when the rule set lacks the input (or the enum value), so
	// that it graded the example with that fact unknown.
	Note string `json:"note,omitempty"`

	noteZH string
}

// Diff compares two rule sets input by input: along each input's values,
// with every other input at its least severe value (or unknown, where a
// rule set lacks it), it grades the same incidents with both and returns
// the ranges where the grades differ, compared by level id, each with an
// example and both grades and deciding clauses. An input only one rule
// set declares is unknown to the other, and the Side says so.
//
// The values compared are the critical values of both rule sets (every
// threshold and every number an expression compares with) and the values
// between them, so every range where the grades differ along one input is
// found; differences that need two inputs at once (a criterion with all:)
// are not searched. Diff is safe for concurrent use.
func Diff(a, b *grading.Rules) ([]GradeChange, error) {
	sa, err := newSpace(a)
	if err != nil {
		return nil, err
	}
	sb, err := newSpace(b)
	if err != nil {
		return nil, err
	}
	d := differ{ctx: context.Background(), a: sa, b: sb}
	var out []GradeChange
	for _, id := range d.inputIDs() {
		cs, err := d.input(id)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	return out, nil
}

type differ struct {
	ctx  context.Context
	a, b *space
}

// inputIDs lists the graded inputs of A, then those only B has.
func (d *differ) inputIDs() []string {
	var ids []string
	for _, in := range d.a.inputs {
		ids = append(ids, in.ID)
	}
	for _, in := range d.b.inputs {
		if !slices.Contains(ids, in.ID) {
			ids = append(ids, in.ID)
		}
	}
	return ids
}

// diffAxis is the shared axis of one input: its cells, and for enums the
// value id of each cell.
type diffAxis struct {
	in    *grading.Input // the input as A declares it, else as B does
	cells []cell
	ids   []string // enum value ids by cell
}

func (d *differ) axis(id string) diffAxis {
	ia, okA := d.a.pos[id]
	ib, okB := d.b.pos[id]
	var ax diffAxis
	switch {
	case okA && okB:
		inA, inB := d.a.inputs[ia], d.b.inputs[ib]
		ax.in = inA
		if inA.Type == grading.Enum && inB.Type == grading.Enum {
			for _, v := range inA.Values {
				ax.ids = append(ax.ids, v.ID)
			}
			for _, v := range inB.Values {
				if !slices.Contains(ax.ids, v.ID) {
					ax.ids = append(ax.ids, v.ID)
				}
			}
			for k := range ax.ids {
				ax.cells = append(ax.cells, pointCell(float64(k)))
			}
			return ax
		}
		in := inA
		if inA.Type == grading.Amount && inB.Type == grading.Count {
			in = inB // whole numbers suit both
		}
		ax.cells = axis(in, append(slices.Clone(d.a.crit[ia]), d.b.crit[ib]...))
	case okA:
		ax.in = d.a.inputs[ia]
		ax.cells = d.a.axisOf(ia)
	default:
		ax.in = d.b.inputs[ib]
		ax.cells = d.b.axisOf(ib)
	}
	if ax.in.Type == grading.Enum {
		for _, v := range ax.in.Values {
			ax.ids = append(ax.ids, v.ID)
		}
	}
	return ax
}

// facts is the example at cell k of the axis: the input and, at their
// least value, the inputs that share a derived quantity with it in either
// rule set.
func (d *differ) facts(id string, ax diffAxis, k int) Facts {
	var v any
	if ax.ids != nil {
		v = ax.ids[k]
	} else {
		v = value(ax.in, ax.cells[k].rep)
	}
	kin := map[string]bool{}
	for _, s := range []*space{d.a, d.b} {
		if i, ok := s.pos[id]; ok {
			for j, in := range s.inputs {
				if j != i && s.group[i]&(1<<j) != 0 {
					kin[in.ID] = true
				}
			}
		}
	}
	var inc Facts
	for _, s := range []*space{d.a, d.b} {
		for _, in := range s.inputs {
			if _, done := inc.Get(in.ID); done {
				continue
			}
			switch {
			case in.ID == id:
				inc = append(inc, Fact{id, v})
			case kin[in.ID]:
				inc = append(inc, Fact{in.ID, value(in, 0)})
			}
		}
	}
	return inc
}

// side grades inc with s, leaving out the facts s has no input or value
// for, and says so.
func (d *differ) side(s *space, inc Facts) (Side, error) {
	var keep Facts
	var notes, notesZH []string
	for _, f := range inc {
		in, ok := s.r.Input(f.Input)
		if !ok || in.Type == grading.List {
			notes = append(notes, fmt.Sprintf("has no input %s: taken as unknown", f.Input))
			notesZH = append(notesZH, fmt.Sprintf("没有输入 %s，按未知处理", f.Input))
			continue
		}
		if id, isStr := f.Value.(string); isStr && in.Type == grading.Enum {
			if _, ok := in.Rank(id); !ok {
				notes = append(notes, fmt.Sprintf("has no value %s of %s: taken as unknown", id, f.Input))
				notesZH = append(notesZH, fmt.Sprintf("%s 没有取值 %s，按未知处理", f.Input, id))
				continue
			}
		}
		keep = append(keep, f)
	}
	o, err := Classify(d.ctx, s.r, keep)
	if err != nil {
		return Side{}, fmt.Errorf("analysis: grading %s: %w", keep, err)
	}
	return Side{Outcome: o, Note: strings.Join(notes, "; "), noteZH: strings.Join(notesZH, "；")}, nil
}

func (d *differ) input(id string) ([]GradeChange, error) {
	ax := d.axis(id)
	type row struct {
		inc  Facts
		a, b Side
		kind string
	}
	rows := make([]row, len(ax.cells))
	for k := range ax.cells {
		inc := d.facts(id, ax, k)
		sa, err := d.side(d.a, inc)
		if err != nil {
			return nil, err
		}
		sb, err := d.side(d.b, inc)
		if err != nil {
			return nil, err
		}
		kind := ""
		switch {
		case sa.Level != sb.Level:
			kind = "grade"
		case sa.InScope != nil && sb.InScope != nil && *sa.InScope != *sb.InScope:
			kind = "scope"
		}
		rows[k] = row{inc, sa, sb, kind}
	}
	sameRun := func(x, y row) bool {
		return x.kind == y.kind && x.a.Outcome.same(y.a.Outcome) && x.b.Outcome.same(y.b.Outcome) && x.a.Note == y.a.Note && x.b.Note == y.b.Note
	}
	var out []GradeChange
	for a := 0; a < len(rows); a++ {
		if rows[a].kind == "" {
			continue
		}
		b := a
		for b+1 < len(rows) && sameRun(rows[a], rows[b+1]) {
			b++
		}
		region := join(ax.cells[a], ax.cells[b])
		c := GradeChange{Kind: rows[a].kind, Input: id, Label: ax.in.Label, Region: region, Example: rows[a].inc, A: rows[a].a, B: rows[a].b}
		if ax.ids != nil {
			c.Range = strings.Join(ax.ids[a:b+1], ", ")
			lo, hi := float64(a), float64(b)
			c.Bounds = Bounds{Input: id, Text: c.Range, Lo: &lo, LoInclusive: true, Hi: &hi, HiInclusive: true, Values: slices.Clone(ax.ids[a : b+1])}
		} else {
			c.Bounds = BoundsOf(ax.in, region)
			c.Range = c.Bounds.Text
		}
		out = append(out, c)
		a = b
	}
	return out, nil
}

// Text renders the change for a person, in English, naming the two rule
// sets:
//
//	seriousInjuries (中毒（重伤）人数) 10–29 人: grade differs
//	    changji-2025:  一般 (baseline: no criterion names it)
//	    national-493:  较大 by 第三条第一款（三）
//	    example: {"seriousInjuries": 10}
func (c GradeChange) Text(aName, bName string) string { return c.text(aName, bName, human.English) }

// text is Text in l; in Chinese:
//
//	seriousInjuries (中毒（重伤）人数) 10–29 人：分级不同
//	    changji-2025：一般（基线：没有标准涵盖）
//	    national-493：较大，依据 第三条第一款（三）
//	    示例：{"seriousInjuries": 10}
func (c GradeChange) text(aName, bName string, l human.Lang) string {
	var b strings.Builder
	what := c.Input
	if c.Label != "" {
		what += " (" + c.Label + ")"
	}
	kind := l.Pick("分级不同", "grade differs")
	if c.Kind == "scope" {
		kind = l.Pick("适用范围不同", "scope differs")
	}
	fmt.Fprintf(&b, l.Pick("%s %s：%s\n", "%s %s: %s\n"), what, c.Range, kind)
	colon := l.Pick("：", ": ")
	w := max(human.Width(aName+colon), human.Width(bName+colon))
	for _, s := range []struct {
		name string
		side Side
	}{{aName, c.A}, {bName, c.B}} {
		label := s.name + colon
		b.WriteString("    " + label + strings.Repeat(" ", w-human.Width(label)) + s.side.Outcome.Text(l.String()))
		if c.Kind == "scope" && s.side.InScope != nil {
			if *s.side.InScope {
				b.WriteString(l.Pick("，属于适用范围", ", in scope"))
			} else {
				b.WriteString(l.Pick("，不属于适用范围", ", not in scope"))
			}
		}
		if note := s.side.Note; note != "" {
			if l == human.Chinese && s.side.noteZH != "" {
				note = s.side.noteZH
			}
			fmt.Fprintf(&b, l.Pick("——%s %s", " — %s %s"), s.name, note)
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, l.Pick("    示例：%s\n", "    example: %s\n"), c.Example)
	return b.String()
}
