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
	f     *yamlx.File
	ds    diag.Diagnostics
	c     *Chart
	names map[string]diag.Range // where each key was first defined
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
	ds := org.Decode(&spec)
	cp := &compiler{f: org, c: &Chart{
		ids:    map[string]entity{},
		keys:   map[string]entity{},
		at:     map[string]diag.Range{},
		pathOf: map[string]string{},
	}, names: map[string]diag.Range{}}
	cp.ds = ds
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

// register records an item's id and every name it can be looked up by.
func (cp *compiler) register(k kind, idx int, id yamlx.String, names ...yamlx.String) {
	if id.Value == "" {
		return
	}
	e := entity{k, idx}
	if prev, ok := cp.c.ids[id.Value]; ok {
		cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeDuplicateID, Subject: id.At, Path: id.Path,
			Summary: fmt.Sprintf("id %q is declared twice (a %s and a %s)", id.Value, prev.kind, k),
			Detail:  firstAt(cp.c.at[id.Value]),
			Fix:     "give each item its own id",
			Params:  map[string]string{"id": id.Value, "first": cp.c.at[id.Value].String()}})
		return
	}
	cp.c.ids[id.Value] = e
	cp.c.at[id.Value] = id.At
	if p, _, ok := strings.Cut(id.Path, ".id"); ok {
		cp.c.pathOf[id.Value] = p
	}
	for _, n := range append([]yamlx.String{id}, names...) {
		if n.Value == "" {
			continue
		}
		if prev, ok := cp.c.keys[n.Value]; ok {
			if prev != e {
				cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeDuplicateName, Subject: n.At, Path: n.Path,
					Summary: fmt.Sprintf("%q names two items", n.Value),
					Detail:  firstAt(cp.names[n.Value]),
					Fix:     "names and aliases must be unique so that lookups are unambiguous; remove it from one of them",
					Params:  map[string]string{"name": n.Value, "first": cp.names[n.Value].String()}})
			}
			continue
		}
		cp.c.keys[n.Value] = e
		cp.names[n.Value] = n.At
	}
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
	for id, e := range cp.c.ids {
		if slices.Contains(kinds, e.kind) {
			out = append(out, id)
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
	want := kindList(kinds)
	if e, ok := cp.c.ids[s.Value]; ok {
		if slices.Contains(kinds, e.kind) {
			return s.Value, true
		}
		cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeWrongKind, Subject: s.At, Path: s.Path,
			Summary: fmt.Sprintf("%q is a %s, not a %s", s.Value, e.kind, want),
			Fix:     "refer to a " + want + " here",
			Params:  map[string]string{"id": s.Value, "kind": e.kind.String(), "want": want}})
		return "", false
	}
	if e, ok := cp.c.keys[s.Value]; ok && slices.Contains(kinds, e.kind) {
		id := cp.idOf(e)
		cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeRefByName, Subject: s.At, Path: s.Path,
			Summary: fmt.Sprintf("%q is a name, not an id", s.Value),
			Fix:     fmt.Sprintf("write its id %q; the data refers to items by id", id),
			Params:  map[string]string{"name": s.Value, "id": id}})
		return "", false
	}
	cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeUnknownRef, Subject: s.At, Path: s.Path,
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

func (cp *compiler) idOf(e entity) string {
	for id, x := range cp.c.ids {
		if x == e {
			return id
		}
	}
	return ""
}

var party = []kind{kindUnit, kindPlaceholder}
var anyParty = []kind{kindUnit, kindPlaceholder, kindGroup}

var templateVar = regexp.MustCompile(`\{([^{}]*)\}`)

// checkTemplate reports variables of a label that activation cannot fill.
func (cp *compiler) checkTemplate(s yamlx.String, allowed ...string) {
	for _, m := range templateVar.FindAllStringSubmatchIndex(s.Value, -1) {
		name := s.Value[m[2]:m[3]]
		if slices.Contains(allowed, name) {
			continue
		}
		from := len([]rune(s.Value[:m[0]]))
		to := from + len([]rune(s.Value[m[0]:m[1]]))
		cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeBadLabel, Subject: s.SubRange(from, to), Path: s.Path,
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
