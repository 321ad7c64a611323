package orgchart

import (
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
	"strings"
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

// entity is an item of the chart: its kind and its index in the chart's
// slice of that kind.
type entity struct {
	kind kind
	idx  int
}

// item is an item with an id, in the order the compiler met them.
type item struct {
	entity
	id  string
	src yamlx.Meta // the id as written
}

// at is where the item's id is written.
func (it *item) at() diag.Range { return it.src.At() }

// path is the item's YAML path ("units[3]"), worked out when asked for.
func (it *item) path() string {
	path, _, _ := strings.Cut(it.src.Path(), ".id")
	return path
}

// key is what a name (an id, a name, a short name or an alias) finds.
type key struct {
	item int        // index into Chart.items
	at   diag.Range // where the name is written
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

	items []item
	keys  map[string]key // every id, name, short name and alias

	// referenced lists the units the chart names directly (not through a
	// placeholder): members, leads, steps, supports. They should be
	// reachable, so a missing contact is a finding.
	referenced []string

	dir     Contacts
	hasDir  bool
	listing map[string]int // unit id → index into dir.Listings
}

// byID finds the item whose id is id; names and aliases do not count.
func (c *Chart) byID(id string) (*item, bool) {
	k, ok := c.keys[id]
	if !ok || c.items[k.item].id != id {
		return nil, false
	}
	return &c.items[k.item], true
}

// entity is the item whose id is id; the zero entity (kindNone) when none.
func (c *Chart) entity(id string) entity {
	if it, ok := c.byID(id); ok {
		return it.entity
	}
	return entity{}
}

// entityOK is entity, and whether there is such an item.
func (c *Chart) entityOK(id string) (entity, bool) {
	e := c.entity(id)
	return e, e.kind != kindNone
}

// byKey finds the item any of whose names is key.
func (c *Chart) byKey(key string) (*item, bool) {
	k, ok := c.keys[key]
	if !ok {
		return nil, false
	}
	return &c.items[k.item], true
}

// where is the position and YAML path of the item with the given id.
func (c *Chart) where(id string) (diag.Range, string) {
	if it, ok := c.byID(id); ok {
		return it.at(), it.path()
	}
	return diag.Range{}, ""
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
