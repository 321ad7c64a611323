package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCLI runs the command line and returns its exit status, stdout and
// stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCommandTable(t *testing.T) {
	cmds := commands()
	seen := map[string]bool{}
	for _, c := range cmds {
		t.Run(c.Name, func(t *testing.T) {
			assert.False(t, seen[c.Name], "one command per name")
			seen[c.Name] = true
			assert.True(t, strings.HasPrefix(c.UsageLine, "yingji "+c.Name), c.UsageLine)
			assert.NotEmpty(t, c.Short)
			assert.NotEmpty(t, strings.TrimSpace(c.Long))
			require.NotNil(t, c.Flags)
			require.NotNil(t, c.Run)
			assert.True(t, strings.HasPrefix(strings.TrimSpace(c.Long), upperFirst(c.Name)), "the long help starts with the command's name, cmd/go style")
		})
	}
}

// Every command: "help CMD", "CMD -h", "CMD --help" and "CMD -help" print
// the same long help to stdout and exit 0.
func TestHelpOfEveryCommand(t *testing.T) {
	for _, c := range commands() {
		t.Run(c.Name, func(t *testing.T) {
			code, want, errOut := runCLI(t, "", "help", c.Name)
			require.Equal(t, exitOK, code, errOut)
			assert.Empty(t, errOut)
			assert.True(t, strings.HasPrefix(want, "usage: yingji "+c.Name), want)
			assert.Contains(t, want, strings.TrimSpace(c.Long)[:20])
			for _, h := range []string{"-h", "--help", "-help"} {
				code, got, errOut := runCLI(t, "", c.Name, h)
				assert.Equal(t, exitOK, code, h)
				assert.Empty(t, errOut, h)
				assert.Equal(t, want, got, "%s %s prints what help %s prints", c.Name, h, c.Name)
			}
			// -h wins wherever it is, even after a flag that is wrong.
			code, got, _ := runCLI(t, "", c.Name, "--no-such-flag", "-h")
			assert.Equal(t, exitOK, code)
			assert.Equal(t, want, got)
		})
	}
}

func TestHelpMentionsTheExitPolicy(t *testing.T) {
	code, out, _ := runCLI(t, "", "help")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "Exit status, the same for every command")
	assert.Contains(t, out, "0  done")
	assert.Contains(t, out, "1  the command ran and reports findings")
	assert.Contains(t, out, "2  a usage error")
	for _, c := range commands() {
		assert.Contains(t, out, "\t"+c.Name)
	}
	for _, h := range []string{"-h", "--help"} {
		code, got, _ := runCLI(t, "", h)
		assert.Equal(t, exitOK, code)
		assert.Equal(t, out, got)
	}
}

func TestHelpOfHelp(t *testing.T) {
	code, out, errOut := runCLI(t, "", "help", "help")
	require.Equal(t, exitOK, code, errOut)
	assert.True(t, strings.HasPrefix(out, "usage: yingji help [-markdown] [command]"), out)
}

func TestNoCommandListsThemOnStderr(t *testing.T) {
	code, out, errOut := runCLI(t, "")
	assert.Equal(t, exitUsage, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "The commands are:")
	assert.Contains(t, errOut, "\tgrade")
}

func TestUnknownCommand(t *testing.T) {
	cases := []struct{ args []string }{{[]string{"grad"}}, {[]string{"help", "grad"}}}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, "", tc.args...)
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, "grad: unknown command.")
			assert.Contains(t, errOut, `Did you mean "grade"?`)
		})
	}
	code, _, errOut := runCLI(t, "", "help", "grade", "roster")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "name one command")
}

// One exit-code policy, the same in every command: 0 done, 1 findings,
// 2 usage or a plan that does not load.
func TestExitCodes(t *testing.T) {
	broken := writePlan(t, map[string]string{"plan.yaml": cliPlan, "grading.yaml": strings.Replace(cliGrading("3"), "3 人以下", "3 人以内", 1)})
	gap := writePlan(t, map[string]string{"plan.yaml": cliPlan, "grading.yaml": cliGrading("5")})
	const drill = "../../examples/drills/iv-county.yaml"
	cases := []struct {
		name string
		args []string
		code int
	}{
		{"grade: done", []string{"grade", "--deaths", "1"}, exitOK},
		{"grade: a bad value", []string{"grade", "--deaths", "-1"}, exitUsage},
		{"grade: an unknown flag", []string{"grade", "--death", "1"}, exitUsage},
		{"grade: a stray argument", []string{"grade", "12"}, exitUsage},
		{"grade: a plan that does not load", []string{"grade", "--plan", broken}, exitUsage},
		{"grade: no such plan", []string{"grade", "--plan", "changji-2052"}, exitUsage},
		{"roster: done", []string{"roster", "--industry", "道路交通", "--locality", "昌吉市", "--level", "III"}, exitOK},
		{"roster: no level", []string{"roster", "--industry", "道路交通"}, exitUsage},
		{"roster: an unknown level", []string{"roster", "--locality", "昌吉市", "--level", "V"}, exitUsage},
		{"roster: a plan that does not load", []string{"roster", "--plan", broken, "--level", "III"}, exitUsage},
		{"roster: a plan without an orgchart", []string{"roster", "--plan", gap, "--level", "较大"}, exitUsage},
		{"roster: a plan without rosters", []string{"roster", "--plan", "national-493", "--level", "较大"}, exitUsage},
		{"drill: done", []string{"drill", drill}, exitOK},
		{"drill: no scenario", []string{"drill"}, exitUsage},
		{"drill: no such file", []string{"drill", "nowhere.yaml"}, exitUsage},
		{"drill: a plan that does not load", []string{"drill", drill, "--plan", broken}, exitUsage},
		{"lint: warnings only", []string{"lint", "--plan", gap}, exitOK},
		{"lint: warnings with --strict", []string{"lint", "--plan", gap, "--strict"}, exitFindings},
		{"lint: a plan that does not load", []string{"lint", "--plan", broken}, exitUsage},
		{"lint: a stray argument", []string{"lint", "changji-2025"}, exitUsage},
		{"diff: plans that differ", []string{"diff", "changji-2025", "national-493"}, exitOK},
		{"diff --exit-code: plans that differ", []string{"diff", "changji-2025", "national-493", "--exit-code"}, exitFindings},
		{"diff --exit-code: the same plan", []string{"diff", "--exit-code", "changji-2025", "changji-2025"}, exitOK},
		{"diff: the same plan", []string{"diff", "changji-2025", "changji-2025"}, exitOK},
		{"diff: one plan", []string{"diff", "changji-2025"}, exitUsage},
		{"diff: a plan that does not load", []string{"diff", "changji-2025", broken}, exitUsage},
		{"cases: done", []string{"cases", "--plan", "national-493"}, exitOK},
		{"cases: a bad format", []string{"cases", "--format", "xml"}, exitUsage},
		{"cases: a plan that does not load", []string{"cases", "--plan", broken}, exitUsage},
		{"org: done", []string{"org", "groups"}, exitOK},
		{"org: no list", []string{"org"}, exitUsage},
		{"org: an unknown list", []string{"org", "people"}, exitUsage},
		{"org: a plan that does not load", []string{"org", "units", "--plan", broken}, exitUsage},
		{"diagram: done", []string{"diagram", "flow"}, exitOK},
		{"diagram: an unknown diagram", []string{"diagram", "floor"}, exitUsage},
		{"diagram: an unknown format", []string{"diagram", "org", "--format", "svg"}, exitUsage},
		{"diagram: a plan that does not load", []string{"diagram", "org", "--plan", broken}, exitUsage},
		{"replay: no divergence", []string{"replay", "--plan", "changji-2025", drill}, exitOK},
		{"replay: no recording", []string{"replay", "--plan", "changji-2025"}, exitUsage},
		{"replay: a plan that does not load", []string{"replay", "--plan", broken, drill}, exitUsage},
		{"test: cases that pass", []string{"test", "../../examples/cases/changji-2025-smoke.yaml"}, exitOK},
		{"test: no case file", []string{"test"}, exitUsage},
		{"test: a plan that does not load", []string{"test", "--plan", broken, "../../examples/cases/changji-2025-smoke.yaml"}, exitUsage},
		{"plans: done", []string{"plans"}, exitOK},
		{"plans: an argument", []string{"plans", "x"}, exitUsage},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", tc.args...)
			assert.Equal(t, tc.code, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
			if tc.code == exitUsage {
				assert.NotEmpty(t, errOut+out, "a usage error says what is wrong")
			}
		})
	}
}

func TestFlagsAnywhereAndDoubleDash(t *testing.T) {
	// Flags after the positional arguments, and "--" ending the flags.
	code, out, errOut := runCLI(t, "", "org", "groups", "--json")
	require.Equal(t, exitOK, code, errOut)
	assert.True(t, strings.HasPrefix(out, "["))
	code, _, errOut = runCLI(t, "", "org", "--", "--json")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "say which list")
}

// --plan takes an embedded id or a folder; a folder is opened with
// yingji.LoadDir, so a file that leads out of it is refused (issue 15 #13).
func TestPlanFolder(t *testing.T) {
	dir := writePlan(t, map[string]string{"plan.yaml": cliPlan, "grading.yaml": cliGrading("3")})
	code, out, errOut := runCLI(t, "", "grade", "--plan", dir, "--deaths", "10")
	require.Equal(t, exitOK, code, errOut)
	assert.True(t, strings.HasPrefix(out, "重大\n"), out)

	outside := writePlan(t, map[string]string{"grading.yaml": cliGrading("3")})
	escaping := writePlan(t, map[string]string{"plan.yaml": cliPlan})
	require.NoError(t, os.Symlink(filepath.Join(outside, "grading.yaml"), filepath.Join(escaping, "grading.yaml")))
	for _, args := range [][]string{{"grade", "--plan", escaping}, {"lint", "--plan", escaping}} {
		code, out, errOut := runCLI(t, "", args...)
		assert.Equal(t, exitUsage, code, "%v: a plan that does not load", args)
		assert.Contains(t, out+errOut, "grading.yaml", args)
	}
}
