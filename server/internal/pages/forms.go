package pages

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/workflow"
)

// inputField is one grading input of the incident fieldset. An empty field
// is unknown and is left out of the JSON; it is never read as 0.
type inputField struct {
	HTMLID string
	ID     string
	Label  string
	Unit   string
	Clause string
	// Kind is count, amount, enum, bool or list.
	Kind    string
	Options []option
	// Value is the known value of a count or amount, "" when unknown.
	Value string
	Ref   string
	// Name is the form parameter of a list in a plain GET form (the
	// roster's chooser); "" in the forms the script sends as JSON.
	Name string
}

// incidentFields builds the fieldset of the grading inputs, prefilled
// with the facts known so far.
func (v vocab) incidentFields(prefix string, facts map[string]any) []inputField {
	if v.rules == nil {
		return nil
	}
	var out []inputField
	for _, in := range v.rules.Inputs() {
		f := inputField{HTMLID: prefix + "-" + in.ID, ID: in.ID, Label: in.Label, Unit: in.Unit, Clause: in.Clause, Ref: in.Ref}
		if f.Label == "" {
			f.Label = in.ID
		}
		known, has := facts[in.ID]
		switch in.Type {
		case grading.Count:
			f.Kind = "count"
			if x, ok := known.(float64); ok && has {
				f.Value = strconv.FormatFloat(x, 'f', -1, 64)
			}
		case grading.Amount:
			f.Kind = "amount"
			if x, ok := known.(float64); ok && has {
				f.Value = grading.FormatNumber(x, in.Unit)
			}
		case grading.Enum:
			f.Kind = "enum"
			cur, _ := known.(string)
			f.Options = append(f.Options, option{Value: "", Label: "未知", Selected: cur == ""})
			for _, ev := range in.Values {
				f.Options = append(f.Options, option{Value: ev.ID, Label: ev.Label, Selected: cur == ev.ID})
			}
		case grading.Bool:
			f.Kind = "bool"
			b, isBool := known.(bool)
			f.Options = []option{
				{Value: "", Label: "未知", Selected: !isBool},
				{Value: "true", Label: "是", Selected: isBool && b},
				{Value: "false", Label: "否", Selected: isBool && !b},
			}
		case grading.List:
			f.Kind = "list"
			f.Options = v.listOptions(in.Ref, stringList(known))
			if len(f.Options) == 0 {
				continue // a list the pages cannot offer choices for
			}
		default:
			continue
		}
		out = append(out, f)
	}
	return out
}

// eventForm is the form of one event type.
type eventForm struct {
	HTMLID string
	Type   string
	Name   string
	Clause string
	Text   string
	Fields []formField
	Actors []option
	// Incident is set on the intake form: the incident's id is made by the
	// page and the form creates it.
	Intake bool
	Late   bool
	// Guards are the conditions the plan sets on the event, shown on
	// demand and used to word a rejection.
	Guards []guardView
	// Local is the default occurredAt (the server's clock, Beijing time);
	// the script keeps it current until someone edits it.
	Local string
}

// guardView is one guard of an event type.
type guardView struct {
	ID      string
	Clause  string
	Message string
}

// formField is one data field of an event.
type formField struct {
	HTMLID   string
	Name     string
	Label    string
	Clause   string
	Text     string
	Kind     string
	Required bool
	Options  []option
	Inputs   []inputField
}

// eventForms builds the forms of the events allowed in the instance's
// phase, in the workflow's order.
func (v vocab) eventForms(phase string, facts map[string]any, tasks []taskView, caller Caller) []eventForm {
	if v.wf == nil {
		return nil
	}
	var out []eventForm
	for _, e := range v.wf.Events() {
		if !slices.Contains(e.Phases, phase) {
			continue
		}
		out = append(out, v.eventForm(e, "ev-"+e.ID, facts, tasks, caller))
	}
	return out
}

func (v vocab) eventForm(e *workflow.EventDef, prefix string, facts map[string]any, tasks []taskView, caller Caller) eventForm {
	f := eventForm{HTMLID: htmlID(prefix), Type: e.ID, Name: e.Name, Clause: e.Clause, Text: e.Text, Late: e.Late, Local: defaultTime(v.now).Local}
	if f.Name == "" {
		f.Name = e.ID
	}
	var allowed func(string) bool
	if caller.Actors != nil {
		allowed = caller.mayActAs
	}
	f.Actors = v.actorOptions(allowed, "")
	for _, g := range e.Guards {
		f.Guards = append(f.Guards, guardView{ID: g.ID, Clause: g.Clause, Message: g.Message})
	}
	for _, d := range e.Data {
		ff := formField{HTMLID: f.HTMLID + "-" + htmlID(d.Name), Name: d.Name, Label: d.Label, Clause: d.Clause, Text: d.Text, Required: d.Required}
		if ff.Label == "" {
			ff.Label = d.Name
		}
		switch d.Type {
		case workflow.TextField:
			ff.Kind = "text"
		case workflow.BoolField:
			ff.Kind = "bool"
		case workflow.NumberField:
			ff.Kind = "number"
		case workflow.CountField:
			ff.Kind = "count"
		case workflow.TimeField:
			ff.Kind = "time"
		case workflow.ListField:
			ff.Kind = "list"
		case workflow.EnumField:
			ff.Kind = "enum"
			for _, it := range d.Values {
				ff.Options = append(ff.Options, option{Value: it.ID, Label: itemLabel(it)})
			}
		case workflow.ChecklistField:
			ff.Kind = "checklist"
			for _, it := range d.Items {
				ff.Options = append(ff.Options, option{Value: it.ID, Label: itemLabel(it), Note: it.Clause})
			}
		case workflow.ActorField:
			ff.Kind = "actor"
			ff.Options = v.actorOptions(nil, "")
		case workflow.LevelField:
			ff.Kind = "level"
			ff.Options = v.levelOptions("")
		case workflow.TaskField:
			ff.Kind = "task"
			for _, t := range tasks {
				if t.State == "open" {
					ff.Options = append(ff.Options, option{Value: t.ID, Label: t.Name + "（" + t.AssigneeName + "）"})
				}
			}
		case workflow.IncidentField:
			ff.Kind = "incident"
			ff.Inputs = v.incidentFields(ff.HTMLID, facts)
		default:
			ff.Kind = "text"
		}
		f.Fields = append(f.Fields, ff)
	}
	return f
}

func itemLabel(it workflow.Item) string {
	if it.Label != "" {
		return it.Label
	}
	return it.ID
}

// htmlID makes an id usable in HTML id attributes and CSS selectors.
func htmlID(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			b = append(b, c)
		} else {
			b = append(b, '-')
		}
	}
	return string(b)
}

// timeField is what a time input starts with: the server's clock in
// Beijing time, and the offsets a duty room chooses between.
type timeDefault struct {
	Local  string // for <input type="datetime-local">
	Offset string
}

func defaultTime(now time.Time) timeDefault {
	bj := now.In(beijing)
	return timeDefault{Local: bj.Format("2006-01-02T15:04:05"), Offset: "+08:00"}
}

// beijing is Beijing time (UTC+8), the default offset of the forms.
var beijing = time.FixedZone("CST", 8*3600)

// offsets are the UTC offsets offered beside every time field.
var offsets = []option{
	{Value: "+08:00", Label: "北京时间（UTC+8）"},
	{Value: "+06:00", Label: "新疆时间（UTC+6）"},
}

func fieldError(label, msg string) string { return fmt.Sprintf("%s：%s", label, msg) }
