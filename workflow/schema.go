package workflow

import (
	"reflect"

	"github.com/yingji/yingji/internal/yamlx"
)

// The YAML schema of workflow.yaml. doc.go is the reference.

type fileSpec struct {
	ID             string           `yaml:"id,required"`
	Title          string           `yaml:"title"`
	Clause         string           `yaml:"clause"`
	Text           string           `yaml:"text"`
	Interpretation string           `yaml:"interpretation"`
	Diagram        *diagramSpec     `yaml:"diagram"`
	Lapse          *lapseSpec       `yaml:"lapse"`
	Clock          yamlx.String     `yaml:"clock"`
	Relations      []relationSpec   `yaml:"relations"`
	Constants      []constSpec      `yaml:"constants"`
	Phases         []phaseSpec      `yaml:"phases,required"`
	Vars           []varSpec        `yaml:"vars"`
	Events         []eventSpec      `yaml:"events,required"`
	Transitions    []transitionSpec `yaml:"transitions"`
	Tasks          []taskSpec       `yaml:"tasks"`
}

type diagramSpec struct {
	Meta    yamlx.Meta `yaml:"-"`
	Clause  string     `yaml:"clause"`
	Title   string     `yaml:"title"`
	Caption string     `yaml:"caption"`
	Note    string     `yaml:"note"`
}

type lapseSpec struct {
	Meta           yamlx.Meta   `yaml:"-"`
	Reason         yamlx.String `yaml:"reason,required"`
	Clause         string       `yaml:"clause"`
	Text           string       `yaml:"text"`
	Interpretation string       `yaml:"interpretation"`
}

type phaseSpec struct {
	Meta           yamlx.Meta `yaml:"-"`
	ID             string     `yaml:"id,required"`
	Name           string     `yaml:"name"`
	Clause         string     `yaml:"clause"`
	Text           string     `yaml:"text"`
	Initial        bool       `yaml:"initial"`
	Final          bool       `yaml:"final"`
	Command        bool       `yaml:"command"`
	WaiveOpen      string     `yaml:"waiveOpen"`
	Interpretation string     `yaml:"interpretation"`
}

type relationSpec struct {
	Meta           yamlx.Meta              `yaml:"-"`
	ID             string                  `yaml:"id,required"`
	Name           string                  `yaml:"name"`
	Clause         string                  `yaml:"clause"`
	Text           string                  `yaml:"text"`
	Interpretation string                  `yaml:"interpretation"`
	Pairs          map[string]yamlx.String `yaml:"pairs,required"`
}

type constSpec struct {
	Meta           yamlx.Meta  `yaml:"-"`
	ID             string      `yaml:"id,required"`
	Label          string      `yaml:"label"`
	Clause         string      `yaml:"clause"`
	Text           string      `yaml:"text"`
	Interpretation string      `yaml:"interpretation"`
	Value          *yamlx.Node `yaml:"value,required"`
}

type varSpec struct {
	Meta   yamlx.Meta   `yaml:"-"`
	ID     string       `yaml:"id,required"`
	Type   yamlx.String `yaml:"type,required"`
	Label  string       `yaml:"label"`
	Clause string       `yaml:"clause"`
}

type eventSpec struct {
	Meta           yamlx.Meta     `yaml:"-"`
	ID             string         `yaml:"id,required"`
	Name           string         `yaml:"name"`
	Clause         string         `yaml:"clause"`
	Text           string         `yaml:"text"`
	Interpretation string         `yaml:"interpretation"`
	Phases         []yamlx.String `yaml:"phases"`
	Late           yamlx.String   `yaml:"late"`
	Data           []fieldSpec    `yaml:"data"`
	Guards         []guardSpec    `yaml:"guards"`
	Effects        *effectsSpec   `yaml:"effects"`
}

type fieldSpec struct {
	Meta     yamlx.Meta     `yaml:"-"`
	Name     string         `yaml:"name,required"`
	Type     yamlx.String   `yaml:"type,required"`
	Label    string         `yaml:"label"`
	Clause   string         `yaml:"clause"`
	Required bool           `yaml:"required"`
	Values   []itemSpec     `yaml:"values"`
	Items    []itemSpec     `yaml:"items"`
	Text     string         `yaml:"text"`
	Of       []yamlx.String `yaml:"of"`
}

type itemSpec struct {
	Meta   yamlx.Meta `yaml:"-"`
	ID     string     `yaml:"id,required"`
	Label  string     `yaml:"label"`
	Clause string     `yaml:"clause"`
	Text   string     `yaml:"text"`
}

type guardSpec struct {
	Meta           yamlx.Meta   `yaml:"-"`
	ID             string       `yaml:"id,required"`
	Clause         string       `yaml:"clause,required"`
	Text           string       `yaml:"text"`
	Message        string       `yaml:"message,required"`
	When           yamlx.String `yaml:"when,required"`
	Interpretation string       `yaml:"interpretation"`
}

type effectsSpec struct {
	Meta     yamlx.Meta              `yaml:"-"`
	Facts    map[string]condExprSpec `yaml:"facts"`
	Grade    *gradeSpec              `yaml:"grade"`
	Set      map[string]condExprSpec `yaml:"set"`
	Response yamlx.String            `yaml:"response"`
	Request  *condValueSpec          `yaml:"request"`
	Command  *commandSpec            `yaml:"command"`
	Complete yamlx.String            `yaml:"complete"`
	Waive    yamlx.String            `yaml:"waive"`
	Flags    []flagSpec              `yaml:"flags"`
}

type condValueSpec struct {
	Meta yamlx.Meta   `yaml:"-"`
	To   yamlx.String `yaml:"to,required"`
	When yamlx.String `yaml:"when"`
}

type commandSpec struct {
	Meta     yamlx.Meta   `yaml:"-"`
	Holder   yamlx.String `yaml:"holder,required"`
	FormedBy yamlx.String `yaml:"formedBy"`
	When     yamlx.String `yaml:"when"`
}

type flagSpec struct {
	Meta   yamlx.Meta   `yaml:"-"`
	ID     string       `yaml:"id,required"`
	Name   string       `yaml:"name"`
	Clause string       `yaml:"clause"`
	Text   string       `yaml:"text"`
	When   yamlx.String `yaml:"when,required"`
	Note   yamlx.String `yaml:"note"`
}

type transitionSpec struct {
	Meta   yamlx.Meta     `yaml:"-"`
	Event  yamlx.String   `yaml:"event,required"`
	From   []yamlx.String `yaml:"from,required"`
	To     yamlx.String   `yaml:"to,required"`
	When   yamlx.String   `yaml:"when"`
	Clause string         `yaml:"clause"`
	Label  string         `yaml:"label"`
}

type taskSpec struct {
	Meta           yamlx.Meta     `yaml:"-"`
	ID             string         `yaml:"id,required"`
	Name           string         `yaml:"name,required"`
	Clause         string         `yaml:"clause,required"`
	Text           string         `yaml:"text"`
	Assignee       assigneeSpec   `yaml:"assignee,required"`
	Notify         []actorRefSpec `yaml:"notify"`
	Conditional    string         `yaml:"conditional"`
	On             []triggerSpec  `yaml:"on,required"`
	Within         *periodSpec    `yaml:"within"`
	Window         *periodSpec    `yaml:"window"`
	DoneBy         []doneBySpec   `yaml:"doneBy"`
	Covers         []doneBySpec   `yaml:"covers"`
	Late           *flagRefSpec   `yaml:"late"`
	Recurring      bool           `yaml:"recurring"`
	Interpretation string         `yaml:"interpretation"`
}

type triggerSpec struct {
	Meta   yamlx.Meta     `yaml:"-"`
	Phase  yamlx.String   `yaml:"phase"`
	Event  []yamlx.String `yaml:"event"`
	Levels []yamlx.String `yaml:"levels"`
	When   yamlx.String   `yaml:"when"`
}

type doneBySpec struct {
	Meta  yamlx.Meta   `yaml:"-"`
	Event yamlx.String `yaml:"event,required"`
	When  yamlx.String `yaml:"when"`
}

type flagRefSpec struct {
	Meta   yamlx.Meta   `yaml:"-"`
	Flag   string       `yaml:"flag,required"`
	Name   string       `yaml:"name"`
	Clause string       `yaml:"clause"`
	Text   string       `yaml:"text"`
	Note   yamlx.String `yaml:"note"`
}

func reflectOf(p any) reflect.Value { return reflect.ValueOf(p).Elem() }

// scalarOr decodes the short form of a spec, a scalar, into its one field
// (the spec placed where the scalar is), or the mapping form into whole.
func scalarOr(d *yamlx.Decoder, n *yamlx.Node, path string, field *yamlx.String, meta *yamlx.Meta, whole reflect.Value) {
	if n.Kind == yamlx.ScalarNode {
		d.Decode(n, path, reflectOf(field))
		*meta = field.Meta
		return
	}
	d.Decode(n, path, whole)
}

// condExprSpec is a value that may be conditional: an expression, or
// {value: expression, when: condition}.
type condExprSpec struct {
	Meta  yamlx.Meta   `yaml:"-"`
	Value yamlx.String `yaml:"value,required"`
	When  yamlx.String `yaml:"when"`
}

// UnmarshalYAMLX decodes the scalar and the mapping form.
func (c *condExprSpec) UnmarshalYAMLX(d *yamlx.Decoder, n *yamlx.Node, path string) {
	type plain condExprSpec // without this method, so that Decode does not call it again
	scalarOr(d, n, path, &c.Value, &c.Meta, reflectOf((*plain)(c)))
}

// gradeSpec is effects.grade: an incident field, or {field:, when:}.
type gradeSpec struct {
	Meta  yamlx.Meta   `yaml:"-"`
	Field yamlx.String `yaml:"field,required"`
	When  yamlx.String `yaml:"when"`
}

// UnmarshalYAMLX decodes the scalar and the mapping form.
func (g *gradeSpec) UnmarshalYAMLX(d *yamlx.Decoder, n *yamlx.Node, path string) {
	type plain gradeSpec // without this method, so that Decode does not call it again
	scalarOr(d, n, path, &g.Field, &g.Meta, reflectOf((*plain)(g)))
}

// assigneeSpec is one actor or a list of them.
type assigneeSpec []yamlx.String

// UnmarshalYAMLX decodes a scalar as a list of one.
func (a *assigneeSpec) UnmarshalYAMLX(d *yamlx.Decoder, n *yamlx.Node, path string) {
	if n.Kind == yamlx.ScalarNode {
		var s yamlx.String
		d.Decode(n, path, reflectOf(&s))
		*a = assigneeSpec{s}
		return
	}
	var l []yamlx.String
	d.Decode(n, path, reflectOf(&l))
	*a = l
}

// actorRefSpec names an actor, or one relative to the task's assignee:
// {relation: above}.
type actorRefSpec struct {
	Meta     yamlx.Meta   `yaml:"-"`
	Actor    yamlx.String `yaml:"-"`
	Relation yamlx.String `yaml:"relation,required"`
}

// UnmarshalYAMLX decodes an actor id (scalar) or {relation: id}.
func (r *actorRefSpec) UnmarshalYAMLX(d *yamlx.Decoder, n *yamlx.Node, path string) {
	type plain actorRefSpec // without this method, so that Decode does not call it again
	scalarOr(d, n, path, &r.Actor, &r.Meta, reflectOf((*plain)(r)))
}

// fileTables are the field tables of fileSpec, built once.
var fileTables = yamlx.TablesFor((*fileSpec)(nil))
