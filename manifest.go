package yingji

import "github.com/yingji/yingji/internal/yamlx"

// Manifest is plan.yaml: the plan's identity, its boundary convention, the
// files that make it up, and the clauses that are context rather than rules
// (principles, plan management), with the index of rule-bearing clauses used
// to check traceability.
type Manifest struct {
	Meta            yamlx.Meta  `yaml:"-"`
	ID              string      `yaml:"id,required"`
	Title           string      `yaml:"title,required"`
	Jurisdiction    string      `yaml:"jurisdiction"`
	Issuer          string      `yaml:"issuer"`
	Interpretation  string      `yaml:"interpretation"`
	InterpretedBy   *UnitRef    `yaml:"interpretedBy"`
	Revision        string      `yaml:"revision"`
	Issued          string      `yaml:"issued"`
	Effective       string      `yaml:"effective"`
	EffectiveClause string      `yaml:"effectiveClause"`
	Source          string      `yaml:"source"`
	Boundaries      Boundaries  `yaml:"boundaries,required"`
	Files           Files       `yaml:"files,required"`
	Purpose         *TextItem   `yaml:"purpose"`
	Basis           *TextItem   `yaml:"basis"`
	Principles      []TextItem  `yaml:"principles"`
	Management      []TextItem  `yaml:"management"`
	Clauses         []ClauseRef `yaml:"clauses"`
}

// UnitRef names a unit with the clause that names it.
type UnitRef struct {
	Meta   yamlx.Meta `yaml:"-"`
	Unit   string     `yaml:"unit,required"`
	Clause string     `yaml:"clause"`
}

// Boundaries is the plan's declared reading of 以上 and 以下.
type Boundaries struct {
	Meta   yamlx.Meta   `yaml:"-"`
	Above  yamlx.String `yaml:"above,required"`
	Below  yamlx.String `yaml:"below,required"`
	Clause string       `yaml:"clause"`
	Text   string       `yaml:"text"`
}

// Files names the plan's data files, relative to plan.yaml.
type Files struct {
	Meta     yamlx.Meta `yaml:"-"`
	Grading  string     `yaml:"grading"`
	Orgchart string     `yaml:"orgchart"`
	Contacts string     `yaml:"contacts"`
	Workflow string     `yaml:"workflow"`
}

// TextItem is a clause kept as text, with optional structured facts.
type TextItem struct {
	Meta           yamlx.Meta `yaml:"-"`
	Clause         string     `yaml:"clause,required"`
	Title          string     `yaml:"title"`
	Text           string     `yaml:"text"`
	Duty           *Duty      `yaml:"duty"`
	Interpretation string     `yaml:"interpretation"`
}

// Duty is a recurring obligation the text states (7.2: at least one
// comprehensive drill a year).
type Duty struct {
	Meta    yamlx.Meta `yaml:"-"`
	Unit    string     `yaml:"unit,required"`
	What    string     `yaml:"what,required"`
	Every   string     `yaml:"every"` // ISO 8601 duration
	AtLeast int        `yaml:"atLeast"`
}

// ClauseRef is one row of the index of rule-bearing clauses.
type ClauseRef struct {
	Meta   yamlx.Meta `yaml:"-"`
	Clause string     `yaml:"clause,required"`
	What   string     `yaml:"what"`
	File   string     `yaml:"file"`
}
