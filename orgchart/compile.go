package orgchart

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
)

type compiler struct {
	f  *yamlx.File
	ds diag.Diagnostics
	c  *Chart
}

// Compile builds a Chart from an orgchart file (orgchart.yaml; see the
// package documentation) named name. It returns every diagnostic, sorted:
// errors (the chart is then nil), and the findings of its analysis as
// warnings and infos — members without duties, units without contacts
// (with WithContacts), industries without a responsible unit — and the
// file's interpretation notes as infos.
func Compile(name string, src []byte, opts ...Option) (*Chart, diag.Diagnostics) {
	var cfg config
	var ds diag.Diagnostics
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			ds = append(ds, diag.Diagnostic{Severity: diag.Error, Code: CodeOption, Subject: diag.Range{Filename: name},
				Summary: "orgchart: " + err.Error(), Fix: "correct the option passed to orgchart.Compile"})
		}
	}
	f, pds := yamlx.Parse(name, src)
	ds = append(ds, pds...)
	if pds.HasErrors() {
		ds.Sort()
		return nil, ds
	}
	c, cds := compile(f, cfg.contacts)
	ds = append(ds, cds...)
	ds.Sort()
	if ds.HasErrors() {
		return nil, ds
	}
	return c, ds
}

// compile builds the chart of a parsed file, attaching contacts when not
// nil. The chart is incomplete when any diagnostic is an error.
func compile(org *yamlx.File, contacts *Contacts) (*Chart, diag.Diagnostics) {
	var spec fileSpec
	ds := org.DecodeWith(fileTables, &spec)
	items, names := spec.size()
	cp := &compiler{f: org, ds: ds, c: &Chart{items: make([]item, 0, items), keys: make(map[string]key, names)}}
	cp.build(&spec)
	if contacts != nil {
		ads := cp.c.attach(*contacts)
		cp.ds = append(cp.ds, ads...)
		// Contacts that do not attach cleanly say nothing about which
		// units lack them.
		cp.c.hasDir = !ads.HasErrors()
	}
	cp.ds = append(cp.ds, cp.c.findings()...)
	cp.ds = append(cp.ds, org.Interpretations()...)
	cp.c.clauses = org.Values("clause")
	return cp.c, cp.ds
}

func (cp *compiler) report(d diag.Diagnostic) { cp.ds = append(cp.ds, d) }

// firstAt is the Detail of a diagnostic about a second declaration.
func firstAt(at diag.Range) string { return "first declared at " + at.String() }

// register records an item's id and every name it can be looked up by:
// its name, its short name when it has one, and its aliases.
func (cp *compiler) register(k kind, idx int, id, name, short yamlx.String, aliases []yamlx.String) {
	if id.Value == "" {
		return
	}
	c := cp.c
	if prev, ok := c.byID(id.Value); ok {
		cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeDuplicateID, Subject: id.At(), Path: id.Path(),
			Summary: fmt.Sprintf("id %q is declared twice (a %s and a %s)", id.Value, prev.kind, k),
			Detail:  firstAt(prev.at()),
			Fix:     "give each item its own id",
			Params:  map[string]string{"id": id.Value, "first": prev.at().String()}})
		return
	}
	n := len(c.items)
	c.items = append(c.items, item{entity: entity{k, idx}, id: id.Value, src: id.Meta})
	cp.name(n, id)
	cp.name(n, name)
	cp.name(n, short)
	for _, a := range aliases {
		cp.name(n, a)
	}
}

// name makes s find item n.
func (cp *compiler) name(n int, s yamlx.String) {
	if s.Value == "" {
		return
	}
	if prev, ok := cp.c.keys[s.Value]; ok {
		if prev.item != n {
			cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeDuplicateName, Subject: s.At(), Path: s.Path(),
				Summary: fmt.Sprintf("%q names two items", s.Value),
				Detail:  firstAt(prev.at),
				Fix:     "names and aliases must be unique so that lookups are unambiguous; remove it from one of them",
				Params:  map[string]string{"name": s.Value, "first": prev.at.String()}})
		}
		return
	}
	cp.c.keys[s.Value] = key{item: n, at: s.At()}
}

func values(ss []yamlx.String) []string {
	if len(ss) == 0 {
		return nil
	}
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		out = append(out, s.Value)
	}
	return out
}

func (cp *compiler) idsOf(kinds ...kind) []string {
	var out []string
	for _, it := range cp.c.items {
		if slices.Contains(kinds, it.kind) {
			out = append(out, it.id)
		}
	}
	slices.Sort(out)
	return out
}

func kindList(kinds []kind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.String()
	}
	switch len(names) {
	case 1:
		return names[0]
	case 2:
		return names[0] + " or " + names[1]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// ref resolves a reference written as an id. A name or alias is not
// accepted in the data, so that the files read unambiguously, but the
// diagnostic names the id to write.
func (cp *compiler) ref(s yamlx.String, kinds ...kind) (string, bool) {
	if s.Value == "" {
		return "", false
	}
	it, found := cp.c.byKey(s.Value)
	if found && it.id == s.Value && slices.Contains(kinds, it.kind) {
		return s.Value, true
	}
	want := kindList(kinds)
	switch {
	case found && it.id == s.Value:
		cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeWrongKind, Subject: s.At(), Path: s.Path(),
			Summary: fmt.Sprintf("%q is a %s, not a %s", s.Value, it.kind, want),
			Fix:     "refer to a " + want + " here",
			Params:  map[string]string{"id": s.Value, "kind": it.kind.String(), "want": want}})
		return "", false
	case found && slices.Contains(kinds, it.kind):
		cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeRefByName, Subject: s.At(), Path: s.Path(),
			Summary: fmt.Sprintf("%q is a name, not an id", s.Value),
			Fix:     fmt.Sprintf("write its id %q; the data refers to items by id", it.id),
			Params:  map[string]string{"name": s.Value, "id": it.id}})
		return "", false
	}
	cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeUnknownRef, Subject: s.At(), Path: s.Path(),
		Summary: fmt.Sprintf("unknown %s %q", want, s.Value),
		Fix:     "define it, or refer to an existing " + want + "." + diag.Suggest(s.Value, cp.idsOf(kinds...)),
		Params:  map[string]string{"id": s.Value, "want": want}})
	return "", false
}

func (cp *compiler) refs(ss []yamlx.String, kinds ...kind) []string {
	var out []string
	for _, s := range ss {
		if id, ok := cp.ref(s, kinds...); ok {
			out = append(out, id)
		}
	}
	return out
}

var party = []kind{kindUnit, kindPlaceholder}
var anyParty = []kind{kindUnit, kindPlaceholder, kindGroup}

var templateVar = regexp.MustCompile(`\{([^{}]*)\}`)

// checkTemplate reports variables of a label that activation cannot fill.
func (cp *compiler) checkTemplate(s yamlx.String, allowed ...string) {
	if !strings.Contains(s.Value, "{") {
		return
	}
	for _, m := range templateVar.FindAllStringSubmatchIndex(s.Value, -1) {
		name := s.Value[m[2]:m[3]]
		if slices.Contains(allowed, name) {
			continue
		}
		from := len([]rune(s.Value[:m[0]]))
		to := from + len([]rune(s.Value[m[0]:m[1]]))
		cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeBadLabel, Subject: s.SubRange(from, to), Path: s.Path(),
			Summary: fmt.Sprintf("unknown variable {%s} in label", name),
			Fix:     "a label here may use " + braceList(allowed) + "." + diag.Suggest(name, allowed),
			Params:  map[string]string{"variable": name, "allowed": strings.Join(allowed, ", ")}})
	}
}

func braceList(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "{" + n + "}"
	}
	return strings.Join(out, ", ")
}

func duties(ds []dutySpec) []Duty {
	if len(ds) == 0 {
		return nil
	}
	out := make([]Duty, 0, len(ds))
	for _, d := range ds {
		out = append(out, Duty{Clause: d.Clause, Text: strings.TrimSpace(d.Text), Condition: d.Condition, Interpretation: strings.TrimSpace(d.Interpretation)})
	}
	return out
}

func (cp *compiler) members(ms []memberSpec, kinds ...kind) []Member {
	var out []Member
	for _, m := range ms {
		if id, ok := cp.ref(m.Ref, kinds...); ok {
			out = append(out, Member{Ref: id, Condition: m.Condition, Clause: m.Clause})
		}
	}
	return out
}
