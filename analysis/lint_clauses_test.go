package analysis_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/yingji/yingji/analysis"
)

func TestUncitedClauses(t *testing.T) {
	index := []analysis.IndexedClause{
		{Clause: "7.1", File: "plan", Path: "clauses[0]"},
		{Clause: "4.2", File: "grading", Path: "clauses[1]"},
		{Clause: "2.3 (17)", File: "orgchart", Path: "clauses[2]"},
		{Clause: "附件 8.3", File: "grading", Path: "clauses[3]"},
		{Clause: "3.2", File: "workflow", Path: "clauses[4]"},
		{Clause: "3.3", File: "workflow", Path: "clauses[5]"},
	}
	tests := []struct {
		name      string
		referrers []analysis.ClauseReferrer
		want      []string // code and clause of each finding
	}{{
		name: "7.1 第一段 cites 7.1; 4.2; 4.3 cites 4.2; 附件 8.3 I 级 (1) cites 附件 8.3",
		referrers: []analysis.ClauseReferrer{
			analysis.Citations{Files: []string{"plan"}, Clauses: []string{"7.1 第一段"}},
			analysis.Citations{Files: []string{"grading"}, Clauses: []string{"4.2; 4.3", "附件 8.3 I 级 (1)"}},
			analysis.Citations{Files: []string{"orgchart", "contacts"}, Clauses: []string{"2.3 (17)；附件 8.5"}},
			analysis.Citations{Files: []string{"workflow"}, Clauses: []string{"3.2"}},
		},
		want: []string{analysis.CodeUncitedClause + " 3.3"},
	}, {
		name: "7.10 does not cite 7.1, nor the parent 2.3 its sub-clause 2.3 (17); with no workflow part its rows are not checked",
		referrers: []analysis.ClauseReferrer{
			analysis.Citations{Files: []string{"plan"}, Clauses: []string{"7.10"}},
			analysis.Citations{Files: []string{"grading"}, Clauses: []string{"4.2", "附件 8.3"}},
			analysis.Citations{Files: []string{"orgchart"}, Clauses: []string{"2.3"}},
		},
		want: []string{analysis.CodeUncitedClause + " 7.1", analysis.CodeUncitedClause + " 2.3 (17)", analysis.CodeIncomplete + " "},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := analysis.UncitedClauses(index, tc.referrers...)
			var got []string
			for _, d := range fs {
				got = append(got, d.Code+" "+d.Clause)
				assert.NotEmpty(t, d.Path)
			}
			assert.ElementsMatch(t, tc.want, got)
		})
	}
	assert.Empty(t, analysis.UncitedClauses(nil), "no index, nothing to check")
}
