package orgchart

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
)

type kind int

const (
	kindNone kind = iota
	kindUnit
	kindPlaceholder
	kindGroup
	kindLocality
	kindIndustry
)

var kindNames = [...]string{"nothing", "unit", "placeholder", "group", "locality", "industry"}

func (k kind) String() string { return kindNames[k] }

type entity struct {
	kind kind
	idx  int
}

// Diagram names a figure the chart can draw: the body at its root, with
// the title and clause of the figure it reconstructs.
type Diagram struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Clause string `json:"clause"`
	Root   string `json:"root"`
	Note   string `json:"note,omitempty"`
}

// Fallback is the unit that stands in for an industry the plan gives no
// responsible unit.
type Fallback struct {
	Unit           string `json:"unit"`
	Clause         string `json:"clause"`
	Text           string `json:"text,omitempty"`
	Interpretation string `json:"interpretation,omitempty"`
}

// Chart is a compiled orgchart: units, placeholders, groups, localities,
// industries, support duties, response rules and contacts, with every
// reference resolved.
//
// A Chart is immutable once compiled and safe for concurrent use by any
// number of goroutines: lookups return copies, and Activate and the diagram
// methods only read it. WithContacts returns a new Chart and leaves the
// receiver unchanged.
type Chart struct {
	jur          Jurisdiction
	units        []Unit
	placeholders []Placeholder
	groups       []Group
	localities   []Locality
	industries   []Industry
	fallback     *Fallback
	supports     []Support
	responses    []RosterRule
	diagrams     []Diagram
	levels       []string
	clauses      []string // every clause the orgchart and contacts cite

	ids  map[string]entity // id → entity
	keys map[string]entity // id, name, short name, alias → entity

	// referenced lists the units the chart names directly (not through a
	// placeholder): members, leads, steps, supports. They should be
	// reachable, so a missing contact is a finding.
	referenced []string
	at         map[string]diag.Range // id → where the item is defined
	pathOf     map[string]string     // id → the item's YAML path

	dir     Contacts
	hasDir  bool
	listing map[string]int // unit id → index into dir.Listings
}

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

func (cp *compiler) errorf(code string, at diag.Range, path, detail, format string, args ...any) {
	cp.ds = append(cp.ds, diag.Errorf(code, at, path, detail, format, args...))
}

// register records an item's id and every name it can be looked up by.
func (cp *compiler) register(k kind, idx int, id yamlx.String, names ...yamlx.String) {
	if id.Value == "" {
		return
	}
	e := entity{k, idx}
	if prev, ok := cp.c.ids[id.Value]; ok {
		cp.errorf("duplicate-id", id.At, id.Path, "give each item its own id; the first is at "+cp.names[id.Value].String(),
			"id %q is used twice (%s and %s)", id.Value, prev.kind, k)
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
				cp.errorf("duplicate-name", n.At, n.Path,
					"names and aliases must be unique so that lookups are unambiguous; remove it from one of them (the other is at "+cp.names[n.Value].String()+")",
					"%q names two items", n.Value)
			}
			continue
		}
		cp.c.keys[n.Value] = e
		cp.names[n.Value] = n.At
	}
}

func values(ss []yamlx.String) []string {
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
	if e, ok := cp.c.ids[s.Value]; ok {
		if slices.Contains(kinds, e.kind) {
			return s.Value, true
		}
		cp.errorf("wrong-ref", s.At, s.Path, "refer to a "+kindList(kinds)+" here",
			"%q is a %s, not a %s", s.Value, e.kind, kindList(kinds))
		return "", false
	}
	if e, ok := cp.c.keys[s.Value]; ok && slices.Contains(kinds, e.kind) {
		id := cp.idOf(e)
		cp.errorf("ref-by-name", s.At, s.Path, fmt.Sprintf("write its id %q; the data refers to items by id", id),
			"%q is a name, not an id", s.Value)
		return "", false
	}
	cp.errorf("unknown-ref", s.At, s.Path,
		"define it, or refer to an existing "+kindList(kinds)+"."+diag.Suggest(s.Value, cp.idsOf(kinds...)),
		"unknown %s %q", kindList(kinds), s.Value)
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
		cp.errorf("bad-label", s.SubRange(from, to), s.Path,
			"a label here may use "+braceList(allowed)+"."+diag.Suggest(name, allowed),
			"unknown variable {%s} in label", name)
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

func (cp *compiler) build(s *fileSpec) {
	c := cp.c
	c.jur = Jurisdiction{Name: s.Jurisdiction.Name, Plan: s.Jurisdiction.Plan, Clause: s.Jurisdiction.Clause}

	// Register everything first, so references may point forward.
	for i, u := range s.Units {
		cp.register(kindUnit, i, u.ID, append([]yamlx.String{u.Name, u.Short}, u.Aliases...)...)
	}
	for i, p := range s.Placeholders {
		cp.register(kindPlaceholder, i, p.ID, append([]yamlx.String{p.Name}, p.Aliases...)...)
	}
	for i, g := range s.Groups {
		cp.register(kindGroup, i, g.ID, append([]yamlx.String{g.Name}, g.Aliases...)...)
	}
	for i, l := range s.Localities {
		cp.register(kindLocality, i, l.ID, append([]yamlx.String{l.Name}, l.Aliases...)...)
	}
	for i, in := range s.Industries {
		cp.register(kindIndustry, i, in.ID, append([]yamlx.String{in.Name}, in.Aliases...)...)
	}
	// Locality units are units too; they follow the declared ones.
	roles := map[string]bool{}
	for _, l := range s.Localities {
		seen := map[string]bool{}
		for _, lu := range l.Units {
			if !lu.Role.Set() {
				continue // the item did not decode; that is already reported
			}
			if seen[lu.Role.Value] {
				cp.errorf("duplicate-role", lu.Role.At, lu.Role.Path, "a locality has one unit per role", "locality %q has two %q units", l.ID.Value, lu.Role.Value)
			}
			seen[lu.Role.Value] = true
			roles[lu.Role.Value] = true
		}
	}

	for _, u := range s.Units {
		c.units = append(c.units, Unit{
			ID: u.ID.Value, Name: u.Name.Value, Short: u.Short.Value, Aliases: values(u.Aliases),
			Kind: u.Kind, Clause: u.Clause, Text: strings.TrimSpace(u.Text),
			Duties: duties(u.Duties), Interpretation: strings.TrimSpace(u.Interpretation),
		})
	}
	for _, l := range s.Localities {
		loc := Locality{ID: l.ID.Value, Name: l.Name.Value, Aliases: values(l.Aliases), Kind: l.Kind, Clause: l.Clause, Interpretation: strings.TrimSpace(l.Interpretation)}
		for _, lu := range l.Units {
			cp.register(kindUnit, len(c.units), lu.ID, append([]yamlx.String{lu.Name}, lu.Aliases...)...)
			c.units = append(c.units, Unit{
				ID: lu.ID.Value, Name: lu.Name.Value, Aliases: values(lu.Aliases), Kind: "locality-" + lu.Role.Value,
				Clause: lu.Clause, Locality: l.ID.Value, Role: lu.Role.Value, Interpretation: strings.TrimSpace(lu.Interpretation),
			})
			loc.Units = append(loc.Units, lu.ID.Value)
		}
		c.localities = append(c.localities, loc)
	}

	// Resolve the units' own references.
	for i, u := range s.Units {
		x := &c.units[i]
		x.FormedBy = cp.members(u.FormedBy, party...)
		x.PartOf, _ = cp.ref(u.PartOf, kindUnit)
		x.ContactVia, _ = cp.ref(u.ContactVia, kindUnit)
		x.Members = cp.members(u.Members, anyParty...)
		for _, p := range u.Posts {
			post := Post{ID: p.ID.Value, Title: p.Title, Holder: p.Holder, Label: p.Label.Value, Clause: p.Clause, Interpretation: strings.TrimSpace(p.Interpretation)}
			post.Unit, _ = cp.ref(p.Unit, party...)
			cp.checkTemplate(p.Label, "unit", "industry", "locality")
			if strings.Contains(p.Label.Value, "{unit}") && post.Unit == "" && p.Unit.Value == "" {
				cp.errorf("bad-label", p.Label.At, p.Label.Path, "add the post's unit, or remove {unit} from the label", "label uses {unit} but the post has no unit")
			}
			x.Posts = append(x.Posts, post)
		}
		for _, l := range u.Links {
			if to, ok := cp.ref(l.To, anyParty...); ok {
				x.Links = append(x.Links, Link{To: to, Label: l.Label, Clause: l.Clause, Condition: l.Condition, Text: strings.TrimSpace(l.Text)})
			}
		}
	}
	cp.checkContactVia(s)

	for _, p := range s.Placeholders {
		ph := Placeholder{ID: p.ID.Value, Name: p.Name.Value, Aliases: values(p.Aliases), Bind: Binding(p.Bind.Value),
			Role: p.Role.Value, Label: p.Label.Value, Clause: p.Clause, Duties: duties(p.Duties), Interpretation: strings.TrimSpace(p.Interpretation)}
		switch ph.Bind {
		case BindLocality:
			switch {
			case p.Role.Value == "" && p.Label.Value == "":
				cp.errorf("bad-binding", p.Bind.At, p.Bind.Path, "add role: (a unit every locality has) or label: (a name such as \"{locality}公安部门\")", "placeholder %q binds to the locality but says neither which unit nor what name", p.ID.Value)
			case p.Role.Value != "" && p.Label.Value != "":
				cp.errorf("bad-binding", p.Label.At, p.Label.Path, "keep one of role: and label:", "placeholder %q has both a role and a label", p.ID.Value)
			case p.Role.Value != "" && !roles[p.Role.Value]:
				cp.errorf("unknown-role", p.Role.At, p.Role.Path, "use a role of the localities' units."+diag.Suggest(p.Role.Value, sortedKeys(roles)), "no locality has a %q unit", p.Role.Value)
			}
			cp.checkTemplate(p.Label, "locality")
		case BindIndustry, BindIncident:
			if p.Role.Value != "" || p.Label.Value != "" {
				at := p.Role
				if at.Value == "" {
					at = p.Label
				}
				cp.errorf("bad-binding", at.At, at.Path, "remove it; role: and label: apply to locality placeholders", "placeholder %q binds to the %s, which takes no role or label", p.ID.Value, ph.Bind)
			}
		default:
			if p.Bind.Value != "" {
				cp.errorf("bad-binding", p.Bind.At, p.Bind.Path, "write one of "+strings.Join(bindings, ", ")+"."+diag.Suggest(p.Bind.Value, bindings), "unknown binding %q", p.Bind.Value)
			}
		}
		c.placeholders = append(c.placeholders, ph)
	}

	for _, g := range s.Groups {
		gr := Group{ID: g.ID.Value, Name: g.Name.Value, Aliases: values(g.Aliases), Clause: g.Clause, Formed: g.Formed,
			Duties: duties(g.Duties), Interpretation: strings.TrimSpace(g.Interpretation)}
		gr.PartOf, _ = cp.ref(g.PartOf, kindUnit)
		if n := len(g.Lead.Refs); n != 1 && g.Lead.Node != nil {
			cp.errorf("lead-count", g.Lead.At, g.Lead.Path, "a group has exactly one lead; list the others under members, or name one coordinator",
				"group %q has %d leads", g.ID.Value, n)
		}
		if len(g.Lead.Refs) > 0 {
			leads := cp.refs(g.Lead.Refs, party...)
			if len(leads) > 0 {
				gr.Lead = leads[0]
			}
		}
		gr.Coordinator, _ = cp.ref(g.Coordinator, party...)
		gr.Members = cp.members(g.Members, anyParty...)
		c.groups = append(c.groups, gr)
	}

	for _, in := range s.Industries {
		c.industries = append(c.industries, Industry{ID: in.ID.Value, Name: in.Name.Value, Aliases: values(in.Aliases), Clause: in.Clause,
			Text: strings.TrimSpace(in.Text), Units: cp.refs(in.Units, kindUnit), Interpretation: strings.TrimSpace(in.Interpretation)})
	}
	if f := s.Fallback; f != nil {
		if id, ok := cp.ref(f.Unit, kindUnit); ok {
			c.fallback = &Fallback{Unit: id, Clause: f.Clause, Text: strings.TrimSpace(f.Text), Interpretation: strings.TrimSpace(f.Interpretation)}
		}
	}
	for i := range c.industries {
		if len(s.Industries[i].Units) == 0 && c.fallback != nil {
			c.industries[i].Units = []string{c.fallback.Unit}
			c.industries[i].Fallback = true
		}
	}

	for _, sp := range s.Supports {
		c.supports = append(c.supports, Support{Clause: sp.Clause, Title: sp.Title, Text: strings.TrimSpace(sp.Text),
			Units: cp.refs(sp.Units, anyParty...), Interpretation: strings.TrimSpace(sp.Interpretation)})
	}

	cp.responses(s.Responses)

	seenDiagram := map[string]bool{}
	for _, d := range s.Diagrams {
		if !d.ID.Set() {
			continue // the item did not decode; that is already reported
		}
		if seenDiagram[d.ID.Value] {
			cp.errorf("duplicate-id", d.ID.At, d.ID.Path, "give each diagram its own id", "diagram %q is defined twice", d.ID.Value)
		}
		seenDiagram[d.ID.Value] = true
		if root, ok := cp.ref(d.Root, kindUnit); ok {
			c.diagrams = append(c.diagrams, Diagram{ID: d.ID.Value, Title: d.Title, Clause: d.Clause, Root: root, Note: strings.TrimSpace(d.Note)})
		}
	}
	c.referenced = cp.referencedUnits()
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (cp *compiler) checkContactVia(s *fileSpec) {
	c := cp.c
	for i, u := range s.Units {
		seen := map[string]bool{c.units[i].ID: true}
		for cur := c.units[i].ContactVia; cur != ""; {
			if seen[cur] {
				cp.errorf("contact-cycle", u.ContactVia.At, u.ContactVia.Path, "break the cycle: one of these units must have a listing of its own", "contactVia of %q leads back to itself", u.ID.Value)
				c.units[i].ContactVia = ""
				break
			}
			seen[cur] = true
			e, ok := c.ids[cur]
			if !ok || e.kind != kindUnit {
				break
			}
			cur = c.units[e.idx].ContactVia
		}
	}
}

var actions = []string{string(Notify), string(Engage)}

func (cp *compiler) responses(specs []responseSpec) {
	c := cp.c
	byID := map[string]int{}
	for i, r := range specs {
		if !r.ID.Set() {
			continue // the item did not decode; that is already reported
		}
		if _, dup := byID[r.ID.Value]; dup {
			cp.errorf("duplicate-id", r.ID.At, r.ID.Path, "give each response its own id", "response %q is defined twice", r.ID.Value)
			continue
		}
		byID[r.ID.Value] = i
	}
	levelOwner := map[string]string{}
	for _, r := range specs {
		resp := RosterRule{ID: r.ID.Value, Title: r.Title, Clause: r.Clause, Interpretation: strings.TrimSpace(r.Interpretation)}
		for _, l := range r.Levels {
			if l.Value == "" {
				continue
			}
			if owner, ok := levelOwner[l.Value]; ok {
				cp.errorf("duplicate-level", l.At, l.Path, "each response level has one roster rule; merge them or use extends", "level %q already has response %q", l.Value, owner)
				continue
			}
			levelOwner[l.Value] = r.ID.Value
			resp.Levels = append(resp.Levels, l.Value)
			if !slices.Contains(c.levels, l.Value) {
				c.levels = append(c.levels, l.Value)
			}
		}
		resp.Command, _ = cp.ref(r.Command, party...)
		for _, e := range r.Extends {
			if !e.Set() {
				continue // the item did not decode; that is already reported
			}
			if _, ok := byID[e.Value]; !ok {
				cp.errorf("unknown-ref", e.At, e.Path, "extend a response defined in this file."+diag.Suggest(e.Value, sortedKeysInt(byID)), "unknown response %q", e.Value)
				continue
			}
			resp.Extends = append(resp.Extends, e.Value)
		}
		for _, st := range r.Steps {
			step := RosterStep{Action: Action(st.Action.Value), By: "", As: st.As, Condition: st.Condition, Clause: st.Clause,
				Text: strings.TrimSpace(st.Text), AllGroups: st.AllGroups, Interpretation: strings.TrimSpace(st.Interpretation)}
			if st.Action.Value != "" && !slices.Contains(actions, st.Action.Value) {
				cp.errorf("bad-action", st.Action.At, st.Action.Path, "write notify (the party is told) or engage (it has a duty here)."+diag.Suggest(st.Action.Value, actions), "unknown action %q", st.Action.Value)
			}
			step.Who = cp.refs(st.Who, anyParty...)
			step.MembersOf, _ = cp.ref(st.MembersOf, kindUnit)
			step.By, _ = cp.ref(st.By, party...)
			if len(st.Who) == 0 && st.MembersOf.Value == "" && !st.AllGroups {
				cp.errorf("empty-step", st.Meta.At, st.Meta.Path, "add who:, membersOf: or allGroups: true", "step names no one")
			}
			resp.Steps = append(resp.Steps, step)
		}
		c.responses = append(c.responses, resp)
	}
	// A response may not extend itself, directly or not.
	for _, r := range specs {
		if cp.extendsCycle(specs, byID, r.ID.Value, map[string]bool{}) {
			cp.errorf("extends-cycle", r.ID.At, r.ID.Path, "remove one of the extends that lead back here", "response %q extends itself", r.ID.Value)
		}
	}
}

func sortedKeysInt(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (cp *compiler) extendsCycle(specs []responseSpec, byID map[string]int, id string, visiting map[string]bool) bool {
	if visiting[id] {
		return true
	}
	i, ok := byID[id]
	if !ok {
		return false
	}
	visiting[id] = true
	defer delete(visiting, id)
	for _, e := range specs[i].Extends {
		if cp.extendsCycle(specs, byID, e.Value, visiting) {
			return true
		}
	}
	return false
}

// referencedUnits lists, in order of first mention, the units the chart
// names directly as parties.
func (cp *compiler) referencedUnits() []string {
	c := cp.c
	var out []string
	seen := map[string]bool{}
	add := func(id string) {
		if e, ok := c.ids[id]; ok && e.kind == kindUnit && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, u := range c.units {
		for _, m := range u.Members {
			add(m.Ref)
		}
		for _, p := range u.Posts {
			add(p.Unit)
		}
	}
	for _, g := range c.groups {
		add(g.Lead)
		add(g.Coordinator)
		for _, m := range g.Members {
			add(m.Ref)
		}
	}
	for _, s := range c.supports {
		for _, u := range s.Units {
			add(u)
		}
	}
	for _, r := range c.responses {
		add(r.Command)
		for _, st := range r.Steps {
			for _, w := range st.Who {
				add(w)
			}
			add(st.By)
		}
	}
	return out
}

// ClauseFiles names the parts of a plan's clause index the chart covers.
func (c *Chart) ClauseFiles() []string { return []string{"orgchart", "contacts"} }

// ReferencedClauses lists every clause an item of the orgchart or of the
// chart's contacts cites, one per entry ("2.3 (17)；附件 8.5" gives two).
func (c *Chart) ReferencedClauses() []string {
	var out []string
	for _, cl := range c.clauses {
		out = append(out, diag.SplitClauses(cl)...)
	}
	if c.hasDir {
		for _, l := range c.dir.Listings {
			out = append(out, diag.SplitClauses(l.Clause)...)
			for _, p := range l.People {
				out = append(out, diag.SplitClauses(p.Clause)...)
			}
		}
	}
	return out
}
