package pages

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/yingji/yingji/orgchart"
)

// rosterData is the 响应名单 of one response level.
type rosterData struct {
	Levels     []option
	Industries inputField
	Localities inputField
	Incident   *header

	Has          bool
	Title        string
	Clause       string
	LevelName    string
	ResponseName string
	Places       string
	Trades       string
	Command      []string
	Posts        []postView
	Notices      []entryRow
	Others       []entryRow
	Groups       []groupView
	Warnings     []string
	Problem      string
}

type postView struct {
	Title    string
	Holder   string
	Clause   string
	Contacts *contactView
}

type contactView struct {
	Written   string
	Clause    string
	DutyPhone string
	People    []orgchart.Person
	AsOf      string
}

type entryRow struct {
	Order       int
	Name        string
	Engaged     bool
	Conditional bool
	Conditions  []string
	By          string
	Clause      string
	Unbound     bool
	Contacts    *contactView
	Reasons     []reasonView
}

type reasonView struct {
	Action    string
	Clause    string
	As        string
	By        string
	Condition string
	Text      string
	Note      string
}

type groupView struct {
	Name        string
	Clause      string
	Condition   string
	Lead        []partyView
	Coordinator []partyView
	Members     []partyView
	Duties      []orgchart.Duty
}

type partyView struct {
	Name      string
	Condition string
}

func (p *Pages) roster(w http.ResponseWriter, rq *request) {
	q := rq.r.URL.Query()
	level := q.Get("level")
	inds, locs := q["industries"], q["localities"]
	v := vocabOf(p.cfg.Plans.Current(), p.cfg.Now())
	var d rosterData
	if id := q.Get("incident"); id != "" {
		m, ok := p.openIncident(w, rq, id, firstEvent)
		if !ok {
			return
		}
		v = m.v
		h := m.header()
		d.Incident = &h
		level = m.view.Response
		if level == "" {
			level = m.view.Level
		}
		inds, locs = stringList(m.view.Facts["industries"]), stringList(m.view.Facts["localities"])
	}
	d.Levels = v.levelOptions(level)
	d.Industries = inputField{HTMLID: "roster-industries", Name: "industries", Label: "行业领域", Kind: "list", Options: v.listOptions("industries", inds)}
	d.Localities = inputField{HTMLID: "roster-localities", Name: "localities", Label: "事故发生地", Kind: "list", Options: v.listOptions("localities", locs)}
	if v.rules != nil {
		for _, in := range v.rules.Inputs() {
			switch in.Ref {
			case "industries":
				d.Industries.Label = in.Label
			case "localities":
				d.Localities.Label = in.Label
			}
		}
	}
	if v.chart == nil {
		d.Problem = "当前预案没有组织体系，无法生成响应名单。"
		p.render(w, http.StatusOK, "roster", d)
		return
	}
	if level == "" {
		p.render(w, http.StatusOK, "roster", d)
		return
	}
	response := level
	if v.rules != nil {
		if l, ok := v.rules.Level(level); ok {
			response = l.Response.ID
			d.LevelName = l.Name
			d.ResponseName = l.Response.Name
		}
	}
	r, err := v.chart.Activate(rq.ctx(), orgchart.Activation{Response: response, Industries: inds, Localities: locs})
	if err != nil {
		var le *orgchart.LookupError
		switch {
		case errors.As(err, &le) && le.Kind == "response level":
			d.Problem = "本预案没有“" + level + "”的响应名单。"
		case errors.As(err, &le):
			d.Problem = "有无法识别的行业领域或事故发生地：" + le.Name
		default:
			d.Problem = "无法生成响应名单。"
		}
		p.render(w, http.StatusOK, "roster", d)
		return
	}
	d.fill(v, r)
	for _, w := range r.Warnings {
		d.Warnings = append(d.Warnings, w.Message) // what the roster leaves out, by name
	}
	p.render(w, http.StatusOK, "roster", d)
}

func (d *rosterData) fill(v vocab, r orgchart.Roster) {
	d.Has = true
	d.Title, d.Clause = r.Title, r.Clause
	d.Places = strings.Join(v.listNames("localities", r.Localities), "、")
	d.Trades = strings.Join(v.listNames("industries", r.Industries), "、")
	for _, c := range r.Command {
		d.Command = append(d.Command, c.Name)
	}
	for _, ph := range r.Posts {
		d.Posts = append(d.Posts, postView{Title: ph.Title, Holder: ph.Holder, Clause: ph.Clause, Contacts: contactOf(ph.Contacts)})
	}
	byID := map[string]orgchart.Entry{}
	for _, e := range r.Entries {
		byID[e.ID] = e
	}
	seen := map[string]bool{}
	for _, n := range r.Notifications {
		e, ok := byID[n.To]
		if !ok || seen[n.To] {
			continue
		}
		seen[n.To] = true
		row := entryRowOf(e)
		row.Order, row.By, row.Clause = n.Order, cmp.Or(n.ByName, n.By), n.Clause
		if n.Condition != "" && !slices.Contains(row.Conditions, n.Condition) {
			row.Conditions = append(row.Conditions, n.Condition)
		}
		d.Notices = append(d.Notices, row)
	}
	for _, e := range r.Entries {
		if seen[e.ID] {
			continue
		}
		d.Others = append(d.Others, entryRowOf(e))
	}
	for _, g := range r.Groups {
		gv := groupView{Name: g.Name, Clause: g.Clause, Condition: g.Condition, Duties: g.Duties,
			Lead: parties(g.Lead), Coordinator: parties(g.Coordinator), Members: parties(g.Members)}
		d.Groups = append(d.Groups, gv)
	}
}

func parties(ps []orgchart.Party) []partyView {
	out := make([]partyView, len(ps))
	for i, p := range ps {
		out[i] = partyView{Name: p.Name, Condition: p.Condition}
	}
	return out
}

func contactOf(l *orgchart.Listing) *contactView {
	if l == nil || (l.DutyPhone == "" && len(l.People) == 0) {
		return nil
	}
	return &contactView{Written: l.Written, Clause: l.Clause, DutyPhone: l.DutyPhone, People: l.People, AsOf: l.AsOf}
}

func entryRowOf(e orgchart.Entry) entryRow {
	row := entryRow{Name: e.Name, Engaged: e.Involvement == orgchart.Engage, Conditional: e.Conditional, Unbound: e.Unbound, Contacts: contactOf(e.Contacts)}
	for _, r := range e.Reasons {
		rv := reasonView{Clause: r.Clause, As: r.As, By: cmp.Or(r.ByName, r.By), Condition: r.Condition, Text: r.Text, Note: r.Note}
		if r.Action == orgchart.Engage {
			rv.Action = "参与"
		} else {
			rv.Action = "通知"
		}
		row.Reasons = append(row.Reasons, rv)
		if e.Conditional && r.Condition != "" && !slices.Contains(row.Conditions, r.Condition) {
			row.Conditions = append(row.Conditions, r.Condition)
		}
	}
	return row
}
