package pages

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
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
	// Partial: there were more open incidents than the board reads
	// (boardPages pages of boardPageSize).
	Partial bool
}

// The board reads at most boardPages pages of boardPageSize open
// incidents.
const (
	boardPageSize = 1000
	boardPages    = 10
)

// listIncidents reads the API's listing of the open (or the closed)
// incidents, page by page, at most pages pages of size each; partial is
// true when the listing goes on past them.
func (rq *request) listIncidents(open bool, size, pages int) (_ []apiListed, partial bool, _ error) {
	var all []apiListed
	after := ""
	for range pages {
		var l apiList
		q := "/v1/incidents?open=" + strconv.FormatBool(open) + "&limit=" + strconv.Itoa(size)
		if after != "" {
			q += "&after=" + url.QueryEscape(after)
		}
		if err := rq.get(q, &l); err != nil {
			return nil, false, err
		}
		all = append(all, l.Incidents...)
		if l.Next == "" {
			return all, false, nil
		}
		after = l.Next
	}
	return all, true, nil
}

func (p *Pages) board(w http.ResponseWriter, rq *request) {
	listed, partial, err := rq.listIncidents(true, boardPageSize, boardPages)
	if err != nil {
		p.apiProblem(w, err)
		return
	}
	d := boardData{Now: p.cfg.Now().Format("2006-01-02T15:04:05.000Z07:00"), Partial: partial}
	for _, in := range listed {
		m, err := rq.loadIncident(in.ID, firstEvent)
		if err != nil {
			d.Failed = append(d.Failed, in.ID)
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
