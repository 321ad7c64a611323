package yingji

import (
	"fmt"
	"maps"
	"slices"

	"github.com/yingji/yingji/analysis"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
)

// Lint analyses the whole plan and returns every finding, sorted by
// position, each once:
//
//   - the findings its parts reported as it loaded (p.Warnings, where the
//     orgchart's and workflow's validation findings appear);
//   - the grading findings of analysis.LintRules;
//   - the rows of plan.yaml's index of rule-bearing clauses that no item of
//     plan.yaml, grading, the orgchart or the workflow cites
//     (analysis.UncitedClauses);
//   - every interpretation: note of every file (diag.CodeInterpretation),
//     as a to-do for the next revision, each once.
//
// The result is never nil: a clean plan lints to an empty list. Lint is
// safe for concurrent use.
func (p *Plan) Lint() diag.Diagnostics {
	ds := slices.Clone(p.Warnings)
	refs := []analysis.ClauseReferrer{analysis.Citations{Files: []string{"plan"}, Clauses: p.Manifest.citations()}}
	if p.Grading != nil {
		for _, f := range analysis.LintRules(p.Grading) {
			ds = append(ds, f.Diagnostic)
		}
		refs = append(refs, analysis.GradingCitations(p.Grading))
	}
	// The parts that cite clauses, listed one by one: a part added to Plan
	// is added here too.
	if p.Orgchart != nil {
		refs = append(refs, p.Orgchart)
	}
	if p.Workflow != nil {
		refs = append(refs, p.Workflow)
	}
	ds = append(ds, analysis.UncitedClauses(p.Manifest.clauseIndex(), refs...)...)
	ds = append(ds, p.interpretations()...)
	ds = once(ds)
	ds.Sort()
	return ds
}

// interpretations lists the interpretation: notes of every file of the
// plan, from the one collector (yamlx.File.Interpretations). The files
// whose Compile already reported their notes in p.Warnings (the orgchart,
// contacts and workflow today) give the same diagnostics, which once
// drops; plan.yaml's and grading.yaml's are listed only from here until
// the loader and grading.Compile report them.
func (p *Plan) interpretations() diag.Diagnostics {
	var out diag.Diagnostics
	for _, name := range slices.Sorted(maps.Keys(p.Sources)) {
		f, ds := yamlx.Parse(name, p.Sources[name])
		if f == nil || ds.HasErrors() {
			continue
		}
		out = append(out, f.Interpretations()...)
	}
	return out
}

// once keeps the first of the diagnostics that say the same thing at the
// same place (severity, code, position, path and summary): the same
// finding reported twice, such as an interpretation note a Compile
// reported and Lint collected again.
func once(ds diag.Diagnostics) diag.Diagnostics {
	type key struct {
		sev                 diag.Severity
		code, path, summary string
		at                  diag.Range
	}
	seen := make(map[key]bool, len(ds))
	out := make(diag.Diagnostics, 0, len(ds))
	for _, d := range ds {
		k := key{d.Severity, d.Code, d.Path, d.Summary, d.Subject}
		if !d.Subject.IsZero() && seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, d)
	}
	return out
}

// citations lists the clauses plan.yaml's own items cite.
func (m *Manifest) citations() []string {
	out := []string{m.Boundaries.Clause, m.EffectiveClause}
	if m.InterpretedBy != nil {
		out = append(out, m.InterpretedBy.Clause)
	}
	if m.Purpose != nil {
		out = append(out, m.Purpose.Clause)
	}
	if m.Basis != nil {
		out = append(out, m.Basis.Clause)
	}
	for _, t := range m.Principles {
		out = append(out, t.Clause)
	}
	for _, t := range m.Management {
		out = append(out, t.Clause)
	}
	return out
}

// clauseIndex is plan.yaml's index of rule-bearing clauses.
func (m *Manifest) clauseIndex() []analysis.IndexedClause {
	out := make([]analysis.IndexedClause, len(m.Clauses))
	for i, c := range m.Clauses {
		out[i] = analysis.IndexedClause{Clause: c.Clause, What: c.What, File: c.File, Path: fmt.Sprintf("clauses[%d]", i), At: c.Meta.At}
	}
	return out
}
