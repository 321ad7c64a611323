package workflow_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/workflow"
	"go.yaml.in/yaml/v3"
)

const planDir = "../plans/changji-2025"

var (
	rulesOnce sync.Once
	rules     *grading.Rules
	rulesErr  error
)

// changjiRules are the embedded grading rules of the default plan.
func changjiRules(t testing.TB) *grading.Rules {
	t.Helper()
	rulesOnce.Do(func() {
		p, err := yingji.Default()
		if err != nil {
			rulesErr = err
			return
		}
		rules = p.Grading
	})
	require.NoError(t, rulesErr)
	return rules
}

// orgchartActors reads the actor ids of orgchart.yaml (units, placeholders,
// groups and the localities' units, with names and aliases) without the
// orgchart package, which the workflow must not depend on.
func orgchartActors(t testing.TB) workflow.Actors {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(planDir, "orgchart.yaml"))
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, yaml.Unmarshal(src, &doc))
	var out workflow.Actors
	add := func(m map[string]any) {
		id, _ := m["id"].(string)
		if id == "" {
			return
		}
		a := workflow.Actor{ID: id}
		a.Name, _ = m["name"].(string)
		if s, ok := m["short"].(string); ok {
			a.Aliases = append(a.Aliases, s)
		}
		if l, ok := m["aliases"].([]any); ok {
			for _, s := range l {
				if s, ok := s.(string); ok {
					a.Aliases = append(a.Aliases, s)
				}
			}
		}
		out = append(out, a)
	}
	for _, key := range []string{"units", "placeholders", "groups"} {
		l, _ := doc[key].([]any)
		for _, m := range l {
			if m, ok := m.(map[string]any); ok {
				add(m)
			}
		}
	}
	locs, _ := doc["localities"].([]any)
	for _, l := range locs {
		lm, _ := l.(map[string]any)
		units, _ := lm["units"].([]any)
		for _, u := range units {
			if u, ok := u.(map[string]any); ok {
				add(u)
			}
		}
	}
	require.NotEmpty(t, out)
	return out
}

var testRef = workflow.PlanRef{ID: "changji-2025", Revision: "2025-09-24", Hash: "sha256:test"}

// changji compiles plans/changji-2025/workflow.yaml (or src, a copy) with
// the embedded grading rules and the orgchart's actors.
func changji(t testing.TB, src ...[]byte) *workflow.Definition {
	t.Helper()
	if len(src) == 0 {
		defaultOnce.Do(func() { defaultDef = changjiFrom(t, nil) })
		require.NotNil(t, defaultDef)
		return defaultDef
	}
	return changjiFrom(t, src[0])
}

var (
	defaultOnce sync.Once
	defaultDef  *workflow.Definition
)

func changjiFrom(t testing.TB, src []byte) *workflow.Definition {
	t.Helper()
	var b []byte
	if src != nil {
		b = src
	} else {
		var err error
		b, err = os.ReadFile(filepath.Join(planDir, "workflow.yaml"))
		require.NoError(t, err)
	}
	def, ds := workflow.Compile("workflow.yaml", b, changjiRules(t), workflow.WithActors(orgchartActors(t)))
	require.False(t, ds.HasErrors(), "%s", ds.Error())
	require.Empty(t, findings(ds), "%s", ds.Error())
	return def.ForPlan(testRef)
}

// findings are the diagnostics other than the file's interpretation
// notes, which every compile reports as Info.
func findings(ds diag.Diagnostics) diag.Diagnostics {
	var out diag.Diagnostics
	for _, d := range ds {
		if d.Severity != diag.Info {
			out = append(out, d)
		}
	}
	return out
}

// at is a time of the test day in Xinjiang time (UTC+6).
func at(hhmm string) workflow.Time {
	t, err := time.Parse("2006-01-02T15:04Z07:00", "2025-10-15T"+hhmm+"+06:00")
	if err != nil {
		panic(err)
	}
	return workflow.TimeOf(t)
}

// run is a helper that drives one instance through events and fails the
// test on the first rejection.
type run struct {
	t    testing.TB
	def  *workflow.Definition
	inst workflow.Instance
	n    int
	last workflow.Effects
}

func newRun(t testing.TB, def *workflow.Definition) *run {
	return &run{t: t, def: def, inst: def.Start("inc-1")}
}

func (r *run) event(hhmm, typ, actor string, data map[string]any) workflow.Event {
	r.n++
	return workflow.Event{ID: "e" + itoa(r.n), Type: typ, Actor: actor, OccurredAt: at(hhmm), RecordedAt: at(hhmm), Data: data}
}

// ok applies an event that must be accepted.
func (r *run) ok(hhmm, typ, actor string, data map[string]any) workflow.Effects {
	r.t.Helper()
	next, eff, err := r.def.Apply(context.Background(), r.inst, r.event(hhmm, typ, actor, data))
	require.NoError(r.t, err)
	r.inst, r.last = next, eff
	return eff
}

// try applies an event and returns its error; the instance must be
// unchanged when it is rejected.
func (r *run) try(hhmm, typ, actor string, data map[string]any) error {
	r.t.Helper()
	before := mustJSON(r.t, r.inst)
	next, eff, err := r.def.Apply(context.Background(), r.inst, r.event(hhmm, typ, actor, data))
	if err != nil {
		require.Equal(r.t, before, mustJSON(r.t, next), "a rejected event must leave the instance unchanged")
		require.Equal(r.t, before, mustJSON(r.t, r.inst))
		return err
	}
	r.inst, r.last = next, eff
	return nil
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}

// chartDirectory is the orgchart's actors together with its industries and
// localities, as the root package's directory offers them: an ActorResolver
// that is also an IncidentChecker.
type chartDirectory struct {
	actors workflow.Actors
	lists  map[string]workflow.Actors // "industries", "localities"
}

func (d chartDirectory) Actor(key string) (string, bool) { return d.actors.Actor(key) }
func (d chartDirectory) Actors() []string                { return d.actors.Actors() }

func (d chartDirectory) Ref(ref, key string) (string, bool) {
	l, ok := d.lists[ref]
	if !ok {
		return "", false
	}
	return l.Actor(key)
}

func (d chartDirectory) Refs(ref string) []string {
	l, ok := d.lists[ref]
	if !ok {
		return nil
	}
	return l.Actors()
}

// orgchartDirectory reads orgchart.yaml's actors, industries and
// localities (ids, names and aliases).
func orgchartDirectory(t testing.TB) chartDirectory {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(planDir, "orgchart.yaml"))
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, yaml.Unmarshal(src, &doc))
	d := chartDirectory{actors: orgchartActors(t), lists: map[string]workflow.Actors{}}
	for _, key := range []string{"industries", "localities"} {
		l, _ := doc[key].([]any)
		for _, e := range l {
			m, _ := e.(map[string]any)
			a := workflow.Actor{ID: m["id"].(string)}
			if s, ok := m["name"].(string); ok {
				a.Aliases = append(a.Aliases, s)
			}
			al, _ := m["aliases"].([]any)
			for _, s := range al {
				if s, ok := s.(string); ok {
					a.Aliases = append(a.Aliases, s)
				}
			}
			d.lists[key] = append(d.lists[key], a)
		}
		require.NotEmpty(t, d.lists[key], key)
	}
	return d
}
