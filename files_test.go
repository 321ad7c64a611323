package yingji_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
)

// planDir writes an editable copy of an embedded plan to a temporary
// folder.
func planDir(t *testing.T, id string) string {
	t.Helper()
	dir := t.TempDir()
	for name, f := range planCopy(t, id) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), f.Data, 0o644))
	}
	return dir
}

// loadErrors loads dir both ways a host can (LoadDir and Load(os.DirFS))
// and returns the diagnostics of each; both must refuse.
func loadErrors(t *testing.T, dir string) []diag.Diagnostics {
	t.Helper()
	var out []diag.Diagnostics
	for _, load := range []func() (*yingji.Plan, error){
		func() (*yingji.Plan, error) { return yingji.LoadDir(dir) },
		func() (*yingji.Plan, error) { return yingji.Load(os.DirFS(dir)) },
	} {
		_, err := load()
		var le *yingji.LoadError
		require.ErrorAs(t, err, &le)
		out = append(out, le.Diagnostics)
	}
	return out
}

func TestPlanFilesStayInTheirFolder(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string)
		code  string
		says  string
	}{
		{"grading.yaml is a symlink to a file outside (issue 15 #13)", func(t *testing.T, dir string) {
			outside := filepath.Join(t.TempDir(), "grading.yaml")
			b, err := os.ReadFile(filepath.Join(dir, "grading.yaml"))
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(outside, b, 0o644))
			require.NoError(t, os.Remove(filepath.Join(dir, "grading.yaml")))
			require.NoError(t, os.Symlink(outside, filepath.Join(dir, "grading.yaml")))
		}, diag.CodeFileRefused, "outside the plan folder"},
		{"grading.yaml is a symlink to /etc/passwd", func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, "grading.yaml")))
			require.NoError(t, os.Symlink("/etc/passwd", filepath.Join(dir, "grading.yaml")))
		}, diag.CodeFileRefused, "outside the plan folder"},
		{"grading.yaml is a relative symlink that climbs out", func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, "grading.yaml")))
			require.NoError(t, os.Symlink("../../../../../../../../etc/passwd", filepath.Join(dir, "grading.yaml")))
		}, diag.CodeFileRefused, "outside the plan folder"},
		{"grading.yaml is a symlink to /dev/zero (issue 15 #8)", func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, "grading.yaml")))
			require.NoError(t, os.Symlink("/dev/zero", filepath.Join(dir, "grading.yaml")))
		}, diag.CodeFileRefused, ""},
		{"grading.yaml is a FIFO (issue 15 #8)", func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, "grading.yaml")))
			require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "grading.yaml"), 0o644))
		}, diag.CodeFileRefused, "not a regular file"},
		{"plan.yaml names ../ (issue 15 #13)", func(t *testing.T, dir string) {
			editFile(t, dir, "plan.yaml", "grading: grading.yaml", "grading: ../grading.yaml")
		}, diag.CodeFileRefused, "outside the plan folder"},
		{"plan.yaml names an absolute path", func(t *testing.T, dir string) {
			editFile(t, dir, "plan.yaml", "grading: grading.yaml", "grading: /etc/passwd")
		}, diag.CodeFileRefused, "outside the plan folder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := planDir(t, "changji-2025")
			tc.setup(t, dir)
			for _, ds := range loadErrors(t, dir) {
				errs := ds.Errors()
				require.NotEmpty(t, errs)
				assert.Equal(t, tc.code, errs[0].Code, "%s", ds)
				assert.Contains(t, errs[0].Summary, tc.says)
				assert.NotContains(t, errs[0].Fix, "create the file", "a refused name is not a missing one")
				assert.NotContains(t, ds.Error(), "root:x:0:0", "nothing of /etc/passwd is quoted")
			}
		})
	}
}

func editFile(t *testing.T, dir, name, old, new string) {
	t.Helper()
	p := filepath.Join(dir, name)
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	require.Equal(t, 1, strings.Count(string(b), old))
	require.NoError(t, os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644))
}

func TestPlanFileSizeIsCappedBeforeDecoding(t *testing.T) {
	dir := planDir(t, "changji-2025")
	f, err := os.OpenFile(filepath.Join(dir, "grading.yaml"), os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("# " + strings.Repeat("x", 300<<10) + "\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())

	_, err = yingji.LoadDir(dir, yingji.MaxFileSize(256<<10))
	var le *yingji.LoadError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, diag.CodeFileTooLarge, le.Diagnostics.Errors()[0].Code)

	_, err = yingji.LoadDir(dir, yingji.MaxPlanSize(128<<10))
	require.ErrorAs(t, err, &le)
	assert.Equal(t, diag.CodeFileTooLarge, le.Diagnostics.Errors()[0].Code)

	_, err = yingji.LoadDir(dir)
	require.NoError(t, err, "the default caps leave room for a real plan")
}

func TestLoadDirOfAMissingFolder(t *testing.T) {
	_, err := yingji.LoadDir(filepath.Join(t.TempDir(), "nope"))
	require.Error(t, err)
	assert.True(t, errors.Is(err, os.ErrNotExist))
}
