package pages

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// The API's JSON, as the pages read it (GET /v1/incidents/{id}, its events,
// the decisions).
type (
	apiIncident struct {
		ID string `json:"id"`
		// Drill marks an exercise (演练), as the incident was created.
		Drill bool `json:"drill"`
		Plan  struct {
			ID       string `json:"id"`
			Revision string `json:"revision"`
			Hash     string `json:"hash"`
		} `json:"plan"`
		Seq       int64          `json:"seq"`
		Phase     string         `json:"phase"`
		PhaseName string         `json:"phaseName"`
		Open      bool           `json:"open"`
		Level     string         `json:"level"`
		Response  string         `json:"response"`
		Requested string         `json:"requested"`
		Command   apiCommand     `json:"command"`
		Tasks     []apiTask      `json:"tasks"`
		Due       []apiDue       `json:"due"`
		Overdue   []apiDue       `json:"overdue"`
		Flags     []apiFlag      `json:"flags"`
		Facts     map[string]any `json:"facts"`
		Vars      map[string]any `json:"vars"`
		Last      string         `json:"last"`
	}
	apiCommand struct {
		Holder     string `json:"holder"`
		HolderName string `json:"holderName"`
		FormedBy   string `json:"formedBy"`
		Since      string `json:"since"`
	}
	apiTask struct {
		ID          string `json:"id"`
		Def         string `json:"task"`
		Name        string `json:"name"`
		Clause      string `json:"clause"`
		Assignee    string `json:"assignee"`
		Conditional string `json:"conditional"`
		State       string `json:"state"`
		OpenedAt    string `json:"openedAt"`
		Due         string `json:"due"`
		ClosedAt    string `json:"closedAt"`
		ClosedBy    string `json:"closedBy"`
		Reason      string `json:"reason"`
		Late        bool   `json:"late"`
	}
	apiDue struct {
		Task           string `json:"task"`
		Name           string `json:"name"`
		Assignee       string `json:"assignee"`
		Clause         string `json:"clause"`
		Due            string `json:"due"`
		OverdueSeconds int64  `json:"overdueSeconds"`
	}
	apiFlag struct {
		ID     string `json:"id"`
		Name   string `json:"name"`
		Clause string `json:"clause"`
		Event  string `json:"event"`
		At     string `json:"at"`
		Task   string `json:"task"`
		Note   string `json:"note"`
	}
	apiEvent struct {
		ID         string         `json:"id"`
		Type       string         `json:"type"`
		Actor      string         `json:"actor"`
		OccurredAt string         `json:"occurredAt"`
		RecordedAt string         `json:"recordedAt"`
		Data       map[string]any `json:"data"`
		Late       bool           `json:"late"`
	}
	apiEvents struct {
		Events []struct {
			Seq       int64     `json:"seq"`
			Event     apiEvent  `json:"event"`
			Principal string    `json:"principal"`
			StoredAt  time.Time `json:"storedAt"`
		} `json:"events"`
		Next string `json:"next"`
	}
	apiDecisions struct {
		Decisions []apiDecision `json:"decisions"`
		Next      string        `json:"next"`
	}
	// apiDecision is a decision record of kind apply: the event as posted
	// (facts), whether it was accepted, the error when it was not, and
	// the log position when it was.
	apiDecision struct {
		Seq       int64           `json:"seq"`
		Time      time.Time       `json:"time"`
		Kind      string          `json:"kind"`
		Principal string          `json:"principal"`
		Facts     json.RawMessage `json:"facts"`
		LogSeq    int64           `json:"logSeq"`
		Result    struct {
			Accepted bool `json:"accepted"`
			Error    *struct {
				Code   string            `json:"code"`
				Params map[string]string `json:"params"`
			} `json:"error"`
		} `json:"result"`
	}
	apiList struct {
		Incidents []apiListed `json:"incidents"`
		Next      string      `json:"next"`
	}
	apiListed struct {
		ID      string    `json:"id"`
		Open    bool      `json:"open"`
		Created time.Time `json:"created"`
		// Updated is when the server last wrote the incident (for a
		// closed one, when its closing was recorded).
		Updated time.Time `json:"updated"`
	}
)

// incidentModel is one incident as the pages see it: its state, its plan's
// vocabulary, its log and the attempts the plan rejected.
type incidentModel struct {
	view     apiIncident
	v        vocab
	events   apiEvents
	rejected []apiDecision
	accepted map[int64]time.Time // log seq → when it was decided
	now      time.Time
	ctx      context.Context
}

// What loadIncident reads besides the incident's state.
const (
	firstEvent = iota // the first event only (the board)
	allEvents         // the whole log (the print views, the roster)
	withLog           // the log and the rejected attempts (the incident page)
)

// openIncident loads incident id for a page, or answers the page's
// problem itself (a malformed id is 404, the API's refusal as it says)
// and returns false.
func (p *Pages) openIncident(w http.ResponseWriter, rq *request, id string, depth int) (*incidentModel, bool) {
	if !validID(id) {
		p.problem(w, http.StatusNotFound, "没有这个事件", "事件编号有误。", "")
		return nil, false
	}
	m, err := rq.loadIncident(id, depth)
	if err != nil {
		p.apiProblem(w, err)
		return nil, false
	}
	return m, true
}

func (rq *request) loadIncident(id string, depth int) (*incidentModel, error) {
	m := &incidentModel{now: rq.p.cfg.Now(), ctx: rq.ctx()}
	if err := rq.get("/v1/incidents/"+url.PathEscape(id), &m.view); err != nil {
		return nil, err
	}
	plan, err := rq.p.cfg.Plans.Get(rq.ctx(), m.view.Plan.Hash)
	if err != nil {
		return nil, err
	}
	m.v = vocabOf(plan, m.now)
	limit := "1000"
	if depth == firstEvent {
		limit = "1"
	}
	if err := rq.get("/v1/incidents/"+url.PathEscape(id)+"/events?limit="+limit, &m.events); err != nil {
		return nil, err
	}
	if depth != withLog {
		return m, nil
	}
	m.accepted = map[int64]time.Time{}
	after := ""
	for range 20 {
		var ds apiDecisions
		q := "/v1/decisions?kind=apply&limit=1000&incident=" + url.QueryEscape(id)
		if after != "" {
			q += "&after=" + after
		}
		if err := rq.get(q, &ds); err != nil {
			return nil, err
		}
		for _, d := range ds.Decisions {
			switch {
			case !d.Result.Accepted && d.Result.Error != nil:
				m.rejected = append(m.rejected, d)
			case d.LogSeq > 0:
				m.accepted[d.LogSeq] = d.Time
			}
		}
		if ds.Next == "" {
			break
		}
		after = ds.Next
	}
	return m, nil
}

// first is the incident's first event (the report that opened it).
func (m *incidentModel) first() (apiEvent, bool) {
	if len(m.events.Events) == 0 {
		return apiEvent{}, false
	}
	return m.events.Events[0].Event, true
}

// title names an incident by where and in what trade it happened, as the
// first report gives them.
func (m *incidentModel) title() string {
	var parts []string
	if locs := stringList(m.view.Facts["localities"]); len(locs) > 0 {
		parts = append(parts, strings.Join(m.v.listNames("localities", locs), "、"))
	}
	if inds := stringList(m.view.Facts["industries"]); len(inds) > 0 {
		parts = append(parts, strings.Join(m.v.listNames("industries", inds), "、"))
	}
	if len(parts) == 0 {
		return "生产安全事故"
	}
	return strings.Join(parts, " · ") + " 生产安全事故"
}

// summary is the first report's summary line, if it has one.
func (m *incidentModel) summary() string {
	for _, e := range m.events.Events {
		if s, ok := e.Event.Data["summary"].(string); ok && strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// header is what every incident view shows at the top.
type header struct {
	ID           string
	Title        string
	Summary      string
	Drill        bool
	LevelName    string
	ResponseName string
	Requested    string
	PhaseName    string
	Open         bool
	Command      string
	FormedBy     string
	CommandSince string
	ReportedAt   string
	Revision     string
	PlanTitle    string
	Flags        []flagView
}

type flagView struct {
	Name   string
	Clause string
	Note   string
	At     string
	Late   bool
}

func (m *incidentModel) header() header {
	h := header{ID: m.view.ID, Title: m.title(), Summary: m.summary(), Drill: m.view.Drill, LevelName: m.v.levelName(m.view.Level),
		PhaseName: m.view.PhaseName, Open: m.view.Open, Revision: m.view.Plan.Revision, PlanTitle: m.v.plan.Title()}
	if h.PhaseName == "" {
		h.PhaseName = m.v.phaseName(m.view.Phase)
	}
	if m.view.Response != "" {
		h.ResponseName = m.v.responseName(m.view.Response)
	}
	if m.view.Requested != "" {
		h.Requested = m.v.levelName(m.view.Requested) + "（" + m.v.responseName(m.view.Requested) + "）"
	}
	if m.view.Command.Holder != "" {
		h.Command = m.v.boundName(m.view.Command.Holder, m.view.Facts)
		if m.view.Command.FormedBy != "" {
			h.FormedBy = m.v.boundName(m.view.Command.FormedBy, m.view.Facts)
		}
		h.CommandSince = m.view.Command.Since
	}
	if e, ok := m.first(); ok {
		h.ReportedAt = e.OccurredAt
	}
	for _, f := range m.view.Flags {
		h.Flags = append(h.Flags, m.flag(f))
	}
	return h
}

func (m *incidentModel) flag(f apiFlag) flagView {
	// The library writes the note for the people on duty: a late task by
	// name and by how much (15 分钟内补报文字报告：开启后 22 分钟完成，时限 15
	// 分钟，超时 7 分钟), a report's missing items by their labels.
	fv := flagView{Name: f.Name, Clause: f.Clause, Note: f.Note, At: f.At, Late: f.Task != ""}
	if fv.Name == "" {
		fv.Name = f.ID
	}
	return fv
}

func (m *incidentModel) task(id string) (apiTask, bool) {
	for _, t := range m.view.Tasks {
		if t.ID == id {
			return t, true
		}
	}
	return apiTask{}, false
}

// deadlineView is one task with a time limit, for the countdowns.
type deadlineView struct {
	Name     string
	Clause   string
	Assignee string
	Due      string
	Overdue  bool
	// LateName is what lateness is called for this task (迟报), "" if the
	// plan gives no name.
	LateName string
	Left     string
}

// deadlines lists the open tasks with a time limit, overdue first, then by
// due time.
func (m *incidentModel) deadlines() []deadlineView {
	var out []deadlineView
	add := func(d apiDue, overdue bool) {
		dv := deadlineView{Name: d.Name, Clause: d.Clause, Assignee: m.v.boundName(d.Assignee, m.view.Facts), Due: d.Due, Overdue: overdue}
		if t, ok := m.task(d.Task); ok {
			dv.LateName = m.v.lateName(t.Def)
		}
		if due := parseTime(d.Due); !due.IsZero() {
			dv.Left = durationText(due.Sub(m.now))
		}
		out = append(out, dv)
	}
	for _, d := range m.view.Overdue {
		add(d, true)
	}
	for _, d := range m.view.Due {
		add(d, false)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Overdue != out[j].Overdue {
			return out[i].Overdue
		}
		return parseTime(out[i].Due).Before(parseTime(out[j].Due))
	})
	return out
}

// taskView is one task of the incident.
type taskView struct {
	ID           string
	Def          string
	Name         string
	Clause       string
	AssigneeName string
	Conditional  string
	State        string
	StateName    string
	Due          string
	ClosedAt     string
	Reason       string
	Late         bool
	LateName     string
	Overdue      bool
}

// unitTasks are the tasks of one unit.
type unitTasks struct {
	Name  string
	Tasks []taskView
	Open  int
}

func (m *incidentModel) tasks() []taskView {
	overdue := map[string]bool{}
	for _, d := range m.view.Overdue {
		overdue[d.Task] = true
	}
	out := make([]taskView, 0, len(m.view.Tasks))
	for _, t := range m.view.Tasks {
		tv := taskView{ID: t.ID, Def: t.Def, Name: t.Name, Clause: t.Clause, AssigneeName: m.v.boundName(t.Assignee, m.view.Facts),
			Conditional: t.Conditional, State: t.State, Due: t.Due, ClosedAt: t.ClosedAt, Reason: t.Reason, Late: t.Late,
			LateName: m.v.lateName(t.Def), Overdue: overdue[t.ID]}
		switch t.State {
		case "open":
			tv.StateName = "待办"
		case "done":
			tv.StateName = "已完成"
		case "waived":
			tv.StateName = "免除（不适用）"
		default:
			tv.StateName = t.State
		}
		out = append(out, tv)
	}
	return out
}

// byUnit groups the tasks by the unit they are given to, units with open
// tasks first.
func byUnit(ts []taskView) []unitTasks {
	var out []unitTasks
	idx := map[string]int{}
	for _, t := range ts {
		i, ok := idx[t.AssigneeName]
		if !ok {
			i = len(out)
			idx[t.AssigneeName] = i
			out = append(out, unitTasks{Name: t.AssigneeName})
		}
		out[i].Tasks = append(out[i].Tasks, t)
		if t.State == "open" {
			out[i].Open++
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return (out[i].Open > 0) && out[j].Open == 0 })
	return out
}

// incidentData is the 事件页.
type incidentData struct {
	Header    header
	Now       string
	Time      timeDefault
	Offsets   []option
	Deadlines []deadlineView
	Timeline  []entryView
	Units     []unitTasks
	Forms     []eventForm
	ReadOnly  bool
	Seq       int64
	Facts     []string
	Pending   int
}

func (p *Pages) incident(w http.ResponseWriter, rq *request, id string) {
	m, ok := p.openIncident(w, rq, id, withLog)
	if !ok {
		return
	}
	tasks := m.tasks()
	d := incidentData{Header: m.header(), Now: m.now.Format("2006-01-02T15:04:05.000Z07:00"), Time: defaultTime(m.now), Offsets: offsets,
		Deadlines: m.deadlines(), Timeline: m.timeline(), Units: byUnit(tasks), ReadOnly: rq.caller.ReadOnly, Seq: m.view.Seq,
		Facts: m.v.factLines(m.view.Facts)}
	if !rq.caller.ReadOnly && m.view.Open {
		d.Forms = m.v.eventForms(m.view.Phase, m.view.Facts, tasks, rq.caller)
	}
	for _, t := range tasks {
		if t.State == "open" {
			d.Pending++
		}
	}
	p.render(w, http.StatusOK, "incident", d)
}
