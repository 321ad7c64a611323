package orgchart

import (
	"context"
	"encoding/json"
	"github.com/yingji/yingji/internal/golden"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// roundTrip encodes v, decodes the result into a fresh T and returns it
// with the encoding.
func roundTrip[T any](t *testing.T, v T) (T, []byte) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	require.NoError(t, err)
	var back T
	require.NoError(t, json.Unmarshal(b, &back))
	return back, b
}

func TestRosterJSON(t *testing.T) {
	c, _ := changji(t)
	cases := []struct {
		name   string
		a      Activation
		golden string
	}{
		{"4.4 III 特种设备 in 奇台县", Activation{Industries: []string{"特种设备"}, Localities: []string{"奇台县"}, Response: "III"}, "roster-iii.json"},
		{"4.5 IV without industry or locality: warnings and empty lists", Activation{Response: "IV"}, "roster-iv-bare.json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := c.Activate(context.Background(), tc.a)
			require.NoError(t, err)
			back, b := roundTrip(t, r)
			assert.Equal(t, r, back, "round trip")
			golden.Check(t, tc.golden, string(b)+"\n")
			assert.NotContains(t, string(b), "null")
		})
	}
	t.Run("a roster without warnings encodes warnings: []", func(t *testing.T) {
		r, err := c.Activate(context.Background(), cases[0].a)
		require.NoError(t, err)
		require.Empty(t, r.Warnings)
		b, err := json.Marshal(r)
		require.NoError(t, err)
		assert.Contains(t, string(b), `"warnings":[]`)
	})
	t.Run("ids come with their names", func(t *testing.T) {
		r, err := c.Activate(context.Background(), cases[0].a)
		require.NoError(t, err)
		assert.Equal(t, []string{"special-equipment"}, r.Industries)
		assert.Equal(t, []string{"特种设备"}, r.IndustryNames)
		assert.Equal(t, []string{"奇台县"}, r.LocalityNames)
		e := entry(t, r, "qitai-yjj")
		assert.Equal(t, "奇台县", e.LocalityName)
		assert.Equal(t, "事故发生地县市（园区）应急管理局", e.FromName)
		for _, p := range r.Posts {
			assert.NotEmpty(t, p.BodyName, p.Post)
		}
	})
}

func TestContactsJSON(t *testing.T) {
	t.Run("parsed contacts: golden, and they encode the same after a round trip", func(t *testing.T) {
		ct, ds := ParseContacts("contacts.yaml", []byte(riverlandContacts))
		require.Empty(t, ds)
		back, b := roundTrip(t, ct)
		golden.Check(t, "contacts-riverland.json", string(b)+"\n")
		again, err := json.MarshalIndent(back, "", "  ")
		require.NoError(t, err)
		assert.Equal(t, string(b), string(again))
	})
	t.Run("contacts a host builds round-trip unchanged", func(t *testing.T) {
		ct := Contacts{AsOf: "2026-03-01", Source: "host", Listings: []Listing{
			{Unit: "market", DutyPhone: "0994-0000000", People: []Person{{Name: "新局长", Post: "局长", Phone: "13000000000"}}},
		}}
		back, _ := roundTrip(t, ct)
		assert.Equal(t, ct, back)
	})
	t.Run("no listings encode as []", func(t *testing.T) {
		b, err := json.Marshal(Contacts{AsOf: "2030-01-01"})
		require.NoError(t, err)
		assert.JSONEq(t, `{"asOf":"2030-01-01","listings":[]}`, string(b))
	})
}

// TestChartModelJSON round-trips what a chart hands out.
func TestChartModelJSON(t *testing.T) {
	c, _ := changji(t)
	t.Run("units", func(t *testing.T) { checkRoundTrip(t, c.Units()) })
	t.Run("placeholders", func(t *testing.T) { checkRoundTrip(t, c.Placeholders()) })
	t.Run("groups", func(t *testing.T) { checkRoundTrip(t, c.Groups()) })
	t.Run("localities", func(t *testing.T) { checkRoundTrip(t, c.Localities()) })
	t.Run("industries", func(t *testing.T) { checkRoundTrip(t, c.Industries()) })
	t.Run("supports", func(t *testing.T) { checkRoundTrip(t, c.Supports()) })
	t.Run("roster rules", func(t *testing.T) { checkRoundTrip(t, c.RosterRules()) })
	t.Run("diagrams", func(t *testing.T) { checkRoundTrip(t, c.Diagrams()) })
	t.Run("jurisdiction", func(t *testing.T) { checkRoundTrip(t, c.Jurisdiction()) })
	t.Run("industry fallback", func(t *testing.T) {
		f, ok := c.IndustryFallback()
		require.True(t, ok)
		checkRoundTrip(t, f)
	})
	t.Run("lookup error", func(t *testing.T) {
		checkRoundTrip(t, LookupError{Kind: "industry", Name: "x", Known: []string{"a"}})
	})
}

func checkRoundTrip[T any](t *testing.T, v T) {
	t.Helper()
	back, b := roundTrip(t, v)
	assert.NotContains(t, string(b), "null")
	assert.Equal(t, v, back)
}
