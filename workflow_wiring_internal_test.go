package yingji

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/internal/plantest"
	"github.com/yingji/yingji/workflow"
)

// TestPendingActorsActAsTheDirectory checks that the actors a workflow is
// compiled with while the orgchart compiles offer the workflow the same
// optional interfaces as the orgchart's directory they stand for: the
// workflow tests for them by type assertion.
func TestPendingActorsActAsTheDirectory(t *testing.T) {
	cases := []struct {
		name string
		is   func(workflow.ActorResolver) bool
	}{
		{"ActorNamer", func(r workflow.ActorResolver) bool { _, ok := r.(workflow.ActorNamer); return ok }},
		{"IncidentChecker", func(r workflow.ActorResolver) bool { _, ok := r.(workflow.IncidentChecker); return ok }},
		{"ActorShortNamer", func(r workflow.ActorResolver) bool { _, ok := r.(workflow.ActorShortNamer); return ok }},
		{"RoleResolver", func(r workflow.ActorResolver) bool { _, ok := r.(workflow.RoleResolver); return ok }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.is(orgDirectory{}), tc.is(newPendingActors()))
		})
	}
}

// TestPendingActorsWaitForTheOrgchart checks that a call made before the
// orgchart is done returns the orgchart's answer, and that an orgchart that
// does not compile leaves every actor unchecked.
func TestPendingActorsWaitForTheOrgchart(t *testing.T) {
	p, err := Default()
	require.NoError(t, err)
	pa := newPendingActors()
	got := make(chan string)
	go func() {
		id, _ := pa.Actor("州应急管理局")
		got <- id
	}()
	pa.resolve(p.Orgchart)
	want, _ := newOrgDirectory(p.Orgchart).Actor("州应急管理局")
	assert.Equal(t, want, <-got)
	assert.NotEmpty(t, want)

	failed := newPendingActors()
	failed.resolve(nil)
	id, ok := failed.Actor("no-such-unit")
	assert.True(t, ok)
	assert.Equal(t, "no-such-unit", id)
	assert.Nil(t, failed.Actors())
}

// TestGuessedActors: between guess and settle, Actor answers at once that
// a key is an actor's id; settle says whether the orgchart agrees — not
// for a unit's name (its id is another string), nor for no unit at all —
// and after it Actor answers as the orgchart does.
func TestGuessedActors(t *testing.T) {
	p, err := Default()
	require.NoError(t, err)
	id, ok := newOrgDirectory(p.Orgchart).Actor("州应急管理局")
	require.True(t, ok)
	require.NotEqual(t, "州应急管理局", id, "a name, not an id")

	for _, tc := range []struct {
		keys []string
		want bool
	}{
		{[]string{id}, true},
		{[]string{id, "州应急管理局"}, false},
		{[]string{"no-such-unit"}, false},
		{nil, true},
	} {
		pa := newPendingActors()
		pa.guess()
		for _, k := range tc.keys {
			got, ok := pa.Actor(k)
			assert.True(t, ok)
			assert.Equal(t, k, got, "answered at once, before the orgchart is done")
		}
		go pa.resolve(p.Orgchart)
		assert.Equal(t, tc.want, pa.settle(), "%v", tc.keys)
		got, _ := pa.Actor("州应急管理局")
		assert.Equal(t, id, got, "after settle, the orgchart's answer")
	}
}

// TestWrongGuessCompilesAgain: a workflow that names a unit by its name,
// or an actor that does not exist, loads as it did when the workflow
// waited for the orgchart: the name resolved to the unit's id, the
// unknown actor reported.
func TestWrongGuessCompilesAgain(t *testing.T) {
	p, err := Default()
	require.NoError(t, err)
	// A unit the workflow assigns by id, and its name.
	dir := newOrgDirectory(p.Orgchart)
	const id = "accident-unit"
	name, ok := dir.ActorName(id)
	require.True(t, ok)
	got, ok := dir.Actor(name)
	require.True(t, ok, "%s names %s", name, id)
	require.Equal(t, id, got)
	require.NotEqual(t, id, name)

	wantTasks := map[string][]string{}
	for _, task := range p.Workflow.Tasks() {
		wantTasks[task.ID] = task.Assignees
	}
	m := plantest.Copy(t, DefaultPlan)
	src := string(m["workflow.yaml"].Data)
	n := strings.Count(src, "assignee: "+id+"\n")
	require.Positive(t, n)
	m["workflow.yaml"] = &fstest.MapFile{Data: []byte(strings.ReplaceAll(src, "assignee: "+id+"\n", "assignee: "+name+"\n"))}
	q, err := Load(m)
	require.NoError(t, err)
	for _, task := range q.Workflow.Tasks() {
		assert.Equal(t, wantTasks[task.ID], task.Assignees, "task %s", task.ID)
	}

	m = plantest.Copy(t, DefaultPlan)
	m["workflow.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(src, `event.actor == "site-hq"`, `event.actor == "no-such-unit"`, 1))}
	_, err = Load(m)
	var le *LoadError
	require.ErrorAs(t, err, &le)
	assert.Contains(t, le.Diagnostics.Error(), `unknown actor "no-such-unit"`)
}
