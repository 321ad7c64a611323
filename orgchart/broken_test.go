package orgchart

import (
	"github.com/yingji/yingji/internal/golden"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/diag"
)

// TestBrokenOrgcharts breaks the Riverland chart one way at a time and pins
// the rendered diagnostics.
func TestBrokenOrgcharts(t *testing.T) {
	cases := []struct {
		name, old, new, code string
	}{
		{"unknown unit reference", "members: [water-board, {ref: army", "members: [water-bord, {ref: army", CodeUnknownRef},
		{"two leads", "lead: town-hall", "lead: [town-hall, water-board]", CodeLeadCount},
		{"duplicate id", "id: water-board\n    name: Water Board", "id: civil-protection\n    name: Water Board", CodeDuplicateID},
		{"unknown key", "    partOf: crisis-cell\n", "    partof: crisis-cell\n", diag.CodeYAMLUnknownKey},
		{"reference by name", "command: crisis-cell", "command: the cell", CodeRefByName},
		{"unknown binding", "bind: industry", "bind: sector", CodeBadBinding},
		{"unknown locality role", "role: town-hall, clause: \"1.6\"", "role: townhall, clause: \"1.6\"", CodeUnknownRole},
		{"two responses for one level", "levels: [amber]", "levels: [red]", CodeDuplicateLevel},
		{"unknown label variable", `label: "head of {unit}"`, `label: "head of {agency}"`, CodeBadLabel},
		{"unknown action", "{action: engage, who: [town-hall, lead-agency]", "{action: engaged, who: [town-hall, lead-agency]", CodeBadAction},
		{"alias used twice", "aliases: [Southy]", "aliases: [Northtown]", CodeDuplicateName},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Contains(t, riverlandOrg, tc.old)
			src := strings.Replace(riverlandOrg, tc.old, tc.new, 1)
			c, ds := Compile("riverland.yaml", []byte(src))
			assert.Nil(t, c, "a broken chart is not returned")
			require.True(t, ds.HasErrors())
			codes := map[string]bool{}
			for _, d := range ds.Errors() {
				codes[d.Code] = true
				assert.False(t, d.Subject.IsZero(), "%s has a position", d.Code)
				assert.NotEmpty(t, d.Fix+d.Detail, "%s says how to fix it", d.Code)
			}
			assert.True(t, codes[tc.code], "want %s in %v", tc.code, ds)
			golden.Check(t, "broken-"+strings.ReplaceAll(tc.name, " ", "-")+".txt", diag.RenderString(ds, diag.Sources{"riverland.yaml": []byte(src)}))
		})
	}
}

func TestBrokenContacts(t *testing.T) {
	src := "asOf: \"2030-01-01\"\nlistings:\n  - {unit: water-bord, clause: B, dutyPhone: \"1\"}\n  - {unit: council, clause: B, dutyPhone: \"call Ada\"}\n  - {unit: council, clause: B}\n"
	c, ds := compileWithContacts(t, "riverland.yaml", []byte(riverlandOrg), "contacts.yaml", []byte(src))
	assert.Nil(t, c)
	var codes []string
	for _, d := range ds {
		codes = append(codes, d.Code)
	}
	assert.Subset(t, codes, []string{CodeContactsUnknownUnit, CodeContactsBadPhone, CodeContactsDuplicateListing})
	golden.Check(t, "broken-contacts.txt", diag.RenderString(ds, diag.Sources{"contacts.yaml": []byte(src), "riverland.yaml": []byte(riverlandOrg)}))
}

func TestChangjiDiagnosticsRendered(t *testing.T) {
	org, contacts := readPlanFile(t, "orgchart.yaml"), readPlanFile(t, "contacts.yaml")
	_, ds := compileWithContacts(t, "orgchart.yaml", org, "contacts.yaml", contacts)
	golden.Check(t, "changji-lint.txt", diag.RenderString(ds, diag.Sources{"orgchart.yaml": org, "contacts.yaml": contacts}))
}
