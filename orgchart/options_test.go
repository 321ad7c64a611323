package orgchart

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOptions(t *testing.T) {
	t.Run("an option that fails is an error diagnostic, and no chart", func(t *testing.T) {
		bad := Option(func(*config) error { return errors.New("no such setting") })
		c, ds := Compile("riverland.yaml", []byte(riverlandOrg), bad)
		assert.Nil(t, c)
		require.True(t, ds.HasErrors())
		assert.Equal(t, CodeOption, ds.Errors()[0].Code)
		assert.Equal(t, "orgchart: no such setting", ds.Errors()[0].Summary)
	})
	t.Run("a nil option is skipped", func(t *testing.T) {
		c, ds := Compile("riverland.yaml", []byte(riverlandOrg), nil)
		require.NotNil(t, c, "%v", ds)
	})
	t.Run("WithContacts copies: changing the contacts afterwards leaves the chart alone", func(t *testing.T) {
		ct, ds := ParseContacts("contacts.yaml", []byte(riverlandContacts))
		require.Empty(t, ds)
		opt := WithContacts(ct)
		ct.Listings[0].DutyPhone = "changed"
		c, ds := Compile("riverland.yaml", []byte(riverlandOrg), opt)
		require.NotNil(t, c, "%v", ds)
		l, ok := c.Listing("civil-protection")
		require.True(t, ok)
		assert.Equal(t, "555-0100", l.DutyPhone)
	})
	t.Run("a syntax error in either file is reported in that file", func(t *testing.T) {
		_, ds := ParseContacts("contacts.yaml", []byte("listings: [\n"))
		require.True(t, ds.HasErrors())
		assert.Equal(t, "contacts.yaml", ds.Errors()[0].Subject.Filename)
		c, ds := Compile("org.yaml", []byte("units: [\n"))
		assert.Nil(t, c)
		require.True(t, ds.HasErrors())
		assert.Equal(t, "org.yaml", ds.Errors()[0].Subject.Filename)
	})
}
