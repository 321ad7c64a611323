package grading

import (
	"fmt"
	"maps"
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
	file  string // the file's name, for findings about the whole file
	r     *Rules
	cfg   config
	diags diag.Diagnostics
	env   map[string]any
	// enumRank maps an enum value id to its rank, for atLeast; a value
	// whose rank differs between enums is recorded in ambiguous.
	enumRank  map[string]int
	ambiguous map[string]bool
}

// add records an Error diagnostic, built as a literal by the caller.
func (c *compiler) add(d diag.Diagnostic) {
	d.Severity = diag.Error
	c.diags = append(c.diags, d)
}

// Compile compiles grading.yaml: name is the file's name, used in
// diagnostics, and src its content. It returns the rules and any warnings,
// or nil and every diagnostic, sorted by position. Options set the
// boundary convention (WithConvention) and the limits (MaxNodes,
// MemoryBudget, MaxCriteria); an option given a bad value is reported as a
// diagnostic with code CodeOption.
//
// This is the grading-only layer: yingji.Load compiles a whole plan
// folder, this file included, and checks it against the rest of the plan.
func Compile(name string, src []byte, opts ...Option) (*Rules, diag.Diagnostics) {
	cfg := defaultConfig()
	var ds diag.Diagnostics
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			d := diag.Diagnostic{Severity: diag.Error, Code: CodeOption, Subject: diag.Range{Filename: name}, Summary: err.Error()}
			if oe, ok := err.(*optionError); ok {
				d.Fix = oe.fix
				d.Params = map[string]string{"option": oe.option, "value": oe.value}
			}
			ds = append(ds, d)
		}
	}
	if ds.HasErrors() {
		return nil, ds
	}
	f, ds := yamlx.Parse(name, src)
	if ds.HasErrors() {
		return nil, ds
	}
	return compileFile(f, cfg)
}

// compileFile compiles a parsed grading.yaml.
func compileFile(f *yamlx.File, cfg config) (*Rules, diag.Diagnostics) {
	var spec fileSpec
	// Decoding goes on past problems, so the rules are compiled from what
	// did decode and every problem, structural or not, is reported at once.
	ds := f.Decode(&spec)
	c := &compiler{
		file:      f.Name,
		r:         &Rules{conv: cfg.conv, memoryBudget: cfg.memoryBudget, byID: map[string]*Input{}, qByID: map[string]*Quantity{}, baseline: -1, native: true},
		cfg:       cfg,
		env:       map[string]any{},
		enumRank:  map[string]int{},
		ambiguous: map[string]bool{},
	}
	c.diags = ds
	c.inputs(spec.Inputs)
	c.quantities(spec.Quantities)
	c.levels(spec.Levels)
	c.spellings(spec.Spellings, spec.Levels)
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
			c.add(diag.Diagnostic{Code: CodeBadID, Subject: s.Meta.At, Path: path + ".id",
				Summary: fmt.Sprintf("input id %q is not a valid identifier", s.ID),
				Detail:  "an input's id is its JSON name and its name in expressions",
				Fix:     "use letters, digits and _ only, starting with a letter, e.g. seriousInjuries",
				Params:  map[string]string{"id": s.ID}})
			continue
		}
		if _, dup := c.r.byID[s.ID]; dup {
			c.add(diag.Diagnostic{Code: CodeDuplicateID, Subject: s.Meta.At, Path: path + ".id",
				Summary: fmt.Sprintf("input %q is declared twice", s.ID),
				Detail:  fmt.Sprintf("the first is at %s", c.r.byID[s.ID].At),
				Fix:     "give each input its own id",
				Params:  map[string]string{"id": s.ID}})
			continue
		}
		t, ok := typeByName[s.Type.Value]
		if !ok {
			c.add(diag.Diagnostic{Code: CodeUnknownType, Subject: s.Type.At, Path: path + ".type",
				Summary: fmt.Sprintf("unknown input type %q", s.Type.Value),
				Fix:     "use one of count, amount, enum, bool, list." + diag.Suggest(s.Type.Value, slices.Sorted(maps.Keys(typeByName))),
				Params:  map[string]string{"type": s.Type.Value, "valid": "count, amount, enum, bool, list"}})
			continue
		}
		in := &Input{ID: s.ID, Type: t, Label: s.Label, Unit: s.Unit, Clause: s.Clause, Text: s.Text, Context: s.Context || t == List,
			Interpretation: s.Interpretation, Flags: s.Flags, Ref: s.Ref.Value, RefAt: s.Ref.At, At: s.Meta.At, index: -1}
		if in.Ref != "" && t != List {
			c.add(diag.Diagnostic{Code: CodeRefNotList, Subject: s.Ref.At, Path: path + ".ref",
				Summary: "only list inputs refer to other data",
				Fix:     "remove ref:, or make the input type: list",
				Params:  map[string]string{"input": s.ID, "ref": in.Ref}})
		}
		switch t {
		case Enum:
			if len(s.Values) < 2 {
				c.add(diag.Diagnostic{Code: CodeEnumValues, Subject: s.Meta.At, Path: path + ".values",
					Summary: fmt.Sprintf("enum input %q needs values", s.ID),
					Fix:     "list at least two values, least severe first",
					Params:  map[string]string{"input": s.ID}})
			}
			seen := map[string]bool{}
			for j, v := range s.Values {
				if seen[v.ID] {
					c.add(diag.Diagnostic{Code: CodeDuplicateID, Subject: v.Meta.At, Path: fmt.Sprintf("%s.values[%d]", path, j),
						Summary: fmt.Sprintf("value %q of %q appears twice", v.ID, s.ID),
						Fix:     "give each value its own id",
						Params:  map[string]string{"input": s.ID, "id": v.ID}})
				}
				seen[v.ID] = true
				in.Values = append(in.Values, EnumValue{ID: v.ID, Label: v.Label, Aliases: aliasValues(v.Aliases), Clause: v.Clause})
				if r, ok := c.enumRank[v.ID]; ok && r != j {
					c.ambiguous[v.ID] = true
				}
				c.enumRank[v.ID] = j
			}
			c.enumSpellings(in, s.Values, path)
			c.env[s.ID] = ""
		case Count, Amount:
			c.env[s.ID] = 0.0
		case Bool:
			c.env[s.ID] = false
		}
		if t != Enum && len(s.Values) > 0 {
			c.add(diag.Diagnostic{Code: CodeEnumValues, Subject: s.Meta.At, Path: path + ".values",
				Summary: "only enum inputs have values",
				Fix:     "remove values, or make the input type: enum",
				Params:  map[string]string{"input": s.ID, "type": t.String()}})
		}
		if t != List {
			if n == MaxInputs {
				c.add(diag.Diagnostic{Code: CodeTooManyInputs, Subject: s.Meta.At, Path: path,
					Summary: "too many inputs",
					Detail:  fmt.Sprintf("a plan may grade on at most %d inputs (context lists aside): a Result holds one figure per input inline", MaxInputs),
					Fix:     "declare inputs that are not graded as context: true, or combine inputs",
					Params:  map[string]string{"max": strconv.Itoa(MaxInputs)}})
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
			c.add(diag.Diagnostic{Code: CodeBadID, Subject: s.Meta.At, Path: path + ".id",
				Summary: fmt.Sprintf("quantity id %q is not a valid identifier", s.ID),
				Detail:  "a quantity's id is its name in expressions and thresholds",
				Fix:     "use letters, digits and _ only, e.g. deathsAndMissing",
				Params:  map[string]string{"id": s.ID}})
			continue
		}
		if _, dup := c.r.qByID[s.ID]; dup {
			c.add(diag.Diagnostic{Code: CodeDuplicateID, Subject: s.Meta.At, Path: path + ".id",
				Summary: fmt.Sprintf("%q is already declared", s.ID),
				Detail:  fmt.Sprintf("the first is at %s", c.r.qByID[s.ID].At),
				Fix:     "give the quantity an id no input or quantity has",
				Params:  map[string]string{"id": s.ID}})
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
		expr.MaxNodes(c.cfg.maxNodes),
		expr.Function("atLeast", c.atLeast, new(func(string, string) bool)),
	}, opts...)
	prog, err := expr.Compile(src.Value, options...)
	if err != nil {
		at, msg := src.ExprError(err)
		fix := "check the names against the inputs and quantities of grading.yaml"
		if name := unknownName(msg); name != "" {
			fix += "." + diag.Suggest(name, c.envNames())
		}
		c.add(diag.Diagnostic{Code: CodeExpr, Subject: at, Path: path,
			Summary: "expression error: " + msg,
			Fix:     fix,
			Params:  map[string]string{"expr": src.Value, "error": msg}})
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
	return slices.Sorted(maps.Keys(c.env))
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
			c.add(diag.Diagnostic{Code: CodeUnknownValue, Subject: src.SubRange(loc.From, max(loc.To, loc.From+1)), Path: path,
				Summary: fmt.Sprintf("%q is not a value of %s", str.Value, in.ID),
				Detail:  "an expression compares an enum by its value ids; the values, least severe first, are " + enumChoices(in),
				Fix:     "use one of " + enumIDs(in) + "." + diag.Suggest(str.Value, in.valueIDs()),
				Params:  map[string]string{"input": in.ID, "value": str.Value, "valid": enumIDs(in)}})
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
		return nil, fmt.Errorf("grading: atLeast: %q or %q ranks differently in two enums", x, v)
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
		c.add(diag.Diagnostic{Code: CodeNoLevels, Subject: diag.Range{Filename: c.file}, Path: "levels",
			Summary: c.file + " declares no levels",
			Fix:     "declare the levels, most severe first"})
	}
	ids := map[string]bool{}
	responses := map[string]bool{}
	for i, s := range specs {
		path := fmt.Sprintf("levels[%d]", i)
		if ids[s.ID] {
			c.add(diag.Diagnostic{Code: CodeDuplicateID, Subject: s.Meta.At, Path: path + ".id",
				Summary: fmt.Sprintf("level %q is declared twice", s.ID),
				Fix:     "give each level its own id",
				Params:  map[string]string{"id": s.ID}})
		}
		ids[s.ID] = true
		l := &Level{ID: s.ID, Name: s.Name, Aliases: aliasValues(s.Aliases), Clause: s.Clause, Text: s.Text, Baseline: s.Baseline, Interpretation: s.Interpretation, Rank: i, At: s.Meta.At}
		if s.Response != nil {
			l.Response = Response{ID: s.Response.ID, Name: s.Response.Name, Aliases: aliasValues(s.Response.Aliases), Clause: s.Response.Clause, Text: s.Response.Text}
			if responses[s.Response.ID] {
				c.add(diag.Diagnostic{Code: CodeDuplicateID, Subject: s.Response.Meta.At, Path: path + ".response.id",
					Summary: fmt.Sprintf("response level %q is used twice", s.Response.ID),
					Detail:  "a response level names the one grade that starts it (附件 8.3 pairs them one to one)",
					Fix:     "give each level its own response level",
					Params:  map[string]string{"id": s.Response.ID}})
			}
			responses[s.Response.ID] = true
		}
		if s.Authority != nil {
			l.Authority = Authority{Clause: s.Authority.Clause, Text: s.Authority.Text, Bodies: s.Authority.Bodies, Interpretation: s.Authority.Interpretation}
		}
		if s.Baseline {
			if c.r.baseline >= 0 {
				c.add(diag.Diagnostic{Code: CodeBaseline, Subject: s.Meta.At, Path: path + ".baseline",
					Summary: "two levels are marked baseline",
					Fix:     "only the least severe level can be the baseline",
					Params:  map[string]string{"level": s.ID}})
			}
			if i != len(specs)-1 {
				c.add(diag.Diagnostic{Code: CodeBaseline, Subject: s.Meta.At, Path: path + ".baseline",
					Summary: fmt.Sprintf("the baseline level %q is not the least severe", s.ID),
					Detail:  "the baseline applies when no level matches, so it must be the least severe level",
					Fix:     "move the baseline level to the end of the list (levels go most severe first)",
					Params:  map[string]string{"level": s.ID}})
			}
			c.r.baseline = i
		}
		if len(s.Criteria) == 0 && !s.Baseline {
			c.add(diag.Diagnostic{Code: CodeNoCriteria, Subject: s.Meta.At, Path: path,
				Summary: fmt.Sprintf("level %q has no criteria", s.ID),
				Fix:     "add the level's criteria, or mark it baseline: true if every incident is at least this level",
				Params:  map[string]string{"level": s.ID}})
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

// limitCriteria enforces the criteria limit over the levels and the scope
// together, at the first criterion past it.
func (c *compiler) limitCriteria() {
	all := append(append([]*Criterion(nil), c.r.criteria...), c.r.scope...)
	if limit := c.cfg.maxCriteria; len(all) > limit {
		c.add(diag.Diagnostic{Code: CodeTooManyCriteria, Subject: all[limit].At,
			Summary: fmt.Sprintf("too many criteria (%d)", len(all)),
			Detail:  fmt.Sprintf("a plan may have at most %d criteria, levels and scope together", limit),
			Fix:     "merge alternatives into one criterion with any:",
			Params:  map[string]string{"count": strconv.Itoa(len(all)), "max": strconv.Itoa(limit)}})
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
		c.add(diag.Diagnostic{Code: CodeDuplicateID, Subject: s.Meta.At, Path: path,
			Summary: fmt.Sprintf("criterion %q is declared twice (first at %s)", id, prev),
			Detail:  "a criterion's id is its clause unless id: is given; results and the lint name criteria by it",
			Fix:     "give each criterion its own clause or id (add id: when two share a clause)",
			Params:  map[string]string{"id": id, "first": prev}})
		return nil
	}
	seen[id] = path
	cr := &Criterion{ID: id, Clause: s.Clause, Text: s.Text, Also: s.Also, Interpretation: s.Interpretation, At: s.Meta.At}
	switch {
	case s.When != nil && len(s.Grades) > 0:
		c.add(diag.Diagnostic{Code: CodeCriterionForm, Subject: s.Meta.At, Path: path,
			Summary: "a criterion has both when: and grades:",
			Fix:     "keep one of when: and grades:",
			Params:  map[string]string{"criterion": id}})
		return nil
	case len(s.Grades) > 0:
		if !scope {
			c.add(diag.Diagnostic{Code: CodeCriterionForm, Subject: s.Meta.At, Path: path + ".grades",
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
				c.add(diag.Diagnostic{Code: CodeUnknownLevel, Subject: g.At, Path: fmt.Sprintf("%s.grades[%d]", path, k),
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
		c.add(diag.Diagnostic{Code: CodeCriterionForm, Subject: s.Meta.At, Path: path,
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
			c.add(diag.Diagnostic{Code: CodeContextInput, Subject: s.Key.At, Path: path,
				Summary: fmt.Sprintf("%q is a list input", s.Key.Value),
				Detail:  "a list input is context for rosters and the workflow; grading cannot use it",
				Fix:     "grade on a count, amount, enum or bool input instead",
				Params:  map[string]string{"input": s.Key.Value}})
			return nil, false
		}
		c.add(diag.Diagnostic{Code: CodeUnknownQuantity, Subject: s.Key.At, Path: path,
			Summary: fmt.Sprintf("unknown quantity %q", s.Key.Value),
			Fix:     "use an input or quantity declared in grading.yaml, or any:, all:, expr:." + diag.Suggest(s.Key.Value, append(c.quantityIDs(), condOps...)),
			Params:  map[string]string{"quantity": s.Key.Value}})
		return nil, false
	}
	cd := &Cond{Op: OpAtom, Quantity: q, Written: s.Value.Value, At: s.Value.At, refs: q.refs}
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
			c.add(diag.Diagnostic{Code: CodeUnknownValue, Subject: s.Value.At, Path: path,
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
			c.add(diag.Diagnostic{Code: CodeThreshold, Subject: s.Value.At, Path: path,
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
