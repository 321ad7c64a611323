package orgchart_test

import (
	"context"
	"fmt"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
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
	f, _ := yamlx.Parse("org.yaml", []byte(exampleOrg))
	chart, ds := orgchart.Compile(f, nil)
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
	f, _ := yamlx.Parse("org.yaml", src)
	_, ds := orgchart.Compile(f, nil)
	fmt.Print(diag.RenderString(ds, diag.Sources{"org.yaml": src}))
	// Output:
	// org.yaml:4:67: error: unknown unit "hqq"
	//     4 |   - {id: office, name: Office, kind: office, clause: "2", partOf: hqq}
	//       |                                                                   ^^^
	//   at: units[1].partOf
	//   fix: define it, or refer to an existing unit. Did you mean "hq"?
}

func ExampleChart_Draw() {
	f, _ := yamlx.Parse("org.yaml", []byte(exampleOrg+"diagrams: [{id: org, title: Command, clause: Fig. 1, root: office}]\n"))
	chart, _ := orgchart.Compile(f, nil)
	out, _ := chart.Draw("org", orgchart.Mermaid)
	fmt.Print(out)
	// Output:
	// ---
	// title: "Command（Fig. 1，据数据重绘）"
	// ---
	// flowchart TD
	//   n_office["Emergency Office"]
}
