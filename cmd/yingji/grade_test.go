package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestGradeHuman(t *testing.T) {
	// 1.5 重大 (1): 10 人以上、30 人以下死亡（含失踪）; 4.2: 自治区指挥部 starts II.
	code, out, errOut := runCLI(t, "", "grade", "--deaths", "12")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Grade: 重大 (serious)")
	assert.Contains(t, out, "Response: II")
	assert.Contains(t, out, "1.5 重大 (1)")
	assert.Contains(t, out, "自治区指挥部")
	assert.Contains(t, out, "missing (失踪) → up to 特别重大")
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
		{"negative count", []string{"--deaths", "-1"}, "deaths: -1: is negative"},
		{"fractional count", []string{"--deaths", "2.5"}, "deaths is a whole number of people"},
		{"unknown flag", []string{"--death", "3"}, `Did you mean "deaths"?`},
		{"bad amount", []string{"--loss", "五千万"}, "directLoss"},
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
	assert.Contains(t, second["error"], "deaths")
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
	code, out, _ = runCLI(t, "", "help")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "grade")
	code, _, errOut := runCLI(t, "", "grdae")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `unknown command "grdae"`)
}
