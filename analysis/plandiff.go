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
)

// Element is one item of a plan part as a diff compares it: a task, an
// event, a guard, a unit's contacts, a party on a roster. Kind and ID
// identify it across two plans; Attrs are what can change.
//
// Concurrency: a plain value.
type Element struct {
	Kind   string
	ID     string
	Name   string
	Clause string
	Attrs  []Attr
}

// Attr is one comparable property of an Element, as text; Seconds is set
// for a duration (a deadline), so the JSON can give it as a number.
//
// Concurrency: a plain value.
type Attr struct {
	Name    string
	Value   string
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
			out = append(out, ElementChange{Change: Removed, Kind: ea.Kind, ID: ea.ID, Name: ea.Name, Clause: ea.Clause})
			continue
		}
		out = append(out, diffAttrs(ea, eb)...)
	}
	for _, eb := range b {
		if !inA[key(eb)] {
			out = append(out, ElementChange{Change: Added, Kind: eb.Kind, ID: eb.ID, Name: eb.Name, Clause: eb.Clause})
		}
	}
	return out
}

func diffAttrs(ea, eb Element) []ElementChange {
	var out []ElementChange
	change := func(field string, old, new *Attr) {
		c := ElementChange{Change: Changed, Kind: eb.Kind, ID: eb.ID, Name: eb.Name, Clause: eb.Clause, Field: field}
		if old != nil {
			c.Old, c.OldSeconds = old.Value, old.Seconds
		}
		if new != nil {
			c.New, c.NewSeconds = new.Value, new.Seconds
		}
		out = append(out, c)
	}
	if ea.Name != eb.Name {
		change("name", &Attr{Value: ea.Name}, &Attr{Value: eb.Name})
	}
	if ea.Clause != eb.Clause {
		change("clause", &Attr{Value: ea.Clause}, &Attr{Value: eb.Clause})
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
	// Notes say what could not be compared (a part only one plan has).
	Notes []string `json:"notes"`
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

// WriteText renders the diff for a person: the grading ranges graded
// differently, then the roster changes grouped by the levels and
// incidents they hold for, the contacts, and the workflow, each change on
// one line with its clause.
func (d *PlanDiff) WriteText(w io.Writer) error {
	var b strings.Builder
	aName, bName := cmp.Or(d.A.Name, d.A.ID), cmp.Or(d.B.Name, d.B.ID)
	if aName == bName {
		aName, bName = "A", "B"
	}
	fmt.Fprintf(&b, "A: %s — %s\nB: %s — %s\n", d.A.ID, d.A.Title, d.B.ID, d.B.Title)
	if d.Empty() {
		b.WriteString("\nThe two plans grade, roster and run every incident the same.\n")
	}
	if len(d.Grading) > 0 {
		fmt.Fprintf(&b, "\nGrading — %s (each input alone, the others at their least value):\n\n", plural(len(d.Grading), "range graded differently", "ranges graded differently"))
		for _, c := range d.Grading {
			b.WriteString(indent(c.Text(aName, bName), "  "))
		}
	}
	if len(d.Roster) > 0 {
		fmt.Fprintf(&b, "\nRosters — %s:\n", plural(len(d.Roster), "change", "changes"))
		type group struct {
			where string
			lines []string
		}
		var groups []*group
		for _, c := range d.Roster {
			wh := c.Where()
			i := slices.IndexFunc(groups, func(g *group) bool { return g.where == wh })
			if i < 0 {
				groups = append(groups, &group{where: wh})
				i = len(groups) - 1
			}
			groups[i].lines = append(groups[i].lines, c.ElementChange.Line())
		}
		for _, g := range groups {
			fmt.Fprintf(&b, "  %s:\n", g.where)
			for _, l := range g.lines {
				b.WriteString("    " + l + "\n")
			}
		}
	}
	for _, sec := range []struct {
		title string
		cs    []ElementChange
	}{{"Contacts", d.Contacts}, {"Workflow", d.Workflow}} {
		if len(sec.cs) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s — %s:\n", sec.title, plural(len(sec.cs), "change", "changes"))
		for _, c := range sec.cs {
			b.WriteString("  " + c.Line() + "\n")
		}
	}
	for _, n := range d.Notes {
		b.WriteString("\nNote: " + n + "\n")
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

// Line renders the change on one line: "task written-report (15 分钟内补报文字报告) [3.2]: within 15m → 30m".
func (c ElementChange) Line() string {
	what := c.Kind + " " + c.ID
	if c.Name != "" && c.Name != c.ID {
		what += " (" + c.Name + ")"
	}
	if c.Clause != "" {
		what += " [" + c.Clause + "]"
	}
	switch c.Change {
	case Added:
		return "+ " + what
	case Removed:
		return "- " + what
	}
	switch {
	case c.Old == "":
		return fmt.Sprintf("~ %s: + %s (%s)", what, c.Field, c.New)
	case c.New == "":
		return fmt.Sprintf("~ %s: - %s (%s)", what, c.Field, c.Old)
	}
	return fmt.Sprintf("~ %s: %s %s → %s", what, c.Field, c.Old, c.New)
}

// Where says which rosters a change appears in: "at I, II, III, for every
// incident", "at IV, for industry mining, localities qitai, jimsar".
func (c RosterChange) Where() string {
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
