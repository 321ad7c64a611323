package bench

import (
	"fmt"
	"strings"

	"github.com/hyperjumptech/grule-rule-engine/ast"
	"github.com/hyperjumptech/grule-rule-engine/builder"
	"github.com/hyperjumptech/grule-rule-engine/engine"
	"github.com/hyperjumptech/grule-rule-engine/pkg"
	"github.com/yingji/yingji/grading"
)

// Fact is an incident as grule sees it: one field per input (named after
// the input, capitalised), counts and amounts as float64, enums as their
// rank. grule reads fields by reflection, so the struct must name them;
// the rules that read them are generated.
type Fact struct {
	Deaths, Missing, Endangered, SeriousInjuries, Evacuated, DirectLoss float64
	Crosses, ExceedsCapacityOf, DeemedNecessaryBy                       int64
	CrossDomain, StateCouncilResponse                                   bool

	Mask int64
}

// Hit records that criterion bit i holds.
func (f *Fact) Hit(i int64) { f.Mask |= 1 << i }

// Grule is the plan's grading as grule rules, one per criterion, each of
// which records its bit and retracts itself.
type Grule struct {
	Source string
	kb     *ast.KnowledgeBase
	engine *engine.GruleEngine
	bits   *bits
}

// GRLSource renders r's criteria as grule rules over the fact F.
func GRLSource(r *grading.Rules) (string, error) {
	field := func(id string) string { return "F." + fieldName(id) }
	s := syntax{
		name: func(q *grading.Quantity) string {
			if q.Expr != "" {
				return "(" + identRE.ReplaceAllStringFunc(q.Expr, func(id string) string {
					if _, ok := r.Input(id); ok {
						return field(id)
					}
					return id
				}) + ")"
			}
			return field(q.ID)
		},
		float:  floatLit,
		or:     "||",
		and:    "&&",
		enumEq: func(name string, rank int) string { return fmt.Sprintf("%s == %d", name, rank) },
	}
	var b strings.Builder
	add := func(cr *grading.Criterion, bit int) error {
		e, err := s.cond(cr.Cond)
		if err != nil {
			return err
		}
		name := fmt.Sprintf("C%d", bit)
		fmt.Fprintf(&b, "rule %s %q {\n  when\n    %s\n  then\n    F.Hit(%d);\n    Retract(%q);\n}\n\n", name, cr.Clause, e, bit, name)
		return nil
	}
	for i, cr := range r.Criteria() {
		if err := add(cr, i); err != nil {
			return "", err
		}
	}
	for i, cr := range r.ScopeCriteria() {
		if cr.Cond != nil {
			if err := add(cr, 32+i); err != nil {
				return "", err
			}
		}
	}
	return b.String(), nil
}

// NewGrule builds a knowledge base from r and one instance of it, reused
// for every incident (the engine resets it on each run).
func NewGrule(r *grading.Rules) (*Grule, error) {
	src, err := GRLSource(r)
	if err != nil {
		return nil, err
	}
	b, err := newBits(r)
	if err != nil {
		return nil, err
	}
	lib := ast.NewKnowledgeLibrary()
	if err := builder.NewRuleBuilder(lib).BuildRuleFromResource("grading", "1", pkg.NewBytesResource([]byte(src))); err != nil {
		return nil, err
	}
	kb, err := lib.NewKnowledgeBaseInstance("grading", "1")
	if err != nil {
		return nil, err
	}
	eng := engine.NewGruleEngine()
	eng.ReturnErrOnFailedRuleEvaluation = true
	return &Grule{Source: src, kb: kb, engine: eng, bits: b}, nil
}

// Prepare converts a case into a fact.
func (g *Grule) Prepare(k Case) *Fact {
	f := ToFacts(k)
	return &Fact{
		Deaths: float64(f.Deaths), Missing: float64(f.Missing), Endangered: float64(f.Endangered),
		SeriousInjuries: float64(f.SeriousInjuries), Evacuated: float64(f.Evacuated), DirectLoss: f.DirectLoss,
		Crosses: int64(f.Crosses), ExceedsCapacityOf: int64(f.ExceedsCapacityOf), DeemedNecessaryBy: int64(f.DeemedNecessaryBy),
		CrossDomain: f.CrossDomain, StateCouncilResponse: f.StateCouncilResponse,
	}
}

// Grade runs the rules over a fact. It is not safe for concurrent use: the
// knowledge base instance holds working memory.
func (g *Grule) Grade(f *Fact) Outcome {
	f.Mask = 0
	dctx := ast.NewDataContext()
	if err := dctx.Add("F", f); err != nil {
		panic(err)
	}
	if err := g.engine.Execute(dctx, g.kb); err != nil {
		panic(err)
	}
	return g.bits.outcome(uint64(f.Mask))
}
