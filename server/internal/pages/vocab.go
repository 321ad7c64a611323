package pages

import (
	"slices"
	"strings"
	"time"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/orgchart"
	"github.com/yingji/yingji/server/internal/core"
	"github.com/yingji/yingji/workflow"
)

// vocab is a plan's vocabulary as the pages show it: names for ids, the
// options of selects, the inputs of the intake form. Everything comes from
// the plan's data.
type vocab struct {
	plan  *core.Plan
	lib   *yingji.Plan
	rules *grading.Rules
	chart *orgchart.Chart
	wf    *workflow.Definition
	// now is the server's clock when the page was asked for.
	now time.Time
}

func vocabOf(p *core.Plan, now time.Time) vocab {
	lib := p.Library()
	return vocab{plan: p, lib: lib, rules: lib.Grading, chart: lib.Orgchart, wf: lib.Workflow, now: now}
}

// option is one choice of a select or a checkbox list.
type option struct {
	Value string
	Label string
	// Search holds every name the option is found by (name, aliases),
	// lower-cased, for the filter box.
	Search string
	// Group is the optgroup it belongs to.
	Group    string
	Selected bool
	// Note is shown beside the label (a checklist item's clause).
	Note string
}

// actorName is the display name of an actor id: a unit, a placeholder, a
// group; the id itself only when the plan has no name for it.
func (v vocab) actorName(id string) string {
	if id == "" {
		return ""
	}
	if n := v.plan.ActorName(id); n != "" {
		return n
	}
	if v.chart != nil {
		if u, ok := v.chart.Unit(id); ok {
			return u.Name
		}
	}
	return id
}

// boundName names an actor for one incident: a placeholder bound to the
// incident's locality or industry is named by the units it stands for
// (事故发生地县市（园区）应急管理局 → 昌吉市应急管理局), since that is whom the
// duty officer calls; unbound, by the plan's own words.
func (v vocab) boundName(id string, facts map[string]any) string {
	name := v.actorName(id)
	if v.chart == nil {
		return name
	}
	ph, ok := v.chart.Placeholder(id)
	if !ok {
		return name
	}
	var bound []string
	switch ph.Bind {
	case orgchart.BindLocality:
		for _, loc := range stringList(facts["localities"]) {
			if ph.Role != "" {
				if u, ok := v.chart.LocalityUnit(loc, ph.Role); ok {
					bound = append(bound, u.Name)
					continue
				}
			}
			if ph.Label != "" {
				if l, ok := v.chart.Locality(loc); ok {
					bound = append(bound, strings.ReplaceAll(ph.Label, "{locality}", l.Name))
				}
			}
		}
	case orgchart.BindIndustry:
		for _, ind := range stringList(facts["industries"]) {
			if in, ok := v.chart.Industry(ind); ok {
				for _, u := range in.Units {
					if n := v.actorName(u); !slices.Contains(bound, n) {
						bound = append(bound, n)
					}
				}
			}
		}
	}
	if len(bound) == 0 {
		return name
	}
	return strings.Join(bound, "、")
}

// actorOptions lists every actor an event may name, grouped: the parties
// bound to the incident, the units, the groups. With allowed set, only
// those.
func (v vocab) actorOptions(allowed func(string) bool, selected string) []option {
	var out []option
	add := func(id, name, group string, aliases ...string) {
		if allowed != nil && !allowed(id) {
			return
		}
		out = append(out, option{Value: id, Label: name, Group: group, Search: searchKey(name, aliases...), Selected: id == selected})
	}
	if v.chart == nil {
		return out
	}
	for _, ph := range v.chart.Placeholders() {
		add(ph.ID, ph.Name, "按事故确定的单位", ph.Aliases...)
	}
	for _, u := range v.chart.Units() {
		group := "州级及以上单位"
		if u.Locality != "" {
			group = "县市（园区）单位"
		}
		add(u.ID, u.Name, group, append([]string{u.Short}, u.Aliases...)...)
	}
	for _, g := range v.chart.Groups() {
		add(g.ID, g.Name, "工作组", g.Aliases...)
	}
	if len(out) == 1 && allowed != nil {
		out[0].Selected = true // a token that acts as one unit: that unit
	}
	return out
}

func searchKey(name string, aliases ...string) string {
	parts := append([]string{name}, aliases...)
	return strings.ToLower(strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), " "))
}

// listOptions lists the values of a list input that refers to the
// orgchart (industries, localities), with their aliases for the search box.
func (v vocab) listOptions(ref string, selected []string) []option {
	var out []option
	if v.chart == nil {
		return out
	}
	sel := func(id string) bool { return slices.Contains(selected, id) }
	switch ref {
	case "industries":
		for _, in := range v.chart.Industries() {
			out = append(out, option{Value: in.ID, Label: in.Name, Search: searchKey(in.Name, in.Aliases...), Selected: sel(in.ID)})
		}
	case "localities":
		for _, l := range v.chart.Localities() {
			out = append(out, option{Value: l.ID, Label: l.Name, Search: searchKey(l.Name, l.Aliases...), Selected: sel(l.ID)})
		}
	}
	return out
}

// listNames names the values of a list input ("昌吉市、奇台县").
func (v vocab) listNames(ref string, ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		name := id
		if v.chart != nil {
			switch ref {
			case "industries":
				if in, ok := v.chart.Industry(id); ok {
					name = in.Name
				}
			case "localities":
				if l, ok := v.chart.Locality(id); ok {
					name = l.Name
				}
			}
		}
		out = append(out, name)
	}
	return out
}

// levelName is the Chinese name of a grading level (by id, name or
// response id).
func (v vocab) levelName(key string) string {
	if key == "" || v.rules == nil {
		return key
	}
	if l, ok := v.rules.Level(key); ok {
		return l.Name
	}
	return key
}

// responseName is the name of a response level ("Ⅱ级应急响应") given a
// response id or a level.
func (v vocab) responseName(key string) string {
	if key == "" || v.rules == nil {
		return key
	}
	if l, ok := v.rules.Level(key); ok && l.Response.Name != "" {
		return l.Response.Name
	}
	return key
}

// levelOptions lists the levels for a select, most severe first.
func (v vocab) levelOptions(selected string) []option {
	var out []option
	if v.rules == nil {
		return out
	}
	for _, l := range v.rules.Levels() {
		label := l.Name
		if l.Response.Name != "" {
			label += "（" + l.Response.Name + "）"
		}
		out = append(out, option{Value: l.ID, Label: label, Selected: selected != "" && (selected == l.ID || selected == l.Response.ID)})
	}
	return out
}

// eventDef finds an event type of the plan's workflow.
func (v vocab) eventDef(id string) (*workflow.EventDef, bool) {
	if v.wf == nil {
		return nil, false
	}
	return v.wf.Event(id)
}

func (v vocab) eventName(id string) string {
	if e, ok := v.eventDef(id); ok && e.Name != "" {
		return e.Name
	}
	return id
}

func (v vocab) phaseName(id string) string {
	if v.wf != nil {
		if ph, ok := v.wf.Phase(id); ok && ph.Name != "" {
			return ph.Name
		}
	}
	return id
}

// intakeEvent is the event that opens an incident: the one the workflow
// moves out of its initial phase with (接到事故报告 for Changji).
func (v vocab) intakeEvent() (*workflow.EventDef, bool) {
	if v.wf == nil {
		return nil, false
	}
	var initial string
	for _, ph := range v.wf.Phases() {
		if ph.Initial {
			initial = ph.ID
		}
	}
	for _, tr := range v.wf.Transitions() {
		if slices.Contains(tr.From, initial) {
			if e, ok := v.wf.Event(tr.Event); ok {
				return e, true
			}
		}
	}
	return nil, false
}

// reportEvent is the event that carries the written report: the first
// with a required checklist field (补报文字报告 with 3.2's five items for
// Changji), else the first with any checklist (Decree 493's report with
// the six items of 第十二条).
func (v vocab) reportEvent() (*workflow.EventDef, *workflow.Field, bool) {
	if v.wf == nil {
		return nil, nil, false
	}
	var first *workflow.EventDef
	var firstField *workflow.Field
	for _, e := range v.wf.Events() {
		for _, f := range e.Data {
			if f.Type != workflow.ChecklistField {
				continue
			}
			if f.Required {
				return e, f, true
			}
			if first == nil {
				first, firstField = e, f
			}
		}
	}
	return first, firstField, first != nil
}

// guard finds a guard by id among the guards of an event type (or of any
// event when the type is not known).
func (v vocab) guard(eventType, id string) (*workflow.Guard, bool) {
	if v.wf == nil || id == "" {
		return nil, false
	}
	for _, e := range v.wf.Events() {
		if eventType != "" && e.ID != eventType {
			continue
		}
		for _, g := range e.Guards {
			if g.ID == id {
				return g, true
			}
		}
	}
	return nil, false
}

// lateName is the flag a task raises when done late (迟报 for the written
// report of 3.2); "" when it has none.
func (v vocab) lateName(taskDef string) string {
	if v.wf == nil {
		return ""
	}
	if t, ok := v.wf.Task(taskDef); ok && t.Late != nil {
		return t.Late.Name
	}
	return ""
}

func stringList(v any) []string {
	switch x := v.(type) {
	case []string:
		return x
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
