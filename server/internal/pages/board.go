package pages

import (
	"net/http"
	"sort"
)

// The 事件看板 (board): every open incident, the most urgent deadline first.

// boardRow is one open incident on the board.
type boardRow struct {
	Header
	Next     *deadlineView
	More     int
	Pending  int
	Activity string
}

// Header is exported to templates through boardRow's embedding.
type Header = header

type boardData struct {
	Now     string
	Rows    []boardRow
	Overdue int
	Drills  int
	Failed  []string
}

func (p *Pages) board(w http.ResponseWriter, rq *request) {
	var ids []string
	after := ""
	for range 10 {
		var l apiList
		q := "/v1/incidents?open=true&limit=1000"
		if after != "" {
			q += "&after=" + after
		}
		if err := rq.get(q, &l); err != nil {
			p.apiProblem(w, err)
			return
		}
		for _, in := range l.Incidents {
			ids = append(ids, in.ID)
		}
		if l.Next == "" {
			break
		}
		after = l.Next
	}
	d := boardData{Now: p.cfg.Now().Format("2006-01-02T15:04:05.000Z07:00")}
	for _, id := range ids {
		m, err := rq.loadIncident(id, firstEvent)
		if err != nil {
			d.Failed = append(d.Failed, id)
			continue
		}
		row := boardRow{Header: m.header()}
		if dl := m.deadlines(); len(dl) > 0 {
			row.Next = &dl[0]
			row.More = len(dl) - 1
			if dl[0].Overdue {
				d.Overdue++
			}
		}
		for _, t := range m.view.Tasks {
			if t.State == "open" {
				row.Pending++
			}
		}
		row.Activity = m.view.Last
		if row.Drill {
			d.Drills++
		}
		d.Rows = append(d.Rows, row)
	}
	sort.SliceStable(d.Rows, func(i, j int) bool {
		a, b := d.Rows[i], d.Rows[j]
		switch {
		case (a.Next != nil && a.Next.Overdue) != (b.Next != nil && b.Next.Overdue):
			return a.Next != nil && a.Next.Overdue
		case (a.Next != nil) != (b.Next != nil):
			return a.Next != nil
		case a.Next != nil && a.Next.Due != b.Next.Due:
			return parseTime(a.Next.Due).Before(parseTime(b.Next.Due))
		}
		return parseTime(a.ReportedAt).After(parseTime(b.ReportedAt))
	})
	p.render(w, http.StatusOK, "board", d)
}
