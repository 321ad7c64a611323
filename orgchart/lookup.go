package orgchart

import (
	"slices"
	"strings"

	"github.com/yingji/yingji/diag"
)

// Jurisdiction returns whose plan the chart is.
func (c *Chart) Jurisdiction() Jurisdiction { return c.jur }

// ResponseLevels returns the response level ids the chart's roster rules
// are written for, in order of first appearance, so that a host can check
// them against its grading rules.
func (c *Chart) ResponseLevels() []string { return slices.Clone(c.levels) }

func (c *Chart) lookup(key string, k kind) (int, bool) {
	e, ok := c.keys[strings.TrimSpace(key)]
	if !ok || e.kind != k {
		return 0, false
	}
	return e.idx, true
}

// Unit looks a unit up by id, name, short name or alias.
func (c *Chart) Unit(key string) (Unit, bool) {
	i, ok := c.lookup(key, kindUnit)
	if !ok {
		return Unit{}, false
	}
	return c.units[i].clone(), true
}

// Placeholder looks a placeholder up by id, name or alias.
func (c *Chart) Placeholder(key string) (Placeholder, bool) {
	i, ok := c.lookup(key, kindPlaceholder)
	if !ok {
		return Placeholder{}, false
	}
	return c.placeholders[i].clone(), true
}

// Group looks a group up by id, name or alias.
func (c *Chart) Group(key string) (Group, bool) {
	i, ok := c.lookup(key, kindGroup)
	if !ok {
		return Group{}, false
	}
	return c.groups[i].clone(), true
}

// Locality looks a locality up by id, name or alias.
func (c *Chart) Locality(key string) (Locality, bool) {
	i, ok := c.lookup(key, kindLocality)
	if !ok {
		return Locality{}, false
	}
	return c.localities[i].clone(), true
}

// Industry looks an industry up by id, name or alias.
func (c *Chart) Industry(key string) (Industry, bool) {
	i, ok := c.lookup(key, kindIndustry)
	if !ok {
		return Industry{}, false
	}
	return c.industries[i].clone(), true
}

// LocalityUnit returns the unit of a locality with the given role
// ("government", "emergency-bureau").
func (c *Chart) LocalityUnit(locality, role string) (Unit, bool) {
	l, ok := c.Locality(locality)
	if !ok {
		return Unit{}, false
	}
	for _, id := range l.Units {
		if u := c.units[c.ids[id].idx]; u.Role == role {
			return u.clone(), true
		}
	}
	return Unit{}, false
}

// Units returns every unit, declared ones first, then the localities' own.
func (c *Chart) Units() []Unit { return cloneAll(c.units, Unit.clone) }

// Placeholders returns every placeholder in file order.
func (c *Chart) Placeholders() []Placeholder { return cloneAll(c.placeholders, Placeholder.clone) }

// Groups returns every group in file order.
func (c *Chart) Groups() []Group { return cloneAll(c.groups, Group.clone) }

// Localities returns every locality in file order.
func (c *Chart) Localities() []Locality { return cloneAll(c.localities, Locality.clone) }

// Industries returns every industry in file order.
func (c *Chart) Industries() []Industry { return cloneAll(c.industries, Industry.clone) }

// Supports returns the support measures in file order.
func (c *Chart) Supports() []Support { return cloneAll(c.supports, Support.clone) }

// RosterRules returns the roster rules in file order.
func (c *Chart) RosterRules() []RosterRule { return cloneAll(c.responses, RosterRule.clone) }

// Diagrams returns the figures the chart can draw.
func (c *Chart) Diagrams() []Diagram { return slices.Clone(c.diagrams) }

// IndustryFallback returns the unit standing in for industries the plan
// gives no responsible unit, if the chart declares one.
func (c *Chart) IndustryFallback() (Fallback, bool) {
	if c.fallback == nil {
		return Fallback{}, false
	}
	return *c.fallback, true
}

// name is the display name of any id: a unit's full name, a placeholder's,
// group's, locality's or industry's name.
func (c *Chart) name(id string) string {
	e, ok := c.ids[id]
	if !ok {
		return id
	}
	switch e.kind {
	case kindUnit:
		return c.units[e.idx].Name
	case kindPlaceholder:
		return c.placeholders[e.idx].Name
	case kindGroup:
		return c.groups[e.idx].Name
	case kindLocality:
		return c.localities[e.idx].Name
	case kindIndustry:
		return c.industries[e.idx].Name
	}
	return id
}

// hasDuty reports whether a unit or placeholder has anything to do: duties
// of its own, a support measure, a place in a group, or a post.
func (c *Chart) hasDuty(id string) bool {
	e := c.ids[id]
	switch e.kind {
	case kindUnit:
		if len(c.units[e.idx].Duties) > 0 {
			return true
		}
	case kindPlaceholder:
		if len(c.placeholders[e.idx].Duties) > 0 {
			return true
		}
	}
	for _, s := range c.supports {
		if slices.Contains(s.Units, id) {
			return true
		}
	}
	for _, g := range c.groups {
		if g.Lead == id || g.Coordinator == id || slices.ContainsFunc(g.Members, func(m Member) bool { return m.Ref == id }) {
			return true
		}
	}
	for _, u := range c.units {
		if slices.ContainsFunc(u.Posts, func(p Post) bool { return p.Unit == id }) {
			return true
		}
	}
	return false
}

// findings analyses the chart for what the text lacks.
func (c *Chart) findings() diag.Diagnostics {
	var ds diag.Diagnostics
	// Members without any duty.
	seen := map[string]bool{}
	for _, u := range c.units {
		for _, m := range u.Members {
			if seen[m.Ref] || c.ids[m.Ref].kind == kindGroup {
				continue
			}
			seen[m.Ref] = true
			if !c.hasDuty(m.Ref) {
				ds = append(ds, diag.Diagnostic{Severity: diag.Warning, Code: "no-duty",
					Summary: c.name(m.Ref) + " is a member of " + c.name(u.ID) + " but has no duty",
					Fix:     "the text gives it no duty, group or support measure; add them when the text is revised, or record why in an interpretation",
					Subject: c.at[m.Ref], Path: c.pathOf[m.Ref], Clause: c.clauseOf(m.Ref)})
			}
		}
	}
	// Industries without a responsible unit in the text.
	for _, in := range c.industries {
		if !in.Fallback && len(in.Units) > 0 {
			continue
		}
		d := diag.Diagnostic{Severity: diag.Info, Code: "no-industry-unit", Clause: in.Clause,
			Subject: c.at[in.ID], Path: c.pathOf[in.ID]}
		if in.Fallback {
			d.Summary = "industry " + in.Name + " has no responsible unit; rosters fall back to " + c.name(c.fallback.Unit)
			d.Fix = "the text names no unit for it; name one in the next revision"
		} else {
			d.Severity = diag.Warning
			d.Summary = "industry " + in.Name + " has no responsible unit"
			d.Fix = "name its units, or declare industryFallback"
		}
		ds = append(ds, d)
	}
	if c.hasDir {
		ds = append(ds, c.contactFindings()...)
	}
	return ds
}

// contactFindings reports units the chart names directly that no listing
// reaches. Bodies formed at activation (FormedBy) have no standing contact
// and are not reported.
func (c *Chart) contactFindings() diag.Diagnostics {
	var ds diag.Diagnostics
	for _, id := range c.referenced {
		u := c.units[c.ids[id].idx]
		if len(u.FormedBy) > 0 {
			continue
		}
		if _, ok := c.contactsOf(id); ok {
			continue
		}
		ds = append(ds, diag.Diagnostic{Severity: diag.Warning, Code: "no-contact",
			Summary: u.Name + " has no contact",
			Fix:     "the contacts list no one for it, nor for a unit it is reached through; add a listing, or set contactVia",
			Subject: c.at[id], Path: c.pathOf[id], Clause: u.Clause})
	}
	return ds
}

func (c *Chart) clauseOf(id string) string {
	e := c.ids[id]
	switch e.kind {
	case kindUnit:
		return c.units[e.idx].Clause
	case kindPlaceholder:
		return c.placeholders[e.idx].Clause
	}
	return ""
}
