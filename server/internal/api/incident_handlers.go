package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/yingji/yingji/server/internal/core"
	"github.com/yingji/yingji/server/internal/store"
)

// The incident endpoints: create, post an event, read one, list them, read
// an incident's log and migrate it to the plan being served; and the
// query parameters they share.

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request, p *Principal) {
	body, ae := readBody(w, r, s.cfg.MaxBody)
	if ae != nil {
		writeError(w, ae)
		return
	}
	a, ae := s.inc.post(r.Context(), p, "", body, -1, true)
	if ae != nil {
		writeError(w, ae)
		return
	}
	w.Header().Set("Location", "/v1/incidents/"+a.incident)
	w.Header().Set("Etag", etag(a.seq))
	writeRaw(w, a.status, a.answer)
}

func (s *Server) handleEvent(w http.ResponseWriter, r *http.Request, p *Principal) {
	id := r.PathValue("id")
	ifMatch, ae := parseIfMatch(r.Header.Get("If-Match"))
	if ae != nil {
		writeError(w, ae)
		return
	}
	body, ae := readBody(w, r, s.cfg.MaxBody)
	if ae != nil {
		writeError(w, ae)
		return
	}
	a, ae := s.inc.post(r.Context(), p, id, body, ifMatch, false)
	if ae != nil {
		writeError(w, ae)
		return
	}
	w.Header().Set("Etag", etag(a.seq))
	if a.status == http.StatusCreated {
		a.status = http.StatusOK // the first event re-delivered to the events route
	}
	writeRaw(w, a.status, a.answer)
}

func (s *Server) handleIncident(w http.ResponseWriter, r *http.Request, _ *Principal) {
	v, ae := s.inc.get(r.Context(), r.PathValue("id"))
	if ae != nil {
		writeError(w, ae)
		return
	}
	w.Header().Set("Etag", etag(v.Seq))
	writeJSON(w, http.StatusOK, v)
}

// queryInt reads a non-negative integer query parameter.
func queryInt(r *http.Request, name string) (int64, *apiError) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, &apiError{status: http.StatusBadRequest, code: "input.type", field: name, msg: name + ": must be a whole number ≥ 0, not " + strconv.Quote(v)}
	}
	return n, nil
}

// page reads a listing's cursor ("after", the last item of the page
// before) and its length ("limit": 100 unless given, at most 1000).
func page(r *http.Request) (after int64, limit int, ae *apiError) {
	if after, ae = queryInt(r, "after"); ae != nil {
		return 0, 0, ae
	}
	lim, ae := queryInt(r, "limit")
	if ae != nil {
		return 0, 0, ae
	}
	if lim == 0 {
		return after, 100, nil
	}
	return after, int(min(lim, 1000)), nil
}

func checkQuery(r *http.Request, allowed ...string) *apiError {
	var ps []core.Problem
	for k := range r.URL.Query() {
		found := false
		for _, a := range allowed {
			found = found || a == k
		}
		if !found {
			ps = append(ps, core.Problem{Code: core.CodeInputUnknownField, Field: k, Message: k + ": unknown query parameter; the parameters are " + strings.Join(allowed, ", ")})
		}
	}
	if len(ps) > 0 {
		return &apiError{status: http.StatusBadRequest, problems: ps}
	}
	return nil
}

type incidentList struct {
	Incidents []store.Incident `json:"incidents"`
	Next      string           `json:"next"`
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request, _ *Principal) {
	if ae := checkQuery(r, "open", "phase", "level", "after", "limit"); ae != nil {
		writeError(w, ae)
		return
	}
	q := r.URL.Query()
	f := store.IncidentFilter{Phase: q.Get("phase"), Level: q.Get("level")}
	if v := q.Get("open"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			writeError(w, &apiError{status: http.StatusBadRequest, code: "input.type", field: "open", msg: "open: must be true or false"})
			return
		}
		f.Open = &b
	}
	var ae *apiError
	if f.After, f.Limit, ae = page(r); ae != nil {
		writeError(w, ae)
		return
	}
	list, err := s.st.Incidents(r.Context(), f)
	if err != nil {
		writeError(w, internal(err))
		return
	}
	out := incidentList{Incidents: list}
	if len(list) == f.Limit {
		out.Next = strconv.FormatInt(list[len(list)-1].N, 10)
	}
	writeJSON(w, http.StatusOK, out)
}

type eventList struct {
	Incident string        `json:"incident"`
	Events   []loggedEvent `json:"events"`
	Next     string        `json:"next"`
}

type loggedEvent struct {
	Seq       int64           `json:"seq"`
	Event     json.RawMessage `json:"event"`
	Principal string          `json:"principal"`
	StoredAt  time.Time       `json:"storedAt"`
}

func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request, _ *Principal) {
	id := r.PathValue("id")
	if ae := checkQuery(r, "after", "limit"); ae != nil {
		writeError(w, ae)
		return
	}
	after, ae := queryInt(r, "after")
	if ae != nil {
		writeError(w, ae)
		return
	}
	lim, ae := queryInt(r, "limit")
	if ae != nil {
		writeError(w, ae)
		return
	}
	if lim == 0 || lim > 1000 {
		lim = 1000
	}
	if _, err := s.st.Incident(r.Context(), id); errors.Is(err, store.ErrNotFound) {
		writeError(w, &apiError{status: http.StatusNotFound, code: "incident.not-found", msg: "no incident " + id})
		return
	} else if err != nil {
		writeError(w, internal(err))
		return
	}
	evs, err := s.st.Events(r.Context(), id, after, int(lim))
	if err != nil {
		writeError(w, internal(err))
		return
	}
	out := eventList{Incident: id, Events: make([]loggedEvent, len(evs))}
	for i, e := range evs {
		out.Events[i] = loggedEvent{Seq: e.Seq, Event: e.Body, Principal: e.Principal, StoredAt: e.Stored}
	}
	if int64(len(evs)) == lim {
		out.Next = strconv.FormatInt(evs[len(evs)-1].Seq, 10)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleMigrate(w http.ResponseWriter, r *http.Request, p *Principal) {
	body, ae := readBody(w, r, s.cfg.MaxBody)
	if ae != nil {
		writeError(w, ae)
		return
	}
	var req migrateRequest
	if len(bytes.TrimSpace(body)) > 0 {
		if _, ae := decodeObject(body, "to", "apply"); ae != nil {
			writeError(w, ae)
			return
		}
		if err := json.Unmarshal(body, &req); err != nil {
			writeError(w, jsonError(err))
			return
		}
	}
	a, ae := s.inc.migrate(r.Context(), p, r.PathValue("id"), req)
	if ae != nil {
		if a.Incident != "" {
			writeJSON(w, ae.status, struct {
				errorBody
				Migration migrateAnswer `json:"migration"`
			}{ae.body(), a})
			return
		}
		writeError(w, ae)
		return
	}
	writeJSON(w, http.StatusOK, a)
}
