package diag

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func at(line, col, endCol int) Range {
	return Range{Filename: "g.yaml", Start: Pos{Line: line, Column: col}, End: Pos{Line: line, Column: endCol}}
}

func TestRenderDrawsTheCaretUnderWideText(t *testing.T) {
	src := Sources{"g.yaml": []byte("a: 1\n    危及: 10 人以上、30 人以\n")}
	// "30 人以" starts at rune column 16; 危及 is two wide runes, so the caret
	// goes two cells further right than the column.
	ds := Diagnostics{Diagnostic{Severity: Error, Code: "threshold", Subject: at(2, 16, 21), Path: "levels[0]", Fix: "write 30 人以下", Summary: "bad threshold"}}
	got := RenderString(ds, src)
	want := "g.yaml:2:16: error: bad threshold\n" +
		"    2 |     危及: 10 人以上、30 人以\n" +
		"      |                      ^^^^^^^\n" +
		"  at: levels[0]\n" +
		"  fix: write 30 人以下\n"
	assert.Equal(t, want, got)
}

func TestSortIsByPosition(t *testing.T) {
	ds := Diagnostics{
		Diagnostic{Severity: Error, Code: "b", Subject: at(3, 1, 2), Summary: "third"},
		Diagnostic{Severity: Warning, Code: "a", Subject: at(1, 5, 6), Summary: "second"},
		Diagnostic{Severity: Error, Code: "a", Subject: at(1, 5, 6), Summary: "first"},
		Diagnostic{Severity: Error, Code: "z", Subject: Range{Filename: "a.yaml", Start: Pos{Line: 9, Column: 1}}, Summary: "other file"},
	}
	ds.Sort()
	var got []string
	for _, d := range ds {
		got = append(got, d.Summary)
	}
	assert.Equal(t, []string{"other file", "first", "second", "third"}, got)
}

func TestDiagnosticsAsError(t *testing.T) {
	var ds Diagnostics
	for i := range MaxRendered + 5 {
		ds = append(ds, Diagnostic{Severity: Error, Code: "x", Subject: at(i+1, 1, 2), Summary: fmt.Sprintf("problem %d", i)})
	}
	var err error = ds
	var back Diagnostics
	require.True(t, errors.As(fmt.Errorf("wrapped: %w", err), &back))
	assert.Len(t, back, MaxRendered+5)
	assert.True(t, strings.HasSuffix(err.Error(), "… and 5 more"))
	assert.Nil(t, Diagnostics{Diagnostic{Severity: Warning, Code: "w", Summary: "only a warning"}}.Err())
	assert.Error(t, ds.Err())
}

func TestSuggest(t *testing.T) {
	names := []string{"deaths", "missing", "seriousInjuries"}
	assert.Equal(t, ` Did you mean "deaths"?`, Suggest("death", names))
	assert.Equal(t, ` Did you mean "seriousInjuries"?`, Suggest("seriousinjury", names))
	assert.Equal(t, "", Suggest("evacuated", names))
}

func TestSeverityText(t *testing.T) {
	for _, s := range []Severity{Error, Warning, Info} {
		b, err := s.MarshalText()
		require.NoError(t, err)
		var back Severity
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, s, back)
	}
	var s Severity
	assert.Error(t, s.UnmarshalText([]byte("fatal")))
}
