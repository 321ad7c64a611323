package orgchart

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/yingji/yingji/diag"
)

var actions = []string{string(Notify), string(Engage)}

func (cp *compiler) responses(specs []responseSpec) {
	c := cp.c
	byID := map[string]int{}
	for i, r := range specs {
		if !r.ID.Set() {
			continue // the item did not decode; that is already reported
		}
		if j, dup := byID[r.ID.Value]; dup {
			first := specs[j].ID.At()
			cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeDuplicateID, Subject: r.ID.At(), Path: r.ID.Path(),
				Summary: fmt.Sprintf("response %q is declared twice", r.ID.Value),
				Detail:  firstAt(first),
				Fix:     "give each response its own id",
				Params:  map[string]string{"id": r.ID.Value, "first": first.String()}})
			continue
		}
		byID[r.ID.Value] = i
	}
	type owner struct {
		rule string
		at   diag.Range
	}
	levelOwner := map[string]owner{}
	for _, r := range specs {
		resp := RosterRule{Steps: make([]RosterStep, 0, len(r.Steps)), ID: r.ID.Value, Title: r.Title, Clause: r.Clause, Interpretation: strings.TrimSpace(r.Interpretation)}
		for _, l := range r.Levels {
			if l.Value == "" {
				continue
			}
			if first, ok := levelOwner[l.Value]; ok {
				cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeDuplicateLevel, Subject: l.At(), Path: l.Path(),
					Summary: fmt.Sprintf("level %q already has response %q", l.Value, first.rule),
					Detail:  "first claimed at " + first.at.String(),
					Fix:     "each response level has one roster rule; merge them or use extends",
					Params:  map[string]string{"level": l.Value, "rule": first.rule, "first": first.at.String()}})
				continue
			}
			levelOwner[l.Value] = owner{r.ID.Value, l.At()}
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
				cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeUnknownRef, Subject: e.At(), Path: e.Path(),
					Summary: fmt.Sprintf("unknown response %q", e.Value),
					Fix:     "extend a response defined in this file." + diag.Suggest(e.Value, slices.Sorted(maps.Keys(byID))),
					Params:  map[string]string{"id": e.Value, "want": "response"}})
				continue
			}
			resp.Extends = append(resp.Extends, e.Value)
		}
		for _, st := range r.Steps {
			step := RosterStep{Action: Action(st.Action.Value), By: "", As: st.As, Condition: st.Condition, Clause: st.Clause,
				Text: strings.TrimSpace(st.Text), AllGroups: st.AllGroups, Interpretation: strings.TrimSpace(st.Interpretation)}
			if st.Action.Value != "" && !slices.Contains(actions, st.Action.Value) {
				cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeBadAction, Subject: st.Action.At(), Path: st.Action.Path(),
					Summary: fmt.Sprintf("unknown action %q", st.Action.Value),
					Fix:     "write notify (the party is told) or engage (it has a duty here)." + diag.Suggest(st.Action.Value, actions),
					Params:  map[string]string{"action": st.Action.Value}})
			}
			step.Who = cp.refs(st.Who, anyParty...)
			step.MembersOf, _ = cp.ref(st.MembersOf, kindUnit)
			step.By, _ = cp.ref(st.By, party...)
			if len(st.Who) == 0 && st.MembersOf.Value == "" && !st.AllGroups {
				cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeEmptyStep, Subject: st.Meta.At(), Path: st.Meta.Path(),
					Summary: "step names no one",
					Fix:     "add who:, membersOf: or allGroups: true"})
			}
			resp.Steps = append(resp.Steps, step)
		}
		c.responses = append(c.responses, resp)
	}
	// A response may not extend itself, directly or not.
	for _, r := range specs {
		if cp.extendsCycle(specs, byID, r.ID.Value, map[string]bool{}) {
			cp.report(diag.Diagnostic{Severity: diag.Error, Code: CodeExtendsCycle, Subject: r.ID.At(), Path: r.ID.Path(),
				Summary: fmt.Sprintf("response %q extends itself", r.ID.Value),
				Fix:     "remove one of the extends that lead back here",
				Params:  map[string]string{"id": r.ID.Value}})
		}
	}
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
	seen := make([]bool, len(c.items))
	add := func(id string) {
		if k, ok := c.keys[id]; ok && c.items[k.item].id == id && c.items[k.item].kind == kindUnit && !seen[k.item] {
			seen[k.item] = true
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
