package yingji

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
