package workflow

import (
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
	Phases         []phaseSpec      `yaml:"phases,required"`
	Vars           []varSpec        `yaml:"vars"`
	Events         []eventSpec      `yaml:"events,required"`
	Transitions    []transitionSpec `yaml:"transitions"`
	Tasks          []taskSpec       `yaml:"tasks"`
}

type diagramSpec struct {
	Meta   yamlx.Meta `yaml:"-"`
	Clause string     `yaml:"clause"`
	Title  string     `yaml:"title"`
	Note   string     `yaml:"note"`
}

type lapseSpec struct {
	Meta           yamlx.Meta `yaml:"-"`
	Reason         string     `yaml:"reason,required"`
	Clause         string     `yaml:"clause"`
	Text           string     `yaml:"text"`
	Interpretation string     `yaml:"interpretation"`
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
	Facts    map[string]yamlx.String `yaml:"facts"`
	Grade    yamlx.String            `yaml:"grade"`
	Set      map[string]yamlx.String `yaml:"set"`
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
	Assignee       yamlx.String   `yaml:"assignee,required"`
	Notify         []yamlx.String `yaml:"notify"`
	Conditional    string         `yaml:"conditional"`
	On             []triggerSpec  `yaml:"on,required"`
	Within         yamlx.String   `yaml:"within"`
	DoneBy         []doneBySpec   `yaml:"doneBy"`
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
	Meta   yamlx.Meta `yaml:"-"`
	Flag   string     `yaml:"flag,required"`
	Name   string     `yaml:"name"`
	Clause string     `yaml:"clause"`
	Text   string     `yaml:"text"`
}
