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
	"github.com/yingji/yingji/analysis"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/orgchart"
	"github.com/yingji/yingji/workflow"
)

var changjiPlan = sync.OnceValues(yingji.Default)

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
	for _, d := range analysis.Lint(p) {
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
		assert.Equal(t, "昌吉市应急管理局", n.By, "the county bureau reports up, not the enterprise")
	}
	t.Run("workflow and orgchart agree", func(t *testing.T) {
		d := newDrive(t, changji(t))
		eff := d.ok("09:00", "report.received", "local-emergency-bureau", m{"via": "phone", "from": "accident-unit"})
		require.Contains(t, eff.Opened, "report-up")
		var to []string
		for _, n := range eff.Notifications {
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
		if n.By == "事故发生单位" {
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
