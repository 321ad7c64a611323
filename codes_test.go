package yingji_test

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/internal/golden"
)

type codeDecl struct {
	code, name, pkg, doc string
}

// declaredCodes finds every exported constant named Code… with a string
// value in the library's non-test Go files, with its doc comment.
func declaredCodes(t *testing.T) []codeDecl {
	t.Helper()
	var out []codeDecl
	fset := token.NewFileSet()
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
		for _, decl := range f.Decls {
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
					var code string
					switch v := vs.Values[i].(type) {
					case *ast.BasicLit:
						if v.Kind != token.STRING {
							continue
						}
						code, _ = strconv.Unquote(v.Value)
					case *ast.SelectorExpr: // an alias of another package's code
						continue
					default:
						continue
					}
					doc := ""
					cg := vs.Doc
					if cg == nil && len(gd.Specs) == 1 {
						cg = gd.Doc
					}
					if cg != nil {
						doc = strings.Join(strings.Fields(cg.Text()), " ")
						doc = strings.TrimPrefix(doc, n.Name+": ")
						doc = strings.TrimPrefix(doc, n.Name+" is ")
						doc = strings.TrimPrefix(doc, n.Name+" ")
					}
					out = append(out, codeDecl{code: code, name: n.Name, pkg: pkg, doc: doc})
				}
			}
		}
		return nil
	})
	require.NoError(t, err)
	slices.SortFunc(out, func(a, b codeDecl) int { return cmp.Or(cmp.Compare(a.code, b.code), cmp.Compare(a.pkg, b.pkg)) })
	return out
}

// TestCodesAreDeclaredOnceAndDocumented checks that every stable code is
// declared once with a comment, and that CODES.md is the list the code
// declares (run with -update to regenerate it).
func TestCodesAreDeclaredOnceAndDocumented(t *testing.T) {
	codes := declaredCodes(t)
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
		assert.NotEmpty(t, c.doc, "%s.%s (%q) needs a comment saying what it means", c.pkg, c.name, c.code)
		assert.Regexp(t, `^[a-z]+(\.[a-z0-9-]+)*$`, c.code, "%s.%s: codes are dotted, lower-case, area first", c.pkg, c.name)
		fmt.Fprintf(&b, "| `%s` | `%s.%s` | %s |\n", c.code, c.pkg, c.name, strings.ReplaceAll(c.doc, "|", "\\|"))
	}
	golden.CheckFile(t, "CODES.md", b.String())
}
