package workflow_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/workflow"
)

// TestEveryErrorHasAStableCode: each error Apply, Replay and Rebase return
// gives its machine form through diag.ProblemsOf, with the code of
// codes.go, the field it is about and its parameters.
func TestEveryErrorHasAStableCode(t *testing.T) {
	type want struct {
		code, field string
		params      map[string]string
	}
	cases := []struct {
		name  string
		err   func(t *testing.T) error
		is    error
		wants []want
	}{
		{"4.2 a county activating Ⅲ is guard.rejected", func(t *testing.T) error {
			return reported(t, nil).try("09:30", "response.activated", "local-government", m{"level": "III"})
		}, workflow.ErrGuardRejected, []want{{workflow.CodeGuardRejected, "", map[string]string{"guard": "authority-III", "clause": "4.2"}}}},
		{"an event type not declared is event.unknown", func(t *testing.T) error {
			return reported(t, nil).try("09:30", "report.writen", "yjj", nil)
		}, workflow.ErrUnknownEvent, []want{{workflow.CodeEventUnknown, "type", map[string]string{"type": "report.writen"}}}},
		{"an actor the orgchart does not know is event.unknown-actor", func(t *testing.T) error {
			return reported(t, nil).try("09:30", "report.followup", "nobody", nil)
		}, workflow.ErrInvalidEvent, []want{{workflow.CodeEventUnknownActor, "actor", map[string]string{"actor": "nobody"}}}},
		{"4.15 a suspension reason the text does not give is event.unknown-value", func(t *testing.T) error {
			r := responding(t, "III", m{"deaths": 4})
			return r.try("10:00", "rescue.suspended", "site-hq", m{"reason": "weather"})
		}, workflow.ErrInvalidEvent, []want{{workflow.CodeEventUnknownValue, "data.reason", map[string]string{"value": "weather"}}}},
		{"a required field left out is event.required", func(t *testing.T) error {
			return reported(t, nil).try("09:30", "response.activated", "local-government", nil)
		}, workflow.ErrInvalidEvent, []want{{workflow.CodeEventRequired, "data.level", nil}}},
		{"5.3 nothing happens after closing: phase.wrong", func(t *testing.T) error {
			return newRun(t, changji(t)).try("09:00", "termination.approved", "gov", nil)
		}, workflow.ErrWrongPhase, []want{{workflow.CodePhaseWrong, "type", map[string]string{"phase": "reported"}}}},
		{"an assessment older than the last event is event.out-of-order", func(t *testing.T) error {
			r := responding(t, "IV", nil)
			return r.try("09:20", "assessment.updated", "yjj", m{"incident": m{"deaths": 2}})
		}, workflow.ErrOutOfOrder, []want{{workflow.CodeEventOutOfOrder, "occurredAt", nil}}},
		{"a task completed twice is event.task", func(t *testing.T) error {
			r := responding(t, "III", m{"deaths": 4})
			r.ok("10:00", "task.completed", "office", m{"task": "notify-members"})
			return r.try("10:01", "task.completed", "office", m{"task": "notify-members"})
		}, workflow.ErrInvalidEvent, []want{{workflow.CodeEventTask, "data.task", map[string]string{"task": "notify-members", "state": "done"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.err(t)
			require.ErrorIs(t, err, tc.is)
			var pr diag.ProblemReporter
			require.True(t, errors.As(err, &pr), "%T reports problems", err)
			ps := diag.ProblemsOf(err)
			require.Len(t, ps, len(tc.wants), "%v", ps)
			for i, w := range tc.wants {
				assert.Equal(t, w.code, ps[i].Code)
				assert.Equal(t, w.field, ps[i].Field)
				assert.NotEmpty(t, ps[i].Message)
				for k, v := range w.params {
					assert.Equal(t, v, ps[i].Params[k], "param %s", k)
				}
			}
		})
	}
}

func TestMoreErrorCodes(t *testing.T) {
	r := reported(t, nil)
	logged := r.inst.Log()[0]
	other := logged
	other.Data = m{"via": "other"}
	_, _, err := r.def.Apply(t.Context(), r.inst, other)
	assert.Equal(t, []string{workflow.CodeEventDuplicateID, workflow.CodeEventDuplicateID, workflow.CodeEventDuplicateID}, codes(diag.ProblemsOf(err)), "data.from, data.incident and data.via differ")

	mismatch := r.def.ForPlan(workflow.PlanRef{ID: "changji-2025", Hash: "sha256:other"})
	_, _, err = mismatch.Apply(t.Context(), r.inst, r.event("09:05", "report.followup", "yjj", nil))
	ps := diag.ProblemsOf(err)
	require.Len(t, ps, 1)
	assert.Equal(t, workflow.CodePlanMismatch, ps[0].Code)
	assert.Equal(t, "sha256:other", ps[0].Params["definitionHash"])

	bad := append([]workflow.Event{}, r.inst.Log()...)
	bad = append(bad, workflow.Event{ID: "x", Type: "report.writen", Actor: "yjj", OccurredAt: at("09:10"), RecordedAt: at("09:10")})
	_, err = r.def.Replay(t.Context(), "inc-1", bad)
	assert.Equal(t, []string{workflow.CodeReplayRejected, workflow.CodeEventUnknown}, codes(diag.ProblemsOf(err)))
	assert.Equal(t, "2", diag.ProblemsOf(err)[0].Params["seq"])
}

// 4.2 and issue 9 (3): a level that is no level is never answered with
// another rank found by spelling; the levels are listed in order.
func TestUnknownLevelNeverSuggestsAnotherRank(t *testing.T) {
	for _, level := range []string{"V", "IIII", "II I", "Ⅴ"} {
		t.Run(level, func(t *testing.T) {
			err := reported(t, nil).try("09:30", "response.activated", "gov", m{"level": level})
			require.ErrorIs(t, err, workflow.ErrInvalidEvent)
			ps := diag.ProblemsOf(err)
			require.Len(t, ps, 1)
			assert.Equal(t, workflow.CodeEventUnknownLevel, ps[0].Code)
			assert.Equal(t, "data.level", ps[0].Field)
			assert.NotContains(t, ps[0].Message, "Did you mean")
			assert.Contains(t, ps[0].Message, "especially-serious (特别重大, I), serious (重大, II), relatively-serious (较大, III), general (一般, IV)",
				"1.5 and 附件 8.3: the four grades, most severe first, with their response levels")
			assert.Equal(t, level, ps[0].Params["level"])
		})
	}
}

// Issue 9 (3): data.level reads a response level as the text writes it
// (4.2 writes Ⅰ–Ⅳ级应急响应程序, 附件 8.3 I–IV) and as a duty officer types
// it; the spellings are grading.yaml's. 4.2: 较大生产安全事故由昌吉州人民政府
// …决定启动Ⅲ级应急响应程序, so each of these, sent by gov, starts Ⅲ.
func TestDataLevelAcceptsTheSpellingsOfTheText(t *testing.T) {
	for _, tc := range []struct{ name, level string }{
		{"附件 8.3 III", "III"},
		{"4.2 Ⅲ", "Ⅲ"},
		{"typed 3", "3"},
		{"typed 三级", "三级"},
		{"4.2 Ⅲ级", "Ⅲ级"},
		{"4.2 Ⅲ级应急响应", "Ⅲ级应急响应"},
		{"4.2 Ⅲ级应急响应程序", "Ⅲ级应急响应程序"},
		{"III 级 with a space", "III 级"},
		{"full-width ＩＩＩ", "ＩＩＩ"},
		{"1.5 较大 (the grade)", "较大"},
		{"1.5 较大生产安全事故", "较大生产安全事故"},
		{"the level id", "relatively-serious"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := reported(t, nil)
			eff := r.ok("09:30", "response.activated", "gov", m{"level": tc.level})
			require.NotNil(t, eff.Response)
			assert.Equal(t, "III", eff.Response.To)
			assert.Equal(t, "relatively-serious", r.inst.Log()[r.inst.Len()-1].Data["level"], "logged as the level id")
		})
	}
	t.Run("4.2 Ⅳ by the county: 四级", func(t *testing.T) {
		eff := reported(t, nil).ok("09:30", "response.activated", "local-government", m{"level": "四级"})
		assert.Equal(t, "IV", eff.Response.To)
	})
}
