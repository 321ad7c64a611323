package pages

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/workflow"
)

// reportData is the written report (3.2) prefilled from the incident: the
// items of the plan's report checklist, each with what the incident knows
// for it and whether a logged report carried it.
type reportData struct {
	Header     header
	EventName  string
	Clause     string
	Intro      string
	Items      []reportItem
	PrintedAt  string
	Reporter   string
	ReportedAt string
	Written    string
}

type reportItem struct {
	N        int
	Label    string
	Clause   string
	Text     string
	Lines    []string
	Reported bool
}

func (p *Pages) printReport(w http.ResponseWriter, rq *request, id string) {
	m, ok := p.openIncident(w, rq, id, allEvents)
	if !ok {
		return
	}
	d := reportData{Header: m.header(), PrintedAt: m.now.In(beijing).Format(time.RFC3339)}
	e, f, ok := m.v.reportEvent()
	if !ok {
		p.problem(w, http.StatusOK, "本预案没有报告内容的规定", "当前预案的响应流程没有列出事故报告应包括的内容。", "")
		return
	}
	d.EventName, d.Clause, d.Intro = e.Name, f.Clause, f.Text
	if d.Intro == "" {
		d.Intro = f.Label
	}
	reported := m.reportedItems(f.Name)
	for i, it := range f.Items {
		d.Items = append(d.Items, reportItem{N: i + 1, Label: itemLabel(it), Clause: it.Clause, Text: it.Text,
			Lines: m.prefill(it), Reported: slices.Contains(reported, it.ID)})
	}
	if first, ok := m.first(); ok {
		d.ReportedAt = first.OccurredAt
		d.Reporter = m.v.boundName(first.Actor, m.view.Facts)
	}
	for _, le := range m.events.Events {
		if le.Event.Type == e.ID {
			d.Written = le.Event.OccurredAt
		}
	}
	p.render(w, http.StatusOK, "report", d)
}

// reportedItems lists the checklist items any logged event carried under
// a field of that name.
func (m *incidentModel) reportedItems(field string) []string {
	var out []string
	for _, le := range m.events.Events {
		for _, id := range stringList(le.Event.Data[field]) {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

// prefill is what the incident knows for one report item. The items are
// the plan's data; the pages know what to put under the ones whose words
// name something the incident records (the reporter and the time, the
// trade, the situation with its casualties and command, the outlook, the
// support asked for). An item they do not recognise is left to be written.
func (m *incidentModel) prefill(it workflow.Item) []string {
	kind := itemKind(it.Label)
	if kind == "" {
		kind = itemKind(it.Text)
	}
	var out []string
	first, hasFirst := m.first()
	place := func() {
		out = append(out, m.timeFacts()...)
		if hasFirst {
			out = append(out, "接报时间："+dateTimeText(first.OccurredAt))
		}
		if locs := stringList(m.view.Facts["localities"]); len(locs) > 0 {
			out = append(out, "事故发生地："+strings.Join(m.v.listNames("localities", locs), "、"))
		}
	}
	casualties := func() {
		if facts := m.casualties(); len(facts) > 0 {
			out = append(out, "初步判定："+strings.Join(facts, "；"))
		}
	}
	switch kind {
	case "reporter":
		if hasFirst {
			from, _ := first.Data["from"].(string)
			if from != "" {
				out = append(out, "报告单位："+m.v.boundName(from, m.view.Facts))
				out = append(out, m.contactLines(from)...)
			}
			out = append(out, "接报单位："+m.v.boundName(first.Actor, m.view.Facts))
			out = append(out, m.contactLines(first.Actor)...)
			out = append(out, "报告时间："+dateTimeText(first.OccurredAt))
		}
	case "type":
		if inds := stringList(m.view.Facts["industries"]); len(inds) > 0 {
			out = append(out, "行业领域："+strings.Join(m.v.listNames("industries", inds), "、"))
		}
		out = append(out, m.enumFacts()...)
	case "situation":
		place()
		casualties()
		if s := m.summary(); s != "" {
			out = append(out, "报告摘要："+s)
		}
		if m.view.Command.Holder != "" {
			out = append(out, "现场指挥机构："+m.v.boundName(m.view.Command.Holder, m.view.Facts))
		}
	case "place":
		place()
	case "casualties":
		casualties()
	case "measures":
		if m.view.Response != "" {
			out = append(out, "已启动："+m.v.responseName(m.view.Response))
		}
		if m.view.Command.Holder != "" {
			out = append(out, "现场指挥机构："+m.v.boundName(m.view.Command.Holder, m.view.Facts))
		}
		for _, t := range m.view.Tasks {
			if t.State == "done" {
				out = append(out, "已完成："+t.Name)
			}
		}
	case "outlook":
		if m.view.Level != "" {
			out = append(out, "研判等级："+m.v.levelName(m.view.Level))
		}
		if m.view.Response != "" {
			out = append(out, "已启动："+m.v.responseName(m.view.Response))
		}
		out = append(out, m.couldRise()...)
	case "support":
		if m.view.Requested != "" {
			out = append(out, "已报请启动："+m.v.responseName(m.view.Requested))
		}
	}
	return out
}

// timeFacts are the times the logged events give by their own fields
// (事故发生的时间 …), by the fields' labels.
func (m *incidentModel) timeFacts() []string {
	var out []string
	for _, le := range m.events.Events {
		d, ok := m.v.eventDef(le.Event.Type)
		if !ok {
			continue
		}
		for _, f := range d.Data {
			if f.Type != workflow.TimeField {
				continue
			}
			if s, ok := le.Event.Data[f.Name].(string); ok {
				line := f.Label + "：" + dateTimeText(s)
				if !slices.Contains(out, line) {
					out = append(out, line)
				}
			}
		}
	}
	return out
}

// enumFacts are the choices the logged events made in their enum fields
// (事故类别 …), by the fields' labels.
func (m *incidentModel) enumFacts() []string {
	var out []string
	for _, le := range m.events.Events {
		d, ok := m.v.eventDef(le.Event.Type)
		if !ok {
			continue
		}
		for _, f := range d.Data {
			if f.Type != workflow.EnumField || !strings.Contains(f.Label, "类") {
				continue
			}
			for _, fv := range m.v.fieldValues(d, map[string]any{f.Name: le.Event.Data[f.Name]}, nil, m.view.Facts) {
				if line := fv.Label + "：" + fv.Value; !slices.Contains(out, line) {
					out = append(out, line)
				}
			}
		}
	}
	return out
}

// itemKind reads what a report item asks for from its words.
func itemKind(words string) string {
	for _, k := range []struct{ kind, words string }{
		{"reporter", "报告单位 联系人"},
		{"type", "事故类型 事故类别"},
		{"situation", "基本情况"},
		{"place", "时间、地点"},
		{"casualties", "伤亡人数 经济损失"},
		{"measures", "采取的措施"},
		{"outlook", "事态发展"},
		{"support", "支援"},
	} {
		for _, w := range strings.Fields(k.words) {
			if strings.Contains(words, w) {
				return k.kind
			}
		}
	}
	return ""
}

// casualties writes every grading fact that is a count or an amount, with
// "未知" for those not yet known: a report must not read an unknown as 0.
func (m *incidentModel) casualties() []string {
	var out []string
	if m.v.rules == nil {
		return out
	}
	for _, in := range m.v.rules.Inputs() {
		if in.Context || (in.Type != grading.Count && in.Type != grading.Amount) {
			continue
		}
		if raw, ok := m.view.Facts[in.ID]; ok {
			out = append(out, in.Label+" "+m.v.factValue(in, raw))
		} else {
			out = append(out, in.Label+" 未知")
		}
	}
	return out
}

// couldRise says what the unknown facts could still raise the grade to.
func (m *incidentModel) couldRise() []string {
	if m.v.rules == nil {
		return nil
	}
	inc := m.v.rules.NewIncident()
	for k, val := range m.view.Facts {
		if in, ok := m.v.rules.Input(k); ok && !in.Context {
			_ = inc.Set(k, val)
		}
	}
	res, err := m.v.rules.Classify(m.ctx, inc)
	if err != nil {
		return nil
	}
	l, _ := res.Level()
	c, ok := res.Ceiling()
	if !ok || c == l {
		return nil
	}
	var labels []string
	for _, u := range res.Unknowns() {
		labels = append(labels, u.Input.Label)
	}
	return []string{"仍可能升级为" + c.Name + "（尚未掌握：" + strings.Join(labels, "、") + "）"}
}

// contactLines are a unit's phone numbers from the plan's directory.
func (m *incidentModel) contactLines(actor string) []string {
	if m.v.chart == nil {
		return nil
	}
	l, ok := m.v.chart.Listing(actor)
	if !ok {
		return nil
	}
	var out []string
	if l.DutyPhone != "" {
		out = append(out, "值班电话："+l.DutyPhone)
	}
	for _, p := range l.People {
		s := "联系人：" + p.Name
		if p.Post != "" {
			s += "（" + p.Post + "）"
		}
		if p.Phone != "" {
			s += " " + p.Phone
		}
		out = append(out, s)
	}
	return out
}

// summaryData is the closing summary of 5.3: the summary report as
// submitted (or the space for it), and the record it is written from.
type summaryData struct {
	Header    header
	Task      string
	Clause    string
	Submitted []fieldValue
	Written   bool
	Timeline  []entryView
	Done      int
	Waived    int
	Open      int
	LateTasks []taskView
	Missed    []taskView
	Units     []unitTasks
}

func (p *Pages) printSummary(w http.ResponseWriter, rq *request, id string) {
	m, ok := p.openIncident(w, rq, id, withLog)
	if !ok {
		return
	}
	d := summaryData{Header: m.header()}
	var closing *workflow.EventDef
	if m.v.wf != nil {
		for _, ph := range m.v.wf.Phases() {
			if !ph.Final {
				continue
			}
			for _, tr := range m.v.wf.Transitions() {
				if tr.To == ph.ID {
					if e, ok := m.v.wf.Event(tr.Event); ok {
						closing = e
					}
				}
			}
		}
		// The summary report is the closing step itself when it carries
		// the report, or else the event of the same clause that does (5.3:
		// the report is submitted, then the incident is closed): the one
		// with the most text fields.
		if closing != nil {
			best, bestN := closing, textFields(closing)
			for _, e := range m.v.wf.Events() {
				if e.ID != closing.ID && e.Clause == closing.Clause && textFields(e) > bestN {
					best, bestN = e, textFields(e)
				}
			}
			closing = best
		}
		for _, t := range m.v.wf.Tasks() {
			for _, db := range t.DoneBy {
				if closing != nil && db.Event == closing.ID {
					d.Task, d.Clause = t.Name, t.Clause
				}
			}
		}
	}
	if closing != nil {
		for _, le := range m.events.Events {
			if le.Event.Type == closing.ID {
				d.Written = true
				d.Submitted = m.v.fieldValues(closing, le.Event.Data, nil, m.view.Facts)
			}
		}
		if !d.Written {
			for _, f := range closing.Data {
				if f.Type == workflow.TextField {
					d.Submitted = append(d.Submitted, fieldValue{Label: f.Label})
				}
			}
		}
	}
	for _, tl := range m.timeline() {
		if !tl.Rejected {
			d.Timeline = append(d.Timeline, tl)
		}
	}
	tasks := m.tasks()
	for _, t := range tasks {
		switch t.State {
		case "done":
			d.Done++
		case "waived":
			d.Waived++
		case "open":
			d.Open++
		}
		if t.Late {
			d.LateTasks = append(d.LateTasks, t)
		}
		if t.Overdue {
			d.Missed = append(d.Missed, t)
		}
	}
	d.Units = byUnit(tasks)
	p.render(w, http.StatusOK, "summary", d)
}

// textFields counts an event's free-text fields: a report's sections.
func textFields(e *workflow.EventDef) int {
	n := 0
	for _, f := range e.Data {
		if f.Type == workflow.TextField {
			n++
		}
	}
	return n
}
