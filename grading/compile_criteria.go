package grading

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
)

// Criteria and their conditions: the structured form (atoms, any:, all:)
// with thresholds read under the plan's convention, and the expr source
// every structured condition is also compiled to.

func (c *compiler) criterion(s criterionSpec, path string, seen map[string]declared, scope bool) *Criterion {
	id := s.ID
	if id == "" {
		id = s.Clause
	}
	if prev, dup := seen[id]; dup {
		c.add(diag.Diagnostic{Code: CodeDuplicateID, Subject: s.Meta.At(), Path: path,
			Summary: fmt.Sprintf("criterion %q is declared twice (first at %s)", id, prev),
			Detail:  "a criterion's id is its clause unless id: is given; results and the lint name criteria by it",
			Fix:     "give each criterion its own clause or id (add id: when two share a clause)",
			Params:  map[string]string{"id": id, "first": prev.String()}})
		return nil
	}
	at := s.Meta.At()
	seen[id] = declared{at, path}
	cr := &Criterion{ID: id, Clause: s.Clause, Text: s.Text, Also: s.Also, Interpretation: s.Interpretation, At: at}
	switch {
	case s.When != nil && len(s.Grades) > 0:
		c.add(diag.Diagnostic{Code: CodeCriterionForm, Subject: s.Meta.At(), Path: path,
			Summary: "a criterion has both when: and grades:",
			Fix:     "keep one of when: and grades:",
			Params:  map[string]string{"criterion": id}})
		return nil
	case len(s.Grades) > 0:
		if !scope {
			c.add(diag.Diagnostic{Code: CodeCriterionForm, Subject: s.Meta.At(), Path: path + ".grades",
				Summary: "a level criterion cannot be met through grades",
				Fix:     "grades: is for scope criteria; write when: with a condition",
				Params:  map[string]string{"criterion": id}})
			return nil
		}
		for k, g := range s.Grades {
			l, ok := c.r.Level(g.Value)
			if !ok {
				// A plan's author misspelling an id is helped by the near
				// miss, beside the whole list in order; input from people
				// never is (ParseLevel).
				valid := strings.Join(c.levelIDs(), ", ")
				c.add(diag.Diagnostic{Code: CodeUnknownLevel, Subject: g.At(), Path: path + ".grades[" + strconv.Itoa(k) + "]",
					Summary: fmt.Sprintf("unknown level %q", g.Value),
					Detail:  "the levels, most severe first, are " + valid,
					Fix:     "use a level id of grading.yaml." + diag.Suggest(g.Value, c.levelIDs()),
					Params:  map[string]string{"level": g.Value, "valid": valid}})
				continue
			}
			cr.Grades = append(cr.Grades, l)
		}
		return cr
	case s.When == nil:
		c.add(diag.Diagnostic{Code: CodeCriterionForm, Subject: s.Meta.At(), Path: path,
			Summary: fmt.Sprintf("criterion %q has no condition", id),
			Fix:     `add when: with the condition, e.g. when: {deaths: "3 人以上"}`,
			Params:  map[string]string{"criterion": id}})
		return nil
	}
	cond, ok := c.cond(s.When, path+".when")
	if !ok {
		return nil
	}
	cr.Cond = cond
	if cond.Op == OpExpr {
		// The condition is the expression as written, compiled above.
		cr.Expr, cr.prog = cond.Written, cond.prog
		return cr
	}
	src := yamlx.String{Value: c.exprOf(cond), Meta: s.When.Meta}
	cr.Expr = src.Value
	prog, _, ok := c.compileExpr(src, path+".when", false, expr.AsBool())
	if !ok {
		return nil
	}
	cr.prog = prog
	return cr
}

func (c *compiler) cond(s *condSpec, path string) (*Cond, bool) {
	switch s.Op {
	case "any", "all":
		op := OpAny
		if s.Op == "all" {
			op = OpAll
		}
		cd := &Cond{Op: op, At: s.Meta.At()}
		ok := true
		for i := range s.Kids {
			k, kok := c.cond(&s.Kids[i], path+"."+s.Op+"["+strconv.Itoa(i)+"]")
			if !kok {
				ok = false
				continue
			}
			cd.Kids = append(cd.Kids, k)
			cd.refs |= k.refs
		}
		return cd, ok
	case "expr":
		c.r.native = false
		cd := &Cond{Op: OpExpr, Written: s.Expr.Value, At: s.Expr.At()}
		prog, refs, ok := c.compileExpr(s.Expr, path+".expr", true, expr.AsBool())
		if !ok {
			return nil, false
		}
		cd.prog, cd.refs = prog, refs
		return cd, true
	case "atom":
		return c.atom(s, path)
	}
	return nil, false
}

func (c *compiler) atom(s *condSpec, path string) (*Cond, bool) {
	q, ok := c.r.qByID[s.Key.Value]
	if !ok {
		if in, isIn := c.r.byID[s.Key.Value]; isIn && in.Type == List {
			c.add(diag.Diagnostic{Code: CodeContextInput, Subject: s.Key.At(), Path: path,
				Summary: fmt.Sprintf("%q is a list input", s.Key.Value),
				Detail:  "a list input is context for rosters and the workflow; grading cannot use it",
				Fix:     "grade on a count, amount, enum or bool input instead",
				Params:  map[string]string{"input": s.Key.Value}})
			return nil, false
		}
		c.add(diag.Diagnostic{Code: CodeUnknownQuantity, Subject: s.Key.At(), Path: path,
			Summary: fmt.Sprintf("unknown quantity %q", s.Key.Value),
			Fix:     "use an input or quantity declared in grading.yaml, or any:, all:, expr:." + diag.Suggest(s.Key.Value, append(c.quantityIDs(), condOps...)),
			Params:  map[string]string{"quantity": s.Key.Value}})
		return nil, false
	}
	cd := &Cond{Op: OpAtom, Quantity: q, Written: s.Value.Value, At: s.Value.At(), refs: q.refs}
	switch q.Type {
	case Count, Amount:
		unit := q.Unit
		iv, err := ParseThreshold(s.Value.Value, c.r.conv, unit)
		if err != nil {
			c.add(diag.Diagnostic{Code: CodeThreshold, Subject: s.Value.SubRange(err.From, max(err.To, err.From+1)), Path: path,
				Summary: fmt.Sprintf("bad threshold %q for %s: %s", s.Value.Value, q.ID, err.Message),
				Fix:     err.Fix,
				Params:  map[string]string{"quantity": q.ID, "threshold": s.Value.Value, "error": err.Message}})
			return nil, false
		}
		cd.Interval = iv
	case Enum:
		in := q.Input
		v := strings.TrimSpace(s.Value.Value)
		exact := false
		switch {
		case strings.HasPrefix(v, ">="):
			v = strings.TrimSpace(v[2:])
		case strings.HasPrefix(v, "≥"):
			v = strings.TrimSpace(strings.TrimPrefix(v, "≥"))
		case strings.HasPrefix(v, "=="):
			v, exact = strings.TrimSpace(v[2:]), true
		case strings.HasPrefix(v, "="):
			v, exact = strings.TrimSpace(v[1:]), true
		}
		rank, ok := in.Rank(v)
		if !ok {
			// As for levels: the author's near miss, beside the list.
			c.add(diag.Diagnostic{Code: CodeUnknownValue, Subject: s.Value.At(), Path: path,
				Summary: fmt.Sprintf("%q is not a value of %s", v, in.ID),
				Detail:  "the values, least severe first, are " + enumChoices(in),
				Fix:     fmt.Sprintf("write one of %s (meaning at least that value), or \"= value\" for exactly it.%s", enumIDs(in), diag.Suggest(v, in.valueIDs())),
				Params:  map[string]string{"input": in.ID, "value": v, "valid": enumIDs(in)}})
			return nil, false
		}
		cd.Interval = Interval{Lo: float64(rank), LoIncl: true, Hi: math.Inf(1)}
		if exact {
			cd.Interval.Hi, cd.Interval.HiIncl = float64(rank), true
		}
	case Bool:
		b, err := strconv.ParseBool(strings.TrimSpace(s.Value.Value))
		if err != nil {
			c.add(diag.Diagnostic{Code: CodeThreshold, Subject: s.Value.At(), Path: path,
				Summary: fmt.Sprintf("%s is true or false, not %q", q.ID, s.Value.Value),
				Fix:     "write true or false",
				Params:  map[string]string{"quantity": q.ID, "threshold": s.Value.Value}})
			return nil, false
		}
		x := 0.0
		if b {
			x = 1
		}
		cd.Interval = Interval{Lo: x, Hi: x, LoIncl: true, HiIncl: true}
	}
	return cd, true
}

// exprOf renders a structured condition as expr source, so that every
// criterion also exists as a type-checked expr program.
func (c *compiler) exprOf(cd *Cond) string {
	switch cd.Op {
	case OpAny, OpAll:
		sep := " || "
		if cd.Op == OpAll {
			sep = " && "
		}
		parts := make([]string, len(cd.Kids))
		for i, k := range cd.Kids {
			parts[i] = "(" + c.exprOf(k) + ")"
		}
		return strings.Join(parts, sep)
	case OpExpr:
		return cd.Written
	}
	q, iv := cd.Quantity, cd.Interval
	switch q.Type {
	case Enum:
		vals := q.Input.Values
		lo := int(iv.Lo)
		if math.IsInf(iv.Hi, 1) {
			return fmt.Sprintf("atLeast(%s, %q)", q.ID, vals[lo].ID)
		}
		return fmt.Sprintf("%s == %q", q.ID, vals[lo].ID)
	case Bool:
		if iv.Lo == 1 {
			return q.ID
		}
		return "!" + q.ID
	}
	var parts []string
	if !math.IsInf(iv.Lo, -1) {
		op := ">"
		if iv.LoIncl {
			op = ">="
		}
		parts = append(parts, q.ID+" "+op+" "+strconv.FormatFloat(iv.Lo, 'f', -1, 64))
	}
	if !math.IsInf(iv.Hi, 1) {
		op := "<"
		if iv.HiIncl {
			op = "<="
		}
		parts = append(parts, q.ID+" "+op+" "+strconv.FormatFloat(iv.Hi, 'f', -1, 64))
	}
	if len(parts) == 0 {
		return "true"
	}
	return strings.Join(parts, " && ")
}

// declared is where an item was first declared, written out only for the
// diagnostic about a second declaration.
type declared struct {
	at   diag.Range
	path string
}

func (d declared) String() string { return d.at.String() + ", " + d.path }
