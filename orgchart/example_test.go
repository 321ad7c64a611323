package orgchart_test

import (
	"context"
	"fmt"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/orgchart"
)

const exampleOrg = `
jurisdiction: {name: Example County, clause: "1"}
units:
  - {id: office, name: Emergency Office, aliases: [the office], kind: office, clause: "2.1", duties: [{clause: "2.1", text: runs the response}]}
  - {id: police, name: County Police, kind: department, clause: "2.2", duties: [{clause: "2.2", text: road accidents}]}
placeholders:
  - {id: town, name: the town where it happened, bind: locality, role: hall, clause: "2.3"}
localities:
  - {id: east, name: Eastville, kind: town, clause: "A", units: [{role: hall, id: east-hall, name: Eastville Hall, clause: "A"}]}
industries:
  - {id: roads, name: Road traffic, clause: "2.2", units: [police]}
responses:
  - id: major
    title: Major incident
    levels: [major]
    clause: "3"
    command: office
    steps:
      - {action: notify, who: [town], by: office, clause: "3 (1)"}
      - {action: engage, who: [office, police], clause: "3 (2)"}
`

func ExampleChart_Activate() {
	chart, ds := orgchart.Compile("org.yaml", []byte(exampleOrg))
	if ds.HasErrors() {
		fmt.Println(ds)
		return
	}
	r, err := chart.Activate(context.Background(), orgchart.Activation{
		Industries: []string{"Road traffic"}, Localities: []string{"east"}, Response: "major",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range r.Entries {
		fmt.Printf("%s: %s (%s)\n", e.Name, e.Involvement, e.Reasons[0].Clause)
	}
	// Output:
	// Eastville Hall: notify (3 (1))
	// Emergency Office: engage (3 (2))
	// County Police: engage (3 (2))
}

func ExampleCompile_diagnostics() {
	src := []byte("jurisdiction: {name: X, clause: \"1\"}\nunits:\n  - {id: hq, name: HQ, kind: hq, clause: \"1\"}\n  - {id: office, name: Office, kind: office, clause: \"2\", partOf: hqq}\n")
	_, ds := orgchart.Compile("org.yaml", src)
	fmt.Print(diag.RenderString(ds, diag.Sources{"org.yaml": src}))
	// Output:
	// org.yaml:4:67: error: unknown unit "hqq"
	//     4 |   - {id: office, name: Office, kind: office, clause: "2", partOf: hqq}
	//       |                                                                   ^^^
	//   at: units[1].partOf
	//   fix: define it, or refer to an existing unit. Did you mean "hq"?
}

func ExampleChart_Draw() {
	chart, _ := orgchart.Compile("org.yaml", []byte(exampleOrg+"diagrams: [{id: org, title: Command, clause: Fig. 1, root: office}]\n"))
	out, _ := chart.Draw("org", orgchart.Mermaid)
	fmt.Print(out)
	// Output:
	// ---
	// title: "Command（Fig. 1，据数据重绘）"
	// ---
	// flowchart TD
	//   n_office["Emergency Office"]
}

func ExampleWithContacts() {
	contacts := []byte(`asOf: "2030-01-01"
listings:
  - {unit: the office, clause: "B", dutyPhone: "555-0100"}
  - {unit: County Polise, clause: "B", dutyPhone: "555-0101"}
`)
	ct, ds := orgchart.ParseContacts("contacts.yaml", contacts)
	if ds.HasErrors() {
		fmt.Println(ds)
		return
	}
	// The listing's unit is checked against the chart, and the diagnostic
	// points into the contacts file.
	_, ds = orgchart.Compile("org.yaml", []byte(exampleOrg), orgchart.WithContacts(ct))
	fmt.Print(diag.RenderString(ds.Errors(), diag.Sources{"contacts.yaml": contacts}))
	// Output:
	// contacts.yaml:4:12: error: contacts for unknown unit "County Polise"
	//     4 |   - {unit: County Polise, clause: "B", dutyPhone: "555-0101"}
	//       |            ^^^^^^^^^^^^^
	//   at: listings[1].unit
	//   fix: list a unit of the orgchart by its id, name or alias. Did you mean "County Police"?
}

func ExampleChart_Listing() {
	ct, _ := orgchart.ParseContacts("contacts.yaml", []byte(`asOf: "2030-01-01"
listings:
  - {unit: the office, clause: "B", people: [{name: Ada, post: director, phone: "555-0100"}]}
`))
	chart, _ := orgchart.Compile("org.yaml", []byte(exampleOrg), orgchart.WithContacts(ct))
	l, ok := chart.Listing("Emergency Office")
	fmt.Println(ok, l.Unit, l.People[0].Name, l.People[0].Phone)
	// Output:
	// true office Ada 555-0100
}
