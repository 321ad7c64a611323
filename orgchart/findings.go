package orgchart

import (
	"slices"

	"github.com/yingji/yingji/diag"
)

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
				ds = append(ds, diag.Diagnostic{Severity: diag.Warning, Code: CodeNoDuty,
					Summary: c.name(m.Ref) + " is a member of " + c.name(u.ID) + " but has no duty",
					Fix:     "the text gives it no duty, group or support measure; add them when the text is revised, or record why in an interpretation",
					Subject: c.at[m.Ref], Path: c.pathOf[m.Ref], Clause: c.clauseOf(m.Ref),
					Params: map[string]string{"member": m.Ref, "memberName": c.name(m.Ref), "body": u.ID, "bodyName": c.name(u.ID)}})
			}
		}
	}
	// Industries without a responsible unit in the text.
	for _, in := range c.industries {
		if !in.Fallback && len(in.Units) > 0 {
			continue
		}
		params := map[string]string{"industry": in.ID, "industryName": in.Name}
		if in.Fallback {
			params["fallback"] = c.fallback.Unit
			ds = append(ds, diag.Diagnostic{Severity: diag.Info, Code: CodeNoIndustryUnit, Clause: in.Clause,
				Subject: c.at[in.ID], Path: c.pathOf[in.ID],
				Summary: "industry " + in.Name + " has no responsible unit; rosters fall back to " + c.name(c.fallback.Unit),
				Fix:     "the text names no unit for it; name one in the next revision",
				Params:  params})
			continue
		}
		ds = append(ds, diag.Diagnostic{Severity: diag.Warning, Code: CodeNoIndustryUnit, Clause: in.Clause,
			Subject: c.at[in.ID], Path: c.pathOf[in.ID],
			Summary: "industry " + in.Name + " has no responsible unit",
			Fix:     "name its units, or declare industryFallback",
			Params:  params})
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
		ds = append(ds, diag.Diagnostic{Severity: diag.Warning, Code: CodeNoContact,
			Summary: u.Name + " has no contact",
			Fix:     "the contacts list no one for it, nor for a unit it is reached through; add a listing, or set contactVia",
			Subject: c.at[id], Path: c.pathOf[id], Clause: u.Clause,
			Params: map[string]string{"unit": id, "unitName": u.Name}})
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
