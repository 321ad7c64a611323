package orgchart

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/yingji/yingji/diag"
)

// ErrUnknown is wrapped by every LookupError, for errors.Is.
var ErrUnknown = errors.New("orgchart: unknown name")

// LookupError reports a name an activation used that the chart does not
// know, with the closest name it does know.
type LookupError struct {
	Kind       string // "industry", "locality" or "response level"
	Name       string
	Suggestion string // ` Did you mean "x"?`, or empty
	Known      []string
}

func (e *LookupError) Error() string {
	msg := fmt.Sprintf("orgchart: unknown %s %q.%s", e.Kind, e.Name, e.Suggestion)
	// A short list is worth showing even beside a suggestion: for names as
	// short as "I".."IV" the nearest is often not the one meant.
	if len(e.Known) > 0 && len(e.Known) <= 12 {
		msg += " Known: " + strings.Join(e.Known, ", ") + "."
	}
	return msg
}

func (e *LookupError) Unwrap() error { return ErrUnknown }

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
	Warnings      []string       `json:"warnings,omitempty"`
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

// Activate builds the roster for an incident. Industries and localities
// are named by id, name or alias; an unknown one is a *LookupError (all of
// them, joined). An incident without an industry or locality still gets a
// roster, without the entries bound to it and with a warning.
//
// Activate only reads the chart and is safe for concurrent use.
func (c *Chart) Activate(ctx context.Context, a Activation) (Roster, error) {
	if err := ctx.Err(); err != nil {
		return Roster{}, err
	}
	var errs []error
	industries := c.resolveAll(a.Industries, kindIndustry, "industry", &errs)
	localities := c.resolveAll(a.Localities, kindLocality, "locality", &errs)
	rule := -1
	switch level := strings.TrimSpace(a.Response); {
	case level == "":
		errs = append(errs, fmt.Errorf("orgchart: no response level given; the chart has %s", strings.Join(c.levels, ", ")))
	default:
		rule = slices.IndexFunc(c.responses, func(r RosterRule) bool { return slices.Contains(r.Levels, level) })
		if rule < 0 {
			errs = append(errs, &LookupError{Kind: "response level", Name: level, Suggestion: diag.Suggest(level, c.levels), Known: slices.Clone(c.levels)})
		}
	}
	if len(errs) > 0 {
		return Roster{}, errors.Join(errs...)
	}
	resp := c.responses[rule]
	b := &builder{c: c, industries: industries, localities: localities, entry: map[string]int{},
		missing: map[Binding][]string{}, groupDone: map[string]bool{}, postDone: map[string]bool{}}
	b.r = Roster{Response: strings.TrimSpace(a.Response), Rule: resp.ID, Title: resp.Title, Clause: resp.Clause}
	for _, i := range industries {
		b.r.Industries = append(b.r.Industries, c.industries[i].ID)
	}
	for _, l := range localities {
		b.r.Localities = append(b.r.Localities, c.localities[l].ID)
	}
	for _, p := range b.bind(resp.Command) {
		b.r.Command = append(b.r.Command, Party{ID: p.id, Name: p.name})
	}
	for _, st := range c.stepsOf(resp.ID, map[string]bool{}) {
		b.step(st)
	}
	b.finish()
	return b.r, nil
}

func (c *Chart) resolveAll(names []string, k kind, label string, errs *[]error) []int {
	var out []int
	for _, n := range names {
		i, ok := c.lookup(n, k)
		if !ok {
			known := c.namesOf(k)
			// Suggest the canonical name first, then any alias.
			sug := diag.Suggest(n, known)
			if sug == "" {
				sug = diag.Suggest(n, c.keysOf(k))
			}
			*errs = append(*errs, &LookupError{Kind: label, Name: n, Suggestion: sug, Known: known})
			continue
		}
		if !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	return out
}

func (c *Chart) keysOf(k kind) []string {
	var out []string
	for key, e := range c.keys {
		if e.kind == k {
			out = append(out, key)
		}
	}
	slices.Sort(out)
	return out
}

func (c *Chart) namesOf(k kind) []string {
	var out []string
	switch k {
	case kindIndustry:
		for _, i := range c.industries {
			out = append(out, i.Name)
		}
	case kindLocality:
		for _, l := range c.localities {
			out = append(out, l.Name)
		}
	}
	return out
}

// stepsOf flattens a response: the steps of what it extends, in order,
// then its own.
func (c *Chart) stepsOf(id string, done map[string]bool) []RosterStep {
	if done[id] {
		return nil
	}
	done[id] = true
	i := slices.IndexFunc(c.responses, func(r RosterRule) bool { return r.ID == id })
	if i < 0 {
		return nil
	}
	var out []RosterStep
	for _, e := range c.responses[i].Extends {
		out = append(out, c.stepsOf(e, done)...)
	}
	return append(out, c.responses[i].Steps...)
}

type builder struct {
	c          *Chart
	industries []int
	localities []int
	r          Roster
	entry      map[string]int
	missing    map[Binding][]string
	groupDone  map[string]bool
	postDone   map[string]bool
}

// bound is a party after binding.
type bound struct {
	id, name, short, from, locality, note string
	unbound                               bool
}

// bind turns a reference into the parties it stands for in this incident.
func (b *builder) bind(ref string) []bound {
	c := b.c
	e, ok := c.ids[ref]
	if !ok {
		return nil
	}
	switch e.kind {
	case kindUnit:
		u := c.units[e.idx]
		return []bound{{id: u.ID, name: u.Name, short: u.Short, locality: u.Locality}}
	case kindPlaceholder:
		p := c.placeholders[e.idx]
		var out []bound
		switch p.Bind {
		case BindLocality:
			if len(b.localities) == 0 {
				b.noteMissing(BindLocality, p.Name)
			}
			for _, li := range b.localities {
				loc := c.localities[li]
				if p.Label != "" {
					out = append(out, bound{id: p.ID + "@" + loc.ID, name: expand(p.Label, map[string]string{"locality": loc.Name}),
						from: p.ID, locality: loc.ID, note: p.Name + " → " + loc.Name})
					continue
				}
				found := false
				for _, uid := range loc.Units {
					if u := c.units[c.ids[uid].idx]; u.Role == p.Role {
						out = append(out, bound{id: u.ID, name: u.Name, short: u.Short, from: p.ID, locality: loc.ID, note: p.Name + " → " + u.Name})
						found = true
					}
				}
				if !found {
					b.r.Warnings = append(b.r.Warnings, fmt.Sprintf("%s has no %s unit, so %s is left out", loc.Name, p.Role, p.Name))
				}
			}
		case BindIndustry:
			if len(b.industries) == 0 {
				b.noteMissing(BindIndustry, p.Name)
			}
			for _, ii := range b.industries {
				in := c.industries[ii]
				for _, uid := range in.Units {
					u := c.units[c.ids[uid].idx]
					note := p.Name + "（" + in.Name + "）→ " + u.Name + "（" + in.Clause + "）"
					if in.Fallback {
						note = fmt.Sprintf("%s（%s）: the text names no unit for %s; %s stands in (%s)", p.Name, in.Name, in.Name, u.Name, c.fallback.Clause)
					}
					out = append(out, bound{id: u.ID, name: u.Name, short: u.Short, from: p.ID, note: note})
				}
			}
		default:
			out = append(out, bound{id: p.ID, name: p.Name, from: p.ID, unbound: true})
		}
		return dedupe(out)
	}
	return nil
}

func dedupe(bs []bound) []bound {
	var out []bound
	for _, x := range bs {
		if i := slices.IndexFunc(out, func(y bound) bool { return y.id == x.id }); i >= 0 {
			if x.note != "" && !strings.Contains(out[i].note, x.note) {
				out[i].note += "; " + x.note
			}
			continue
		}
		out = append(out, x)
	}
	return out
}

func (b *builder) noteMissing(k Binding, name string) {
	if !slices.Contains(b.missing[k], name) {
		b.missing[k] = append(b.missing[k], name)
	}
}

func expand(label string, vars map[string]string) string {
	return templateVar.ReplaceAllStringFunc(label, func(m string) string {
		if v, ok := vars[m[1:len(m)-1]]; ok {
			return v
		}
		return m
	})
}

func joinCond(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "" || a == b:
		return a
	}
	return a + "；" + b
}

// add records a reason for a bound party and returns its entry index.
func (b *builder) add(p bound, why Reason) int {
	if p.note != "" {
		why.Note = joinCond(why.Note, p.note)
	}
	i, ok := b.entry[p.id]
	if !ok {
		i = len(b.r.Entries)
		b.entry[p.id] = i
		b.r.Entries = append(b.r.Entries, Entry{ID: p.id, Name: p.name, Short: p.short, From: p.from, Locality: p.locality, Unbound: p.unbound})
	}
	e := &b.r.Entries[i]
	if !slices.ContainsFunc(e.Reasons, func(r Reason) bool { return r == why }) {
		e.Reasons = append(e.Reasons, why)
	}
	return i
}

func (b *builder) byName(ref string) string {
	var names []string
	for _, p := range b.bind(ref) {
		names = append(names, p.name)
	}
	if len(names) == 0 && ref != "" {
		return b.c.name(ref)
	}
	return strings.Join(names, "、")
}

func (b *builder) step(st RosterStep) {
	c := b.c
	why := Reason{Action: st.Action, Clause: st.Clause, As: st.As, Condition: st.Condition, Text: st.Text}
	if st.By != "" {
		why.By = b.byName(st.By)
	}
	type target struct {
		ref, cond, clause string
	}
	var targets []target
	for _, w := range st.Who {
		targets = append(targets, target{ref: w})
	}
	if st.MembersOf != "" {
		for _, m := range c.units[c.ids[st.MembersOf].idx].Members {
			targets = append(targets, target{ref: m.Ref, cond: m.Condition, clause: m.Clause})
		}
	}
	if st.AllGroups {
		for _, g := range c.groups {
			targets = append(targets, target{ref: g.ID})
		}
	}
	for _, t := range targets {
		if c.ids[t.ref].kind == kindGroup {
			if st.Action == Engage {
				b.group(c.groups[c.ids[t.ref].idx], why)
			}
			continue
		}
		w := why
		w.Condition = joinCond(w.Condition, t.cond)
		if t.clause != "" {
			w.Note = "condition per " + t.clause
		}
		for _, p := range b.bind(t.ref) {
			i := b.add(p, w)
			if st.Action == Notify && b.r.Entries[i].Notified == 0 {
				n := Notification{Order: len(b.r.Notifications) + 1, To: p.id, Name: p.name, By: why.By, Clause: st.Clause, Condition: w.Condition}
				b.r.Notifications = append(b.r.Notifications, n)
				b.r.Entries[i].Notified = n.Order
			}
			if st.Action == Engage && c.ids[p.id].kind == kindUnit {
				b.posts(c.units[c.ids[p.id].idx])
			}
		}
	}
}

// posts binds the posts of an engaged body.
func (b *builder) posts(u Unit) {
	if b.postDone[u.ID] {
		return
	}
	b.postDone[u.ID] = true
	c := b.c
	var inds, locs []string
	for _, i := range b.industries {
		inds = append(inds, c.industries[i].Name)
	}
	for _, l := range b.localities {
		locs = append(locs, c.localities[l].Name)
	}
	for _, p := range u.Posts {
		vars := map[string]string{}
		if len(inds) > 0 {
			vars["industry"] = strings.Join(inds, "、")
		}
		if len(locs) > 0 {
			vars["locality"] = strings.Join(locs, "、")
		}
		ph := PostHolder{Body: u.ID, Post: p.ID, Title: p.Title, Holder: p.Holder, Clause: p.Clause}
		label := p.Label
		if p.Unit == "" {
			if label != "" {
				ph.Holder = expand(label, vars)
				if templateVar.MatchString(ph.Holder) {
					ph.Holder, ph.Unbound = p.Holder, true
					b.noteMissingFor(label, p.Holder)
				}
			}
			b.r.Posts = append(b.r.Posts, ph)
			continue
		}
		holders := b.bind(p.Unit)
		if len(holders) == 0 {
			ph.Unbound = true
			b.r.Posts = append(b.r.Posts, ph)
			continue
		}
		for _, h := range holders {
			x := ph
			x.Unit = h.id
			vars["unit"] = h.name
			if label != "" {
				x.Holder = expand(label, vars)
				if templateVar.MatchString(x.Holder) {
					x.Holder = p.Holder
					x.Unbound = true
					b.noteMissingFor(label, p.Holder)
				}
			}
			if l, ok := c.contactsOf(h.id); ok {
				x.Contacts = &l
			}
			b.r.Posts = append(b.r.Posts, x)
			b.add(h, Reason{Action: Engage, Clause: p.Clause, As: p.Title + "（" + c.name(u.ID) + "）"})
		}
	}
}

func (b *builder) noteMissingFor(label, holder string) {
	switch {
	case strings.Contains(label, "{industry}"):
		b.noteMissing(BindIndustry, holder)
	case strings.Contains(label, "{locality}"):
		b.noteMissing(BindLocality, holder)
	}
}

// group forms a working group for the incident.
func (b *builder) group(g Group, why Reason) {
	if b.groupDone[g.ID] {
		return
	}
	b.groupDone[g.ID] = true
	cond := joinCond(why.Condition, g.Formed)
	gr := GroupRoster{ID: g.ID, Name: g.Name, Clause: g.Clause, Condition: cond, Duties: cloneDuties(g.Duties)}
	role := func(ref, as, mcond, mclause string) []Party {
		var out []Party
		for _, p := range b.bind(ref) {
			why := Reason{Action: Engage, Clause: g.Clause, As: as + " " + g.Name, Condition: joinCond(cond, mcond)}
			if mclause != "" {
				why.Note = "condition per " + mclause
			}
			b.add(p, why)
			out = append(out, Party{ID: p.id, Name: p.name, Condition: mcond})
		}
		return out
	}
	gr.Lead = role(g.Lead, "牵头", "", "")
	if g.Coordinator != "" {
		gr.Coordinator = role(g.Coordinator, "协调", "", "")
	}
	for _, m := range g.Members {
		gr.Members = append(gr.Members, role(m.Ref, "成员", m.Condition, m.Clause)...)
	}
	b.r.Groups = append(b.r.Groups, gr)
}

func (b *builder) finish() {
	c := b.c
	for i := range b.r.Entries {
		e := &b.r.Entries[i]
		e.Involvement = Notify
		if slices.ContainsFunc(e.Reasons, func(r Reason) bool { return r.Action == Engage }) {
			e.Involvement = Engage
		}
		e.Conditional = true
		for _, r := range e.Reasons {
			if r.Action == e.Involvement && r.Condition == "" {
				e.Conditional = false
			}
		}
		if !e.Unbound {
			if l, ok := c.contactsOf(e.ID); ok {
				e.Contacts = &l
			}
		}
	}
	if names := b.missing[BindIndustry]; len(names) > 0 {
		b.r.Warnings = append(b.r.Warnings, "no industry given: left out "+strings.Join(names, "、")+"; give the incident's industry to bind them")
	}
	if names := b.missing[BindLocality]; len(names) > 0 {
		b.r.Warnings = append(b.r.Warnings, "no locality given: left out "+strings.Join(names, "、")+"; give the incident's locality to bind them")
	}
}
