package grading

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// codeRE is the shape of a code: area.kind, lower case, hyphens inside a
// part.
var codeRE = regexp.MustCompile(`^[a-z]+(\.[a-z0-9]+(-[a-z0-9]+)*)+$`)

// codeAreas are the areas this package reports in (CONVENTIONS.md).
var codeAreas = []string{"grading", "input", "level", "response", "enum", "eval"}

// parsePackage parses the package's non-test files.
func parsePackage(t *testing.T) (*token.FileSet, map[string]*ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	require.NoError(t, err)
	files := map[string]*ast.File{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		require.NoError(t, err)
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		require.NoError(t, err)
		files[name] = f
	}
	return fset, files
}

// declaredCodes returns the Code constants of codes.go by name.
func declaredCodes(t *testing.T, f *ast.File) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, n := range vs.Names {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				require.True(t, ok, "%s is a string literal", n.Name)
				v, err := strconv.Unquote(lit.Value)
				require.NoError(t, err)
				out[n.Name] = v
				doc := strings.TrimSpace(vs.Doc.Text())
				assert.True(t, strings.HasPrefix(doc, n.Name+": "), "%s has a comment starting %q: %q", n.Name, n.Name+": ", doc)
				assert.NotContains(t, doc, "\n", "%s's comment is one line", n.Name)
			}
		}
	}
	return out
}

func TestCodesAreDeclaredOnceWellFormed(t *testing.T) {
	_, files := parsePackage(t)
	codes := declaredCodes(t, files["codes.go"])
	require.NotEmpty(t, codes)
	seen := map[string]string{}
	for name, v := range codes {
		assert.True(t, strings.HasPrefix(name, "Code"), name)
		assert.Regexp(t, codeRE, v, name)
		area, _, _ := strings.Cut(v, ".")
		assert.Contains(t, codeAreas, area, "%s = %q", name, v)
		if prev, dup := seen[v]; dup {
			t.Errorf("%s and %s are both %q", prev, name, v)
		}
		seen[v] = name
	}
	for name, f := range files {
		if name == "codes.go" {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if vs, ok := n.(*ast.ValueSpec); ok {
				for _, id := range vs.Names {
					assert.False(t, strings.HasPrefix(id.Name, "Code"), "%s declares %s: codes live in codes.go", name, id.Name)
				}
			}
			return true
		})
	}
}

// TestNoBareCodes fails when a diagnostic or error of the package is built
// with a code that is not a constant of codes.go, or through the
// positional diag.Errorf style.
func TestNoBareCodes(t *testing.T) {
	fset, files := parsePackage(t)
	codes := declaredCodes(t, files["codes.go"])
	used := map[string]bool{}
	for name, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.KeyValueExpr:
				if k, ok := n.Key.(*ast.Ident); ok && k.Name == "Code" {
					if _, lit := n.Value.(*ast.BasicLit); lit {
						t.Errorf("%s: a code written as a literal; declare it in codes.go", fset.Position(n.Pos()))
					}
				}
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Errorf" || sel.Sel.Name == "Warnf") {
					if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "fmt" {
						t.Errorf("%s: a diagnostic built with %s; build a diag.Diagnostic literal", fset.Position(n.Pos()), sel.Sel.Name)
					}
				}
			case *ast.Ident:
				if _, ok := codes[n.Name]; ok && name != "codes.go" {
					used[n.Name] = true
				}
			}
			return true
		})
	}
	// Reported with this package's InputError by the plan (yingji.Plan),
	// which checks list inputs against the orgchart.
	elsewhere := map[string]bool{"CodeInputUnknownRef": true}
	for name := range codes {
		assert.True(t, used[name] || elsewhere[name], "%s is declared but never reported", name)
	}
}
