package drill_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/golden"
	"github.com/yingji/yingji/workflow"
	"github.com/yingji/yingji/workflow/drill"
)

var testRef = workflow.PlanRef{ID: "changji-2025", Revision: "2025-09-24", Hash: "sha256:test"}

var (
	defOnce sync.Once
	def     *workflow.Definition
	defErr  error
)

// changji is the default plan's workflow without its roster hook, bound to
// a fixed plan reference so that the golden files do not follow the
// plan's content hash.
func changji(t testing.TB) *workflow.Definition {
	t.Helper()
	defOnce.Do(func() {
		p, err := yingji.Default()
		if err != nil {
			defErr = err
			return
		}
		def = p.Workflow.WithRoster(nil).ForPlan(testRef)
	})
	require.NoError(t, defErr)
	return def
}

func load(t testing.TB, path string) *drill.Drill {
	t.Helper()
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	dr, ds := drill.Parse(filepath.Base(path), src)
	require.Empty(t, ds, "%s", ds.Error())
	return dr
}

func TestDrillsGoldenTimelines(t *testing.T) {
	paths, err := filepath.Glob("../../examples/drills/*.yaml")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(paths), 3)
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		t.Run(name, func(t *testing.T) {
			tl, err := drill.Run(t.Context(), changji(t), load(t, path))
			require.NoError(t, err)
			for _, st := range tl.Steps {
				assert.True(t, st.AsExpected, "step %d %s: expected %s, got %s", st.N, st.Event, st.Expect, st.Error)
			}
			b, err := json.MarshalIndent(tl, "", "  ")
			require.NoError(t, err)
			golden.Check(t, name+".json", string(b)+"\n")
			golden.Check(t, name+".md", tl.Markdown())
		})
	}
}

func TestDrillEscalationShowsTransferAndLateReport(t *testing.T) {
	tl, err := drill.Run(t.Context(), changji(t), load(t, "../../examples/drills/iv-to-iii-escalation.yaml"))
	require.NoError(t, err)
	assert.Equal(t, "III", tl.Response, "4.2 昌吉州人民政府 activated Ⅲ")
	assert.Equal(t, "relatively-serious", tl.Level)
	assert.Equal(t, "site-hq", tl.CommandHolder)
	assert.Equal(t, "hq", tl.CommandFormed, "2.5 the prefecture-formed site HQ holds command")
	var flags []string
	for _, f := range tl.Flags {
		flags = append(flags, f.Name)
	}
	assert.Contains(t, flags, "迟报", "3.2 written 22 minutes after the phone report")
	md := tl.Markdown()
	assert.Contains(t, md, "- 变化：现场指挥 现场指挥部（事故发生地县市人民政府（园区管委会）组建） → 现场指挥部（昌吉州指挥部组建）", "2.5, by the plan's short names")
	assert.Contains(t, md, "迟报")
	// The region's decision was written in Beijing time and kept so.
	assert.Equal(t, "2025-10-15T11:50:00+08:00", tl.Steps[5].OccurredAt.String())
}

func TestDrillJSONContract(t *testing.T) {
	tl, err := drill.Run(t.Context(), changji(t), load(t, "../../examples/drills/iv-county.yaml"))
	require.NoError(t, err)
	b, err := json.Marshal(tl)
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(b, &got))
	for _, k := range []string{"phase", "level", "response", "commandHolder", "steps", "overdue"} {
		assert.Contains(t, got, k)
	}
	for _, st := range got["steps"].([]any) {
		for _, k := range []string{"at", "event", "accepted", "error", "phase"} {
			assert.Contains(t, st, k, "every step has %s, accepted or not", k)
		}
	}
	assert.Equal(t, []any{}, got["overdue"], "overdue is a list, empty when nothing is overdue")
	assert.Equal(t, "closed", tl.Phase)

	esc, err := drill.Run(t.Context(), changji(t), load(t, "../../examples/drills/iv-to-iii-escalation.yaml"))
	require.NoError(t, err)
	rejected := esc.Steps[4]
	assert.False(t, rejected.Accepted)
	assert.Equal(t, "authority-III", rejected.Rejection, "4.2 the county may not start Ⅲ")
	assert.Contains(t, rejected.Error, "Ⅲ级应急响应由昌吉州人民政府或者自治区有关部门决定启动")
}

func TestParseReportsPositions(t *testing.T) {
	cases := []struct {
		name   string
		src    string
		at     []string
		codes  []string
		substr string
	}{
		{"a start without an offset", "title: t\nstart: \"2025-10-15T09:00:00\"\nsteps: []\n",
			[]string{"d.yaml:2:8"}, []string{drill.CodeBadTime}, "explicit UTC offset"},
		{"a step back on the clock and a step time that is no time",
			"title: t\nstart: \"2025-10-15T09:00:00+06:00\"\nsteps:\n  - {at: \"+10m\", event: a, actor: b}\n  - {at: \"+5m\", event: a, actor: b}\n  - {at: soon, event: a, actor: b}\n",
			[]string{"d.yaml:5:10", "d.yaml:6:10"}, []string{drill.CodeClockBack, drill.CodeBadTime}, "goes back on the clock"},
		{"issue 15 (5): a start in 2300 is refused, not wrapped to 1715",
			"title: t\nstart: \"2300-01-01T00:00:00+06:00\"\nsteps: []\n",
			[]string{"d.yaml:2:8"}, []string{drill.CodeTimeRange}, "outside the years 1900–2200"},
		{"an occurredAt in 2999 is refused, naming occurredAt",
			"title: t\nstart: \"2025-10-15T09:00:00+06:00\"\nsteps:\n  - {at: \"+1m\", event: a, actor: b, occurredAt: \"2999-01-01T00:00:00+06:00\"}\n",
			[]string{"d.yaml:4:49"}, []string{drill.CodeTimeRange}, "occurredAt"},
		{"an offset that carries the clock past 2200 is refused",
			"title: t\nstart: \"2199-12-01T00:00:00+06:00\"\nsteps:\n  - {at: \"+3650d\", event: a, actor: b}\n",
			[]string{"d.yaml:4:10"}, []string{drill.CodeTimeRange}, "outside the years 1900–2200"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dr, ds := drill.Parse("d.yaml", []byte(tc.src))
			assert.Nil(t, dr)
			require.Len(t, ds, len(tc.at), "%s", ds.Error())
			for i := range tc.at {
				assert.Equal(t, tc.at[i], ds[i].Subject.String())
				assert.Equal(t, tc.codes[i], ds[i].Code)
			}
			assert.Contains(t, ds[0].Summary, tc.substr)
		})
	}
}

func TestRunRefusesADrillOfAnotherPlan(t *testing.T) {
	dr := load(t, "../../examples/drills/iv-county.yaml")
	other := *dr
	other.Plan = "national-493"
	_, err := drill.Run(t.Context(), changji(t), &other)
	var pe *drill.PlanError
	require.ErrorAs(t, err, &pe)
	ps := diag.ProblemsOf(err)
	require.Len(t, ps, 1)
	assert.Equal(t, drill.CodePlanMismatch, ps[0].Code)
	assert.Equal(t, "plan", ps[0].Field)
}

func TestTimelineJSONRoundTrips(t *testing.T) {
	tl, err := drill.Run(t.Context(), changji(t), load(t, "../../examples/drills/iv-to-iii-escalation.yaml"))
	require.NoError(t, err)
	b, err := json.Marshal(tl)
	require.NoError(t, err)
	var back drill.Timeline
	require.NoError(t, json.Unmarshal(b, &back))
	b2, err := json.Marshal(&back)
	require.NoError(t, err)
	assert.Equal(t, string(b), string(b2))
	assert.NotContains(t, string(b), "null", "empty lists are [], never null")
	assert.Contains(t, string(b), `"actorName":"昌吉州应急管理局"`, "actors with their names")
}

// Issue 13 (3): a step delivered again under its id is a no-op, and its
// timeline entry names the actor of the event it repeats, not the actor
// of whichever event was logged last.
func TestRedeliveredStepShowsItsOwnActor(t *testing.T) {
	src := `title: 重复投递
start: "2025-10-15T09:00:00+06:00"
steps:
  - {at: "+0m", id: phone, event: report.received, actor: 昌吉州应急管理局, data: {via: phone, from: local-emergency-bureau}}
  - {at: "+5m", id: written, event: report.written, actor: office, data: {contents: [reporter, type, situation, outlook, support]}}
  - {at: "+6m", id: phone, occurredAt: "2025-10-15T09:00:00+06:00", event: report.received, actor: 昌吉州应急管理局, data: {via: phone, from: local-emergency-bureau}}
`
	dr, ds := drill.Parse("d.yaml", []byte(src))
	require.False(t, ds.HasErrors(), "%s", ds.Error())
	tl, err := drill.Run(t.Context(), changji(t), dr)
	require.NoError(t, err)
	require.Len(t, tl.Steps, 3)
	again := tl.Steps[2]
	assert.True(t, again.Duplicate)
	assert.Equal(t, "yjj", again.Actor, "the re-delivered report's own actor, by id")
	assert.Equal(t, "昌吉州应急管理局", again.ActorName)
	assert.Equal(t, "office", tl.Steps[1].Actor)
}

// Issue 13 (11): the timeline and its summary carry no plan's words of
// their own: the heading cites the drill's clause, and a workflow that has
// no response levels or site command (Decree 493's reporting chain) gets
// no such columns, no "指挥权" line; its diagram is not called a
// reconstruction of a lost figure.
func TestDrillReportOfAnotherPlanHasNoChangjiWords(t *testing.T) {
	p, err := yingji.Embedded("national-493")
	require.NoError(t, err)
	def493 := p.Workflow.ForPlan(workflow.PlanRef{ID: "national-493", Revision: "国务院令第493号", Hash: "sha256:test"})
	paths, err := filepath.Glob("../../examples/drills/national-493/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		t.Run(name, func(t *testing.T) {
			tl, err := drill.Run(t.Context(), def493, load(t, path))
			require.NoError(t, err)
			md := tl.Markdown()
			for _, word := range []string{"7.2", "书面总结报告", "指挥权", "现场指挥", "响应级别", "| 响应 |"} {
				assert.NotContains(t, md, word)
			}
			assert.Contains(t, md, "## 总结（"+tl.Clause+"）", "the drill's own clause")
			golden.Check(t, "national-493-"+name+".md", md)
			en := tl.Markdown(drill.Language("en"))
			for _, word := range []string{"7.2", "Site command", "Response", "response", "Command"} {
				assert.NotContains(t, en, word, "English")
			}
			assert.Contains(t, en, "## Summary ("+tl.Clause+")")
		})
	}
	assert.NotContains(t, def493.Mermaid(), "非原图")
	assert.NotContains(t, def493.DOT(), "非原图")
	assert.Contains(t, changji(t).Mermaid(), "（据 workflow 数据重绘，非原图）", "Changji's caption, from its data")
}

// Issue 13 (4): a drill of 第十三条 lists the window still open at its end,
// apart from what is overdue.
func TestDrillListsTheWindowsStillOpen(t *testing.T) {
	p, err := yingji.Embedded("national-493")
	require.NoError(t, err)
	tl, err := drill.Run(t.Context(), p.Workflow, load(t, "../../examples/drills/national-493/within-windows.yaml"))
	require.NoError(t, err)
	require.Len(t, tl.Windows, 1)
	assert.Equal(t, "supplement-period", tl.Windows[0].Task)
	// 第十三条第二款: the accident on 2025-10-15 (09:00+06:00, 11:00 北京时间);
	// 30 日 from the 16th end at 24:00 of 11-14.
	assert.Equal(t, "2025-11-15T00:00:00+08:00", tl.Windows[0].Due.String())
	for _, o := range tl.Overdue {
		assert.NotEqual(t, "supplement-period", o.Task)
	}
	assert.Contains(t, tl.Markdown(), "### 未届满的期间")
}

// One renderer, two languages: the English report has the same
// structure, the plan's own words (names, clauses, guard messages) as the
// plan writes them.
func TestMarkdownInEnglish(t *testing.T) {
	tl, err := drill.Run(t.Context(), changji(t), load(t, "../../examples/drills/iv-to-iii-escalation.yaml"))
	require.NoError(t, err)
	md := tl.Markdown(drill.Language("en"), drill.PlanTitle("昌吉回族自治州生产安全事故应急预案（修订稿）"))
	for _, want := range []string{
		"# Drill: 跨县事故Ⅳ级升Ⅲ级及现场指挥权移交演练 (7.2)",
		"- Plan: 昌吉回族自治州生产安全事故应急预案（修订稿） (changji-2025 · 2025-09-24, sha256:test)",
		"| # | Time | Event | Actor | Outcome | Phase | Grade | Response | Site command |",
		"**Flagged 迟报** [3.2]: 15 分钟内补报文字报告 late by 7m", // 3.2: 15 分钟内补报文字报告
		"- **Rejected**: Ⅲ级应急响应由昌吉州人民政府或者自治区有关部门决定启动 (authority-III, 4.2)",
		"## Summary (7.2)",
	} {
		assert.Contains(t, md, want)
	}
	assert.NotContains(t, md, "| 接受 |", "the frame is English")
	assert.NotContains(t, md, "各步详情")
	assert.Equal(t, md, tl.Markdown(drill.Language("en-US"), drill.PlanTitle("昌吉回族自治州生产安全事故应急预案（修订稿）")))
}

// A timeline decoded from JSON has no definition: it is rendered with the
// names it carries (actors, phases and grades at the end), ids elsewhere.
func TestMarkdownOfADecodedTimeline(t *testing.T) {
	tl, err := drill.Run(t.Context(), changji(t), load(t, "../../examples/drills/iv-county.yaml"))
	require.NoError(t, err)
	b, err := json.Marshal(tl)
	require.NoError(t, err)
	var back drill.Timeline
	require.NoError(t, json.Unmarshal(b, &back))
	md := back.Markdown()
	assert.Contains(t, md, "| 1 |")
	assert.Contains(t, md, "昌吉州应急管理局", "the actor's name the step carries")
	assert.Contains(t, md, "report.received", "the event by id: the timeline carries no event names")
	assert.Equal(t, tl.Summary.Text, back.Summary.Text, "the summary in the JSON is the one Run wrote, with names")
}
