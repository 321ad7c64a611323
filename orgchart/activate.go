package orgchart

import (
	"context"
	"slices"
	"strings"

	"github.com/yingji/yingji/diag"
)

// Activate builds the roster for an incident. Industries and localities
// are named by id, name or alias, the response level by its id. Every
// unknown name is reported at once: the error is a *LookupError, or for
// several a list of them (errors.As finds the first, diag.ProblemsOf gives
// all, errors.Is(err, ErrUnknown) holds). An incident without an industry
// or locality still gets a roster, without the entries bound to it and
// with a warning.
//
// Activate only reads the chart and is safe for concurrent use.
func (c *Chart) Activate(ctx context.Context, a Activation) (Roster, error) {
	if err := ctx.Err(); err != nil {
		return Roster{}, err
	}
	var errs lookupErrors
	industries := c.resolveAll(a.Industries, kindIndustry, &errs)
	localities := c.resolveAll(a.Localities, kindLocality, &errs)
	rule := -1
	level := strings.TrimSpace(a.Response)
	if level != "" {
		rule = slices.IndexFunc(c.responses, func(r RosterRule) bool { return slices.Contains(r.Levels, level) })
	}
	if rule < 0 {
		// No suggestion: the nearest spelling of a rank ("Ⅲ" → "I") is
		// often another rank; the levels are listed in order instead.
		errs = append(errs, &LookupError{Kind: kindLevelName, Name: level, Known: slices.Clone(c.levels)})
	}
	switch len(errs) {
	case 0:
	case 1:
		return Roster{}, errs[0]
	default:
		return Roster{}, errs
	}
	resp := c.responses[rule]
	b := &builder{c: c, industries: industries, localities: localities, entry: map[string]int{},
		missing: map[Binding][]string{}, groupDone: map[string]bool{}, postDone: map[string]bool{}}
	b.r = Roster{Response: level, Rule: resp.ID, Title: resp.Title, Clause: resp.Clause,
		Industries: make([]string, 0, len(industries)), IndustryNames: make([]string, 0, len(industries)),
		Localities: make([]string, 0, len(localities)), LocalityNames: make([]string, 0, len(localities)),
		Command: []Party{}, Posts: []PostHolder{}, Groups: []GroupRoster{}, Notifications: []Notification{},
		Entries: []Entry{}, Warnings: []diag.Problem{}}
	for _, i := range industries {
		b.r.Industries = append(b.r.Industries, c.industries[i].ID)
		b.r.IndustryNames = append(b.r.IndustryNames, c.industries[i].Name)
	}
	for _, l := range localities {
		b.r.Localities = append(b.r.Localities, c.localities[l].ID)
		b.r.LocalityNames = append(b.r.LocalityNames, c.localities[l].Name)
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

func (c *Chart) resolveAll(names []string, k kind, errs *lookupErrors) []int {
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
			*errs = append(*errs, &LookupError{Kind: k.String(), Name: n, Suggestion: sug, Known: known})
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
	for name, key := range c.keys {
		if c.items[key.item].kind == k {
			out = append(out, name)
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
	// fallback is set when the party stands in for an industry the
	// plan names no unit for.
	fallback bool
}

// bind turns a reference into the parties it stands for in this incident.
func (b *builder) bind(ref string) []bound {
	c := b.c
	e, ok := c.entityOK(ref)
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
					name := expand(p.Label, map[string]string{"locality": loc.Name})
					out = append(out, bound{id: p.ID + "@" + loc.ID, name: name, from: p.ID, locality: loc.ID, note: p.Name + " → " + name})
					continue
				}
				found := false
				for _, uid := range loc.Units {
					if u := c.units[c.entity(uid).idx]; u.Role == p.Role {
						out = append(out, bound{id: u.ID, name: u.Name, short: u.Short, from: p.ID, locality: loc.ID, note: p.Name + " → " + u.Name})
						found = true
					}
				}
				if !found {
					b.r.Warnings = append(b.r.Warnings, diag.Problem{Code: CodeRosterNoLocalityUnit, Field: "localities",
						Message: loc.Name + "没有与“" + p.Name + "”对应的单位，未列入名单",
						Params:  map[string]string{"locality": loc.ID, "localityName": loc.Name, "role": p.Role, "placeholder": p.ID, "placeholderName": p.Name}})
				}
			}
		case BindIndustry:
			if len(b.industries) == 0 {
				b.noteMissing(BindIndustry, p.Name)
			}
			for _, ii := range b.industries {
				in := c.industries[ii]
				for _, uid := range in.Units {
					u := c.units[c.entity(uid).idx]
					note := p.Name + "（" + in.Name + "）→ " + u.Name + "（" + in.Clause + "）"
					if in.Fallback {
						note = p.Name + "（" + in.Name + "）→ " + u.Name + "（预案未列明" + in.Name + "的负责单位，依 " + c.fallback.Clause + " 代为负责）"
					}
					out = append(out, bound{id: u.ID, name: u.Name, short: u.Short, from: p.ID, note: note, fallback: in.Fallback})
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
				out[i].note += "；" + x.note
			}
			out[i].fallback = out[i].fallback || x.fallback
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
	why.Fallback = why.Fallback || p.fallback
	i, ok := b.entry[p.id]
	if !ok {
		i = len(b.r.Entries)
		b.entry[p.id] = i
		e := Entry{ID: p.id, Name: p.name, Short: p.short, From: p.from, Locality: p.locality, Unbound: p.unbound}
		if e.From != "" {
			e.FromName = b.c.name(e.From)
		}
		if e.Locality != "" {
			e.LocalityName = b.c.name(e.Locality)
		}
		b.r.Entries = append(b.r.Entries, e)
	}
	e := &b.r.Entries[i]
	if !slices.ContainsFunc(e.Reasons, func(r Reason) bool { return r == why }) {
		e.Reasons = append(e.Reasons, why)
	}
	return i
}

// by names who notifies for a rule's by: the party it binds to, or, when
// it binds to several or none, the reference itself with the names.
func (b *builder) by(ref string) (id, name string) {
	ps := b.bind(ref)
	switch len(ps) {
	case 0:
		return ref, b.c.name(ref)
	case 1:
		return ps[0].id, ps[0].name
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.name
	}
	return ref, strings.Join(names, "、")
}

func (b *builder) step(st RosterStep) {
	c := b.c
	why := Reason{Action: st.Action, Clause: st.Clause, As: st.As, Condition: st.Condition, Text: st.Text}
	if st.By != "" {
		why.By, why.ByName = b.by(st.By)
	}
	type target struct {
		ref, cond, clause string
	}
	var targets []target
	for _, w := range st.Who {
		targets = append(targets, target{ref: w})
	}
	if st.MembersOf != "" {
		for _, m := range c.units[c.entity(st.MembersOf).idx].Members {
			targets = append(targets, target{ref: m.Ref, cond: m.Condition, clause: m.Clause})
		}
	}
	if st.AllGroups {
		for _, g := range c.groups {
			targets = append(targets, target{ref: g.ID})
		}
	}
	for _, t := range targets {
		if c.entity(t.ref).kind == kindGroup {
			if st.Action == Engage {
				b.group(c.groups[c.entity(t.ref).idx], why)
			}
			continue
		}
		w := why
		w.Condition = joinCond(w.Condition, t.cond)
		if t.clause != "" {
			w.Note, w.ConditionClause = "条件见 "+t.clause, t.clause
		}
		for _, p := range b.bind(t.ref) {
			i := b.add(p, w)
			if st.Action == Notify && b.r.Entries[i].Notified == 0 {
				n := Notification{Order: len(b.r.Notifications) + 1, To: p.id, Name: p.name, By: why.By, ByName: why.ByName, Clause: st.Clause, Condition: w.Condition}
				b.r.Notifications = append(b.r.Notifications, n)
				b.r.Entries[i].Notified = n.Order
			}
			if st.Action == Engage && c.entity(p.id).kind == kindUnit {
				b.posts(c.units[c.entity(p.id).idx])
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
		ph := PostHolder{Body: u.ID, BodyName: u.Name, Post: p.ID, Title: p.Title, Holder: p.Holder, Clause: p.Clause}
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
			x.Unit, x.UnitName = h.id, h.name
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
	gr := GroupRoster{ID: g.ID, Name: g.Name, Clause: g.Clause, Condition: cond, Duties: append([]Duty{}, g.Duties...),
		Lead: []Party{}, Coordinator: []Party{}, Members: []Party{}}
	role := func(ref, as, mcond, mclause string) []Party {
		var out []Party
		for _, p := range b.bind(ref) {
			why := Reason{Action: Engage, Clause: g.Clause, As: as + " " + g.Name, Condition: joinCond(cond, mcond)}
			if mclause != "" {
				why.Note, why.ConditionClause = "条件见 "+mclause, mclause
			}
			b.add(p, why)
			out = append(out, Party{ID: p.id, Name: p.name, Condition: mcond})
		}
		return out
	}
	gr.Lead = append(gr.Lead, role(g.Lead, "牵头", "", "")...)
	if g.Coordinator != "" {
		gr.Coordinator = append(gr.Coordinator, role(g.Coordinator, "协调", "", "")...)
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
		left := strings.Join(names, "、")
		b.r.Warnings = append(b.r.Warnings, diag.Problem{Code: CodeRosterNoIndustry, Field: "industries",
			Message: "未给出事故所属行业，" + left + "未列入名单；给出行业后即列入",
			Params:  map[string]string{"left": left}})
	}
	if names := b.missing[BindLocality]; len(names) > 0 {
		left := strings.Join(names, "、")
		b.r.Warnings = append(b.r.Warnings, diag.Problem{Code: CodeRosterNoLocality, Field: "localities",
			Message: "未给出事故发生地，" + left + "未列入名单；给出事故发生地后即列入",
			Params:  map[string]string{"left": left}})
	}
}
