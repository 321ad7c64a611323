package orgchart

import (
	"context"
	"testing"
)

// BenchmarkCompileChangji compiles the Changji orgchart with its contacts
// from their bytes, as a plan load does: parse both files, decode, resolve
// and analyse.
func BenchmarkCompileChangji(b *testing.B) {
	org, contacts := readPlanFile(b, "orgchart.yaml"), readPlanFile(b, "contacts.yaml")
	b.ReportAllocs()
	for b.Loop() {
		ct, ds := ParseContacts("contacts.yaml", contacts)
		if ds.HasErrors() {
			b.Fatal(ds)
		}
		if c, ds := Compile("orgchart.yaml", org, WithContacts(ct)); c == nil {
			b.Fatal(ds)
		}
	}
}

func BenchmarkActivateIII(b *testing.B) {
	c, _ := changji(b)
	a := Activation{Industries: []string{"特种设备"}, Localities: []string{"奇台县"}, Response: "III"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Activate(context.Background(), a); err != nil {
			b.Fatal(err)
		}
	}
}
