// Package gradingtest checks a grading engine against a pinned table of
// classification cases, for an embedder's own Go tests.
//
// A case file lists incidents with the grade, deciding clause and scope
// each must get; `yingji cases` (or analysis.BoundaryCases) generates one
// with every threshold of a plan just below, at and just above. Pin it in
// your repository and check it in a test:
//
//	func TestGrading(t *testing.T) {
//		plan, err := yingji.Default()
//		require.NoError(t, err)
//		gradingtest.Check(t, plan.Grading, "testdata/changji-cases.yaml")
//	}
//
// When the rules change on purpose, rewrite the file and review the diff:
//
//	YINGJI_UPDATE_CASES=1 go test ./...
//
// Rewriting is asked for by an environment variable or an option, never by
// a command-line flag, so it cannot collide with your own -update.
//
// Check may be called from parallel tests on different files; two calls
// that rewrite the same file at once race on it.
package gradingtest

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yingji/yingji/analysis"
	"github.com/yingji/yingji/grading"
)

// UpdateEnv is the environment variable that asks Check to rewrite the
// case files: set it to 1 (or true).
const UpdateEnv = "YINGJI_UPDATE_CASES"

// Option configures Check. An option given a value it cannot take makes
// Check fail the test with the option's error, before any case is graded.
//
// Concurrency: an Option only sets the configuration of the call it is
// passed to, so one may be shared and reused.
type Option func(*config) error

type config struct {
	update  bool
	env     string
	plan    string
	ctx     context.Context
	missing bool
}

// Update rewrites the case file with the outcomes the rules give now,
// whatever the environment says.
func Update(on bool) Option {
	return func(c *config) error {
		c.update = on
		return nil
	}
}

// Env names the environment variable that asks for a rewrite, instead of
// UpdateEnv.
func Env(name string) Option {
	return func(c *config) error {
		if strings.TrimSpace(name) == "" {
			return errors.New("gradingtest: Env needs the name of an environment variable")
		}
		c.env = name
		return nil
	}
}

// Plan records the plan id in a file Check writes.
func Plan(id string) Option {
	return func(c *config) error {
		c.plan = id
		return nil
	}
}

// Context grades with ctx instead of context.Background().
func Context(ctx context.Context) Option {
	return func(c *config) error {
		if ctx == nil {
			return errors.New("gradingtest: Context(nil); pass context.Background() or the test's context")
		}
		c.ctx = ctx
		return nil
	}
}

// RequireAll also fails when the rules have boundary cases the file does
// not pin: a threshold added since the file was written.
func RequireAll() Option {
	return func(c *config) error {
		c.missing = true
		return nil
	}
}

// Check grades every case of the file with rules and reports each one whose
// level, deciding clause or scope differs, with the incident, what was
// expected and what came out. The file is YAML, or JSON when its name ends
// in .json.
//
// When a rewrite is asked for (Update(true), or the environment variable
// set to 1), Check writes the file instead: the plan's boundary cases
// (analysis.BoundaryCases) followed by any other cases the file had, all
// with the outcomes the rules give now; the test passes and logs what it
// did. Cases that list thresholds are taken to be generated and are
// replaced; cases without are kept. A missing file is an error unless a
// rewrite is asked for.
//
// Check reports through t.Errorf and never stops the test, so a caller can
// check several files in one test.
func Check(t testing.TB, rules *grading.Rules, file string, opts ...Option) {
	t.Helper()
	cfg := config{env: UpdateEnv, ctx: context.Background()}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			t.Errorf("%v", err)
			return
		}
	}
	if v := strings.ToLower(strings.TrimSpace(os.Getenv(cfg.env))); v == "1" || v == "true" || v == "yes" {
		cfg.update = true
	}
	hint := "if the change is intended, rewrite the file with " + cfg.env + "=1 and review its diff"
	data, err := os.ReadFile(file)
	var pinned analysis.CaseSet
	switch {
	case errors.Is(err, fs.ErrNotExist) && cfg.update:
	case err != nil:
		t.Errorf("gradingtest: %v; create it with %s=1", err, cfg.env)
		return
	default:
		pinned, err = analysis.ReadCases(data)
		if err != nil && !cfg.update {
			t.Errorf("gradingtest: %s: %v", file, err)
			return
		}
	}
	if cfg.update {
		rewrite(t, rules, file, pinned, cfg)
		return
	}
	if len(pinned.Cases) == 0 {
		t.Errorf("gradingtest: %s pins no cases; %s", file, hint)
		return
	}
	bad := pinned.Check(cfg.ctx, rules)
	for _, m := range bad {
		t.Errorf("gradingtest: %s: %s", file, m)
	}
	failed := len(bad) > 0
	if cfg.missing {
		gen, err := analysis.BoundaryCases(rules)
		if err != nil {
			t.Errorf("gradingtest: %v", err)
			return
		}
		have := map[string]bool{}
		for _, c := range pinned.Cases {
			have[c.Incident.String()] = true
		}
		n := 0
		for _, c := range gen.Cases {
			if !have[c.Incident.String()] {
				if n < 10 {
					t.Errorf("gradingtest: %s does not pin the boundary case %s: %s (%s)", file, c.Name, c.Incident, c.Outcome)
				}
				n++
			}
		}
		if n > 10 {
			t.Errorf("gradingtest: %s: … and %d more boundary cases not pinned", file, n-10)
		}
		failed = failed || n > 0
	}
	if failed {
		t.Errorf("gradingtest: %s: %d of %d pinned cases differ; %s", file, len(bad), len(pinned.Cases), hint)
	}
}

func rewrite(t testing.TB, rules *grading.Rules, file string, pinned analysis.CaseSet, cfg config) {
	t.Helper()
	gen, err := analysis.BoundaryCases(rules)
	if err != nil {
		t.Errorf("gradingtest: %v", err)
		return
	}
	gen.Plan = cfg.plan
	if gen.Plan == "" {
		gen.Plan = pinned.Plan
	}
	// Keep the cases written by hand, regraded, and drop those whose inputs
	// the rules no longer have. Generated cases (they list their
	// thresholds) are generated afresh, so none is left at a threshold
	// that has moved.
	var extra analysis.CaseSet
	for _, c := range pinned.Cases {
		if len(c.Thresholds) > 0 {
			continue
		}
		o, err := analysis.Classify(cfg.ctx, rules, c.Incident)
		if err != nil {
			t.Logf("gradingtest: dropping case %q: %v", c.Name, err)
			continue
		}
		c.Outcome = o
		extra.Cases = append(extra.Cases, c)
	}
	out := gen.Merge(extra)
	var b bytes.Buffer
	if strings.EqualFold(filepath.Ext(file), ".json") {
		err = out.WriteJSON(&b)
	} else {
		err = out.WriteYAML(&b)
	}
	if err != nil {
		t.Errorf("gradingtest: %v", err)
		return
	}
	if dir := filepath.Dir(file); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Errorf("gradingtest: %v", err)
			return
		}
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Errorf("gradingtest: %v", err)
		return
	}
	t.Logf("gradingtest: wrote %d cases to %s", len(out.Cases), file)
}
