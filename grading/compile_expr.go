package grading

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/exprx"
	"github.com/yingji/yingji/internal/yamlx"
)

// The expr side of compiling: every criterion and derived quantity is an
// expr program, type-checked in the plan's environment, and the structure
// the native evaluator uses (sums of inputs, the inputs an expression
// reads) is read off its syntax tree.

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

// compileExpr compiles src in the plan's environment under exprx's rules
// (no impure functions, a static bound on memory and steps), mapping any
// refusal to its position in the YAML file. written is false for the
// source compiled from a structured condition, which is as long as the
// thresholds it was made from: the length limit is for what an author
// writes as expr:. opts may only set what the result must be
// (expr.AsBool, expr.AsFloat64).
func (c *compiler) compileExpr(src yamlx.String, path string, written bool, opts ...expr.Option) (*vm.Program, uint32, bool) {
	lim := exprx.Limits{MaxLength: c.cfg.maxExprLen, MemoryBudget: c.cfg.memoryBudget, MaxEnvString: c.maxEnvString()}
	if !written {
		lim.MaxLength = max(lim.MaxLength, utf8.RuneCountInString(src.Value))
	}
	// The checked tree, as written, gives the inputs the expression reads
	// and, for an expression of the file, its enum literals to check.
	before := len(c.diags)
	var refs uint32
	prog, err := c.exprConfig().CompileInspect(src.Value, lim, func(n ast.Node) {
		refs = c.refsOf(n)
		if written {
			c.checkEnumLiterals(n, src, path)
		}
	}, opts...)
	if err != nil {
		c.diags = c.diags[:before]
		c.exprError(src, path, err)
		return nil, 0, false
	}
	return prog, refs, true
}

// exprError reports why exprx refused an expression.
func (c *compiler) exprError(src yamlx.String, path string, err *exprx.Error) {
	d := diag.Diagnostic{Path: path, Summary: "expression error: " + err.Message, Fix: err.Fix,
		Params: map[string]string{"expr": clipRunes(src.Value, 200), "error": err.Message}}
	maps.Copy(d.Params, err.Params)
	if err.Kind != exprx.KindTooLong {
		d.Subject = src.SubRange(err.From, err.To)
	}
	switch err.Kind {
	case exprx.KindTooLong:
		// The whole value, without mapping its runes: it may be megabytes.
		d.Code, d.Subject = CodeExprTooLong, src.At()
		d.Summary = "expression too long: " + err.Message
	case exprx.KindImpure:
		d.Code = CodeExprImpure
		d.Detail = "a criterion or a quantity reads the facts grading.yaml declares and calls pure functions; the functions that are not allowed are now, date, timezone, keys, values and toPairs"
	case exprx.KindOverBudget:
		d.Code = CodeExprBudget
		d.Detail = fmt.Sprintf("one evaluation may allocate %d units of memory (a byte of a string, an element of a list) and take %d loop steps; the bound is worked out from the expression at load, so that no incident can make it run out of memory", c.cfg.memoryBudget, exprx.StepsPerBudgetUnit*c.cfg.memoryBudget)
	default:
		d.Code = CodeExpr
		d.Fix = "check the names against the inputs and quantities of grading.yaml"
		if name := unknownName(err.Message); name != "" {
			d.Fix += "." + diag.Suggest(name, c.envNames())
		}
	}
	c.add(d)
}

// maxEnvString is the longest string an expression's environment holds:
// the longest enum value id.
func (c *compiler) maxEnvString() int {
	n := 1
	for _, in := range c.r.inputs {
		for _, v := range in.Values {
			n = max(n, len(v.ID))
		}
	}
	return n
}

// clipRunes cuts s to at most n runes, marking the cut with "…".
func clipRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}

// exprConfig is the expr configuration of the plan's environment, built
// again only when the environment has grown (a quantity declared).
func (c *compiler) exprConfig() *exprx.Config {
	if c.exprConf != nil && c.envSize == len(c.env) {
		return c.exprConf
	}
	c.exprConf = exprx.NewConfig(
		expr.Env(c.env),
		expr.MaxNodes(c.cfg.maxNodes),
		expr.Function("atLeast", c.atLeast, new(func(string, string) bool)),
	)
	c.envSize = len(c.env)
	return c.exprConf
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
