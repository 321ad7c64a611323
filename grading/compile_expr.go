package grading

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/checker"
	exprcompiler "github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/optimizer"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
	"github.com/yingji/yingji/diag"
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

// compileExpr compiles src in the plan's environment, mapping any error to
// its position in the YAML file. opts may only set what the result must be
// (expr.AsBool, expr.AsFloat64).
func (c *compiler) compileExpr(src yamlx.String, path string, opts ...expr.Option) (*vm.Program, bool) {
	config := *c.exprConfig()
	for _, o := range opts {
		o(&config)
	}
	// What expr.Compile does, with the configuration built once, and the
	// tree as parsed kept for checkEnumLiterals.
	var enums diag.Diagnostics
	prog, err := func() (*vm.Program, error) {
		tree, err := parser.ParseWithConfig(src.Value, &config)
		if err != nil {
			return nil, err
		}
		before := len(c.diags)
		c.checkEnumLiterals(tree.Node, src, path)
		enums = slices.Clone(c.diags[before:])
		c.diags = c.diags[:before]
		if _, err := checker.Check(tree, &config); err != nil {
			return nil, err
		}
		if config.Optimize {
			if err := optimizer.Optimize(&tree.Node, &config); err != nil {
				var fe *file.Error
				if errors.As(err, &fe) {
					return nil, fe.Bind(tree.Source)
				}
				return nil, err
			}
		}
		return exprcompiler.Compile(tree, &config)
	}()
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
	c.diags = append(c.diags, enums...)
	return prog, true
}

// exprConfig is the expr configuration of the plan's environment, built
// again only when the environment has grown (a quantity declared).
func (c *compiler) exprConfig() *conf.Config {
	if c.exprConf != nil && c.envSize == len(c.env) {
		return c.exprConf
	}
	config := conf.CreateNew()
	for _, op := range []expr.Option{
		expr.Env(c.env),
		expr.MaxNodes(c.cfg.maxNodes),
		expr.Function("atLeast", c.atLeast, new(func(string, string) bool)),
	} {
		op(config)
	}
	for name := range config.Disabled {
		delete(config.Builtins, name)
	}
	config.Check()
	c.exprConf, c.envSize = config, len(c.env)
	return config
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
