package gradingtest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/yingji/yingji/analysis"
	"github.com/yingji/yingji/grading"
)

// Coverage grades every case of the file with rules and returns what the
// cases exercise of them: every criterion matched, both sides of every
// threshold boundary (analysis.GradingCoverage) — the report `yingji test
// --coverage` gives for a plan's grading, with each item missed and its
// file:line in grading.yaml.
func Coverage(rules *grading.Rules, file string) (analysis.CoverageReport, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return analysis.CoverageReport{}, fmt.Errorf("gradingtest: %w", err)
	}
	cs, err := analysis.ReadCases(data)
	if err != nil {
		return analysis.CoverageReport{}, fmt.Errorf("gradingtest: %s: %w", file, err)
	}
	c := analysis.NewGradingCoverage(rules)
	for _, k := range cs.Cases {
		inc, err := k.Incident.Incident(rules)
		if err != nil {
			return analysis.CoverageReport{}, fmt.Errorf("gradingtest: %s: case %q: %w", file, k.Name, err)
		}
		if err := c.Add(context.Background(), inc); err != nil {
			return analysis.CoverageReport{}, fmt.Errorf("gradingtest: %s: case %q: %w", file, k.Name, err)
		}
	}
	return c.Report(), nil
}

// CheckCoverage fails the test when the cases of file exercise less than
// min percent of rules' criteria and threshold boundaries, and names every
// item they miss with its file:line; it logs the report either way. Call
// it beside Check, on the same file.
func CheckCoverage(t testing.TB, rules *grading.Rules, file string, min float64) {
	t.Helper()
	r, err := Coverage(rules, file)
	if err != nil {
		t.Errorf("%v", err)
		return
	}
	var b strings.Builder
	_ = r.WriteText(&b, "en") // a Go test log: in English, as the test failures are
	if r.Percent < min {
		t.Errorf("gradingtest: %s covers %.1f%% of the rules, below %.1f%%:\n%s", file, r.Percent, min, b.String())
		return
	}
	t.Logf("gradingtest: %s\n%s", file, b.String())
}
