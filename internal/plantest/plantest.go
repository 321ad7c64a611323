// Package plantest gives tests editable copies of the embedded plans, so a
// test can make a drafter's edit and load the result.
package plantest

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/plans"
)

// Copy returns an editable copy of the embedded plan folder id.
func Copy(t testing.TB, id string) fstest.MapFS {
	t.Helper()
	sub, err := fs.Sub(plans.FS, id)
	require.NoError(t, err)
	m := fstest.MapFS{}
	require.NoError(t, fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	}))
	return m
}

// Edit replaces old with new in file name of m, once; the test fails unless
// old occurs exactly once, so an edit can never silently miss.
func Edit(t testing.TB, m fstest.MapFS, name, old, new string) {
	t.Helper()
	src := string(m[name].Data)
	require.Equal(t, 1, strings.Count(src, old), "%q must occur once in %s", old, name)
	m[name] = &fstest.MapFile{Data: []byte(strings.Replace(src, old, new, 1))}
}
