package core_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji/server/internal/core"
)

// TestStatusOf: the HTTP status of each kind of library code.
func TestStatusOf(t *testing.T) {
	for code, status := range map[string]int{
		"input.negative":          http.StatusBadRequest,
		"input.unknown-ref":       http.StatusBadRequest,
		"level.unknown":           http.StatusBadRequest,
		"response.unknown":        http.StatusBadRequest,
		"event.unknown":           http.StatusBadRequest,
		"roster.unknown-locality": http.StatusBadRequest,
		"event.duplicate-id":      http.StatusConflict,
		"guard.rejected":          http.StatusUnprocessableEntity,
		"phase.wrong":             http.StatusUnprocessableEntity,
		"event.out-of-order":      http.StatusUnprocessableEntity,
		"plan.no-orgchart":        http.StatusUnprocessableEntity,
		"decision.not-recorded":   http.StatusServiceUnavailable,
		"request.canceled":        http.StatusServiceUnavailable,
		"internal":                http.StatusInternalServerError,
	} {
		assert.Equal(t, status, core.StatusOf([]core.Problem{{Code: code}}), code)
	}
	assert.Equal(t, http.StatusInternalServerError, core.StatusOf(nil))
}

// TestRosterProblems: the roster's errors carry the library's codes and
// name the request's field; an unknown level lists the levels in order and
// suggests no other rank (4.2: a near miss of Ⅲ is Ⅱ).
func TestRosterProblems(t *testing.T) {
	eng, err := core.NewEngine("changji-2025", core.Options{})
	require.NoError(t, err)
	p := eng.Current()
	level := func(s string) *string { return &s }
	tests := []struct {
		name  string
		req   core.RosterRequest
		code  string
		field string
	}{
		{"an unknown locality", core.RosterRequest{Level: level("Ⅲ"), Localities: []string{"nowhere"}}, "roster.unknown-locality", "localities"},
		{"an unknown industry", core.RosterRequest{Level: level("Ⅲ"), Industries: []string{"fishing"}}, "roster.unknown-industry", "industries"},
		{"Ⅴ is no level", core.RosterRequest{Level: level("Ⅴ")}, "level.unknown", "level"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.Roster(context.Background(), tc.req)
			require.Error(t, err)
			ps := core.ProblemsOf(err)
			require.NotEmpty(t, ps)
			assert.Equal(t, tc.code, ps[0].Code)
			assert.Equal(t, tc.field, ps[0].Field)
			assert.NotContains(t, ps[0].Message, "Did you mean")
			assert.Equal(t, http.StatusBadRequest, core.StatusOf(ps))
		})
	}
	b, err := p.Roster(context.Background(), core.RosterRequest{Level: level("三级"), Localities: []string{"昌吉市"}})
	require.NoError(t, err)
	assert.Contains(t, string(b), `"response":"III"`)
}
