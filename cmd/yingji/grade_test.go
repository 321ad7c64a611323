package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGradeHuman(t *testing.T) {
	// 1.5 重大 (1): 10 人以上、30 人以下死亡（含失踪）; 附件 8.3: 重大 is Ⅱ级应急响应;
	// 4.2: 自治区指挥部 starts it.
	code, out, errOut := runCLI(t, "", "grade", "--deaths", "12")
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(out, "\n")
	require.Greater(t, len(lines), 5)
	assert.Equal(t, "重大 · Ⅱ级应急响应", lines[0], "the grade and the response level first")
	assert.True(t, strings.HasPrefix(lines[1], "尚有未知事实：最高可能升至 特别重大（失踪、"), lines[1])
	assert.True(t, strings.HasPrefix(lines[2], "依据：1.5 重大 (1)「研判造成 10 人以上、30 人以下死亡（含失踪）"), lines[2])
	assert.Contains(t, lines[3], "死亡 12人，失踪 未知")
	assert.True(t, strings.HasPrefix(lines[4], "启动：自治区指挥部"), lines[4])
	assert.True(t, strings.HasPrefix(lines[5], "适用范围：属于本预案适用范围（1.3 (1)"), lines[5])
	assert.NotContains(t, out, "1.5 一般 (1)", "matches at lower levels only with --all")
	assert.NotContains(t, out, "serious", "names, not ids")

	code, out, errOut = runCLI(t, "", "grade", "--deaths", "12", "--all")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "较低级别也成立的标准：\n  一般 1.5 一般 (1)")
	assert.Contains(t, out, "  失踪 → 最高 特别重大")
	assert.Contains(t, out, "解释（预案文字不明确处，数据采用的读法）：")
}

func TestGradeSettled(t *testing.T) {
	// 1.5 特别重大 (1): 30 人以上死亡 — nothing unknown can raise 特别重大.
	code, out, errOut := runCLI(t, "", "grade", "--deaths", "31")
	require.Equal(t, 0, code, errOut)
	assert.True(t, strings.HasPrefix(out, "特别重大 · Ⅰ级应急响应\n级别已定：其余未知事实不会再提高级别\n"), out)
}

func TestGradeEnglish(t *testing.T) {
	code, out, errOut := runCLI(t, "", "grade", "--deaths", "12", "--lang", "en")
	require.Equal(t, 0, code, errOut)
	assert.True(t, strings.HasPrefix(out, "Grade: 重大 (serious) · response Ⅱ级应急响应\nProvisional: unknown facts could still raise it to 特别重大"), out)
	assert.Contains(t, out, "deaths + missing ≥ 12 (missing unknown) ∈ [10, 30)")
	code, _, errOut = runCLI(t, "", "grade", "--lang", "fr")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--lang fr: the language is zh or en")
}

func TestGradeFlagsByKebabAndAlias(t *testing.T) {
	// 1.5 较大 (1): 30 人以上、50 人以下中毒（重伤）; directLoss alias --loss.
	code, out, errOut := runCLI(t, "", "grade", "--json", "--serious-injuries", "30", "--loss", "1000万", "--cross-domain")
	require.Equal(t, 0, code, errOut)
	var res map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	assert.Equal(t, "relatively-serious", res["level"])
	assert.Equal(t, "III", res["response"])
	assert.Equal(t, true, res["inScope"])
}

func TestGradeBadFlags(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		// An ordered enum lists its values in order; it never suggests one by edit distance (issue 9).
		{"unknown enum value", []string{"--crosses", "provence"}, `none (不跨行政区), county (跨县级行政区), prefecture (跨昌吉州行政区), province (跨省级行政区)`},
		{"negative count", []string{"--deaths", "-1"}, "--deaths -1: is negative"},
		{"fractional count", []string{"--deaths", "2.5"}, "--deaths 2.5: deaths is a whole number of people"},
		{"unknown flag", []string{"--death", "3"}, `Did you mean "deaths"?`},
		{"bad amount", []string{"--loss", "五千万"}, `--loss 五千万: is not an amount; write yuan as a number, or "5000万"`},
		{"stray argument", []string{"12"}, `unexpected argument "12"`},
		{"unknown plan", []string{"--plan", "changji-2052"}, "neither an embedded plan"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, "", append([]string{"grade"}, tc.args...)...)
			assert.Equal(t, 2, code)
			assert.Contains(t, errOut, tc.want)
		})
	}
}

func TestGradeJSONL(t *testing.T) {
	in := strings.Join([]string{
		`{"directLoss":"5000万"}`, // 1.5 重大 (1): 5000 万元以上
		`{"deaths":-1}`,
		`not json`,
		``,
		`{"deaths":31}`, // 1.5 特别重大 (1): 30 人以上
	}, "\n")
	code, out, _ := runCLI(t, in, "grade", "--jsonl")
	assert.Equal(t, 1, code, "a bad line makes the exit status 1")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 4)
	var first, second, third, fourth map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &second))
	require.NoError(t, json.Unmarshal([]byte(lines[2]), &third))
	require.NoError(t, json.Unmarshal([]byte(lines[3]), &fourth))
	assert.Equal(t, "serious", first["level"])
	assert.Equal(t, "II", first["response"])
	assert.Equal(t, float64(2), second["line"])
	assert.Contains(t, second["error"].(map[string]any)["message"], "deaths")
	assert.Contains(t, second["error"].(map[string]any)["message"], "negative")
	assert.Equal(t, float64(3), third["line"])
	assert.Equal(t, "especially-serious", fourth["level"])
}

func TestGradeOtherPlan(t *testing.T) {
	// Decree 493 Art. 3 (三): 10人以上50人以下重伤 is 较大.
	code, out, errOut := runCLI(t, "", "grade", "--plan", "national-493", "--json", "--seriousInjuries", "10")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"level": "relatively-serious"`)
}

func TestPlansAndHelp(t *testing.T) {
	code, out, _ := runCLI(t, "", "plans")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "changji-2025 (default)")
	assert.Contains(t, out, "national-493")
}

// Issue 9's done-when: enum facts as the plan's data writes them.
func TestGradeEnumSpellings(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		input string
		want  string
		level string
	}{
		{"1.5 较大 (4) 跨县级行政区, by its label", []string{"--crosses", "跨县级行政区"}, "crosses", "county", "relatively-serious"},
		{"1.5 较大 (4) by its id", []string{"--crosses", "county"}, "crosses", "county", "relatively-serious"},
		{"1.5 较大 (3) 超出县市人民政府（园区管委会）处置能力, by an alias", []string{"--exceeds-capacity-of", "县级"}, "exceedsCapacityOf", "county", "relatively-serious"},
		{"1.5 重大 (2) 超出昌吉州人民政府处置能力, by its label", []string{"--exceedsCapacityOf", "超出昌吉州人民政府处置能力"}, "exceedsCapacityOf", "prefecture", "serious"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", append([]string{"grade", "--json"}, tc.args...)...)
			require.Equal(t, 0, code, errOut)
			var res struct {
				Level   string `json:"level"`
				Matched []struct {
					Because string `json:"because"`
				} `json:"matched"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &res))
			assert.Equal(t, tc.level, res.Level)
			require.NotEmpty(t, res.Matched)
			assert.Contains(t, res.Matched[0].Because, tc.input+" = "+tc.want)
		})
	}
}
