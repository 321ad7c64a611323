package yingji

import "github.com/yingji/yingji/internal/yamlx"

// The schema of plan.yaml as the strict decoder reads it, positions
// included. The public Manifest (manifest.go) is built from it; the loader
// and the lint keep the positions.

// manifestSpec is plan.yaml: the plan's identity, its boundary convention, the
// files that make it up, and the clauses that are context rather than rules
// (principles, plan management), with the index of rule-bearing clauses used
// to check traceability.
type manifestSpec struct {
	Meta            yamlx.Meta      `yaml:"-"`
	ID              string          `yaml:"id,required"`
	Title           string          `yaml:"title,required"`
	Jurisdiction    string          `yaml:"jurisdiction"`
	Issuer          string          `yaml:"issuer"`
	Interpretation  string          `yaml:"interpretation"`
	InterpretedBy   *unitRefSpec    `yaml:"interpretedBy"`
	Revision        string          `yaml:"revision"`
	Issued          string          `yaml:"issued"`
	Effective       string          `yaml:"effective"`
	EffectiveClause string          `yaml:"effectiveClause"`
	Source          string          `yaml:"source"`
	Boundaries      boundariesSpec  `yaml:"boundaries,required"`
	Files           filesSpec       `yaml:"files,required"`
	Purpose         *textItemSpec   `yaml:"purpose"`
	Basis           *textItemSpec   `yaml:"basis"`
	Principles      []textItemSpec  `yaml:"principles"`
	Management      []textItemSpec  `yaml:"management"`
	Clauses         []clauseRefSpec `yaml:"clauses"`
}

// unitRefSpec names a unit with the clause that names it.
type unitRefSpec struct {
	Meta   yamlx.Meta `yaml:"-"`
	Unit   string     `yaml:"unit,required"`
	Clause string     `yaml:"clause"`
}

// boundariesSpec is the plan's declared reading of 以上 and 以下.
type boundariesSpec struct {
	Meta   yamlx.Meta   `yaml:"-"`
	Above  yamlx.String `yaml:"above,required"`
	Below  yamlx.String `yaml:"below,required"`
	Clause string       `yaml:"clause"`
	Text   string       `yaml:"text"`
}

// filesSpec names the plan's data files, relative to plan.yaml.
type filesSpec struct {
	Meta     yamlx.Meta `yaml:"-"`
	Grading  string     `yaml:"grading"`
	Orgchart string     `yaml:"orgchart"`
	Contacts string     `yaml:"contacts"`
	Workflow string     `yaml:"workflow"`
}

// textItemSpec is a clause kept as text, with optional structured facts.
type textItemSpec struct {
	Meta           yamlx.Meta `yaml:"-"`
	Clause         string     `yaml:"clause,required"`
	Title          string     `yaml:"title"`
	Text           string     `yaml:"text"`
	Duty           *dutySpec  `yaml:"duty"`
	Interpretation string     `yaml:"interpretation"`
}

// dutySpec is a recurring obligation the text states (7.2: at least one
// comprehensive drill a year).
type dutySpec struct {
	Meta    yamlx.Meta `yaml:"-"`
	Unit    string     `yaml:"unit,required"`
	What    string     `yaml:"what,required"`
	Every   string     `yaml:"every"` // ISO 8601 duration
	AtLeast int        `yaml:"atLeast"`
}

// clauseRefSpec is one row of the index of rule-bearing clauses.
type clauseRefSpec struct {
	Meta   yamlx.Meta `yaml:"-"`
	Clause string     `yaml:"clause,required"`
	What   string     `yaml:"what"`
	File   string     `yaml:"file"`
}

// public returns the manifest without positions.
func (m *manifestSpec) public() Manifest {
	out := Manifest{ID: m.ID, Title: m.Title, Jurisdiction: m.Jurisdiction, Issuer: m.Issuer,
		Interpretation: m.Interpretation, Revision: m.Revision, Issued: m.Issued, Effective: m.Effective,
		EffectiveClause: m.EffectiveClause, Source: m.Source,
		Boundaries: Boundaries{Above: m.Boundaries.Above.Value, Below: m.Boundaries.Below.Value,
			Clause: m.Boundaries.Clause, Text: m.Boundaries.Text},
		Files:      Files{Grading: m.Files.Grading, Orgchart: m.Files.Orgchart, Contacts: m.Files.Contacts, Workflow: m.Files.Workflow},
		Principles: []TextItem{}, Management: []TextItem{}, Clauses: []ClauseRef{}}
	if m.InterpretedBy != nil {
		out.InterpretedBy = &UnitRef{Unit: m.InterpretedBy.Unit, Clause: m.InterpretedBy.Clause}
	}
	text := func(t *textItemSpec) TextItem {
		ti := TextItem{Clause: t.Clause, Title: t.Title, Text: t.Text, Interpretation: t.Interpretation}
		if t.Duty != nil {
			ti.Duty = &RecurringDuty{Unit: t.Duty.Unit, What: t.Duty.What, Every: t.Duty.Every, AtLeast: t.Duty.AtLeast}
		}
		return ti
	}
	if m.Purpose != nil {
		t := text(m.Purpose)
		out.Purpose = &t
	}
	if m.Basis != nil {
		t := text(m.Basis)
		out.Basis = &t
	}
	for i := range m.Principles {
		out.Principles = append(out.Principles, text(&m.Principles[i]))
	}
	for i := range m.Management {
		out.Management = append(out.Management, text(&m.Management[i]))
	}
	for _, c := range m.Clauses {
		out.Clauses = append(out.Clauses, ClauseRef{Clause: c.Clause, What: c.What, File: c.File})
	}
	return out
}

// manifestTables are the field tables of manifestSpec, built once.
var manifestTables = yamlx.TablesFor((*manifestSpec)(nil))
