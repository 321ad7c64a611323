package yingji_test

import (
	"io/fs"
	"testing"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/plans"
)

// BenchmarkLoad loads changji-2025 from the embedded files as a reload
// does: read every file, parse strictly, type-check and compile every
// expression, validate. (A workflow expression's bytecode is emitted when
// it is first run; every error of it is found here.) The target is 5 ms
// (issue 6).
func BenchmarkLoad(b *testing.B) {
	sub, err := fs.Sub(plans.FS, yingji.DefaultPlan)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := yingji.Load(sub); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadGrading is the grading part of BenchmarkLoad alone:
// grading.yaml parsed and compiled.
func BenchmarkLoadGrading(b *testing.B) {
	p, err := yingji.Default()
	if err != nil {
		b.Fatal(err)
	}
	src, err := fs.ReadFile(plans.FS, yingji.DefaultPlan+"/"+p.Manifest.Files.Grading)
	if err != nil {
		b.Fatal(err)
	}
	conv := p.Grading.Convention()
	b.ReportAllocs()
	for b.Loop() {
		if r, ds := grading.Compile("grading.yaml", src, grading.WithConvention(conv)); r == nil {
			b.Fatal(ds)
		}
	}
}
