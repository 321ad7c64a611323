package orgchart

import (
	"context"
	"testing"
)

func BenchmarkCompileChangji(b *testing.B) {
	org, contacts := readPlanFile(b, "orgchart.yaml"), readPlanFile(b, "contacts.yaml")
	b.ReportAllocs()
	for b.Loop() {
		Compile(org, contacts)
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
