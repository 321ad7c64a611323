package analysis

// The diff of a whole plan: beside the grading regions, who is on the
// rosters at each level, the contacts, and the workflow's events, guards,
// tasks and deadlines. analysis knows neither the orgchart nor the
// workflow: the root package flattens them into Elements and RosterViews
// (yingji.Diff), and this file compares and renders them.

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/yingji/yingji/internal/human"
)

// Element is one item of a plan part as a diff compares it: a task, an
// event, a guard, a unit's contacts, a party on a roster. Kind and ID
// identify it across two plans; Attrs are what can change. KindZH is the
// kind in Chinese ("任务" for "task"), for the text; the comparison and
// the JSON use Kind.
//
// Concurrency: a plain value.
type Element struct {
	Kind   string
	KindZH string
	ID     string
	Name   string
	Clause string
	Attrs  []Attr
}

// Attr is one comparable property of an Element, as text; Seconds is set
// for a duration (a deadline), so the JSON can give it as a number.
// NameZH and ValueZH are Name and Value in Chinese, for the text ("" where
// they read the same); the comparison and the JSON use Name and Value.
//
// Concurrency: a plain value.
type Attr struct {
	Name    string
	NameZH  string
	Value   string
	ValueZH string
	Seconds *int64
}

// ElementChange is one difference between two plans' elements: an
// element added or removed, or one attribute of it changed (added or
// removed attributes have an empty Old or New).
//
// Concurrency: a plain value.
type ElementChange struct {
	// Change is "added", "removed" or "changed".
	Change string `json:"change"`
	Kind   string `json:"kind"`
	ID     string `json:"id"`
	Name   string `json:"name,omitempty"`
	Clause string `json:"clause,omitempty"`
	// Field is the attribute that changed; "" for an element added or
	// removed.
	Field string `json:"field,omitempty"`
	Old   string `json:"old,omitempty"`
	New   string `json:"new,omitempty"`
	// OldSeconds and NewSeconds are a deadline's durations in seconds.
	OldSeconds *int64 `json:"oldSeconds,omitempty"`
	NewSeconds *int64 `json:"newSeconds,omitempty"`

	// The kind, field and values in Chinese, for the text.
	kindZH, fieldZH, oldZH, newZH string
}

// The kinds of change.
const (
	Added   = "added"
	Removed = "removed"
	Changed = "changed"
)

// DiffElements compares two lists of elements by kind and id, in the
// order of a (then the elements only b has): an element only one list has
// is added or removed; for one both have, each attribute that differs,
// that only one has, is a change.
func DiffElements(a, b []Element) []ElementChange {
	out := []ElementChange{}
	key := func(e Element) string { return e.Kind + "\x00" + e.ID }
	inB := map[string]Element{}
	for _, e := range b {
		inB[key(e)] = e
	}
	inA := map[string]bool{}
	for _, ea := range a {
		inA[key(ea)] = true
		eb, ok := inB[key(ea)]
		if !ok {
			out = append(out, ElementChange{Change: Removed, Kind: ea.Kind, ID: ea.ID, Name: ea.Name, Clause: ea.Clause, kindZH: ea.KindZH})
			continue
		}
		out = append(out, diffAttrs(ea, eb)...)
	}
	for _, eb := range b {
		if !inA[key(eb)] {
			out = append(out, ElementChange{Change: Added, Kind: eb.Kind, ID: eb.ID, Name: eb.Name, Clause: eb.Clause, kindZH: eb.KindZH})
		}
	}
	return out
}

func diffAttrs(ea, eb Element) []ElementChange {
	var out []ElementChange
	change := func(field string, old, new *Attr) {
		c := ElementChange{Change: Changed, Kind: eb.Kind, ID: eb.ID, Name: eb.Name, Clause: eb.Clause, Field: field, kindZH: eb.KindZH}
		if old != nil {
			c.Old, c.OldSeconds, c.oldZH, c.fieldZH = old.Value, old.Seconds, old.ValueZH, old.NameZH
		}
		if new != nil {
			c.New, c.NewSeconds, c.newZH, c.fieldZH = new.Value, new.Seconds, new.ValueZH, cmp.Or(new.NameZH, c.fieldZH)
		}
		out = append(out, c)
	}
	if ea.Name != eb.Name {
		change("name", &Attr{Value: ea.Name, NameZH: "名称"}, &Attr{Value: eb.Name, NameZH: "名称"})
	}
	if ea.Clause != eb.Clause {
		change("clause", &Attr{Value: ea.Clause, NameZH: "条款"}, &Attr{Value: eb.Clause, NameZH: "条款"})
	}
	for i := range ea.Attrs {
		x := &ea.Attrs[i]
		j := slices.IndexFunc(eb.Attrs, func(y Attr) bool { return y.Name == x.Name })
		switch {
		case j < 0:
			change(x.Name, x, nil)
		case eb.Attrs[j].Value != x.Value:
			change(x.Name, x, &eb.Attrs[j])
		}
	}
	for i := range eb.Attrs {
		y := &eb.Attrs[i]
		if !slices.ContainsFunc(ea.Attrs, func(x Attr) bool { return x.Name == y.Name }) {
			change(y.Name, nil, y)
		}
	}
	return out
}

// RosterView is one roster flattened for a diff: the response level and
// the incident it was built for (one industry, one locality, or neither),
// and its parties and groups as Elements.
//
// Concurrency: a plain value.
type RosterView struct {
	Response string
	Industry string
	Locality string
	Elements []Element
}

// RosterChange is one change to the rosters between two plans, with every
// roster it appears in: the response levels, and the industries and
// localities given — AnyIncident when it appears with neither given, so
// for every incident at those levels.
//
// Concurrency: a plain value.
type RosterChange struct {
	ElementChange
	Responses   []string `json:"responses"`
	AnyIncident bool     `json:"anyIncident"`
	Industries  []string `json:"industries"`
	Localities  []string `json:"localities"`
}

// DiffRosters compares the rosters of two plans built for the same
// incidents (a[i] and b[i] for the same response level, industry and
// locality; a roster one plan cannot build is given with no elements)
// and returns every change once, with the rosters it appears in.
func DiffRosters(a, b []RosterView) []RosterChange {
	type where struct{ response, industry, locality string }
	var order []string
	byKey := map[string]*RosterChange{}
	seen := map[string]map[where]bool{}
	for i := range min(len(a), len(b)) {
		w := where{a[i].Response, a[i].Industry, a[i].Locality}
		for _, c := range DiffElements(a[i].Elements, b[i].Elements) {
			k := fmt.Sprintf("%s\x00%s\x00%s\x00%s\x00%s\x00%s", c.Change, c.Kind, c.ID, c.Field, c.Old, c.New)
			rc, ok := byKey[k]
			if !ok {
				rc = &RosterChange{ElementChange: c, Responses: []string{}, Industries: []string{}, Localities: []string{}}
				byKey[k] = rc
				order = append(order, k)
				seen[k] = map[where]bool{}
			}
			if seen[k][w] {
				continue
			}
			seen[k][w] = true
			if !slices.Contains(rc.Responses, w.response) {
				rc.Responses = append(rc.Responses, w.response)
			}
			switch {
			case w.industry == "" && w.locality == "":
				rc.AnyIncident = true
			case w.industry != "" && !slices.Contains(rc.Industries, w.industry):
				rc.Industries = append(rc.Industries, w.industry)
			case w.locality != "" && !slices.Contains(rc.Localities, w.locality):
				rc.Localities = append(rc.Localities, w.locality)
			}
		}
	}
	out := make([]RosterChange, 0, len(order))
	for _, k := range order {
		rc := byKey[k]
		if rc.AnyIncident {
			// A change with nothing given holds for every incident at
			// those levels; the industries and localities add nothing.
			rc.Industries, rc.Localities = []string{}, []string{}
		}
		out = append(out, *rc)
	}
	return out
}

// PlanDiff is what changes between two plans: the grading regions, the
// rosters, the contacts and the workflow. yingji.Diff builds it.
//
// Concurrency: a plain value owned by the caller; rendering only reads it.
type PlanDiff struct {
	A        PlanSide        `json:"a"`
	B        PlanSide        `json:"b"`
	Grading  []GradeChange   `json:"grading"`
	Roster   []RosterChange  `json:"roster"`
	Contacts []ElementChange `json:"contacts"`
	Workflow []ElementChange `json:"workflow"`
	// Notes say what could not be compared (a part only one plan has);
	// AddNote adds one.
	Notes []string `json:"notes"`

	notesZH []string // Notes in Chinese, "" where not given
}

// AddNote adds a note on what could not be compared, in English (Notes,
// the JSON) and in Chinese (the text; "" to show the English).
func (d *PlanDiff) AddNote(en, zh string) {
	d.Notes = append(d.Notes, en)
	for len(d.notesZH) < len(d.Notes)-1 {
		d.notesZH = append(d.notesZH, "")
	}
	d.notesZH = append(d.notesZH, zh)
}

// PlanSide names one of the two plans of a diff.
//
// Concurrency: a plain value.
type PlanSide struct {
	ID string `json:"id"`
	// Name is what the text calls the plan: its id unless set (a caller
	// comparing two copies of one plan names them by their folders).
	Name     string `json:"name,omitempty"`
	Title    string `json:"title,omitempty"`
	Revision string `json:"revision,omitempty"`
	Hash     string `json:"hash,omitempty"`
}

// Empty reports whether the two plans differ in nothing compared.
func (d *PlanDiff) Empty() bool {
	return len(d.Grading) == 0 && len(d.Roster) == 0 && len(d.Contacts) == 0 && len(d.Workflow) == 0
}

// WriteJSON writes the diff as one JSON object: every list present ([]
// when nothing changed), every grading range with its numeric bounds and
// every deadline in seconds.
func (d *PlanDiff) WriteJSON(w io.Writer) error {
	c := *d
	for _, p := range []*[]GradeChange{&c.Grading} {
		if *p == nil {
			*p = []GradeChange{}
		}
	}
	if c.Roster == nil {
		c.Roster = []RosterChange{}
	}
	if c.Contacts == nil {
		c.Contacts = []ElementChange{}
	}
	if c.Workflow == nil {
		c.Workflow = []ElementChange{}
	}
	if c.Notes == nil {
		c.Notes = []string{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(c)
}

// WriteText renders the diff for a person in the language lang, "zh"
// (the default) or "en": the grading ranges graded differently, then the
// roster changes grouped by the levels and incidents they hold for, the
// contacts, and the workflow, each change on one line with its clause.
// The plans' own words (names, clauses, conditions) stay as written.
func (d *PlanDiff) WriteText(w io.Writer, lang string) error {
	l := human.Of(lang)
	var b strings.Builder
	aName, bName := cmp.Or(d.A.Name, d.A.ID), cmp.Or(d.B.Name, d.B.ID)
	if aName == bName {
		aName, bName = "A", "B"
	}
	fmt.Fprintf(&b, l.Pick("A：%s — %s\nB：%s — %s\n", "A: %s — %s\nB: %s — %s\n"), d.A.ID, d.A.Title, d.B.ID, d.B.Title)
	if d.Empty() {
		b.WriteString(l.Pick("\n两份预案对每一起事故的分级、名单和流程都相同。\n", "\nThe two plans grade, roster and run every incident the same.\n"))
	}
	if len(d.Grading) > 0 {
		b.WriteString(l.Pick(fmt.Sprintf("\n分级——%d 个范围的分级不同（每次只变动一个输入，其余输入取最小值）：\n\n", len(d.Grading)),
			fmt.Sprintf("\nGrading — %s (each input alone, the others at their least value):\n\n", plural(len(d.Grading), "range graded differently", "ranges graded differently"))))
		for _, c := range d.Grading {
			b.WriteString(indent(c.text(aName, bName, l), "  "))
		}
	}
	changes := func(n int) string {
		return l.Pick(fmt.Sprintf("%d 处变化", n), plural(n, "change", "changes"))
	}
	if len(d.Roster) > 0 {
		fmt.Fprintf(&b, l.Pick("\n名单——%s：\n", "\nRosters — %s:\n"), changes(len(d.Roster)))
		type group struct {
			where string
			lines []string
		}
		var groups []*group
		for _, c := range d.Roster {
			wh := c.where(l)
			i := slices.IndexFunc(groups, func(g *group) bool { return g.where == wh })
			if i < 0 {
				groups = append(groups, &group{where: wh})
				i = len(groups) - 1
			}
			groups[i].lines = append(groups[i].lines, c.ElementChange.line(l))
		}
		for _, g := range groups {
			fmt.Fprintf(&b, l.Pick("  %s：\n", "  %s:\n"), g.where)
			for _, line := range g.lines {
				b.WriteString("    " + line + "\n")
			}
		}
	}
	for _, sec := range []struct {
		title string
		cs    []ElementChange
	}{{l.Pick("联系方式", "Contacts"), d.Contacts}, {l.Pick("工作流", "Workflow"), d.Workflow}} {
		if len(sec.cs) == 0 {
			continue
		}
		fmt.Fprintf(&b, l.Pick("\n%s——%s：\n", "\n%s — %s:\n"), sec.title, changes(len(sec.cs)))
		for _, c := range sec.cs {
			b.WriteString("  " + c.line(l) + "\n")
		}
	}
	for i, n := range d.Notes {
		if l == human.Chinese && i < len(d.notesZH) && d.notesZH[i] != "" {
			n = d.notesZH[i]
		}
		b.WriteString(l.Pick("\n说明：", "\nNote: ") + n + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func indent(s, by string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if l != "" && l != "\n" {
			lines[i] = by + l
		}
	}
	return strings.Join(lines, "")
}

// Line renders the change on one line, in English: "~ task written-report
// (15 分钟内补报文字报告) [3.2]: within 15m → 30m".
func (c ElementChange) Line() string { return c.line(human.English) }

// line renders the change on one line in l: in Chinese "~ 任务
// written-report（15 分钟内补报文字报告）［3.2］：时限 15m → 30m".
func (c ElementChange) line(l human.Lang) string {
	kind, field, old, new := c.Kind, c.Field, c.Old, c.New
	if l == human.Chinese {
		kind, field, old, new = cmp.Or(c.kindZH, kind), cmp.Or(c.fieldZH, field), cmp.Or(c.oldZH, old), cmp.Or(c.newZH, new)
	}
	what := kind + " " + c.ID
	if c.Name != "" && c.Name != c.ID {
		what += l.Pick("（"+c.Name+"）", " ("+c.Name+")")
	}
	if c.Clause != "" {
		what += l.Pick("［"+c.Clause+"］", " ["+c.Clause+"]")
	}
	switch c.Change {
	case Added:
		return "+ " + what
	case Removed:
		return "- " + what
	}
	if l == human.Chinese {
		switch {
		case c.Old == "":
			return fmt.Sprintf("~ %s：新增 %s（%s）", what, field, new)
		case c.New == "":
			return fmt.Sprintf("~ %s：删除 %s（%s）", what, field, old)
		}
		return fmt.Sprintf("~ %s：%s %s → %s", what, field, old, new)
	}
	switch {
	case c.Old == "":
		return fmt.Sprintf("~ %s: + %s (%s)", what, field, new)
	case c.New == "":
		return fmt.Sprintf("~ %s: - %s (%s)", what, field, old)
	}
	return fmt.Sprintf("~ %s: %s %s → %s", what, field, old, new)
}

// Where says, in English, which rosters a change appears in: "at I, II,
// III, for every incident", "at IV, for industry mining, localities
// qitai, jimsar".
func (c RosterChange) Where() string { return c.where(human.English) }

// where is Where in l: in Chinese "Ⅳ 级响应：行业 mining；地区 qitai、jimsar".
func (c RosterChange) where(l human.Lang) string {
	if l == human.Chinese {
		s := "响应 " + strings.Join(c.Responses, "、")
		var parts []string
		if c.AnyIncident {
			parts = append(parts, "所有事故")
		}
		if len(c.Industries) > 0 {
			parts = append(parts, "行业 "+strings.Join(c.Industries, "、"))
		}
		if len(c.Localities) > 0 {
			parts = append(parts, "地区 "+strings.Join(c.Localities, "、"))
		}
		if len(parts) > 0 {
			s += "，适用于" + strings.Join(parts, "；")
		}
		return s
	}
	s := "at " + strings.Join(c.Responses, ", ")
	var parts []string
	if c.AnyIncident {
		parts = append(parts, "every incident")
	}
	word := func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	}
	if len(c.Industries) > 0 {
		parts = append(parts, word(len(c.Industries), "industry ", "industries ")+strings.Join(c.Industries, ", "))
	}
	if len(c.Localities) > 0 {
		parts = append(parts, word(len(c.Localities), "locality ", "localities ")+strings.Join(c.Localities, ", "))
	}
	if len(parts) > 0 {
		s += ", for " + strings.Join(parts, "; ")
	}
	return s
}
