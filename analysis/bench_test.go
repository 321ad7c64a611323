package analysis_test

import (
	"testing"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/analysis"
)

func BenchmarkLintChangji(b *testing.B) {
	p, err := yingji.Default()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		analysis.LintRules(p.Grading)
	}
}

func BenchmarkDiffChangjiNational(b *testing.B) {
	a, err := yingji.Embedded("changji-2025")
	if err != nil {
		b.Fatal(err)
	}
	n, err := yingji.Embedded("national-493")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := analysis.Diff(a.Grading, n.Grading); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBoundaryCasesChangji(b *testing.B) {
	p, err := yingji.Default()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := analysis.BoundaryCases(p.Grading); err != nil {
			b.Fatal(err)
		}
	}
}
