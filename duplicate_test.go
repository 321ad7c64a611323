package yingji_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/internal/plantest"
)

// A duplicate id names both declarations: the error stands at the second,
// and says where the first is, file:line:col.
func TestDuplicateIDsNameBothDeclarations(t *testing.T) {
	tests := []struct {
		name, file string
		first      string // the first declaration's line, as written
		old, new   string // the edit that repeats its id
	}{
		{"grading.yaml: an input", "grading.yaml", "  - id: deaths\n", "  - id: missing\n", "  - id: deaths\n"},
		{"grading.yaml: a level", "grading.yaml", "  - id: especially-serious\n", "  - id: serious\n", "  - id: especially-serious\n"},
		{"grading.yaml: a criterion's clause", "grading.yaml", `      - clause: "1.5 重大 (2)"` + "\n", `      - clause: "1.5 重大 (3)"` + "\n", `      - clause: "1.5 重大 (2)"` + "\n"},
		{"orgchart.yaml: a unit", "orgchart.yaml", "  - id: party-committee\n", "  - id: party-office\n", "  - id: party-committee\n"},
		{"contacts.yaml: a listing", "contacts.yaml", "  - unit: publicity\n", "  - unit: yjj\n", "  - unit: publicity\n"},
		{"workflow.yaml: a phase", "workflow.yaml", "  - id: reported\n", "  - id: initial-response\n", "  - id: reported\n"},
		{"workflow.yaml: an event", "workflow.yaml", "  - id: warning.received\n", "  - id: warning.issued\n", "  - id: warning.received\n"},
		{"workflow.yaml: a guard", "workflow.yaml", "      - id: warning-by-office\n", "      - id: warning-especially-serious\n", "      - id: warning-by-office\n"},
		{"workflow.yaml: a task", "workflow.yaml", "  - id: written-report\n", "  - id: complete-report\n", "  - id: written-report\n"},
		{"plan.yaml: a clause of the index", "plan.yaml", `  - clause: "1.3 (1)"` + "\n", `  - clause: "1.3 (2)"` + "\n", `  - clause: "1.3 (1)"` + "\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := plantest.Copy(t, "changji-2025")
			src := string(m[tc.file].Data)
			i := strings.Index(src, tc.first)
			require.GreaterOrEqual(t, i, 0)
			line := strings.Count(src[:i], "\n") + 1
			plantest.Edit(t, m, tc.file, tc.old, tc.new)
			ds := loadError(t, m).Diagnostics
			var dup []string
			for _, d := range ds.Errors() {
				if strings.Contains(d.Summary, "twice") {
					dup = append(dup, d.Error())
				}
			}
			require.Len(t, dup, 1, "%s", ds.Errors())
			assert.Regexp(t, fmt.Sprintf(`first (is |listed |declared )?at %s:%d:\d+`, regexp.QuoteMeta(tc.file), line), dup[0], "the error names the first declaration")
			assert.NotContains(t, strings.SplitN(dup[0], ":", 4)[1], fmt.Sprint(line)+":", "and stands at the second")
		})
	}
}
