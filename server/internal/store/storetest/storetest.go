// Package storetest is the one test suite every store.Store must pass; the
// SQLite and PostgreSQL tests run it against a real database.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji/server/internal/store"
)

// Opener opens the store under test. Called twice in a test it must open
// the same database (the suite checks what survives a reopen).
type Opener func(t *testing.T) store.Store

// Run runs the suite; fresh gives each subtest an opener on a new, empty
// database.
func Run(t *testing.T, fresh func(t *testing.T) Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open Opener)
	}{
		{"migrations run once and survive a reopen", testReopen},
		{"bundles by content hash", testBundles},
		{"publish grows the generation", testPublish},
		{"append: contiguous sequence, create, conflict, duplicate id", testAppend},
		{"events paged in order", testEvents},
		{"incidents listed by filter and cursor", testIncidents},
		{"migrate moves the plan only from the expected state", testMigrate},
		{"decisions with the event and on their own", testDecisions},
		{"drill flag: set at creation, listed, kept, on the records", testDrill},
		{"concurrent writers to one incident never lose, duplicate or reorder", testConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, fresh(t)) })
	}
}

var ctx = context.Background()

const hashA, hashB = "sha256:aaaa", "sha256:bbbb"

func withBundles(t *testing.T, s store.Store) {
	for _, h := range []string{hashA, hashB} {
		require.NoError(t, s.PutBundle(ctx, store.Bundle{Hash: h, PlanID: "p", Revision: h[7:], Files: map[string][]byte{"plan.yaml": []byte("id: " + h)}}))
	}
}

func ev(inc string, seq int64, id string) store.Event {
	return store.Event{Incident: inc, Seq: seq, ID: id, Type: "report.followup", Actor: "yjj",
		Body: json.RawMessage(fmt.Sprintf(`{"id":%q}`, id)), Status: 200, Answer: json.RawMessage(fmt.Sprintf(`{"seq":%d}`, seq)), Principal: "tester"}
}

func app(inc string, seq int64, id, hash string) store.Append {
	return store.Append{Incident: store.Incident{ID: inc, PlanHash: hash, Seq: seq, Phase: "initial-response", Level: "general", Open: true}, Event: ev(inc, seq, id)}
}

func testReopen(t *testing.T, open Opener) {
	s := open(t)
	withBundles(t, s)
	require.NoError(t, s.Append(ctx, app("i1", 1, "e1", hashA)))
	require.NoError(t, s.Close())
	s = open(t)
	defer s.Close()
	inc, err := s.Incident(ctx, "i1")
	require.NoError(t, err)
	assert.Equal(t, int64(1), inc.Seq)
	assert.Equal(t, hashA, inc.PlanHash)
}

func testBundles(t *testing.T, open Opener) {
	s := open(t)
	defer s.Close()
	files := map[string][]byte{"plan.yaml": []byte("id: x\n"), "grading.yaml": {0xe5, 0xba, 0x94, '\n'}}
	require.NoError(t, s.PutBundle(ctx, store.Bundle{Hash: hashA, PlanID: "x", Revision: "r1", Files: files}))
	require.NoError(t, s.PutBundle(ctx, store.Bundle{Hash: hashA, PlanID: "x", Revision: "r1", Files: files}), "storing the same bundle again is a no-op")
	b, err := s.Bundle(ctx, hashA)
	require.NoError(t, err)
	assert.Equal(t, files, b.Files, "the files' exact bytes come back")
	assert.Equal(t, "r1", b.Revision)
	_, err = s.Bundle(ctx, hashB)
	assert.ErrorIs(t, err, store.ErrNotFound)
	list, err := s.Bundles(ctx)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Nil(t, list[0].Files)
}

func testPublish(t *testing.T, open Opener) {
	s := open(t)
	defer s.Close()
	_, _, err := s.Current(ctx)
	assert.ErrorIs(t, err, store.ErrNotFound)
	withBundles(t, s)
	g1, err := s.Publish(ctx, hashA)
	require.NoError(t, err)
	g2, err := s.Publish(ctx, hashB)
	require.NoError(t, err)
	assert.Greater(t, g2, g1)
	h, g, err := s.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, hashB, h)
	assert.Equal(t, g2, g)
}

func testAppend(t *testing.T, open Opener) {
	s := open(t)
	defer s.Close()
	withBundles(t, s)
	require.NoError(t, s.Append(ctx, app("i1", 1, "e1", hashA)))
	assert.ErrorIs(t, s.Append(ctx, app("i1", 1, "e9", hashA)), store.ErrExists, "creating an incident twice")
	require.NoError(t, s.Append(ctx, app("i1", 2, "e2", hashA)))
	assert.ErrorIs(t, s.Append(ctx, app("i1", 2, "e3", hashA)), store.ErrConflict, "seq 2 is taken")
	assert.ErrorIs(t, s.Append(ctx, app("i1", 4, "e3", hashA)), store.ErrConflict, "seq 3 would be skipped")
	assert.ErrorIs(t, s.Append(ctx, app("i1", 3, "e3", hashB)), store.ErrConflict, "the incident is under another plan")
	assert.ErrorIs(t, s.Append(ctx, app("i1", 3, "e1", hashA)), store.ErrDuplicateEvent)
	assert.ErrorIs(t, s.Append(ctx, app("nope", 2, "e1", hashA)), store.ErrConflict, "no such incident")
	require.NoError(t, s.Append(ctx, app("i1", 3, "e3", hashA)))
	inc, err := s.Incident(ctx, "i1")
	require.NoError(t, err)
	assert.Equal(t, int64(3), inc.Seq)
	e, err := s.Event(ctx, "i1", "e2")
	require.NoError(t, err)
	assert.Equal(t, int64(2), e.Seq)
	assert.JSONEq(t, `{"seq":2}`, string(e.Answer))
	assert.Equal(t, "tester", e.Principal)
	_, err = s.Event(ctx, "i1", "e9")
	assert.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.Incident(ctx, "nope")
	assert.ErrorIs(t, err, store.ErrNotFound)
}

func testEvents(t *testing.T, open Opener) {
	s := open(t)
	defer s.Close()
	withBundles(t, s)
	for i := int64(1); i <= 5; i++ {
		require.NoError(t, s.Append(ctx, app("i1", i, fmt.Sprint("e", i), hashA)))
	}
	all, err := s.Events(ctx, "i1", 0, 0)
	require.NoError(t, err)
	require.Len(t, all, 5)
	for i, e := range all {
		assert.Equal(t, int64(i+1), e.Seq)
		assert.JSONEq(t, fmt.Sprintf(`{"id":"e%d"}`, i+1), string(e.Body))
	}
	page, err := s.Events(ctx, "i1", 2, 2)
	require.NoError(t, err)
	require.Len(t, page, 2)
	assert.Equal(t, "e3", page[0].ID)
	none, err := s.Events(ctx, "other", 0, 0)
	require.NoError(t, err)
	assert.Empty(t, none)
	assert.NotNil(t, none)
}

func testIncidents(t *testing.T, open Opener) {
	s := open(t)
	defer s.Close()
	withBundles(t, s)
	for i := range 5 {
		a := app(fmt.Sprint("i", i), 1, "e", hashA)
		if i%2 == 1 {
			a.Incident.Open, a.Incident.Phase, a.Incident.Level = false, "closed", "major"
		}
		require.NoError(t, s.Append(ctx, a))
	}
	yes := true
	open1, err := s.Incidents(ctx, store.IncidentFilter{Open: &yes})
	require.NoError(t, err)
	assert.Len(t, open1, 3)
	major, err := s.Incidents(ctx, store.IncidentFilter{Level: "major", Phase: "closed"})
	require.NoError(t, err)
	assert.Len(t, major, 2)
	var ids []string
	var after int64
	for {
		page, err := s.Incidents(ctx, store.IncidentFilter{After: after, Limit: 2})
		require.NoError(t, err)
		if len(page) == 0 {
			break
		}
		for _, inc := range page {
			ids = append(ids, inc.ID)
		}
		after = page[len(page)-1].N
	}
	assert.Equal(t, []string{"i0", "i1", "i2", "i3", "i4"}, ids, "pages in creation order, none twice")
}

func testMigrate(t *testing.T, open Opener) {
	s := open(t)
	defer s.Close()
	withBundles(t, s)
	require.NoError(t, s.Append(ctx, app("i1", 1, "e1", hashA)))
	require.NoError(t, s.Append(ctx, app("i1", 2, "e2", hashA)))
	inc := store.Incident{ID: "i1", PlanHash: hashB, Seq: 1, Phase: "responding", Level: "major", Open: true}
	assert.ErrorIs(t, s.Migrate(ctx, hashA, inc, nil), store.ErrConflict, "the log grew since")
	inc.Seq = 2
	assert.ErrorIs(t, s.Migrate(ctx, hashB, inc, nil), store.ErrConflict, "not under that plan")
	inc.ID = "nope"
	assert.ErrorIs(t, s.Migrate(ctx, hashA, inc, nil), store.ErrNotFound)
	inc.ID = "i1"
	require.NoError(t, s.Migrate(ctx, hashA, inc, &store.Decision{ID: "d-m", Time: time.Now(), Kind: "migrate", PlanHash: hashB, Incident: "i1"}))
	got, err := s.Incident(ctx, "i1")
	require.NoError(t, err)
	assert.Equal(t, hashB, got.PlanHash)
	assert.Equal(t, "major", got.Level)
	assert.ErrorIs(t, s.Append(ctx, app("i1", 3, "e3", hashA)), store.ErrConflict, "an append computed under the old plan")
	require.NoError(t, s.Append(ctx, app("i1", 3, "e3", hashB)))
}

func testDecisions(t *testing.T, open Opener) {
	s := open(t)
	defer s.Close()
	withBundles(t, s)
	t0 := time.Date(2025, 10, 15, 3, 0, 0, 0, time.UTC)
	a := app("i1", 1, "e1", hashA)
	a.Decision = &store.Decision{ID: "d0", Time: t0, Kind: "apply", PlanID: "p", PlanHash: hashA, Principal: "county", Incident: "i1",
		Facts: json.RawMessage(`{"id":"e1"}`), Result: json.RawMessage(`{"phase":"initial-response"}`), LogSeq: 1}
	require.NoError(t, s.Append(ctx, a))
	var ds []store.Decision
	for i := range 5 {
		ds = append(ds, store.Decision{ID: fmt.Sprint("d", i+1), Time: t0.Add(time.Duration(i+1) * time.Minute), Kind: "classify", PlanID: "p", PlanHash: hashA,
			Principal: "anonymous", Facts: json.RawMessage(`{"deaths":12}`), Unknown: json.RawMessage(`["missing"]`), Result: json.RawMessage(`{"level":"serious"}`)})
	}
	require.NoError(t, s.AddDecisions(ctx, ds))
	all, err := s.Decisions(ctx, store.DecisionFilter{})
	require.NoError(t, err)
	require.Len(t, all, 6)
	assert.Equal(t, "county", all[0].Principal)
	assert.True(t, all[0].Time.Equal(t0))
	assert.EqualValues(t, 1, all[0].LogSeq, "an accepted event's record names its place in the log")
	assert.JSONEq(t, `[]`, string(all[0].Unknown), "absent parts are stored empty, never null")
	assert.JSONEq(t, `{"deaths":12}`, string(all[1].Facts))
	assert.JSONEq(t, `["missing"]`, string(all[1].Unknown))
	inc, err := s.Decisions(ctx, store.DecisionFilter{Incident: "i1"})
	require.NoError(t, err)
	require.Len(t, inc, 1)
	since, err := s.Decisions(ctx, store.DecisionFilter{Since: t0.Add(3 * time.Minute)})
	require.NoError(t, err)
	assert.Len(t, since, 3)
	page, err := s.Decisions(ctx, store.DecisionFilter{After: all[1].Seq, Limit: 2, Kind: "classify"})
	require.NoError(t, err)
	require.Len(t, page, 2)
	assert.Equal(t, "d2", page[0].ID)

	// Many callers at once: each returns only when its records are
	// stored (group commit), and every record is stored once.
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Go(func() {
			for i := range 10 {
				d := store.Decision{ID: fmt.Sprintf("c%d-%d", w, i), Time: t0, Kind: "roster", PlanID: "p", PlanHash: hashA, Principal: "p"}
				if assert.NoError(t, s.AddDecisions(ctx, []store.Decision{d})) {
					got, err := s.Decisions(ctx, store.DecisionFilter{After: all[len(all)-1].Seq, Kind: "roster", Limit: 1000})
					require.NoError(t, err)
					assert.True(t, slices.ContainsFunc(got, func(g store.Decision) bool { return g.ID == d.ID }), "stored when AddDecisions returns")
				}
			}
		})
	}
	wg.Wait()
	rosters, err := s.Decisions(ctx, store.DecisionFilter{Kind: "roster", Limit: 1000})
	require.NoError(t, err)
	assert.Len(t, rosters, 160)
	assert.Error(t, s.AddDecisions(ctx, []store.Decision{{ID: "d1", Time: t0, Kind: "classify"}}), "a record id is unique")

	// A bad record fails only its own request, even when it is written
	// with others (group commit).
	errs := make([]error, 12)
	for i := range errs {
		wg.Go(func() {
			id := fmt.Sprint("e", i)
			if i == 5 {
				id = "d2" // stored already
			}
			errs[i] = s.AddDecisions(ctx, []store.Decision{{ID: id, Time: t0, Kind: "roster"}, {ID: id + "-b", Time: t0, Kind: "roster"}})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if i == 5 {
			assert.Error(t, err)
			continue
		}
		assert.NoError(t, err, "request %d", i)
	}
	rosters, err = s.Decisions(ctx, store.DecisionFilter{Kind: "roster", Limit: 1000})
	require.NoError(t, err)
	assert.Len(t, rosters, 160+22, "every record of the good requests, none of the bad one's")
}

// testDrill: issue 12, drills marked 演练 everywhere they appear — the
// flag is the incident's, given when it is created, not its id's; the
// records made for a drill carry it too.
func testDrill(t *testing.T, open Opener) {
	s := open(t)
	defer s.Close()
	withBundles(t, s)
	t0 := time.Date(2025, 10, 15, 3, 0, 0, 0, time.UTC)
	rec := func(id, inc string, logSeq int64, drill bool) *store.Decision {
		return &store.Decision{ID: id, Time: t0, Kind: "apply", PlanID: "p", PlanHash: hashA, Principal: "county", Incident: inc,
			Facts: json.RawMessage(`{}`), Result: json.RawMessage(`{"accepted":true}`), LogSeq: logSeq, Drill: drill}
	}
	d := app("ex1", 1, "e1", hashA)
	d.Incident.Drill, d.Decision = true, rec("d-ex1", "ex1", 1, true)
	require.NoError(t, s.Append(ctx, d))
	r := app("drill-real", 1, "e1", hashA)
	r.Decision = rec("d-real", "drill-real", 1, false)
	require.NoError(t, s.Append(ctx, r), "an id starting drill- is only an id")

	got, err := s.Incident(ctx, "ex1")
	require.NoError(t, err)
	assert.True(t, got.Drill)
	got, err = s.Incident(ctx, "drill-real")
	require.NoError(t, err)
	assert.False(t, got.Drill, "not a drill whatever its id")

	// The summary after a later event does not carry the flag: it is
	// fixed at creation.
	require.NoError(t, s.Append(ctx, app("ex1", 2, "e2", hashA)))
	require.NoError(t, s.Migrate(ctx, hashA, store.Incident{ID: "ex1", PlanHash: hashB, Seq: 2, Phase: "responding", Level: "major", Open: true},
		&store.Decision{ID: "d-m", Time: t0, Kind: "migrate", PlanHash: hashB, Incident: "ex1", Drill: true}))
	got, err = s.Incident(ctx, "ex1")
	require.NoError(t, err)
	assert.True(t, got.Drill, "kept through an append and a migration")
	assert.Equal(t, int64(2), got.Seq)

	list, err := s.Incidents(ctx, store.IncidentFilter{})
	require.NoError(t, err)
	drills := map[string]bool{}
	for _, inc := range list {
		drills[inc.ID] = inc.Drill
	}
	assert.Equal(t, map[string]bool{"ex1": true, "drill-real": false}, drills)
	b, err := json.Marshal(list[0])
	require.NoError(t, err)
	assert.Contains(t, string(b), `"drill":true`)

	// A refused event's record, stored on its own, and a batch of them.
	require.NoError(t, s.AddDecisions(ctx, []store.Decision{*rec("d-r1", "ex1", 0, true), *rec("d-r2", "drill-real", 0, false)}))
	ds, err := s.Decisions(ctx, store.DecisionFilter{})
	require.NoError(t, err)
	flags := map[string]bool{}
	for _, d := range ds {
		flags[d.ID] = d.Drill
	}
	assert.Equal(t, map[string]bool{"d-ex1": true, "d-real": false, "d-m": true, "d-r1": true, "d-r2": false}, flags)
}

// testConcurrent races writers on one incident: each appends its own events
// at the next sequence number and, on ErrConflict, reads the length again
// and retries. Every acknowledged event must be in the log once, the log
// contiguous, and each writer's events in its own order.
func testConcurrent(t *testing.T, open Opener) {
	s := open(t)
	defer s.Close()
	withBundles(t, s)
	require.NoError(t, s.Append(ctx, app("i1", 1, "e0", hashA)))
	const writers, each = 6, 15
	var mu sync.Mutex
	acked := map[string]bool{}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				id := fmt.Sprintf("w%d-%02d", w, i)
				for try := 0; try < 1000; try++ {
					inc, err := s.Incident(ctx, "i1")
					if !assert.NoError(t, err) {
						return
					}
					err = s.Append(ctx, app("i1", inc.Seq+1, id, hashA))
					if errors.Is(err, store.ErrConflict) {
						continue
					}
					if assert.NoError(t, err) {
						mu.Lock()
						acked[id] = true
						mu.Unlock()
					}
					break
				}
			}
		})
	}
	wg.Wait()
	log, err := s.Events(ctx, "i1", 0, 0)
	require.NoError(t, err)
	require.Len(t, log, 1+writers*each)
	seen := map[string]bool{}
	last := map[byte]string{}
	for i, e := range log {
		assert.Equal(t, int64(i+1), e.Seq, "contiguous")
		assert.False(t, seen[e.ID], "once: %s", e.ID)
		seen[e.ID] = true
		if e.ID != "e0" {
			w := e.ID[1]
			assert.Less(t, last[w], e.ID, "writer order")
			last[w] = e.ID
		}
	}
	for id := range acked {
		assert.True(t, seen[id], "acknowledged %s is stored", id)
	}
}
