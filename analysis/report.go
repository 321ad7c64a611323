package analysis

// The lint as a person reads it: counts first, errors before warnings,
// the most consequential finding first, what follows from a finding shown
// under it, and the interpretations counted rather than listed.

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/human"
)

// Report is a plan's lint arranged for the drafter who fixes it: the
// errors, then the warnings, then other notes, each most consequential
// first, and the interpretation notes apart. A finding that only follows
// from another (the non-monotone grading and the scope disagreement of a
// range no level names) is folded under it as Related, not repeated; so
// are findings of one kind with the same fix (seven units with no
// contact).
//
// Build one with NewReport, or with (*yingji.Plan).LintReport and
// (*yingji.LoadError).Report; render it with WriteText or WriteJSON.
//
// Concurrency: a plain value owned by the caller; rendering only reads it.
type Report struct {
	Plan  string `json:"plan,omitempty"`
	Title string `json:"title,omitempty"`
	// Loads is false when the plan does not load; the errors say why.
	Loads  bool   `json:"loads"`
	Counts Counts `json:"counts"`
	// Errors, Warnings and Notes hold the findings of each severity that
	// are not folded under another, most consequential first. A group is
	// listed under the most severe of its findings.
	Errors   []Item `json:"errors"`
	Warnings []Item `json:"warnings"`
	Notes    []Item `json:"notes"`
	// Interpretations are the interpretation: notes (diag.CodeInterpretation),
	// in file order: the readings to confirm in the next revision.
	Interpretations []Item `json:"interpretations"`
}

// Counts counts a report's findings by severity, each once, folded or
// not; Folded says how many are shown under another.
//
// Concurrency: a plain value.
type Counts struct {
	Errors          int `json:"errors"`
	Warnings        int `json:"warnings"`
	Notes           int `json:"notes"`
	Interpretations int `json:"interpretations"`
	Folded          int `json:"folded"`
}

// Item is one finding of a report, with the findings folded under it.
//
// Concurrency: a plain value.
type Item struct {
	diag.Diagnostic
	// Input is the input a grading finding is about.
	Input string `json:"input,omitempty"`
	// Ranges are the ranges the summary and detail render, with their
	// numeric bounds; empty for findings that render none.
	Ranges []Bounds `json:"ranges"`
	// Example is an incident that shows a grading finding.
	Example Facts `json:"example,omitempty"`
	// Relation says how a related item stands to the one it is folded
	// under: "follows" (it only follows from it) or "alike" (the same
	// kind of finding, with the same fix). "" for an item not folded.
	Relation string `json:"relation,omitempty"`
	Related  []Item `json:"related"`

	kin  []string
	rank int
	zh   zhText
}

// The relations of a folded item to its head.
const (
	RelationFollows = "follows"
	RelationAlike   = "alike"
)

// NewReport arranges the findings of a plan's lint: the findings of
// analysis (LintRules, whose grading findings carry the ranges and inputs
// that folding needs, and UncitedClauses) and every other diagnostic (load
// findings, interpretation notes). loads is false for the diagnostics of
// a plan that does not load.
func NewReport(plan, title string, loads bool, findings []Finding, others diag.Diagnostics) *Report {
	r := &Report{Plan: plan, Title: title, Loads: loads,
		Errors: []Item{}, Warnings: []Item{}, Notes: []Item{}, Interpretations: []Item{}}
	var items []Item
	for _, f := range findings {
		items = append(items, Item{Diagnostic: f.Diagnostic, Input: f.Input, Ranges: f.Ranges, Example: f.Example, kin: f.Kin, zh: f.zh})
	}
	for _, d := range others {
		if d.Code == diag.CodeInterpretation {
			r.Interpretations = append(r.Interpretations, Item{Diagnostic: d, Ranges: []Bounds{}, Related: []Item{}})
			continue
		}
		items = append(items, Item{Diagnostic: d})
	}
	slices.SortStableFunc(r.Interpretations, func(a, b Item) int { return diag.Compare(a.Diagnostic, b.Diagnostic) })
	r.Counts.Interpretations = len(r.Interpretations)
	for i := range items {
		it := &items[i]
		it.rank = consequence(it.Diagnostic)
		if it.Ranges == nil {
			it.Ranges = []Bounds{}
		}
		switch it.Severity {
		case diag.Error:
			r.Counts.Errors++
		case diag.Warning:
			r.Counts.Warnings++
		default:
			r.Counts.Notes++
		}
	}
	slices.SortStableFunc(items, func(a, b Item) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), diag.Compare(a.Diagnostic, b.Diagnostic))
	})
	heads := fold(items)
	// A group stands with the most severe of its findings, and ranks with
	// the most consequential; its head comes first.
	type group struct {
		sev  diag.Severity
		rank int
		item Item
	}
	groups := make([]group, len(heads))
	for i, h := range heads {
		g := group{sev: h.Severity, rank: h.rank, item: h}
		for _, k := range h.Related {
			if k.Severity != diag.Invalid && k.Severity < g.sev {
				g.sev = k.Severity
			}
			g.rank = min(g.rank, k.rank)
		}
		r.Counts.Folded += len(h.Related)
		groups[i] = g
	}
	slices.SortStableFunc(groups, func(a, b group) int {
		return cmp.Or(cmp.Compare(a.sev, b.sev), cmp.Compare(a.rank, b.rank), diag.Compare(a.item.Diagnostic, b.item.Diagnostic))
	})
	for _, g := range groups {
		switch g.sev {
		case diag.Error:
			r.Errors = append(r.Errors, g.item)
		case diag.Warning:
			r.Warnings = append(r.Warnings, g.item)
		default:
			r.Notes = append(r.Notes, g.item)
		}
	}
	return r
}

// consequence ranks a finding: the lower, the more it matters to fix
// first. A plan that does not load comes before anything else; then a
// level no incident can get, grades that fall as harm grows, a range no
// level names (often the cause of the others), a criterion that never
// decides, and so on down to clauses no item cites.
func consequence(d diag.Diagnostic) int {
	sev := int(d.Severity) * 100
	switch d.Code {
	case CodeUnreachable:
		return sev + 10
	case CodeNonMonotone:
		return sev + 20
	case CodeGap:
		return sev + 30
	case CodeShadowed, CodeUnsatisfiable:
		return sev + 40
	case CodeOverlap:
		return sev + 50
	case CodeThresholdOrder:
		return sev + 60
	case CodeScope:
		return sev + 70
	case CodeUnusedInput:
		return sev + 80
	case CodeUncitedClause:
		return sev + 95
	case CodeIncomplete:
		return sev + 99
	}
	if strings.HasPrefix(d.Code, "lint.") {
		return sev + 90
	}
	// An error of loading the plan (its files, their syntax, their
	// references) comes first: nothing else can be trusted until the plan
	// loads. The load's warnings and notes (a unit with no contact) come
	// after the grading analysis's.
	if d.Severity == diag.Error {
		return sev + 0
	}
	return sev + 85
}

// fold puts every item that only follows from another under it, and
// items of one kind with the same fix under the first of them. items are
// in order of consequence, and the heads keep it. Causes are found first,
// whatever their severity: a range no level names is the head of the
// error that the grade falls there.
func fold(items []Item) []Item {
	under := make([]int, len(items)) // the index of the item's head; -1 for a head
	rel := make([]string, len(items))
	for i := range under {
		under[i] = -1
	}
	for pass := 0; pass < 2; pass++ {
		for i := range items {
			if under[i] >= 0 || (pass == 0) != causes(items[i]) {
				continue
			}
			for h := range items {
				if h == i || under[h] >= 0 {
					continue
				}
				// A head is an earlier item, or a cause the item follows from.
				r := relation(items[h], items[i])
				if r != "" && (h < i || pass == 1 && causes(items[h]) && r == RelationFollows) && (pass == 1 || r == RelationFollows) {
					under[i], rel[i] = h, r
					break
				}
			}
		}
	}
	var heads []Item
	index := map[int]int{}
	for i, it := range items {
		if under[i] < 0 {
			it.Related = []Item{}
			index[i] = len(heads)
			heads = append(heads, it)
		}
	}
	for i, it := range items {
		if h := under[i]; h >= 0 {
			it.Relation, it.Related = rel[i], []Item{}
			heads[index[h]].Related = append(heads[index[h]].Related, it)
		}
	}
	return heads
}

// causes reports whether other findings can follow from it.
func causes(it Item) bool { return it.Code == CodeGap }

// relation says how it stands to head: it follows from head when head is
// a range no level names and it is about the same range of the same
// quantity (a co-member's gap, the grade falling there, the scope there);
// it is alike when both are of one kind, in one file, with the same fix.
func relation(head, it Item) string {
	if head.Code == CodeGap && len(head.Ranges) > 0 && len(it.Ranges) > 0 && slices.Contains(head.kin, it.Input) {
		switch it.Code {
		case CodeGap, CodeNonMonotone, CodeScope, CodeThresholdOrder:
			if intersect(head.Ranges[0], it.Ranges[0]) {
				return RelationFollows
			}
		}
	}
	// A note that names, in its "failed" parameter, the file whose error
	// kept it from checking something follows from that error.
	if f := it.Params["failed"]; f != "" && head.Severity == diag.Error && head.Subject.Filename == f {
		return RelationFollows
	}
	if head.Code == it.Code && head.Fix != "" && head.Fix == it.Fix && head.Severity == it.Severity &&
		head.Subject.Filename == it.Subject.Filename && len(head.Ranges) == 0 && len(it.Ranges) == 0 {
		return RelationAlike
	}
	return ""
}

// intersect reports whether two ranges share a value.
func intersect(a, b Bounds) bool {
	ia, ib := a.Region(), b.Region()
	lo, loIncl := ia.Lo, ia.LoIncl
	if ib.Lo > lo || (ib.Lo == lo && !ib.LoIncl) {
		lo, loIncl = ib.Lo, ib.LoIncl
	}
	hi, hiIncl := ia.Hi, ia.HiIncl
	if ib.Hi < hi || (ib.Hi == hi && !ib.HiIncl) {
		hi, hiIncl = ib.Hi, ib.HiIncl
	}
	return lo < hi || (lo == hi && loIncl && hiIncl)
}

// TextOptions say how much WriteText shows, and in which language.
//
// Concurrency: a plain value.
type TextOptions struct {
	// Lang is the language of the text: "zh" (the default) or "en". The
	// findings analysis makes are written in either; those of the other
	// packages (a file that does not load, a unit with no contact) keep
	// their own words, in a Chinese frame.
	Lang string
	// Interpretations lists every interpretation note, its whole text
	// once; otherwise they are counted on one line.
	Interpretations bool
	// Verbose shows each finding's detail (the evidence and an example)
	// and the source line under it.
	Verbose bool
	// Sources are the plan's files, for the source lines of Verbose.
	Sources diag.Sources
	// Hint is added to the line that counts the interpretations when they
	// are not listed, e.g. "list them with --interpretations".
	Hint string
}

// WriteText renders the report for a person: a header with the counts,
// the errors, the warnings and the notes (each finding on one line with
// its position and clause, its fix under it, and what follows from it
// indented), and a line counting the interpretations — or, with
// opts.Interpretations, each of them with its whole note.
func (r *Report) WriteText(w io.Writer, opts TextOptions) error {
	l := human.Of(opts.Lang)
	var b strings.Builder
	if r.Plan != "" || r.Title != "" {
		b.WriteString(strings.TrimSpace(r.Plan + " — " + r.Title))
		b.WriteByte('\n')
	}
	b.WriteString(r.CountLine(opts.Lang))
	b.WriteByte('\n')
	for _, sec := range []struct {
		sev   diag.Severity
		items []Item
	}{{diag.Error, r.Errors}, {diag.Warning, r.Warnings}, {diag.Info, r.Notes}} {
		if len(sec.items) == 0 {
			continue
		}
		b.WriteString("\n" + sections(sec.sev, l) + l.Pick("：\n", ":\n"))
		for _, it := range sec.items {
			writeItem(&b, it, opts, l)
		}
	}
	if n := len(r.Interpretations); n > 0 {
		if opts.Interpretations {
			fmt.Fprintf(&b, l.Pick("\n解释（%d 项）——下次修订时要确认或更正的解读：\n", "\nInterpretations (%d) — readings to confirm or correct in the next revision:\n"), n)
			for _, it := range r.Interpretations {
				writeNote(&b, it, l)
			}
		} else {
			b.WriteString(l.Pick(fmt.Sprintf("\n%d 项解释待下次修订时确认或更正", n),
				fmt.Sprintf("\n%s to confirm or correct in the next revision", plural(n, "interpretation", "interpretations"))))
			if opts.Hint != "" {
				b.WriteString(l.Pick("（"+opts.Hint+"）", " ("+opts.Hint+")"))
			}
			b.WriteString(l.Pick("。\n", ".\n"))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// sections names the findings of a severity as a section heading does.
func sections(sev diag.Severity, l human.Lang) string {
	switch sev {
	case diag.Error:
		return l.Pick("错误", "Errors")
	case diag.Warning:
		return l.Pick("警告", "Warnings")
	}
	return l.Pick("提示", "Notes")
}

// severityWord names one finding's severity: "warning", "警告".
func severityWord(sev diag.Severity, l human.Lang) string {
	if l == human.English {
		return sev.String()
	}
	switch sev {
	case diag.Error:
		return "错误"
	case diag.Warning:
		return "警告"
	}
	return "提示"
}

// CountLine is the report's counts on one line in the language lang
// ("zh", the default, or "en"): "the plan does not load: 1 error" or
// "0 errors, 8 warnings, 4 notes, 83 interpretations (3 shown under the
// finding they follow from or resemble)"; "错误 0 项，警告 8 项……".
func (r *Report) CountLine(lang string) string {
	c := r.Counts
	if human.Of(lang) == human.Chinese {
		s := fmt.Sprintf("错误 %d 项，警告 %d 项", c.Errors, c.Warnings)
		if c.Notes > 0 {
			s += fmt.Sprintf("，提示 %d 项", c.Notes)
		}
		if c.Interpretations > 0 {
			s += fmt.Sprintf("，解释 %d 项", c.Interpretations)
		}
		if c.Folded > 0 {
			s += fmt.Sprintf("（其中 %d 项列在其所由或相似的发现之下）", c.Folded)
		}
		if !r.Loads {
			s = "预案无法加载：" + s
		}
		return s
	}
	s := plural(c.Errors, "error", "errors") + ", " + plural(c.Warnings, "warning", "warnings")
	if c.Notes > 0 {
		s += ", " + plural(c.Notes, "note", "notes")
	}
	if c.Interpretations > 0 {
		s += ", " + plural(c.Interpretations, "interpretation", "interpretations")
	}
	if c.Folded > 0 {
		s += fmt.Sprintf(" (%d shown under the finding they follow from or resemble)", c.Folded)
	}
	if !r.Loads {
		s = "the plan does not load: " + s
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func writeItem(b *strings.Builder, it Item, opts TextOptions, l human.Lang) {
	b.WriteString("  ")
	_, _, fix := it.zh.pick(l, it.Summary, it.Detail, it.Fix)
	writeLine(b, it, false, l)
	if opts.Verbose {
		writeDetail(b, it, opts.Sources, "      ", l)
	}
	if fix != "" {
		b.WriteString("      " + l.Pick("修改建议：", "fix: ") + fix + "\n")
	}
	for _, k := range it.Related {
		mark := "↳"
		if k.Relation == RelationAlike {
			mark = "+"
		}
		fmt.Fprintf(b, "      %s ", mark)
		writeLine(b, k, k.Severity != it.Severity, l)
		if opts.Verbose {
			writeDetail(b, k, opts.Sources, "          ", l)
		}
	}
}

// writeLine writes "file:line:col: [severity: ]summary [clause]" (in
// Chinese "file:line:col: [警告：]summary［clause］").
func writeLine(b *strings.Builder, it Item, severity bool, l human.Lang) {
	summary, _, _ := it.zh.pick(l, it.Summary, it.Detail, it.Fix)
	if s := it.Subject.String(); s != "" {
		b.WriteString(s)
		b.WriteString(": ")
	}
	if severity {
		b.WriteString(severityWord(it.Severity, l) + l.Pick("：", ": "))
	}
	b.WriteString(summary)
	if it.Clause != "" {
		b.WriteString(l.Pick("［"+it.Clause+"］", " ["+it.Clause+"]"))
	}
	b.WriteByte('\n')
}

func writeDetail(b *strings.Builder, it Item, src diag.Sources, indent string, l human.Lang) {
	_, detail, _ := it.zh.pick(l, it.Summary, it.Detail, it.Fix)
	if src != nil {
		snippet := it.Diagnostic
		snippet.Path, snippet.Clause, snippet.Detail, snippet.Fix = "", "", "", ""
		lines := strings.Split(strings.TrimRight(diag.RenderString(diag.Diagnostics{snippet}, src), "\n"), "\n")
		for _, line := range lines[1:] { // the first line repeats the summary
			b.WriteString(indent + line + "\n")
		}
	}
	if detail != "" {
		b.WriteString(indent + detail + "\n")
	}
}

// writeNote writes an interpretation note: where it is and its clause,
// then the whole note once.
func writeNote(b *strings.Builder, it Item, l human.Lang) {
	b.WriteString("  ")
	if s := it.Subject.String(); s != "" {
		b.WriteString(s)
	}
	if it.Clause != "" {
		b.WriteString(l.Pick("［"+it.Clause+"］", " ["+it.Clause+"]"))
	}
	b.WriteByte('\n')
	note := it.Detail
	if note == "" {
		note = strings.TrimPrefix(it.Summary, "interpretation: ")
	}
	b.WriteString("      " + note + "\n")
}

// Items lists the report's items in the order WriteText shows them:
// errors, warnings, notes, then the interpretations. It is never nil.
func (r *Report) Items() []Item {
	out := make([]Item, 0, len(r.Errors)+len(r.Warnings)+len(r.Notes)+len(r.Interpretations))
	out = append(out, r.Errors...)
	out = append(out, r.Warnings...)
	out = append(out, r.Notes...)
	return append(out, r.Interpretations...)
}

// WriteJSON writes the report as one JSON array of its items (Items),
// each with its folded findings under "related" and the numeric bounds of
// every range it renders under "ranges": "[]" for a clean plan.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r.Items())
}
