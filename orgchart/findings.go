package orgchart

import (
	"github.com/yingji/yingji/diag"
)

// withDuty marks, by item index, the units and placeholders that have
// anything to do: duties of their own, a support measure, a place in a
// group, or a post.
func (c *Chart) withDuty() []bool {
	has := make([]bool, len(c.items))
	mark := func(id string) {
		if k, ok := c.keys[id]; ok && c.items[k.item].id == id {
			has[k.item] = true
		}
	}
	for _, u := range c.units {
		if len(u.Duties) > 0 {
			mark(u.ID)
		}
		for _, p := range u.Posts {
			mark(p.Unit)
		}
	}
	for _, p := range c.placeholders {
		if len(p.Duties) > 0 {
			mark(p.ID)
		}
	}
	for _, s := range c.supports {
		for _, u := range s.Units {
			mark(u)
		}
	}
	for _, g := range c.groups {
		mark(g.Lead)
		mark(g.Coordinator)
		for _, m := range g.Members {
			mark(m.Ref)
		}
	}
	return has
}

// findings analyses the chart for what the text lacks.
func (c *Chart) findings() diag.Diagnostics {
	var ds diag.Diagnostics
	// Members without any duty.
	has := c.withDuty()
	seen := make([]bool, len(c.items))
	for _, u := range c.units {
		for _, m := range u.Members {
			k, ok := c.keys[m.Ref]
			if !ok || seen[k.item] {
				continue
			}
			seen[k.item] = true
			it := c.items[k.item]
			if it.kind == kindGroup || has[k.item] {
				continue
			}
			ds = append(ds, diag.Diagnostic{Severity: diag.Warning, Code: CodeNoDuty,
				Summary: c.name(m.Ref) + " is a member of " + c.name(u.ID) + " but has no duty",
				Fix:     "the text gives it no duty, group or support measure; add them when the text is revised, or record why in an interpretation",
				Subject: it.at(), Path: it.path(), Clause: c.clauseOf(m.Ref),
				Params: map[string]string{"member": m.Ref, "memberName": c.name(m.Ref), "body": u.ID, "bodyName": c.name(u.ID)}})
		}
	}
	// Industries without a responsible unit in the text.
	for _, in := range c.industries {
		if !in.Fallback && len(in.Units) > 0 {
			continue
		}
		at, path := c.where(in.ID)
		params := map[string]string{"industry": in.ID, "industryName": in.Name}
		if in.Fallback {
			params["fallback"] = c.fallback.Unit
			params["fallbackName"] = c.name(c.fallback.Unit)
			ds = append(ds, diag.Diagnostic{Severity: diag.Info, Code: CodeNoIndustryUnit, Clause: in.Clause,
				Subject: at, Path: path,
				Summary: "industry " + in.Name + " has no responsible unit; rosters fall back to " + c.name(c.fallback.Unit),
				Fix:     "the text names no unit for it; name one in the next revision",
				Params:  params})
			continue
		}
		ds = append(ds, diag.Diagnostic{Severity: diag.Warning, Code: CodeNoIndustryUnit, Clause: in.Clause,
			Subject: at, Path: path,
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
		u := c.units[c.entity(id).idx]
		if len(u.FormedBy) > 0 || c.listed(id) >= 0 {
			continue
		}
		at, path := c.where(id)
		ds = append(ds, diag.Diagnostic{Severity: diag.Warning, Code: CodeNoContact,
			Summary: u.Name + " has no contact",
			Fix:     "the contacts list no one for it, nor for a unit it is reached through; add a listing, or set contactVia",
			Subject: at, Path: path, Clause: u.Clause,
			Params: map[string]string{"unit": id, "unitName": u.Name}})
	}
	return ds
}

func (c *Chart) clauseOf(id string) string {
	e := c.entity(id)
	switch e.kind {
	case kindUnit:
		return c.units[e.idx].Clause
	case kindPlaceholder:
		return c.placeholders[e.idx].Clause
	}
	return ""
}
