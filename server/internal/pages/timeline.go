package pages

import (
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/workflow"
)

// The 事件页's timeline: each accepted event and each rejected attempt as a
// duty officer reads it, with the plan's names for events, fields, units
// and facts.

// entryView is one line of the timeline: an accepted event or an attempt
// the plan rejected.
type entryView struct {
	At        string
	Name      string
	Clause    string
	Actor     string
	Principal string
	Fields    []fieldValue
	Late      bool
	Rejected  bool
	Reason    string
	RClause   string
	Seq       int64
}

type fieldValue struct {
	Label string
	Value string
}

func (m *incidentModel) timeline() []entryView {
	var out []entryView
	taskNames := map[string]string{}
	for _, t := range m.view.Tasks {
		taskNames[t.ID] = t.Name
	}
	type placed struct {
		e  entryView
		at time.Time
	}
	var all []placed
	for _, le := range m.events.Events {
		e := le.Event
		ev := entryView{Seq: le.Seq, At: e.OccurredAt, Name: m.v.eventName(e.Type), Actor: m.v.boundName(e.Actor, m.view.Facts), Principal: principalName(le.Principal), Late: e.Late}
		if d, ok := m.v.eventDef(e.Type); ok {
			ev.Clause = d.Clause
			ev.Fields = m.v.fieldValues(d, e.Data, taskNames, m.view.Facts)
		}
		at, ok := m.accepted[le.Seq]
		if !ok {
			at = le.StoredAt
		}
		all = append(all, placed{ev, at})
	}
	for _, d := range m.rejected {
		var e apiEvent
		_ = json.Unmarshal(d.Facts, &e)
		ev := entryView{At: e.OccurredAt, Name: m.v.eventName(e.Type), Actor: m.v.boundName(e.Actor, m.view.Facts), Principal: principalName(d.Principal), Rejected: true}
		if ev.Name == "" {
			ev.Name = "（未知事件）"
		}
		if def, ok := m.v.eventDef(e.Type); ok {
			ev.Clause = def.Clause
			ev.Fields = m.v.fieldValues(def, e.Data, taskNames, m.view.Facts)
		}
		ev.Reason, ev.RClause = m.v.rejection(e.Type, d.Result.Error.Code, d.Result.Error.Params["guard"], d.Result.Error.Params["clause"])
		all = append(all, placed{ev, d.Time})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].at.Before(all[j].at) })
	for _, p := range all {
		out = append(out, p.e)
	}
	return out
}

// principalName is who entered an event: the token's name, or, on a
// server without tokens, the loopback user.
func principalName(p string) string {
	if p == "anonymous" {
		return "本机（未启用令牌）"
	}
	return p
}

// rejection says why the plan (or the server) refused an event, in
// Chinese, with the clause when a guard of the plan refused it.
func (v vocab) rejection(eventType, code, guard, clause string) (string, string) {
	if g, ok := v.guard(eventType, guard); ok {
		return g.Message, g.Clause
	}
	if code == "guard.rejected" && clause != "" {
		return "未通过预案的检查", clause
	}
	switch {
	case code == "phase.wrong":
		return "当前阶段不允许该事件", ""
	case code == "event.out-of-order":
		return "发生时间早于已记录的事件，且该事件不接受补录", ""
	case code == "event.duplicate-id":
		return "事件编号已被另一事件使用", ""
	case code == "event.unknown":
		return "本预案没有该事件", ""
	case strings.HasPrefix(code, "input.") || code == "event.invalid":
		return "事件内容不完整或有误", ""
	case guard != "":
		return "未通过预案的检查（" + guard + "）", ""
	}
	return "被拒绝（" + code + "）", ""
}

// fieldValues renders an event's data by its schema, with names for ids.
func (v vocab) fieldValues(d *workflow.EventDef, data map[string]any, taskNames map[string]string, facts map[string]any) []fieldValue {
	var out []fieldValue
	for _, f := range d.Data {
		raw, ok := data[f.Name]
		if !ok {
			continue
		}
		label := f.Label
		if label == "" {
			label = f.Name
		}
		var val string
		switch f.Type {
		case workflow.BoolField:
			if b, _ := raw.(bool); b {
				val = "是"
			} else {
				val = "否"
			}
		case workflow.EnumField:
			s, _ := raw.(string)
			val = s
			for _, it := range f.Values {
				if it.ID == s {
					val = itemLabel(it)
				}
			}
		case workflow.ChecklistField:
			got := stringList(raw)
			var have, missing []string
			for _, it := range f.Items {
				if slices.Contains(got, it.ID) {
					have = append(have, itemLabel(it))
				} else {
					missing = append(missing, itemLabel(it))
				}
			}
			val = "含：" + strings.Join(have, "；")
			if len(have) == 0 {
				val = "（无）"
			}
			if len(missing) > 0 {
				val += "。缺：" + strings.Join(missing, "；")
			}
		case workflow.ActorField:
			s, _ := raw.(string)
			val = v.boundName(s, facts)
		case workflow.LevelField:
			s, _ := raw.(string)
			val = v.levelName(s) + "（" + v.responseName(s) + "）"
		case workflow.TaskField:
			s, _ := raw.(string)
			val = s
			if n, ok := taskNames[s]; ok {
				val = n
			}
		case workflow.IncidentField:
			m, _ := raw.(map[string]any)
			val = strings.Join(v.factLines(m), "；")
		case workflow.TimeField:
			s, _ := raw.(string)
			val = dateTimeText(s)
		case workflow.ListField:
			val = strings.Join(stringList(raw), "、")
		case workflow.NumberField, workflow.CountField:
			if x, ok := raw.(float64); ok {
				val = strconv.FormatFloat(x, 'f', -1, 64)
			}
		default:
			s, _ := raw.(string)
			val = s
		}
		if val != "" {
			out = append(out, fieldValue{Label: label, Value: val})
		}
	}
	return out
}

// factLines writes known facts by their labels ("死亡 12人"); unknown ones
// are not written.
func (v vocab) factLines(facts map[string]any) []string {
	var out []string
	if v.rules == nil {
		return out
	}
	for _, in := range v.rules.Inputs() {
		raw, ok := facts[in.ID]
		if !ok {
			continue
		}
		out = append(out, in.Label+" "+v.factValue(in, raw))
	}
	return out
}

func (v vocab) factValue(in *grading.Input, raw any) string {
	switch in.Type {
	case grading.Count, grading.Amount:
		if x, ok := raw.(float64); ok {
			return numberText(x, in.Unit)
		}
		if s, ok := raw.(string); ok {
			return s
		}
	case grading.Enum:
		s, _ := raw.(string)
		if r, ok := in.Rank(s); ok {
			return enumLabel(in, r)
		}
		return s
	case grading.Bool:
		if b, _ := raw.(bool); b {
			return "是"
		}
		return "否"
	case grading.List:
		return strings.Join(v.listNames(in.Ref, stringList(raw)), "、")
	}
	return ""
}
