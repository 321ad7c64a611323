package drill_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/workflow/drill"
)

// FuzzParse: no scenario panics the parser or the run, and every finding
// is a diagnostic with a valid range. Seeds are in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add([]byte("title: t\nstart: \"2025-10-15T09:00:00+06:00\"\nsteps:\n  - {at: \"+1m\", event: report.received, actor: yjj, data: {via: phone}}\n"))
	def := changji(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		dr, ds := drill.Parse("drill.yaml", src)
		for _, d := range ds {
			require.Equal(t, "drill.yaml", d.Subject.Filename, "%s", d.Error())
			require.GreaterOrEqual(t, d.Subject.Start.Line, 1, "%s", d.Error())
			require.GreaterOrEqual(t, d.Subject.Start.Column, 1, "%s", d.Error())
		}
		if dr == nil {
			return
		}
		tl, err := drill.Run(t.Context(), def, dr)
		if err == nil {
			_ = tl.Markdown()
		}
	})
}
