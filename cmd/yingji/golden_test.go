package main

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/internal/golden"
)

var hashRE = regexp.MustCompile(`sha256:[0-9a-f]+…?`)

// The human output of grade, roster, drill, lint, diff, replay and test,
// in Chinese (the default) and in English, pinned as golden files under
// testdata/golden. Rewrite
// them with go test ./cmd/yingji -run TestGolden -update, and read the
// diff: these are what the person on duty reads.
func TestGoldenHumanOutput(t *testing.T) {
	const escalation = "../../examples/drills/iv-to-iii-escalation.yaml"
	cases := []struct {
		file string
		args []string
	}{
		// 1.5 重大 (1): 10 人以上、30 人以下死亡（含失踪）.
		{"grade-deaths-12.zh.txt", []string{"grade", "--deaths", "12"}},
		{"grade-deaths-12.en.txt", []string{"grade", "--deaths", "12", "--lang", "en"}},
		{"grade-deaths-12-all.zh.txt", []string{"grade", "--deaths", "12", "--all"}},
		// 1.5 较大 (4): 跨县级行政区; 1.3 (2) puts it in scope.
		{"grade-crosses-county.zh.txt", []string{"grade", "--crosses", "county", "--deaths", "0", "--missing", "0"}},
		// Nothing given: 一般 (1) at the least, every fact unknown.
		{"grade-nothing.zh.txt", []string{"grade"}},
		// 4.4: the Ⅲ roster of a 道路交通 accident in 昌吉市.
		{"roster-road-changji-III.zh.txt", []string{"roster", "--industry", "道路交通", "--locality", "昌吉市", "--level", "III"}},
		{"roster-road-changji-III.en.txt", []string{"roster", "--industry", "道路交通", "--locality", "昌吉市", "--level", "III", "--lang", "en"}},
		// 7.2: the escalation drill (3.2 迟报, 2.5 transfer of command).
		{"drill-iv-to-iii-escalation.zh.md", []string{"drill", escalation}},
		{"drill-iv-to-iii-escalation.en.md", []string{"drill", escalation, "--lang", "en"}},
		// Decree 493 第十三条第二款: a 补报 within the 30 days and one after;
		// no response level, no site command, no 7.2.
		{"drill-national-493-supplement-30-days.zh.md", []string{"drill", "../../examples/drills/national-493/supplement-30-days.yaml"}},
	}
	// The drafter's commands: lint (1.5 一般 (1) and 较大 (1) leave 中毒（重伤）
	// 10–29 to no level; 较大 (1) repeats 重大 (1)'s 危及 range), its
	// evidence with -v, and the diff against Decree 493.
	cases = append(cases, []struct {
		file string
		args []string
	}{
		{"lint.zh.txt", []string{"lint"}},
		{"lint.en.txt", []string{"lint", "--lang", "en"}},
		{"lint-v.zh.txt", []string{"lint", "-v"}},
		{"diff-changji-national-493.zh.txt", []string{"diff", "changji-2025", "national-493"}},
		{"diff-changji-national-493.en.txt", []string{"diff", "changji-2025", "national-493", "--lang", "en"}},
		// The smoke cases and what they leave unexercised.
		{"test-smoke-coverage.zh.txt", []string{"test", "--coverage", "../../examples/cases/changji-2025-smoke.yaml"}},
		{"test-smoke-coverage.en.txt", []string{"test", "--coverage", "--lang", "en", "../../examples/cases/changji-2025-smoke.yaml"}},
	}...)
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", tc.args...)
			require.Equal(t, exitOK, code, errOut)
			// The plan's content hash changes with every edit of its data;
			// the golden files keep its place, not its value.
			out = hashRE.ReplaceAllString(out, "sha256:…")
			golden.Check(t, tc.file, out)
		})
	}
}
