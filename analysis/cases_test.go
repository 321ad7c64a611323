package analysis_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/analysis"
)

// The boundary cases of the Changji plan, expected grades typed from 1.3,
// 1.5 and 附件 8.3 ("以上含本数，以下不含本数").
func TestChangjiBoundaryCases(t *testing.T) {
	p, err := yingji.Default()
	require.NoError(t, err)
	set, err := analysis.BoundaryCases(p.Grading)
	require.NoError(t, err)
	byIncident := map[string]analysis.Case{}
	for _, c := range set.Cases {
		_, dup := byIncident[c.Incident.String()]
		assert.False(t, dup, "%s appears once", c.Incident)
		byIncident[c.Incident.String()] = c
	}
	tests := []struct {
		name     string
		incident string
		level    string
		clause   string // "" for the baseline
		inScope  bool
	}{
		{"1.5 一般 (1) 3 人以下死亡: 2 deaths", `{"deaths": 2, "missing": 0}`, "general", "1.5 一般 (1)", false},
		{"1.5 较大 (1) 3 人以上死亡（含失踪）: 3 deaths, in scope by 1.3 (1)", `{"deaths": 3, "missing": 0}`, "relatively-serious", "1.5 较大 (1)", true},
		{"1.5 较大 (1) 10 人以下: 9 deaths", `{"deaths": 9, "missing": 0}`, "relatively-serious", "1.5 较大 (1)", true},
		{"1.5 重大 (1) 10 人以上: 10 deaths", `{"deaths": 10, "missing": 0}`, "serious", "1.5 重大 (1)", true},
		{"1.5 重大 (1) 30 人以下: 29 deaths", `{"deaths": 29, "missing": 0}`, "serious", "1.5 重大 (1)", true},
		{"1.5 特别重大 (1) 30 人以上: 30 deaths", `{"deaths": 30, "missing": 0}`, "especially-serious", "1.5 特别重大 (1)", true},
		{"1.5 较大 (1) 死亡（含失踪）: 3 missing", `{"deaths": 0, "missing": 3}`, "relatively-serious", "1.5 较大 (1)", true},
		{"1.3 (1) 危及 3 人以上: in scope, 一般 by no criterion", `{"endangered": 3}`, "general", "", true},
		{"1.3 (1) 危及 3 人以上: 2 is not in scope", `{"endangered": 2}`, "general", "", false},
		{"1.5 重大 (1) 危及 10 人以上", `{"endangered": 10}`, "serious", "1.5 重大 (1)", true},
		{"1.5 特别重大 (1) 危及 30 人以上", `{"endangered": 30}`, "especially-serious", "1.5 特别重大 (1)", true},
		{"1.5 一般 (1) 10 人以下重伤: 9", `{"seriousInjuries": 9}`, "general", "1.5 一般 (1)", false},
		{"1.3 (1) 10 人以上中毒（重伤）: 10 is in scope, 一般 by no criterion", `{"seriousInjuries": 10}`, "general", "", true},
		{"1.5 较大 (1) 30 人以上中毒（重伤）: 29 is still 一般", `{"seriousInjuries": 29}`, "general", "", true},
		{"1.5 较大 (1) 30 人以上中毒（重伤）", `{"seriousInjuries": 30}`, "relatively-serious", "1.5 较大 (1)", true},
		{"1.5 重大 (1) 50 人以上中毒（重伤）", `{"seriousInjuries": 50}`, "serious", "1.5 重大 (1)", true},
		{"1.5 重大 (1) 100 人以下: 99", `{"seriousInjuries": 99}`, "serious", "1.5 重大 (1)", true},
		{"1.5 特别重大 (1) 100 人以上中毒（重伤）", `{"seriousInjuries": 100}`, "especially-serious", "1.5 特别重大 (1)", true},
		{"1.5 一般 (1) 1000 万元以下: a yuan below", `{"directLoss": 9999999}`, "general", "1.5 一般 (1)", false},
		{"1.5 较大 (1) 1000 万元以上, 1.3 (1) 1000 万元以上", `{"directLoss": 10000000}`, "relatively-serious", "1.5 较大 (1)", true},
		{"1.5 较大 (1) 5000 万元以下: a yuan below", `{"directLoss": 49999999}`, "relatively-serious", "1.5 较大 (1)", true},
		{"1.5 重大 (1) 5000 万元以上", `{"directLoss": 50000000}`, "serious", "1.5 重大 (1)", true},
		{"1.5 重大 (1) 1 亿元以下: a yuan below", `{"directLoss": 99999999}`, "serious", "1.5 重大 (1)", true},
		{"1.5 特别重大 (1) 1 亿元以上", `{"directLoss": 100000000}`, "especially-serious", "1.5 特别重大 (1)", true},
		{"1.5 较大 (2) 1000 人以上: 999 is 一般 by no criterion", `{"evacuated": 999}`, "general", "", false},
		{"1.5 较大 (2) 1000 人以上: in scope only by 1.3 (3)", `{"evacuated": 1000}`, "relatively-serious", "1.5 较大 (2)", true},
		{"1.5 重大 (3) 5 万人以上", `{"evacuated": 50000}`, "serious", "1.5 重大 (3)", true},
		{"1.5 重大 (3) and 特别重大 (2): 99999 is 重大", `{"evacuated": 99999}`, "serious", "1.5 重大 (3)", true},
		{"1.5 特别重大 (2) 10 万人以上", `{"evacuated": 100000}`, "especially-serious", "1.5 特别重大 (2)", true},
		{"1.5 较大 (4) 跨县级行政区", `{"crosses": "county"}`, "relatively-serious", "1.5 较大 (4)", true},
		{"1.5 重大 (4) 跨昌吉州行政区", `{"crosses": "prefecture"}`, "serious", "1.5 重大 (4)", true},
		{"1.5 特别重大 (4) 跨省级行政区", `{"crosses": "province"}`, "especially-serious", "1.5 特别重大 (4)", true},
		{"1.5 特别重大 (3) 超出自治区人民政府处置能力", `{"exceedsCapacityOf": "region"}`, "especially-serious", "1.5 特别重大 (3)", true},
		{"1.5 一般 (2) 县市人民政府认为有必要响应, not in scope", `{"deemedNecessaryBy": "county"}`, "general", "1.5 一般 (2)", false},
		{"1.5 特别重大 (5) 需要国务院安委会响应", `{"stateCouncilResponse": true}`, "especially-serious", "1.5 特别重大 (5)", true},
		{"1.3 (2) 跨多个领域: in scope, 一般 by no criterion", `{"crossDomain": true}`, "general", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, ok := byIncident[tc.incident]
			require.True(t, ok, "the boundary cases include %s", tc.incident)
			assert.Equal(t, tc.level, c.Level)
			assert.Equal(t, tc.clause, c.Clause)
			assert.Equal(t, tc.clause == "", c.Baseline)
			require.NotNil(t, c.InScope)
			assert.Equal(t, tc.inScope, *c.InScope)
			assert.NotEmpty(t, c.Thresholds)
		})
	}
	assert.Equal(t, "nothing known", set.Cases[0].Name)
	assert.Empty(t, set.Check(context.Background(), p.Grading))
}

func TestCaseSetRoundTrip(t *testing.T) {
	p, err := yingji.Default()
	require.NoError(t, err)
	set, err := analysis.BoundaryCases(p.Grading)
	require.NoError(t, err)
	set.Plan = p.ID()
	for _, format := range []string{"yaml", "json"} {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			if format == "yaml" {
				require.NoError(t, set.WriteYAML(&b))
				assert.Contains(t, b.String(), "    incident: {seriousInjuries: 10}\n")
			} else {
				require.NoError(t, set.WriteJSON(&b))
				assert.Contains(t, b.String(), "\"incident\": {\n        \"seriousInjuries\": 10\n      }")
			}
			back, err := analysis.ReadCases(b.Bytes())
			require.NoError(t, err)
			assert.Equal(t, set, back)
		})
	}
	_, err = analysis.ReadCases([]byte("plan: x\ncases:\n  - name: a\n    incident: {deaths: 1}\n    levle: general\n"))
	assert.ErrorContains(t, err, "levle")
}

func TestDecree493BoundaryCases(t *testing.T) {
	p, err := yingji.Embedded("national-493")
	require.NoError(t, err)
	set, err := analysis.BoundaryCases(p.Grading)
	require.NoError(t, err)
	got := map[string]string{}
	for _, c := range set.Cases {
		assert.Nil(t, c.InScope, "Decree 493 has no scope clause")
		got[c.Incident.String()] = c.Level + " " + c.Clause
	}
	// 第三条第一款（三）"10人以上50人以下重伤".
	assert.Equal(t, "general 第三条第一款（四）", got[`{"seriousInjuries": 9}`])
	assert.Equal(t, "relatively-serious 第三条第一款（三）", got[`{"seriousInjuries": 10}`])
	assert.Equal(t, "relatively-serious 第三条第一款（三）", got[`{"seriousInjuries": 49}`])
	assert.Equal(t, "serious 第三条第一款（二）", got[`{"seriousInjuries": 50}`])
	// No baseline in Decree 493: with nothing known, 一般 holds provisionally.
	assert.Equal(t, "general", set.Cases[0].Level)
	assert.True(t, set.Cases[0].Provisional)
}
