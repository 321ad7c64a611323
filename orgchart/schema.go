package orgchart

import (
	"reflect"

	"github.com/yingji/yingji/internal/yamlx"
)

// The types of this file mirror orgchart.yaml and contacts.yaml as written.
// Compile checks them and builds the exported, resolved model from them.
// Only what a diagnostic points at keeps its position (yamlx.String,
// yamlx.Meta): every position costs the decoder a lookup in the source.

type fileSpec struct {
	Jurisdiction   jurisdictionSpec  `yaml:"jurisdiction,required"`
	Units          []unitSpec        `yaml:"units,required"`
	Placeholders   []placeholderSpec `yaml:"placeholders"`
	Groups         []groupSpec       `yaml:"groups"`
	Localities     []localitySpec    `yaml:"localities"`
	Industries     []industrySpec    `yaml:"industries"`
	Fallback       *fallbackSpec     `yaml:"industryFallback"`
	Supports       []supportSpec     `yaml:"supports"`
	Responses      []responseSpec    `yaml:"responses"`
	Diagrams       []diagramSpec     `yaml:"diagrams"`
	Interpretation string            `yaml:"interpretation"`
}

type jurisdictionSpec struct {
	Name   string `yaml:"name,required"`
	Plan   string `yaml:"plan"`
	Clause string `yaml:"clause,required"`
}

type dutySpec struct {
	Clause         string `yaml:"clause,required"`
	Text           string `yaml:"text,required"`
	Condition      string `yaml:"condition"`
	Interpretation string `yaml:"interpretation"`
}

type postSpec struct {
	ID             yamlx.String `yaml:"id,required"`
	Title          string       `yaml:"title,required"`
	Holder         string       `yaml:"holder,required"`
	Unit           yamlx.String `yaml:"unit"`
	Label          yamlx.String `yaml:"label"`
	Clause         string       `yaml:"clause,required"`
	Interpretation string       `yaml:"interpretation"`
}

type linkSpec struct {
	To        yamlx.String `yaml:"to,required"`
	Label     string       `yaml:"label,required"`
	Clause    string       `yaml:"clause,required"`
	Condition string       `yaml:"condition"`
	Text      string       `yaml:"text"`
}

// memberSpec is written either as a bare reference ("- fire") or as a
// mapping with a condition ("- {ref: military, condition: 根据请求}").
type memberSpec struct {
	Ref       yamlx.String
	Condition string
	Clause    string
}

type memberFields struct {
	Ref       yamlx.String `yaml:"ref,required"`
	Condition string       `yaml:"condition"`
	Clause    string       `yaml:"clause"`
}

func (m *memberSpec) UnmarshalYAMLX(d *yamlx.Decoder, n *yamlx.Node, path string) {
	if n.Kind == yamlx.ScalarNode {
		d.Decode(n, path, reflect.ValueOf(&m.Ref).Elem())
		return
	}
	var f memberFields
	d.Decode(n, path, reflect.ValueOf(&f).Elem())
	*m = memberSpec(f)
}

// refList is written as one reference or a list of them, so that a group
// given two leads can be reported rather than rejected by the decoder.
type refList struct {
	yamlx.Meta
	Refs []yamlx.String
}

func (r *refList) UnmarshalYAMLX(d *yamlx.Decoder, n *yamlx.Node, path string) {
	r.Meta = d.Meta(n)
	if n.Kind == yamlx.ScalarNode {
		var s yamlx.String
		d.Decode(n, path, reflect.ValueOf(&s).Elem())
		r.Refs = []yamlx.String{s}
		return
	}
	d.Decode(n, path, reflect.ValueOf(&r.Refs).Elem())
}

type unitSpec struct {
	ID             yamlx.String   `yaml:"id,required"`
	Name           yamlx.String   `yaml:"name,required"`
	Short          yamlx.String   `yaml:"short"`
	Aliases        []yamlx.String `yaml:"aliases"`
	Kind           string         `yaml:"kind,required"`
	Clause         string         `yaml:"clause,required"`
	Text           string         `yaml:"text"`
	FormedBy       []memberSpec   `yaml:"formedBy"`
	PartOf         yamlx.String   `yaml:"partOf"`
	ContactVia     yamlx.String   `yaml:"contactVia"`
	Posts          []postSpec     `yaml:"posts"`
	Members        []memberSpec   `yaml:"members"`
	Duties         []dutySpec     `yaml:"duties"`
	Links          []linkSpec     `yaml:"links"`
	Interpretation string         `yaml:"interpretation"`
}

type placeholderSpec struct {
	ID             yamlx.String   `yaml:"id,required"`
	Name           yamlx.String   `yaml:"name,required"`
	Aliases        []yamlx.String `yaml:"aliases"`
	Bind           yamlx.String   `yaml:"bind,required"`
	Role           yamlx.String   `yaml:"role"`
	Label          yamlx.String   `yaml:"label"`
	Clause         string         `yaml:"clause,required"`
	Duties         []dutySpec     `yaml:"duties"`
	Interpretation string         `yaml:"interpretation"`
}

type groupSpec struct {
	ID             yamlx.String   `yaml:"id,required"`
	Name           yamlx.String   `yaml:"name,required"`
	Aliases        []yamlx.String `yaml:"aliases"`
	Clause         string         `yaml:"clause,required"`
	PartOf         yamlx.String   `yaml:"partOf"`
	Formed         string         `yaml:"formed"`
	Lead           refList        `yaml:"lead,required"`
	Coordinator    yamlx.String   `yaml:"coordinator"`
	Members        []memberSpec   `yaml:"members"`
	Duties         []dutySpec     `yaml:"duties"`
	Interpretation string         `yaml:"interpretation"`
}

type localityUnitSpec struct {
	Role           yamlx.String   `yaml:"role,required"`
	ID             yamlx.String   `yaml:"id,required"`
	Name           yamlx.String   `yaml:"name,required"`
	Aliases        []yamlx.String `yaml:"aliases"`
	Clause         string         `yaml:"clause,required"`
	Interpretation string         `yaml:"interpretation"`
}

type localitySpec struct {
	ID             yamlx.String       `yaml:"id,required"`
	Name           yamlx.String       `yaml:"name,required"`
	Aliases        []yamlx.String     `yaml:"aliases"`
	Kind           string             `yaml:"kind,required"`
	Clause         string             `yaml:"clause,required"`
	Units          []localityUnitSpec `yaml:"units"`
	Interpretation string             `yaml:"interpretation"`
}

type industrySpec struct {
	ID             yamlx.String   `yaml:"id,required"`
	Name           yamlx.String   `yaml:"name,required"`
	Aliases        []yamlx.String `yaml:"aliases"`
	Clause         string         `yaml:"clause,required"`
	Text           string         `yaml:"text"`
	Units          []yamlx.String `yaml:"units"`
	Interpretation string         `yaml:"interpretation"`
}

type fallbackSpec struct {
	Unit           yamlx.String `yaml:"unit,required"`
	Clause         string       `yaml:"clause,required"`
	Text           string       `yaml:"text"`
	Interpretation string       `yaml:"interpretation"`
}

type supportSpec struct {
	Clause         string         `yaml:"clause,required"`
	Title          string         `yaml:"title,required"`
	Text           string         `yaml:"text,required"`
	Units          []yamlx.String `yaml:"units"`
	Interpretation string         `yaml:"interpretation"`
}

type stepSpec struct {
	Meta           yamlx.Meta     `yaml:"-"`
	Action         yamlx.String   `yaml:"action,required"`
	Who            []yamlx.String `yaml:"who"`
	MembersOf      yamlx.String   `yaml:"membersOf"`
	AllGroups      bool           `yaml:"allGroups"`
	By             yamlx.String   `yaml:"by"`
	As             string         `yaml:"as"`
	Condition      string         `yaml:"condition"`
	Clause         string         `yaml:"clause,required"`
	Text           string         `yaml:"text"`
	Interpretation string         `yaml:"interpretation"`
}

type responseSpec struct {
	ID             yamlx.String   `yaml:"id,required"`
	Title          string         `yaml:"title,required"`
	Levels         []yamlx.String `yaml:"levels"`
	Clause         string         `yaml:"clause,required"`
	Command        yamlx.String   `yaml:"command"`
	Extends        []yamlx.String `yaml:"extends"`
	Steps          []stepSpec     `yaml:"steps"`
	Interpretation string         `yaml:"interpretation"`
}

type diagramSpec struct {
	ID     yamlx.String `yaml:"id,required"`
	Title  string       `yaml:"title,required"`
	Clause string       `yaml:"clause,required"`
	Root   yamlx.String `yaml:"root,required"`
	Note   string       `yaml:"note"`
}

type contactsSpec struct {
	AsOf           string        `yaml:"asOf,required"`
	Source         string        `yaml:"source"`
	Listings       []listingSpec `yaml:"listings,required"`
	Interpretation string        `yaml:"interpretation"`
}

type listingSpec struct {
	Meta           yamlx.Meta   `yaml:"-"`
	Unit           yamlx.String `yaml:"unit,required"`
	Written        string       `yaml:"written"`
	Clause         string       `yaml:"clause,required"`
	AsOf           string       `yaml:"asOf"`
	DutyPhone      string       `yaml:"dutyPhone"`
	People         []personSpec `yaml:"people"`
	Interpretation string       `yaml:"interpretation"`
}

type personSpec struct {
	Name   string `yaml:"name,required"`
	Post   string `yaml:"post,required"`
	Phone  string `yaml:"phone"`
	Clause string `yaml:"clause"`
}

// size counts the items of the file that have ids, and the names they can
// be looked up by, so that the chart's tables are allocated once.
func (s *fileSpec) size() (items, names int) {
	for _, u := range s.Units {
		items++
		names += 3 + len(u.Aliases)
	}
	for _, p := range s.Placeholders {
		items++
		names += 2 + len(p.Aliases)
	}
	for _, g := range s.Groups {
		items++
		names += 2 + len(g.Aliases)
	}
	for _, l := range s.Localities {
		items++
		names += 2 + len(l.Aliases)
		for _, u := range l.Units {
			items++
			names += 2 + len(u.Aliases)
		}
	}
	for _, in := range s.Industries {
		items++
		names += 2 + len(in.Aliases)
	}
	return items, names
}

// contactsTables are the field tables of contactsSpec, built once.
var contactsTables = yamlx.TablesFor((*contactsSpec)(nil))

// fileTables are the field tables of fileSpec, built once.
var fileTables = yamlx.TablesFor((*fileSpec)(nil))
