package analysis_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every code of the lint is an exported constant in codes.go, dotted
// lint.kind in lower case with hyphens inside a part, with the one-line
// comment CODES.md is generated from, and declared once.
func TestCodes(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "codes.go", nil, parser.ParseComments)
	require.NoError(t, err)
	form := regexp.MustCompile(`^lint\.[a-z]+(-[a-z]+)*$`)
	seen := map[string]string{}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			name := vs.Names[0].Name
			code, err := strconv.Unquote(vs.Values[0].(*ast.BasicLit).Value)
			require.NoError(t, err)
			assert.Regexp(t, form, code, name)
			assert.Regexp(t, `^Code[A-Z]`, name)
			if assert.NotNil(t, vs.Doc, "%s has a comment", name) {
				assert.Regexp(t, `^`+name+`: `, vs.Doc.Text(), "%s's comment starts with its name", name)
			}
			assert.NotContains(t, seen, code, "%s is declared by %s and %s", code, seen[code], name)
			seen[code] = name
		}
	}
	assert.Len(t, seen, 11)
}
