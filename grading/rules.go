package grading

import (
	"github.com/expr-lang/expr/vm"
	"github.com/yingji/yingji/diag"
)

// InputType is the kind of value an input holds. The zero value is
// InvalidType.
//
// Concurrency: a plain value, safe to copy and share.
type InputType int

const (
	InvalidType InputType = iota
	Count                 // a whole number of people, >= 0
	Amount                // money or another measure, >= 0, may be fractional
	Enum                  // one of an ordered list of values
	Bool                  // true or false
	List                  // a list of ids: context for rosters and workflow, not graded
)

var typeNames = [...]string{"invalid", "count", "amount", "enum", "bool", "list"}

func (t InputType) String() string {
	if t < 0 || int(t) >= len(typeNames) {
		return "invalid"
	}
	return typeNames[t]
}

// Input is one fact of an incident, declared in grading.yaml. Its ID is its
// JSON name: the integration contract.
//
// Concurrency: part of a compiled Rules: read-only once compiled and safe for
// concurrent reads; do not modify it.
type Input struct {
	ID      string
	Type    InputType
	Label   string
	Unit    string
	Clause  string
	Text    string
	Values  []EnumValue // for Enum, least severe first
	Context bool        // declared as context: not used by grading
	Flags   []string    // extra command-line flag names, e.g. "loss"
	// Ref names what a list's ids refer to in the plan's other data
	// ("industries", "localities" of the orgchart); the plan checks them.
	Ref            string
	RefAt          diag.Range
	Interpretation string
	At             diag.Range

	index int // position in the incident vector; -1 for lists
	// spell maps every spelling of an enum value (id, label, alias),
	// folded by foldSpelling, to its rank.
	spell map[string]int
}

// EnumValue is one value of an ordered enum; its rank is its index. An
// incident may give it by ID, Label or any of Aliases.
//
// Concurrency: part of a compiled Rules: read-only once compiled and safe for
// concurrent reads; do not modify it.
type EnumValue struct {
	ID      string
	Label   string
	Aliases []string
	Clause  string
}

// Rank returns the rank of the enum value id, least severe first. It
// takes the id exactly as grading.yaml writes it; Incident.Set also reads
// a value's label and aliases.
func (in *Input) Rank(id string) (int, bool) {
	for i, v := range in.Values {
		if v.ID == id {
			return i, true
		}
	}
	return 0, false
}

// Quantity is what a criterion measures: an input, or a quantity derived
// from inputs such as 死亡（含失踪） = deaths + missing.
//
// Concurrency: part of a compiled Rules: read-only once compiled and safe for
// concurrent reads; do not modify it.
type Quantity struct {
	ID             string
	Label          string
	Unit           string
	Clause         string
	Text           string
	Expr           string // the defining expression; "" for an input
	Interpretation string
	Input          *Input // set when the quantity is an input itself
	Type           InputType
	At             diag.Range

	terms []int // input indexes summed; nil when prog is used
	prog  *vm.Program
	refs  uint32 // inputs it depends on
	index int
}

// InputIDs lists the ids of the inputs q depends on.
func (q *Quantity) InputIDs(r *Rules) []string { return r.inputIDs(q.refs) }

// Level is a severity grade (特别重大, 重大, …). Levels are ordered most
// severe first; Rank 0 is the most severe.
//
// Concurrency: part of a compiled Rules: read-only once compiled and safe for
// concurrent reads; do not modify it.
type Level struct {
	ID   string
	Name string
	// Aliases are other names of the grade, declared in grading.yaml;
	// ParseLevel also reads them with the plan's level suffixes.
	Aliases        []string
	Clause         string
	Text           string
	Response       Response
	Authority      Authority
	Baseline       bool // every incident is at least this level
	Interpretation string
	Criteria       []*Criterion
	Rank           int
	At             diag.Range
}

// Response is the response level a grade starts (附件 8.3).
//
// Concurrency: part of a compiled Rules: read-only once compiled and safe for
// concurrent reads; do not modify it.
type Response struct {
	ID   string // "I" … "IV"
	Name string // "Ⅲ级应急响应"
	// Aliases are other ways to write ID ("Ⅲ", "3", "三"), declared in
	// grading.yaml; ParseResponse also reads them with the plan's
	// response suffixes ("Ⅲ级", "3级应急响应").
	Aliases []string
	Clause  string
	Text    string
}

// Authority is who may activate a response level (4.2, 4.3).
//
// Concurrency: part of a compiled Rules: read-only once compiled and safe for
// concurrent reads; do not modify it.
type Authority struct {
	Clause         string
	Text           string
	Bodies         []string
	Interpretation string
}

// Criterion is one numbered item of a level or of the scope: "出现下列情况之一"
// means any criterion of a level decides it.
//
// Concurrency: part of a compiled Rules: read-only once compiled and safe for
// concurrent reads; do not modify it.
type Criterion struct {
	ID             string
	Clause         string
	Text           string
	Also           []string // other clauses that state the same (附件 8.3)
	Interpretation string
	Level          *Level // nil for scope criteria
	Grades         []*Level
	Cond           *Cond // nil when the criterion is met through Grades
	Expr           string
	At             diag.Range

	prog  *vm.Program
	index int
}

// CondOp is the kind of a condition node.
//
// Concurrency: a plain value, safe to copy and share.
type CondOp int

const (
	OpInvalid CondOp = iota
	OpAtom           // a quantity within an interval
	OpAny            // any child holds
	OpAll            // every child holds
	OpExpr           // a free-form expr expression
)

// Cond is the structured form of a criterion's condition, kept for analysis
// and native evaluation.
//
// Concurrency: part of a compiled Rules: read-only once compiled and safe for
// concurrent reads; do not modify it.
type Cond struct {
	Op       CondOp
	Quantity *Quantity // OpAtom
	Interval Interval  // OpAtom; enum ranks and bool 0/1 for those types
	Written  string    // OpAtom: the threshold as written; OpExpr: the source
	Kids     []*Cond
	At       diag.Range

	prog *vm.Program // OpExpr
	refs uint32
}

// Rules is a compiled grading rule set. It is immutable once compiled and
// safe for concurrent use by any number of goroutines.
type Rules struct {
	conv         Convention
	maxNodes     uint // the limits it was compiled under, for expressions compiled later (Disjuncts)
	memoryBudget uint
	inputs       []*Input
	byID         map[string]*Input
	quantities   []*Quantity
	qByID        map[string]*Quantity
	levels       []*Level
	criteria     []*Criterion // every level criterion, most severe level first
	scope        []*Criterion
	scopeInfo    Scope
	baseline     int // index of the baseline level, -1 if none
	// responseKeys and levelKeys map every spelling of a response level
	// and of a grade, folded by foldSpelling, to the level's index.
	responseKeys map[string]int
	levelKeys    map[string]int
	native       bool
	layout       *layout

	// The flat evaluator (flat.go).
	atoms     []flatAtom
	flatCrits []flatCrit // by criterion index
	flatScope []flatCrit // by scope criterion index
	qUpper    []float64  // each quantity's greatest value when unknown
	flat      bool       // every criterion has a flat form
	segments  []qSegments
	levelBits bitset // the bits of level criteria (scope criteria follow)
}

// Scope describes the plan's scope clause (1.3).
//
// Concurrency: part of a compiled Rules: read-only once compiled and safe for
// concurrent reads; do not modify it.
type Scope struct {
	Clause         string
	Text           string
	Interpretation string
}

// Convention returns the boundary convention the rules were parsed under.
func (r *Rules) Convention() Convention { return r.conv }

// Inputs returns the declared inputs in declaration order.
func (r *Rules) Inputs() []*Input { return r.inputs }

// Input looks up an input by its id.
func (r *Rules) Input(id string) (*Input, bool) { in, ok := r.byID[id]; return in, ok }

// Quantities returns the inputs and derived quantities criteria may use.
func (r *Rules) Quantities() []*Quantity { return r.quantities }

// Quantity looks up a quantity by id.
func (r *Rules) Quantity(id string) (*Quantity, bool) { q, ok := r.qByID[id]; return q, ok }

// Levels returns the levels, most severe first.
func (r *Rules) Levels() []*Level { return r.levels }

// Level looks up a level by its id, its name or its response level's id,
// exactly as grading.yaml writes them. ParseLevel reads what people write.
func (r *Rules) Level(id string) (*Level, bool) {
	for _, l := range r.levels {
		if l.ID == id || l.Name == id || (l.Response.ID != "" && l.Response.ID == id) {
			return l, true
		}
	}
	return nil, false
}

// Criteria returns every level criterion, most severe level first.
func (r *Rules) Criteria() []*Criterion { return r.criteria }

// ScopeCriteria returns the scope criteria (1.3).
func (r *Rules) ScopeCriteria() []*Criterion { return r.scope }

// Scope returns the scope clause.
func (r *Rules) Scope() Scope { return r.scopeInfo }

// Native reports whether every criterion and quantity is evaluated natively
// (interval, enum and boolean atoms over sums of inputs) rather than by expr.
func (r *Rules) Native() bool { return r.native }

// InputIDs lists the ids of the inputs a condition reads, directly or
// through derived quantities, in declaration order.
func (c *Cond) InputIDs(r *Rules) []string { return r.inputIDs(c.refs) }

// InputIDs lists the ids of the inputs a criterion reads.
func (cr *Criterion) InputIDs(r *Rules) []string {
	if cr.Cond == nil {
		return nil
	}
	return r.inputIDs(cr.Cond.refs)
}

func (r *Rules) inputIDs(refs uint32) []string {
	var out []string
	for _, in := range r.inputs {
		if in.index >= 0 && refs&(1<<in.index) != 0 {
			out = append(out, in.ID)
		}
	}
	return out
}
