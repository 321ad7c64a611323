package orgchart

import (
	"slices"
	"strings"
)

// Jurisdiction returns whose plan the chart is.
func (c *Chart) Jurisdiction() Jurisdiction { return c.jur }

// ResponseLevels returns the response level ids the chart's roster rules
// are written for, in order of first appearance, so that a host can check
// them against its grading rules.
func (c *Chart) ResponseLevels() []string { return slices.Clone(c.levels) }

func (c *Chart) lookup(key string, k kind) (int, bool) {
	e, ok := c.byKey(strings.TrimSpace(key))
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
		if u := c.units[c.entity(id).idx]; u.Role == role {
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
	e, ok := c.entityOK(id)
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
