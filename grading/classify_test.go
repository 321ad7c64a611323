package grading_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
)

// Every expected value below is typed from the plan text
// (seeds/000_87005105312660d1.txt), never copied from running the code:
// 1.3 (scope), 1.5 (levels), 附件 8.3 (response levels I–IV) and the
// boundary convention of 附件 8.3 备注: "“以上”含本数，“以下”不含本数".
// So "10 人以上、30 人以下" is [10, 30) and "3 人以下" is [0, 3).
//
// Where the text leaves a choice open, the test follows the interpretation
// recorded in plans/changji-2025/grading.yaml, cited in the case name.

// Level ids of the plan data, with the name (1.5) and response level
// (附件 8.3) the text gives each.
const (
	lvES = "especially-serious"
	lvS  = "serious"
	lvR  = "relatively-serious"
	lvG  = "general"
)

var clLevelText = map[string]struct{ name, response string }{
	lvES: {"特别重大", "I"}, // 1.5 特别重大 → 附件 8.3 I 级
	lvS:  {"重大", "II"},  // 1.5 重大 → 附件 8.3 II 级
	lvR:  {"较大", "III"}, // 1.5 较大 → 附件 8.3 III 级
	lvG:  {"一般", "IV"},  // 1.5 一般 → 附件 8.3 IV 级
}

// The numbered items of 1.5 and 1.3.
const (
	es1 = "1.5 特别重大 (1)" // 30 人以上死亡（含失踪）/ 危及 30 人以上 / 100 人以上中毒（重伤）/ 1 亿元以上
	es2 = "1.5 特别重大 (2)" // 紧急转移安置 10 万人以上
	es3 = "1.5 特别重大 (3)" // 超出自治区人民政府处置能力
	es4 = "1.5 特别重大 (4)" // 跨省级行政区、跨领域
	es5 = "1.5 特别重大 (5)" // 需要国务院安委会响应
	s1  = "1.5 重大 (1)"   // 10–30 死亡（含失踪）/ 危及 10–30 / 50–100 中毒（重伤）/ 5000 万–1 亿
	s2  = "1.5 重大 (2)"   // 超出昌吉州人民政府处置能力
	s3  = "1.5 重大 (3)"   // 紧急转移 5 万人以上
	s4  = "1.5 重大 (4)"   // 跨昌吉州行政区
	s5  = "1.5 重大 (5)"   // 自治区人民政府认为有必要响应
	r1  = "1.5 较大 (1)"   // 3–10 死亡（含失踪）/ 危及 10–30 / 30–50 中毒（重伤）/ 1000 万–5000 万
	r2  = "1.5 较大 (2)"   // 紧急转移安置 1000 人以上、5 万人以下
	r3  = "1.5 较大 (3)"   // 超出县市人民政府（园区管委会）处置能力
	r4  = "1.5 较大 (4)"   // 跨县级行政区
	r5  = "1.5 较大 (5)"   // 昌吉州人民政府认为有必要响应
	g1  = "1.5 一般 (1)"   // 3 人以下死亡 / 10 人以下重伤 / 1000 万元以下
	g2  = "1.5 一般 (2)"   // 县市人民政府（园区管委会）认为有必要响应

	sc1 = "1.3 (1)" // 3 人以上死亡（含失踪）/ 危及 3 人以上 / 10 人以上中毒（重伤）/ 转移 1 万人以上 / 1000 万元以上
	sc2 = "1.3 (2)" // 超出县市处置能力 / 跨县市行政区 / 跨多个领域
	sc3 = "1.3 (3)" // 其他需要昌吉州人民政府处置的 (grades 较大 and above, per grading.yaml)
)

type kv = map[string]any

// gradeCase is one incident with every input known (clZeroIncident), the
// grade the text gives it, every level criterion that holds at the winning
// and at lower levels, and every scope criterion of 1.3 that holds (none:
// not in scope).
type gradeCase struct {
	name    string
	set     kv
	level   string
	matched []string
	scope   []string
}

func clRules(t *testing.T, id string) *grading.Rules {
	t.Helper()
	p, err := yingji.Embedded(id)
	require.NoError(t, err, "embedded plan %s must load", id)
	require.NotNil(t, p.Grading)
	return p.Grading
}

// clZeroIncident builds an incident in which every graded input is known:
// counts and amounts 0, enums "none", bools false; then applies set.
func clZeroIncident(t *testing.T, r *grading.Rules, set kv) grading.Incident {
	t.Helper()
	inc := r.NewIncident()
	for _, in := range r.Inputs() {
		switch in.Type {
		case grading.Count, grading.Amount:
			require.NoError(t, inc.Set(in.ID, 0))
		case grading.Enum:
			_, ok := in.Rank("none")
			require.True(t, ok, "enum %s has no value none", in.ID)
			require.NoError(t, inc.Set(in.ID, "none"))
		case grading.Bool:
			require.NoError(t, inc.Set(in.ID, false))
		}
	}
	for k, v := range set {
		require.NoError(t, inc.Set(k, v), "set %s = %v", k, v)
	}
	return inc
}

func clClauses(ms []grading.Match) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.Criterion.Clause)
	}
	return out
}

func clAssertLevel(t *testing.T, res *grading.Result, want string) {
	t.Helper()
	l, ok := res.Level()
	require.True(t, ok, "a result must have a level")
	assert.Equal(t, want, l.ID, "level id")
	if lt, ok := clLevelText[want]; ok {
		assert.Equal(t, lt.name, l.Name, "level name")
		assert.Equal(t, lt.response, l.Response.ID, "response level (附件 8.3)")
	}
}

// clCheck asserts the whole result of a fully known incident.
func clCheck(t *testing.T, res grading.Result, tc gradeCase) {
	t.Helper()
	clAssertLevel(t, &res, tc.level)
	assert.ElementsMatch(t, tc.matched, clClauses(res.Matched()), "matched criteria")
	assert.Equal(t, len(tc.scope) > 0, res.InScope(), "in scope (1.3)")
	assert.ElementsMatch(t, tc.scope, clClauses(res.ScopeMatched()), "matched scope criteria (1.3)")
	for _, m := range res.Matched() {
		assert.False(t, m.Provisional, "%s: nothing is unknown, so nothing is provisional", m.Criterion.Clause)
	}
	assert.Empty(t, res.Unknowns(), "nothing is unknown")
	if c, ok := res.Ceiling(); assert.True(t, ok) {
		assert.Equal(t, tc.level, c.ID, "with everything known the ceiling is the grade")
	}
}

// clThresholdCases: every threshold of 1.5 just below, at and just above.
// 一般 (1) holds in almost every row because its three parts are joined by
// 或者 and the other inputs are 0: 0 重伤 is "10 人以下重伤", 0 元 is "1000 万元以下".
func clThresholdCases() []gradeCase {
	return []gradeCase{
		// 死亡（含失踪）: 3 / 10 / 30 人以上, 10 / 30 人以下.
		{"1.5 一般 (1) deaths=2 is 3 人以下死亡: 一般, below 1.3 (1)", kv{"deaths": 2}, lvG, []string{g1}, nil},
		{"1.5 较大 (1) deaths=3 is 3 人以上 (含本数): 较大", kv{"deaths": 3}, lvR, []string{r1, g1}, []string{sc1, sc3}},
		{"1.5 较大 (1) deaths=4 is 较大", kv{"deaths": 4}, lvR, []string{r1, g1}, []string{sc1, sc3}},
		{"1.5 较大 (1) deaths=9 is 10 人以下 (不含本数): 较大", kv{"deaths": 9}, lvR, []string{r1, g1}, []string{sc1, sc3}},
		{"1.5 重大 (1) deaths=10 is 重大, not 较大 (1)", kv{"deaths": 10}, lvS, []string{s1, g1}, []string{sc1, sc3}},
		{"1.5 重大 (1) deaths=11 is 重大", kv{"deaths": 11}, lvS, []string{s1, g1}, []string{sc1, sc3}},
		{"1.5 重大 (1) deaths=29 is 30 人以下: 重大", kv{"deaths": 29}, lvS, []string{s1, g1}, []string{sc1, sc3}},
		{"1.5 特别重大 (1) deaths=30 is 特别重大, not 重大 (1)", kv{"deaths": 30}, lvES, []string{es1, g1}, []string{sc1, sc3}},
		{"1.5 特别重大 (1) deaths=31 is 特别重大", kv{"deaths": 31}, lvES, []string{es1, g1}, []string{sc1, sc3}},

		// 危及生命安全: 重大 (1) and 较大 (1) both say 10 人以上、30 人以下; 1.3 (1) says 3 人以上.
		{"1.5 一般 endangered=9 is below 重大 (1) and 较大 (1) 危及 10 人以上: 一般, in scope by 1.3 (1)", kv{"endangered": 9}, lvG, []string{g1}, []string{sc1}},
		{"1.5 重大 (1) and 较大 (1) endangered=10 is 危及 10 人以上: 重大", kv{"endangered": 10}, lvS, []string{s1, r1, g1}, []string{sc1, sc3}},
		{"1.5 重大 (1) and 较大 (1) endangered=11 is 重大", kv{"endangered": 11}, lvS, []string{s1, r1, g1}, []string{sc1, sc3}},
		{"1.5 重大 (1) and 较大 (1) endangered=29 is 30 人以下: 重大", kv{"endangered": 29}, lvS, []string{s1, r1, g1}, []string{sc1, sc3}},
		{"1.5 特别重大 (1) endangered=30 is 危及 30 人以上: 特别重大", kv{"endangered": 30}, lvES, []string{es1, g1}, []string{sc1, sc3}},
		{"1.5 特别重大 (1) endangered=31 is 特别重大", kv{"endangered": 31}, lvES, []string{es1, g1}, []string{sc1, sc3}},

		// 中毒（重伤）: 一般 (1) 10 人以下重伤; 较大 30–50; 重大 50–100; 特别重大 100 人以上.
		{"1.5 一般 (1) seriousInjuries=9 is 10 人以下重伤: 一般, below 1.3 (1)", kv{"seriousInjuries": 9}, lvG, []string{g1}, nil},
		{"1.5 一般 seriousInjuries=10 is no level's 中毒（重伤） range: 一般 via 一般 (1) 3 人以下死亡, in scope by 1.3 (1)", kv{"seriousInjuries": 10}, lvG, []string{g1}, []string{sc1}},
		{"1.5 一般 seriousInjuries=11 is 一般, in scope by 1.3 (1)", kv{"seriousInjuries": 11}, lvG, []string{g1}, []string{sc1}},
		{"1.5 一般 seriousInjuries=29 is below 较大 (1) 30 人以上: 一般", kv{"seriousInjuries": 29}, lvG, []string{g1}, []string{sc1}},
		{"1.5 较大 (1) seriousInjuries=30 is 30 人以上中毒（重伤）: 较大", kv{"seriousInjuries": 30}, lvR, []string{r1, g1}, []string{sc1, sc3}},
		{"1.5 较大 (1) seriousInjuries=31 is 较大", kv{"seriousInjuries": 31}, lvR, []string{r1, g1}, []string{sc1, sc3}},
		{"1.5 较大 (1) seriousInjuries=49 is 50 人以下: 较大", kv{"seriousInjuries": 49}, lvR, []string{r1, g1}, []string{sc1, sc3}},
		{"1.5 重大 (1) seriousInjuries=50 is 50 人以上: 重大, not 较大 (1)", kv{"seriousInjuries": 50}, lvS, []string{s1, g1}, []string{sc1, sc3}},
		{"1.5 重大 (1) seriousInjuries=51 is 重大", kv{"seriousInjuries": 51}, lvS, []string{s1, g1}, []string{sc1, sc3}},
		{"1.5 重大 (1) seriousInjuries=99 is 100 人以下: 重大", kv{"seriousInjuries": 99}, lvS, []string{s1, g1}, []string{sc1, sc3}},
		{"1.5 特别重大 (1) seriousInjuries=100 is 100 人以上: 特别重大, not 重大 (1)", kv{"seriousInjuries": 100}, lvES, []string{es1, g1}, []string{sc1, sc3}},
		{"1.5 特别重大 (1) seriousInjuries=101 is 特别重大", kv{"seriousInjuries": 101}, lvES, []string{es1, g1}, []string{sc1, sc3}},

		// 直接经济损失 in yuan: 1000 万 / 5000 万 / 1 亿.
		{"1.5 一般 (1) directLoss=9999999 is 1000 万元以下: 一般, below 1.3 (1)", kv{"directLoss": 9999999}, lvG, []string{g1}, nil},
		{"1.5 较大 (1) directLoss=10000000 is 1000 万元以上: 较大", kv{"directLoss": 10000000}, lvR, []string{r1, g1}, []string{sc1, sc3}},
		{"1.5 较大 (1) directLoss=10000001 is 较大", kv{"directLoss": 10000001}, lvR, []string{r1, g1}, []string{sc1, sc3}},
		{"1.5 较大 (1) directLoss=49999999 is 5000 万元以下: 较大", kv{"directLoss": 49999999}, lvR, []string{r1, g1}, []string{sc1, sc3}},
		{"1.5 重大 (1) directLoss=50000000 is 5000 万元以上: 重大, not 较大 (1)", kv{"directLoss": 50000000}, lvS, []string{s1, g1}, []string{sc1, sc3}},
		{"1.5 重大 (1) directLoss=50000001 is 重大", kv{"directLoss": 50000001}, lvS, []string{s1, g1}, []string{sc1, sc3}},
		{"1.5 重大 (1) directLoss=99999999 is 1 亿元以下: 重大", kv{"directLoss": 99999999}, lvS, []string{s1, g1}, []string{sc1, sc3}},
		{"1.5 特别重大 (1) directLoss=100000000 is 1 亿元以上: 特别重大, not 重大 (1)", kv{"directLoss": 100000000}, lvES, []string{es1, g1}, []string{sc1, sc3}},
		{"1.5 特别重大 (1) directLoss=100000001 is 特别重大", kv{"directLoss": 100000001}, lvES, []string{es1, g1}, []string{sc1, sc3}},

		// 紧急转移（安置）: 较大 (2) 1000 人以上、5 万人以下; 重大 (3) 5 万人以上 (no upper
		// bound); 特别重大 (2) 10 万人以上; 1.3 (1) 1 万人以上.
		{"1.5 一般 evacuated=999 is below 较大 (2) 1000 人以上: 一般, not in scope", kv{"evacuated": 999}, lvG, []string{g1}, nil},
		{"1.5 较大 (2) evacuated=1000 is 1000 人以上: 较大, in scope only by 1.3 (3)", kv{"evacuated": 1000}, lvR, []string{r2, g1}, []string{sc3}},
		{"1.5 较大 (2) evacuated=1001 is 较大", kv{"evacuated": 1001}, lvR, []string{r2, g1}, []string{sc3}},
		{"1.5 较大 (2) evacuated=49999 is 5 万人以下: 较大, in scope by 1.3 (1) 1 万人以上", kv{"evacuated": 49999}, lvR, []string{r2, g1}, []string{sc1, sc3}},
		{"1.5 重大 (3) evacuated=50000 is 5 万人以上: 重大, not 较大 (2)", kv{"evacuated": 50000}, lvS, []string{s3, g1}, []string{sc1, sc3}},
		{"1.5 重大 (3) evacuated=50001 is 重大", kv{"evacuated": 50001}, lvS, []string{s3, g1}, []string{sc1, sc3}},
		{"1.5 重大 (3) evacuated=99999 is below 特别重大 (2) 10 万人以上: 重大", kv{"evacuated": 99999}, lvS, []string{s3, g1}, []string{sc1, sc3}},
		{"1.5 特别重大 (2) evacuated=100000 is 10 万人以上: 特别重大; 重大 (3) 5 万人以上 holds too", kv{"evacuated": 100000}, lvES, []string{es2, s3, g1}, []string{sc1, sc3}},
		{"1.5 特别重大 (2) evacuated=100001 is 特别重大", kv{"evacuated": 100001}, lvES, []string{es2, s3, g1}, []string{sc1, sc3}},
	}
}

// clMissingCases: 死亡（含失踪） counts the missing; 一般 (1) "3 人以下死亡" does not.
func clMissingCases() []gradeCase {
	return []gradeCase{
		{"1.5 重大 (1) 死亡（含失踪） deaths=8 missing=2 is 10 人以上: 重大", kv{"deaths": 8, "missing": 2}, lvS, []string{s1, g1}, []string{sc1, sc3}},
		{"1.5 重大 (1) 死亡（含失踪） deaths=0 missing=10 is 重大", kv{"missing": 10}, lvS, []string{s1, g1}, []string{sc1, sc3}},
		{"1.5 特别重大 (1) 死亡（含失踪） deaths=20 missing=10 is 30 人以上: 特别重大", kv{"deaths": 20, "missing": 10}, lvES, []string{es1, g1}, []string{sc1, sc3}},
		{"1.5 较大 (1) 死亡（含失踪） deaths=2 missing=1 is 3 人以上: 较大; 一般 (1) 2 deaths is 3 人以下死亡", kv{"deaths": 2, "missing": 1}, lvR, []string{r1, g1}, []string{sc1, sc3}},
		{"1.5 一般 (1) uses 死亡 only: deaths=2 missing=1 seriousInjuries=10 directLoss=1000万 still holds by 2 deaths", kv{"deaths": 2, "missing": 1, "seriousInjuries": 10, "directLoss": 10000000}, lvR, []string{r1, g1}, []string{sc1, sc3}},
		{"1.5 一般 (1) 以下不含本数: deaths=3 seriousInjuries=10 directLoss=1000万 meets none of its parts", kv{"deaths": 3, "seriousInjuries": 10, "directLoss": 10000000}, lvR, []string{r1}, []string{sc1, sc3}},
		{"1.5 较大 (1) 死亡（含失踪） deaths=9 missing=1 is 10, not 10 人以下: 重大", kv{"deaths": 9, "missing": 1}, lvS, []string{s1, g1}, []string{sc1, sc3}},
	}
}

// clEnumCases: the ordered inputs and the booleans. Exceeding a higher
// government's capacity also exceeds the lower ones' (the region's capacity
// includes the prefecture's), and crossing a province also crosses Changji's
// and a county's boundary, so those hold at every lower level too.
// 认为有必要响应 is a judgement by one named government: 自治区人民政府认为有必要响应
// says nothing about what 昌吉州 or a 县市 government thinks, so 较大 (5) and 一般 (2)
// are not established by it.
func clEnumCases() []gradeCase {
	return []gradeCase{
		{"1.5 较大 (3) exceedsCapacityOf=county is 较大; 1.3 (2) 超出县市处置能力", kv{"exceedsCapacityOf": "county"}, lvR, []string{r3, g1}, []string{sc2, sc3}},
		{"1.5 重大 (2) exceedsCapacityOf=prefecture is 重大", kv{"exceedsCapacityOf": "prefecture"}, lvS, []string{s2, r3, g1}, []string{sc2, sc3}},
		{"1.5 特别重大 (3) exceedsCapacityOf=region is 特别重大", kv{"exceedsCapacityOf": "region"}, lvES, []string{es3, s2, r3, g1}, []string{sc2, sc3}},

		{"1.5 一般 (2) deemedNecessaryBy=county is 一般, not in scope", kv{"deemedNecessaryBy": "county"}, lvG, []string{g2, g1}, nil},
		// deemedNecessaryBy records the highest government that judged a
		// response necessary; per 4.2 requests go up level by level, so the
		// lower governments' judgements are part of it (interpretation in
		// grading.yaml).
		{"1.5 较大 (5) deemedNecessaryBy=prefecture is 较大; the county's 一般 (2) judgement came first (4.2)", kv{"deemedNecessaryBy": "prefecture"}, lvR, []string{r5, g1, g2}, []string{sc3}},
		{"1.5 重大 (5) deemedNecessaryBy=region is 重大; 较大 (5) and 一般 (2) came first (4.2)", kv{"deemedNecessaryBy": "region"}, lvS, []string{s5, r5, g1, g2}, []string{sc3}},

		{"1.5 较大 (4) crosses=county is 跨县级行政区: 较大; 1.3 (2) 跨县市行政区", kv{"crosses": "county"}, lvR, []string{r4, g1}, []string{sc2, sc3}},
		{"1.5 重大 (4) crosses=prefecture is 跨昌吉州行政区: 重大", kv{"crosses": "prefecture"}, lvS, []string{s4, r4, g1}, []string{sc2, sc3}},
		{"1.5 特别重大 (4) crosses=province is 跨省级行政区: 特别重大", kv{"crosses": "province"}, lvES, []string{es4, s4, r4, g1}, []string{sc2, sc3}},

		{"1.5 特别重大 (5) stateCouncilResponse=true is 需要国务院安委会响应: 特别重大", kv{"stateCouncilResponse": true}, lvES, []string{es5, g1}, []string{sc3}},
		{"1.5 特别重大 (4) interpretation: crossDomain=true alone is 一般, in scope by 1.3 (2) 跨多个领域", kv{"crossDomain": true}, lvG, []string{g1}, []string{sc2}},
		{"1.5 特别重大 (4) crosses=province with crossDomain=true is 特别重大", kv{"crosses": "province", "crossDomain": true}, lvES, []string{es4, s4, r4, g1}, []string{sc2, sc3}},
	}
}

// clScopeCases: 1.3 on its own terms, where its thresholds differ from 1.5's.
func clScopeCases() []gradeCase {
	return []gradeCase{
		{"1.3 (1) everything 0 is 一般 and not in scope", kv{}, lvG, []string{g1}, nil},
		{"1.3 (1) endangered=2 is below 危及 3 人以上: not in scope", kv{"endangered": 2}, lvG, []string{g1}, nil},
		{"1.3 (1) endangered=3 is 危及 3 人以上: 一般 yet in scope", kv{"endangered": 3}, lvG, []string{g1}, []string{sc1}},
		{"1.3 (1) endangered=5 is 一般 yet in scope", kv{"endangered": 5}, lvG, []string{g1}, []string{sc1}},
		{"1.3 (1) deaths=2 missing=0 is below 3 人以上死亡（含失踪）: not in scope", kv{"deaths": 2}, lvG, []string{g1}, nil},
		{"1.3 (3) evacuated=2000 is 较大 by 1.5 较大 (2), below 1.3 (1) 1 万人以上: in scope only by 1.3 (3)", kv{"evacuated": 2000}, lvR, []string{r2, g1}, []string{sc3}},
		{"1.3 (1) evacuated=9999 is below 紧急转移 1 万人以上: in scope by 1.3 (3) only", kv{"evacuated": 9999}, lvR, []string{r2, g1}, []string{sc3}},
		{"1.3 (1) evacuated=10000 is 紧急转移 1 万人以上: in scope by 1.3 (1) and (3)", kv{"evacuated": 10000}, lvR, []string{r2, g1}, []string{sc1, sc3}},
		{"1.3 (1) directLoss=9999999 is below 1000 万元以上: not in scope", kv{"directLoss": 9999999}, lvG, []string{g1}, nil},
		{"1.3 (2) crossDomain=true is 跨多个领域: 一般 yet in scope", kv{"crossDomain": true}, lvG, []string{g1}, []string{sc2}},
		{"1.3 (3) deemedNecessaryBy=county is 一般: not needing the prefecture, not in scope", kv{"deemedNecessaryBy": "county"}, lvG, []string{g2, g1}, nil},
	}
}

func TestClassifyThresholds(t *testing.T) {
	r := clRules(t, "changji-2025")
	groups := []struct {
		name  string
		cases []gradeCase
	}{
		{"1.5 thresholds", clThresholdCases()},
		{"1.5 死亡（含失踪）", clMissingCases()},
		{"1.5 enums and bools", clEnumCases()},
		{"1.3 scope", clScopeCases()},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, tc := range g.cases {
				t.Run(tc.name, func(t *testing.T) {
					inc := clZeroIncident(t, r, tc.set)
					res, err := r.Classify(context.Background(), inc)
					require.NoError(t, err)
					clCheck(t, res, tc)
				})
			}
		})
	}
}

// TestClassifyExprAgrees runs every criterion's expr program (ClassifyExpr)
// on the same cases: it must give the text's grade and matched set, as the
// native evaluator does.
func TestClassifyExprAgrees(t *testing.T) {
	r := clRules(t, "changji-2025")
	var all []gradeCase
	all = append(all, clThresholdCases()...)
	all = append(all, clMissingCases()...)
	all = append(all, clEnumCases()...)
	all = append(all, clScopeCases()...)
	for _, tc := range all {
		t.Run(tc.name, func(t *testing.T) {
			inc := clZeroIncident(t, r, tc.set)
			native, err := r.Classify(context.Background(), inc)
			require.NoError(t, err)
			viaExpr, err := r.ClassifyExpr(context.Background(), inc)
			require.NoError(t, err)
			clAssertLevel(t, &viaExpr, tc.level)
			assert.ElementsMatch(t, tc.matched, clClauses(viaExpr.Matched()), "expr: matched criteria")
			nl, _ := native.Level()
			el, _ := viaExpr.Level()
			if assert.NotNil(t, nl) && assert.NotNil(t, el) {
				assert.Equal(t, nl.ID, el.ID, "expr and native agree on the grade")
			}
			assert.Equal(t, clClauses(native.Matched()), clClauses(viaExpr.Matched()), "expr and native agree on the matched set")
		})
	}
}

// clZeroJSON is an incident with every graded input explicitly 0 / none / false.
const clZeroJSON = `"deaths":0,"missing":0,"endangered":0,"seriousInjuries":0,"evacuated":0,` +
	`"crosses":"none","crossDomain":false,"exceedsCapacityOf":"none","deemedNecessaryBy":"none","stateCouncilResponse":false`

func TestClassifyChineseAmounts(t *testing.T) {
	r := clRules(t, "changji-2025")
	cases := []struct {
		name    string
		loss    string // the JSON value of directLoss
		yuan    float64
		level   string
		matched []string
		scope   []string
	}{
		{"1.5 重大 (1) directLoss \"5000万\" is 5000 万元以上: 重大", `"5000万"`, 50_000_000, lvS, []string{s1, g1}, []string{sc1, sc3}},
		{"1.5 重大 (1) directLoss \"5000万元\" is 重大", `"5000万元"`, 50_000_000, lvS, []string{s1, g1}, []string{sc1, sc3}},
		{"1.5 较大 (1) directLoss \"4999.99万\" is 5000 万元以下: 较大", `"4999.99万"`, 49_999_900, lvR, []string{r1, g1}, []string{sc1, sc3}},
		{"1.5 一般 (1) directLoss \"999.99万\" is 1000 万元以下: 一般", `"999.99万"`, 9_999_900, lvG, []string{g1}, nil},
		{"1.5 较大 (1) directLoss \"1000万\" is 1000 万元以上: 较大", `"1000万"`, 10_000_000, lvR, []string{r1, g1}, []string{sc1, sc3}},
		{"1.5 较大 (1) directLoss \"1000.01万\" is 较大", `"1000.01万"`, 10_000_100, lvR, []string{r1, g1}, []string{sc1, sc3}},
		{"1.5 重大 (1) directLoss \"9999.99万\" is 1 亿元以下: 重大", `"9999.99万"`, 99_999_900, lvS, []string{s1, g1}, []string{sc1, sc3}},
		{"1.5 特别重大 (1) directLoss \"1亿\" is 1 亿元以上: 特别重大", `"1亿"`, 100_000_000, lvES, []string{es1, g1}, []string{sc1, sc3}},
		{"1.5 特别重大 (1) directLoss \"1.2亿元\" is 特别重大", `"1.2亿元"`, 120_000_000, lvES, []string{es1, g1}, []string{sc1, sc3}},
		{"1.5 重大 (1) directLoss 50000000 as a JSON number is 重大", `50000000`, 50_000_000, lvS, []string{s1, g1}, []string{sc1, sc3}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inc, err := r.ParseIncident([]byte(`{` + clZeroJSON + `,"directLoss":` + tc.loss + `}`))
			require.NoError(t, err)
			v, ok := inc.Value("directLoss")
			require.True(t, ok)
			assert.InDelta(t, tc.yuan, v, 1e-6, "yuan")
			res, err := r.Classify(context.Background(), inc)
			require.NoError(t, err)
			clCheck(t, res, gradeCase{name: tc.name, level: tc.level, matched: tc.matched, scope: tc.scope})
		})
	}

	t.Run("1.5 重大 (1) {\"directLoss\":\"5000万\"} alone is 重大 by a sure criterion", func(t *testing.T) {
		inc, err := r.ParseIncident([]byte(`{"directLoss":"5000万"}`))
		require.NoError(t, err)
		res, err := r.Classify(context.Background(), inc)
		require.NoError(t, err)
		clAssertLevel(t, &res, lvS)
		var found bool
		for _, m := range res.Matched() {
			if m.Criterion.Clause == s1 {
				found = true
				assert.False(t, m.Provisional, "5000 万元 alone establishes 重大 (1), whatever the unknowns are")
			}
		}
		assert.True(t, found, "1.5 重大 (1) matched")
	})
}

func TestClassifyUnknownIsNotZero(t *testing.T) {
	r := clRules(t, "changji-2025")
	ctx := context.Background()

	// The inputs that appear in a 特别重大 criterion of 1.5 (crossDomain does
	// not, per the interpretation of 特别重大 (4)).
	reachES := map[string]string{
		"missing": lvES, "endangered": lvES, "seriousInjuries": lvES, "evacuated": lvES, "directLoss": lvES,
		"crosses": lvES, "exceedsCapacityOf": lvES, "stateCouncilResponse": lvES,
	}
	unknownMap := func(res *grading.Result) map[string]string {
		out := map[string]string{}
		for _, u := range res.Unknowns() {
			out[u.Input.ID] = u.CouldReach.ID
		}
		return out
	}

	t.Run("1.5 重大 (1) deaths=12 only is 重大, provisional while missing is unknown", func(t *testing.T) {
		inc, err := r.ParseIncident([]byte(`{"deaths":12}`))
		require.NoError(t, err)
		res, err := r.Classify(ctx, inc)
		require.NoError(t, err)
		clAssertLevel(t, &res, lvS)
		assert.ElementsMatch(t, []string{s1, g1}, clClauses(res.Matched()))
		for _, m := range res.Matched() {
			// 12 + unknown missing could reach 30 (特别重大 (1)); 一般 (1)
			// holds only while 重伤 and loss are taken at 0.
			assert.True(t, m.Provisional, "%s is provisional", m.Criterion.Clause)
		}
		assert.Equal(t, reachES, unknownMap(&res), "unknowns that could raise 重大, and how far")
		if c, ok := res.Ceiling(); assert.True(t, ok) {
			assert.Equal(t, lvES, c.ID)
		}
		assert.True(t, res.InScope(), "1.3 (1) 3 人以上死亡 is met by the 12 known deaths")
		assert.ElementsMatch(t, []string{sc1, sc3}, clClauses(res.ScopeMatched()))
	})

	t.Run("1.5 重大 (1) deaths=12 with every other input explicitly 0 has no unknowns", func(t *testing.T) {
		inc, err := r.ParseIncident([]byte(`{` + clZeroJSON + `,"directLoss":0}`))
		require.NoError(t, err)
		require.NoError(t, inc.Set("deaths", 12))
		res, err := r.Classify(ctx, inc)
		require.NoError(t, err)
		clCheck(t, res, gradeCase{level: lvS, matched: []string{s1, g1}, scope: []string{sc1, sc3}})
	})

	t.Run("an explicit 0 is known; absent and null are unknown", func(t *testing.T) {
		zero, err := r.ParseIncident([]byte(`{"deaths":0}`))
		require.NoError(t, err)
		assert.True(t, zero.Known("deaths"))
		v, ok := zero.Value("deaths")
		assert.True(t, ok)
		assert.Equal(t, 0.0, v)

		absent, err := r.ParseIncident([]byte(`{}`))
		require.NoError(t, err)
		assert.False(t, absent.Known("deaths"))
		null, err := r.ParseIncident([]byte(`{"deaths":null}`))
		require.NoError(t, err)
		assert.False(t, null.Known("deaths"))

		rz, err := r.Classify(ctx, zero)
		require.NoError(t, err)
		ra, err := r.Classify(ctx, absent)
		require.NoError(t, err)
		assert.NotContains(t, unknownMap(&rz), "deaths", "a known 0 cannot raise the grade")
		assert.Contains(t, unknownMap(&ra), "deaths", "unknown deaths could reach 30 人以上")
	})

	t.Run("1.5 一般 interpretation: {} is 一般 (baseline), ceiling 特别重大, not in scope", func(t *testing.T) {
		inc, err := r.ParseIncident([]byte(`{}`))
		require.NoError(t, err)
		res, err := r.Classify(ctx, inc)
		require.NoError(t, err)
		clAssertLevel(t, &res, lvG)
		if c, ok := res.Ceiling(); assert.True(t, ok) {
			assert.Equal(t, lvES, c.ID)
		}
		want := map[string]string{"deaths": lvES, "deemedNecessaryBy": lvS} // 重大 (5) is its highest
		for k, v := range reachES {
			want[k] = v
		}
		assert.Equal(t, want, unknownMap(&res))
		assert.ElementsMatch(t, []string{g1}, clClauses(res.Matched()))
		for _, m := range res.Matched() {
			assert.True(t, m.Provisional, "%s holds only while everything is taken at 0", m.Criterion.Clause)
		}
		assert.False(t, res.InScope(), "1.3 (1) atoms are unknown, 1.3 (3) excludes 一般")
		assert.Empty(t, res.ScopeMatched())
	})
}

func TestParseIncidentBadInput(t *testing.T) {
	r := clRules(t, "changji-2025")
	cases := []struct {
		name string
		json string
		code string
		want []string // substrings of the message
	}{
		{"negative count", `{"deaths":-1}`, grading.CodeInputNegative, []string{"deaths", "negative"}},
		{"fractional count", `{"deaths":2.5}`, grading.CodeInputNotWhole, []string{"deaths", "2.5", "whole number"}},
		{"negative amount", `{"directLoss":-5}`, grading.CodeInputNegative, []string{"directLoss", "negative"}},
		{"unknown field with a near miss", `{"death":3}`, grading.CodeInputUnknownField, []string{"death", `Did you mean "deaths"?`}},
		{"unknown enum value", `{"crosses":"provence"}`, grading.CodeInputEnumUnknown, []string{"crosses", "provence", "province (跨省级行政区)"}},
		{"enum given a number", `{"exceedsCapacityOf":2}`, grading.CodeInputWrongType, []string{"exceedsCapacityOf"}},
		{"bool given a string", `{"stateCouncilResponse":"yes"}`, grading.CodeInputWrongType, []string{"stateCouncilResponse", "true or false"}},
		{"unparseable amount", `{"directLoss":"五千万"}`, grading.CodeInputBadAmount, []string{"directLoss", "五千万"}},
		{"string for a count", `{"deaths":"3"}`, grading.CodeInputWrongType, []string{"deaths", "string"}},
		{"too large", `{"directLoss":1e16}`, grading.CodeInputTooLarge, []string{"directLoss", "implausibly large"}},
		{"list given a string", `{"industries":"道路交通"}`, grading.CodeInputWrongType, []string{"industries", "list"}},
		{"JSON array, not an object", `[1,2]`, grading.CodeInputNotObject, []string{"JSON object"}},
		{"JSON null, not an object", `null`, grading.CodeInputNotObject, []string{"JSON object"}},
		{"JSON number, not an object", `3`, grading.CodeInputNotObject, []string{"JSON object"}},
		{"not JSON", `deaths=3`, grading.CodeInputNotObject, []string{"JSON object"}},
		{"data after the object", `{"deaths":1} {"deaths":2}`, grading.CodeInputTrailingData, []string{"after the JSON object"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.ParseIncident([]byte(tc.json))
			require.Error(t, err)
			assert.ErrorIs(t, err, grading.ErrBadInput)
			assert.True(t, strings.HasPrefix(err.Error(), "grading: "), "error strings start with the package name: %q", err.Error())
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			ps := diag.ProblemsOf(err)
			require.Len(t, ps, 1)
			assert.Equal(t, tc.code, ps[0].Code)
			assert.NotEmpty(t, ps[0].Field)
			assert.NotEmpty(t, ps[0].Message)
			assert.NotNil(t, ps[0].Params)
		})
	}

	t.Run("NaN and Inf through Set", func(t *testing.T) {
		for _, c := range []struct {
			field string
			v     float64
		}{
			{"deaths", math.NaN()},
			{"deaths", math.Inf(1)},
			{"deaths", math.Inf(-1)},
			{"directLoss", math.NaN()},
			{"directLoss", math.Inf(1)},
		} {
			inc := r.NewIncident()
			err := inc.Set(c.field, c.v)
			if assert.Error(t, err, "%s = %v", c.field, c.v) {
				assert.ErrorIs(t, err, grading.ErrBadInput)
				assert.Contains(t, err.Error(), c.field)
				assert.Contains(t, err.Error(), "finite")
			}
			assert.False(t, inc.Known(c.field), "a bad value leaves the input unknown, never a silent zero")
		}
	})

	t.Run("several problems are all reported", func(t *testing.T) {
		_, err := r.ParseIncident([]byte(`{"deaths":-1,"missing":2.5,"death":3,"crosses":"provence","directLoss":"五千万","endangered":"3"}`))
		require.Error(t, err)
		assert.ErrorIs(t, err, grading.ErrBadInput)
		var errs grading.InputErrors
		require.True(t, errors.As(err, &errs), "the error is grading.InputErrors: %T", err)
		var fields []string
		for _, e := range errs {
			fields = append(fields, e.Field)
		}
		assert.ElementsMatch(t, []string{"deaths", "missing", "death", "crosses", "directLoss", "endangered"}, fields)
		for _, f := range fields {
			assert.Contains(t, err.Error(), "grading: "+f+":")
		}
	})
}

func TestClassifyDecree493(t *testing.T) {
	// Decree 493 Art. 3 counts 死亡 (no missing), 重伤（包括急性工业中毒）and loss,
	// under the same convention (第三条第二款: 以上包括本数, 以下不包括本数).
	const (
		n1 = "第三条第一款（一）" // 30人以上死亡 / 100人以上重伤 / 1亿元以上
		n2 = "第三条第一款（二）" // 10–30 死亡 / 50–100 重伤 / 5000万–1亿
		n3 = "第三条第一款（三）" // 3–10 死亡 / 10–50 重伤 / 1000万–5000万
		n4 = "第三条第一款（四）" // 3人以下死亡 / 10人以下重伤 / 1000万元以下
	)
	r := clRules(t, "national-493")
	changji := clRules(t, "changji-2025")
	cases := []struct {
		name    string
		set     kv
		level   string
		matched []string
	}{
		{"493 第三条（四） everything 0 is 一般", kv{}, lvG, []string{n4}},
		{"493 第三条（四） seriousInjuries=9 is 10人以下重伤: 一般", kv{"seriousInjuries": 9}, lvG, []string{n4}},
		{"493 第三条（三） seriousInjuries=10 is 10人以上: 较大 (Changji: 一般)", kv{"seriousInjuries": 10}, lvR, []string{n3, n4}},
		{"493 第三条（三） seriousInjuries=49 is 50人以下: 较大", kv{"seriousInjuries": 49}, lvR, []string{n3, n4}},
		{"493 第三条（二） seriousInjuries=50 is 重大", kv{"seriousInjuries": 50}, lvS, []string{n2, n4}},
		{"493 第三条（四） deaths=2 is 3人以下死亡: 一般", kv{"deaths": 2}, lvG, []string{n4}},
		{"493 第三条（三） deaths=3 is 3人以上: 较大", kv{"deaths": 3}, lvR, []string{n3, n4}},
		{"493 第三条（二） deaths=10 is 重大", kv{"deaths": 10}, lvS, []string{n2, n4}},
		{"493 第三条（二） deaths=29 is 30人以下: 重大", kv{"deaths": 29}, lvS, []string{n2, n4}},
		{"493 第三条（一） deaths=30 is 30人以上: 特别重大", kv{"deaths": 30}, lvES, []string{n1, n4}},
		{"493 第三条（二） directLoss=99999999 is 1亿元以下: 重大", kv{"directLoss": 99999999}, lvS, []string{n2, n4}},
		{"493 第三条（一） directLoss=1亿 is 1亿元以上: 特别重大", kv{"directLoss": "1亿"}, lvES, []string{n1, n4}},
		{"493 第三条（四） deaths=3 seriousInjuries=10 directLoss=1000万 meets none of （四）'s 以下", kv{"deaths": 3, "seriousInjuries": 10, "directLoss": 10000000}, lvR, []string{n3}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inc := clZeroIncident(t, r, tc.set)
			res, err := r.Classify(context.Background(), inc)
			require.NoError(t, err)
			l, ok := res.Level()
			require.True(t, ok)
			assert.Equal(t, tc.level, l.ID)
			assert.Equal(t, clLevelText[tc.level].name, l.Name)
			assert.ElementsMatch(t, tc.matched, clClauses(res.Matched()))
			assert.Empty(t, res.Unknowns())

			viaExpr, err := r.ClassifyExpr(context.Background(), inc)
			require.NoError(t, err)
			el, ok := viaExpr.Level()
			require.True(t, ok)
			assert.Equal(t, tc.level, el.ID, "expr")
			assert.ElementsMatch(t, tc.matched, clClauses(viaExpr.Matched()), "expr")
		})
	}

	t.Run("1.5 一般 (1) vs 493 第三条（三）: seriousInjuries=10 is 一般 in Changji", func(t *testing.T) {
		res, err := changji.Classify(context.Background(), clZeroIncident(t, changji, kv{"seriousInjuries": 10}))
		require.NoError(t, err)
		clAssertLevel(t, &res, lvG)
	})

	t.Run("493 第三条 has no missing input: 死亡 only", func(t *testing.T) {
		_, err := r.ParseIncident([]byte(`{"deaths":8,"missing":2}`))
		assert.ErrorIs(t, err, grading.ErrBadInput)
	})
}

// clSyntheticPlan is a plan whose convention is the reverse of Changji's:
// "以上" excludes the number, "以下" includes it. So "10 人以上" is (10, ∞),
// "5 人以上、10 人以下" is (5, 10] and "5 人以下" is [0, 5].
func clSyntheticPlan() fstest.MapFS {
	return fstest.MapFS{
		"plan.yaml": {Data: []byte(`id: synthetic
title: 合成预案
boundaries:
  above: exclusive
  below: inclusive
files:
  grading: grading.yaml
`)},
		"grading.yaml": {Data: []byte(`inputs:
  - id: x
    type: count
    unit: 人
levels:
  - id: high
    name: 高
    criteria:
      - clause: "H (1)"
        text: 10 人以上
        when: {x: 10 人以上}
  - id: mid
    name: 中
    criteria:
      - clause: "M (1)"
        text: 5 人以上、10 人以下
        when: {x: 5 人以上、10 人以下}
  - id: low
    name: 低
    baseline: true
    criteria:
      - clause: "L (1)"
        text: 5 人以下
        when: {x: 5 人以下}
`)},
	}
}

func TestClassifySyntheticConvention(t *testing.T) {
	p, err := yingji.Load(clSyntheticPlan())
	require.NoError(t, err)
	require.NotNil(t, p.Grading)
	r := p.Grading
	cases := []struct {
		name    string
		x       int
		level   string
		matched []string
	}{
		{"above exclusive, below inclusive: x=4 is 5 人以下: low", 4, "low", []string{"L (1)"}},
		{"below inclusive: x=5 is 5 人以下 (含本数): low, not mid", 5, "low", []string{"L (1)"}},
		{"above exclusive: x=6 is 5 人以上 (不含本数): mid", 6, "mid", []string{"M (1)"}},
		{"below inclusive: x=10 is 10 人以下: mid; above exclusive: not high", 10, "mid", []string{"M (1)"}},
		{"above exclusive: x=11 is 10 人以上: high", 11, "high", []string{"H (1)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inc := r.NewIncident()
			require.NoError(t, inc.Set("x", tc.x))
			res, err := r.Classify(context.Background(), inc)
			require.NoError(t, err)
			l, ok := res.Level()
			require.True(t, ok)
			assert.Equal(t, tc.level, l.ID)
			assert.ElementsMatch(t, tc.matched, clClauses(res.Matched()))

			viaExpr, err := r.ClassifyExpr(context.Background(), inc)
			require.NoError(t, err)
			el, ok := viaExpr.Level()
			require.True(t, ok)
			assert.Equal(t, tc.level, el.ID, "expr")
			assert.ElementsMatch(t, tc.matched, clClauses(viaExpr.Matched()), "expr")
		})
	}
}
