package orgchart

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
)

func (cp *compiler) build(s *fileSpec) {
	c := cp.c
	c.jur = Jurisdiction{Name: s.Jurisdiction.Name, Plan: s.Jurisdiction.Plan, Clause: s.Jurisdiction.Clause}

	// Register everything first, so references may point forward.
	for i, u := range s.Units {
		cp.register(kindUnit, i, u.ID, u.Name, u.Short, u.Aliases)
	}
	for i, p := range s.Placeholders {
		cp.register(kindPlaceholder, i, p.ID, p.Name, yamlx.String{}, p.Aliases)
	}
	for i, g := range s.Groups {
		cp.register(kindGroup, i, g.ID, g.Name, yamlx.String{}, g.Aliases)
	}
	for i, l := range s.Localities {
		cp.register(kindLocality, i, l.ID, l.Name, yamlx.String{}, l.Aliases)
	}
	for i, in := range s.Industries {
		cp.register(kindIndustry, i, in.ID, in.Name, yamlx.String{}, in.Aliases)
	}
	// Locality units are units too; they follow the declared ones.
	roles := map[string]bool{}
	for _, l := range s.Localities {
		for j, lu := range l.Units {
			if !lu.Role.Set() {
				continue // the item did not decode; that is already reported
			}
			// A locality has a handful of units: a scan beats a map.
			if k := slices.IndexFunc(l.Units[:j], func(o localityUnitSpec) bool { return o.Role.Value == lu.Role.Value }); k >= 0 {
				first := l.Units[k].Role.At()
				cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeDuplicateRole, Subject: lu.Role.At(), Path: lu.Role.Path(),
					Summary: fmt.Sprintf("locality %q has two %q units", l.ID.Value, lu.Role.Value),
					Detail:  firstAt(first),
					Fix:     "a locality has one unit per role",
					Params:  map[string]string{"locality": l.ID.Value, "role": lu.Role.Value}})
				continue
			}
			roles[lu.Role.Value] = true
		}
	}

	localUnits := 0
	for _, l := range s.Localities {
		localUnits += len(l.Units)
	}
	c.units = make([]Unit, 0, len(s.Units)+localUnits)
	c.localities = make([]Locality, 0, len(s.Localities))
	c.placeholders = make([]Placeholder, 0, len(s.Placeholders))
	c.groups = make([]Group, 0, len(s.Groups))
	c.industries = make([]Industry, 0, len(s.Industries))
	c.supports = make([]Support, 0, len(s.Supports))
	for i := range s.Units {
		u := &s.Units[i]
		c.units = append(c.units, Unit{
			ID: u.ID.Value, Name: u.Name.Value, Short: u.Short.Value, Aliases: values(u.Aliases),
			Kind: u.Kind, Clause: u.Clause, Text: strings.TrimSpace(u.Text),
			Duties: duties(u.Duties), Interpretation: strings.TrimSpace(u.Interpretation),
		})
	}
	for _, l := range s.Localities {
		loc := Locality{Units: make([]string, 0, len(l.Units)), ID: l.ID.Value, Name: l.Name.Value, Aliases: values(l.Aliases), Kind: l.Kind, Clause: l.Clause, Interpretation: strings.TrimSpace(l.Interpretation)}
		for _, lu := range l.Units {
			cp.register(kindUnit, len(c.units), lu.ID, lu.Name, yamlx.String{}, lu.Aliases)
			c.units = append(c.units, Unit{
				ID: lu.ID.Value, Name: lu.Name.Value, Aliases: values(lu.Aliases), Kind: "locality-" + lu.Role.Value,
				Clause: lu.Clause, Locality: l.ID.Value, Role: lu.Role.Value, Interpretation: strings.TrimSpace(lu.Interpretation),
			})
			loc.Units = append(loc.Units, lu.ID.Value)
		}
		c.localities = append(c.localities, loc)
	}

	// Resolve the units' own references.
	for i := range s.Units {
		u := &s.Units[i]
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
				cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeBadLabel, Subject: p.Label.At(), Path: p.Label.Path(),
					Summary: "label uses {unit} but the post has no unit",
					Fix:     "add the post's unit, or remove {unit} from the label",
					Params:  map[string]string{"variable": "unit"}})
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
				cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeBadBinding, Subject: p.Bind.At(), Path: p.Bind.Path(),
					Summary: fmt.Sprintf("placeholder %q binds to the locality but says neither which unit nor what name", p.ID.Value),
					Fix:     `add role: (a unit every locality has) or label: (a name such as "{locality}公安部门")`,
					Params:  map[string]string{"placeholder": p.ID.Value, "bind": p.Bind.Value}})
			case p.Role.Value != "" && p.Label.Value != "":
				cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeBadBinding, Subject: p.Label.At(), Path: p.Label.Path(),
					Summary: fmt.Sprintf("placeholder %q has both a role and a label", p.ID.Value),
					Fix:     "keep one of role: and label:",
					Params:  map[string]string{"placeholder": p.ID.Value, "bind": p.Bind.Value}})
			case p.Role.Value != "" && !roles[p.Role.Value]:
				known := slices.Sorted(maps.Keys(roles))
				cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeUnknownRole, Subject: p.Role.At(), Path: p.Role.Path(),
					Summary: fmt.Sprintf("no locality has a %q unit", p.Role.Value),
					Fix:     "use a role of the localities' units." + diag.Suggest(p.Role.Value, known),
					Params:  map[string]string{"role": p.Role.Value, "known": strings.Join(known, ", ")}})
			}
			cp.checkTemplate(p.Label, "locality")
		case BindIndustry, BindIncident:
			if p.Role.Value != "" || p.Label.Value != "" {
				at := p.Role
				if at.Value == "" {
					at = p.Label
				}
				cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeBadBinding, Subject: at.At(), Path: at.Path(),
					Summary: fmt.Sprintf("placeholder %q binds to the %s, which takes no role or label", p.ID.Value, ph.Bind),
					Fix:     "remove it; role: and label: apply to locality placeholders",
					Params:  map[string]string{"placeholder": p.ID.Value, "bind": p.Bind.Value}})
			}
		default:
			if p.Bind.Value != "" {
				cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeBadBinding, Subject: p.Bind.At(), Path: p.Bind.Path(),
					Summary: fmt.Sprintf("unknown binding %q", p.Bind.Value),
					Fix:     "write one of " + strings.Join(bindings, ", ") + "." + diag.Suggest(p.Bind.Value, bindings),
					Params:  map[string]string{"placeholder": p.ID.Value, "bind": p.Bind.Value}})
			}
		}
		c.placeholders = append(c.placeholders, ph)
	}

	for _, g := range s.Groups {
		gr := Group{ID: g.ID.Value, Name: g.Name.Value, Aliases: values(g.Aliases), Clause: g.Clause, Formed: g.Formed,
			Duties: duties(g.Duties), Interpretation: strings.TrimSpace(g.Interpretation)}
		gr.PartOf, _ = cp.ref(g.PartOf, kindUnit)
		if n := len(g.Lead.Refs); n != 1 && g.Lead.Node != nil {
			cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeLeadCount, Subject: g.Lead.At(), Path: g.Lead.Path(),
				Summary: fmt.Sprintf("group %q has %d leads", g.ID.Value, n),
				Fix:     "a group has exactly one lead; list the others under members, or name one coordinator",
				Params:  map[string]string{"group": g.ID.Value, "count": strconv.Itoa(n)}})
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
			Text: strings.TrimSpace(in.Text), Units: append([]string{}, cp.refs(in.Units, kindUnit)...), Interpretation: strings.TrimSpace(in.Interpretation)})
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

	seenDiagram := map[string]diag.Range{}
	for _, d := range s.Diagrams {
		if !d.ID.Set() {
			continue // the item did not decode; that is already reported
		}
		if first, dup := seenDiagram[d.ID.Value]; dup {
			cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeDuplicateID, Subject: d.ID.At(), Path: d.ID.Path(),
				Summary: fmt.Sprintf("diagram %q is declared twice", d.ID.Value),
				Detail:  firstAt(first),
				Fix:     "give each diagram its own id",
				Params:  map[string]string{"id": d.ID.Value, "first": first.String()}})
		} else {
			seenDiagram[d.ID.Value] = d.ID.At()
		}
		if root, ok := cp.ref(d.Root, kindUnit); ok {
			c.diagrams = append(c.diagrams, Diagram{ID: d.ID.Value, Title: d.Title, Clause: d.Clause, Root: root, Note: strings.TrimSpace(d.Note)})
		}
	}
	c.referenced = cp.referencedUnits()
}

func (cp *compiler) checkContactVia(s *fileSpec) {
	c := cp.c
	// walk[j] is 1 + the index of the unit whose chain last passed unit j.
	walk := make([]int, len(c.units))
	for i, u := range s.Units {
		walk[i] = i + 1
		for cur := c.units[i].ContactVia; cur != ""; {
			e, ok := c.entityOK(cur)
			if !ok || e.kind != kindUnit {
				break
			}
			if walk[e.idx] == i+1 {
				cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeContactCycle, Subject: u.ContactVia.At(), Path: u.ContactVia.Path(),
					Summary: fmt.Sprintf("contactVia of %q leads back to itself", u.ID.Value),
					Fix:     "break the cycle: one of these units must have a listing of its own",
					Params:  map[string]string{"unit": u.ID.Value}})
				c.units[i].ContactVia = ""
				break
			}
			walk[e.idx] = i + 1
			cur = c.units[e.idx].ContactVia
		}
	}
}
