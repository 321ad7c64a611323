package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/yingji/yingji/server/internal/core"
	"github.com/yingji/yingji/server/internal/store"
)

// incidents keeps the live workflow instances: a cache in front of the
// store, one entry per incident, each brought up to date from the log
// before use. The store is the truth; the cache only saves replays.
type incidents struct {
	s  *Server
	mu sync.Mutex
	m  map[string]*entry
}

// cacheSize bounds the instances kept in memory.
const cacheSize = 20000

// maxRetries bounds the retries of an append that lost a race.
const maxRetries = 30

type entry struct {
	mu   sync.Mutex
	ok   bool
	inst core.Instance
	seq  int64
	plan *core.Plan
	row  store.Incident
	// stale is set when the store says the entry is behind (an append
	// lost a race): the next use reads the store even when it is
	// exclusive.
	stale bool
}

func (x *incidents) entry(id string) *entry {
	x.mu.Lock()
	defer x.mu.Unlock()
	e := x.m[id]
	if e == nil {
		if len(x.m) >= cacheSize {
			for k := range x.m { // evict one at random
				delete(x.m, k)
				break
			}
		}
		e = &entry{}
		x.m[id] = e
	}
	return e
}

var errNoIncident = errors.New("no such incident")

// sync brings e up to date with the store; e.mu must be held. When this
// process is the store's only writer (SQLite, locked), an entry it wrote
// is up to date and the store is not read.
func (x *incidents) sync(ctx context.Context, e *entry, id string) error {
	if x.current(e) {
		return nil
	}
	return x.read(ctx, e, id)
}

// current reports whether e is known to be what the store holds, without
// reading it: an entry this process wrote, when it is the store's only
// writer.
func (x *incidents) current(e *entry) bool {
	return e.ok && !e.stale && x.s.st.Exclusive()
}

// read brings e up to date from the store, reading the incident's row
// (and the events after the entry's, if any).
func (x *incidents) read(ctx context.Context, e *entry, id string) error {
	e.stale = false
	row, err := x.s.st.Incident(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		e.ok = false
		return errNoIncident
	}
	if err != nil {
		return err
	}
	if e.ok && row.PlanHash == e.plan.Hash() && row.Seq >= e.seq {
		if row.Seq > e.seq && x.catchUp(ctx, e, id) == nil {
			e.row = row
			return nil
		}
		if row.Seq == e.seq {
			e.row = row
			return nil
		}
	}
	plan, err := x.s.plans.Get(ctx, row.PlanHash)
	if err != nil {
		return err
	}
	evs, err := x.s.st.Events(ctx, id, 0, 0)
	if err != nil {
		return err
	}
	log := make([]core.Event, len(evs))
	for i, ev := range evs {
		if log[i], err = core.DecodeEvent(ev.Body); err != nil {
			return fmt.Errorf("incident %s event %d: %w", id, ev.Seq, err)
		}
	}
	inst, err := plan.Replay(ctx, id, log)
	if err != nil {
		return fmt.Errorf("incident %s does not replay under %s: %w", id, row.PlanHash, err)
	}
	e.inst, e.seq, e.plan, e.row, e.ok = inst, int64(len(evs)), plan, row, true
	return nil
}

// catchUp applies the events stored after e.seq.
func (x *incidents) catchUp(ctx context.Context, e *entry, id string) error {
	evs, err := x.s.st.Events(ctx, id, e.seq, 0)
	if err != nil {
		return err
	}
	inst := e.inst
	for _, ev := range evs {
		le, err := core.DecodeEvent(ev.Body)
		if err != nil {
			return err
		}
		if inst, err = e.plan.Reapply(ctx, inst, le); err != nil {
			return err
		}
	}
	e.inst, e.seq = inst, e.seq+int64(len(evs))
	return nil
}

// envelopeFields are the members of an event envelope.
var envelopeFields = []string{"id", "type", "actor", "occurredAt", "recordedAt", "data"}

// posted is the answer to an event: the status and body given (or given
// first, for a re-delivery), and where the event is.
type posted struct {
	status   int
	answer   []byte
	incident string
	seq      int64
}

// post applies one event: to an existing incident, or creating one. A
// new incident's body may name it ("incident") and mark it a drill
// ("drill"); the flag is the incident's from then on, fixed.
func (x *incidents) post(ctx context.Context, p *Principal, id string, body []byte, ifMatch int64, create bool) (posted, *apiError) {
	allowed := envelopeFields
	if create {
		allowed = append([]string{"incident", "drill"}, envelopeFields...)
	}
	members, ae := decodeObject(body, allowed...)
	if ae != nil {
		return posted{}, ae
	}
	drill := false
	if create {
		_, named := members["incident"]
		_, marked := members["drill"]
		if named {
			if err := json.Unmarshal(members["incident"], &id); err != nil {
				return posted{}, &apiError{status: http.StatusBadRequest, code: "input.type", field: "incident", msg: "incident: must be a string"}
			}
			delete(members, "incident")
		}
		if marked {
			if err := json.Unmarshal(members["drill"], &drill); err != nil {
				return posted{}, &apiError{status: http.StatusBadRequest, code: "input.type", field: "drill",
					msg: "drill: must be true (the incident is an exercise, 演练) or false"}
			}
			delete(members, "drill")
		}
		if named || marked {
			if body, ae = remarshal(members); ae != nil {
				return posted{}, ae
			}
		}
	}
	ev, err := core.DecodeEvent(body)
	if err != nil {
		return posted{}, jsonError(err)
	}
	if strings.TrimSpace(ev.ID) == "" {
		return posted{}, &apiError{status: http.StatusBadRequest, code: "input.missing", field: "id", msg: "id: every event needs an id, unique in its incident (re-delivery is recognised by it)"}
	}
	if create && id == "" {
		id = ev.ID
	}
	if ae := checkID(id); ae != nil {
		return posted{}, ae
	}
	e := x.entry(id)
	e.mu.Lock()
	defer e.mu.Unlock()
	// The decisions of this request wait here: a rejection's record is
	// stored before the 4xx answer, an accepted event's in its own
	// transaction.
	ctx, pend := withPending(ctx)
	for try := 0; ; try++ {
		// An event is applied to the entry as this process last saw it
		// when it can be trusted to be current (the only writer) or when
		// the append will tell: every append names the log length it was
		// computed against, and the loser of a race reads again and
		// retries. A refusal has no such check, so an event refused by an
		// entry not known to be current is tried again after a read.
		verified := x.current(e)
		var err error
		if !e.ok || e.stale || (ifMatch >= 0 && ifMatch != e.seq) {
			err, verified = x.read(ctx, e, id), true
		}
		switch {
		case errors.Is(err, errNoIncident) && !create:
			return posted{}, &apiError{status: http.StatusNotFound, code: "incident.not-found", msg: "no incident " + id}
		case errors.Is(err, errNoIncident):
		case err != nil:
			return posted{}, internal(err)
		case create && !containsEvent(e.inst, ev.ID):
			return posted{}, &apiError{status: http.StatusConflict, code: "incident.exists", field: "incident",
				msg: fmt.Sprintf("incident %s exists already; post its further events to /v1/incidents/%s/events", id, id)}
		}
		fresh := !e.ok
		plan := e.plan
		inst := e.inst
		isDrill := e.row.Drill
		if fresh {
			plan = x.s.plans.Current()
			if inst, err = plan.Start(id); err != nil {
				return posted{}, libError(err)
			}
			isDrill = drill
		}
		// The records of this event say whether the incident is a drill.
		pend.setDrill(isDrill)
		// Who may act comes before anything the plan checks.
		if actor, known := plan.ResolveActor(ev.Actor); !p.Actors["*"] && (!known || !p.Actors[actor]) {
			return posted{}, &apiError{status: http.StatusForbidden, code: "auth.actor-not-permitted", field: "actor",
				msg: fmt.Sprintf("token %s may not act as %q", p.Name, ev.Actor)}
		}
		// Under the plan the incident started under (the engine finds it
		// by the instance's hash), whatever is served now.
		next, eff, err := x.s.plans.Engine().Apply(ctx, inst, ev)
		if err != nil && !verified && e.ok {
			// Refused by what this process last saw: read the store,
			// and decide again if another writer moved the incident on
			// (the first refusal is not given, so it is not recorded).
			seq, hash := e.seq, e.plan.Hash()
			if rerr := x.read(ctx, e, id); rerr != nil {
				return posted{}, internal(rerr)
			}
			if e.seq != seq || e.plan.Hash() != hash {
				pend.take()
				continue
			}
		}
		if err != nil {
			if ferr := x.s.flush(ctx, pend); ferr != nil {
				return posted{}, notRecorded(ferr)
			}
			ae := libError(err)
			x.s.m.rejections.WithLabelValues(ae.body().Error.Code).Inc()
			return posted{}, ae
		}
		d := pend.takeApply()
		if eff.Duplicate {
			stored, err := x.s.st.Event(ctx, id, ev.ID)
			if err != nil {
				return posted{}, internal(err)
			}
			return posted{stored.Status, stored.Answer, id, stored.Seq}, nil
		}
		if ifMatch >= 0 && ifMatch != e.seq {
			return posted{}, &apiError{status: http.StatusPreconditionFailed, code: "incident.changed", header: http.Header{"Etag": {etag(e.seq)}},
				msg: fmt.Sprintf("the log of %s has %d events, not %d: another writer got there first; read it again", id, e.seq, ifMatch)}
		}
		if d == nil {
			// The plans are loaded with the server's sink, so an accepted
			// event always has its record.
			return posted{}, internal(errors.New("the accepted event has no decision record"))
		}
		seq := e.seq + 1
		d.LogSeq = seq
		logged, _ := json.Marshal(next.Log()[next.Len()-1])
		status := http.StatusOK
		if fresh {
			status = http.StatusCreated
			if err := x.s.plans.ensureStored(ctx, plan); err != nil {
				return posted{}, internal(err)
			}
		}
		row := store.Incident{ID: id, PlanHash: plan.Hash(), Seq: seq, Phase: next.Phase, Level: next.Level, Response: next.Response, Open: !plan.Final(next.Phase), Drill: isDrill}
		answer, err := json.Marshal(eventAnswer{Incident: id, Seq: seq, Event: logged, Effects: effectsView(eff), State: x.s.view(plan, next, row)})
		if err != nil {
			return posted{}, internal(err)
		}
		err = x.s.st.Append(ctx, store.Append{Incident: row,
			Event:    store.Event{Incident: id, Seq: seq, ID: next.Log()[next.Len()-1].ID, Type: ev.Type, Actor: next.Log()[next.Len()-1].Actor, Body: logged, Status: status, Answer: answer, Principal: p.Name},
			Decision: d})
		switch {
		case err == nil:
			e.inst, e.seq, e.plan, e.row, e.ok = next, seq, plan, row, true
			x.s.m.events.Inc()
			x.s.m.decisions.Inc()
			return posted{status, answer, id, seq}, nil
		case errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrExists), errors.Is(err, store.ErrDuplicateEvent):
			// Another writer (this node or another) got there first:
			// read what it wrote and try again.
			x.s.m.conflicts.Inc()
			e.ok, e.stale = e.ok && !fresh, true
			if ifMatch >= 0 {
				_ = x.read(ctx, e, id)
				return posted{}, &apiError{status: http.StatusPreconditionFailed, code: "incident.changed", header: http.Header{"Etag": {etag(e.seq)}},
					msg: fmt.Sprintf("another writer appended to %s first; read it again", id)}
			}
			if try >= maxRetries {
				return posted{}, &apiError{status: http.StatusServiceUnavailable, code: "incident.contended", msg: "too many concurrent writers on " + id + "; retry"}
			}
			// A short random pause spreads writers that collide again.
			time.Sleep(time.Duration(rand.Int64N(int64(time.Millisecond) << min(try, 5))))
			continue
		default:
			return posted{}, internal(err)
		}
	}
}

func containsEvent(inst core.Instance, id string) bool {
	for _, ev := range inst.Log() {
		if ev.ID == id {
			return true
		}
	}
	return false
}

func remarshal(m map[string]json.RawMessage) ([]byte, *apiError) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, internal(err)
	}
	return b, nil
}

func internal(err error) *apiError {
	return &apiError{status: http.StatusInternalServerError, code: "internal", msg: err.Error()}
}

// checkID accepts incident ids that are safe in a URL path segment.
func checkID(id string) *apiError {
	if id == "" || len(id) > 200 {
		return &apiError{status: http.StatusBadRequest, code: "input.bad-id", field: "incident", msg: "an incident id has 1 to 200 characters"}
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.:", r)) {
			return &apiError{status: http.StatusBadRequest, code: "input.bad-id", field: "incident",
				msg: fmt.Sprintf("incident id %q: use letters, digits and - _ . : (give \"incident\" when the event id has other characters)", id)}
		}
	}
	return nil
}

func etag(seq int64) string { return `"` + strconv.FormatInt(seq, 10) + `"` }

// parseIfMatch reads If-Match: "<log length>"; -1 when absent.
func parseIfMatch(h string) (int64, *apiError) {
	if h == "" {
		return -1, nil
	}
	s := strings.Trim(strings.TrimPrefix(strings.TrimSpace(h), "W/"), `"`)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, &apiError{status: http.StatusBadRequest, code: "request.bad-if-match", msg: `If-Match must be the log length in quotes, e.g. If-Match: "3"`}
	}
	return n, nil
}

type eventAnswer struct {
	Incident string          `json:"incident"`
	Seq      int64           `json:"seq"`
	Event    json.RawMessage `json:"event"`
	Effects  json.RawMessage `json:"effects"`
	State    incidentView    `json:"state"`
}

func effectsView(eff core.Effects) json.RawMessage {
	b, _ := json.Marshal(eff)
	return b
}

// incidentView is GET /v1/incidents/{id}: where an incident stands.
type incidentView struct {
	ID string `json:"id"`
	// Drill marks an exercise (演练), as the incident was created.
	Drill     bool           `json:"drill"`
	Plan      core.PlanRef   `json:"plan"`
	Seq       int64          `json:"seq"`
	Phase     string         `json:"phase"`
	PhaseName string         `json:"phaseName"`
	Open      bool           `json:"open"`
	Level     string         `json:"level"`
	Response  string         `json:"response"`
	Requested string         `json:"requested"`
	Command   commandView    `json:"command"`
	Tasks     []core.Task    `json:"tasks"`
	Due       []dueView      `json:"due"`
	Overdue   []dueView      `json:"overdue"`
	Flags     []core.Flag    `json:"flags"`
	Facts     map[string]any `json:"facts"`
	Vars      map[string]any `json:"vars"`
	Last      core.Time      `json:"last"`
}

type commandView struct {
	Holder     string     `json:"holder"`
	HolderName string     `json:"holderName"`
	FormedBy   string     `json:"formedBy"`
	Since      *core.Time `json:"since,omitempty"`
}

type dueView struct {
	Task           string    `json:"task"`
	Name           string    `json:"name"`
	Assignee       string    `json:"assignee"`
	AssigneeName   string    `json:"assigneeName"`
	Clause         string    `json:"clause"`
	Due            core.Time `json:"due"`
	OverdueSeconds int64     `json:"overdueSeconds"`
}

func (s *Server) view(plan *core.Plan, inst core.Instance, row store.Incident) incidentView {
	v := incidentView{ID: inst.ID, Drill: row.Drill, Plan: inst.Plan, Seq: int64(inst.Len()), Phase: inst.Phase, PhaseName: plan.PhaseName(inst.Phase),
		Open: row.Open, Level: inst.Level, Response: inst.Response, Requested: inst.Requested,
		Command: commandView{Holder: inst.Command.Holder, HolderName: plan.ActorName(inst.Command.Holder), FormedBy: inst.Command.FormedBy, Since: inst.Command.Since},
		Tasks:   nonNil(inst.Tasks()), Due: []dueView{}, Overdue: []dueView{}, Flags: nonNil(inst.Flags()),
		Facts: nonNilMap(inst.Facts), Vars: nonNilMap(inst.Vars), Last: inst.Last}
	now := s.now()
	overdue := map[string]bool{}
	for _, d := range core.Due(inst, now) {
		if d.Window {
			continue // a window still open is never overdue; it is listed under due with its end
		}
		overdue[d.Task] = true
		v.Overdue = append(v.Overdue, dueView{Task: d.Task, Name: d.Name, Assignee: d.Assignee, AssigneeName: plan.ActorName(d.Assignee),
			Clause: d.Clause, Due: d.Due, OverdueSeconds: int64(d.Overdue.Seconds())})
	}
	for _, t := range inst.OpenTasks() {
		if t.Due != nil && !overdue[t.ID] {
			v.Due = append(v.Due, dueView{Task: t.ID, Name: t.Name, Assignee: t.Assignee, AssigneeName: plan.ActorName(t.Assignee), Clause: t.Clause, Due: *t.Due})
		}
	}
	return v
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func nonNilMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// get answers GET /v1/incidents/{id}.
func (x *incidents) get(ctx context.Context, id string) (incidentView, *apiError) {
	e := x.entry(id)
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := x.sync(ctx, e, id); errors.Is(err, errNoIncident) {
		return incidentView{}, &apiError{status: http.StatusNotFound, code: "incident.not-found", msg: "no incident " + id}
	} else if err != nil {
		return incidentView{}, internal(err)
	}
	return x.s.view(e.plan, e.inst, e.row), nil
}

// migrateRequest is the body of POST /v1/incidents/{id}/migrate.
type migrateRequest struct {
	To    string `json:"to"`
	Apply bool   `json:"apply"`
}

// migrateAnswer is the library's migration report (yingji.Migration: from,
// to, every divergence — level, response, phase, command, tasks, flags, an
// event now rejected) for one incident, and its state once migrated.
type migrateAnswer struct {
	Incident    string            `json:"incident"`
	Seq         int64             `json:"seq"`
	Applied     bool              `json:"applied"`
	From        core.PlanRef      `json:"from"`
	To          core.PlanRef      `json:"to"`
	Divergences []core.Divergence `json:"divergences"`
	State       *incidentView     `json:"state,omitempty"`
}

// migrateDecision is the server's record of an applied migration (the
// library records grades, rosters and events; a migration is the
// administrator's decision, so the server records it, in the migration's
// own transaction).
type migrateDecision struct {
	From        core.PlanRef      `json:"from"`
	To          core.PlanRef      `json:"to"`
	Divergences []core.Divergence `json:"divergences"`
}

func (x *incidents) migrate(ctx context.Context, p *Principal, id string, req migrateRequest) (migrateAnswer, *apiError) {
	e := x.entry(id)
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := x.sync(ctx, e, id); errors.Is(err, errNoIncident) {
		return migrateAnswer{}, &apiError{status: http.StatusNotFound, code: "incident.not-found", msg: "no incident " + id}
	} else if err != nil {
		return migrateAnswer{}, internal(err)
	}
	to := x.s.plans.Current()
	if req.To != "" {
		var err error
		if to, err = x.s.plans.Get(ctx, req.To); err != nil {
			return migrateAnswer{}, &apiError{status: http.StatusNotFound, code: "plan.not-found", field: "to", msg: "no stored plan " + req.To}
		}
	}
	apply := req.Apply && e.plan.Hash() != to.Hash()
	m, err := to.Migrate(ctx, e.inst, apply)
	if err != nil {
		return migrateAnswer{}, libError(err)
	}
	a := migrateAnswer{Incident: id, Seq: e.seq, From: m.From, To: m.To, Divergences: m.Divergences}
	if !apply {
		return a, nil
	}
	if m.Migrated == nil {
		// The new plan rejects an event of the log: the library's
		// divergence event.rejected says which and why.
		var ps []core.Problem
		for _, d := range m.Divergences {
			if d.Kind == "event.rejected" && d.Problem != nil {
				ps = append(ps, core.Problem{Code: core.CodeReplayRejected, Field: "log", Message: fmt.Sprintf(
					"the plan %s rejects event %d (%s) of the log, so the incident stays under %s: %s", to.Hash(), d.Seq, d.Subject, e.plan.Hash(), d.Problem.Message),
					Params: map[string]string{"seq": fmt.Sprint(d.Seq), "event": d.Subject, "code": d.Problem.Code}})
			}
		}
		if len(ps) == 0 {
			ps = []core.Problem{{Code: core.CodeReplayRejected, Message: "the plan " + to.Hash() + " does not accept the log"}}
		}
		return a, &apiError{status: http.StatusConflict, problems: ps}
	}
	next := *m.Migrated
	row := store.Incident{ID: id, PlanHash: to.Hash(), Seq: e.seq, Phase: next.Phase, Level: next.Level, Response: next.Response, Open: !to.Final(next.Phase), Drill: e.row.Drill}
	facts, _ := json.Marshal(req)
	res, _ := json.Marshal(migrateDecision{From: m.From, To: m.To, Divergences: m.Divergences})
	d := store.Decision{ID: newDecisionID(), Time: x.s.now().UTC(), Kind: "migrate", PlanID: to.ID(), Revision: to.Revision(), PlanHash: to.Hash(),
		Principal: p.Name, Incident: id, Facts: facts, Unknown: json.RawMessage("[]"), Result: res, Drill: e.row.Drill}
	if err := x.s.st.Migrate(ctx, e.plan.Hash(), row, &d); errors.Is(err, store.ErrConflict) {
		e.ok = false
		return a, &apiError{status: http.StatusConflict, code: "incident.changed", msg: "the incident changed while migrating; ask again"}
	} else if err != nil {
		return a, internal(err)
	}
	x.s.m.decisions.Inc()
	e.inst, e.plan, e.row = next, to, row
	a.Applied = true
	v := x.s.view(to, next, row)
	a.State = &v
	return a, nil
}
