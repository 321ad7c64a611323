package yingji

import (
	"fmt"
	"slices"

	"github.com/yingji/yingji/analysis"
	"github.com/yingji/yingji/diag"
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
//     as a to-do for the next revision, each once: the loader and each
//     part's Compile report their file's notes as they load.
//
// The result is never nil: a clean plan lints to an empty list. Lint is
// safe for concurrent use.
func (p *Plan) Lint() diag.Diagnostics {
	findings, ds := p.lint()
	for _, f := range findings {
		ds = append(ds, f.Diagnostic)
	}
	ds.Sort()
	return ds
}

// lint is Lint in two parts: the findings of analysis (LintRules, which
// keep their ranges and inputs for a report, and UncitedClauses), which
// carry their Chinese text, and every other diagnostic, each once.
func (p *Plan) lint() ([]analysis.Finding, diag.Diagnostics) {
	ds := slices.Clone(p.Warnings)
	refs := []analysis.ClauseReferrer{analysis.Citations{Files: []string{"plan"}, Clauses: p.spec.citations()}}
	var findings []analysis.Finding
	if p.Grading != nil {
		findings = analysis.LintRules(p.Grading)
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
	findings = append(findings, analysis.UncitedClauses(p.spec.clauseIndex(), refs...)...)
	ds = once(ds)
	if ds == nil {
		ds = diag.Diagnostics{}
	}
	return findings, ds
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
func (m *manifestSpec) citations() []string {
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
func (m *manifestSpec) clauseIndex() []analysis.IndexedClause {
	out := make([]analysis.IndexedClause, len(m.Clauses))
	for i, c := range m.Clauses {
		out[i] = analysis.IndexedClause{Clause: c.Clause, What: c.What, File: c.File, Path: fmt.Sprintf("clauses[%d]", i), At: c.Meta.At()}
	}
	return out
}
