package orgchart

import (
	"encoding/json"
	"github.com/yingji/yingji/internal/yamlx"
	"slices"
)

// Jurisdiction names whose plan the chart is.
//
// A plain value: safe for concurrent reads.
type Jurisdiction struct {
	Name   string `json:"name"`
	Plan   string `json:"plan,omitempty"`
	Clause string `json:"clause"`
}

// Duty is one responsibility as the plan states it.
//
// A plain value: safe for concurrent reads.
type Duty struct {
	Clause string `json:"clause"`
	Text   string `json:"text"`
	// Condition is the plan's qualifier when the duty applies only
	// sometimes ("根据有关县市（园区）、部门的请求").
	Condition      string `json:"condition,omitempty"`
	Interpretation string `json:"interpretation,omitempty"`
}

// Post is a position in a body, such as 指挥长. A post whose Unit is a
// placeholder, or whose Label mentions {industry} or {locality}, is bound
// at activation.
//
// A plain value: safe for concurrent reads.
type Post struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Holder string `json:"holder"` // as the plan writes it
	// Unit is the unit or placeholder whose head holds the post, if any.
	Unit string `json:"unit,omitempty"`
	// Label renders the bound holder: {unit}, {industry} and {locality}
	// are replaced at activation.
	Label          string `json:"label,omitempty"`
	Clause         string `json:"clause"`
	Interpretation string `json:"interpretation,omitempty"`
}

// Link is a labelled relation from one unit to another that the plan
// states (a working group guides the site HQ; the site HQ reports to the
// HQ). Diagrams draw them.
//
// A plain value: safe for concurrent reads.
type Link struct {
	To        string `json:"to"`
	Label     string `json:"label"`
	Clause    string `json:"clause"`
	Condition string `json:"condition,omitempty"`
	Text      string `json:"text,omitempty"`
}

// Member is a unit, placeholder or group listed as part of a body or
// group, with the plan's condition when it takes part only sometimes.
//
// A plain value: safe for concurrent reads.
type Member struct {
	Ref       string `json:"ref"`
	Condition string `json:"condition,omitempty"`
	Clause    string `json:"clause,omitempty"`
}

// Unit is an organisation, office or body named by the plan: a department,
// a government, an enterprise, a headquarters or its office.
//
// A plain value: safe for concurrent reads.
type Unit struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Short   string   `json:"short,omitempty"`
	Aliases []string `json:"aliases,omitempty"`
	Kind    string   `json:"kind"`
	Clause  string   `json:"clause"`
	Text    string   `json:"text,omitempty"`
	// Locality and Role are set for a locality's own units (its
	// government, its emergency bureau).
	Locality string `json:"locality,omitempty"`
	Role     string `json:"role,omitempty"`
	// FormedBy lists who forms the body, each with the plan's condition
	// when it forms it only sometimes (2.5: the prefecture's HQ forms a site
	// HQ 根据需要); a formed body has no standing contact of its own.
	FormedBy []Member `json:"formedBy,omitempty"`
	PartOf   string   `json:"partOf,omitempty"`
	// ContactVia is the unit through which this one is reached when it has
	// no listing of its own (the HQ's office sits in a bureau).
	ContactVia     string   `json:"contactVia,omitempty"`
	Posts          []Post   `json:"posts,omitempty"`
	Members        []Member `json:"members,omitempty"`
	Duties         []Duty   `json:"duties,omitempty"`
	Links          []Link   `json:"links,omitempty"`
	Interpretation string   `json:"interpretation,omitempty"`
}

// Binding says what a placeholder is bound to at activation.
//
// Concurrency: a plain value.
type Binding string

const (
	// BindLocality binds to a unit of each locality of the incident (by
	// Role) or to a body named from the locality (by Label).
	BindLocality Binding = "locality"
	// BindIndustry binds to the responsible units of each industry.
	BindIndustry Binding = "industry"
	// BindIncident names a party only the incident knows (the enterprise
	// where it happened, the experts called); it stays as written.
	BindIncident Binding = "incident"
)

var bindings = []string{string(BindLocality), string(BindIndustry), string(BindIncident)}

// Placeholder is a party the plan names by its relation to the incident
// ("事故发生地县市人民政府（园区管委会）"), bound at activation.
//
// A plain value: safe for concurrent reads.
type Placeholder struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
	Bind    Binding  `json:"bind"`
	// Role selects the locality unit a BindLocality placeholder becomes.
	Role string `json:"role,omitempty"`
	// Label names the bound party when the locality has no such unit of
	// its own ("{locality}公安部门").
	Label          string `json:"label,omitempty"`
	Clause         string `json:"clause"`
	Duties         []Duty `json:"duties,omitempty"`
	Interpretation string `json:"interpretation,omitempty"`
}

// Group is a working group of a body (2.4 of the Changji plan).
//
// A plain value: safe for concurrent reads.
type Group struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
	Clause  string   `json:"clause"`
	PartOf  string   `json:"partOf,omitempty"`
	// Formed is the condition under which the group is formed
	// ("根据救援工作实际"); empty when it is always formed.
	Formed         string   `json:"formed,omitempty"`
	Lead           string   `json:"lead"`
	Coordinator    string   `json:"coordinator,omitempty"`
	Members        []Member `json:"members,omitempty"`
	Duties         []Duty   `json:"duties,omitempty"`
	Interpretation string   `json:"interpretation,omitempty"`
}

// Locality is a county, city or park, with its own units by role.
//
// A plain value: safe for concurrent reads.
type Locality struct {
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	Aliases        []string `json:"aliases,omitempty"`
	Kind           string   `json:"kind"`
	Clause         string   `json:"clause"`
	Units          []string `json:"units"` // unit ids; each Unit has its Role
	Interpretation string   `json:"interpretation,omitempty"`
}

// Industry is a trade or domain and the units responsible for its
// accidents. Fallback is set when the plan names none and the chart's
// fallback unit stands in.
//
// A plain value: safe for concurrent reads.
type Industry struct {
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	Aliases        []string `json:"aliases,omitempty"`
	Clause         string   `json:"clause"`
	Text           string   `json:"text,omitempty"`
	Units          []string `json:"units"`
	Fallback       bool     `json:"fallback,omitempty"`
	Interpretation string   `json:"interpretation,omitempty"`
}

// Support is a support measure (6.1–6.12 of the Changji plan) and the units
// or groups responsible for it.
//
// A plain value: safe for concurrent reads.
type Support struct {
	Clause         string   `json:"clause"`
	Title          string   `json:"title"`
	Text           string   `json:"text"`
	Units          []string `json:"units,omitempty"`
	Interpretation string   `json:"interpretation,omitempty"`
}

// Action is what a roster step does to its parties.
//
// Concurrency: a plain value.
type Action string

const (
	Notify Action = "notify" // the party is told
	Engage Action = "engage" // the party has a duty in this response
)

// RosterStep is one step of a roster rule: who is notified or engaged, by
// whom, under which clause.
//
// A plain value: safe for concurrent reads.
type RosterStep struct {
	Action         Action   `json:"action"`
	Who            []string `json:"who,omitempty"`
	MembersOf      string   `json:"membersOf,omitempty"`
	AllGroups      bool     `json:"allGroups,omitempty"`
	By             string   `json:"by,omitempty"`
	As             string   `json:"as,omitempty"`
	Condition      string   `json:"condition,omitempty"`
	Clause         string   `json:"clause"`
	Text           string   `json:"text,omitempty"`
	Interpretation string   `json:"interpretation,omitempty"`
}

// RosterRule is the roster rule for one or more response levels (the
// responses: list of orgchart.yaml). A rule without levels is a fragment
// other rules extend.
//
// A plain value: safe for concurrent reads.
type RosterRule struct {
	ID             string       `json:"id"`
	Title          string       `json:"title"`
	Levels         []string     `json:"levels,omitempty"`
	Clause         string       `json:"clause"`
	Command        string       `json:"command,omitempty"`
	Extends        []string     `json:"extends,omitempty"`
	Steps          []RosterStep `json:"steps"`
	Interpretation string       `json:"interpretation,omitempty"`
}

// Person is one contact person as a contacts file lists them.
//
// A plain value: safe for concurrent reads.
type Person struct {
	Name   string `json:"name"`
	Post   string `json:"post"`
	Phone  string `json:"phone,omitempty"`
	Clause string `json:"clause,omitempty"`
}

// Listing is a unit's entry in a set of contacts.
//
// A plain value: safe for concurrent reads.
type Listing struct {
	Unit string `json:"unit"` // unit id, name or alias; resolved to the id
	// Written is the unit's name as the contacts file writes it.
	Written   string   `json:"written,omitempty"`
	Clause    string   `json:"clause,omitempty"`
	AsOf      string   `json:"asOf,omitempty"` // overrides Contacts.AsOf
	DutyPhone string   `json:"dutyPhone,omitempty"`
	People    []Person `json:"people,omitempty"`
	// For is set on a listing returned for a unit that is reached
	// through another (Unit.ContactVia): it names the unit asked for,
	// while Unit names the unit listed.
	For            string `json:"for,omitempty"`
	Interpretation string `json:"interpretation,omitempty"`

	src yamlx.Meta // where it is written, when it is read from a file
}

// Contacts is a set of contacts: the plan's own (contacts.yaml, 附件 8.5
// and 8.6 of the Changji plan) or a host's up-to-date one (7.3). Listings
// from ParseContacts remember where they were written, so a chart's
// diagnostics about them point into the contacts file.
//
// A plain value: safe for concurrent reads; WithContacts and
// Chart.WithContacts copy it.
type Contacts struct {
	AsOf     string    `json:"asOf"`
	Source   string    `json:"source,omitempty"`
	Listings []Listing `json:"listings"`
}

func cloneDuties(ds []Duty) []Duty { return slices.Clone(ds) }

// MarshalJSON encodes the contacts with their listings, [] when there are
// none.
func (c Contacts) MarshalJSON() ([]byte, error) {
	type plain Contacts
	p := plain(c)
	if p.Listings == nil {
		p.Listings = []Listing{}
	}
	return json.Marshal(p)
}

func (u Unit) clone() Unit {
	u.Aliases = slices.Clone(u.Aliases)
	u.FormedBy = slices.Clone(u.FormedBy)
	u.Posts = slices.Clone(u.Posts)
	u.Members = slices.Clone(u.Members)
	u.Duties = cloneDuties(u.Duties)
	u.Links = slices.Clone(u.Links)
	return u
}

func (p Placeholder) clone() Placeholder {
	p.Aliases = slices.Clone(p.Aliases)
	p.Duties = cloneDuties(p.Duties)
	return p
}

func (g Group) clone() Group {
	g.Aliases = slices.Clone(g.Aliases)
	g.Members = slices.Clone(g.Members)
	g.Duties = cloneDuties(g.Duties)
	return g
}

func (l Locality) clone() Locality {
	l.Aliases = slices.Clone(l.Aliases)
	l.Units = slices.Clone(l.Units)
	return l
}

func (i Industry) clone() Industry {
	i.Aliases = slices.Clone(i.Aliases)
	i.Units = slices.Clone(i.Units)
	return i
}

func (s Support) clone() Support {
	s.Units = slices.Clone(s.Units)
	return s
}

func (r RosterRule) clone() RosterRule {
	r.Levels = slices.Clone(r.Levels)
	r.Extends = slices.Clone(r.Extends)
	r.Steps = slices.Clone(r.Steps)
	for i := range r.Steps {
		r.Steps[i].Who = slices.Clone(r.Steps[i].Who)
	}
	return r
}

func (l Listing) clone() Listing {
	l.People = slices.Clone(l.People)
	return l
}

func (d Contacts) clone() Contacts {
	d.Listings = slices.Clone(d.Listings)
	for i := range d.Listings {
		d.Listings[i] = d.Listings[i].clone()
	}
	return d
}

func cloneAll[T any](xs []T, f func(T) T) []T {
	out := make([]T, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}
