package orgchart

import (
	"slices"

	"github.com/yingji/yingji/diag"
)

// Activation describes an incident to build a roster for.
type Activation struct {
	// Industries and Localities name the incident's industries and
	// localities by id, name or alias; an incident may span several.
	Industries []string `json:"industries,omitempty"`
	Localities []string `json:"localities,omitempty"`
	// Response is the response level id ("I".."IV" in the Changji plan).
	Response string `json:"response"`
}

// Reason is why an entry is on a roster.
type Reason struct {
	Action    Action `json:"action"`
	Clause    string `json:"clause"`
	As        string `json:"as,omitempty"` // the part it plays ("牵头 事故抢救组", "指导")
	By        string `json:"by,omitempty"` // who notifies it
	Condition string `json:"condition,omitempty"`
	Text      string `json:"text,omitempty"`
	// Note explains a binding: which placeholder the entry stands for, or
	// that a fallback unit stands in.
	Note string `json:"note,omitempty"`
}

// Entry is one party on a roster.
type Entry struct {
	// ID is the unit id; for a body named from a locality it is
	// "placeholder@locality"; for a party only the incident knows it is the
	// placeholder's id.
	ID       string `json:"id"`
	Name     string `json:"name"`
	Short    string `json:"short,omitempty"`
	From     string `json:"from,omitempty"` // the placeholder it was bound from
	Locality string `json:"locality,omitempty"`
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
type Party struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Condition string `json:"condition,omitempty"`
}

// Notification is one report or notice, in the order the text gives.
type Notification struct {
	Order     int    `json:"order"`
	To        string `json:"to"` // entry id
	Name      string `json:"name"`
	By        string `json:"by,omitempty"`
	Clause    string `json:"clause"`
	Condition string `json:"condition,omitempty"`
}

// PostHolder is a post of an engaged body, bound to the incident.
type PostHolder struct {
	Body   string `json:"body"`
	Post   string `json:"post"`
	Title  string `json:"title"`
	Holder string `json:"holder"`
	// Unit is the entry id of the unit whose head holds the post.
	Unit     string   `json:"unit,omitempty"`
	Clause   string   `json:"clause"`
	Unbound  bool     `json:"unbound,omitempty"`
	Contacts *Listing `json:"contacts,omitempty"`
}

// GroupRoster is a working group as formed for an incident.
type GroupRoster struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Clause      string  `json:"clause"`
	Condition   string  `json:"condition,omitempty"`
	Lead        []Party `json:"lead"`
	Coordinator []Party `json:"coordinator,omitempty"`
	Members     []Party `json:"members"`
	Duties      []Duty  `json:"duties,omitempty"`
}

// Roster is who acts and who is told for one incident at one response
// level, and why.
type Roster struct {
	Response      string         `json:"response"`
	Rule          string         `json:"rule"`
	Title         string         `json:"title"`
	Clause        string         `json:"clause"`
	Industries    []string       `json:"industries,omitempty"`
	Localities    []string       `json:"localities,omitempty"`
	Command       []Party        `json:"command,omitempty"`
	Posts         []PostHolder   `json:"posts,omitempty"`
	Groups        []GroupRoster  `json:"groups,omitempty"`
	Notifications []Notification `json:"notifications,omitempty"`
	Entries       []Entry        `json:"entries"`
	// Warnings say what the roster leaves out and why (no industry
	// given, a locality without a unit a placeholder binds to), each with
	// a code (CodeRosterNoIndustry, …), the Activation field it is about
	// and its parameters.
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
