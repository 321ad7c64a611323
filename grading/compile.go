package grading

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/parser"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/exprx"
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
	// criteriaCut is set when criteria past MaxCriteria were left out,
	// so that a level left with none is not blamed for it.
	criteriaCut bool
	// exprConf is the expr configuration of env as it was with envSize
	// names (env only grows), shared by the expressions compiled then.
	exprConf *exprx.Config
	envSize  int
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
	// Criteria past the limit are counted, not decoded: a file of 428,000
	// criteria costs what the first MaxCriteria do.
	cut := false
	ds := f.DecodeWith(fileTables, &spec, yamlx.Limit{Name: "criteria", Max: cfg.maxCriteria, Exceeded: func(at diag.Range, total int) diag.Diagnostic {
		cut = true
		return tooManyCriteria(at, total, cfg.maxCriteria)
	}})
	c := &compiler{
		file:      f.Name,
		r:         &Rules{conv: cfg.conv, maxNodes: cfg.maxNodes, memoryBudget: cfg.memoryBudget, maxExprLen: cfg.maxExprLen, byID: map[string]*Input{}, qByID: map[string]*Quantity{}, baseline: -1, native: true},
		cfg:       cfg,
		env:       map[string]any{},
		enumRank:  map[string]int{},
		ambiguous: map[string]bool{},
	}
	c.diags = ds
	c.criteriaCut = cut
	c.inputs(spec.Inputs)
	c.quantities(spec.Quantities)
	c.levels(spec.Levels)
	c.spellings(spec.Spellings, spec.Levels)
	c.scope(spec.Scope)
	c.limitCriteria()
	c.diags = append(c.diags, f.Interpretations()...)
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
		path := "inputs[" + strconv.Itoa(i) + "]"
		if !idRE.MatchString(s.ID) {
			c.add(diag.Diagnostic{Code: CodeBadID, Subject: s.Meta.At(), Path: path + ".id",
				Summary: fmt.Sprintf("input id %q is not a valid identifier", s.ID),
				Detail:  "an input's id is its JSON name and its name in expressions",
				Fix:     "use letters, digits and _ only, starting with a letter, e.g. seriousInjuries",
				Params:  map[string]string{"id": s.ID}})
			continue
		}
		if _, dup := c.r.byID[s.ID]; dup {
			c.add(diag.Diagnostic{Code: CodeDuplicateID, Subject: s.Meta.At(), Path: path + ".id",
				Summary: fmt.Sprintf("input %q is declared twice", s.ID),
				Detail:  fmt.Sprintf("the first is at %s", c.r.byID[s.ID].At),
				Fix:     "give each input its own id",
				Params:  map[string]string{"id": s.ID}})
			continue
		}
		t, ok := typeByName[s.Type.Value]
		if !ok {
			c.add(diag.Diagnostic{Code: CodeUnknownType, Subject: s.Type.At(), Path: path + ".type",
				Summary: fmt.Sprintf("unknown input type %q", s.Type.Value),
				Fix:     "use one of count, amount, enum, bool, list." + diag.Suggest(s.Type.Value, slices.Sorted(maps.Keys(typeByName))),
				Params:  map[string]string{"type": s.Type.Value, "valid": "count, amount, enum, bool, list"}})
			continue
		}
		in := &Input{ID: s.ID, Type: t, Label: s.Label, Unit: s.Unit, Clause: s.Clause, Text: s.Text, Context: s.Context || t == List,
			Interpretation: s.Interpretation, Flags: s.Flags, Ref: s.Ref.Value, RefAt: s.Ref.At(), At: s.Meta.At(), index: -1}
		if in.Ref != "" && t != List {
			c.add(diag.Diagnostic{Code: CodeRefNotList, Subject: s.Ref.At(), Path: path + ".ref",
				Summary: "only list inputs refer to other data",
				Fix:     "remove ref:, or make the input type: list",
				Params:  map[string]string{"input": s.ID, "ref": in.Ref}})
		}
		switch t {
		case Enum:
			if len(s.Values) < 2 {
				c.add(diag.Diagnostic{Code: CodeEnumValues, Subject: s.Meta.At(), Path: path + ".values",
					Summary: fmt.Sprintf("enum input %q needs values", s.ID),
					Fix:     "list at least two values, least severe first",
					Params:  map[string]string{"input": s.ID}})
			}
			seen := map[string]bool{}
			for j, v := range s.Values {
				if seen[v.ID] {
					c.add(diag.Diagnostic{Code: CodeDuplicateID, Subject: v.Meta.At(), Path: path + ".values[" + strconv.Itoa(j) + "]",
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
			c.add(diag.Diagnostic{Code: CodeEnumValues, Subject: s.Meta.At(), Path: path + ".values",
				Summary: "only enum inputs have values",
				Fix:     "remove values, or make the input type: enum",
				Params:  map[string]string{"input": s.ID, "type": t.String()}})
		}
		if t != List {
			if n == MaxInputs {
				c.add(diag.Diagnostic{Code: CodeTooManyInputs, Subject: s.Meta.At(), Path: path,
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
		path := "quantities[" + strconv.Itoa(i) + "]"
		if !idRE.MatchString(s.ID) {
			c.add(diag.Diagnostic{Code: CodeBadID, Subject: s.Meta.At(), Path: path + ".id",
				Summary: fmt.Sprintf("quantity id %q is not a valid identifier", s.ID),
				Detail:  "a quantity's id is its name in expressions and thresholds",
				Fix:     "use letters, digits and _ only, e.g. deathsAndMissing",
				Params:  map[string]string{"id": s.ID}})
			continue
		}
		if _, dup := c.r.qByID[s.ID]; dup {
			c.add(diag.Diagnostic{Code: CodeDuplicateID, Subject: s.Meta.At(), Path: path + ".id",
				Summary: fmt.Sprintf("%q is already declared", s.ID),
				Detail:  fmt.Sprintf("the first is at %s", c.r.qByID[s.ID].At),
				Fix:     "give the quantity an id no input or quantity has",
				Params:  map[string]string{"id": s.ID}})
			continue
		}
		prog, _, ok := c.compileExpr(s.Expr, path+".expr", true, expr.AsFloat64())
		if !ok {
			continue
		}
		q := &Quantity{ID: s.ID, Label: s.Label, Unit: s.Unit, Clause: s.Clause, Text: s.Text, Expr: s.Expr.Value,
			Interpretation: s.Interpretation, Type: Amount, At: s.Meta.At(), index: len(c.r.quantities)}
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

func (c *compiler) levels(specs []levelSpec) {
	if len(specs) == 0 {
		c.add(diag.Diagnostic{Code: CodeNoLevels, Subject: diag.Range{Filename: c.file, Start: diag.Pos{Line: 1, Column: 1}, End: diag.Pos{Line: 1, Column: 2, Byte: 1}}, Path: "levels",
			Summary: c.file + " declares no levels",
			Fix:     "declare the levels, most severe first"})
	}
	ids := map[string]diag.Range{}
	responses := map[string]bool{}
	for i, s := range specs {
		path := "levels[" + strconv.Itoa(i) + "]"
		if first, dup := ids[s.ID]; dup {
			c.add(diag.Diagnostic{Code: CodeDuplicateID, Subject: s.Meta.At(), Path: path + ".id",
				Summary: fmt.Sprintf("level %q is declared twice", s.ID),
				Detail:  fmt.Sprintf("the first is at %s", first),
				Fix:     "give each level its own id",
				Params:  map[string]string{"id": s.ID, "first": first.String()}})
		} else {
			ids[s.ID] = s.Meta.At()
		}
		l := &Level{ID: s.ID, Name: s.Name, Aliases: aliasValues(s.Aliases), Clause: s.Clause, Text: s.Text, Baseline: s.Baseline, Interpretation: s.Interpretation, Rank: i, At: s.Meta.At()}
		if s.Response != nil {
			l.Response = Response{ID: s.Response.ID, Name: s.Response.Name, Aliases: aliasValues(s.Response.Aliases), Clause: s.Response.Clause, Text: s.Response.Text}
			if responses[s.Response.ID] {
				c.add(diag.Diagnostic{Code: CodeDuplicateID, Subject: s.Response.Meta.At(), Path: path + ".response.id",
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
				c.add(diag.Diagnostic{Code: CodeBaseline, Subject: s.Meta.At(), Path: path + ".baseline",
					Summary: "two levels are marked baseline",
					Fix:     "only the least severe level can be the baseline",
					Params:  map[string]string{"level": s.ID}})
			}
			if i != len(specs)-1 {
				c.add(diag.Diagnostic{Code: CodeBaseline, Subject: s.Meta.At(), Path: path + ".baseline",
					Summary: fmt.Sprintf("the baseline level %q is not the least severe", s.ID),
					Detail:  "the baseline applies when no level matches, so it must be the least severe level",
					Fix:     "move the baseline level to the end of the list (levels go most severe first)",
					Params:  map[string]string{"level": s.ID}})
			}
			c.r.baseline = i
		}
		if len(s.Criteria) == 0 && !s.Baseline && !c.criteriaCut {
			c.add(diag.Diagnostic{Code: CodeNoCriteria, Subject: s.Meta.At(), Path: path,
				Summary: fmt.Sprintf("level %q has no criteria", s.ID),
				Fix:     "add the level's criteria, or mark it baseline: true if every incident is at least this level",
				Params:  map[string]string{"level": s.ID}})
		}
		c.r.levels = append(c.r.levels, l)
	}
	crit := map[string]declared{}
	for i, s := range specs {
		l := c.r.levels[i]
		for j, cs := range s.Criteria {
			path := "levels[" + strconv.Itoa(i) + "].criteria[" + strconv.Itoa(j) + "]"
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
// together, at the first criterion past it. Decoding already stops there
// (compileFile); this holds the limit for rules built any other way.
func (c *compiler) limitCriteria() {
	all := append(append([]*Criterion(nil), c.r.criteria...), c.r.scope...)
	if limit := c.cfg.maxCriteria; len(all) > limit {
		c.add(tooManyCriteria(all[limit].At, len(all), limit))
	}
}

// tooManyCriteria is the diagnostic of a file with more criteria than the
// limit, at the first one past it.
func tooManyCriteria(at diag.Range, total, limit int) diag.Diagnostic {
	return diag.Diagnostic{Severity: diag.Error, Code: CodeTooManyCriteria, Subject: at,
		Summary: fmt.Sprintf("too many criteria (%d)", total),
		Detail:  fmt.Sprintf("a plan may have at most %d criteria, levels and scope together; those past the limit were not read", limit),
		Fix:     "merge alternatives into one criterion with any:",
		Params:  map[string]string{"count": strconv.Itoa(total), "max": strconv.Itoa(limit)}}
}

func (c *compiler) scope(s *scopeSpec) {
	if s == nil {
		return
	}
	c.r.scopeInfo = Scope{Clause: s.Clause, Text: s.Text, Interpretation: s.Interpretation}
	crit := map[string]declared{}
	for i, cs := range s.Criteria {
		cr := c.criterion(cs, fmt.Sprintf("scope.criteria[%d]", i), crit, true)
		if cr == nil {
			continue
		}
		cr.index = len(c.r.scope)
		c.r.scope = append(c.r.scope, cr)
	}
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
