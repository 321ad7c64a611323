package yingji_test

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/internal/golden"
)

// codeAreas are the areas each package reports in: the first part of
// every code it declares (CONVENTIONS: area.kind).
var codeAreas = map[string][]string{
	"yingji":         {"plan", "decision", "input"},
	"diag":           {"yaml", "file", "plan", "internal"},
	"grading":        {"grading", "input", "level", "response", "enum", "eval"},
	"orgchart":       {"orgchart", "contacts", "roster"},
	"workflow":       {"workflow", "event", "guard", "phase", "instance"},
	"workflow/drill": {"drill"},
	"analysis":       {"lint", "diff", "cases"},
	"cmd/yingji":     {"input"},
}

var codeRE = regexp.MustCompile(`^[a-z]+(\.[a-z0-9]+(-[a-z0-9]+)*)?$`)

type codeDecl struct {
	code, name, pkg, file, doc string
}

type libFile struct {
	pkg, path string
	f         *ast.File
}

// libraryFiles parses every non-test Go file of the library (not the
// server, bench or examples modules, nor testdata).
func libraryFiles(t *testing.T, fset *token.FileSet) []libFile {
	t.Helper()
	var out []libFile
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" ||
			d.Name() == "bench" || d.Name() == "server" || d.Name() == "examples") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(filepath.Dir(p))
		if pkg == "." {
			pkg = "yingji"
		}
		out = append(out, libFile{pkg: pkg, path: p, f: f})
		return nil
	})
	require.NoError(t, err)
	return out
}

// declaredCodes finds every exported constant named Code… with a string
// value, with its doc comment.
func declaredCodes(files []libFile) []codeDecl {
	var out []codeDecl
	for _, lf := range files {
		for _, decl := range lf.f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if !n.IsExported() || !strings.HasPrefix(n.Name, "Code") || i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue // an alias of another package's code
					}
					code, _ := strconv.Unquote(lit.Value)
					cg := vs.Doc
					if cg == nil && len(gd.Specs) == 1 {
						cg = gd.Doc
					}
					doc := ""
					if cg != nil {
						doc = strings.Join(strings.Fields(cg.Text()), " ")
						for _, prefix := range []string{n.Name + ": ", n.Name + " is ", n.Name + " "} {
							doc = strings.TrimPrefix(doc, prefix)
						}
					}
					out = append(out, codeDecl{code: code, name: n.Name, pkg: lf.pkg, file: filepath.Base(lf.path), doc: doc})
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b codeDecl) int { return cmp.Or(cmp.Compare(a.code, b.code), cmp.Compare(a.pkg, b.pkg)) })
	return out
}

// TestCodesAreDeclaredOnceAndDocumented checks every stable code of the
// library: an exported constant in its package's codes.go, in the
// package's areas, dotted and lower-case, with a comment, declared once;
// and that CODES.md is the list the code declares (run with -update to
// regenerate it).
func TestCodesAreDeclaredOnceAndDocumented(t *testing.T) {
	codes := declaredCodes(libraryFiles(t, token.NewFileSet()))
	require.NotEmpty(t, codes)
	seen := map[string]codeDecl{}
	var b strings.Builder
	b.WriteString("# Error and diagnostic codes\n\n")
	b.WriteString("Generated from the `Code…` constants of the library by `go test -run TestCodesAreDeclaredOnceAndDocumented -update .`;\n")
	b.WriteString("do not edit by hand. Every error and diagnostic yingji returns carries one of these codes\n")
	b.WriteString("(`diag.Diagnostic.Code`, `diag.ProblemsOf(err)[i].Code`); they are stable across releases.\n\n")
	b.WriteString("| code | constant | meaning |\n|---|---|---|\n")
	for _, c := range codes {
		if prev, dup := seen[c.code]; dup {
			t.Errorf("code %q is declared twice: %s.%s and %s.%s", c.code, prev.pkg, prev.name, c.pkg, c.name)
		}
		seen[c.code] = c
		assert.Equal(t, "codes.go", c.file, "%s.%s: codes live in the package's codes.go", c.pkg, c.name)
		assert.NotEmpty(t, c.doc, "%s.%s (%q) needs a comment saying what it means", c.pkg, c.name, c.code)
		assert.Regexp(t, codeRE, c.code, "%s.%s: codes are dotted, lower-case, area first", c.pkg, c.name)
		area, _, _ := strings.Cut(c.code, ".")
		areas, ok := codeAreas[c.pkg]
		if assert.True(t, ok, "package %s declares codes: give it its areas in codeAreas", c.pkg) {
			assert.Contains(t, areas, area, "%s.%s (%q): %s reports in %v", c.pkg, c.name, c.code, c.pkg, areas)
		}
		fmt.Fprintf(&b, "| `%s` | `%s.%s` | %s |\n", c.code, c.pkg, c.name, strings.ReplaceAll(c.doc, "|", "\\|"))
	}
	golden.CheckFile(t, "CODES.md", b.String())
}

// TestNoBareCodes fails when a diagnostic or error of the library is built
// with a code written as a literal instead of a constant of codes.go.
func TestNoBareCodes(t *testing.T) {
	fset := token.NewFileSet()
	for _, lf := range libraryFiles(t, fset) {
		ast.Inspect(lf.f, func(n ast.Node) bool {
			kv, ok := n.(*ast.KeyValueExpr)
			if !ok {
				return true
			}
			if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Code" {
				if lit, ok := kv.Value.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					t.Errorf("%s: a code written as a literal (%s); declare it in the package's codes.go", fset.Position(kv.Pos()), lit.Value)
				}
			}
			return true
		})
	}
}

// TestEveryCodeIsReported fails for a code that is declared but that no
// diagnostic or error of the library reports: a stale entry of CODES.md.
func TestEveryCodeIsReported(t *testing.T) {
	fset := token.NewFileSet()
	files := libraryFiles(t, fset)
	used := map[string]bool{} // package-qualified constant names in use
	for _, lf := range files {
		imports := map[string]string{} // local name → package path under the module
		for _, im := range lf.f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			rel, ok := strings.CutPrefix(p, "github.com/yingji/yingji/")
			if !ok {
				if p == "github.com/yingji/yingji" {
					rel = "yingji"
				} else {
					continue
				}
			}
			name := filepath.Base(rel)
			if im.Name != nil {
				name = im.Name.Name
			}
			imports[name] = rel
		}
		ast.Inspect(lf.f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for _, v := range n.Values {
					ast.Inspect(v, func(m ast.Node) bool { return markUsed(m, lf.pkg, imports, used) })
				}
				return false // the declaration itself is not a use
			default:
				return markUsed(n, lf.pkg, imports, used)
			}
		})
	}
	for _, c := range declaredCodes(files) {
		assert.True(t, used[c.pkg+"."+c.name], "%s.%s (%q) is declared but never reported", c.pkg, c.name, c.code)
	}
}

func markUsed(n ast.Node, pkg string, imports map[string]string, used map[string]bool) bool {
	switch n := n.(type) {
	case *ast.SelectorExpr:
		if x, ok := n.X.(*ast.Ident); ok {
			if rel, ok := imports[x.Name]; ok {
				used[rel+"."+n.Sel.Name] = true
				return false
			}
		}
	case *ast.Ident:
		used[pkg+"."+n.Name] = true
	}
	return true
}
