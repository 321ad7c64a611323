package analysis

// Coverage of a rule set by a set of incidents, as `opa test --coverage`
// gives a policy's authors: which criteria some incident matched, and
// which threshold boundaries some incident sat at on each side.

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/internal/human"
)

// GradingCoverage records what a set of incidents exercises of a rule set:
//
//   - every criterion of a level or of the scope, matched (not only
//     provisionally) by some incident;
//   - both sides of every threshold boundary: for each finite end of an
//     atom's range (a count or amount, an ordered enum's rank, a bool's
//     value), an incident just inside it and one just outside — the
//     quantity at the end and one person, one yuan or one rank past it,
//     as BoundaryCases writes them. An incident is at a side when moving
//     one input of the atom's quantity it gives by one unit (a person, a
//     yuan, a rank) across the end flips the atom.
//
// Boundaries of expressions (expr:) are not measured; their criteria are.
//
// Concurrency: a GradingCoverage is owned by its caller; Add is not safe
// for concurrent use. The Rules may be shared.
type GradingCoverage struct {
	r      *grading.Rules
	crits  []*grading.Criterion
	hit    map[*grading.Criterion]bool
	bounds []*boundary
}

// boundary is one finite end of an atom's range.
type boundary struct {
	crit *grading.Criterion
	atom *grading.Cond
	hi   bool // the upper end; else the lower
	side [2]bool
}

// Sides of a boundary.
const (
	sideIn  = 0
	sideOut = 1
)

// NewGradingCoverage starts measuring the coverage of r.
func NewGradingCoverage(r *grading.Rules) *GradingCoverage {
	c := &GradingCoverage{r: r, hit: map[*grading.Criterion]bool{}}
	for _, cr := range append(append([]*grading.Criterion{}, r.Criteria()...), r.ScopeCriteria()...) {
		c.crits = append(c.crits, cr)
		if cr.Cond != nil {
			c.walk(cr, cr.Cond)
		}
	}
	return c
}

func (c *GradingCoverage) walk(cr *grading.Criterion, cd *grading.Cond) {
	for _, k := range cd.Kids {
		c.walk(cr, k)
	}
	if cd.Op != grading.OpAtom {
		return
	}
	iv, max := cd.Interval, math.Inf(1)
	switch cd.Quantity.Type {
	case grading.Enum:
		if cd.Quantity.Input == nil {
			return
		}
		max = float64(len(cd.Quantity.Input.Values) - 1)
	case grading.Bool:
		max = 1
	}
	if !math.IsInf(iv.Lo, 0) && iv.Lo > 0 || iv.Lo == 0 && !iv.LoIncl {
		c.bounds = append(c.bounds, &boundary{crit: cr, atom: cd})
	}
	if !math.IsInf(iv.Hi, 0) && iv.Hi < max {
		c.bounds = append(c.bounds, &boundary{crit: cr, atom: cd, hi: true})
	}
}

// Add records what one incident exercises. It is an error only when the
// incident cannot be graded by the rules.
func (c *GradingCoverage) Add(ctx context.Context, inc grading.Incident) error {
	res, err := c.r.Classify(ctx, inc)
	if err != nil {
		return err
	}
	for m := range res.Matches() {
		if !m.Provisional {
			c.hit[m.Criterion] = true
		}
	}
	for _, m := range res.ScopeMatched() {
		if !m.Provisional {
			c.hit[m.Criterion] = true
		}
	}
	ev, err := c.r.Evaluate(inc)
	if err != nil {
		return err
	}
	for _, b := range c.bounds {
		holds := ev.Holds(b.atom)
		for _, id := range b.atom.Quantity.InputIDs(c.r) {
			if !inc.Known(id) {
				continue
			}
			for _, delta := range []float64{-1, 1} {
				moved, ok := c.move(inc, id, delta)
				if !ok {
					continue
				}
				mev, err := c.r.Evaluate(moved)
				if err != nil {
					return err
				}
				if mev.Holds(b.atom) == holds {
					continue
				}
				// Moving up flips the atom on at its lower end and off at
				// its upper end; moving down the other way round.
				up := delta > 0
				switch {
				case holds && up == b.hi:
					b.side[sideIn] = true
				case !holds && up != b.hi:
					b.side[sideOut] = true
				}
			}
		}
	}
	return nil
}

// move is inc with input id moved by one unit (a person, a yuan, a rank,
// the other truth value); false when that is not a value of the input.
func (c *GradingCoverage) move(inc grading.Incident, id string, delta float64) (grading.Incident, bool) {
	in, ok := c.r.Input(id)
	if !ok {
		return inc, false
	}
	v, _ := inc.Value(id)
	var next any
	switch in.Type {
	case grading.Count, grading.Amount:
		x, _ := v.(float64)
		if x+delta < 0 {
			return inc, false
		}
		next = x + delta
	case grading.Enum:
		r, _ := in.Rank(v.(string))
		r += int(delta)
		if r < 0 || r >= len(in.Values) {
			return inc, false
		}
		next = in.Values[r].ID
	case grading.Bool:
		b, _ := v.(bool)
		if b == (delta > 0) {
			return inc, false
		}
		next = !b
	default:
		return inc, false
	}
	if err := inc.Set(id, next); err != nil {
		return inc, false
	}
	return inc, true
}

// Report is the coverage so far, in two categories: "criteria" and
// "boundaries".
func (c *GradingCoverage) Report() CoverageReport {
	crit := CoverageCategory{Name: "criteria", Missed: []CoverageItem{}}
	for _, cr := range c.crits {
		crit.Total++
		if c.hit[cr] {
			crit.Covered++
			continue
		}
		what, whatZH := "scope", "适用范围"
		if cr.Level != nil {
			what, whatZH = levelName(cr.Level), levelName(cr.Level)
		}
		crit.Missed = append(crit.Missed, CoverageItem{ID: cr.ID, Clause: cr.Clause, Subject: cr.At,
			What:   fmt.Sprintf("%s (%s): no case matches it", cr.Clause, what),
			WhatZH: fmt.Sprintf("%s（%s）：没有用例满足它", cr.Clause, whatZH)})
	}
	bounds := CoverageCategory{Name: "boundaries", Missed: []CoverageItem{}}
	for _, b := range c.bounds {
		for side := range 2 {
			bounds.Total++
			if b.side[side] {
				bounds.Covered++
				continue
			}
			bounds.Missed = append(bounds.Missed, CoverageItem{ID: b.crit.ID, Clause: b.crit.Clause, Subject: b.atom.At, Side: sideName(side),
				What:   fmt.Sprintf("%s %s %q: no case at %s", b.crit.Clause, b.atom.Quantity.ID, b.atom.Written, b.value(side, human.English)),
				WhatZH: fmt.Sprintf("%s %s %q：没有用例取 %s", b.crit.Clause, b.atom.Quantity.ID, b.atom.Written, b.value(side, human.Chinese))})
		}
	}
	return NewCoverageReport(crit, bounds)
}

func sideName(side int) string {
	if side == sideIn {
		return "inside"
	}
	return "outside"
}

// value renders the value just inside or just outside the boundary:
// "3 人 (inside)", "2 人 (just below)".
func (b *boundary) value(side int, l human.Lang) string {
	q := b.atom.Quantity
	iv := b.atom.Interval
	end, incl := iv.Lo, iv.LoIncl
	if b.hi {
		end, incl = iv.Hi, iv.HiIncl
	}
	// The value inside: the end when it is included, else one unit in;
	// outside: one unit out, or the end when it is excluded.
	x := end
	inward := 1.0
	if b.hi {
		inward = -1
	}
	switch {
	case side == sideIn && !incl:
		x = end + inward
	case side == sideOut && incl:
		x = end - inward
	}
	where := l.Pick("（恰在界内）", " (just inside)")
	if side == sideOut {
		where = l.Pick("（恰在界外）", " (just outside)")
	}
	switch q.Type {
	case grading.Enum:
		if q.Input != nil && x >= 0 && int(x) < len(q.Input.Values) {
			return q.Input.Values[int(x)].ID + where
		}
	case grading.Bool:
		return fmt.Sprintf("%v%s", x == 1, where)
	}
	unit := ""
	if q.Unit != "" {
		unit = " " + q.Unit
	}
	return grading.FormatNumber(x, q.Unit) + unit + where
}

// CoverageReport is what a set of cases exercises of a plan, by category
// (criteria, boundaries, guards, tasks), with what they miss, positioned.
//
// Concurrency: a plain value.
type CoverageReport struct {
	Covered    int                `json:"covered"`
	Total      int                `json:"total"`
	Percent    float64            `json:"percent"`
	Categories []CoverageCategory `json:"categories"`
}

// CoverageCategory is one kind of item a coverage report counts.
//
// Concurrency: a plain value.
type CoverageCategory struct {
	Name    string         `json:"name"`
	Covered int            `json:"covered"`
	Total   int            `json:"total"`
	Percent float64        `json:"percent"`
	Missed  []CoverageItem `json:"missed"`
}

// CoverageItem is one item no case exercised.
//
// Concurrency: a plain value.
type CoverageItem struct {
	// ID is the item's id (the criterion's, the guard's, the task's).
	ID     string `json:"id"`
	Clause string `json:"clause,omitempty"`
	// Side is "inside" or "outside" for a boundary, "rejects" or
	// "passes" for a guard.
	Side string `json:"side,omitempty"`
	What string `json:"what"`
	// WhatZH is What in Chinese, for the text; not in the JSON.
	WhatZH  string     `json:"-"`
	Subject diag.Range `json:"subject"`
}

// NewCoverageReport totals categories into a report.
func NewCoverageReport(cats ...CoverageCategory) CoverageReport {
	r := CoverageReport{Categories: []CoverageCategory{}}
	for _, c := range cats {
		c.Percent = percent(c.Covered, c.Total)
		if c.Missed == nil {
			c.Missed = []CoverageItem{}
		}
		r.Covered += c.Covered
		r.Total += c.Total
		r.Categories = append(r.Categories, c)
	}
	r.Percent = percent(r.Covered, r.Total)
	return r
}

// Merge is r with the categories of other added after its own.
func (r CoverageReport) Merge(other CoverageReport) CoverageReport {
	return NewCoverageReport(append(append([]CoverageCategory{}, r.Categories...), other.Categories...)...)
}

func percent(n, of int) float64 {
	if of == 0 {
		return 100
	}
	return math.Floor(float64(n)*1000/float64(of)) / 10
}

// WriteText renders the coverage in the language lang, "zh" (the
// default) or "en": the total, each category on a line with its
// percentage, then every item not exercised with its file:line.
func (r CoverageReport) WriteText(w io.Writer, lang string) error {
	l := human.Of(lang)
	var b strings.Builder
	fmt.Fprintf(&b, l.Pick("覆盖率：%.1f%%（%[3]d 项中 %[2]d 项）\n", "Coverage: %.1f%% (%d of %d)\n"), r.Percent, r.Covered, r.Total)
	for _, c := range r.Categories {
		name := c.Name
		if l == human.Chinese {
			name = categoryZH(c.Name)
			name += strings.Repeat(" ", max(0, 11-human.Width(name)))
			fmt.Fprintf(&b, "  %s %5.1f%%  (%d/%d)\n", name, c.Percent, c.Covered, c.Total)
			continue
		}
		fmt.Fprintf(&b, "  %-11s %5.1f%%  (%d/%d)\n", name, c.Percent, c.Covered, c.Total)
	}
	first := true
	for _, c := range r.Categories {
		for _, it := range c.Missed {
			if first {
				b.WriteString(l.Pick("未覆盖：\n", "Not exercised:\n"))
				first = false
			}
			at := it.Subject.String()
			if at == "" {
				at = "-"
			}
			if l == human.Chinese {
				fmt.Fprintf(&b, "  %s: %s：%s\n", at, categoryZH(c.Name), cmp.Or(it.WhatZH, it.What))
				continue
			}
			fmt.Fprintf(&b, "  %s: %s: %s\n", at, singular(c.Name), it.What)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// categoryZH names a category of coverage in Chinese.
func categoryZH(category string) string {
	switch category {
	case "criteria":
		return "标准"
	case "boundaries":
		return "阈值边界"
	case "guards":
		return "校验规则"
	case "tasks":
		return "任务"
	}
	return category
}

// WriteJSON writes the coverage as JSON.
func (r CoverageReport) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// singular names one item of a category.
func singular(category string) string {
	switch category {
	case "criteria":
		return "criterion"
	case "boundaries":
		return "boundary"
	}
	return strings.TrimSuffix(category, "s")
}
