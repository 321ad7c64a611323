package workflow_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/workflow"
)

// A synthetic jurisdiction that uses every feature of workflow.yaml the
// Changji plan does not: periods from a time in the data, calendar days on
// a stated clock, periods chosen by the facts, windows, conditional
// effects, time variables, constants, several assignees and relative
// actors. Nothing of it is in Go.
const featuresWorkflow = `
id: features
clock: "+08:00"
constants:
  - {id: tiers, value: {desk: 1, office: 2}}
  - {id: officials, value: [desk, office]}
relations:
  - {id: above, pairs: {desk: office, office: ministry}}
  - {id: boss, pairs: {desk: chief, office: chief}}
phases:
  - {id: open, initial: true}
  - {id: closed, final: true}
vars:
  - {id: occurred, type: time}
  - {id: kind, type: string}
events:
  - id: report
    phases: [open]
    data:
      - {name: from, type: actor}
      - {name: at, type: time}
      - {name: kind, type: text}
      - {name: facts, type: incident}
    guards:
      - id: officials-only
        clause: "Art. 1"
        message: only officials report
        when: event.actor in const.officials || event.actor == "chief"
    effects:
      grade: {field: facts, when: 'instance.tasks["period"] == "" || inWindow("period")'}
      set:
        occurred: {value: 'event.data.at != "" ? event.data.at : event.occurredAt', when: 'instance.vars.occurred == ""'}
        kind: {value: event.data.kind, when: 'event.data.kind != ""'}
  - id: change
    phases: [open]
    late: accept
    data: [{name: facts, type: incident}]
    effects:
      grade: {field: facts, when: 'inWindow("period")'}
  - id: account
    phases: [open]
    late: accept
  - id: task.completed
    phases: [open]
    data: [{name: task, type: task, required: true}]
    effects: {complete: event.data.task}
  - id: close
    phases: [open]
    guards:
      - {id: period-over, clause: "Art. 4", message: the period of changes must be over, when: '!inWindow("period")'}
transitions:
  - {event: close, from: [open], to: closed}
tasks:
  - id: pass-up
    name: pass the report up
    clause: "Art. 2"
    assignee: [desk, office]
    notify: [{relation: above}, {relation: boss}, press]
    on: [{event: [report], when: 'event.actor == task.assignee'}]
    within:
      - {duration: 1h, when: 'const.tiers[task.assignee] == 1'}
      - {duration: 2h}
    doneBy: [{event: report, when: 'event.data.from == task.assignee'}]
  - id: file
    name: file the report
    clause: "Art. 2"
    assignee: [desk, office]
    on: [{event: [report], when: 'event.actor == task.assignee'}]
  - id: written
    name: a written account within 2 days of the occurrence
    clause: "Art. 3"
    assignee: desk
    on: [{event: [report], when: 'event.actor == "desk"'}]
    within: {days: 2, from: instance.vars.occurred}
    doneBy: [{event: account}]
    late: {flag: late-account, name: late, clause: "Art. 3", note: '"due by the end of " + task.lastDay + " (" + string(task.days) + " days)"'}
  - id: period
    name: changes are reported within the period
    clause: "Art. 4"
    assignee: desk
    on: [{event: [report]}]
    window:
      - {days: 3, from: instance.vars.occurred, when: 'instance.vars.kind == "short"'}
      - {days: 10, from: instance.vars.occurred}
    covers: [{event: change}]
    late: {flag: outside, name: outside the period, clause: "Art. 4"}
`

var featureActors = workflow.Actors{{ID: "desk"}, {ID: "office"}, {ID: "ministry"}, {ID: "chief"}, {ID: "press"}}

func featuresDef(t testing.TB, src string) (*workflow.Definition, diag.Diagnostics) {
	t.Helper()
	national, err := yingji.Embedded("national-493")
	require.NoError(t, err)
	def, ds := workflow.Compile("workflow.yaml", []byte(src), national.Grading, workflow.WithActors(featureActors))
	if def != nil {
		def = def.ForPlan(workflow.PlanRef{ID: "features"})
	}
	return def, ds
}

func features(t testing.TB) *workflow.Definition {
	t.Helper()
	def, ds := featuresDef(t, featuresWorkflow)
	require.False(t, ds.HasErrors(), "%s", ds.Error())
	require.Empty(t, findings(ds), "%s", ds.Error())
	return def
}

func tm(t testing.TB, s string) workflow.Time {
	t.Helper()
	v, err := workflow.ParseTime(s)
	require.NoError(t, err)
	return v
}

// apply applies one event at time s (RFC 3339) to r's instance.
func (r *run) at(s, typ, actor string, data map[string]any) (workflow.Effects, error) {
	r.t.Helper()
	r.n++
	at := tm(r.t, s)
	ev := workflow.Event{ID: "e" + itoa(r.n), Type: typ, Actor: actor, OccurredAt: at, RecordedAt: at, Data: data}
	next, eff, err := r.def.Apply(context.Background(), r.inst, ev)
	if err == nil {
		r.inst, r.last = next, eff
	}
	return eff, err
}

func (r *run) okAt(s, typ, actor string, data map[string]any) workflow.Effects {
	r.t.Helper()
	eff, err := r.at(s, typ, actor, data)
	require.NoError(r.t, err)
	return eff
}

func TestFeatureDaysCountedFromTheDataOnTheStatedClock(t *testing.T) {
	// 23:30 on the 15th in UTC+6 is 01:30 on the 16th on the +08:00 clock:
	// the day of the occurrence (not counted) is the 16th, the 2 days are
	// the 17th and the 18th, ending at 24:00 of the 18th.
	for _, tc := range []struct {
		name, account string
		late          bool
	}{
		{"the last minute of the last day", "2025-10-18T23:59:00+08:00", false},
		{"24:00 of the last day itself", "2025-10-19T00:00:00+08:00", false},
		{"a minute after", "2025-10-19T00:01:00+08:00", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRun(t, features(t))
			r.okAt("2025-10-16T08:00:00+06:00", "report", "desk", m{"at": "2025-10-15T23:30:00+06:00"})
			task, ok := r.inst.Task("written")
			require.True(t, ok)
			assert.Equal(t, "2025-10-19T00:00:00+08:00", task.Due.String())
			assert.Equal(t, 2, task.Days)
			require.NotNil(t, task.Start)
			assert.Equal(t, "2025-10-16T01:30:00+08:00", task.Start.String(), "from the data's time, on the clock")
			eff := r.okAt(tc.account, "account", "desk", nil)
			assert.Equal(t, tc.late, r.inst.HasFlag("late-account"))
			if tc.late {
				assert.Equal(t, "due by the end of 2025-10-18 (2 days)", eff.Flags[0].Note, "the note the data writes")
			}
		})
	}
}

func TestFeatureLateNoteTheEngineWrites(t *testing.T) {
	// Without a note: the engine names the task and says, in Chinese, when
	// it was done against a deadline counted in days from the data.
	src := strings.Replace(featuresWorkflow, `, note: '"due by the end of " + task.lastDay + " (" + string(task.days) + " days)"'`, "", 1)
	require.NotEqual(t, featuresWorkflow, src)
	def, ds := featuresDef(t, src)
	require.False(t, ds.HasErrors(), "%s", ds.Error())
	r := newRun(t, def)
	r.okAt("2025-10-16T08:00:00+06:00", "report", "desk", m{"at": "2025-10-15T23:30:00+06:00"})
	eff := r.okAt("2025-10-19T00:01:00+08:00", "account", "desk", nil)
	require.Len(t, eff.Flags, 1)
	f := eff.Flags[0]
	assert.Equal(t, "a written account within 2 days of the occurrence：2025-10-19 00:01 完成，时限至 2025-10-18 24:00，超时 1 分钟", f.Note)
	assert.Equal(t, "written", f.Task)
	assert.Equal(t, "a written account within 2 days of the occurrence", f.TaskName)
	assert.Equal(t, "2025-10-19T00:00:00+08:00", f.Due.String())
	assert.Equal(t, int64(60), f.OverdueSeconds)
}

func TestFeaturePeriodChosenByTheFactsAndSeveralAssignees(t *testing.T) {
	r := newRun(t, features(t))
	eff := r.okAt("2025-10-15T09:00:00+06:00", "report", "desk", nil)
	assert.Equal(t, []string{"pass-up@desk", "file@desk", "written", "period"}, eff.Opened)
	var told []string
	for _, n := range eff.Notices {
		told = append(told, n.By+"→"+n.To)
	}
	assert.Equal(t, []string{"desk→office", "desk→chief", "desk→press"}, told, "relative actors resolved for the assignee")
	eff = r.okAt("2025-10-15T09:30:00+06:00", "report", "office", m{"from": "desk"})
	assert.Equal(t, []string{"pass-up@office", "file@office"}, eff.Opened)
	assert.Equal(t, []string{"pass-up@desk"}, eff.Done)
	told = nil
	for _, n := range eff.Notices {
		told = append(told, n.To)
	}
	assert.Equal(t, []string{"ministry", "chief", "press"}, told)
	desk, _ := r.inst.Task("pass-up@desk")
	office, _ := r.inst.Task("pass-up@office")
	assert.Equal(t, "2025-10-15T10:00:00+06:00", desk.Due.String(), "tier 1: 1h")
	assert.Equal(t, "2025-10-15T11:30:00+06:00", office.Due.String(), "otherwise: 2h")
	assert.Equal(t, "office", office.Assignee)

	t.Run("a definition names the open task assigned to the actor", func(t *testing.T) {
		eff := r.okAt("2025-10-15T09:40:00+06:00", "task.completed", "office", m{"task": "file"})
		assert.Equal(t, []string{"file@office"}, eff.Done)
	})
	t.Run("and is ambiguous for another actor while several are open", func(t *testing.T) {
		r2 := newRun(t, features(t))
		r2.okAt("2025-10-15T09:00:00+06:00", "report", "desk", nil)
		r2.okAt("2025-10-15T09:30:00+06:00", "report", "office", nil)
		_, err := r2.at("2025-10-15T09:40:00+06:00", "task.completed", "chief", m{"task": "file"})
		require.ErrorIs(t, err, workflow.ErrInvalidEvent)
		assert.Contains(t, err.Error(), "open for several assignees (file@desk, file@office)")
		eff := r2.okAt("2025-10-15T09:41:00+06:00", "task.completed", "chief", m{"task": "file@desk"})
		assert.Equal(t, []string{"file@desk"}, eff.Done)
	})
}

func TestFeatureWindow(t *testing.T) {
	start := func(t *testing.T, kind string) *run {
		r := newRun(t, features(t))
		r.okAt("2025-10-15T09:00:00+06:00", "report", "desk", m{"kind": kind, "facts": m{"deaths": 1}})
		return r
	}
	t.Run("opened with its end and listed by Due while open, never as overdue", func(t *testing.T) {
		r := start(t, "short")
		w, _ := r.inst.Task("period")
		assert.True(t, w.Window)
		// 09:00+06:00 is 11:00+08:00 on the 15th: the 3 days are the 16th–18th.
		assert.Equal(t, "2025-10-19T00:00:00+08:00", w.Due.String(), "the facts chose 3 days")
		due := workflow.Due(r.inst, tm(t, "2025-10-17T12:00:00+08:00").Time())
		require.Len(t, due, 2, "the desk's pass-up is overdue; the 2-day account is not yet")
		assert.Equal(t, "pass-up@desk", due[0].Task)
		assert.False(t, due[0].Window)
		assert.Equal(t, "period", due[1].Task, "open windows come after the overdue deadlines")
		assert.True(t, due[1].Window)
		assert.Equal(t, time.Duration(0), due[1].Overdue)
		due = workflow.Due(r.inst, tm(t, "2025-10-19T00:00:01+08:00").Time())
		for _, d := range due {
			assert.NotEqual(t, "period", d.Task, "a window past its end is not due, nor overdue")
		}
		ten := start(t, "long")
		w, _ = ten.inst.Task("period")
		assert.Equal(t, "2025-10-26T00:00:00+08:00", w.Due.String(), "otherwise 10 days")
	})
	t.Run("an event inside changes the grade; one after it is flagged and does not", func(t *testing.T) {
		r := start(t, "short")
		assert.Equal(t, "general", r.inst.Level)
		eff := r.okAt("2025-10-18T23:59:00+08:00", "change", "desk", m{"facts": m{"deaths": 3}})
		assert.Equal(t, "relatively-serious", r.inst.Level, "Decree 493 Art. 3: 3 deaths is 较大")
		require.Len(t, eff.Deadlines, 1)
		assert.Equal(t, workflow.DeadlineMet, eff.Deadlines[0].Kind)
		assert.Empty(t, eff.Flags)
		eff = r.okAt("2025-10-19T00:01:00+08:00", "change", "desk", m{"facts": m{"deaths": 12}})
		assert.Equal(t, "relatively-serious", r.inst.Level, "outside the period the grade stays")
		assert.Equal(t, []string{"period"}, eff.Ended)
		require.Len(t, eff.Flags, 1)
		assert.Equal(t, "outside", eff.Flags[0].ID)
		assert.Equal(t, "period", eff.Flags[0].Task)
		assert.Equal(t, "changes are reported within the period：期间至 2025-10-18 24:00 届满，change于 2025-10-19 00:01 发生，超出 1 分钟",
			eff.Flags[0].Note, "the engine's note, in Chinese, when the data writes none; the 3 days end at 24:00 of their last day")
		require.NotNil(t, eff.Flags[0].Due)
		assert.Equal(t, "2025-10-19T00:00:00+08:00", eff.Flags[0].Due.String())
		assert.Equal(t, int64(60), eff.Flags[0].OverdueSeconds)
		w, _ := r.inst.Task("period")
		assert.Equal(t, workflow.TaskEnded, w.State)
		assert.Equal(t, "2025-10-19T00:00:00+08:00", w.ClosedAt.String(), "ended at its end, not at the event")
		assert.Equal(t, "期间至 2025-10-18 24:00 届满", w.Reason)
		assert.Equal(t, workflow.ReasonPeriodEnded, w.ReasonCode)
		assert.Equal(t, map[string]string{"due": "2025-10-19T00:00:00+08:00"}, w.ReasonParams)
	})
	t.Run("a late event inside the period counts as inside", func(t *testing.T) {
		r := start(t, "short")
		r.okAt("2025-10-20T09:00:00+08:00", "account", "desk", nil)
		eff := r.okAt("2025-10-18T09:00:00+08:00", "change", "desk", m{"facts": m{"deaths": 3}})
		assert.True(t, eff.Late)
		assert.Empty(t, eff.Flags)
		assert.Equal(t, "relatively-serious", r.inst.Level)
	})
	t.Run("a guard on the window: closing waits for its end", func(t *testing.T) {
		r := start(t, "short")
		_, err := r.at("2025-10-18T09:00:00+08:00", "close", "desk", nil)
		assert.Equal(t, "period-over", guardOf(t, err).Guard)
		r.okAt("2025-10-19T09:00:00+08:00", "close", "desk", nil)
		assert.Equal(t, "closed", r.inst.Phase)
	})
	t.Run("a window is not completed", func(t *testing.T) {
		r := start(t, "short")
		_, err := r.at("2025-10-15T10:00:00+06:00", "task.completed", "desk", m{"task": "period"})
		require.ErrorIs(t, err, workflow.ErrInvalidEvent)
		assert.Contains(t, err.Error(), "is a window")
	})
	t.Run("replay gives the same instance", func(t *testing.T) {
		r := start(t, "short")
		r.okAt("2025-10-19T00:01:00+08:00", "change", "desk", m{"facts": m{"deaths": 12}})
		again, err := r.def.Replay(t.Context(), r.inst.ID, r.inst.Log())
		require.NoError(t, err)
		assert.Equal(t, mustJSON(t, r.inst), mustJSON(t, again))
	})
}

func TestFeatureTimeVariablesAndConditionalSet(t *testing.T) {
	r := newRun(t, features(t))
	r.okAt("2025-10-15T09:00:00+06:00", "report", "desk", m{"at": "2025-10-15T10:30:00+08:00"})
	assert.Equal(t, "2025-10-15T10:30:00+08:00", r.inst.Vars["occurred"], "a time keeps the offset it was given in")
	r.okAt("2025-10-15T09:10:00+06:00", "report", "office", m{"at": "2025-10-15T08:00:00+06:00", "kind": "short"})
	assert.Equal(t, "2025-10-15T10:30:00+08:00", r.inst.Vars["occurred"], "set only when: it was not set")
	assert.Equal(t, "short", r.inst.Vars["kind"])

	bad := strings.Replace(featuresWorkflow, `occurred: {value: 'event.data.at != "" ? event.data.at : event.occurredAt'`, `occurred: {value: 'event.data.kind'`, 1)
	def, ds := featuresDef(t, bad)
	require.False(t, ds.HasErrors(), "%s", ds.Error())
	r = newRun(t, def)
	_, err := r.at("2025-10-15T09:00:00+06:00", "report", "desk", m{"kind": "short"})
	ge := guardOf(t, err)
	assert.Equal(t, workflow.CodeGuardError, diag.ProblemsOf(err)[0].Code, "a value that is no time is refused, not stored")
	assert.Contains(t, ge.Detail, "variable occurred holds a time")
	assert.Equal(t, 0, r.inst.Len())
}

func TestFeatureCompileErrors(t *testing.T) {
	for _, tc := range []struct {
		name, old, new, code, at, summary string
	}{
		{"an unknown constant, with a suggestion", `const.tiers[task.assignee] == 1`, `const.tier[task.assignee] == 1`,
			workflow.CodeUnknownConstant, "workflow.yaml:61:37", `unknown constant "tier"`},
		{"a constant's actor that is no actor, reported at the constant", `value: [desk, office]}`, `value: [desk, ofice]}`,
			workflow.CodeUnknownActor, "workflow.yaml:6:28", `unknown actor "ofice"`},
		{"a constant written with no value", `{id: officials, value: [desk, office]}`, `{id: officials, value}`,
			workflow.CodeBadConstant, "workflow.yaml:6:5", `constant "officials": a constant cannot be empty (null)`},
		{"a constant whose value is null", `{id: officials, value: [desk, office]}`, `{id: officials, value: ~}`,
			workflow.CodeBadConstant, "workflow.yaml:6:5", `constant "officials": a constant cannot be empty (null)`},
		{"an unknown relation", `{relation: boss}`, `{relation: bos}`,
			workflow.CodeUnknownRelation, "workflow.yaml:58:44", `unknown relation "bos"`},
		{"a relation without a pair for an assignee", `{id: boss, pairs: {desk: chief, office: chief}}`, `{id: boss, pairs: {desk: chief}}`,
			workflow.CodeUnknownRelation, "workflow.yaml:58:44", `relation "boss" names no actor for office, an assignee of pass-up`},
		{"days without a clock", "clock: \"+08:00\"\n", "",
			workflow.CodeBadDuration, "workflow.yaml:73:20", "a period in days needs the clock its days are counted on"},
		{"a zone name is not a clock", `clock: "+08:00"`, `clock: "Asia/Shanghai"`,
			workflow.CodeBadDuration, "workflow.yaml:3:8", `bad clock "Asia/Shanghai"`},
		{"a default rule before the last", `{duration: 1h, when: 'const.tiers[task.assignee] == 1'}`, `{duration: 1h}`,
			workflow.CodeBadDuration, "workflow.yaml:61:9", "a period rule without when: always holds"},
		{"a window done by events", `    covers: [{event: change}]`, `    doneBy: [{event: change}]`,
			workflow.CodeWindowForm, "workflow.yaml:85:14", `window "period" is done by events`},
		{"inWindow of a task that is no window", `'!inWindow("period")'`, `'!inWindow("written")'`,
			workflow.CodeUnknownTask, "workflow.yaml:50:107", `task "written" is not a window`},
		{"a time variable that is no type", `{id: occurred, type: time}`, `{id: occurred, type: when}`,
			workflow.CodeUnknownType, "workflow.yaml:14:26", `unknown variable type "when"`},
		{"a placeholder of lapse.reason the engine does not fill in", "clock: \"+08:00\"\n", "clock: \"+08:00\"\nlapse: {reason: \"由{from}调整为{too}\"}\n",
			workflow.CodeBadValue, "workflow.yaml:4:28", `lapse.reason names {too}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(featuresWorkflow, tc.old, tc.new, 1)
			require.NotEqual(t, featuresWorkflow, src, "the edit applies")
			_, ds := featuresDef(t, src)
			var errs diag.Diagnostics
			for _, d := range ds {
				if d.Severity == diag.Error {
					errs = append(errs, d)
				}
			}
			require.NotEmpty(t, errs, "%s", ds.Error())
			assert.Equal(t, tc.code, errs[0].Code, "%s", errs.Error())
			assert.Equal(t, tc.at, errs[0].Subject.String(), "%s", errs.Error())
			assert.Contains(t, errs[0].Summary, tc.summary)
		})
	}
}
