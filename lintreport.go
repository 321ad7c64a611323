package yingji

import "github.com/yingji/yingji/analysis"

// LintReport is Lint arranged for the drafter who fixes the plan (see
// analysis.Report): counts first, errors then warnings, the most
// consequential first, what only follows from a finding folded under it,
// and the interpretation notes apart. Render it with its WriteText or
// WriteJSON. LintReport is safe for concurrent use.
func (p *Plan) LintReport() *analysis.Report {
	findings, others := p.lint()
	return analysis.NewReport(p.ID(), p.Manifest.Title, true, findings, others)
}

// Report arranges the diagnostics of a plan that does not load as a lint
// report: the errors, most consequential first, and whatever warnings and
// notes the loader found before it stopped.
func (e *LoadError) Report() *analysis.Report {
	return analysis.NewReport("", "", false, nil, e.Diagnostics)
}
