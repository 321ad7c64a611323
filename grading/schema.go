package grading

import (
	"fmt"
	"strconv"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
)

// The YAML schema of grading.yaml, as decoded; doc.go is its reference.

type fileSpec struct {
	Inputs     []inputSpec    `yaml:"inputs,required"`
	Quantities []quantitySpec `yaml:"quantities"`
	Levels     []levelSpec    `yaml:"levels,required"`
	Scope      *scopeSpec     `yaml:"scope"`
	Spellings  *spellingsSpec `yaml:"spellings"`
}

// spellingsSpec declares how people write response levels and grades
// beyond their ids, names and aliases: the words they append.
type spellingsSpec struct {
	Meta      yamlx.Meta  `yaml:"-"`
	Responses *suffixSpec `yaml:"responses"`
	Levels    *suffixSpec `yaml:"levels"`
}

type suffixSpec struct {
	Meta     yamlx.Meta     `yaml:"-"`
	Suffixes []yamlx.String `yaml:"suffixes,required"`
}

type inputSpec struct {
	Meta           yamlx.Meta      `yaml:"-"`
	ID             string          `yaml:"id,required"`
	Type           yamlx.String    `yaml:"type,required"`
	Label          string          `yaml:"label"`
	Unit           string          `yaml:"unit"`
	Clause         string          `yaml:"clause"`
	Text           string          `yaml:"text"`
	Values         []enumValueSpec `yaml:"values"`
	Context        bool            `yaml:"context"`
	Flags          []string        `yaml:"flags"`
	Ref            yamlx.String    `yaml:"ref"`
	Interpretation string          `yaml:"interpretation"`
}

type enumValueSpec struct {
	Meta    yamlx.Meta     `yaml:"-"`
	ID      string         `yaml:"id,required"`
	Label   string         `yaml:"label"`
	Aliases []yamlx.String `yaml:"aliases"`
	Clause  string         `yaml:"clause"`
}

type quantitySpec struct {
	Meta           yamlx.Meta   `yaml:"-"`
	ID             string       `yaml:"id,required"`
	Label          string       `yaml:"label"`
	Unit           string       `yaml:"unit"`
	Clause         string       `yaml:"clause"`
	Text           string       `yaml:"text"`
	Expr           yamlx.String `yaml:"expr,required"`
	Interpretation string       `yaml:"interpretation"`
}

type levelSpec struct {
	Meta           yamlx.Meta      `yaml:"-"`
	ID             string          `yaml:"id,required"`
	Name           string          `yaml:"name,required"`
	Aliases        []yamlx.String  `yaml:"aliases"`
	Clause         string          `yaml:"clause"`
	Text           string          `yaml:"text"`
	Response       *responseSpec   `yaml:"response"`
	Authority      *authoritySpec  `yaml:"authority"`
	Baseline       bool            `yaml:"baseline"`
	Interpretation string          `yaml:"interpretation"`
	Criteria       []criterionSpec `yaml:"criteria,limit=criteria"`
}

type responseSpec struct {
	Meta    yamlx.Meta     `yaml:"-"`
	ID      string         `yaml:"id,required"`
	Name    string         `yaml:"name"`
	Aliases []yamlx.String `yaml:"aliases"`
	Clause  string         `yaml:"clause"`
	Text    string         `yaml:"text"`
}

type authoritySpec struct {
	Meta           yamlx.Meta `yaml:"-"`
	Clause         string     `yaml:"clause"`
	Text           string     `yaml:"text"`
	Bodies         []string   `yaml:"bodies,required"`
	Interpretation string     `yaml:"interpretation"`
}

type criterionSpec struct {
	Meta           yamlx.Meta     `yaml:"-"`
	ID             string         `yaml:"id"`
	Clause         string         `yaml:"clause,required"`
	Text           string         `yaml:"text"`
	Also           []string       `yaml:"also"`
	When           *condSpec      `yaml:"when"`
	Grades         []yamlx.String `yaml:"grades"`
	Interpretation string         `yaml:"interpretation"`
}

type scopeSpec struct {
	Meta           yamlx.Meta      `yaml:"-"`
	Clause         string          `yaml:"clause"`
	Text           string          `yaml:"text"`
	Interpretation string          `yaml:"interpretation"`
	Criteria       []criterionSpec `yaml:"criteria,required,limit=criteria"`
}

// condSpec is a condition as written: a mapping whose keys are either the
// operators any, all and expr, or quantity ids with a threshold each
// (several quantity keys in one mapping must all hold).
type condSpec struct {
	Meta  yamlx.Meta
	Op    string // "any", "all", "expr", "atom"
	Kids  []condSpec
	Key   yamlx.String // atom: the quantity id
	Value yamlx.String // atom: the threshold as written
	Expr  yamlx.String
}

var condOps = []string{"any", "all", "expr"}

// UnmarshalYAMLX decodes a condition.
func (c *condSpec) UnmarshalYAMLX(d *yamlx.Decoder, n *yamlx.Node, path string) {
	c.Meta = d.Meta(n)
	if n.Kind != yamlx.MappingNode {
		condError(d, n, diag.Diagnostic{Code: CodeConditionKind, Path: path,
			Summary: "a condition must be a mapping",
			Fix:     `write a mapping such as "deaths: 3 人以上", or any:/all: with a list, or expr: with an expression`})
		return
	}
	var atoms []condSpec
	var ops []condSpec
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		kp := path + "." + k.Value
		switch k.Value {
		case "any", "all":
			sub := condSpec{Op: k.Value, Meta: d.Meta(k)}
			if v.Kind != yamlx.SequenceNode || len(v.Content) == 0 {
				condError(d, v, diag.Diagnostic{Code: CodeConditionKind, Path: kp,
					Summary: k.Value + " must be a list of conditions",
					Fix:     `write a non-empty list of conditions, one per line starting with "- "`,
					Params:  map[string]string{"op": k.Value}})
				continue
			}
			sub.Kids = make([]condSpec, len(v.Content))
			for j, e := range v.Content {
				sub.Kids[j].UnmarshalYAMLX(d, e, kp+"["+strconv.Itoa(j)+"]")
			}
			ops = append(ops, sub)
		case "expr":
			sub := condSpec{Op: "expr", Meta: d.Meta(v)}
			if v.Kind != yamlx.ScalarNode {
				condError(d, v, diag.Diagnostic{Code: CodeConditionKind, Path: kp,
					Summary: "expr must be a string",
					Fix:     "write the expression as one string",
					Params:  map[string]string{"op": "expr"}})
				continue
			}
			sub.Expr = yamlx.String{Value: v.Value, Meta: sub.Meta}
			ops = append(ops, sub)
		default:
			meta := d.Meta(v)
			if v.Kind != yamlx.ScalarNode {
				condError(d, v, diag.Diagnostic{Code: CodeConditionKind, Path: kp,
					Summary: fmt.Sprintf("the threshold of %q must be a single value", k.Value),
					Fix:     `write the threshold as the plan does, e.g. "10 人以上、30 人以下"`,
					Params:  map[string]string{"quantity": k.Value}})
				continue
			}
			atoms = append(atoms, condSpec{
				Op:    "atom",
				Meta:  meta,
				Key:   yamlx.String{Value: k.Value, Meta: d.Meta(k)},
				Value: yamlx.String{Value: v.Value, Meta: meta},
			})
		}
	}
	switch {
	case len(ops) == 0 && len(atoms) == 0:
		condError(d, n, diag.Diagnostic{Code: CodeEmptyCondition, Path: path,
			Summary: "the condition is empty",
			Fix:     `write at least one condition, such as "deaths: 3 人以上"`})
	case len(ops)+len(atoms) == 1 && len(ops) == 1:
		*c = ops[0]
	case len(ops)+len(atoms) == 1:
		*c = atoms[0]
	default:
		// Several keys in one mapping must all hold.
		c.Op = "all"
		c.Kids = append(ops, atoms...)
	}
}

// condError records an Error diagnostic about node n.
func condError(d *yamlx.Decoder, n *yamlx.Node, dg diag.Diagnostic) {
	dg.Severity, dg.Subject = diag.Error, d.File.Range(n)
	d.Diags = append(d.Diags, dg)
}

// fileTables are the field tables of fileSpec, built once.
var fileTables = yamlx.TablesFor((*fileSpec)(nil))
