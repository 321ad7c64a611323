// Package exprx is the one rule for what an expression in a plan may do,
// shared by grading criteria and workflow guards: it may read what the
// data declares and call pure, deterministic functions, and one
// evaluation of it may take only so much memory and so many steps.
//
// Compile checks an expression in four stages, each refusing with an
// *Error that points at the runes at fault:
//
//  1. its length (Limits.MaxLength runes), before anything is parsed, so
//     that a 10 MB literal costs nothing;
//  2. the functions it calls: expr's builtins that read the clock, the
//     local time zone or the zoneinfo files (now, date, timezone), or whose
//     result depends on Go's map order (keys, values, toPairs), are refused
//     (KindImpure); every other builtin is pure (PureBuiltins);
//  3. expr's own parser and type checker, under the caller's options;
//  4. a static bound on what one evaluation can allocate that expr's
//     memory budget does not see before the allocation happens (repeat,
//     replace, join, string concatenation, toJSON, …, and loops that
//     repeat them), and on the steps its loops can take. An expression
//     whose bound is over the budget is refused at load (KindOverBudget),
//     rather than left to ask for 100 GB at run time.
//
// What the static bound leaves to run time — ranges, arrays and maps
// that expr counts against Limits.MemoryBudget before it makes them —
// Run enforces: a budget overrun is an error, never a panic and never a
// value.
//
// Everything here is stateless: Compile and Run are safe for concurrent
// use, and a compiled program may be run from any number of goroutines.
package exprx

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/optimizer"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// The defaults a caller builds its Limits from.
const (
	// DefaultMaxLength is the longest expression, in runes: far more than
	// any criterion or guard needs (the longest in the embedded plans is
	// under 200), far less than a literal that costs memory to compile.
	DefaultMaxLength = 4096
	// DefaultMemoryBudget is what one evaluation may allocate, in expr's
	// units (an element of an array or map, a byte of a string).
	DefaultMemoryBudget uint = 100_000
	// StepsPerBudgetUnit sets the default step limit: 10 loop iterations
	// per unit of the memory budget (1,000,000 at the default budget),
	// milliseconds of work.
	StepsPerBudgetUnit = 10
	// DefaultMaxEnvString and DefaultMaxEnvElems are what the static
	// bound assumes of the environment when the caller does not say.
	DefaultMaxEnvString = 4096
	DefaultMaxEnvElems  = 1024
)

// Limits bound one expression and one evaluation of it.
//
// Concurrency: a plain value, safe to copy and share.
type Limits struct {
	// MaxLength is the longest source, in runes (0: DefaultMaxLength).
	MaxLength int
	// MemoryBudget is what one evaluation may allocate, in expr's units
	// (0: DefaultMemoryBudget). It is both the budget expr's VM enforces
	// at run time and the static bound, in bytes, on what the VM does not
	// count before it allocates.
	MemoryBudget uint
	// MaxSteps bounds the loop iterations of one evaluation, statically
	// (0: StepsPerBudgetUnit × MemoryBudget).
	MaxSteps uint
	// MaxEnvString is the longest string, in bytes, the environment can
	// hold (an enum value id, an actor name); 0: DefaultMaxEnvString.
	// The static bound takes every string of the environment, or that a
	// declared function returns, at this size.
	MaxEnvString int
	// MaxEnvElems is the most elements a list or map of the environment
	// can hold; 0: DefaultMaxEnvElems.
	MaxEnvElems int
}

func (l Limits) withDefaults() Limits {
	if l.MaxLength <= 0 {
		l.MaxLength = DefaultMaxLength
	}
	if l.MemoryBudget == 0 {
		l.MemoryBudget = DefaultMemoryBudget
	}
	if l.MaxSteps == 0 {
		l.MaxSteps = StepsPerBudgetUnit * l.MemoryBudget
	}
	if l.MaxEnvString <= 0 {
		l.MaxEnvString = DefaultMaxEnvString
	}
	if l.MaxEnvElems <= 0 {
		l.MaxEnvElems = DefaultMaxEnvElems
	}
	return l
}

// Kind says which stage refused an expression.
//
// Concurrency: a plain value, safe to copy and share.
type Kind int

const (
	// KindNone is the zero Kind.
	KindNone Kind = iota
	// KindTooLong: the source is longer than Limits.MaxLength runes.
	KindTooLong
	// KindImpure: the expression calls a builtin that reads the clock,
	// the time zone or files, or depends on map order, or one this
	// package does not know.
	KindImpure
	// KindExpr: expr's parser or type checker refused it.
	KindExpr
	// KindOverBudget: one evaluation could allocate more than the memory
	// budget, or loop more than MaxSteps times.
	KindOverBudget
)

var kindNames = [...]string{"none", "too-long", "impure", "expr", "over-budget"}

func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return kindNames[0]
	}
	return kindNames[k]
}

// Error is why an expression was refused. From and To are rune offsets
// into the source, for the caller to map onto its file.
//
// Concurrency: once returned, safe to read from any goroutine.
type Error struct {
	Kind     Kind
	From, To int
	// Func is the function or operator at fault, when there is one.
	Func    string
	Message string
	Fix     string
	// Params are the values Message is built from.
	Params map[string]string
}

func (e *Error) Error() string { return "exprx: " + e.Message }

// impure are the builtins a plan's expression may not call, with why.
var impure = map[string]string{
	"now":      "it reads the clock, so the answer would depend on when it is asked",
	"date":     "it reads the local time zone (or, given a zone, the zoneinfo files), so the answer would depend on the machine",
	"timezone": "it reads the zoneinfo files, so the answer would depend on the machine",
	"keys":     "it lists a map in Go's map order, which changes from run to run",
	"values":   "it lists a map in Go's map order, which changes from run to run",
	"toPairs":  "it lists a map in Go's map order, which changes from run to run",
}

// Impure reports whether name is one of expr's builtins a plan's
// expression may not call, and why. Every other builtin is pure and
// deterministic (PureBuiltins).
func Impure(name string) (why string, ok bool) {
	why, ok = impure[name]
	return why, ok
}

// PureBuiltins lists expr's builtins a plan's expression may call,
// sorted: every builtin but those Impure names. duration("1h") is pure;
// date(s) is not, since without a zone it reads time.Local.
func PureBuiltins() []string {
	var out []string
	for _, name := range parserBuiltins() {
		if _, bad := impure[name]; !bad {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Options are the expr options every plan expression is compiled with:
// the impure builtins disabled. Compile adds them itself; a caller that
// compiles with expr directly adds them too.
func Options() []expr.Option {
	out := make([]expr.Option, 0, len(impure))
	for _, name := range slices.Sorted(maps.Keys(impure)) {
		out = append(out, expr.DisableBuiltin(name))
	}
	return out
}

// Compile compiles src with opts (expr.Env, expr.AsBool, expr.Function,
// expr.MaxNodes, …) after checking its length and the functions it calls,
// and then bounds what one evaluation can take. Every refusal is an
// *Error. NewConfig and Config.Compile do the same for many expressions
// in one environment, with the configuration built once.
func Compile(src string, lim Limits, opts ...expr.Option) (*vm.Program, *Error) {
	return NewConfig(opts...).Compile(src, lim)
}

// Config is an expr configuration for the expressions of one environment
// — the impure builtins disabled, then the caller's options — built once:
// building it (expr.Env reads the environment's types) costs more than
// compiling a short expression.
//
// Concurrency: Compile may be called from one goroutine at a time; the
// Config is not changed by it.
type Config struct{ cfg *conf.Config }

// NewConfig builds the configuration of Compile's options opts.
func NewConfig(opts ...expr.Option) *Config {
	cfg := conf.CreateNew()
	for _, o := range Options() {
		o(cfg)
	}
	for _, o := range opts {
		o(cfg)
	}
	for name := range cfg.Disabled {
		delete(cfg.Builtins, name)
	}
	cfg.Check()
	return &Config{cfg: cfg}
}

// Compile compiles src as the package function Compile does, in c with
// expect: options that set only what the result must be (expr.AsBool,
// expr.AsFloat64), applied to a copy of c.
func (c *Config) Compile(src string, lim Limits, expect ...expr.Option) (*vm.Program, *Error) {
	return c.CompileInspect(src, lim, nil, expect...)
}

// CompileInspect is Compile that also hands the checked tree, as written
// (before expr's optimizer rewrites it), to inspect: for a caller's own
// checks of names and literals, without parsing src a second time. It is
// called when src has passed the checks, before expr optimizes and
// compiles it; should that fail (it does not for a checked tree), the
// caller is to drop what inspect found.
func (c *Config) CompileInspect(src string, lim Limits, inspect func(ast.Node), expect ...expr.Option) (*vm.Program, *Error) {
	lim = lim.withDefaults()
	if n := utf8.RuneCountInString(src); n > lim.MaxLength {
		// Counting stops being cheap only far past the limit; no more
		// of the source than this is looked at.
		return nil, &Error{Kind: KindTooLong, From: 0, To: lim.MaxLength,
			Message: fmt.Sprintf("the expression is %d characters long; the limit is %d", n, lim.MaxLength),
			Fix:     "write a shorter expression: name a derived quantity for a part of it, or split the criterion",
			Params:  map[string]string{"length": strconv.Itoa(n), "max": strconv.Itoa(lim.MaxLength)}}
	}
	cfg := c.cfg
	if len(expect) > 0 {
		cp := *c.cfg
		for _, o := range expect {
			o(&cp)
		}
		cfg = &cp
	}
	// What expr.Compile does, step by step, so that the static bound sees
	// the checked tree before expr's optimizer rewrites it: the checks
	// name what the author wrote (count(…) > 0, not the any(…) expr turns
	// it into), and an optimization only ever does less.
	tree, err := checker.ParseCheck(src, cfg)
	if err != nil {
		// An impure builtin is disabled, so the checker calls it an
		// unknown name; say why instead.
		if t, perr := parser.ParseWithConfig(src, cfg); perr == nil {
			if e := impureCall(t.Node, cfg); e != nil {
				return nil, e
			}
		}
		return nil, exprError(err)
	}
	if e := bound(tree.Node, lim); e != nil {
		return nil, e
	}
	if inspect != nil {
		inspect(tree.Node)
	}
	// The rest of expr.Compile, on the tree already checked.
	if cfg.Optimize {
		if err := optimizer.Optimize(&tree.Node, cfg); err != nil {
			var fe *file.Error
			if errors.As(err, &fe) {
				err = fe.Bind(tree.Source)
			}
			return nil, exprError(err)
		}
	}
	prog, err := compiler.Compile(tree, cfg)
	if err != nil {
		return nil, exprError(err)
	}
	return prog, nil
}

// exprError is expr's refusal of an expression.
func exprError(err error) *Error {
	e := &Error{Kind: KindExpr, From: 0, To: 1, Message: err.Error()}
	var fe *file.Error
	if errors.As(err, &fe) {
		e.From, e.To, e.Message = fe.From, max(fe.To, fe.From+1), fe.Message
	}
	e.Params = map[string]string{"error": e.Message}
	return e
}

// impureCall finds the first call of an impure builtin that the
// environment and the caller's functions do not override.
func impureCall(root ast.Node, cfg *conf.Config) *Error {
	var found *Error
	ast.Find(root, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		var name string
		switch n := n.(type) {
		case *ast.BuiltinNode:
			name = n.Name
		case *ast.CallNode:
			id, ok := n.Callee.(*ast.IdentifierNode)
			if !ok || cfg.IsOverridden(id.Value) {
				return false
			}
			name = id.Value
		default:
			return false
		}
		why, bad := impure[name]
		if !bad {
			return false
		}
		loc := n.Location()
		found = &Error{Kind: KindImpure, From: loc.From, To: max(loc.From+len([]rune(name)), loc.To), Func: name,
			Message: fmt.Sprintf("%s() may not be called: %s", name, why),
			Fix:     "an expression may use the facts the data declares and pure functions only; give a time or a date as an input instead",
			Params:  map[string]string{"function": name, "why": why}}
		return true
	})
	return found
}

// Run evaluates prog over env under the memory budget. A failure of any
// kind — a budget overrun, an index out of range, a division of integers
// by zero — is an error, never a panic and never a value.
func Run(prog *vm.Program, env any, budget uint) (any, error) {
	if budget == 0 {
		budget = DefaultMemoryBudget
	}
	machine := vm.VM{MemoryBudget: budget}
	return machine.Run(prog, env)
}

// parserBuiltins lists every builtin expr knows.
func parserBuiltins() []string {
	out := make([]string, 0, len(builtin.Builtins))
	for _, f := range builtin.Builtins {
		out = append(out, f.Name)
	}
	return out
}
