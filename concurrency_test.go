package yingji_test

import (
	"go/ast"
	"go/token"
	"strings"
	"testing"
)

// TestEveryPublicTypeSaysItsConcurrency fails for an exported type of a
// public package whose doc comment does not say how it may be used from
// several goroutines (STYLE: every public type's concurrency contract in
// its doc comment): "Concurrency: …", "safe for concurrent use",
// "immutable", or "a plain value".
func TestEveryPublicTypeSaysItsConcurrency(t *testing.T) {
	fset := token.NewFileSet()
	checked := 0
	for _, lf := range libraryFiles(t, fset) {
		if strings.Contains(lf.pkg, "internal") || strings.HasPrefix(lf.pkg, "cmd/") {
			continue
		}
		for _, d := range lf.f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, s := range g.Specs {
				ts := s.(*ast.TypeSpec)
				if !ts.Name.IsExported() {
					continue
				}
				checked++
				doc := ts.Doc.Text()
				if doc == "" {
					doc = g.Doc.Text()
				}
				l := strings.ToLower(doc)
				if !strings.Contains(l, "concurren") && !strings.Contains(l, "immutable") && !strings.Contains(l, "plain value") {
					t.Errorf("%s: type %s.%s does not say its concurrency contract in its doc comment", fset.Position(ts.Pos()), lf.pkg, ts.Name.Name)
				}
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d exported types found: the walk missed the packages", checked)
	}
}
