package orgchart

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/diag"
)

func activate(t *testing.T, c *Chart, a Activation) Roster {
	t.Helper()
	r, err := c.Activate(context.Background(), a)
	require.NoError(t, err)
	return r
}

func entry(t *testing.T, r Roster, id string) Entry {
	t.Helper()
	e, ok := r.Entry(id)
	require.True(t, ok, "%s is not on the roster", id)
	return e
}

func notifiedIDs(r Roster) []string {
	var out []string
	for _, n := range r.Notifications {
		out = append(out, n.To)
	}
	return out
}

func TestFindingsOnTheChangjiText(t *testing.T) {
	_, ds := changji(t)
	var got []string
	for _, d := range ds {
		if d.Code != diag.CodeInterpretation {
			got = append(got, d.Code+" "+d.Path)
		}
	}
	c, _ := changji(t)
	at := func(code, id string) string {
		_, path := c.where(idOf(t, c, id))
		return code + " " + path
	}
	industry := func(name string) string {
		in, ok := c.Industry(name)
		require.True(t, ok)
		_, path := c.where(in.ID)
		return CodeNoIndustryUnit + " " + path
	}
	want := []string{
		at(CodeNoDuty, "昌吉州纪委监委"),    // 2.1 member, nothing in 2.3
		at(CodeNoContact, "昌吉州纪委监委"), // nor in 附件 8.5
		at(CodeNoContact, "昌吉州民政局"),  // 附件 8.5 skips it
		at(CodeNoContact, "中国移动昌吉分公司"),
		at(CodeNoContact, "中国联通昌吉分公司"),
		at(CodeNoContact, "昌吉州维稳指挥部"), // 4.4.1 (1) reports to it; no contact anywhere
		at(CodeNoContact, "自治区指挥部"),   // 4.4.1 (4), 4.3
		at(CodeNoContact, "自治区人民政府"),  // 4.4.1 (2)
		industry("矿山"), industry("危险化学品"), industry("烟花爆竹"), industry("金属冶炼"),
	}
	assert.ElementsMatch(t, want, got)
	t.Run("every interpretation is listed as a to-do", func(t *testing.T) {
		n := 0
		for _, d := range ds {
			if d.Code == diag.CodeInterpretation {
				n++
				assert.Equal(t, diag.Info, d.Severity)
				assert.False(t, d.Subject.IsZero())
			}
		}
		assert.Greater(t, n, 20)
	})
	t.Run("no errors and sorted", func(t *testing.T) {
		assert.False(t, ds.HasErrors())
		assert.True(t, slices.IsSortedFunc(ds, diag.Compare))
	})
}

func TestRosterLevelIII特种设备奇台县(t *testing.T) {
	c, _ := changji(t)
	r := activate(t, c, Activation{Industries: []string{"特种设备"}, Localities: []string{"奇台县"}, Response: "III"})
	assert.Equal(t, "4.4", r.Clause)
	assert.Equal(t, []Party{{ID: "hq", Name: "昌吉州生产安全事故应急救援指挥部"}}, r.Command, "4.4.1 (3) 立即成立昌吉州指挥部")

	t.Run("2.4 (2) 事故抢救组 led by 奇台县人民政府, coordinated by the office", func(t *testing.T) {
		g, ok := r.Group("rescue")
		require.True(t, ok)
		require.Len(t, g.Lead, 1)
		assert.Equal(t, "奇台县人民政府", g.Lead[0].Name)
		require.Len(t, g.Coordinator, 1)
		assert.Equal(t, "office", g.Coordinator[0].ID)
		assert.Equal(t, "根据救援工作实际", g.Condition)
		assert.Contains(t, partyNames(g.Members), "奇台县应急管理局")
	})
	t.Run("2.3 (17) 州市场监督管理局 engaged for 特种设备, with 张雷 13709949877 (附件 8.5 (16))", func(t *testing.T) {
		e := entry(t, r, "market")
		assert.Equal(t, Engage, e.Involvement)
		assert.False(t, e.Conditional)
		require.NotNil(t, e.Contacts)
		assert.Equal(t, "张雷", e.Contacts.People[0].Name)
		assert.Equal(t, "13709949877", e.Contacts.People[0].Phone)
		assert.True(t, slices.ContainsFunc(e.Reasons, func(x Reason) bool { return x.Clause == "4.4.3" }))
	})
	t.Run("附件 8.6 (6) 奇台县应急管理局 0994-7215813", func(t *testing.T) {
		e := entry(t, r, "qitai-yjj")
		require.NotNil(t, e.Contacts)
		assert.Equal(t, "0994-7215813", e.Contacts.DutyPhone)
		assert.Equal(t, "local-emergency-bureau", e.From)
	})
	t.Run("2.1 副指挥长 bound to the industry and the locality", func(t *testing.T) {
		var holders []string
		for _, p := range r.Posts {
			if p.Body == "hq" {
				holders = append(holders, p.Holder)
			}
		}
		assert.Equal(t, []string{"昌吉州分管应急管理工作的副州长", "昌吉州分管特种设备行业领域的副州长", "昌吉州应急管理局负责人", "昌吉州市场监督管理局负责人", "奇台县人民政府负责人"}, holders)
	})
	t.Run("4.4.1 (1) upward reports to 州党委, 州人民政府, 维稳指挥部, 自治区应急管理厅 before 4.4.2 (2) notifies the members", func(t *testing.T) {
		order := notifiedIDs(r)
		up := idsOf(t, c, "州党委", "昌吉州人民政府", "昌吉州维稳指挥部", "自治区应急管理厅")
		for _, id := range up {
			e := entry(t, r, id)
			assert.Equal(t, Notify, e.Involvement)
			assert.Equal(t, "昌吉州生产安全事故应急救援指挥部办公室", r.Notifications[e.Notified-1].ByName)
			assert.Equal(t, idOf(t, c, "昌吉州生产安全事故应急救援指挥部办公室"), r.Notifications[e.Notified-1].By)
			assert.Equal(t, "4.4.1 (1)", r.Notifications[e.Notified-1].Clause)
		}
		first := slices.Index(order, up[0])
		assert.Equal(t, up, order[first:first+4], "in the order 4.4.1 (1) names them")
		member := slices.Index(order, "discipline")
		assert.Greater(t, member, first+3, "4.4.2 (2) comes after 4.4.1 (1)")
		assert.Equal(t, "4.4.2 (2)", r.Notifications[member].Clause)
	})
	t.Run("4.4.1 (2) 州人民政府 reports to 自治区人民政府", func(t *testing.T) {
		e := entry(t, r, "xj-gov")
		assert.Equal(t, "昌吉州人民政府", r.Notifications[e.Notified-1].ByName)
		assert.Equal(t, idOf(t, c, "昌吉州人民政府"), r.Notifications[e.Notified-1].By)
	})
	t.Run("4.4.1 (6) 军分区 and 武警 are conditional", func(t *testing.T) {
		for _, id := range []string{"military", "armed-police"} {
			e := entry(t, r, id)
			assert.Equal(t, Engage, e.Involvement)
			assert.True(t, e.Conditional, id)
		}
	})
	t.Run("2.1 纪委监委 is told but has no part", func(t *testing.T) {
		e := entry(t, r, "discipline")
		assert.Equal(t, Notify, e.Involvement)
		assert.Nil(t, e.Contacts)
	})
	t.Run("every entry says why", func(t *testing.T) {
		for _, e := range r.Entries {
			require.NotEmpty(t, e.Reasons, e.ID)
			for _, why := range e.Reasons {
				assert.NotEmpty(t, why.Clause, e.ID)
			}
		}
	})
	t.Run("the eight groups of 2.4 are formed as needed", func(t *testing.T) {
		assert.Len(t, r.Groups, 8)
	})
	assert.Empty(t, r.Warnings)
}

func partyNames(ps []Party) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

func TestRosterLevelIV道路交通昌吉市(t *testing.T) {
	c, _ := changji(t)
	r := activate(t, c, Activation{Industries: []string{"道路交通"}, Localities: []string{"昌吉市"}, Response: "IV"})
	t.Run("4.5 the county leads", func(t *testing.T) {
		assert.Equal(t, []Party{{ID: "changji-city-gov", Name: "昌吉市人民政府"}}, r.Command)
		assert.Equal(t, Engage, entry(t, r, "changji-city-gov").Involvement)
	})
	t.Run("4.5 the prefecture HQ is not formed", func(t *testing.T) {
		_, ok := r.Entry("hq")
		assert.False(t, ok)
		assert.Empty(t, r.Groups)
		assert.False(t, slices.ContainsFunc(r.Posts, func(p PostHolder) bool { return p.Body == "hq" }))
	})
	t.Run("4.5 the office guides", func(t *testing.T) {
		e := entry(t, r, "office")
		assert.Equal(t, Engage, e.Involvement)
		assert.False(t, e.Conditional)
		assert.Equal(t, "指导", e.Reasons[0].As)
		assert.Equal(t, "4.5", e.Reasons[0].Clause)
	})
	t.Run("4.5, 2.6 a working group only 根据需要", func(t *testing.T) {
		assert.True(t, entry(t, r, "working-group").Conditional)
	})
	t.Run("3.2 the report reaches 昌吉市应急管理局 and then 州应急管理局", func(t *testing.T) {
		order := notifiedIDs(r)
		assert.Less(t, slices.Index(order, "changji-city-yjj"), slices.Index(order, "yjj"))
		assert.Equal(t, "0994-2590082", entry(t, r, "changji-city-yjj").Contacts.DutyPhone)
	})
	t.Run("4.4.1 (1) upward reports are for 较大 and above", func(t *testing.T) {
		_, ok := r.Entry("stability-hq")
		assert.False(t, ok)
	})
	t.Run("2.3 (4) 州公安局 is the industry's unit", func(t *testing.T) {
		e := entry(t, r, "police")
		assert.Contains(t, e.Reasons[0].Note, "道路交通")
	})
}

func TestRosterLevelsIandII(t *testing.T) {
	c, _ := changji(t)
	for _, level := range []string{"I", "II"} {
		t.Run("4.3 level "+level+" is the region's dispatch", func(t *testing.T) {
			r := activate(t, c, Activation{Industries: []string{"危险化学品"}, Localities: []string{"阜康市"}, Response: level})
			assert.Equal(t, "4.3", r.Clause)
			assert.Equal(t, []Party{{ID: "xj-hq", Name: "自治区指挥部"}}, r.Command)
			hq := entry(t, r, "hq")
			assert.True(t, slices.ContainsFunc(hq.Reasons, func(x Reason) bool {
				return x.Clause == "4.3" && x.As == "接受自治区指挥部统一调度，全力组织和配合救援"
			}), "昌吉州立即启动本预案，接受自治区指挥部统一调度")
			assert.Equal(t, Engage, entry(t, r, "xj-hq").Involvement)
			_, ok := r.Entry("xj-yjt")
			assert.True(t, ok, "4.4.1 (1) reports 较大及以上 to 自治区应急管理厅")
		})
	}
	t.Run("6.3 危险化学品 falls back to 州应急管理局 with a note", func(t *testing.T) {
		r := activate(t, c, Activation{Industries: []string{"危化品"}, Localities: []string{"阜康"}, Response: "II"})
		e := entry(t, r, "yjj")
		i := slices.IndexFunc(e.Reasons, func(x Reason) bool { return x.Clause == "4.4.3" })
		require.GreaterOrEqual(t, i, 0)
		assert.Equal(t, "事故发生行业领域主管部门（危险化学品）→ 昌吉州应急管理局（预案未列明危险化学品的负责单位，依 2.3 (2) 代为负责）", e.Reasons[i].Note,
			"in Chinese, by name, citing 2.3 (2)")
		assert.True(t, e.Reasons[i].Fallback)
	})
}

func TestActivateBadInput(t *testing.T) {
	c, _ := changji(t)
	ctx := context.Background()
	t.Run("unknown industry suggests the closest", func(t *testing.T) {
		_, err := c.Activate(ctx, Activation{Industries: []string{"特种设被"}, Localities: []string{"奇台县"}, Response: "III"})
		require.Error(t, err)
		var le *LookupError
		require.ErrorAs(t, err, &le)
		assert.Equal(t, "industry", le.Kind)
		assert.ErrorIs(t, err, ErrUnknown)
		assert.Contains(t, err.Error(), `Did you mean "特种设备"?`)
	})
	t.Run("unknown locality suggests the closest", func(t *testing.T) {
		_, err := c.Activate(ctx, Activation{Localities: []string{"奇台縣"}, Response: "III"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), `unknown locality "奇台縣". Did you mean "奇台县"?`)
	})
	t.Run("every unknown name is reported, each with its code and field", func(t *testing.T) {
		_, err := c.Activate(ctx, Activation{Industries: []string{"x"}, Localities: []string{"y"}, Response: "V"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), `industry "x"`)
		assert.Contains(t, err.Error(), `locality "y"`)
		assert.Contains(t, err.Error(), `response level "V"`)
		assert.ErrorIs(t, err, ErrUnknown)
		var le *LookupError
		require.ErrorAs(t, err, &le)
		assert.Equal(t, "x", le.Name)
		var got []string
		for _, p := range diag.ProblemsOf(err) {
			got = append(got, p.Code+" "+p.Field+" "+p.Params["name"])
		}
		assert.Equal(t, []string{CodeRosterUnknownIndustry + " industries x", CodeRosterUnknownLocality + " localities y", CodeRosterUnknownResponse + " response V"}, got)
	})
	t.Run("附件 8.3 Ⅲ is not steered to another rank: the levels are listed in order", func(t *testing.T) {
		_, err := c.Activate(ctx, Activation{Response: "Ⅲ"})
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "Did you mean")
		assert.Contains(t, err.Error(), "Known: I, II, III, IV.")
		ps := diag.ProblemsOf(err)
		require.Len(t, ps, 1)
		assert.Equal(t, "I, II, III, IV", ps[0].Params["known"])
	})
	t.Run("no response level", func(t *testing.T) {
		_, err := c.Activate(ctx, Activation{})
		require.Error(t, err)
		ps := diag.ProblemsOf(err)
		require.Len(t, ps, 1)
		assert.Equal(t, CodeRosterNoResponse, ps[0].Code)
		assert.Equal(t, "response", ps[0].Field)
	})
	t.Run("cancelled context", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := c.Activate(cctx, Activation{Response: "III"})
		assert.True(t, errors.Is(err, context.Canceled))
	})
	t.Run("no industry: a roster without the industry's entries and a warning", func(t *testing.T) {
		r := activate(t, c, Activation{Localities: []string{"奇台县"}, Response: "III"})
		_, ok := r.Entry("market")
		assert.True(t, ok, "州市场监督管理局 is still a member (4.4.2 (2))")
		assert.False(t, slices.ContainsFunc(entry(t, r, "market").Reasons, func(x Reason) bool { return x.Clause == "4.4.3" }))
		require.Len(t, r.Warnings, 1)
		assert.Equal(t, CodeRosterNoIndustry, r.Warnings[0].Code)
		assert.Equal(t, "industries", r.Warnings[0].Field)
		assert.Equal(t, "未给出事故所属行业，事故发生行业领域主管部门、昌吉州分管事故发生行业领域的副州长未列入名单；给出行业后即列入", r.Warnings[0].Message,
			"in Chinese, naming what is left out")
		assert.Contains(t, r.Warnings[0].Params["left"], "事故发生行业领域主管部门")
		i := slices.IndexFunc(r.Posts, func(p PostHolder) bool { return p.Post == "deputy-industry-leader" })
		require.GreaterOrEqual(t, i, 0)
		assert.True(t, r.Posts[i].Unbound)
		assert.Equal(t, "昌吉州分管事故发生行业领域的副州长", r.Posts[i].Holder)
	})
	t.Run("no locality either: still a roster", func(t *testing.T) {
		r := activate(t, c, Activation{Response: "IV"})
		assert.Len(t, r.Warnings, 2)
		assert.Empty(t, r.Command)
	})
	t.Run("an incident spanning two localities binds both", func(t *testing.T) {
		r := activate(t, c, Activation{Industries: []string{"道路交通"}, Localities: []string{"奇台县", "吉木萨尔县"}, Response: "III"})
		g, _ := r.Group("rescue")
		assert.Equal(t, []string{"奇台县人民政府", "吉木萨尔县人民政府"}, partyNames(g.Lead))
	})
}

func TestActivateConcurrently(t *testing.T) {
	c, _ := changji(t)
	want := activate(t, c, Activation{Industries: []string{"特种设备"}, Localities: []string{"奇台县"}, Response: "III"})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				r, err := c.Activate(context.Background(), Activation{Industries: []string{"特种设备"}, Localities: []string{"奇台县"}, Response: "III"})
				assert.NoError(t, err)
				assert.Equal(t, want, r)
			}
		})
	}
	wg.Wait()
}
