package yingji_test

// Decree 493's reporting chain (《生产安全事故报告和调查处理条例》,
// 国务院令第493号, 第九条至第十三条) run as national-493's workflow, through
// the embedded plan and the drill runner. Expected values are typed from
// the articles:
//
//	第九条 …单位负责人接到报告后，应当于1小时内向事故发生地县级以上人民政府安全生产
//	监督管理部门和负有安全生产监督管理职责的有关部门报告。情况紧急时，事故现场有关人员
//	可以直接向……报告。
//	第十条 ……（一）特别重大事故、重大事故逐级上报至国务院……（二）较大事故逐级上报至
//	省、自治区、直辖市人民政府……（三）一般事故上报至设区的市级人民政府……必要时……可以
//	越级上报事故情况。
//	第十一条 ……逐级上报事故情况，每级上报的时间不得超过2小时。
//	第十二条 报告事故应当包括下列内容：（一）……（六）其他应当报告的情况。
//	第十三条 ……自事故发生之日起30日内，事故造成的伤亡人数发生变化的，应当及时补报。
//	道路交通事故、火灾事故自发生之日起7日内，事故造成的伤亡人数发生变化的，应当及时补报。

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/workflow"
	"github.com/yingji/yingji/workflow/drill"
)

var decree493Plan = sync.OnceValues(func() (*yingji.Plan, error) { return yingji.Embedded("national-493") })

func decree493(t testing.TB) *yingji.Plan {
	t.Helper()
	p, err := decree493Plan()
	require.NoError(t, err)
	require.NotNil(t, p.Workflow, "national-493 has a workflow")
	return p
}

// runDrill parses a scenario file and replays it on its plan's workflow.
func runDrill(t testing.TB, p *yingji.Plan, path string) *drill.Timeline {
	t.Helper()
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	dr, ds := drill.Parse(filepath.Base(path), src)
	require.False(t, ds.HasErrors(), "%s", ds.Error())
	require.Equal(t, p.ID(), dr.Plan)
	tl, err := drill.Run(context.Background(), p.Workflow, dr)
	require.NoError(t, err)
	for _, st := range tl.Steps {
		assert.True(t, st.AsExpected, "step %d %s: expected %s, got %s", st.N, st.Event, st.Expect, st.Error)
	}
	return tl
}

func flagNames(fs []workflow.Flag) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.Name+" "+f.Clause)
	}
	return out
}

// beijing is a time on the Beijing clock (UTC+8), China's standard time.
func beijing(t testing.TB, s string) workflow.Time {
	t.Helper()
	tm, err := time.Parse("2006-01-02 15:04", s)
	require.NoError(t, err)
	return workflow.TimeOf(time.Date(tm.Year(), tm.Month(), tm.Day(), tm.Hour(), tm.Minute(), 0, 0, time.FixedZone("UTC+8", 8*3600)))
}

var all12 = []string{"unit", "time-place", "course", "casualties", "measures", "other"}

// chain reports an accident of the given casualties from the site to the
// unit's head at 09:00 and from the head to both county departments at
// 09:30 (Xinjiang time, UTC+6).
func chain(t testing.TB, incident m, accidentType string) *drive {
	t.Helper()
	d := newDrive(t, decree493(t))
	d.ok("09:00", "report.received", "unit-head", m{"from": "on-site", "accidentType": accidentType, "incident": incident})
	d.ok("09:30", "report.received", "county-safety", m{"from": "unit-head", "contents": all12})
	d.ok("09:30", "report.received", "county-authority", m{"from": "unit-head", "contents": all12})
	return d
}

// ---- the drills ------------------------------------------------------------------

func TestDecree493DrillWithinTheWindowsReachesTheProvince(t *testing.T) {
	p := decree493(t)
	tl := runDrill(t, p, "examples/drills/national-493/within-windows.yaml")
	assert.Equal(t, "relatively-serious", tl.Level, "第三条（三）: 4 dead is 较大")
	assert.Empty(t, flagNames(tl.Flags), "every report in time and complete")
	due := map[string]string{}
	for _, st := range tl.Steps {
		for _, mk := range st.Deadlines {
			if mk.Kind == workflow.DeadlineSet {
				due[mk.Task] = mk.Due.String()
			}
			if mk.Kind != workflow.DeadlineSet {
				assert.Equal(t, workflow.DeadlineMet, mk.Kind, mk.Task)
			}
		}
	}
	// 第九条: 1 hour from the head's receiving the report at 09:05.
	assert.Equal(t, "2025-10-15T10:05:00+06:00", due["head-report-safety"])
	// 第十一条: 2 hours from each level's receiving it.
	assert.Equal(t, "2025-10-15T11:40:00+06:00", due["report-up@county-safety"])
	assert.Equal(t, "2025-10-15T13:20:00+06:00", due["report-up@municipal-safety"])
	// 第十条第一款（二）: 较大事故 ends at the province; it reports no further.
	_, further := due["report-up@provincial-safety"]
	assert.False(t, further)
	last := tl.Steps[len(tl.Steps)-3]
	assert.Equal(t, "provincial-safety", last.Actor)
	assert.Contains(t, last.Opened, "notify@provincial-safety")
	var told []string
	for _, n := range last.Notices {
		told = append(told, n.To)
	}
	assert.Equal(t, []string{"provincial-gov", "police", "labour", "union", "procuratorate"}, told,
		"第十条: 同时报告本级人民政府，并通知公安机关、劳动保障行政部门、工会和人民检察院")
	rejected := tl.Steps[5]
	assert.Equal(t, "level-by-level", rejected.Rejection, "第十条: 逐级上报; 越级 only 必要时")
}

func TestDecree493DrillAMissedWindowIsFlagged(t *testing.T) {
	tl := runDrill(t, decree493(t), "examples/drills/national-493/missed-window.yaml")
	assert.Equal(t, []string{"迟报 第十一条"}, flagNames(tl.Flags))
	require.Len(t, tl.Flags, 1)
	assert.Equal(t, "report-up@county-safety", tl.Flags[0].Task)
	for _, st := range tl.Steps {
		for _, mk := range st.Deadlines {
			if mk.Kind == workflow.DeadlineMissed {
				assert.Equal(t, "report-up@county-safety", mk.Task)
				assert.Equal(t, "2025-10-15T11:50:00+06:00", mk.Due.String(), "09:50 + 2 小时")
			}
		}
	}
}

func TestDecree493DrillSupplementOnDays29And31(t *testing.T) {
	tl := runDrill(t, decree493(t), "examples/drills/national-493/supplement-30-days.yaml")
	var day29, day31 *drill.TimelineStep
	for i, st := range tl.Steps {
		if st.Event == "report.supplemented" && day29 == nil {
			day29 = &tl.Steps[i]
		} else if st.Event == "report.supplemented" {
			day31 = &tl.Steps[i]
		}
	}
	require.NotNil(t, day29)
	require.NotNil(t, day31)
	assert.Empty(t, day29.Flags, "第 29 日: within 30 日")
	require.Len(t, day31.Flags, 1, "第 31 日: after 30 日")
	assert.Equal(t, "late-supplement", day31.Flags[0].ID)
	assert.Equal(t, "第十三条第二款", day31.Flags[0].Clause)
	assert.Contains(t, day31.Flags[0].Note, "30 日的期限至 2025-11-14 24:00 届满")
	assert.Equal(t, "closed", tl.Phase, "closed once the 30 days have passed")
	assert.Equal(t, "general", tl.Level)
}

func TestDecree493DrillRoadTrafficSupplementOnDay8(t *testing.T) {
	tl := runDrill(t, decree493(t), "examples/drills/national-493/road-traffic-7-days.yaml")
	var flagged []string
	for _, st := range tl.Steps {
		if st.Event == "report.supplemented" {
			flagged = append(flagged, st.OccurredAt.String()+" "+strings.Join(flagNames(st.Flags), "; "))
		}
	}
	assert.Equal(t, []string{
		"2025-10-21T09:00:00+06:00 ", // 第 6 日
		"2025-10-23T09:00:00+06:00 迟报（补报超过第十三条第二款的期限） 第十三条第二款", // 第 8 日: 道路交通事故 7 日
	}, flagged)
}

// ---- the articles, one by one -------------------------------------------------------

// 第九条第一款 单位负责人接到报告后，应当于1小时内……报告。
func TestDecree493Article9TheHeadWithinOneHour(t *testing.T) {
	for _, tc := range []struct {
		at   string
		late bool
	}{
		{"09:59", false},
		{"10:00", false}, // 于1小时内: the hour itself is in time
		{"10:01", true},
	} {
		t.Run("received at 09:00, reported at "+tc.at, func(t *testing.T) {
			d := newDrive(t, decree493(t))
			d.ok("09:00", "report.received", "unit-head", m{"from": "on-site", "incident": m{"deaths": 1}})
			eff := d.ok(tc.at, "report.received", "county-safety", m{"from": "unit-head", "contents": all12})
			assert.Contains(t, eff.Done, "head-report-safety")
			assert.Equal(t, tc.late, d.inst.HasFlag("late-report"))
			if tc.late {
				assert.Equal(t, "迟报 第九条第一款", flagNames(eff.Flags)[0])
			}
			assert.Equal(t, "open", d.state("head-report-authority"), "第九条: the 有关部门 too")
		})
	}
}

// 第九条第一款 事故现场有关人员应当立即向本单位负责人报告; 第二款 情况紧急时，事故现场
// 有关人员可以直接向……报告。
func TestDecree493Article9OnSitePersonnel(t *testing.T) {
	d := newDrive(t, decree493(t))
	assert.Equal(t, "on-site-direct-when-urgent",
		guard(t, d.try("09:00", "report.received", "county-safety", m{"from": "on-site"})))
	d.ok("09:00", "report.received", "county-safety", m{"from": "on-site", "urgent": true, "contents": all12})
	assert.Equal(t, "open", d.state("report-up@county-safety"))
	assert.Equal(t, "head-hears-from-site",
		guard(t, d.try("09:05", "report.received", "unit-head", m{"from": "county-safety"})))
}

// 第十条第一款 the level each grade is reported up to, and who is told.
func TestDecree493Article10TheEndOfTheChainByGrade(t *testing.T) {
	for _, tc := range []struct {
		name               string
		deaths             int
		municipal, provinc string // the task each level's 安全生产监督管理部门 gets
	}{
		{"（三）一般事故上报至设区的市级", 2, "notify@municipal-safety", "notify@provincial-safety"},
		{"（二）较大事故逐级上报至省级", 3, "report-up@municipal-safety", "notify@provincial-safety"},
		{"（一）重大事故逐级上报至国务院有关部门", 10, "report-up@municipal-safety", "report-up@provincial-safety"},
		{"（一）特别重大事故逐级上报至国务院有关部门", 30, "report-up@municipal-safety", "report-up@provincial-safety"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := chain(t, m{"deaths": tc.deaths}, "other")
			eff := d.ok("10:00", "report.received", "municipal-safety", m{"from": "county-safety", "contents": all12})
			assert.Equal(t, []string{tc.municipal}, eff.Opened)
			eff = d.ok("10:30", "report.received", "provincial-safety", m{"from": "municipal-safety", "contents": all12})
			assert.Equal(t, []string{tc.provinc}, eff.Opened)
		})
	}
	t.Run("第十条第二款 重大: the province's government and the State Council's departments report to 国务院 at once", func(t *testing.T) {
		d := chain(t, m{"deaths": 12}, "other")
		d.ok("10:00", "report.received", "municipal-safety", m{"from": "county-safety", "contents": all12})
		d.ok("10:30", "report.received", "provincial-safety", m{"from": "municipal-safety", "contents": all12})
		eff := d.ok("10:35", "report.received", "provincial-gov", m{"from": "provincial-safety", "contents": all12})
		assert.Equal(t, []string{"provincial-gov-report-state-council"}, eff.Opened)
		eff = d.ok("11:00", "report.received", "national-safety", m{"from": "provincial-safety", "contents": all12})
		assert.Equal(t, []string{"report-state-council@national-safety"}, eff.Opened)
		assert.Equal(t, []string{"state-council", "police", "labour", "union", "procuratorate"}, notified(eff))
		eff = d.ok("11:10", "report.received", "state-council", m{"from": "national-safety", "contents": all12})
		assert.Contains(t, eff.Done, "report-state-council@national-safety")
	})
	t.Run("第十条第三款 必要时越级上报", func(t *testing.T) {
		d := chain(t, m{"deaths": 4}, "other")
		assert.Equal(t, "level-by-level", guard(t, d.try("10:00", "report.received", "provincial-safety", m{"from": "county-safety", "contents": all12})))
		eff := d.ok("10:00", "report.received", "provincial-safety", m{"from": "county-safety", "skipsLevels": true, "contents": all12})
		assert.Contains(t, eff.Done, "report-up@county-safety", "第十一条: a report that skips a level meets the level's window")
	})
}

// 第十一条 每级上报的时间不得超过2小时。
func TestDecree493Article11EachLevelWithinTwoHours(t *testing.T) {
	for _, tc := range []struct {
		at   string
		late bool
	}{
		{"11:30", false}, // 09:30 + 2 小时
		{"11:31", true},
	} {
		t.Run("county received at 09:30, 设区的市 at "+tc.at, func(t *testing.T) {
			d := chain(t, m{"deaths": 1}, "other")
			task, _ := d.task("report-up@county-safety")
			require.NotNil(t, task.Due)
			assert.Equal(t, "2025-10-15T11:30:00+06:00", task.Due.String())
			eff := d.ok(tc.at, "report.received", "municipal-safety", m{"from": "county-safety", "contents": all12})
			assert.Contains(t, eff.Done, "report-up@county-safety")
			assert.Equal(t, tc.late, slices.Contains(flagNames(eff.Flags), "迟报 第十一条"))
		})
	}
}

// 第十二条 报告事故应当包括下列内容：（一）……（六）
func TestDecree493Article12TheSixItems(t *testing.T) {
	d := newDrive(t, decree493(t))
	eff := d.ok("09:00", "report.received", "unit-head", m{"from": "on-site"})
	assert.Empty(t, eff.Flags, "the word of the people on site to their head is not held to the list")
	eff = d.ok("09:20", "report.received", "county-safety", m{"from": "unit-head", "contents": []string{"unit", "time-place", "casualties", "measures"}})
	require.Len(t, eff.Flags, 1)
	assert.Equal(t, "incomplete-report", eff.Flags[0].ID)
	assert.Equal(t, "缺少：事故的简要经过、其他应当报告的情况", eff.Flags[0].Note, "（三） and （六）, by their labels")
	eff = d.ok("09:25", "report.received", "county-authority", m{"from": "unit-head"})
	require.Len(t, eff.Flags, 1)
	assert.Equal(t, "未列出第十二条的任何内容", eff.Flags[0].Note)
}

// 第十三条第二款 自事故发生之日起30日内 (7 日 for 道路交通事故、火灾事故). The day of
// the accident is not counted (民法典 第二百零一条) and a period ends at 24:00
// of its last day (第二百零三条), on 北京时间.
func TestDecree493Article13ThePeriodOfSupplements(t *testing.T) {
	for _, tc := range []struct {
		name, accidentType, at string
		late                   bool
	}{
		{"30 日: the last minute of day 30", "other", "2025-11-14 23:59", false},
		{"30 日: day 31", "other", "2025-11-15 00:01", true},
		{"道路交通事故 7 日: the last minute of day 7", "road-traffic", "2025-10-22 23:59", false},
		{"道路交通事故 7 日: day 8", "road-traffic", "2025-10-23 00:01", true},
		{"火灾事故 7 日: day 8", "fire", "2025-10-23 00:01", true},
		{"火灾事故 a new situation (第十三条第一款) has no period", "fire", "2025-12-01 09:00", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := chain(t, m{"deaths": 1}, tc.accidentType) // accident 2025-10-15 11:00 北京时间
			reason := "casualties-changed"
			if tc.name == "火灾事故 a new situation (第十三条第一款) has no period" {
				reason = "new-situation"
			}
			ev := d.event("09:40", "report.supplemented", "county-safety", m{"reason": reason, "incident": m{"deaths": 2}})
			ev.OccurredAt, ev.RecordedAt = beijing(t, tc.at), beijing(t, tc.at)
			next, eff, err := d.def.Apply(context.Background(), d.inst, ev)
			require.NoError(t, err)
			assert.Equal(t, tc.late, next.HasFlag("late-supplement"), "%v", eff.Flags)
		})
	}
	t.Run("第二十条第二款 read with 第十三条: a change of casualties after the period does not change the grade", func(t *testing.T) {
		for _, tc := range []struct {
			at    string
			level string
		}{
			{"2025-11-14 23:59", "relatively-serious"}, // 第三条（三）: 3 dead is 较大, within the 30 days
			{"2025-11-15 00:01", "general"},            // after them: recorded, flagged, the grade stays 一般
		} {
			d := chain(t, m{"deaths": 1}, "other")
			ev := d.event("09:40", "report.supplemented", "county-safety", m{"reason": "casualties-changed", "incident": m{"deaths": 3}})
			ev.OccurredAt, ev.RecordedAt = beijing(t, tc.at), beijing(t, tc.at)
			next, _, err := d.def.Apply(context.Background(), d.inst, ev)
			require.NoError(t, err)
			assert.Equal(t, tc.level, next.Level, tc.at)
		}
	})
	t.Run("a 补报 that raises the grade sends the report further up, within 2 hours", func(t *testing.T) {
		d := chain(t, m{"deaths": 1}, "other")
		d.ok("10:00", "report.received", "municipal-safety", m{"from": "county-safety", "contents": all12})
		require.Equal(t, "open", d.state("notify@municipal-safety"), "一般: the chain ends at 设区的市")
		eff := d.ok("+3d 09:00", "report.supplemented", "county-safety", m{"reason": "casualties-changed", "incident": m{"deaths": 3}})
		assert.Equal(t, "relatively-serious", d.inst.Level, "第三条（三）")
		assert.Contains(t, eff.Opened, "report-up@municipal-safety", "第十条（二）: 较大 goes to the province")
		task, _ := d.task("report-up@municipal-safety")
		assert.Equal(t, "2025-10-18T11:00:00+06:00", task.Due.String())
	})
}
