package orgchart

import (
	"slices"

	"github.com/yingji/yingji/diag"
)

// The types of this file are what Activate returns. They are plain values
// owned by the caller: safe to read from any number of goroutines, and to
// change once the caller is the only one holding them. In JSON every list
// of a roster is present, [] when empty, and every id comes with its
// display name (industries and industryNames, by and byName, …).

// Activation describes an incident to build a roster for.
//
// A plain value: safe for concurrent reads.
type Activation struct {
	// Industries and Localities name the incident's industries and
	// localities by id, name or alias; an incident may span several.
	Industries []string `json:"industries,omitempty"`
	Localities []string `json:"localities,omitempty"`
	// Response is the response level id ("I".."IV" in the Changji plan).
	Response string `json:"response"`
}

// Reason is why an entry is on a roster.
//
// A plain value: safe for concurrent reads.
type Reason struct {
	Action Action `json:"action"`
	Clause string `json:"clause"`
	As     string `json:"as,omitempty"` // the part it plays ("牵头 事故抢救组", "指导")
	// By is who notifies the entry: the id of the party the rule's by:
	// binds to, or the placeholder's id when it binds to several or to
	// none; ByName is its display name ("奇台县应急管理局", or the
	// several joined with 、).
	By        string `json:"by,omitempty"`
	ByName    string `json:"byName,omitempty"`
	Condition string `json:"condition,omitempty"`
	Text      string `json:"text,omitempty"`
	// Note explains, in Chinese, a binding: which placeholder the entry
	// stands for ("事故发生地县市（园区）应急管理局 → 奇台县应急管理局"), that a
	// fallback unit stands in for an industry the plan names no unit for,
	// or the clause a condition is written in ("条件见 2.3 (24)").
	Note string `json:"note,omitempty"`
	// ConditionClause is the clause the condition is written in when it
	// is not Clause (a member's condition in the unit's own clause).
	ConditionClause string `json:"conditionClause,omitempty"`
	// Fallback is set when the entry stands in for an industry the plan
	// names no unit for (Chart.IndustryFallback).
	Fallback bool `json:"fallback,omitempty"`
}

// Entry is one party on a roster.
//
// A plain value: safe for concurrent reads.
type Entry struct {
	// ID is the unit id; for a body named from a locality it is
	// "placeholder@locality"; for a party only the incident knows it is the
	// placeholder's id.
	ID    string `json:"id"`
	Name  string `json:"name"`
	Short string `json:"short,omitempty"`
	// From is the placeholder the entry was bound from, FromName its name.
	From     string `json:"from,omitempty"`
	FromName string `json:"fromName,omitempty"`
	// Locality is the locality the entry belongs to, LocalityName its name.
	Locality     string `json:"locality,omitempty"`
	LocalityName string `json:"localityName,omitempty"`
	// Involvement is Engage when any reason engages the entry, else Notify.
	Involvement Action `json:"involvement"`
	// Conditional is set when every reason of the entry's involvement is
	// conditional (必要时, 根据需要, on request): an entry notified for sure
	// but engaged only if needed is engaged and conditional.
	Conditional bool `json:"conditional,omitempty"`
	// Unbound marks a party only the incident can name (the enterprise
	// where it happened, the experts called): the host fills it in.
	Unbound  bool     `json:"unbound,omitempty"`
	Notified int      `json:"notified,omitempty"` // position in Roster.Notifications, 1-based
	Reasons  []Reason `json:"reasons"`
	Contacts *Listing `json:"contacts,omitempty"`
}

// Party is a reference to a roster entry, with its display name.
//
// A plain value: safe for concurrent reads.
type Party struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Condition string `json:"condition,omitempty"`
}

// Notification is one report or notice, in the order the text gives.
//
// A plain value: safe for concurrent reads.
type Notification struct {
	Order int    `json:"order"`
	To    string `json:"to"`   // entry id
	Name  string `json:"name"` // the entry's name
	// By and ByName are who reports or notifies, as in Reason.
	By        string `json:"by,omitempty"`
	ByName    string `json:"byName,omitempty"`
	Clause    string `json:"clause"`
	Condition string `json:"condition,omitempty"`
}

// PostHolder is a post of an engaged body, bound to the incident.
//
// A plain value: safe for concurrent reads.
type PostHolder struct {
	Body     string `json:"body"` // the body's unit id
	BodyName string `json:"bodyName"`
	Post     string `json:"post"`  // the post's id
	Title    string `json:"title"` // the post's title (指挥长)
	Holder   string `json:"holder"`
	// Unit is the entry id of the unit whose head holds the post, UnitName
	// its name.
	Unit     string   `json:"unit,omitempty"`
	UnitName string   `json:"unitName,omitempty"`
	Clause   string   `json:"clause"`
	Unbound  bool     `json:"unbound,omitempty"`
	Contacts *Listing `json:"contacts,omitempty"`
}

// GroupRoster is a working group as formed for an incident.
//
// A plain value: safe for concurrent reads.
type GroupRoster struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Clause      string  `json:"clause"`
	Condition   string  `json:"condition,omitempty"`
	Lead        []Party `json:"lead"`
	Coordinator []Party `json:"coordinator"`
	Members     []Party `json:"members"`
	Duties      []Duty  `json:"duties"`
}

// Roster is who acts and who is told for one incident at one response
// level, and why.
//
// A plain value: safe for concurrent reads.
type Roster struct {
	Response string `json:"response"` // the response level id
	// Rule and Title are the id and title of the roster rule applied.
	Rule   string `json:"rule"`
	Title  string `json:"title"`
	Clause string `json:"clause"`
	// Industries and Localities are the incident's, by id, with their
	// names at the same index in IndustryNames and LocalityNames.
	Industries    []string       `json:"industries"`
	IndustryNames []string       `json:"industryNames"`
	Localities    []string       `json:"localities"`
	LocalityNames []string       `json:"localityNames"`
	Command       []Party        `json:"command"`
	Posts         []PostHolder   `json:"posts"`
	Groups        []GroupRoster  `json:"groups"`
	Notifications []Notification `json:"notifications"`
	Entries       []Entry        `json:"entries"`
	// Warnings say, in Chinese and by name, what the roster leaves out
	// and why (no industry given, a locality without a unit a placeholder
	// binds to), each with a code (CodeRosterNoIndustry, …), the
	// Activation field it is about and its parameters.
	Warnings []diag.Problem `json:"warnings"`
}

// Entry returns the roster entry with the given id.
func (r Roster) Entry(id string) (Entry, bool) {
	i := slices.IndexFunc(r.Entries, func(e Entry) bool { return e.ID == id })
	if i < 0 {
		return Entry{}, false
	}
	return r.Entries[i], true
}

// Group returns the roster's group with the given id.
func (r Roster) Group(id string) (GroupRoster, bool) {
	i := slices.IndexFunc(r.Groups, func(g GroupRoster) bool { return g.ID == id })
	if i < 0 {
		return GroupRoster{}, false
	}
	return r.Groups[i], true
}
