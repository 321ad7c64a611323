package orgchart

import (
	"github.com/yingji/yingji/diag"
)

type kind int

const (
	kindNone kind = iota
	kindUnit
	kindPlaceholder
	kindGroup
	kindLocality
	kindIndustry
)

var kindNames = [...]string{"nothing", "unit", "placeholder", "group", "locality", "industry"}

func (k kind) String() string { return kindNames[k] }

type entity struct {
	kind kind
	idx  int
}

// Diagram names a figure the chart can draw: the body at its root, with
// the title and clause of the figure it reconstructs.
//
// A plain value: safe for concurrent reads.
type Diagram struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Clause string `json:"clause"`
	Root   string `json:"root"`
	Note   string `json:"note,omitempty"`
}

// Fallback is the unit that stands in for an industry the plan gives no
// responsible unit.
//
// A plain value: safe for concurrent reads.
type Fallback struct {
	Unit           string `json:"unit"`
	Clause         string `json:"clause"`
	Text           string `json:"text,omitempty"`
	Interpretation string `json:"interpretation,omitempty"`
}

// Chart is a compiled orgchart: units, placeholders, groups, localities,
// industries, support duties, response rules and contacts, with every
// reference resolved.
//
// A Chart is immutable once compiled and safe for concurrent use by any
// number of goroutines: lookups return copies, and Activate and the diagram
// methods only read it. WithContacts returns a new Chart and leaves the
// receiver unchanged.
type Chart struct {
	jur          Jurisdiction
	units        []Unit
	placeholders []Placeholder
	groups       []Group
	localities   []Locality
	industries   []Industry
	fallback     *Fallback
	supports     []Support
	responses    []RosterRule
	diagrams     []Diagram
	levels       []string
	clauses      []string // every clause the orgchart and contacts cite

	ids  map[string]entity // id → entity
	keys map[string]entity // id, name, short name, alias → entity

	// referenced lists the units the chart names directly (not through a
	// placeholder): members, leads, steps, supports. They should be
	// reachable, so a missing contact is a finding.
	referenced []string
	at         map[string]diag.Range // id → where the item is defined
	pathOf     map[string]string     // id → the item's YAML path

	dir     Contacts
	hasDir  bool
	listing map[string]int // unit id → index into dir.Listings
}

// ClauseFiles names the parts of a plan's clause index the chart covers.
func (c *Chart) ClauseFiles() []string { return []string{"orgchart", "contacts"} }

// ReferencedClauses lists every clause an item of the orgchart or of the
// chart's contacts cites, one per entry ("2.3 (17)；附件 8.5" gives two).
func (c *Chart) ReferencedClauses() []string {
	var out []string
	for _, cl := range c.clauses {
		out = append(out, diag.SplitClauses(cl)...)
	}
	if c.hasDir {
		for _, l := range c.dir.Listings {
			out = append(out, diag.SplitClauses(l.Clause)...)
			for _, p := range l.People {
				out = append(out, diag.SplitClauses(p.Clause)...)
			}
		}
	}
	return out
}
