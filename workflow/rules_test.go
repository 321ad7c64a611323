package workflow_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/workflow"
)

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	require.NoError(t, err)
	return string(b)
}

type m = map[string]any

// reported brings an instance to initial-response: the county bureau's
// phone report reaches 州应急管理局 at 09:00 (3.2).
func reported(t testing.TB, incident m) *run {
	r := newRun(t, changji(t))
	if incident == nil {
		incident = m{"deaths": 1, "localities": []string{"qitai"}}
	}
	r.ok("09:00", "report.received", "yjj", m{"via": "phone", "from": "local-emergency-bureau", "incident": incident})
	return r
}

var allItems = []string{"reporter", "type", "situation", "outlook", "support"}

// responding brings an instance to responding at the given response level,
// activated by the body 4.2 names.
func responding(t testing.TB, level string, incident m) *run {
	r := reported(t, incident)
	r.ok("09:10", "report.written", "yjj", m{"contents": allItems})
	actor := map[string]string{"I": "xj-hq", "II": "xj-hq", "III": "gov", "IV": "local-government"}[level]
	r.ok("09:30", "response.activated", actor, m{"level": level})
	require.Equal(t, "responding", r.inst.Phase)
	return r
}

func guardOf(t testing.TB, err error) *workflow.GuardError {
	t.Helper()
	require.ErrorIs(t, err, workflow.ErrGuardRejected)
	var ge *workflow.GuardError
	require.True(t, errors.As(err, &ge))
	return ge
}

func taskState(inst workflow.Instance, id string) string {
	if t, ok := inst.Task(id); ok {
		return t.State.String()
	}
	return "absent"
}

func TestChangjiDeclaresTheEventsOfTheIntegrationContract(t *testing.T) {
	def := changji(t)
	var ids []string
	for _, e := range def.Events() {
		ids = append(ids, e.ID)
	}
	assert.ElementsMatch(t, []string{"warning.received", "warning.issued", "report.received", "report.written", "report.followup",
		"assessment.updated", "response.activated", "capacity.exceeded", "command.transferred", "task.completed", "task.waived",
		"rescue.suspended", "rescue.resumed", "experts.reviewed", "termination.proposed", "termination.approved", "response.ended",
		"aftermath.completed", "review.submitted"}, ids)
	var phases []string
	for _, p := range def.Phases() {
		phases = append(phases, p.ID)
	}
	assert.Equal(t, []string{"reported", "initial-response", "responding", "suspended", "rescue-ended", "response-ended", "recovery", "closed"}, phases)
	for _, e := range def.Events() {
		assert.NotEmpty(t, e.Clause, e.ID)
		for _, g := range e.Guards {
			assert.NotEmpty(t, g.Clause, g.ID)
			assert.NotEmpty(t, g.Message, g.ID)
		}
	}
	for _, task := range def.Tasks() {
		assert.NotEmpty(t, task.Clause, task.ID)
		assert.NotEmpty(t, task.Assignee, task.ID)
	}
}

func TestReport32WrittenReportWithin15Minutes(t *testing.T) {
	cases := []struct {
		name    string
		written string
		late    bool
	}{
		{"3.2 written 14 minutes after the phone report is on time", "09:14", false},
		{"3.2 written at 15 minutes is still within 15分钟内", "09:15", false},
		{"3.2 written at 16 minutes is accepted and flagged 迟报", "09:16", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := reported(t, nil)
			task, ok := r.inst.Task("written-report")
			require.True(t, ok)
			require.NotNil(t, task.Due)
			assert.Equal(t, "2025-10-15T09:15:00+06:00", task.Due.String())
			eff := r.ok(tc.written, "report.written", "yjj", m{"contents": allItems})
			assert.Equal(t, []string{"written-report"}, eff.Done)
			require.Len(t, eff.Deadlines, 1)
			assert.Equal(t, tc.late, r.inst.HasFlag("late-report"))
			if tc.late {
				assert.Equal(t, workflow.DeadlineMissed, eff.Deadlines[0].Kind)
				require.Len(t, eff.Flags, 1)
				assert.Equal(t, "迟报", eff.Flags[0].Name)
				assert.Equal(t, "3.2", eff.Flags[0].Clause)
			} else {
				assert.Equal(t, workflow.DeadlineMet, eff.Deadlines[0].Kind)
				assert.Empty(t, eff.Flags)
			}
		})
	}
}

func TestReport32OnlyPhoneReportsToThePrefectureStartTheClock(t *testing.T) {
	r := newRun(t, changji(t))
	r.ok("09:00", "report.received", "local-emergency-bureau", m{"via": "phone", "from": "accident-unit"})
	assert.Equal(t, "absent", taskState(r.inst, "written-report"), "3.2 gives the 15 minutes to the county's report up, not the enterprise's")
	r.ok("09:05", "report.received", "yjj", m{"via": "written", "from": "local-emergency-bureau"})
	assert.Equal(t, "absent", taskState(r.inst, "written-report"), "a written first report needs no written follow-up")
	assert.Equal(t, "done", taskState(r.inst, "report-up"), "3.2 the county's report reached 州应急管理局")
}

func TestReport32MissingItemsAreRecordedNamedAndFollowedUp(t *testing.T) {
	r := reported(t, nil)
	eff := r.ok("09:10", "report.written", "yjj", m{"contents": []string{"reporter", "situation", "outlook"}})
	require.Len(t, eff.Missing, 1)
	assert.Equal(t, "contents", eff.Missing[0].Field)
	var clauses []string
	for _, it := range eff.Missing[0].Items {
		clauses = append(clauses, it.Clause+" "+it.Label)
	}
	assert.Equal(t, []string{"3.2 (2) 事故类型", "3.2 (5) 需要支援的项目"}, clauses)
	require.Len(t, eff.Flags, 1)
	assert.Equal(t, "incomplete-report", eff.Flags[0].ID)
	assert.Equal(t, "缺少 type, support", eff.Flags[0].Note)
	assert.Equal(t, "open", taskState(r.inst, "complete-report"))
	assert.Equal(t, "done", taskState(r.inst, "written-report"), "an incomplete written report is still recorded")

	eff = r.ok("09:25", "report.followup", "yjj", m{"contents": []string{"type", "support"}})
	assert.Contains(t, eff.Done, "complete-report")

	full := reported(t, nil)
	eff = full.ok("09:10", "report.written", "yjj", m{"contents": allItems})
	assert.Empty(t, eff.Missing)
	assert.Empty(t, eff.Flags)
	assert.Equal(t, "absent", taskState(full.inst, "complete-report"))
}

func TestReport32FollowUpRecursWhileTheSituationChanges(t *testing.T) {
	r := responding(t, "IV", nil)
	r.ok("10:00", "assessment.updated", "yjj", m{"incident": m{"deaths": 2}})
	assert.Equal(t, "open", taskState(r.inst, "followup"))
	r.ok("10:05", "report.followup", "local-emergency-bureau", m{"summary": "2 人死亡"})
	assert.Equal(t, "done", taskState(r.inst, "followup"))
	r.ok("10:30", "assessment.updated", "yjj", m{"incident": m{"deaths": 2, "seriousInjuries": 3}})
	assert.Equal(t, "open", taskState(r.inst, "followup#2"), "3.2 并随情况（事态）变化及时续报")
}

func TestGrading42HigherGradeEscalatesWithUpwardReports(t *testing.T) {
	r := responding(t, "IV", nil)
	assert.Equal(t, "general", r.inst.Level)
	eff := r.ok("10:00", "assessment.updated", "yjj", m{"incident": m{"deaths": 3}})
	assert.Equal(t, &workflow.Change{From: "general", To: "relatively-serious"}, eff.Level, "1.5 较大 (1) 3 人以上死亡")
	assert.Equal(t, "IV", r.inst.Response, "4.2: only the body named may start Ⅲ; the grade alone does not")
	assert.Equal(t, "relatively-serious", r.inst.Requested)
	assert.Contains(t, eff.Opened, "request-III")
	var to []string
	for _, n := range eff.Notifications {
		to = append(to, n.To)
	}
	assert.Equal(t, []string{"party-committee", "gov", "stability-hq", "xj-yjt", "xj-gov"}, to, "4.4.1 (1)–(2)")

	eff = r.ok("10:10", "response.activated", "gov", m{"level": "III"})
	assert.Equal(t, &workflow.Change{From: "IV", To: "III"}, eff.Response)
	assert.Empty(t, r.inst.Requested)
	assert.Contains(t, eff.Done, "request-III")
	for _, id := range []string{"form-hq", "contact-region-hq", "office-report", "notify-members", "departments-respond", "information-release"} {
		assert.Contains(t, eff.Opened, id, "4.4 tasks open at Ⅲ")
	}
	task, _ := r.inst.Task("request-military")
	assert.Equal(t, "必要时", task.Conditional, "4.4.1 (6) is conditional")
}

func TestGrading42DeescalationIsAnExplicitDecision(t *testing.T) {
	r := responding(t, "III", m{"deaths": 4, "localities": []string{"qitai"}})
	r.ok("11:00", "assessment.updated", "yjj", m{"incident": m{"deaths": 2, "missing": 0}})
	assert.Equal(t, "general", r.inst.Level)
	assert.Equal(t, "III", r.inst.Response, "a lower grade does not lower the response")

	err := r.try("11:10", "response.activated", "local-government", m{"level": "IV"})
	ge := guardOf(t, err)
	assert.Equal(t, "deescalation-decision", ge.Guard)
	assert.Equal(t, "4.2", ge.Clause)

	eff := r.ok("11:20", "response.activated", "local-government", m{"level": "IV", "deescalate": true})
	assert.Equal(t, &workflow.Change{From: "III", To: "IV"}, eff.Response)
}

func TestGrading42CapacityExceededRequestsTheNextLevelUp(t *testing.T) {
	early := reported(t, nil)
	ge := guardOf(t, early.try("09:20", "capacity.exceeded", "local-government", m{"of": "county"}))
	assert.Equal(t, "capacity-needs-response", ge.Guard)

	r := responding(t, "IV", nil)
	eff := r.ok("10:00", "capacity.exceeded", "local-government", m{"of": "county"})
	assert.Equal(t, "relatively-serious", r.inst.Requested, "4.2 报请上一级")
	assert.Equal(t, "relatively-serious", r.inst.Level, "1.5 较大 (3) 超出县市人民政府处置能力")
	assert.Contains(t, eff.Opened, "request-III")
	task, _ := r.inst.Task("request-III")
	assert.Equal(t, "gov", task.Assignee)
}

func TestAuthority42WhoMayActivateEachLevel(t *testing.T) {
	cases := []struct {
		name, level, actor, guard string
	}{
		{"4.3 Ⅰ by 自治区指挥部", "I", "xj-hq", ""},
		{"4.2 Ⅱ by 昌吉州指挥部 is rejected", "II", "hq", "authority-I-II"},
		{"4.2 Ⅲ by 昌吉州人民政府", "III", "gov", ""},
		{"4.2 Ⅲ by 自治区应急管理厅 (自治区有关部门)", "III", "xj-yjt", ""},
		{"4.2 Ⅲ by a county government is rejected", "III", "local-government", "authority-III"},
		{"4.2 Ⅳ by 县市人民政府（园区管委会）", "IV", "local-government", ""},
		{"4.2 Ⅳ by 昌吉州有关部门 (州应急管理局)", "IV", "yjj", ""},
		{"4.2 Ⅳ by the site HQ is rejected", "IV", "site-hq", "authority-IV"},
		{"4.2 Ⅳ by alias 县市人民政府 name resolves", "IV", "事故发生地县市人民政府（园区管委会）", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := reported(t, nil)
			err := r.try("09:30", "response.activated", tc.actor, m{"level": tc.level})
			if tc.guard == "" {
				require.NoError(t, err)
				assert.Equal(t, tc.level, r.inst.Response)
				return
			}
			assert.Equal(t, tc.guard, guardOf(t, err).Guard)
		})
	}
	r := responding(t, "I", m{"deaths": 30})
	assert.Equal(t, "open", taskState(r.inst, "start-plan-I-II"), "4.3 昌吉州立即启动本预案")
}

func TestCommand25HandOverOnlyByExplicitTransfer(t *testing.T) {
	crossCounty := m{"deaths": 1, "crosses": "county", "localities": []string{"qitai", "jimsar"}}
	cases := []struct {
		name     string
		incident m
		actor    string
		data     m
		guard    string
		holder   string
	}{
		{"2.5 昌吉州指挥部 forms a site HQ for a cross-county accident", crossCounty, "hq",
			m{"to": "site-hq", "formedBy": "hq", "grounds": "cross-county"}, "", "site-hq (hq)"},
		{"2.5 the transfer is decided by 昌吉州指挥部, not the county", crossCounty, "local-government",
			m{"to": "site-hq", "formedBy": "hq", "grounds": "cross-county"}, "transfer-decided-by-hq", ""},
		{"2.6 a working group guides and never takes command", crossCounty, "hq",
			m{"to": "working-group", "formedBy": "hq", "grounds": "major-impact"}, "working-group-guides", ""},
		{"2.5 the prefecture's site HQ needs multi-domain, cross-county or major impact", crossCounty, "hq",
			m{"to": "site-hq", "formedBy": "hq", "grounds": "authorised"}, "prefecture-site-hq", ""},
		{"2.5 cross-county grounds need a cross-county accident", nil, "hq",
			m{"to": "site-hq", "formedBy": "hq", "grounds": "cross-county"}, "cross-county-fact", ""},
		{"2.7 an enterprise holds site command when authorised by 昌吉州指挥部", crossCounty, "hq",
			m{"to": "accident-unit", "formedBy": "hq", "grounds": "authorised"}, "", "accident-unit (hq)"},
		{"2.7 an enterprise without authorisation is rejected", crossCounty, "hq",
			m{"to": "accident-unit", "formedBy": "hq", "grounds": "major-impact"}, "enterprise-authorised", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := responding(t, "III", tc.incident)
			assert.Equal(t, workflow.Command{Holder: "site-hq", FormedBy: "local-government", Since: r.inst.Command.Since, Event: r.inst.Command.Event},
				r.inst.Command, "2.5 the locality's site HQ holds command until a transfer")
			err := r.try("10:00", "command.transferred", tc.actor, tc.data)
			if tc.guard != "" {
				assert.Equal(t, tc.guard, guardOf(t, err).Guard)
				assert.Equal(t, "local-government", r.inst.Command.FormedBy)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.holder, r.last.Command.To)
			assert.Equal(t, "site-hq (local-government)", r.last.Command.From)
		})
	}
	r := responding(t, "IV", crossCounty)
	r.ok("10:00", "response.activated", "gov", m{"level": "III"})
	assert.Equal(t, "local-government", r.inst.Command.FormedBy, "2.5 escalation alone does not move command")
}

// ended drives an instance to rescue-ended through 4.15.
func TestRescue415SuspensionAndResumption(t *testing.T) {
	r := responding(t, "III", m{"deaths": 4})
	ge := guardOf(t, r.try("10:00", "rescue.suspended", "hq", m{"reason": "secondary-accident-likely"}))
	assert.Equal(t, "suspend-by-site-hq", ge.Guard)
	assert.Equal(t, "4.15", ge.Clause)

	err := r.try("10:00", "rescue.suspended", "site-hq", m{"reason": "weather"})
	require.ErrorIs(t, err, workflow.ErrInvalidEvent)
	var ie *workflow.InvalidEventError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "data.reason", ie.Fields[0].Field, "4.15 gives two reasons only")

	eff := r.ok("10:00", "rescue.suspended", "site-hq", m{"reason": "secondary-accident-likely"})
	assert.Equal(t, &workflow.Change{From: "responding", To: "suspended"}, eff.Phase)
	assert.Equal(t, "site-hq", r.inst.Command.Holder, "a command holder while suspended")

	ge = guardOf(t, r.try("10:30", "rescue.resumed", "site-hq", m{"siteControlled": true, "hazardsCleared": false}))
	assert.Equal(t, "resume-conditions", ge.Guard)
	ge = guardOf(t, r.try("10:30", "rescue.resumed", "hq", m{"siteControlled": true, "hazardsCleared": true}))
	assert.Equal(t, "resume-by-site-hq", ge.Guard)
	eff = r.ok("10:40", "rescue.resumed", "site-hq", m{"siteControlled": true, "hazardsCleared": true})
	assert.Equal(t, &workflow.Change{From: "suspended", To: "responding"}, eff.Phase)

	r.ok("11:00", "rescue.suspended", "site-hq", m{"reason": "rescuers-threatened"})
	assert.Equal(t, "open", taskState(r.inst, "withdraw-rescuers"), "4.6 立即组织应急救援人员撤离现场")
}

func TestRescue415TerminationNeedsExpertsProposalAndTheOwnGovernment(t *testing.T) {
	r := responding(t, "IV", nil)
	ge := guardOf(t, r.try("12:00", "termination.proposed", "site-hq", m{"reason": "rescue-complete"}))
	assert.Equal(t, "experts-discussed", ge.Guard, "4.15 在经专家组讨论…的基础上")
	ge = guardOf(t, r.try("12:00", "termination.approved", "local-government", nil))
	assert.Equal(t, "proposal-first", ge.Guard)
	ge = guardOf(t, r.try("12:00", "experts.reviewed", "site-hq", m{"conclusion": "terminate"}))
	assert.Equal(t, "reviewed-by-experts", ge.Guard)

	r.ok("12:00", "experts.reviewed", "experts-group", m{"conclusion": "terminate"})
	ge = guardOf(t, r.try("12:10", "termination.proposed", "hq", m{"reason": "rescue-complete"}))
	assert.Equal(t, "proposed-by-site-hq", ge.Guard)
	r.ok("12:10", "termination.proposed", "site-hq", m{"reason": "rescue-complete"})
	ge = guardOf(t, r.try("12:20", "termination.approved", "gov", nil))
	assert.Equal(t, "approved-by-own-government", ge.Guard, "the county's site HQ reports to the county government")
	eff := r.ok("12:20", "termination.approved", "local-government", nil)
	assert.Equal(t, &workflow.Change{From: "responding", To: "rescue-ended"}, eff.Phase)
	assert.Contains(t, eff.Opened, "summary-report")

	p := responding(t, "III", m{"deaths": 4, "crosses": "county"})
	p.ok("10:00", "command.transferred", "hq", m{"to": "site-hq", "formedBy": "hq", "grounds": "cross-county"})
	p.ok("12:00", "experts.reviewed", "experts-group", m{"conclusion": "terminate"})
	p.ok("12:10", "termination.proposed", "site-hq", m{"reason": "rescue-complete"})
	ge = guardOf(t, p.try("12:20", "termination.approved", "local-government", nil))
	assert.Equal(t, "approved-by-own-government", ge.Guard, "the prefecture's site HQ reports to 昌吉州人民政府")
	p.ok("12:20", "termination.approved", "gov", nil)
	assert.Equal(t, "rescue-ended", p.inst.Phase)
}

// closeOut drives a responding instance to rescue-ended.
func closeOut(r *run, government string) {
	r.ok("12:00", "experts.reviewed", "experts-group", m{"conclusion": "terminate"})
	r.ok("12:10", "termination.proposed", "site-hq", m{"reason": "rescue-complete"})
	r.ok("12:20", "termination.approved", government, nil)
}

func TestResponse21EndedByTheHQsOrder(t *testing.T) {
	r := responding(t, "III", m{"deaths": 4})
	closeOut(r, "local-government")
	ge := guardOf(t, r.try("13:00", "response.ended", "site-hq", nil))
	assert.Equal(t, "ended-by-hq", ge.Guard)
	assert.Equal(t, "2.1 (1); 4.5", ge.Clause)
	ge = guardOf(t, r.try("13:00", "response.ended", "local-government", nil))
	assert.Equal(t, "ended-by-hq", ge.Guard, "at Ⅲ the prefecture's HQ gives the order")
	eff := r.ok("13:00", "response.ended", "hq", nil)
	assert.Equal(t, "response-ended", eff.Phase.To)
	assert.Contains(t, eff.Done, "end-response-order")

	iv := responding(t, "IV", nil)
	closeOut(iv, "local-government")
	iv.ok("13:00", "response.ended", "local-government", nil)
	assert.Equal(t, "response-ended", iv.inst.Phase)
}

func TestClose53NeedsTheSummaryReport(t *testing.T) {
	r := responding(t, "IV", nil)
	closeOut(r, "local-government")
	r.ok("13:00", "response.ended", "local-government", nil)
	_, _, err := r.def.Apply(t.Context(), r.inst, r.event("13:30", "review.submitted", "site-hq", m{"report": "…", "lessons": "…", "proposals": "…"}))
	require.ErrorIs(t, err, workflow.ErrWrongPhase, "5.1 the aftermath comes first")
	r.ok("20:00", "aftermath.completed", "local-government", m{"summary": "善后处置完成"})
	assert.Equal(t, "recovery", r.inst.Phase, "completing the aftermath does not close")
	ge := guardOf(t, r.try("21:00", "review.submitted", "site-hq", m{"report": "总结报告"}))
	assert.Equal(t, "summary-complete", ge.Guard)
	assert.Equal(t, "5.3", ge.Clause)
	ge = guardOf(t, r.try("21:00", "review.submitted", "local-government", m{"report": "总结报告", "lessons": "…", "proposals": "…"}))
	assert.Equal(t, "summary-by-site-hq", ge.Guard)
	eff := r.ok("21:00", "review.submitted", "site-hq", m{"report": "总结报告", "lessons": "通信中断 20 分钟", "proposals": "配备卫星电话"})
	assert.Equal(t, "closed", r.inst.Phase)
	assert.Contains(t, eff.Done, "summary-report")
	require.ErrorIs(t, r.try("21:10", "task.completed", "hq", m{"task": "insurance"}), workflow.ErrWrongPhase, "nothing happens after closing")
}

func TestTasksAreOpenDoneOrWaivedWithAReason(t *testing.T) {
	r := responding(t, "III", m{"deaths": 4})
	r.ok("10:00", "task.completed", "office", m{"task": "notify-members", "note": "已通知"})
	assert.Equal(t, "done", taskState(r.inst, "notify-members"))
	err := r.try("10:01", "task.completed", "office", m{"task": "notify-members"})
	require.ErrorIs(t, err, workflow.ErrInvalidEvent, "no task is completed twice")
	assert.Contains(t, err.Error(), "already done")

	ge := guardOf(t, r.try("10:02", "task.completed", "police", m{"task": "form-hq"}))
	assert.Equal(t, "task-by-assignee", ge.Guard)

	ge = guardOf(t, r.try("10:03", "task.waived", "office", m{"task": "open-comms", "reason": "不需要"}))
	assert.Equal(t, "waive-conditional-or-by-hq", ge.Guard, "an unconditional task is waived only by the HQ")
	r.ok("10:04", "task.waived", "hq", m{"task": "liaise", "reason": "无需外部支援"})
	task, _ := r.inst.Task("liaise")
	assert.Equal(t, workflow.TaskWaived, task.State)
	assert.Equal(t, "无需外部支援", task.Reason)
	require.ErrorIs(t, r.try("10:05", "task.waived", "hq", m{"task": "liaise"}), workflow.ErrInvalidEvent, "a waiver needs its reason")
}

func TestRedeliveryIsANoOp(t *testing.T) {
	r := reported(t, nil)
	ev := r.inst.Log[0]
	next, eff, err := r.def.Apply(t.Context(), r.inst, ev)
	require.NoError(t, err)
	assert.True(t, eff.Duplicate)
	assert.Equal(t, mustJSON(t, r.inst), mustJSON(t, next))

	other := ev
	other.Type = "report.written"
	_, _, err = r.def.Apply(t.Context(), r.inst, other)
	require.ErrorIs(t, err, workflow.ErrDuplicateID)
}

func TestOrderingRule(t *testing.T) {
	beijing := func(hhmm string) workflow.Time {
		tm, err := workflow.ParseTime("2025-10-15T" + hhmm + ":00+08:00")
		require.NoError(t, err)
		return tm
	}
	r := reported(t, nil)
	r.ok("09:30", "response.activated", "local-government", m{"level": "IV"})

	late := workflow.Event{ID: "late-written", Type: "report.written", Actor: "yjj", OccurredAt: at("09:12"), RecordedAt: at("09:40"),
		Data: m{"contents": allItems}}
	next, eff, err := r.def.Apply(t.Context(), r.inst, late)
	require.NoError(t, err, "report.written is declared late: accept")
	assert.True(t, eff.Late)
	assert.True(t, next.Log[len(next.Log)-1].Late)
	assert.False(t, next.HasFlag("late-report"), "its own occurredAt (09:12) is within the 15 minutes")
	assert.Equal(t, at("09:30"), next.Last, "a late event does not move the instance's clock back")

	early := workflow.Event{ID: "early", Type: "assessment.updated", Actor: "yjj", OccurredAt: at("09:20"), RecordedAt: at("09:41"),
		Data: m{"incident": m{"deaths": 2}}}
	_, _, err = r.def.Apply(t.Context(), next, early)
	require.ErrorIs(t, err, workflow.ErrOutOfOrder)

	// Beijing time 11:35 (UTC+8) is 09:35 in Xinjiang time: after 09:30.
	bj := workflow.Event{ID: "bj", Type: "assessment.updated", Actor: "yjj", OccurredAt: beijing("11:35"), RecordedAt: beijing("11:36"),
		Data: m{"incident": m{"deaths": 2}}}
	_, _, err = r.def.Apply(t.Context(), next, bj)
	require.NoError(t, err, "offsets are compared as instants")
	bj.ID, bj.OccurredAt = "bj-early", beijing("11:25")
	_, _, err = r.def.Apply(t.Context(), next, bj)
	require.ErrorIs(t, err, workflow.ErrOutOfOrder, "11:25+08:00 is 09:25+06:00, before 09:30")
}

func TestInvalidEventsNameTheirFields(t *testing.T) {
	r := reported(t, nil)
	_, _, err := r.def.Apply(t.Context(), r.inst, workflow.Event{ID: "x", Type: "report.writen", Actor: "yjj", OccurredAt: at("09:05"), RecordedAt: at("09:05")})
	require.ErrorIs(t, err, workflow.ErrUnknownEvent)
	assert.Contains(t, err.Error(), `Did you mean "report.written"?`)

	_, _, err = r.def.Apply(t.Context(), r.inst, workflow.Event{Type: "response.activated", Actor: "nobody", OccurredAt: at("09:05"),
		Data: m{"level": "V", "levle": "IV", "deescalate": "yes"}})
	require.ErrorIs(t, err, workflow.ErrInvalidEvent)
	var ie *workflow.InvalidEventError
	require.ErrorAs(t, err, &ie)
	var fields []string
	for _, f := range ie.Fields {
		fields = append(fields, f.Field)
	}
	assert.Equal(t, []string{"id", "actor", "recordedAt", "data.levle", "data.level", "data.deescalate"}, fields)

	_, _, err = r.def.Apply(t.Context(), r.inst, workflow.Event{ID: "y", Type: "assessment.updated", Actor: "yjj", OccurredAt: at("09:05"), RecordedAt: at("09:05"),
		Data: m{"incident": m{"deaths": -1}}})
	require.ErrorIs(t, err, workflow.ErrInvalidEvent)
	assert.Contains(t, err.Error(), "deaths")

	_, _, err = r.def.Apply(t.Context(), r.inst, workflow.Event{ID: "z", Type: "report.written", Actor: "yjj", OccurredAt: at("09:10"), RecordedAt: at("09:05"),
		Data: m{"contents": allItems}})
	require.ErrorIs(t, err, workflow.ErrInvalidEvent, "recorded before it occurred")
}

func TestDueListsOverdueTasks(t *testing.T) {
	r := reported(t, nil)
	assert.Empty(t, workflow.Due(r.inst, at("09:15").Time()), "3.2 due at 09:15, not yet overdue")
	due := workflow.Due(r.inst, at("09:20").Time())
	require.Len(t, due, 1)
	assert.Equal(t, "written-report", due[0].Task)
	assert.Equal(t, "local-emergency-bureau", due[0].Assignee)
	assert.Equal(t, "5m0s", due[0].Overdue.String())
}

func TestReplayIsDeterministicAndJSONIsLossless(t *testing.T) {
	r := responding(t, "III", m{"deaths": 4, "crosses": "county", "localities": []string{"qitai", "jimsar"}})
	r.ok("10:00", "command.transferred", "hq", m{"to": "site-hq", "formedBy": "hq", "grounds": "cross-county"})
	r.ok("10:30", "rescue.suspended", "site-hq", m{"reason": "secondary-accident-likely"})
	r.ok("11:00", "rescue.resumed", "site-hq", m{"siteControlled": true, "hazardsCleared": true})
	r.ok("11:05", "task.waived", "hq", m{"task": "liaise", "reason": "无需外部支援"})

	again, err := r.def.Replay(t.Context(), r.inst.ID, r.inst.Log)
	require.NoError(t, err)
	assert.Equal(t, mustJSON(t, r.inst), mustJSON(t, again), "the same log gives the same instance")
	assert.Equal(t, r.inst, again)

	b, err := json.Marshal(r.inst)
	require.NoError(t, err)
	var back workflow.Instance
	require.NoError(t, json.Unmarshal(b, &back))
	b2, err := json.Marshal(back)
	require.NoError(t, err)
	assert.Equal(t, string(b), string(b2), "JSON → Instance → JSON is byte for byte")
	assert.Equal(t, r.inst, back)

	// The decoded instance keeps working and replays to the same state.
	fromJSON, err := r.def.Replay(t.Context(), back.ID, back.Log)
	require.NoError(t, err)
	assert.Equal(t, string(b), mustCompact(t, fromJSON))
}

func mustCompact(t testing.TB, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func TestInstancesRecordTheirPlan(t *testing.T) {
	def := changji(t)
	r := newRun(t, def)
	r.ok("09:00", "report.received", "yjj", m{"via": "phone"})
	assert.Equal(t, testRef, r.inst.Plan)

	other := def.ForPlan(workflow.PlanRef{ID: "changji-2025", Revision: "2025-09-24", Hash: "sha256:other"})
	_, _, err := other.Apply(t.Context(), r.inst, r.event("09:05", "report.written", "yjj", m{"contents": allItems}))
	require.ErrorIs(t, err, workflow.ErrPlanMismatch)

	same, err := other.Rebase(t.Context(), r.inst)
	require.NoError(t, err, "the same rules under a new hash change nothing")
	assert.Equal(t, "sha256:other", same.Plan.Hash)
}

func TestRosterHookNotifiesOnActivation(t *testing.T) {
	var calls []string
	def := changji(t).WithRoster(workflow.RosterFunc(func(_ context.Context, response string, industries, localities []string) ([]workflow.Recipient, error) {
		calls = append(calls, response+" "+strings.Join(localities, ","))
		return []workflow.Recipient{{ID: "qitai-gov", Name: "奇台县人民政府", Clause: "4.5", Engaged: true}}, nil
	}))
	r := newRun(t, def)
	r.ok("09:00", "report.received", "yjj", m{"via": "phone", "incident": m{"deaths": 1, "localities": []string{"qitai"}}})
	eff := r.ok("09:30", "response.activated", "local-government", m{"level": "IV"})
	assert.Equal(t, []string{"IV qitai"}, calls)
	last := eff.Notifications[len(eff.Notifications)-1]
	assert.Equal(t, workflow.Notification{To: "qitai-gov", Clause: "4.5", Roster: true, Name: "奇台县人民政府", Engaged: true}, last)
	r.ok("10:00", "report.followup", "yjj", nil)
	assert.Len(t, calls, 1, "the roster is asked only when the response level changes")
}
