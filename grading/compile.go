package grading

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
)

var idRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

var typeByName = map[string]InputType{"count": Count, "amount": Amount, "enum": Enum, "bool": Bool, "list": List}

type compiler struct {
	r     *Rules
	diags diag.Diagnostics
	env   map[string]any
	// enumRank maps an enum value id to its rank, for atLeast; a value
	// whose rank differs between enums is recorded in ambiguous.
	enumRank  map[string]int
	ambiguous map[string]bool
}

func (c *compiler) errorf(code string, at diag.Range, path, detail, format string, args ...any) {
	c.diags = append(c.diags, diag.Errorf(code, at, path, detail, format, args...))
}

// Compile compiles a parsed grading.yaml under the plan's boundary
// convention. It returns the rules, or nil and every diagnostic; warnings
// may accompany a usable rule set.
func Compile(f *yamlx.File, conv Convention) (*Rules, diag.Diagnostics) {
	var spec fileSpec
	// Decoding goes on past problems, so the rules are compiled from what
	// did decode and every problem, structural or not, is reported at once.
	ds := f.Decode(&spec)
	c := &compiler{
		r:         &Rules{conv: conv, byID: map[string]*Input{}, qByID: map[string]*Quantity{}, baseline: -1, native: true},
		env:       map[string]any{},
		enumRank:  map[string]int{},
		ambiguous: map[string]bool{},
	}
	c.diags = ds
	c.inputs(spec.Inputs)
	c.quantities(spec.Quantities)
	c.levels(spec.Levels)
	c.scope(spec.Scope)
	c.limitCriteria()
	c.diags.Sort()
	if c.diags.HasErrors() {
		return nil, c.diags
	}
	c.r.layout = newLayout(c.r.inputs)
	c.r.flatten()
	return c.r, c.diags
}

func (c *compiler) inputs(specs []inputSpec) {
	n := 0
	for i, s := range specs {
		path := fmt.Sprintf("inputs[%d]", i)
		if !idRE.MatchString(s.ID) {
			c.errorf("bad-id", s.Meta.At, path+".id", "use letters, digits and _ only, starting with a letter, e.g. seriousInjuries", "input id %q is not a valid identifier", s.ID)
			continue
		}
		if _, dup := c.r.byID[s.ID]; dup {
			c.errorf("duplicate-id", s.Meta.At, path+".id", "give each input its own id", "input %q is declared twice (first at %s)", s.ID, c.r.byID[s.ID].At)
			continue
		}
		t, ok := typeByName[s.Type.Value]
		if !ok {
			c.errorf("unknown-type", s.Type.At, path+".type", "use one of count, amount, enum, bool, list."+diag.Suggest(s.Type.Value, slices.Sorted(mapsKeys(typeByName))), "unknown input type %q", s.Type.Value)
			continue
		}
		in := &Input{ID: s.ID, Type: t, Label: s.Label, Unit: s.Unit, Clause: s.Clause, Text: s.Text, Context: s.Context || t == List,
			Interpretation: s.Interpretation, Flags: s.Flags, Ref: s.Ref.Value, RefAt: s.Ref.At, At: s.Meta.At, index: -1}
		if in.Ref != "" && t != List {
			c.errorf("ref", s.Ref.At, path+".ref", "remove ref:, or make the input type: list", "only list inputs refer to other data")
		}
		switch t {
		case Enum:
			if len(s.Values) < 2 {
				c.errorf("enum-values", s.Meta.At, path+".values", "list at least two values, least severe first", "enum input %q needs values", s.ID)
			}
			seen := map[string]bool{}
			for j, v := range s.Values {
				if seen[v.ID] {
					c.errorf("duplicate-id", v.Meta.At, fmt.Sprintf("%s.values[%d]", path, j), "give each value its own id", "value %q of %q appears twice", v.ID, s.ID)
				}
				seen[v.ID] = true
				in.Values = append(in.Values, EnumValue{ID: v.ID, Label: v.Label, Clause: v.Clause})
				if r, ok := c.enumRank[v.ID]; ok && r != j {
					c.ambiguous[v.ID] = true
				}
				c.enumRank[v.ID] = j
			}
			c.env[s.ID] = ""
		case Count, Amount:
			c.env[s.ID] = 0.0
		case Bool:
			c.env[s.ID] = false
		}
		if t != Enum && len(s.Values) > 0 {
			c.errorf("enum-values", s.Meta.At, path+".values", "remove values, or make the input type: enum", "only enum inputs have values")
		}
		if t != List {
			if n == MaxInputs {
				c.errorf("too-many-inputs", s.Meta.At, path, fmt.Sprintf("a plan may grade on at most %d inputs", MaxInputs), "too many inputs")
				continue
			}
			in.index = n
			n++
			q := &Quantity{ID: in.ID, Label: in.Label, Unit: in.Unit, Clause: in.Clause, Text: in.Text, Input: in, Type: t,
				At: in.At, terms: []int{in.index}, refs: 1 << in.index, index: len(c.r.quantities)}
			c.r.quantities = append(c.r.quantities, q)
			c.r.qByID[q.ID] = q
		}
		c.r.inputs = append(c.r.inputs, in)
		c.r.byID[in.ID] = in
	}
}

func (c *compiler) quantities(specs []quantitySpec) {
	for i, s := range specs {
		path := fmt.Sprintf("quantities[%d]", i)
		if !idRE.MatchString(s.ID) {
			c.errorf("bad-id", s.Meta.At, path+".id", "use letters, digits and _ only, e.g. deathsAndMissing", "quantity id %q is not a valid identifier", s.ID)
			continue
		}
		if _, dup := c.r.qByID[s.ID]; dup {
			c.errorf("duplicate-id", s.Meta.At, path+".id", "give the quantity an id no input or quantity has", "%q is already declared", s.ID)
			continue
		}
		prog, ok := c.compileExpr(s.Expr, path+".expr", expr.AsFloat64())
		if !ok {
			continue
		}
		q := &Quantity{ID: s.ID, Label: s.Label, Unit: s.Unit, Clause: s.Clause, Text: s.Text, Expr: s.Expr.Value,
			Interpretation: s.Interpretation, Type: Amount, At: s.Meta.At, index: len(c.r.quantities)}
		tree, err := parser.Parse(s.Expr.Value)
		if err == nil {
			q.refs = c.refsOf(tree.Node)
			q.terms = c.sumTerms(tree.Node)
		}
		if q.terms == nil {
			q.prog = prog
			c.r.native = false
		} else if allCounts(c.r, q.terms) {
			q.Type = Count
		}
		if q.Unit == "" && len(q.terms) > 0 {
			q.Unit = c.inputAt(q.terms[0]).Unit
		}
		c.env[s.ID] = 0.0
		c.r.quantities = append(c.r.quantities, q)
		c.r.qByID[q.ID] = q
	}
}

func allCounts(r *Rules, terms []int) bool {
	for _, t := range terms {
		for _, in := range r.inputs {
			if in.index == t && in.Type != Count {
				return false
			}
		}
	}
	return true
}

func (c *compiler) inputAt(index int) *Input {
	for _, in := range c.r.inputs {
		if in.index == index {
			return in
		}
	}
	return nil
}

// sumTerms returns the input indexes of an expression that is a plain sum
// of numeric inputs, or nil.
func (c *compiler) sumTerms(n ast.Node) []int {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		if in, ok := c.r.byID[n.Value]; ok && (in.Type == Count || in.Type == Amount) {
			return []int{in.index}
		}
	case *ast.BinaryNode:
		if n.Operator == "+" {
			l, r := c.sumTerms(n.Left), c.sumTerms(n.Right)
			if l != nil && r != nil {
				return append(l, r...)
			}
		}
	}
	return nil
}

// refsOf is the set of inputs an expression reads, directly or through
// derived quantities.
func (c *compiler) refsOf(n ast.Node) uint32 {
	var refs uint32
	ast.Find(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.IdentifierNode); ok {
			if q, ok := c.r.qByID[id.Value]; ok {
				refs |= q.refs
			}
		}
		return false
	})
	return refs
}

// compileExpr compiles src in the plan's environment, mapping any error to
// its position in the YAML file.
func (c *compiler) compileExpr(src yamlx.String, path string, opts ...expr.Option) (*vm.Program, bool) {
	options := append([]expr.Option{
		expr.Env(c.env),
		expr.MaxNodes(Defaults.MaxNodes),
		expr.Function("atLeast", c.atLeast, new(func(string, string) bool)),
	}, opts...)
	prog, err := expr.Compile(src.Value, options...)
	if err != nil {
		at, msg := src.ExprError(err)
		hint := "check the names against the inputs and quantities of grading.yaml"
		if name := unknownName(msg); name != "" {
			hint += "." + diag.Suggest(name, c.envNames())
		}
		c.errorf("expr", at, path, hint, "expression error: %s", msg)
		return nil, false
	}
	if tree, err := parser.Parse(src.Value); err == nil {
		c.checkEnumLiterals(tree.Node, src, path)
	}
	return prog, true
}

var unknownNameRE = regexp.MustCompile(`unknown name (\w+)`)

func unknownName(msg string) string {
	if m := unknownNameRE.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	return ""
}

func (c *compiler) envNames() []string {
	return slices.Sorted(mapsKeys(c.env))
}

// checkEnumLiterals reports enum values misspelt in atLeast(x, "v") and
// x == "v", which expr's type checker cannot see.
func (c *compiler) checkEnumLiterals(n ast.Node, src yamlx.String, path string) {
	check := func(id ast.Node, lit ast.Node) {
		ident, ok := id.(*ast.IdentifierNode)
		str, ok2 := lit.(*ast.StringNode)
		if !ok || !ok2 {
			return
		}
		in, ok := c.r.byID[ident.Value]
		if !ok || in.Type != Enum {
			return
		}
		if _, ok := in.Rank(str.Value); !ok {
			loc := str.Location()
			ids := make([]string, len(in.Values))
			for i, v := range in.Values {
				ids[i] = v.ID
			}
			c.errorf("unknown-value", src.SubRange(loc.From, max(loc.To, loc.From+1)), path,
				"use one of "+strings.Join(ids, ", ")+"."+diag.Suggest(str.Value, ids), "%q is not a value of %s", str.Value, in.ID)
		}
	}
	ast.Find(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallNode:
			if id, ok := n.Callee.(*ast.IdentifierNode); ok && id.Value == "atLeast" && len(n.Arguments) == 2 {
				check(n.Arguments[0], n.Arguments[1])
			}
		case *ast.BinaryNode:
			if n.Operator == "==" || n.Operator == "!=" {
				check(n.Left, n.Right)
				check(n.Right, n.Left)
			}
		}
		return false
	})
}

// atLeast(x, "v") is true when enum value x ranks at or above v.
func (c *compiler) atLeast(params ...any) (any, error) {
	x, _ := params[0].(string)
	v, _ := params[1].(string)
	if c.ambiguous[x] || c.ambiguous[v] {
		return nil, fmt.Errorf("atLeast: %q or %q ranks differently in two enums", x, v)
	}
	rx, ok1 := c.enumRank[x]
	rv, ok2 := c.enumRank[v]
	if !ok1 || !ok2 {
		return false, nil
	}
	return rx >= rv, nil
}

func (c *compiler) levels(specs []levelSpec) {
	if len(specs) == 0 {
		c.errorf("no-levels", diag.Range{}, "levels", "declare the levels, most severe first", "grading.yaml declares no levels")
	}
	ids := map[string]diag.Range{}
	responses := map[string]bool{}
	for i, s := range specs {
		path := fmt.Sprintf("levels[%d]", i)
		if first, dup := ids[s.ID]; dup {
			c.errorf("duplicate-id", s.Meta.At, path+".id", "give each level its own id", "level %q is declared twice (first at %s)", s.ID, first)
		} else {
			ids[s.ID] = s.Meta.At
		}
		l := &Level{ID: s.ID, Name: s.Name, Clause: s.Clause, Text: s.Text, Baseline: s.Baseline, Interpretation: s.Interpretation, Rank: i, At: s.Meta.At}
		if s.Response != nil {
			l.Response = Response{ID: s.Response.ID, Name: s.Response.Name, Clause: s.Response.Clause, Text: s.Response.Text}
			if responses[s.Response.ID] {
				c.errorf("duplicate-id", s.Response.Meta.At, path+".response.id", "give each level its own response level", "response level %q is used twice", s.Response.ID)
			}
			responses[s.Response.ID] = true
		}
		if s.Authority != nil {
			l.Authority = Authority{Clause: s.Authority.Clause, Text: s.Authority.Text, Bodies: s.Authority.Bodies, Interpretation: s.Authority.Interpretation}
		}
		if s.Baseline {
			if c.r.baseline >= 0 {
				c.errorf("baseline", s.Meta.At, path+".baseline", "only the least severe level can be the baseline", "two levels are marked baseline")
			}
			if i != len(specs)-1 {
				c.errorf("baseline", s.Meta.At, path+".baseline", "move the baseline level to the end of the list (levels go most severe first)", "the baseline level %q is not the least severe", s.ID)
			}
			c.r.baseline = i
		}
		if len(s.Criteria) == 0 && !s.Baseline {
			c.errorf("no-criteria", s.Meta.At, path, "add the level's criteria, or mark it baseline: true if every incident is at least this level", "level %q has no criteria", s.ID)
		}
		c.r.levels = append(c.r.levels, l)
	}
	crit := map[string]string{}
	for i, s := range specs {
		l := c.r.levels[i]
		for j, cs := range s.Criteria {
			path := fmt.Sprintf("levels[%d].criteria[%d]", i, j)
			cr := c.criterion(cs, path, crit, false)
			if cr == nil {
				continue
			}
			cr.Level = l
			l.Criteria = append(l.Criteria, cr)
			cr.index = len(c.r.criteria)
			c.r.criteria = append(c.r.criteria, cr)
		}
	}
}

// limitCriteria enforces MaxCriteria over the levels and the scope
// together, at the first criterion past the limit.
func (c *compiler) limitCriteria() {
	all := append(append([]*Criterion(nil), c.r.criteria...), c.r.scope...)
	if len(all) > MaxCriteria {
		c.errorf("too-many-criteria", all[MaxCriteria].At, "", fmt.Sprintf("a plan may have at most %d criteria, levels and scope together; merge alternatives into one criterion with any:", MaxCriteria),
			"too many criteria (%d)", len(all))
	}
}

func (c *compiler) scope(s *scopeSpec) {
	if s == nil {
		return
	}
	c.r.scopeInfo = Scope{Clause: s.Clause, Text: s.Text, Interpretation: s.Interpretation}
	crit := map[string]string{}
	for i, cs := range s.Criteria {
		cr := c.criterion(cs, fmt.Sprintf("scope.criteria[%d]", i), crit, true)
		if cr == nil {
			continue
		}
		cr.index = len(c.r.scope)
		c.r.scope = append(c.r.scope, cr)
	}
}

func (c *compiler) criterion(s criterionSpec, path string, seen map[string]string, scope bool) *Criterion {
	id := s.ID
	if id == "" {
		id = s.Clause
	}
	if prev, dup := seen[id]; dup {
		c.errorf("duplicate-id", s.Meta.At, path, "give each criterion its own clause or id (add id: when two share a clause)", "criterion %q is declared twice (first at %s)", id, prev)
		return nil
	}
	seen[id] = fmt.Sprintf("%s, %s", s.Meta.At, path)
	cr := &Criterion{ID: id, Clause: s.Clause, Text: s.Text, Also: s.Also, Interpretation: s.Interpretation, At: s.Meta.At}
	switch {
	case s.When != nil && len(s.Grades) > 0:
		c.errorf("criterion-form", s.Meta.At, path, "keep one of when: and grades:", "a criterion has both when: and grades:")
		return nil
	case len(s.Grades) > 0:
		if !scope {
			c.errorf("criterion-form", s.Meta.At, path+".grades", "grades: is for scope criteria; write when: with a condition", "a level criterion cannot be met through grades")
			return nil
		}
		for k, g := range s.Grades {
			l, ok := c.r.Level(g.Value)
			if !ok {
				c.errorf("unknown-level", g.At, fmt.Sprintf("%s.grades[%d]", path, k), "use a level id of grading.yaml."+diag.Suggest(g.Value, c.levelIDs()), "unknown level %q", g.Value)
				continue
			}
			cr.Grades = append(cr.Grades, l)
		}
		return cr
	case s.When == nil:
		c.errorf("criterion-form", s.Meta.At, path, `add when: with the condition, e.g. when: {deaths: "3 人以上"}`, "criterion %q has no condition", id)
		return nil
	}
	cond, ok := c.cond(s.When, path+".when")
	if !ok {
		return nil
	}
	cr.Cond = cond
	src := yamlx.String{Value: c.exprOf(cond), Meta: s.When.Meta}
	if cond.Op == OpExpr {
		src = s.When.Expr
	}
	cr.Expr = src.Value
	prog, ok := c.compileExpr(src, path+".when", expr.AsBool())
	if !ok {
		return nil
	}
	cr.prog = prog
	return cr
}

func (c *compiler) levelIDs() []string {
	out := make([]string, len(c.r.levels))
	for i, l := range c.r.levels {
		out[i] = l.ID
	}
	return out
}

func (c *compiler) quantityIDs() []string {
	out := make([]string, len(c.r.quantities))
	for i, q := range c.r.quantities {
		out[i] = q.ID
	}
	return out
}

func (c *compiler) cond(s *condSpec, path string) (*Cond, bool) {
	switch s.Op {
	case "any", "all":
		op := OpAny
		if s.Op == "all" {
			op = OpAll
		}
		cd := &Cond{Op: op, At: s.Meta.At}
		ok := true
		for i := range s.Kids {
			k, kok := c.cond(&s.Kids[i], fmt.Sprintf("%s.%s[%d]", path, s.Op, i))
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
		cd := &Cond{Op: OpExpr, Written: s.Expr.Value, At: s.Expr.At}
		prog, ok := c.compileExpr(s.Expr, path+".expr", expr.AsBool())
		if !ok {
			return nil, false
		}
		cd.prog = prog
		if tree, err := parser.Parse(s.Expr.Value); err == nil {
			cd.refs = c.refsOf(tree.Node)
		}
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
			c.errorf("context-input", s.Key.At, path, "grading cannot use a list input; it is context for rosters and the workflow", "%q is a list input", s.Key.Value)
			return nil, false
		}
		c.errorf("unknown-quantity", s.Key.At, path,
			"use an input or quantity declared in grading.yaml, or any:, all:, expr:."+diag.Suggest(s.Key.Value, append(c.quantityIDs(), condOps...)),
			"unknown quantity %q", s.Key.Value)
		return nil, false
	}
	cd := &Cond{Op: OpAtom, Quantity: q, Written: s.Value.Value, At: s.Value.At, refs: q.refs}
	switch q.Type {
	case Count, Amount:
		unit := q.Unit
		iv, err := ParseThreshold(s.Value.Value, c.r.conv, unit)
		if err != nil {
			c.errorf("threshold", s.Value.SubRange(err.From, max(err.To, err.From+1)), path, err.Hint, "bad threshold %q for %s: %s", s.Value.Value, q.ID, err.Msg)
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
			ids := make([]string, len(in.Values))
			for i, ev := range in.Values {
				ids[i] = ev.ID
			}
			c.errorf("unknown-value", s.Value.At, path, fmt.Sprintf("write one of %s (meaning at least that value), or \"= value\" for exactly it.%s", strings.Join(ids, ", "), diag.Suggest(v, ids)),
				"%q is not a value of %s", v, in.ID)
			return nil, false
		}
		cd.Interval = Interval{Lo: float64(rank), LoIncl: true, Hi: math.Inf(1)}
		if exact {
			cd.Interval.Hi, cd.Interval.HiIncl = float64(rank), true
		}
	case Bool:
		b, err := strconv.ParseBool(strings.TrimSpace(s.Value.Value))
		if err != nil {
			c.errorf("threshold", s.Value.At, path, "write true or false", "%s is true or false, not %q", q.ID, s.Value.Value)
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
		parts = append(parts, fmt.Sprintf("%s %s %s", q.ID, op, strconv.FormatFloat(iv.Lo, 'f', -1, 64)))
	}
	if !math.IsInf(iv.Hi, 1) {
		op := "<"
		if iv.HiIncl {
			op = "<="
		}
		parts = append(parts, fmt.Sprintf("%s %s %s", q.ID, op, strconv.FormatFloat(iv.Hi, 'f', -1, 64)))
	}
	if len(parts) == 0 {
		return "true"
	}
	return strings.Join(parts, " && ")
}

func mapsKeys[M ~map[string]V, V any](m M) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
