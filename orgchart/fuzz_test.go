package orgchart

import (
	"context"
	"testing"

	"github.com/yingji/yingji/diag"
)

// maxFuzzInput bounds the inputs FuzzCompile looks at. The fuzzer
// minimises every input that finds new coverage, in time quadratic in its
// size; past a few hundred bytes that stalls it for seconds at a time, and
// every part of the format fits in less.
const maxFuzzInput = 512

// FuzzCompile: no input panics the compiler, every error has a valid
// position in the file, and a chart that compiles can be activated at each
// of its levels, with and without an industry and a locality, and drawn,
// the same way twice.
//
// The seeds live in testdata/fuzz/FuzzCompile: small charts that each
// exercise one part of the format (posts and labels, bindings, groups,
// responses, broken references, YAML styles, odd ids), and regressions.
// The Changji chart is deliberately not a seed: at 60 KB the fuzzer spends
// its time minimising it instead of exploring.
func FuzzCompile(f *testing.F) {
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > maxFuzzInput {
			return
		}
		c, ds := Compile("f.yaml", src)
		for _, d := range ds {
			if d.Severity == diag.Error && d.Subject.IsZero() {
				t.Errorf("error without a position: %v", d)
			}
			if !d.Subject.IsZero() && !validRange(d.Subject, "f.yaml", len(src)) {
				t.Errorf("diagnostic with an invalid range %+v: %v", d.Subject, d)
			}
		}
		diag.RenderString(ds, diag.Sources{"f.yaml": src})
		if c == nil {
			return
		}
		var some Activation
		if ins := c.Industries(); len(ins) > 0 {
			some.Industries = []string{ins[0].ID}
		}
		if locs := c.Localities(); len(locs) > 0 {
			some.Localities = []string{locs[0].ID, locs[len(locs)-1].Name}
		}
		for _, l := range c.ResponseLevels() {
			for _, a := range []Activation{{Response: l}, {Industries: some.Industries, Localities: some.Localities, Response: l}} {
				r, err := c.Activate(context.Background(), a)
				if err != nil {
					t.Errorf("level %s: %v", l, err)
					continue
				}
				for _, e := range r.Entries {
					if len(e.Reasons) == 0 {
						t.Errorf("level %s: entry %s has no reason", l, e.ID)
					}
				}
			}
		}
		for _, d := range c.Diagrams() {
			for _, format := range Formats {
				out, err := c.Draw(d.ID, format)
				if err != nil {
					t.Error(err)
				}
				if again, _ := c.Draw(d.ID, format); again != out {
					t.Errorf("diagram %s (%s) is not deterministic", d.ID, format)
				}
			}
		}
	})
}

func validRange(r diag.Range, file string, size int) bool {
	return r.Filename == file &&
		r.Start.Line >= 1 && r.Start.Column >= 1 &&
		r.Start.Byte >= 0 && r.Start.Byte <= r.End.Byte && r.End.Byte <= size &&
		r.End.Line >= r.Start.Line
}

// contactsOrg is the small chart FuzzContacts attaches its directories to.
const contactsOrg = `jurisdiction: {name: X, clause: '1'}
units:
- {id: a, name: A, aliases: [甲], kind: k, clause: '1', members: [b, o]}
- {id: b, name: B, kind: k, clause: '1'}
- {id: o, name: O, kind: k, clause: '1', contactVia: a}
`

// FuzzContacts: no contacts file panics the loader, every error has a
// valid position, and contacts that attach can be read back and
// attached again unchanged.
func FuzzContacts(f *testing.F) {
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > maxFuzzInput {
			return
		}
		ct, ds := ParseContacts("c.yaml", src)
		checkContactsDiagnostics(t, ds, len(src))
		if ds.HasErrors() {
			return
		}
		c, ds := Compile("o.yaml", []byte(contactsOrg), WithContacts(ct))
		checkContactsDiagnostics(t, ds, len(src))
		if c == nil {
			return
		}
		for _, u := range []string{"a", "b", "o", "甲"} {
			c.Listing(u)
		}
		again, ds := c.WithContacts(c.Contacts())
		if again == nil || ds.HasErrors() {
			t.Errorf("the chart's own contacts do not attach again: %v", ds)
		}
	})
}

func checkContactsDiagnostics(t *testing.T, ds diag.Diagnostics, size int) {
	t.Helper()
	for _, d := range ds {
		if d.Severity == diag.Error && d.Subject.IsZero() {
			t.Errorf("error without a position: %v", d)
		}
		if !d.Subject.IsZero() && d.Subject.Filename == "c.yaml" && !validRange(d.Subject, "c.yaml", size) {
			t.Errorf("diagnostic with an invalid range %+v: %v", d.Subject, d)
		}
	}
}
