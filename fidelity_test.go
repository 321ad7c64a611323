package yingji_test

// Fidelity tests (issue 13): each reading of the Changji plan that a
// review found wrong, pinned with values typed from the text
// (seeds/000_87005105312660d1.txt), through the public API only: the
// embedded plan (yingji.Default), its orgchart's rosters and its workflow.
// Test names cite the clause; the comments quote the sentence.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/orgchart"
	"github.com/yingji/yingji/workflow"
)

var changjiPlan = sync.OnceValues(func() (*yingji.Plan, error) { return yingji.Default() })

func changji(t testing.TB) *yingji.Plan {
	t.Helper()
	p, err := changjiPlan()
	require.NoError(t, err)
	require.NotNil(t, p.Orgchart)
	require.NotNil(t, p.Workflow)
	return p
}

// roster activates the Changji orgchart for an incident.
func roster(t testing.TB, response string, industries, localities []string) orgchart.Roster {
	t.Helper()
	r, err := changji(t).Orgchart.Activate(context.Background(), orgchart.Activation{Industries: industries, Localities: localities, Response: response})
	require.NoError(t, err)
	return r
}

// notice is the notification to id on r, if any.
func notice(r orgchart.Roster, id string) (orgchart.Notification, bool) {
	i := slices.IndexFunc(r.Notifications, func(n orgchart.Notification) bool { return n.To == id })
	if i < 0 {
		return orgchart.Notification{}, false
	}
	return r.Notifications[i], true
}

// notesOf are the lint's interpretation notes, the to-do list for the
// next revision.
func notesOf(t testing.TB, p *yingji.Plan) diag.Diagnostics {
	t.Helper()
	var out diag.Diagnostics
	for _, d := range p.Lint() {
		if d.Severity == diag.Info && strings.HasSuffix(d.Code, "interpretation") {
			out = append(out, d)
		}
	}
	require.NotEmpty(t, out)
	return out
}

// hasNote reports whether a note beside clause starts with prefix (the
// summary quotes the note's first words).
func hasNote(notes diag.Diagnostics, clause, prefix string) bool {
	return slices.ContainsFunc(notes, func(d diag.Diagnostic) bool {
		return d.Clause == clause && strings.Contains(d.Summary, prefix)
	})
}

// ---- the workflow, driven through the plan's definition -------------------

// drive applies events to one instance of a plan's workflow on a test day
// in Xinjiang time (UTC+6).
type drive struct {
	t    testing.TB
	def  *workflow.Definition
	inst workflow.Instance
	n    int
	day  time.Time
}

func newDrive(t testing.TB, p *yingji.Plan) *drive {
	t.Helper()
	require.NotNil(t, p.Workflow)
	day := time.Date(2025, 10, 15, 0, 0, 0, 0, time.FixedZone("UTC+6", 6*3600))
	return &drive{t: t, def: p.Workflow, inst: p.Workflow.Start("fidelity"), day: day}
}

// at is "HH:MM" on the test day, or "+Nd HH:MM" N days later.
func (d *drive) at(when string) workflow.Time {
	d.t.Helper()
	day := d.day
	if strings.HasPrefix(when, "+") {
		var n int
		var hhmm string
		_, err := fmt.Sscanf(when, "+%dd %s", &n, &hhmm)
		require.NoError(d.t, err)
		day, when = day.AddDate(0, 0, n), hhmm
	}
	hm, err := time.Parse("15:04", when)
	require.NoError(d.t, err)
	return workflow.TimeOf(day.Add(time.Duration(hm.Hour())*time.Hour + time.Duration(hm.Minute())*time.Minute))
}

func (d *drive) event(when, typ, actor string, data map[string]any) workflow.Event {
	d.n++
	at := d.at(when)
	return workflow.Event{ID: "f" + strings.Repeat("0", 3-len(itoa(d.n))) + itoa(d.n), Type: typ, Actor: actor, OccurredAt: at, RecordedAt: at, Data: data}
}

// ok applies an event that must be accepted.
func (d *drive) ok(when, typ, actor string, data map[string]any) workflow.Effects {
	d.t.Helper()
	next, eff, err := d.def.Apply(context.Background(), d.inst, d.event(when, typ, actor, data))
	require.NoError(d.t, err, "%s by %s at %s", typ, actor, when)
	d.inst = next
	return eff
}

// try applies an event and returns why it was rejected, or nil.
func (d *drive) try(when, typ, actor string, data map[string]any) error {
	d.t.Helper()
	next, _, err := d.def.Apply(context.Background(), d.inst, d.event(when, typ, actor, data))
	if err == nil {
		d.inst = next
	}
	return err
}

// guard is the id of the guard that rejected err.
func guard(t testing.TB, err error) string {
	t.Helper()
	require.ErrorIs(t, err, workflow.ErrGuardRejected)
	var ge *workflow.GuardError
	require.ErrorAs(t, err, &ge)
	return ge.Guard
}

func (d *drive) task(id string) (workflow.Task, bool) { return d.inst.Task(id) }

func (d *drive) state(id string) string {
	if t, ok := d.inst.Task(id); ok {
		return t.State.String()
	}
	return "absent"
}

type m = map[string]any

var allItems = []string{"reporter", "type", "situation", "outlook", "support"}

// responding brings a Changji instance to a response at level, activated
// by the body 4.2 names.
func responding(t testing.TB, level string, incident m) *drive {
	t.Helper()
	d := newDrive(t, changji(t))
	if incident == nil {
		incident = m{"deaths": 1, "localities": []string{"qitai"}}
	}
	d.ok("09:00", "report.received", "yjj", m{"via": "phone", "from": "local-emergency-bureau", "incident": incident})
	d.ok("09:10", "report.written", "yjj", m{"contents": allItems})
	actor := map[string]string{"I": "xj-hq", "II": "xj-hq", "III": "gov", "IV": "local-government"}[level]
	d.ok("09:30", "response.activated", actor, m{"level": level})
	require.Equal(t, "responding", d.inst.Phase)
	return d
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// ---- item 1: the readings ---------------------------------------------------

// 2.1 主要成员单位：……昌吉武警支队、昌吉军分区、…… — members with no condition;
// "根据有关县市（园区）、部门的请求" is their duty (2.3 (23)–(24)).
func TestClause21ArmedPoliceAndMilitaryAreMembersOutright(t *testing.T) {
	c := changji(t).Orgchart
	hq, ok := c.Unit("昌吉州指挥部")
	require.True(t, ok)
	for _, id := range []string{"armed-police", "military"} {
		i := slices.IndexFunc(hq.Members, func(mb orgchart.Member) bool { return mb.Ref == id })
		require.GreaterOrEqual(t, i, 0, id)
		assert.Empty(t, hq.Members[i].Condition, "2.1 lists %s without condition", id)
	}
	t.Run("4.4.2 (2) 立即通知成员单位: they are told without condition", func(t *testing.T) {
		r := roster(t, "III", []string{"危险化学品"}, []string{"阜康市"})
		for _, id := range []string{"military", "armed-police"} {
			n, ok := notice(r, id)
			require.True(t, ok, id)
			assert.Equal(t, "4.4.2 (2)", n.Clause)
			assert.Empty(t, n.Condition, "%s is told as every member is", id)
		}
	})
	t.Run("2.3 (23)–(24), 4.4.1 (6): what they do stays conditional", func(t *testing.T) {
		r := roster(t, "III", []string{"危险化学品"}, []string{"阜康市"})
		for _, id := range []string{"military", "armed-police"} {
			e, ok := r.Entry(id)
			require.True(t, ok)
			assert.Equal(t, orgchart.Engage, e.Involvement)
			assert.True(t, e.Conditional, "4.4.1 (6) 必要时请求昌吉州人民政府协调昌吉军分区、武警昌吉支队")
			u, _ := c.Unit(id)
			assert.Equal(t, "根据有关县市（园区）、部门的请求", u.Duties[0].Condition)
		}
	})
}

// 3.2 事故发生地县市（园区）应急管理部门……接到报告后，应及时上报昌吉州应急管理局和行业主管部门
func TestClause32CountyBureauReportsToTheBureauAndTheTradesDepartment(t *testing.T) {
	r := roster(t, "IV", []string{"道路交通"}, []string{"昌吉市"})
	for _, tc := range []struct{ id, name string }{
		{"yjj", "昌吉州应急管理局"},
		{"police", "昌吉州公安局"}, // 2.3 (4) 道路交通事故: the trade's department
	} {
		n, ok := notice(r, tc.id)
		require.True(t, ok, tc.name)
		assert.Equal(t, tc.name, n.Name)
		assert.Equal(t, "3.2", n.Clause)
		assert.Equal(t, "昌吉市应急管理局", n.ByName, "the county bureau reports up, not the enterprise")
	}
	t.Run("workflow and orgchart agree", func(t *testing.T) {
		d := newDrive(t, changji(t))
		eff := d.ok("09:00", "report.received", "local-emergency-bureau", m{"via": "phone", "from": "accident-unit"})
		require.Contains(t, eff.Opened, "report-up")
		var to []string
		for _, n := range eff.Notices {
			to = append(to, n.To)
		}
		assert.Equal(t, []string{"yjj", "industry-authority"}, to)
	})
}

// 3.2 单位负责人接到报告后，应当立即报告事故发生地县市（园区）应急管理部门和负有生产安全
// 监督管理职责的部门，同时报告本级人民政府。
func TestClause32EnterpriseReportsToTheCountyNotThePrefecture(t *testing.T) {
	r := roster(t, "IV", []string{"道路交通"}, []string{"昌吉市"})
	var byEnterprise []string
	for _, n := range r.Notifications {
		if n.ByName == "事故发生单位" {
			byEnterprise = append(byEnterprise, n.Name)
			assert.Equal(t, "3.2", n.Clause)
		}
	}
	assert.Equal(t, []string{"昌吉市应急管理局", "昌吉市负有安全生产监督管理职责的部门", "昌吉市人民政府"}, byEnterprise)
	e, ok := r.Entry("local-industry-authority@changji-city")
	require.True(t, ok)
	assert.Equal(t, "changji-city", e.Locality)
	t.Run("3.2 writes the department two ways; both names find one", func(t *testing.T) {
		c := changji(t).Orgchart
		a, ok := c.Placeholder("事故发生地县市（园区）负有生产安全监督管理职责的部门")
		require.True(t, ok)
		b, ok := c.Placeholder("事故发生地县市（园区）负有安全生产监督管理职责的部门")
		require.True(t, ok)
		assert.Equal(t, a.ID, b.ID)
	})
}

// 4.2 特别重大生产安全事故、重大生产安全事故由自治区指挥部决定启动Ⅰ级、Ⅱ级应急响应程序。
// 4.3 启动Ⅰ级、Ⅱ级响应时，自治区指挥部或国务院委托相关部门启动应急预案 — it starts a
// plan once the response is decided; it does not decide it.
func TestClause42OnlyTheRegionsHQDecidesIAndII(t *testing.T) {
	g := changji(t).Grading
	for _, id := range []string{"especially-serious", "serious"} {
		l, ok := g.Level(id)
		require.True(t, ok)
		assert.Equal(t, []string{"自治区指挥部"}, l.Authority.Bodies, id)
		assert.Contains(t, l.Authority.Text, "由自治区指挥部决定启动Ⅰ级、Ⅱ级应急响应程序")
	}
}

// 2.3 (12) 负责组织协调直接监管企业的生产安全事故应急救援 — not "国资委直接监管企业", not
// "州属国有企业"; 2.3 (9) 电力生产安全事故, not "power generation".
func TestClause23TheTextsOwnWordsForItsTrades(t *testing.T) {
	c := changji(t).Orgchart
	in, ok := c.Industry("直接监管企业")
	require.True(t, ok)
	assert.Equal(t, "直接监管企业", in.Name)
	assert.Empty(t, in.Aliases)
	for _, name := range []string{"国资委直接监管企业", "州属国有企业"} {
		_, ok := c.Industry(name)
		assert.False(t, ok, "%s is not the text's word", name)
	}
	for _, row := range changji(t).Manifest.Clauses {
		assert.NotContains(t, row.What, "power generation", row.Clause)
		if row.Clause == "2.3 (9)" {
			assert.Contains(t, row.What, "电力生产")
		}
	}
}

// ---- item 2: the text's defects, recorded as interpretations ------------------

func TestTheTextsDefectsAreListedAsInterpretations(t *testing.T) {
	notes := notesOf(t, changji(t))
	for _, tc := range []struct{ name, clause, prefix string }{
		{"2.2 (1) 承担全州安全生产应急管理工作的。 is truncated", "2.2 (1)", "The item is truncated"},
		{"2.3 (20) 根据气象监测和灾害性天气预报预警等技术支持。 has no verb", "2.3 (20)", "The item has no verb"},
		{"附件 8.3 II 级: the first item has no (1)", "1.5 重大 (1)", "In 附件 8.3 the II 级 row's first item has no"},
		{"紧急转移 (1.3 (1), 重大 (3)) and 紧急转移安置 (特别重大 (2), 较大 (2)) are one input", "1.5", "The text writes two things: 紧急转移"},
		{"附件 8.3 备注 本节 against 1.5 本预案", "1.3", "1.3's thresholds are read under the convention"},
		{"3.2 负有生产安全… and 负有安全生产监督管理职责的部门", "2.1", "2.1, 3.2 and 4.5 name the trade's 主管部门"},
		{"3.2 the county trade department", "3.2", "3.2 has the enterprise report to the county/city"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.True(t, hasNote(notes, tc.clause, tc.prefix), "no note at %s starting %q", tc.clause, tc.prefix)
		})
	}
}

// 4.2 较大生产安全事故由昌吉州人民政府或者自治区有关部门决定启动Ⅲ级应急响应程序。
// 2.1 (1) [昌吉州指挥部] 负责下达启动和终止本预案应急响应程序的命令。
// 4.4.1 (3) 立即成立昌吉州指挥部，同时启动预案
func TestClause42And211WhoDecidesIIIAndWhoOrdersItsStart(t *testing.T) {
	for _, tc := range []struct {
		name, actor, guard string
	}{
		{"4.2 昌吉州人民政府 decides", "gov", ""},
		{"4.2 自治区有关部门 (自治区应急管理厅) decides", "xj-yjt", ""},
		{"2.1 (1) 昌吉州指挥部 orders the start but does not decide it", "hq", "authority-III"},
		{"4.2 自治区指挥部 is not an 自治区有关部门", "xj-hq", "authority-III"},
		{"4.2 a county government does not decide Ⅲ", "local-government", "authority-III"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDrive(t, changji(t))
			d.ok("09:00", "report.received", "yjj", m{"via": "phone", "incident": m{"deaths": 4}})
			err := d.try("09:30", "response.activated", tc.actor, m{"level": "III"})
			if tc.guard != "" {
				assert.Equal(t, tc.guard, guard(t, err))
				return
			}
			require.NoError(t, err)
			order, ok := d.task("order-start")
			require.True(t, ok, "2.1 (1) the decision opens the HQ's order")
			assert.Equal(t, "hq", order.Assignee)
			assert.Equal(t, workflow.TaskOpen, order.State)
		})
	}
}

// 2.1 昌吉州人民政府成立昌吉州生产安全事故应急救援指挥部 — the government forms the
// HQ; the HQ does not form itself.
func TestClause21TheGovernmentFormsTheHQ(t *testing.T) {
	d := responding(t, "III", m{"deaths": 4})
	form, ok := d.task("form-hq")
	require.True(t, ok)
	assert.Equal(t, "gov", form.Assignee)
	hq, _ := changji(t).Orgchart.Unit("hq")
	assert.Equal(t, []string{"gov"}, refsOf(hq.FormedBy), "orgchart.yaml agrees")
	d.ok("09:40", "task.completed", "gov", m{"task": "form-hq", "note": "昌吉州指挥部已成立"})
	assert.Equal(t, "done", d.state("form-hq"))
}

func refsOf(ms []orgchart.Member) []string {
	var out []string
	for _, mb := range ms {
		out = append(out, mb.Ref)
	}
	return out
}

// 3.1 第一段 对可能引发的较大事故的险情，或者其他灾害、灾难可能引发生产安全事故的重要信息
// 应及时上报昌吉州指挥部办公室 — with no "事态严重时" (3.3's condition).
// 3.1 第二段 同级生产安全事故应急救援指挥部办公室应当及时分析处理，并按照分级管理的程序
// 逐级上报，紧急情况下，可越级报告。
func TestClause31HazardsGoToTheOfficeUnconditionally(t *testing.T) {
	t.Run("3.1 第一段 a 险情 that may cause a 较大 accident, not 事态严重", func(t *testing.T) {
		d := newDrive(t, changji(t))
		eff := d.ok("08:00", "warning.received", "local-government", m{"source": "重大危险源在线监控", "kind": "major-hazard", "mayCause": "较大"})
		assert.Contains(t, eff.Opened, "hazard-to-office")
		assert.NotContains(t, eff.Opened, "warning-to-office", "3.3 is for 事态严重时 only")
		task, _ := d.task("hazard-to-office")
		assert.Equal(t, "local-government", task.Assignee)
		assert.Empty(t, task.Conditional)
		assert.Contains(t, notified(eff), "office")
	})
	t.Run("3.1 第一段 a 险情 that may cause a 一般 accident stays with the locality", func(t *testing.T) {
		d := newDrive(t, changji(t))
		eff := d.ok("08:00", "warning.received", "local-government", m{"source": "巡查", "kind": "major-hazard", "mayCause": "一般"})
		assert.NotContains(t, eff.Opened, "hazard-to-office")
	})
	t.Run("3.1 第二段 a natural disaster's information: the office analyses it and reports up", func(t *testing.T) {
		d := newDrive(t, changji(t))
		eff := d.ok("08:00", "warning.received", "local-government", m{"source": "州气象局暴雨红色预警", "kind": "disaster", "skipsLevels": true})
		assert.Contains(t, eff.Opened, "hazard-to-office")
		assert.Contains(t, eff.Opened, "disaster-analysis")
		task, _ := d.task("disaster-analysis")
		assert.Equal(t, "office", task.Assignee)
		assert.Equal(t, "3.1 第二段", task.Clause)
		assert.Contains(t, notified(eff), "xj-yjt")
	})
}

func notified(eff workflow.Effects) []string {
	var out []string
	for _, n := range eff.Notices {
		out = append(out, n.To)
	}
	return out
}

// 4.6 发现可能直接危及应急救援人员生命安全的紧急情况时，现场指挥人员或应急救援队伍指挥员
// 应当立即组织应急救援人员撤离现场。
func TestClause46WithdrawalDoesNotWaitForASuspension(t *testing.T) {
	d := responding(t, "III", m{"deaths": 4})
	task, ok := d.task("withdraw-rescuers")
	require.True(t, ok, "open from the start of the response, before any 4.15 suspension")
	assert.Equal(t, workflow.TaskOpen, task.State)
	assert.Equal(t, "rescue-teams", task.Assignee)
	assert.Equal(t, "发现可能直接危及应急救援人员生命安全的紧急情况时", task.Conditional)
	assert.Equal(t, "responding", d.inst.Phase, "no suspension")
	t.Run("the team's commander withdraws at once", func(t *testing.T) {
		d.ok("10:00", "task.completed", "rescue-teams", m{"task": "withdraw-rescuers", "note": "可燃气体浓度骤升，已撤离"})
		assert.Equal(t, "done", d.state("withdraw-rescuers"))
		assert.Equal(t, "responding", d.inst.Phase)
	})
	t.Run("or 现场指挥人员 of the site HQ", func(t *testing.T) {
		s := responding(t, "IV", nil)
		s.ok("10:00", "task.completed", "site-hq", m{"task": "withdraw-rescuers"})
		assert.Equal(t, "done", s.state("withdraw-rescuers"))
	})
}

// 4.15 在经专家组讨论并做好相关工作的基础上，现场应急救援指挥部提出终止救援的意见，报本级
// 人民政府批准。 — the discussion is the condition, not the experts' agreement.
func TestClause415TheExpertsDiscussTheSiteHQProposes(t *testing.T) {
	t.Run("no proposal before the discussion", func(t *testing.T) {
		d := responding(t, "IV", nil)
		assert.Equal(t, "experts-discussed", guard(t, d.try("12:00", "termination.proposed", "site-hq", m{"reason": "rescue-complete"})))
	})
	t.Run("a proposal against a conclusion to continue stands, flagged for the approving government", func(t *testing.T) {
		d := responding(t, "IV", nil)
		d.ok("11:50", "experts.reviewed", "experts-group", m{"conclusion": "continue"})
		eff := d.ok("12:00", "termination.proposed", "site-hq", m{"reason": "rescue-impossible"})
		require.Len(t, eff.Flags, 1)
		assert.Equal(t, "终止救援意见与专家组讨论结论不一致", eff.Flags[0].Name)
		d.ok("12:10", "termination.approved", "local-government", nil)
		assert.Equal(t, "rescue-ended", d.inst.Phase)
	})
	t.Run("a later conclusion to continue sends the proposal back", func(t *testing.T) {
		d := responding(t, "IV", nil)
		d.ok("11:50", "experts.reviewed", "experts-group", m{"conclusion": "terminate"})
		d.ok("12:00", "termination.proposed", "site-hq", m{"reason": "rescue-complete"})
		eff := d.ok("12:05", "experts.reviewed", "experts-group", m{"conclusion": "continue", "note": "仍有 1 人失联，具备搜救条件"})
		require.Len(t, eff.Flags, 1)
		assert.Equal(t, "proposal-reexamined", eff.Flags[0].ID)
		assert.Equal(t, "proposal-first", guard(t, d.try("12:10", "termination.approved", "local-government", nil)),
			"the earlier proposal does not stand unexamined")
		d.ok("14:00", "termination.proposed", "site-hq", m{"reason": "rescue-complete"})
		d.ok("14:10", "termination.approved", "local-government", nil)
		assert.Equal(t, "rescue-ended", d.inst.Phase)
	})
}

// 4.9 事故发生地人民政府应急管理部门组织调动本行政区域内社会力量参与应急救援工作。超出其处置
// 能力时，昌吉州指挥部协调有关县市人民政府（园区管委会）、昌吉州有关部门组织社会力量进行支援。
func TestClause49SocialForcesAtEveryLevel(t *testing.T) {
	d := responding(t, "IV", nil)
	local, ok := d.task("social-forces")
	require.True(t, ok)
	assert.Equal(t, "local-emergency-bureau", local.Assignee)
	assert.Empty(t, local.Conditional, "4.9 sets no condition; 根据需要 is 6.10's")
	support, ok := d.task("social-forces-support")
	require.True(t, ok, "4.9 sets no response level")
	assert.Equal(t, "hq", support.Assignee)
	assert.Equal(t, "超出事发地处置能力时", support.Conditional)
}

// 4.4.5 中央驻昌企业发生生产安全事故时，其总部应全力调动相关资源，有效开展应急救援工作。
func TestClause445TheCentralEnterprisesHeadquarters(t *testing.T) {
	d := newDrive(t, changji(t))
	d.ok("09:00", "report.received", "yjj", m{"via": "phone"})
	task, ok := d.task("central-enterprise-hq")
	require.True(t, ok)
	assert.Equal(t, "enterprise-hq", task.Assignee, "其总部, not the unit where it happened")
	assert.Equal(t, "中央驻昌企业发生生产安全事故时", task.Conditional)
	ph, ok := changji(t).Orgchart.Placeholder("中央驻昌企业总部")
	require.True(t, ok)
	assert.Equal(t, "enterprise-hq", ph.ID)
}

// 4.5 昌吉州应急管理局和负有安全生产监督管理职责的有关部门根据需要派出事故现场工作组
func TestClause45TheWorkingGroupIsSentByBoth(t *testing.T) {
	d := responding(t, "IV", nil)
	var senders []string
	for _, id := range []string{"working-group-IV@yjj", "working-group-IV@industry-authority"} {
		task, ok := d.task(id)
		require.True(t, ok, id)
		senders = append(senders, task.Assignee)
		assert.Equal(t, "根据需要", task.Conditional)
	}
	assert.Equal(t, []string{"yjj", "industry-authority"}, senders)
}

// 5.2 安全生产事故发生后，保险机构及时开展应急救援人员保险受理和受灾人员保险的理赔工作。
func TestClause52InsuranceIsTheInsurersFromTheAccidentOn(t *testing.T) {
	d := newDrive(t, changji(t))
	eff := d.ok("09:00", "report.received", "yjj", m{"via": "phone", "incident": m{"deaths": 1}})
	assert.Contains(t, eff.Opened, "insurance", "安全生产事故发生后, not at the end of the response")
	task, _ := d.task("insurance")
	assert.Equal(t, "insurers", task.Assignee)
	ph, ok := changji(t).Orgchart.Placeholder("保险机构")
	require.True(t, ok)
	assert.Equal(t, "insurers", ph.ID)
}

// 5.3 应急救援结束后，现场应急救援指挥部……完成应急救援总结报告并及时上报。
func TestClause53TheSummaryIsDueWhenTheRescueEnds(t *testing.T) {
	d := responding(t, "IV", nil)
	d.ok("12:00", "experts.reviewed", "experts-group", m{"conclusion": "terminate"})
	d.ok("12:10", "termination.proposed", "site-hq", m{"reason": "rescue-complete"})
	eff := d.ok("12:20", "termination.approved", "local-government", nil)
	assert.Contains(t, eff.Opened, "summary-report", "4.15 救援终止 is 应急救援结束")
	summary := m{"report": "总结报告", "lessons": "先期处置迅速", "proposals": "加强企业应急演练"}
	t.Run("submitted before the response ends and before the aftermath", func(t *testing.T) {
		eff := d.ok("18:00", "review.submitted", "site-hq", summary)
		assert.Contains(t, eff.Done, "summary-report")
		assert.Equal(t, "rescue-ended", d.inst.Phase, "the summary does not end the response")
	})
	t.Run("the incident closes, by its own step, once the aftermath is done too", func(t *testing.T) {
		d.ok("18:30", "response.ended", "local-government", nil)
		eff := d.ok("+1d 10:00", "aftermath.completed", "local-government", m{"summary": "善后处置完成"})
		assert.Contains(t, eff.Done, "aftermath")
		assert.Equal(t, "recovery", d.inst.Phase)
		d.ok("+1d 10:30", "incident.closed", "local-government", nil)
		assert.Equal(t, "closed", d.inst.Phase)
	})
}

// 2.1 (1) 负责下达启动和终止本预案应急响应程序的命令。 — the guard quotes the text, not a
// sentence the text does not have.
func TestClause211TheGuardQuotesTheText(t *testing.T) {
	for _, e := range changji(t).Workflow.Events() {
		for _, g := range e.Guards {
			assert.NotContains(t, g.Text, "昌吉州指挥部负责下达", "%s/%s", e.ID, g.ID)
		}
	}
}

// The sentences a review found missing (issue 13, item 1.15), typed from
// the text: each is now carried, with its clause, by some item of the plan.
func TestMissingTextIsCarried(t *testing.T) {
	p := changji(t)
	var all strings.Builder
	for _, src := range p.Sources {
		all.Write(src)
	}
	// YAML folds long lines; compare without the line breaks and indents.
	text := strings.Join(strings.Fields(all.String()), "")
	for _, tc := range []struct{ clause, sentence string }{
		{"4.7 (1)", "决定应急状态下群众疏散、转移和安置的方式、范围、路线、程序。"},
		{"4.7 (2)", "指定有关部门负责实施疏散、转移。"},
		{"4.7 (3)", "启用应急避难场所。"},
		{"4.7 (4)", "实施医疗救治、疾病预防和控制工作。"},
		{"4.7 (5)", "负责实施治安管理。"},
		{"4.7", "企业应当与当地政府、社区建立应急互动机制，确定保护群众安全需要采取的防护措施。"},
		{"4.4.5 ¶1", "启动Ⅲ级及以上响应程序后，昌吉州有关部门立即按照各自预案组织相关应急救援力量，配合事故发生地人民政府组织实施应急救援。"},
		{"4.4.5 ¶3", "事发单位和先期到达的应急救援队伍必须迅速、有效地实施先期处置"},
		{"4.4.5 ¶3", "事故灾难发生地人民政府负责协调，全力控制事故发展态势，防止次生、衍生和耦合事故（事件）发生，果断控制或切断事故灾害链。"},
		{"4.4.3 ¶2", "昌吉州相关部门启动的部门生产安全应急预案作为本预案子预案，其部门应急预案的应急救援指挥系统作为昌吉州指挥部的子系统。"},
		{"2.3 末段 第一段", "昌吉州指挥部各成员单位按照职责履行本部门的生产安全事故应急救援和保障方面的职责，负责制定并实施有关应急预案。"},
		{"4.6", "在处置突发生产安全事故时，应当对事故发生地现场的安全情况进行科学评估，保障现场救援人员的人身安全。"},
		{"4.6", "现场救援人员应根据需要携带相应的专业防护装备，采取安全防护措施，严格执行救援人员进入和离开事故现场的相关规定。"},
		{"6.3 ¶3", "鼓励具有专业应急救援能力的第三方机构参与生产安全事故应急救援。"},
		{"6.8 储备制度", "应当建立应急救援设施、设备、救治药品和医疗器械等储备制度，储备必要的应急物资和装备。"},
		{"6.8 代储", "鼓励企业、社会组织自储、代储应急物资，健全应急物资的维护、补充、更新、调运机制。"},
		{"6.12", "要充分利用安全生产技术支撑体系的专家和机构，研究安全生产应急救援重大问题。"},
	} {
		t.Run(tc.clause, func(t *testing.T) {
			assert.Contains(t, text, tc.sentence)
		})
	}
}
