package analysis_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Dependencies point one way (issue 10): analysis, and gradingtest on top
// of it, see grading and diag, never the root package, the orgchart, the
// workflow or the embedded plans (internal/human, the language and layout
// of human text, is a leaf of the standard library). Whole-plan lint is
// the root's (*Plan).Lint.
func TestImportDirection(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil && os.Getenv("GOROOT") != "" {
		goTool, err = filepath.Join(os.Getenv("GOROOT"), "bin", "go"), nil
	}
	if err != nil {
		t.Skip("no go command on PATH or in $GOROOT to list the dependencies with")
	}
	const mod = "github.com/yingji/yingji"
	tests := []struct {
		pkg     string
		allowed []string // the packages of this module it may depend on
	}{
		{mod + "/analysis", []string{"diag", "internal/yamlx", "internal/human", "grading", "analysis"}},
		{mod + "/grading/gradingtest", []string{"diag", "internal/yamlx", "internal/human", "grading", "analysis", "grading/gradingtest"}},
	}
	for _, tc := range tests {
		t.Run(tc.pkg, func(t *testing.T) {
			out, err := exec.Command(goTool, "list", "-deps", tc.pkg).CombinedOutput()
			require.NoError(t, err, "%s", out)
			var ours []string
			for _, p := range strings.Fields(string(out)) {
				if p == mod || strings.HasPrefix(p, mod+"/") {
					ours = append(ours, strings.TrimPrefix(strings.TrimPrefix(p, mod), "/"))
				}
			}
			for _, banned := range []string{"", "workflow", "orgchart", "plans"} {
				assert.NotContains(t, ours, banned, "%s depends on %s/%s", tc.pkg, mod, banned)
			}
			for _, p := range ours {
				assert.True(t, slices.Contains(tc.allowed, p), "%s depends on %s/%s", tc.pkg, mod, p)
			}
		})
	}
}
