package drill

import (
	"github.com/yingji/yingji/internal/yamlx"
)

// The YAML schema of a drill scenario; Parse's doc is the reference.

// drillSpec is a drill scenario file.
type drillSpec struct {
	ID       string       `yaml:"id"`
	Title    string       `yaml:"title,required"`
	Clause   string       `yaml:"clause"`
	Plan     string       `yaml:"plan"`
	Scenario string       `yaml:"scenario"`
	Start    yamlx.String `yaml:"start,required"`
	End      yamlx.String `yaml:"end"`
	Steps    []stepSpec   `yaml:"steps,required"`
}

type stepSpec struct {
	Meta       yamlx.Meta   `yaml:"-"`
	At         yamlx.String `yaml:"at,required"`
	ID         string       `yaml:"id"`
	Event      string       `yaml:"event,required"`
	Actor      string       `yaml:"actor,required"`
	OccurredAt yamlx.String `yaml:"occurredAt"`
	Data       *yamlx.Node  `yaml:"data"`
	Expect     yamlx.String `yaml:"expect"`
	Note       string       `yaml:"note"`
}

// drillTables are the field tables of drillSpec, built once.
var drillTables = yamlx.TablesFor((*drillSpec)(nil))
