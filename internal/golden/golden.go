// Package golden compares test output with files under testdata/golden,
// and rewrites them when the tests run with -update (or with
// YINGJI_UPDATE_GOLDEN=1 set, for packages whose tests are run together).
// Review every rewritten file with git diff before committing it.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// Updating reports whether golden files are being rewritten.
func Updating() bool { return *update || os.Getenv("YINGJI_UPDATE_GOLDEN") == "1" }

// Check compares got with testdata/golden/name, or rewrites the file.
func Check(t testing.TB, name, got string) {
	t.Helper()
	CheckFile(t, filepath.Join("testdata", "golden", name), got)
}

// CheckFile compares got with the file at path, or rewrites it.
func CheckFile(t testing.TB, path, got string) {
	t.Helper()
	if Updating() {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "%s is missing: run the test with -update to create it", path)
	assert.Equal(t, string(want), got, "%s differs: run the test with -update to rewrite it, then review git diff", path)
}
