package orgchart

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
)

const planDir = "../plans/changji-2025"

func parseFile(t testing.TB, name string, src []byte) *yamlx.File {
	t.Helper()
	f, ds := yamlx.Parse(name, src)
	require.Empty(t, ds, "parse %s", name)
	return f
}

func readPlanFile(t testing.TB, name string) *yamlx.File {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(planDir, name))
	require.NoError(t, err)
	return parseFile(t, name, src)
}

// changji compiles the Changji orgchart with its contacts.
func changji(t testing.TB) (*Chart, diag.Diagnostics) {
	t.Helper()
	c, ds := Compile(readPlanFile(t, "orgchart.yaml"), readPlanFile(t, "contacts.yaml"))
	require.False(t, ds.HasErrors(), "%v", ds)
	require.NotNil(t, c)
	return c, ds
}
