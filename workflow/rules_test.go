package workflow_test

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/diag"
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
		"aftermath.completed", "review.submitted", "incident.closed"}, ids)
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
	r.ok("09:05", "report.written", "yjj", m{"from": "local-emergency-bureau", "contents": allItems})
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
	assert.Equal(t, "缺少：事故类型、需要支援的项目", eff.Flags[0].Note, "3.2 (2) and (5), by the labels the plan gives them")
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

func TestReport32FollowUpIsNotDueWhileNothingChanges(t *testing.T) {
	r := responding(t, "IV", nil)
	assert.Equal(t, "absent", taskState(r.inst, "followup"), "3.2 续报 follows a change, not the first report")
	r.ok("10:00", "assessment.updated", "yjj", m{"incident": m{"deaths": 2}})
	r.ok("10:05", "report.followup", "local-emergency-bureau", m{"summary": "2 人死亡"})
	r.ok("10:20", "task.completed", "site-hq", m{"task": "site-rescue"})
	assert.Equal(t, "absent", taskState(r.inst, "followup#2"), "3.2 no new 续报 until the situation changes again")
}

func TestIncident32ListFactsAreCheckedAgainstTheOrgchart(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(planDir, "workflow.yaml"))
	require.NoError(t, err)
	def, ds := workflow.Compile("workflow.yaml", src, changjiRules(t), workflow.WithActors(orgchartDirectory(t)))
	require.Empty(t, findings(ds), "%s", ds.Error())
	var rostered [][]string
	def = def.ForPlan(testRef).WithRoster(workflow.RosterFunc(func(_ context.Context, _ string, industries, localities []string) ([]workflow.Recipient, error) {
		rostered = append(rostered, append(slices.Clone(industries), localities...))
		return nil, nil
	}))

	t.Run("附件 8.6 and 2.3: localities and industries by name resolve to the orgchart's ids", func(t *testing.T) {
		r := newRun(t, def)
		r.ok("09:00", "report.received", "yjj", m{"via": "phone", "incident": m{"deaths": 1, "localities": []string{"奇台县", "吉木萨尔"}, "industries": []string{"危险化学品"}}})
		assert.Equal(t, []string{"qitai", "jimsar"}, r.inst.Facts["localities"])
		assert.Equal(t, []string{"hazardous-chemicals"}, r.inst.Facts["industries"])
		r.ok("09:30", "response.activated", "local-government", m{"level": "IV"})
		assert.Equal(t, [][]string{{"hazardous-chemicals", "qitai", "jimsar"}}, rostered, "the roster gets ids")
	})
	t.Run("附件 8.6 an unknown locality is an invalid event naming the field", func(t *testing.T) {
		r := newRun(t, def)
		err := r.try("09:00", "report.received", "yjj", m{"via": "phone", "incident": m{"deaths": 1, "localities": []string{"qitay"}}})
		require.ErrorIs(t, err, workflow.ErrInvalidEvent)
		var ie *workflow.InvalidEventError
		require.ErrorAs(t, err, &ie)
		require.Len(t, ie.Fields, 1)
		assert.Equal(t, "data.incident", ie.Fields[0].Field)
		assert.Contains(t, ie.Fields[0].Reason, `localities`)
		assert.Contains(t, ie.Fields[0].Reason, `Did you mean "qitai"?`)
	})
	t.Run("2.3 an unknown industry in an assessment is rejected too", func(t *testing.T) {
		r := newRun(t, def)
		r.ok("09:00", "report.received", "yjj", m{"via": "phone"})
		err := r.try("09:10", "assessment.updated", "yjj", m{"incident": m{"industries": []string{"knitting"}}})
		require.ErrorIs(t, err, workflow.ErrInvalidEvent)
		assert.Contains(t, err.Error(), "industries")
	})
	t.Run("a directory without the lists checks nothing more", func(t *testing.T) {
		r := newRun(t, changji(t))
		r.ok("09:00", "report.received", "yjj", m{"via": "phone", "incident": m{"localities": []string{"奇台县"}}})
		assert.Equal(t, []string{"奇台县"}, r.inst.Facts["localities"])
	})
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
	for _, n := range eff.Notices {
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
		{"2.5 涉及多领域: an accident spanning two industries", m{"deaths": 1, "industries": []string{"hazardous-chemicals", "dangerous-goods-transport"}}, "hq",
			m{"to": "site-hq", "formedBy": "hq", "grounds": "multi-domain"}, "", "site-hq (hq)"},
		{"2.5 涉及多领域: a cross-domain assessment", m{"deaths": 1, "crossDomain": true}, "hq",
			m{"to": "site-hq", "formedBy": "hq", "grounds": "multi-domain"}, "", "site-hq (hq)"},
		{"2.5 multi-domain grounds need more than one domain", m{"deaths": 1, "industries": []string{"building"}}, "hq",
			m{"to": "site-hq", "formedBy": "hq", "grounds": "multi-domain"}, "multi-domain-fact", ""},
		{"2.7 an enterprise holds site command when authorised by 昌吉州指挥部", crossCounty, "hq",
			m{"to": "accident-unit", "formedBy": "hq", "grounds": "authorised"}, "", "accident-unit (hq)"},
		{"2.7 an enterprise without authorisation is rejected", crossCounty, "hq",
			m{"to": "accident-unit", "formedBy": "hq", "grounds": "major-impact"}, "enterprise-authorised", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := responding(t, "III", tc.incident)
			assert.Equal(t, workflow.Command{Holder: "site-hq", HolderName: "现场应急救援指挥部", FormedBy: "local-government", Since: r.inst.Command.Since, Event: r.inst.Command.Event},
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
	assert.Equal(t, "absent", taskState(r.inst, "hand-over-command"), "2.5 no hand-over without a transfer")
}

func TestCommand25TheOldSiteHQHandsOverAndKeepsCooperating(t *testing.T) {
	crossCounty := m{"deaths": 4, "crosses": "county", "localities": []string{"qitai", "jimsar"}}
	t.Run("2.5 原现场应急救援指挥部应立即移交指挥权，并继续配合做好应急处置工作", func(t *testing.T) {
		r := responding(t, "III", crossCounty)
		eff := r.ok("10:00", "command.transferred", "hq", m{"to": "site-hq", "formedBy": "hq", "grounds": "cross-county"})
		assert.Contains(t, eff.Opened, "hand-over-command")
		task, _ := r.inst.Task("hand-over-command")
		assert.Equal(t, "local-government", task.Assignee, "2.5 the county's site HQ acts for its government")
		assert.Empty(t, task.Conditional, "2.5 应立即移交: not conditional")
		r.ok("10:05", "task.completed", "local-government", m{"task": "hand-over-command", "note": "已移交，县指挥部继续配合"})
		assert.Equal(t, "done", taskState(r.inst, "hand-over-command"))
	})
	t.Run("2.7 an authorised enterprise hands over in turn", func(t *testing.T) {
		r := responding(t, "III", crossCounty)
		r.ok("10:00", "command.transferred", "hq", m{"to": "accident-unit", "formedBy": "hq", "grounds": "authorised"})
		assert.Equal(t, "open", taskState(r.inst, "hand-over-command"), "the county's site HQ handed over to the enterprise")
		assert.Equal(t, "absent", taskState(r.inst, "hand-over-command-enterprise"))
		r.ok("11:00", "command.transferred", "hq", m{"to": "site-hq", "formedBy": "hq", "grounds": "cross-county"})
		task, _ := r.inst.Task("hand-over-command-enterprise")
		assert.Equal(t, "accident-unit", task.Assignee)
		assert.Equal(t, workflow.TaskOpen, task.State)
	})
}

func TestRescue415SuspensionAndResumption(t *testing.T) {
	r := responding(t, "III", m{"deaths": 4})
	t.Run("4.15 only the site HQ suspends: 昌吉州指挥部 is rejected", func(t *testing.T) {
		ge := guardOf(t, r.try("10:00", "rescue.suspended", "hq", m{"reason": "secondary-accident-likely"}))
		assert.Equal(t, "suspend-by-site-hq", ge.Guard)
		assert.Equal(t, "4.15", ge.Clause)
	})
	t.Run("4.15 a reason other than the two of the text is invalid", func(t *testing.T) {
		err := r.try("10:00", "rescue.suspended", "site-hq", m{"reason": "weather"})
		require.ErrorIs(t, err, workflow.ErrInvalidEvent)
		var ie *workflow.InvalidEventError
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, "data.reason", ie.Fields[0].Field)
	})
	t.Run("4.15 极易造成次生衍生事故: the site HQ suspends", func(t *testing.T) {
		eff := r.ok("10:00", "rescue.suspended", "site-hq", m{"reason": "secondary-accident-likely"})
		assert.Equal(t, &workflow.Change{From: "responding", To: "suspended"}, eff.Phase)
		assert.Equal(t, "site-hq", r.inst.Command.Holder, "a command holder while suspended")
	})
	t.Run("4.15 resuming needs the site controlled and the hazards cleared", func(t *testing.T) {
		ge := guardOf(t, r.try("10:30", "rescue.resumed", "site-hq", m{"siteControlled": true, "hazardsCleared": false}))
		assert.Equal(t, "resume-conditions", ge.Guard)
	})
	t.Run("4.15 only the site HQ confirms the conditions to resume", func(t *testing.T) {
		ge := guardOf(t, r.try("10:30", "rescue.resumed", "hq", m{"siteControlled": true, "hazardsCleared": true}))
		assert.Equal(t, "resume-by-site-hq", ge.Guard)
	})
	t.Run("4.15 经现场应急救援指挥部研究，确认符合继续施救条件时，再行组织施救", func(t *testing.T) {
		eff := r.ok("10:40", "rescue.resumed", "site-hq", m{"siteControlled": true, "hazardsCleared": true})
		assert.Equal(t, &workflow.Change{From: "suspended", To: "responding"}, eff.Phase)
	})
	t.Run("4.15 救援人员生命安全受到直接威胁: 4.6 withdraw the rescuers", func(t *testing.T) {
		r.ok("11:00", "rescue.suspended", "site-hq", m{"reason": "rescuers-threatened"})
		assert.Equal(t, "open", taskState(r.inst, "withdraw-rescuers"), "4.6 立即组织应急救援人员撤离现场")
	})
}

func TestRescue415TerminationNeedsExpertsProposalAndTheOwnGovernment(t *testing.T) {
	r := responding(t, "IV", nil)
	t.Run("4.15 no proposal before the expert group's discussion", func(t *testing.T) {
		ge := guardOf(t, r.try("12:00", "termination.proposed", "site-hq", m{"reason": "rescue-complete"}))
		assert.Equal(t, "experts-discussed", ge.Guard, "4.15 在经专家组讨论…的基础上")
	})
	t.Run("4.15 no approval before the site HQ's proposal", func(t *testing.T) {
		ge := guardOf(t, r.try("12:00", "termination.approved", "local-government", nil))
		assert.Equal(t, "proposal-first", ge.Guard)
	})
	t.Run("4.15 the discussion is the expert group's, not the site HQ's", func(t *testing.T) {
		ge := guardOf(t, r.try("12:00", "experts.reviewed", "site-hq", m{"conclusion": "terminate"}))
		assert.Equal(t, "reviewed-by-experts", ge.Guard)
	})
	t.Run("4.15 在经专家组讨论: a proposal against a review that says continue is flagged, not blocked", func(t *testing.T) {
		r.ok("11:50", "experts.reviewed", "experts-group", m{"conclusion": "continue"})
		eff := r.ok("11:55", "termination.proposed", "site-hq", m{"reason": "rescue-complete"})
		require.Len(t, eff.Flags, 1)
		assert.Equal(t, "expert-disagreement", eff.Flags[0].ID)
	})
	t.Run("4.15 the proposal is the site HQ's", func(t *testing.T) {
		r.ok("12:00", "experts.reviewed", "experts-group", m{"conclusion": "terminate"})
		ge := guardOf(t, r.try("12:10", "termination.proposed", "hq", m{"reason": "rescue-complete"}))
		assert.Equal(t, "proposed-by-site-hq", ge.Guard)
		r.ok("12:10", "termination.proposed", "site-hq", m{"reason": "rescue-complete"})
	})
	t.Run("4.15 报本级人民政府批准: the county's site HQ reports to the county, not 昌吉州人民政府", func(t *testing.T) {
		ge := guardOf(t, r.try("12:20", "termination.approved", "gov", nil))
		assert.Equal(t, "approved-by-own-government", ge.Guard)
		eff := r.ok("12:20", "termination.approved", "local-government", nil)
		assert.Equal(t, &workflow.Change{From: "responding", To: "rescue-ended"}, eff.Phase)
		assert.Contains(t, eff.Opened, "summary-report")
	})
	t.Run("4.15 and 2.5: the prefecture's site HQ reports to 昌吉州人民政府", func(t *testing.T) {
		p := responding(t, "III", m{"deaths": 4, "crosses": "county"})
		p.ok("10:00", "command.transferred", "hq", m{"to": "site-hq", "formedBy": "hq", "grounds": "cross-county"})
		p.ok("12:00", "experts.reviewed", "experts-group", m{"conclusion": "terminate"})
		p.ok("12:10", "termination.proposed", "site-hq", m{"reason": "rescue-complete"})
		ge := guardOf(t, p.try("12:20", "termination.approved", "local-government", nil))
		assert.Equal(t, "approved-by-own-government", ge.Guard)
		p.ok("12:20", "termination.approved", "gov", nil)
		assert.Equal(t, "rescue-ended", p.inst.Phase)
	})
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
	t.Run("2.1 (1) the site HQ does not end the response", func(t *testing.T) {
		ge := guardOf(t, r.try("13:00", "response.ended", "site-hq", nil))
		assert.Equal(t, "ended-by-hq", ge.Guard)
		assert.Equal(t, "2.1 (1); 4.5", ge.Clause)
	})
	t.Run("2.1 (1) at Ⅲ a county government does not end it", func(t *testing.T) {
		ge := guardOf(t, r.try("13:00", "response.ended", "local-government", nil))
		assert.Equal(t, "ended-by-hq", ge.Guard)
	})
	t.Run("2.1 (1) 昌吉州指挥部负责下达…终止本预案应急响应程序的命令", func(t *testing.T) {
		eff := r.ok("13:00", "response.ended", "hq", nil)
		assert.Equal(t, "response-ended", eff.Phase.To)
		assert.Contains(t, eff.Done, "end-response-order")
	})
	t.Run("4.5 at Ⅳ the county orders the end on the prefecture's model", func(t *testing.T) {
		iv := responding(t, "IV", nil)
		closeOut(iv, "local-government")
		iv.ok("13:00", "response.ended", "local-government", nil)
		assert.Equal(t, "response-ended", iv.inst.Phase)
	})
	t.Run("4.15 the response is not ended while the rescue goes on", func(t *testing.T) {
		on := responding(t, "IV", nil)
		require.ErrorIs(t, on.try("13:00", "response.ended", "local-government", nil), workflow.ErrWrongPhase)
	})
}

func TestClose53NeedsTheSummaryReport(t *testing.T) {
	r := responding(t, "IV", nil)
	closeOut(r, "local-government")
	r.ok("13:00", "response.ended", "local-government", nil)
	t.Run("5.3 应急救援结束后: the summary need not wait for the aftermath", func(t *testing.T) {
		_, _, err := r.def.Apply(t.Context(), r.inst, r.event("13:30", "review.submitted", "site-hq", m{"report": "…", "lessons": "…", "proposals": "…"}))
		require.NoError(t, err)
	})
	t.Run("5.1 completing the aftermath does not close", func(t *testing.T) {
		r.ok("20:00", "aftermath.completed", "local-government", m{"summary": "善后处置完成"})
		assert.Equal(t, "recovery", r.inst.Phase)
	})
	t.Run("5.3 a summary without lessons and proposals does not close", func(t *testing.T) {
		ge := guardOf(t, r.try("21:00", "review.submitted", "site-hq", m{"report": "总结报告"}))
		assert.Equal(t, "summary-complete", ge.Guard)
		assert.Equal(t, "5.3", ge.Clause)
	})
	t.Run("5.3 the summary is the site HQ's", func(t *testing.T) {
		ge := guardOf(t, r.try("21:00", "review.submitted", "local-government", m{"report": "总结报告", "lessons": "…", "proposals": "…"}))
		assert.Equal(t, "summary-by-site-hq", ge.Guard)
	})
	t.Run("5.3 closing before the summary is reported is refused, citing 5.3", func(t *testing.T) {
		ge := guardOf(t, r.try("20:30", "incident.closed", "local-government", nil))
		assert.Equal(t, "summary-reported", ge.Guard)
		assert.Equal(t, "5.3", ge.Clause)
		assert.Equal(t, "应急救援总结报告完成并上报后才能结案", ge.Message)
	})
	t.Run("5.3 the summary report does not close the incident by itself", func(t *testing.T) {
		eff := r.ok("21:00", "review.submitted", "site-hq", m{"report": "总结报告", "lessons": "通信中断 20 分钟", "proposals": "配备卫星电话"})
		assert.Equal(t, "recovery", r.inst.Phase)
		assert.Contains(t, eff.Done, "summary-report")
	})
	t.Run("5.3 the closing is a named step; it waives what is still open", func(t *testing.T) {
		open := r.inst.OpenTasks()
		require.NotEmpty(t, open)
		eff := r.ok("21:05", "incident.closed", "local-government", nil)
		assert.Equal(t, "closed", r.inst.Phase)
		var ids []string
		for _, task := range open {
			ids = append(ids, task.ID)
		}
		assert.Equal(t, ids, eff.Waived, "closing lists the tasks it leaves unrecorded")
		insurance, _ := r.inst.Task("insurance")
		assert.Equal(t, workflow.TaskWaived, insurance.State)
		assert.Contains(t, insurance.Reason, "5.3", "the waiver says why")
		assert.Equal(t, workflow.ReasonPhaseClosed, insurance.ReasonCode)
		assert.Equal(t, map[string]string{"phase": "closed"}, insurance.ReasonParams)
		assert.Empty(t, r.inst.OpenTasks())
		assert.Empty(t, workflow.Due(r.inst, at("23:59").Time()), "a closed incident has nothing overdue")
	})
	t.Run("5.3 nothing happens after closing", func(t *testing.T) {
		require.ErrorIs(t, r.try("21:10", "report.followup", "yjj", nil), workflow.ErrWrongPhase)
		err := r.try("21:10", "task.completed", "hq", m{"task": "insurance"})
		require.ErrorIs(t, err, workflow.ErrInvalidEvent)
		assert.Contains(t, err.Error(), "already waived", "no task is closed twice")
	})
}

func TestClose53AMissedDeadlineIsKeptAtClosing(t *testing.T) {
	r := newRun(t, changji(t))
	r.ok("09:00", "report.received", "yjj", m{"via": "phone", "incident": m{"deaths": 1}})
	r.ok("09:30", "response.activated", "local-government", m{"level": "IV"})
	closeOut(r, "local-government")
	r.ok("13:00", "response.ended", "local-government", nil)
	r.ok("20:00", "aftermath.completed", "local-government", m{"summary": "善后处置完成"})
	require.Len(t, workflow.Due(r.inst, at("20:30").Time()), 1, "3.2 the written report never came")
	r.ok("21:00", "review.submitted", "site-hq", m{"report": "总结报告", "lessons": "未补报文字报告", "proposals": "值班制度"})
	eff := r.ok("21:05", "incident.closed", "local-government", nil)
	assert.Contains(t, eff.Waived, "written-report")
	assert.Contains(t, eff.Deadlines, workflow.Mark{Kind: workflow.DeadlineMissed, Task: "written-report", Due: at("09:15"), At: ptr(at("21:05"))},
		"3.2 15分钟内补报文字报告: the missed deadline stays on record")
	assert.False(t, r.inst.HasFlag("late-report"), "迟报 is for a report made late; this one was never made")
}

func ptr[T any](v T) *T { return &v }

func TestResponse42ChangingLevelLapsesTheOldLevelsTasks(t *testing.T) {
	t.Run("4.5 and 4.2: escalated from Ⅳ to Ⅲ, the county's Ⅳ organisation and the office's Ⅳ guidance lapse", func(t *testing.T) {
		r := responding(t, "IV", m{"deaths": 3, "localities": []string{"qitai"}})
		require.Equal(t, "open", taskState(r.inst, "county-organise"))
		eff := r.ok("10:00", "response.activated", "gov", m{"level": "III"})
		assert.Equal(t, []string{"county-organise", "office-guide", "working-group-IV@yjj", "working-group-IV@industry-authority"}, eff.Waived)
		task, _ := r.inst.Task("office-guide")
		assert.Equal(t, "响应级别由Ⅳ级应急响应调整为Ⅲ级应急响应，本任务只属于Ⅳ级应急响应，不再适用（4.2）", task.Reason)
		assert.Equal(t, workflow.ReasonLapsed, task.ReasonCode)
		assert.Equal(t, map[string]string{"from": "IV", "to": "III", "levels": "IV", "clause": "4.2"}, task.ReasonParams)
		assert.Equal(t, "open", taskState(r.inst, "site-rescue"), "4.4.4 the site HQ's tasks hold at every level")
		assert.Equal(t, "open", taskState(r.inst, "form-hq"), "4.4.1 (3) opens at Ⅲ")
	})
	t.Run("4.2 a lapse: reason without placeholders is followed by the change, by name", func(t *testing.T) {
		src, err := os.ReadFile(filepath.Join(planDir, "workflow.yaml"))
		require.NoError(t, err)
		edited := strings.Replace(string(src), "reason: 响应级别由{from}调整为{to}，本任务只属于{levels}，不再适用", "reason: 响应级别调整，不再适用", 1)
		require.NotEqual(t, string(src), edited)
		r := newRun(t, changji(t, []byte(edited)))
		r.ok("09:00", "report.received", "yjj", m{"via": "phone", "from": "local-emergency-bureau", "incident": m{"deaths": 3, "localities": []string{"qitai"}}})
		r.ok("09:30", "response.activated", "local-government", m{"level": "IV"})
		r.ok("10:00", "response.activated", "gov", m{"level": "III"})
		task, _ := r.inst.Task("office-guide")
		assert.Equal(t, "响应级别调整，不再适用（Ⅳ级应急响应 → Ⅲ级应急响应，本任务属Ⅳ级应急响应；4.2）", task.Reason)
	})
	t.Run("4.2 a decided de-escalation from Ⅲ to Ⅳ lapses the prefecture HQ's Ⅲ tasks", func(t *testing.T) {
		r := responding(t, "III", m{"deaths": 4})
		r.ok("11:00", "assessment.updated", "yjj", m{"incident": m{"deaths": 2}})
		eff := r.ok("11:10", "response.activated", "local-government", m{"level": "IV", "deescalate": true})
		assert.Contains(t, eff.Waived, "form-hq")
		assert.Contains(t, eff.Opened, "county-organise", "4.5 the county organises the Ⅳ response")
		assert.Equal(t, "open", taskState(r.inst, "site-rescue"))
	})
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
	assert.Empty(t, task.ReasonCode, "the reason is the event's own words")
	require.ErrorIs(t, r.try("10:05", "task.waived", "hq", m{"task": "liaise"}), workflow.ErrInvalidEvent, "a waiver needs its reason")
}

func TestRedeliveryIsANoOp(t *testing.T) {
	r := reported(t, nil)
	logged := r.inst.Log()[0]
	beijing, err := workflow.ParseTime("2025-10-15T11:00:00+08:00") // 09:00+06:00
	require.NoError(t, err)
	resent := workflow.Event{ID: logged.ID, Type: "report.received", Actor: "昌吉州应急管理局", OccurredAt: beijing, RecordedAt: at("09:30"),
		Data: m{"via": "phone", "from": "local-emergency-bureau", "incident": m{"deaths": 1, "localities": []string{"qitai"}}}}

	cases := []struct {
		name   string
		change func(*workflow.Event)
		diff   []string // the fields ErrDuplicateID names; nil for a no-op
	}{
		{"the logged event itself is a no-op", func(e *workflow.Event) { *e = logged }, nil},
		{"the same event by alias, in Beijing time, stamped again, is a no-op", func(*workflow.Event) {}, nil},
		{"3.2 another way of reporting under the same id is ErrDuplicateID naming data.via", func(e *workflow.Event) {
			e.Data = m{"via": "other", "from": "local-emergency-bureau", "incident": m{"deaths": 1, "localities": []string{"qitai"}}}
		}, []string{"data.via"}},
		{"other facts under the same id are ErrDuplicateID naming data.incident", func(e *workflow.Event) {
			e.Data = m{"via": "phone", "from": "local-emergency-bureau", "incident": m{"deaths": 3, "localities": []string{"qitai"}}}
		}, []string{"data.incident"}},
		{"a field left out is a difference", func(e *workflow.Event) {
			e.Data = m{"via": "phone", "incident": m{"deaths": 1, "localities": []string{"qitai"}}}
		},
			[]string{"data.from"}},
		{"another actor, another time and another type are all named", func(e *workflow.Event) {
			e.Type, e.Actor, e.OccurredAt = "report.written", "office", at("09:01")
		}, []string{"type", "occurredAt", "actor"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev := resent
			ev.Data = maps.Clone(resent.Data)
			tc.change(&ev)
			next, eff, err := r.def.Apply(t.Context(), r.inst, ev)
			assert.Equal(t, mustJSON(t, r.inst), mustJSON(t, next), "the instance is unchanged")
			if tc.diff == nil {
				require.NoError(t, err)
				assert.True(t, eff.Duplicate)
				return
			}
			require.ErrorIs(t, err, workflow.ErrDuplicateID)
			var de *workflow.DuplicateIDError
			require.ErrorAs(t, err, &de)
			var fields []string
			for _, d := range de.Differences {
				fields = append(fields, d.Field)
			}
			assert.Equal(t, tc.diff, fields)
			assert.Contains(t, err.Error(), tc.diff[0])
		})
	}
}

func TestRedeliveryOfACompletedTaskIsANoOp(t *testing.T) {
	r := responding(t, "IV", nil)
	r.ok("10:00", "task.completed", "site-hq", m{"task": "secondary-monitoring"})
	r.ok("10:05", "rescue.suspended", "site-hq", m{"reason": "secondary-accident-likely"})
	eff := r.ok("10:40", "task.completed", "site-hq", m{"task": "secondary-monitoring", "note": "已加强监测"})
	require.Equal(t, []string{"secondary-monitoring#2"}, eff.Done, "4.13 the open monitoring is the second")
	ev := r.inst.Log()[len(r.inst.Log())-1]
	ev.Data = m{"task": "secondary-monitoring", "note": "已加强监测"} // as the producer sent it
	next, eff, err := r.def.Apply(t.Context(), r.inst, ev)
	require.NoError(t, err, "the task is done now, yet the same event again is no error")
	assert.True(t, eff.Duplicate)
	assert.Equal(t, mustJSON(t, r.inst), mustJSON(t, next))
	ev.Data = m{"task": "form-hq"}
	_, _, err = r.def.Apply(t.Context(), r.inst, ev)
	require.ErrorIs(t, err, workflow.ErrDuplicateID)
	assert.Contains(t, err.Error(), "data.task")
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
	assert.True(t, next.Log()[len(next.Log())-1].Late)
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

func TestEventTimesOutsideTheSaneRangeAreRefused(t *testing.T) {
	year := func(y int) workflow.Time {
		return workflow.TimeOf(time.Date(y, 10, 15, 9, 0, 0, 0, time.FixedZone("", 6*3600)))
	}
	cases := []struct {
		name     string
		occurred workflow.Time
		recorded workflow.Time
		field    string
	}{
		{"issue 15 (5): an occurredAt in 2999 after recordedAt is refused, not read as 1829", year(2999), at("09:05"), "occurredAt"},
		{"a recordedAt in 2300 is refused", at("09:05"), year(2300), "recordedAt"},
		{"a time before 1900 is refused", year(1899), at("09:05"), "occurredAt"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := reported(t, nil)
			_, _, err := r.def.Apply(t.Context(), r.inst, workflow.Event{ID: "x", Type: "report.followup", Actor: "yjj",
				OccurredAt: tc.occurred, RecordedAt: tc.recorded})
			require.ErrorIs(t, err, workflow.ErrInvalidEvent)
			var ie *workflow.InvalidEventError
			require.ErrorAs(t, err, &ie)
			require.Len(t, ie.Fields, 1, "%v", err)
			assert.Equal(t, tc.field, ie.Fields[0].Field)
			assert.Contains(t, ie.Fields[0].Reason, "outside the years 1900–2200")
		})
	}
	_, err := workflow.ParseTime("2999-01-01T00:00:00+06:00")
	require.ErrorIs(t, err, workflow.ErrTimeRange)
	_, err = workflow.ParseTime("2200-12-31T23:59:59+06:00")
	require.NoError(t, err, "2200 itself is in range")
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

	again, err := r.def.Replay(t.Context(), r.inst.ID, r.inst.Log())
	require.NoError(t, err)
	// Instances are compared by their JSON: two equal instances may share
	// their history differently (see Instance).
	assert.Equal(t, mustJSON(t, r.inst), mustJSON(t, again), "the same log gives the same instance")

	b, err := json.Marshal(r.inst)
	require.NoError(t, err)
	var back workflow.Instance
	require.NoError(t, json.Unmarshal(b, &back))
	b2, err := json.Marshal(back)
	require.NoError(t, err)
	assert.Equal(t, string(b), string(b2), "JSON → Instance → JSON is byte for byte")

	// The decoded instance keeps working and replays to the same state.
	fromJSON, err := r.def.Replay(t.Context(), back.ID, back.Log())
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
	last := eff.Notices[len(eff.Notices)-1]
	assert.Equal(t, workflow.Notice{To: "qitai-gov", ToName: "奇台县人民政府", Clause: "4.5", Roster: true, Engaged: true}, last)
	r.ok("10:00", "report.followup", "yjj", nil)
	assert.Len(t, calls, 1, "the roster is asked only when the response level changes")
}

func TestRosterHookFailureIsAWarningInChinese(t *testing.T) {
	def := changji(t).WithRoster(workflow.RosterFunc(func(context.Context, string, []string, []string) ([]workflow.Recipient, error) {
		return nil, errors.New("roster: the contacts are being reloaded")
	}))
	r := newRun(t, def)
	r.ok("09:00", "report.received", "yjj", m{"via": "phone", "incident": m{"deaths": 1, "localities": []string{"qitai"}}})
	eff := r.ok("09:30", "response.activated", "local-government", m{"level": "IV"})
	require.Len(t, eff.Warnings, 1, "the event is accepted; the roster's failure is a warning")
	w := eff.Warnings[0]
	assert.Equal(t, workflow.CodeRosterFailed, w.Code)
	assert.Equal(t, "未能生成Ⅳ级应急响应名单，名单上的单位未列入本次报告与通知，请按预案核对", w.Message)
	assert.Equal(t, map[string]string{"response": "IV", "responseName": "Ⅳ级应急响应", "error": "roster: the contacts are being reloaded", "cause": diag.CodeInternal}, w.Params)
}

// Issue 13 (3): an event type that is not declared gets the suggestion
// (event types are names, not ranks) and the list of every declared type.
func TestUnknownEventListsTheTypesAndSuggestsOne(t *testing.T) {
	r := reported(t, nil)
	_, _, err := r.def.Apply(t.Context(), r.inst, workflow.Event{ID: "x", Type: "report.writen", Actor: "yjj", OccurredAt: at("09:05"), RecordedAt: at("09:05")})
	var ue *workflow.UnknownEventError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, r.def.Events()[0].ID, ue.Valid[0])
	assert.Len(t, ue.Valid, len(r.def.Events()))
	assert.Contains(t, err.Error(), `Did you mean "report.written"?`)
	assert.Contains(t, err.Error(), "The event types are warning.received, warning.issued, report.received, report.written,")
	ps := diag.ProblemsOf(err)
	require.Len(t, ps, 1)
	assert.Equal(t, workflow.CodeEventUnknown, ps[0].Code)
	assert.Equal(t, "report.written", ps[0].Params["suggestion"])
	assert.Contains(t, ps[0].Params["valid"], "incident.closed")
}

// Issue 13 (3): a task that its own event completes is not marked done by
// the generic completion: the event carries what the task asks for.
func TestTaskCompletedRefusesATaskWithItsOwnEvent(t *testing.T) {
	for _, tc := range []struct {
		name, task, actor, event string
		setup                    func(*run)
	}{
		{"3.2 15分钟内补报文字报告: done by the written report with its contents", "written-report", "local-emergency-bureau", "report.written",
			func(*run) {}},
		{"5.3 应急救援总结报告: done by the summary with its lessons and proposals", "summary-report", "site-hq", "review.submitted",
			func(r *run) {
				closeOut(r, "local-government")
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := responding(t, "IV", nil)
			if tc.task == "written-report" {
				r = reported(t, nil)
			}
			tc.setup(r)
			require.Equal(t, "open", taskState(r.inst, tc.task))
			err := r.try("14:00", "task.completed", tc.actor, m{"task": tc.task})
			require.ErrorIs(t, err, workflow.ErrInvalidEvent)
			ps := diag.ProblemsOf(err)
			require.Len(t, ps, 1)
			assert.Equal(t, workflow.CodeEventTaskHasEvent, ps[0].Code)
			assert.Equal(t, "data.task", ps[0].Field)
			assert.Equal(t, tc.event, ps[0].Params["events"])
			assert.Contains(t, ps[0].Message, "send "+tc.event+" instead of task.completed")
			assert.Equal(t, "open", taskState(r.inst, tc.task), "nothing marked done")
		})
	}
	t.Run("a task without its own event is still completed generically (4.4.1 form-hq)", func(t *testing.T) {
		r := responding(t, "III", m{"deaths": 4, "localities": []string{"qitai"}})
		eff := r.ok("10:00", "task.completed", "gov", m{"task": "form-hq"})
		assert.Contains(t, eff.Done, "form-hq")
	})
}
