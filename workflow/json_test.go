package workflow_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/workflow"
)

// roundTrip encodes v, decodes it into a new value of its type and
// encodes that again: the bytes must not change.
func roundTrip(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	back := reflect.New(reflect.TypeOf(v))
	require.NoError(t, json.Unmarshal(b, back.Interface()), "%s", b)
	b2, err := json.Marshal(back.Elem().Interface())
	require.NoError(t, err)
	assert.Equal(t, string(b), string(b2))
	return string(b)
}

// closedScenario is a 3.2 written report 22 minutes after the phone
// report (迟报), with two items missing, then a Ⅳ response.
func closedScenario(t *testing.T) (*run, workflow.Effects, workflow.Effects) {
	def := changji(t).WithRoster(workflow.RosterFunc(func(_ context.Context, response string, _, _ []string) ([]workflow.Recipient, error) {
		return []workflow.Recipient{{ID: "qitai-gov", Name: "奇台县人民政府", Clause: "4.5", Engaged: true}}, nil
	}))
	r := newRun(t, def)
	r.ok("09:00", "report.received", "yjj", m{"via": "phone", "from": "local-emergency-bureau", "incident": m{"deaths": 1, "localities": []string{"qitai"}}})
	written := r.ok("09:22", "report.written", "yjj", m{"contents": []string{"reporter", "situation", "outlook"}})
	activated := r.ok("09:30", "response.activated", "local-government", m{"level": "IV"})
	return r, written, activated
}

func TestJSONOfEveryPublicTypeRoundTrips(t *testing.T) {
	r, written, activated := closedScenario(t)
	due := workflow.Due(reported(t, nil).inst, at("10:00").Time())
	require.NotEmpty(t, due, "3.2 the written report is 45 minutes overdue")
	lapsed := r.inst.Tasks()[1]
	lapsed.State, lapsed.Reason, lapsed.ReasonCode = workflow.TaskWaived, "响应级别由Ⅳ级应急响应调整为Ⅲ级应急响应，本任务只属于Ⅳ级应急响应，不再适用（4.2）", workflow.ReasonLapsed
	lapsed.ReasonParams = map[string]string{"from": "IV", "to": "III", "levels": "IV", "clause": "4.2"}
	warned := workflow.Effects{Warnings: []diag.Problem{{Code: workflow.CodeRosterFailed, Message: "未能生成Ⅳ级应急响应名单",
		Params: map[string]string{"response": "IV", "responseName": "Ⅳ级应急响应"}}}}
	cases := []struct {
		name string
		v    any
	}{
		{"Instance", r.inst},
		{"Event", r.inst.Log()[1]},
		{"Effects of a late, incomplete written report", written},
		{"Effects of an activation", activated},
		{"Effects of nothing", workflow.Effects{}},
		{"Effects with a warning", warned},
		{"Task the engine closed, with its reason's code", lapsed},
		{"Deadline", due[0]},
		{"Task", r.inst.Tasks()[1]},
		{"Flag", r.inst.Flags()[0]},
		{"Command", r.inst.Command},
		{"Notice", activated.Notices[0]},
		{"Mark", written.Deadlines[0]},
		{"Missing", written.Missing[0]},
		{"Change", *activated.Response},
		{"PlanRef", r.inst.Plan},
		{"Recipient", workflow.Recipient{ID: "qitai-gov", Name: "奇台县人民政府", Clause: "4.5", By: "gov", Engaged: true}},
		{"Actor", workflow.Actor{ID: "yjj", Name: "昌吉州应急管理局", Aliases: []string{"州应急管理局"}}},
		{"Difference", workflow.Difference{Field: "data.via", Logged: `"phone"`, Now: `"written"`}},
		{"FieldError", workflow.FieldError{Field: "data.level", Code: workflow.CodeEventUnknownLevel, Reason: "unknown level", Params: map[string]string{"level": "V"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := roundTrip(t, tc.v)
			assert.NotContains(t, got, "null", "empty collections are [] or {}, never null")
			for _, k := range jsonKeys(t, got) {
				assert.Equal(t, strings.ToLower(k[:1]), k[:1], "key %q is camelCase", k)
				assert.NotContains(t, k, "_")
			}
		})
	}
}

// jsonKeys lists every object key in a JSON document.
func jsonKeys(t *testing.T, doc string) []string {
	var v any
	require.NoError(t, json.Unmarshal([]byte(doc), &v))
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				if k == "facts" || k == "vars" || k == "data" || k == "params" || k == "incident" {
					out = append(out, k) // their keys are the plan's ids
					continue
				}
				out = append(out, k)
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

func TestJSONGoldenEffectsInstanceAndDue(t *testing.T) {
	r, written, activated := closedScenario(t)
	pretty := func(v any) string {
		b, err := json.MarshalIndent(v, "", "  ")
		require.NoError(t, err)
		return string(b) + "\n"
	}
	golden(t, "effects-written.json", pretty(written))
	golden(t, "effects-activated.json", pretty(activated))
	late := reported(t, nil)
	golden(t, "due.json", pretty(workflow.Due(late.inst, at("10:00").Time())))
	golden(t, "instance.json", pretty(r.inst))

	var eff map[string]any
	require.NoError(t, json.Unmarshal([]byte(pretty(written)), &eff))
	assert.Equal(t, "report.written", eff["event"], "event is the type")
	assert.Equal(t, "e2", eff["eventId"])
	assert.Equal(t, []any{}, eff["waived"], "[] when nothing is waived")
	missing := eff["missing"].([]any)[0].(map[string]any)["items"].([]any)[0].(map[string]any)
	assert.Equal(t, "type", missing["id"], "3.2 (2) 事故类型 is missing, in camelCase")
	assert.Equal(t, "事故类型", missing["label"])

	var due []map[string]any
	require.NoError(t, json.Unmarshal([]byte(pretty(workflow.Due(late.inst, at("10:00").Time()))), &due))
	require.Len(t, due, 1)
	assert.Equal(t, 2700.0, due[0]["overdueSeconds"], "3.2 due 09:15, 45 minutes overdue at 10:00")
	for _, d := range due {
		assert.NotContains(t, d, "overdue", "no nanoseconds")
		assert.Contains(t, d, "overdueSeconds")
	}
	assert.Equal(t, "[]", strings.TrimSpace(pretty(workflow.Due(r.inst, at("09:01").Time()))), "nothing due is [], not null")
}

func TestDeadlineJSONIsWholeSeconds(t *testing.T) {
	d := workflow.Deadline{Task: "written-report", Due: at("09:15"), Overdue: 11*time.Minute + 700*time.Millisecond}
	b, err := json.Marshal(d)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"overdueSeconds":660`, "3.2: 11 minutes past the 15, rounded down")
	var back workflow.Deadline
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, 11*time.Minute, back.Overdue)
}

func TestEventJSONNamesTheBadField(t *testing.T) {
	cases := []struct {
		name, doc, field, code string
	}{
		{"issue 15 (5): an occurredAt in 2999 is refused, not wrapped", `{"id":"x","type":"report.followup","actor":"yjj","occurredAt":"2999-10-15T09:00:00+06:00","recordedAt":"2025-10-15T09:00:00+06:00"}`,
			"occurredAt", workflow.CodeEventTimeRange},
		{"a recordedAt without an offset", `{"id":"x","type":"report.followup","actor":"yjj","occurredAt":"2025-10-15T09:00:00+06:00","recordedAt":"2025-10-15T09:00:00"}`,
			"recordedAt", workflow.CodeEventBadTime},
		{"data the engine cannot hold", `{"id":"x","type":"report.followup","actor":"yjj","occurredAt":"2025-10-15T09:00:00+06:00","recordedAt":"2025-10-15T09:00:00+06:00","data":{"contents":[1]}}`,
			"data.contents", workflow.CodeEventInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ev workflow.Event
			err := json.Unmarshal([]byte(tc.doc), &ev)
			require.ErrorIs(t, err, workflow.ErrInvalidEvent)
			ps := diag.ProblemsOf(err)
			require.Len(t, ps, 1)
			assert.Equal(t, tc.field, ps[0].Field)
			assert.Equal(t, tc.code, ps[0].Code)
		})
	}
}
