package orgchart

import (
	"fmt"
	"strings"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
)

// ParseContacts parses a contacts file (contacts.yaml; see the package
// documentation) named name. It returns every problem at once, sorted, and
// the file's interpretation notes as infos; the contacts are partial when
// any diagnostic is an error. Unit references are checked only when the
// contacts are attached to a chart (WithContacts, Chart.WithContacts),
// whose diagnostics then point back into this file.
func ParseContacts(name string, src []byte) (Contacts, diag.Diagnostics) {
	f, ds := yamlx.Parse(name, src)
	if ds.HasErrors() {
		return Contacts{Listings: []Listing{}}, ds
	}
	ct, dds := parseContacts(f)
	ds = append(ds, dds...)
	ds = append(ds, f.Interpretations()...)
	ds.Sort()
	return ct, ds
}

func parseContacts(f *yamlx.File) (Contacts, diag.Diagnostics) {
	var spec contactsSpec
	ds := f.DecodeWith(contactsTables, &spec)
	ct := Contacts{AsOf: spec.AsOf, Source: spec.Source, Listings: make([]Listing, 0, len(spec.Listings))}
	for _, l := range spec.Listings {
		li := Listing{Unit: l.Unit.Value, Written: l.Written, Clause: l.Clause, AsOf: l.AsOf, DutyPhone: l.DutyPhone,
			Interpretation: strings.TrimSpace(l.Interpretation), src: l.Unit.Meta}
		if l.Unit.Value == "" {
			li.src = l.Meta
		}
		for _, p := range l.People {
			li.People = append(li.People, Person(p))
		}
		ct.Listings = append(ct.Listings, li)
	}
	return ct, ds
}

// WithContacts returns a copy of the chart that uses contacts in place of
// its own, so a host can supply up-to-date contacts (7.3 of the Changji
// plan: member units report personnel changes). Units may be named by id,
// name or alias. The diagnostics are those of the new contacts: unknown
// units are errors (the chart is then nil); units left without a contact
// are warnings.
func (c *Chart) WithContacts(contacts Contacts) (*Chart, diag.Diagnostics) {
	n := *c
	ds := n.attach(contacts.clone())
	if ds.HasErrors() {
		ds.Sort()
		return nil, ds
	}
	ds = append(ds, n.contactFindings()...)
	ds.Sort()
	return &n, ds
}

// attach validates contacts against the chart and makes them the chart's.
func (c *Chart) attach(contacts Contacts) diag.Diagnostics {
	var ds diag.Diagnostics
	c.dir = contacts
	c.hasDir = true
	c.listing = make(map[string]int, len(contacts.Listings))
	for i := range c.dir.Listings {
		l := &c.dir.Listings[i]
		at, path := l.src.At(), l.src.Path()
		if path == "" {
			path = fmt.Sprintf("listings[%d]", i)
		}
		e, ok := c.byKey(l.Unit)
		if !ok || e.kind != kindUnit {
			ds = append(ds, diag.Diagnostic{Severity: diag.Error, Code: CodeContactsUnknownUnit, Subject: at, Path: path,
				Summary: fmt.Sprintf("contacts for unknown unit %q", l.Unit),
				Fix:     "list a unit of the orgchart by its id, name or alias." + diag.Suggest(l.Unit, c.keysOf(kindUnit)),
				Params:  map[string]string{"unit": l.Unit}})
			continue
		}
		id := c.units[e.idx].ID
		if j, dup := c.listing[id]; dup {
			first := c.dir.Listings[j]
			where := first.src.At().String()
			if where == "" {
				where = fmt.Sprintf("listings[%d]", j)
			}
			ds = append(ds, diag.Diagnostic{Severity: diag.Error, Code: CodeContactsDuplicateListing, Subject: at, Path: path,
				Summary: fmt.Sprintf("unit %q is listed twice", id),
				Detail:  "first listed at " + where,
				Fix:     "merge the two listings: a listing may have several people",
				Params:  map[string]string{"unit": id, "first": where}})
			continue
		}
		l.Unit = id
		c.listing[id] = i
		if l.DutyPhone == "" && len(l.People) == 0 {
			ds = append(ds, diag.Diagnostic{Severity: diag.Warning, Code: CodeContactsEmptyListing, Subject: at, Path: path,
				Summary: fmt.Sprintf("listing for %q has no phone", id),
				Fix:     "add a duty phone or a person",
				Params:  map[string]string{"unit": id}})
		}
		for _, ph := range phones(l) {
			if !validPhone(ph) {
				ds = append(ds, diag.Diagnostic{Severity: diag.Warning, Code: CodeContactsBadPhone, Subject: at, Path: path,
					Summary: fmt.Sprintf("phone %q of %q is not a phone number", ph, id),
					Fix:     "write digits, with '-', '+' or spaces only",
					Params:  map[string]string{"unit": id, "phone": ph}})
			}
		}
	}
	return ds
}

// phones are the phone numbers a listing gives, the duty phone first.
func phones(l *Listing) []string {
	var out []string
	if l.DutyPhone != "" {
		out = append(out, l.DutyPhone)
	}
	for _, p := range l.People {
		if p.Phone != "" {
			out = append(out, p.Phone)
		}
	}
	return out
}

func validPhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '-' || r == '+' || r == ' ':
		default:
			return false
		}
	}
	return digits >= 3
}

// Contacts returns the chart's contacts.
func (c *Chart) Contacts() Contacts { return c.dir.clone() }

// Contacts returns the listing of a unit (by id, name or alias). A unit
// without a listing of its own is reached through its ContactVia chain;
// the listing returned is then that unit's, with For set to the unit asked
// for.
func (c *Chart) Listing(unit string) (Listing, bool) {
	u, ok := c.Unit(unit)
	if !ok {
		return Listing{}, false
	}
	return c.contactsOf(u.ID)
}

func (c *Chart) contactsOf(id string) (Listing, bool) {
	i := c.listed(id)
	if i < 0 {
		return Listing{}, false
	}
	l := c.dir.Listings[i].clone()
	// A listing handed out on its own is not fed back to WithContacts;
	// where it was written stays with the chart.
	l.src = yamlx.Meta{}
	if l.Unit != id {
		l.For = id
	}
	return l, true
}

// listed is the index of the listing that reaches unit id, directly or
// through its ContactVia chain, or -1.
func (c *Chart) listed(id string) int {
	for cur, hops := id, 0; cur != "" && hops <= len(c.units); hops++ {
		if i, ok := c.listing[cur]; ok {
			return i
		}
		e, ok := c.entityOK(cur)
		if !ok || e.kind != kindUnit {
			break
		}
		cur = c.units[e.idx].ContactVia
	}
	return -1
}
