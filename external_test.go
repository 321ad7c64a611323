package yingji_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/internal/golden"
)

// TestExternalModule builds and tests testdata/external, an adopter's own
// module that uses every entry point of the embedding API through yingji's
// public API only (issue 9), and runs the README's Go example there, as
// an adopter would copy it. The example must be the README's block byte for
// byte (-update copies it over).
func TestExternalModule(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	m := regexp.MustCompile("(?s)## Embedding in Go\n\n```go\n(.*?)```").FindSubmatch(readme)
	require.NotNil(t, m, "README.md has a Go block under \"Embedding in Go\"")
	golden.CheckFile(t, filepath.Join("testdata", "external", "readme", "main.go"), string(m[1]))

	dir := filepath.Join("testdata", "external")
	for _, args := range [][]string{{"vet", "./..."}, {"test", "-count=1", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go %v in %s:\n%s", args, dir, out)
	}
	cmd := exec.Command("go", "run", "./readme")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	// 1.5 重大 (1): 10 人以上、30 人以下死亡 → Ⅱ级应急响应 (附件 8.3).
	assert.Contains(t, string(out), "重大 Ⅱ级应急响应")
}
