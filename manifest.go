package yingji

// Manifest is plan.yaml: the plan's identity, its boundary convention, the
// files that make it up, and the clauses that are context rather than rules
// (principles, plan management), with the index of rule-bearing clauses used
// to check traceability.
//
// Concurrency: a plain value; a Plan's Manifest is never modified after
// Load, so it may be read from any number of goroutines.
type Manifest struct {
	ID              string      `json:"id"`
	Title           string      `json:"title"`
	Jurisdiction    string      `json:"jurisdiction,omitempty"`
	Issuer          string      `json:"issuer,omitempty"`
	Interpretation  string      `json:"interpretation,omitempty"`
	InterpretedBy   *UnitRef    `json:"interpretedBy,omitempty"`
	Revision        string      `json:"revision,omitempty"`
	Issued          string      `json:"issued,omitempty"`
	Effective       string      `json:"effective,omitempty"`
	EffectiveClause string      `json:"effectiveClause,omitempty"`
	Source          string      `json:"source,omitempty"`
	Boundaries      Boundaries  `json:"boundaries"`
	Files           Files       `json:"files"`
	Purpose         *TextItem   `json:"purpose,omitempty"`
	Basis           *TextItem   `json:"basis,omitempty"`
	Principles      []TextItem  `json:"principles"`
	Management      []TextItem  `json:"management"`
	Clauses         []ClauseRef `json:"clauses"`
}

// UnitRef names a unit with the clause that names it.
//
// Concurrency: a plain value; safe to read from several goroutines, not to change while read.
type UnitRef struct {
	Unit   string `json:"unit"`
	Clause string `json:"clause,omitempty"`
}

// Boundaries is the plan's declared reading of 以上 and 以下: "inclusive"
// (the number itself counts, "以上含本数") or "exclusive".
//
// Concurrency: a plain value; safe to read from several goroutines, not to change while read.
type Boundaries struct {
	Above  string `json:"above"`
	Below  string `json:"below"`
	Clause string `json:"clause,omitempty"`
	Text   string `json:"text,omitempty"`
}

// Files names the plan's data files, relative to plan.yaml.
//
// Concurrency: a plain value; safe to read from several goroutines, not to change while read.
type Files struct {
	Grading  string `json:"grading"`
	Orgchart string `json:"orgchart,omitempty"`
	Contacts string `json:"contacts,omitempty"`
	Workflow string `json:"workflow,omitempty"`
}

// TextItem is a clause kept as text, with optional structured facts.
//
// Concurrency: a plain value; safe to read from several goroutines, not to change while read.
type TextItem struct {
	Clause         string         `json:"clause"`
	Title          string         `json:"title,omitempty"`
	Text           string         `json:"text,omitempty"`
	Duty           *RecurringDuty `json:"duty,omitempty"`
	Interpretation string         `json:"interpretation,omitempty"`
}

// RecurringDuty is a recurring obligation the text states (7.2: at least
// one comprehensive drill a year).
//
// Concurrency: a plain value; safe to read from several goroutines, not to change while read.
type RecurringDuty struct {
	Unit string `json:"unit"`
	What string `json:"what"`
	// Every is an ISO 8601 duration ("P1Y").
	Every   string `json:"every,omitempty"`
	AtLeast int    `json:"atLeast,omitempty"`
}

// ClauseRef is one row of the index of rule-bearing clauses.
//
// Concurrency: a plain value; safe to read from several goroutines, not to change while read.
type ClauseRef struct {
	Clause string `json:"clause"`
	What   string `json:"what,omitempty"`
	File   string `json:"file,omitempty"`
}
