package pages

import (
	"net/http"
	"slices"
	"time"
)

// The 已结束的事件 page reads closed incidents through the API like the
// board reads open ones, but shows only the most recent: the listing is read
// to its end (at most closedPages pages), and the closedShown incidents the
// server wrote last are loaded and shown, the latest to end first.
const (
	closedShown    = 50
	closedPageSize = 1000
	closedPages    = 20
)

// closedRow is one closed incident.
type closedRow struct {
	Header
	// EndedAt is when the incident ended: the time of its last event.
	EndedAt string
	updated time.Time
}

type closedData struct {
	Rows []closedRow
	// Total is how many closed incidents the listing gave; Shown is the
	// bound (仅显示最近 Shown 起) when there were more.
	Total int
	Shown int
	// Partial: the listing was not read to its end.
	Partial bool
	Drills  int
	Failed  int
}

func (p *Pages) closed(w http.ResponseWriter, rq *request) {
	all, partial, err := rq.listIncidents(false, closedPageSize, closedPages)
	if err != nil {
		p.apiProblem(w, err)
		return
	}
	d := closedData{Partial: partial}
	d.Total = len(all)
	slices.SortStableFunc(all, func(a, b apiListed) int { return b.Updated.Compare(a.Updated) })
	if len(all) > closedShown {
		all = all[:closedShown]
		d.Shown = closedShown
	}
	for _, in := range all {
		m, err := rq.loadIncident(in.ID, firstEvent)
		if err != nil {
			d.Failed++
			continue
		}
		row := closedRow{Header: m.header(), EndedAt: m.view.Last, updated: in.Updated}
		if row.Drill {
			d.Drills++
		}
		d.Rows = append(d.Rows, row)
	}
	// Latest to end first: by the last event's time, then as the server
	// wrote them.
	slices.SortStableFunc(d.Rows, func(a, b closedRow) int {
		if c := parseTime(b.EndedAt).Compare(parseTime(a.EndedAt)); c != 0 {
			return c
		}
		return b.updated.Compare(a.updated)
	})
	p.render(w, http.StatusOK, "closed", d)
}
