package orgchart

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/diag"
)

// A small orgchart of another jurisdiction, with its own levels ("red",
// "amber"), its own localities and roles, and rules the Changji plan does
// not have: the engine takes it with no code change.
const riverlandOrg = `
jurisdiction: {name: Riverland County, clause: "1"}
units:
  - {id: council, name: Riverland Council, kind: government, clause: "1.1"}
  - id: crisis-cell
    name: Riverland Crisis Cell
    aliases: [the cell]
    kind: headquarters
    clause: "1.2"
    formedBy: [council]
    contactVia: civil-protection
    posts:
      - {id: chair, title: Chair, holder: the council leader, clause: "1.2"}
      - {id: vice, title: Vice-chair, holder: head of the lead agency, unit: lead-agency, label: "head of {unit}", clause: "1.2"}
    members: [civil-protection, water-board, {ref: army, condition: on request}, town-hall]
    duties: [{clause: "1.2", text: commands the response}]
  - id: civil-protection
    name: Civil Protection Office
    kind: department
    clause: "1.3"
    duties: [{clause: "1.3", text: runs the cell's office}]
  - id: water-board
    name: Water Board
    kind: department
    clause: "1.4"
    duties: [{clause: "1.4", text: handles dam and flood incidents}]
  - {id: army, name: Garrison, kind: military, clause: "1.5", duties: [{clause: "1.5", text: helps on request, condition: on request}]}
placeholders:
  - {id: town-hall, name: the town hall where it happened, bind: locality, role: town-hall, clause: "1.6", duties: [{clause: "1.6", text: first response}]}
  - {id: lead-agency, name: the agency for the sector, bind: industry, clause: "1.7"}
groups:
  - id: ops
    name: Operations
    clause: "2.1"
    partOf: crisis-cell
    lead: town-hall
    members: [water-board, {ref: army, condition: on request}]
localities:
  - id: north
    name: Northtown
    kind: town
    clause: "A.1"
    units: [{role: town-hall, id: north-hall, name: Northtown Hall, clause: "A.1"}]
  - id: south
    name: Southtown
    aliases: [Southy]
    kind: town
    clause: "A.2"
    units: [{role: town-hall, id: south-hall, name: Southtown Hall, clause: "A.2"}]
industries:
  - {id: dams, name: Dams, aliases: [reservoirs], clause: "1.4", units: [water-board]}
responses:
  - id: red
    title: Red alert
    levels: [red]
    clause: "3.1"
    command: crisis-cell
    steps:
      - {action: notify, who: [council], by: civil-protection, clause: "3.1 (a)"}
      - {action: notify, membersOf: crisis-cell, by: civil-protection, clause: "3.1 (b)"}
      - {action: engage, who: [crisis-cell], clause: "3.1 (c)"}
      - {action: engage, allGroups: true, clause: "3.1 (d)"}
  - id: amber
    title: Amber alert
    levels: [amber]
    clause: "3.2"
    command: town-hall
    steps:
      - {action: engage, who: [town-hall, lead-agency], clause: "3.2"}
diagrams:
  - {id: org, title: Riverland command, clause: "Fig. 1", root: crisis-cell}
`

const riverlandContacts = `
asOf: "2030-01-01"
listings:
  - {unit: civil-protection, clause: "B", dutyPhone: "555-0100"}
  - {unit: Water Board, clause: "B", people: [{name: Ada, post: director, phone: "555-0101"}]}
  - {unit: council, clause: "B", dutyPhone: "555-0102"}
  - {unit: army, clause: "B", dutyPhone: "555-0103"}
`

func riverland(t *testing.T) (*Chart, diag.Diagnostics) {
	t.Helper()
	c, ds := compileWithContacts(t, "riverland.yaml", []byte(riverlandOrg), "contacts.yaml", []byte(riverlandContacts))
	require.False(t, ds.HasErrors(), "%v", ds)
	return c, ds
}

func TestAnotherJurisdictionNeedsNoCode(t *testing.T) {
	c, ds := riverland(t)
	assert.Empty(t, ds, "a complete chart has no findings")
	assert.Equal(t, []string{"red", "amber"}, c.ResponseLevels())

	r, err := c.Activate(context.Background(), Activation{Industries: []string{"reservoirs"}, Localities: []string{"Southy"}, Response: "red"})
	require.NoError(t, err)
	assert.Equal(t, []Party{{ID: "crisis-cell", Name: "Riverland Crisis Cell"}}, r.Command)
	assert.Equal(t, []string{"council", "civil-protection", "water-board", "army", "south-hall"}, notifiedIDs(r))
	g, ok := r.Group("ops")
	require.True(t, ok)
	assert.Equal(t, []string{"Southtown Hall"}, partyNames(g.Lead))
	assert.Equal(t, []Party{{ID: "water-board", Name: "Water Board"}, {ID: "army", Name: "Garrison", Condition: "on request"}}, g.Members)
	var holders []string
	for _, p := range r.Posts {
		holders = append(holders, p.Holder)
	}
	assert.Equal(t, []string{"the council leader", "head of Water Board"}, holders)
	e, _ := r.Entry("crisis-cell")
	require.NotNil(t, e.Contacts)
	assert.Equal(t, "555-0100", e.Contacts.DutyPhone, "reached through civil-protection")
	assert.True(t, func() bool { e, _ := r.Entry("army"); return e.Conditional }())

	amber, err := c.Activate(context.Background(), Activation{Industries: []string{"Dams"}, Localities: []string{"north"}, Response: "amber"})
	require.NoError(t, err)
	assert.Equal(t, []string{"north-hall", "water-board"}, entryIDs(amber))

	_, err = c.Activate(context.Background(), Activation{Response: "III"})
	assert.ErrorIs(t, err, ErrUnknown, "Changji's levels mean nothing here")
}

func entryIDs(r Roster) []string {
	var out []string
	for _, e := range r.Entries {
		out = append(out, e.ID)
	}
	return out
}

func TestHostContactsReplaceThePlans(t *testing.T) {
	c, _ := changji(t)
	dir := c.Contacts()
	for i := range dir.Listings {
		if dir.Listings[i].Unit == "market" {
			dir.Listings[i].People = []Person{{Name: "新局长", Post: "局长", Phone: "13000000000"}}
		}
	}
	dir.AsOf = "2026-03-01"
	dir.Listings = append(dir.Listings, Listing{Unit: "州民政局", DutyPhone: "0994-0000000"})
	n, ds := c.WithContacts(dir)
	require.NotNil(t, n, "%v", ds)
	l, _ := n.Listing("market")
	assert.Equal(t, "新局长", l.People[0].Name)
	old, _ := c.Listing("market")
	assert.Equal(t, "张雷", old.People[0].Name, "the original chart is unchanged")
	for _, d := range ds {
		assert.NotContains(t, d.Summary, "昌吉州民政局", "7.3: the host's contacts fill the gap")
	}

	t.Run("unknown units in the host's contacts are errors", func(t *testing.T) {
		_, ds := c.WithContacts(Contacts{Listings: []Listing{{Unit: "州市场监管总局", DutyPhone: "1"}}})
		require.True(t, ds.HasErrors())
		assert.Contains(t, ds.Error(), `unknown unit "州市场监管总局"`)
		assert.Contains(t, ds.Error(), "Did you mean")
	})
	t.Run("empty contacts leave every unit without a contact", func(t *testing.T) {
		n, ds := c.WithContacts(Contacts{})
		require.NotNil(t, n)
		assert.NotEmpty(t, ds)
		_, ok := n.Listing("州市场监督管理局")
		assert.False(t, ok)
	})
}
