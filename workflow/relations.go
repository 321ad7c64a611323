package workflow

import (
	"fmt"
	"maps"
	"slices"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
)

// Relations (relations:) name actors relative to other actors — the next
// level up, 本级人民政府 — so that a task with several assignees can notify
// each one's own superior and government: notify: [{relation: above}].
// The pairs are data of the workflow file, every id resolved through the
// ActorResolver when the file compiles.

func (c *compiler) relations(specs []relationSpec) {
	c.d.relations = map[string]*Relation{}
	for i, s := range specs {
		path := fmt.Sprintf("relations[%d]", i)
		if first, dup := c.d.relations[s.ID]; dup {
			c.duplicate(s.Meta.At(), first.at, path+".id", "relation", s.ID, "give each relation its own id")
			continue
		}
		r := &Relation{ID: s.ID, Name: s.Name, Clause: s.Clause, Text: s.Text, Interpretation: s.Interpretation, Of: map[string]string{}, at: s.Meta.At()}
		for _, k := range slices.Sorted(maps.Keys(s.Pairs)) {
			v := s.Pairs[k]
			pp := path + ".pairs." + k
			from, ok := c.actorRef(yamlx.String{Value: k, Meta: yamlx.MetaAt(v.At(), "")}, pp)
			if !ok {
				continue
			}
			to, ok := c.actorRef(v, pp)
			if !ok {
				continue
			}
			if _, dup := r.Of[from]; dup {
				c.duplicate(v.At(), diag.Range{}, pp, "pair of "+s.ID+" for", from, "give each actor one pair")
				continue
			}
			r.Of[from] = to
		}
		c.d.relations[r.ID] = r
	}
}

// relativeRef checks a {relation: id} of task t: the relation exists and
// names an actor for every assignee of t.
func (c *compiler) relativeRef(s yamlx.String, path string, t *TaskDef) bool {
	r, ok := c.d.relations[s.Value]
	if !ok {
		c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeUnknownRelation, Subject: s.At(), Path: path,
			Summary: fmt.Sprintf("unknown relation %q", s.Value),
			Fix:     "declare it under relations:." + diag.Suggest(s.Value, slices.Sorted(maps.Keys(c.d.relations))),
			Params:  map[string]string{"relation": s.Value}})
		return false
	}
	good := true
	for _, a := range t.Assignees {
		if _, ok := r.Of[a]; !ok {
			good = false
			c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeUnknownRelation, Subject: s.At(), Path: path,
				Summary: fmt.Sprintf("relation %q names no actor for %s, an assignee of %s", r.ID, a, t.ID),
				Fix:     fmt.Sprintf("add %s: <actor> under the pairs of %s, or name the actor itself", a, r.ID),
				Params:  map[string]string{"relation": r.ID, "actor": a, "task": t.ID}})
		}
	}
	return good
}

// Relation looks a relation up by id.
func (d *Definition) Relation(id string) (*Relation, bool) { r, ok := d.relations[id]; return r, ok }

// resolve gives the actor id a reference names for a task assigned to
// assignee.
func (d *Definition) resolve(ref ActorRef, assignee string) string {
	if ref.Relation == "" {
		return ref.ID
	}
	if r, ok := d.relations[ref.Relation]; ok {
		return r.Of[assignee]
	}
	return ""
}
