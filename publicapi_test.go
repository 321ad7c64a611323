package yingji_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNoInternalTypeInThePublicAPI is issue 9 §1: every exported name of
// every public package must be usable from another module, so none may
// mention a package under internal/ (go doc -all prints every exported
// declaration with its signature and fields).
func TestNoInternalTypeInThePublicAPI(t *testing.T) {
	out, err := exec.Command("go", "list", "./...").Output()
	require.NoError(t, err)
	var checked int
	for _, pkg := range strings.Fields(string(out)) {
		if strings.Contains(pkg, "/internal/") || strings.Contains(pkg, "/cmd/") || strings.Contains(pkg, "/examples/") {
			continue
		}
		doc, err := exec.Command("go", "doc", "-all", pkg).CombinedOutput()
		require.NoError(t, err, "%s", doc)
		checked++
		for i, line := range strings.Split(string(doc), "\n") {
			// yaml.v3's own Unmarshaler (UnmarshalYAML(*yaml.Node)) is
			// public and callable; a type of ours under internal/ is not.
			if strings.Contains(line, "internal/") || strings.Contains(line, "yamlx.") {
				assert.Fail(t, "an internal type in the public API", "%s line %d: %s", pkg, i+1, strings.TrimSpace(line))
			}
		}
	}
	assert.GreaterOrEqual(t, checked, 6, "the root, diag, grading, gradingtest, orgchart, workflow, drill and analysis are public")
}
