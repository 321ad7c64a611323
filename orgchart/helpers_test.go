package orgchart

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/diag"
)

const planDir = "../plans/changji-2025"

func readPlanFile(t testing.TB, name string) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(planDir, name))
	require.NoError(t, err)
	return src
}

// compileWithContacts compiles an orgchart with a contacts file, as the
// plan loader does, and returns the diagnostics of both, sorted.
func compileWithContacts(t testing.TB, orgName string, org []byte, contactsName string, contacts []byte) (*Chart, diag.Diagnostics) {
	t.Helper()
	ct, ds := ParseContacts(contactsName, contacts)
	require.False(t, ds.HasErrors(), "%v", ds)
	c, cds := Compile(orgName, org, WithContacts(ct))
	ds = append(ds, cds...)
	ds.Sort()
	return c, ds
}

// changji compiles the Changji orgchart with its contacts.
func changji(t testing.TB) (*Chart, diag.Diagnostics) {
	t.Helper()
	c, ds := compileWithContacts(t, "orgchart.yaml", readPlanFile(t, "orgchart.yaml"), "contacts.yaml", readPlanFile(t, "contacts.yaml"))
	require.False(t, ds.HasErrors(), "%v", ds)
	require.NotNil(t, c)
	return c, ds
}
