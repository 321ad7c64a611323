package orgchart

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// idOf resolves a name as the plan writes it to the id of a unit or
// placeholder, failing the test when the chart does not know it.
func idOf(t *testing.T, c *Chart, name string) string {
	t.Helper()
	if u, ok := c.Unit(name); ok {
		return u.ID
	}
	p, ok := c.Placeholder(name)
	require.True(t, ok, "the chart does not know %q", name)
	return p.ID
}

func idsOf(t *testing.T, c *Chart, names ...string) []string {
	t.Helper()
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = idOf(t, c, n)
	}
	return out
}

func TestGroupsAsTheTextStatesThem(t *testing.T) {
	c, _ := changji(t)
	cases := []struct {
		name, group, lead, coordinator string
		members                        []string
	}{
		{"2.4 (1) 综合协调组", "综合协调组", "昌吉州应急管理局", "",
			[]string{"事发地县市人民政府（园区管委会）", "州发展和改革委员会", "州公安局"}},
		{"2.4 (2) 事故抢救组", "事故抢救组", "事故发生地县市人民政府（园区管委会）", "昌吉州指挥部办公室",
			[]string{"州应急管理局", "州公安局", "州消防救援支队", "事故发生地县市（园区）应急管理局", "应急救援队伍", "生产安全专家", "事故发生单位技术负责人", "武警昌吉支队", "昌吉州军分区"}},
		{"2.4 (3) 医疗救护组", "医疗救护组", "昌吉州卫生健康委员会", "",
			[]string{"事故发生地县市（园区）卫健委部门", "有关医院"}},
		{"2.4 (4) 安全保卫组", "安全保卫组", "昌吉州公安局", "",
			[]string{"事故发生地县市（园区）公安部门"}},
		{"2.4 (5) 善后处理组", "善后处理组", "事故发生地县市人民政府（园区管委会）", "",
			[]string{"事故发生地县市（园区）公安部门", "事故发生地县市人力资源和社会保障部门", "事故发生地县市民政部门", "事故发生地县市工会", "事故发生单位"}},
		{"2.4 (6) 后勤保障组", "后勤保障组", "昌吉州指挥部办公室", "",
			[]string{"财政局", "民政局", "生态环境局", "住房和城乡建设局", "交通运输局", "市场监督管理局", "工业和信息化局", "发展和改革委员会", "气象局", "国有资产监督管理委员会", "国网昌吉供电公司", "中国电信昌吉分公司", "中国移动昌吉分公司", "中国联通昌吉分公司"}},
		{"2.4 (7) 宣传报道组", "宣传报道组", "州党委宣传部", "",
			[]string{"昌吉州网信办", "应急管理局", "融媒体中心", "事发地县市人民政府（园区管委会）", "事故现场新闻发布负责人", "生产安全专家"}},
		{"2.4 (8) 技术专家组", "技术专家组", "昌吉州应急管理局", "",
			[]string{"安全管理、应急救援等相关专家"}},
	}
	require.Len(t, c.Groups(), len(cases), "2.4 lists eight groups")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, ok := c.Group(tc.group)
			require.True(t, ok)
			assert.Equal(t, idOf(t, c, tc.lead), g.Lead, "lead")
			if tc.coordinator != "" {
				assert.Equal(t, idOf(t, c, tc.coordinator), g.Coordinator, "coordinator")
			} else {
				assert.Empty(t, g.Coordinator)
			}
			var got []string
			for _, m := range g.Members {
				got = append(got, m.Ref)
			}
			assert.Equal(t, idsOf(t, c, tc.members...), got)
			assert.Equal(t, "根据救援工作实际", g.Formed, "2.4: groups are formed 根据救援工作实际")
			assert.Equal(t, "hq", g.PartOf)
		})
	}
}

func TestIndustriesAndTheirUnits(t *testing.T) {
	c, _ := changji(t)
	cases := []struct {
		name, industry string
		units          []string
		fallback       bool
	}{
		{"2.3 (4) 道路交通 → 州公安局", "道路交通", []string{"昌吉州公安局"}, false},
		{"2.3 (5) 民爆器材 → 州工业和信息化局", "民爆器材", []string{"昌吉州工业和信息化局"}, false},
		{"2.3 (6) 房屋和市政工程 → 州住房和城乡建设局", "房屋和市政工程", []string{"昌吉州住房和城乡建设局"}, false},
		{"2.3 (6) 城镇燃气 → 州住房和城乡建设局", "城镇燃气", []string{"昌吉州住房和城乡建设局"}, false},
		{"2.3 (7) 次生环境污染 → 州生态环境局", "次生环境污染", []string{"昌吉州生态环境局"}, false},
		{"2.3 (8) 交通运输 → 州交通运输局", "交通运输", []string{"昌吉州交通运输局"}, false},
		{"2.3 (8) 水上交通 → 州交通运输局", "水上交通", []string{"昌吉州交通运输局"}, false},
		{"2.3 (8) 危险货物运输 → 州交通运输局", "危险货物运输", []string{"昌吉州交通运输局"}, false},
		{"2.3 (8) 交通建设施工 → 州交通运输局", "交通建设施工", []string{"昌吉州交通运输局"}, false},
		{"2.3 (9) 油气管道 → 州发展和改革委员会", "油气管道", []string{"昌吉州发展和改革委员会"}, false},
		{"2.3 (9) 电力 → 州发展和改革委员会", "电力", []string{"昌吉州发展和改革委员会"}, false},
		{"2.3 (12) 直接监管企业 → 州国有资产监督管理委员会", "直接监管企业", []string{"昌吉州国有资产监督管理委员会"}, false},
		{"2.3 (17) 特种设备 → 州市场监督管理局", "特种设备", []string{"昌吉州市场监督管理局"}, false},
		{"2.3 (18) 农机 → 州农业农村局", "农机", []string{"昌吉州农业农村局"}, false},
		{"2.3 (18) 农药 → 州农业农村局", "农药", []string{"昌吉州农业农村局"}, false},
		{"2.3 (18) 农村沼气 → 州农业农村局", "农村沼气", []string{"昌吉州农业农村局"}, false},
		{"6.3 矿山: none in 2.3, falls back to 2.3 (2) 州应急管理局", "矿山", []string{"昌吉州应急管理局"}, true},
		{"6.3 危险化学品: falls back to 2.3 (2)", "危险化学品", []string{"昌吉州应急管理局"}, true},
		{"6.3 烟花爆竹: falls back to 2.3 (2)", "烟花爆竹", []string{"昌吉州应急管理局"}, true},
		{"6.3 金属冶炼: falls back to 2.3 (2)", "金属冶炼", []string{"昌吉州应急管理局"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in, ok := c.Industry(tc.industry)
			require.True(t, ok)
			assert.Equal(t, idsOf(t, c, tc.units...), in.Units)
			assert.Equal(t, tc.fallback, in.Fallback)
			if tc.fallback {
				assert.Equal(t, "6.3", in.Clause)
			}
		})
	}
	t.Run("2.3 (17) 特种设备 records that the text gives only the investigation", func(t *testing.T) {
		in, _ := c.Industry("特种设备")
		assert.Contains(t, in.Interpretation, "investigation")
	})
}

func TestLocalitiesFromAnnex86(t *testing.T) {
	c, _ := changji(t)
	cases := []struct {
		name, locality, bureau, dutyPhone, head, post, phone string
	}{
		{"附件 8.6 (5) 木垒县", "木垒县", "木垒县应急管理局", "0994-4821263", "阿斯哈提", "局长", "13899628962"},
		{"附件 8.6 (6) 奇台县", "奇台县", "奇台县应急管理局", "0994-7215813", "赵连城", "局长", "15999365075"},
		{"附件 8.6 (7) 吉木萨尔县", "吉木萨尔县", "吉木萨尔县应急管理局", "0994-6929003", "刘钢", "局长", "15199668896"},
		{"附件 8.6 (8) 阜康市", "阜康市", "阜康市应急管理局", "0994-3220270", "李发辉", "书记", "15026167766"},
		{"附件 8.6 (9) 昌吉市", "昌吉市", "昌吉市应急管理局", "0994-2590082", "王锐", "局长", "18509944466"},
		{"附件 8.6 (10) 呼图壁县", "呼图壁县", "呼图壁县应急管理局", "0994-4536876", "胡金宝", "局长", "18690149685"},
		{"附件 8.6 (11) 玛纳斯县", "玛纳斯县", "玛纳斯县应急管理局", "0994-6660816", "周江湖", "局长", "15909940689"},
		{"附件 8.6 (12) 准东开发区", "准东开发区", "准东开发区安监局", "0994-6733336", "刘小武", "局长", "13619966125"},
		{"附件 8.6 (13) 昌吉高新区", "昌吉高新区", "昌吉高新区安监局", "0994-2226334", "齐创文", "局长", "18196156009"},
		{"附件 8.6 (14) 农业园区", "农业园区", "农业园区安环局", "0994-2340569", "王亮", "局长", "15299986578"},
	}
	require.Len(t, c.Localities(), len(cases))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, ok := c.LocalityUnit(tc.locality, "emergency-bureau")
			require.True(t, ok)
			assert.Equal(t, tc.bureau, b.Name)
			l, ok := c.Listing(b.ID)
			require.True(t, ok)
			assert.Equal(t, tc.dutyPhone, l.DutyPhone)
			require.Len(t, l.People, 1)
			assert.Equal(t, Person{Name: tc.head, Post: tc.post, Phone: tc.phone}, l.People[0])
			_, ok = c.LocalityUnit(tc.locality, "government")
			assert.True(t, ok, "2.1: every locality has a 县市人民政府（园区管委会）")
		})
	}
}

func TestLookups(t *testing.T) {
	c, _ := changji(t)
	cases := []struct {
		name, key, want string
	}{
		{"2.1 full name", "昌吉州卫生健康委员会", "health"},
		{"附件 8.5 (10) short name", "州卫生健康委员会", "health"},
		{"4.8 alias", "昌吉州卫健委", "health"},
		{"the issue's 州卫健委, 4.8's name in the 附件 8.5 style", "州卫健委", "health"},
		{"id", "health", "health"},
		{"2.1 昌吉武警支队 and 2.3 (24) 武警昌吉支队 are one unit", "昌吉武警支队", "armed-police"},
		{"2.1 昌吉州网信办 and 2.3 (3) 昌吉州党委网信办 are one unit", "昌吉州网信办", "cac"},
		{"2.1 昌吉州工信局 and 2.3 (5) 昌吉州工业和信息化局 are one unit", "昌吉州工信局", "industry-it"},
		{"2.4 (6) writes 发展和改革委员会", "发展和改革委员会", "ndrc"},
		{"2.4 (7) writes 应急管理局", "应急管理局", "yjj"},
		{"2.2 the office", "昌吉州指挥部办公室", "office"},
		{"2.6 自治州指挥部", "自治州指挥部", "hq"},
		{"4.4.5 现场应急指挥部", "现场应急指挥部", "site-hq"},
		{"4.4.2 (1) 应急管理厅", "应急管理厅", "xj-yjt"},
		{"附件 8.6 (3) 昌吉州政府", "昌吉州政府", "gov"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u, ok := c.Unit(tc.key)
			require.True(t, ok)
			assert.Equal(t, tc.want, u.ID)
		})
	}
	placeholders := []struct {
		name, key, want string
	}{
		{"2.1 事故发生地县市市人民政府（园区管委会）, typo and all", "事故发生地县市市人民政府（园区管委会）", "local-government"},
		{"2.4 (1) 事发地县市人民政府（园区管委会）", "事发地县市人民政府（园区管委会）", "local-government"},
		{"5.1 事发县市人民政府（园区管委会）", "事发县市人民政府（园区管委会）", "local-government"},
		{"6.10 事故发生地人民政府（园区管委会）", "事故发生地人民政府（园区管委会）", "local-government"},
		{"3.2 事故发生地县市（园区）应急管理部门", "事故发生地县市（园区）应急管理部门", "local-emergency-bureau"},
		{"4.9 事故发生地人民政府应急管理部门", "事故发生地人民政府应急管理部门", "local-emergency-bureau"},
		{"4.8 事故发生地卫生行政部门", "事故发生地卫生行政部门", "local-health"},
		{"3.2 负有安全生产监督管理职责的部门", "负有安全生产监督管理职责的部门", "industry-authority"},
		{"2.7 生产经营单位", "生产经营单位", "accident-unit"},
		{"4.15 专家组", "专家组", "experts"},
	}
	for _, tc := range placeholders {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := c.Placeholder(tc.key)
			require.True(t, ok)
			assert.Equal(t, tc.want, p.ID)
		})
	}
	t.Run("unknown names are not found", func(t *testing.T) {
		_, ok := c.Unit("州卫健局")
		assert.False(t, ok)
		_, ok = c.Industry("州公安局")
		assert.False(t, ok, "a unit is not an industry")
	})
	t.Run("lookups return copies", func(t *testing.T) {
		u, _ := c.Unit("hq")
		u.Members[0].Ref = "changed"
		again, _ := c.Unit("hq")
		assert.NotEqual(t, "changed", again.Members[0].Ref)
	})
}

func TestHeadquarters(t *testing.T) {
	c, _ := changji(t)
	hq, ok := c.Unit("昌吉州指挥部")
	require.True(t, ok)
	t.Run("2.1 指挥长 and four 副指挥长", func(t *testing.T) {
		var titles []string
		for _, p := range hq.Posts {
			titles = append(titles, p.Title)
		}
		assert.Equal(t, []string{"指挥长", "副指挥长", "副指挥长", "副指挥长", "副指挥长"}, titles)
		assert.Equal(t, "昌吉州分管应急管理工作的副州长", hq.Posts[0].Holder)
	})
	t.Run("2.1 three 副指挥长 are bound at activation", func(t *testing.T) {
		bound := 0
		for _, p := range hq.Posts[1:] {
			_, byPlaceholder := c.Placeholder(p.Unit)
			if byPlaceholder || (p.Unit == "" && templateVar.MatchString(p.Label)) {
				bound++
			}
		}
		assert.Equal(t, 3, bound)
	})
	t.Run("2.1 member units", func(t *testing.T) {
		want := idsOf(t, c, "昌吉州党委宣传部", "昌吉州网信办", "昌吉州纪委监委", "昌吉州应急管理局", "昌吉州公安局", "昌吉州工信局",
			"昌吉州住房和城乡建设局", "昌吉州生态环境局", "昌吉州交通运输局", "昌吉州发展和改革委员会", "昌吉州卫生健康委员会", "昌吉州财政局",
			"昌吉州国有资产监督管理委员会", "昌吉州民政局", "昌吉州消防救援支队", "昌吉州人力资源和社会保障局", "昌吉州司法局",
			"昌吉州市场监督管理局", "昌吉州农业农村局", "昌吉州融媒体中心", "昌吉州气象局", "昌吉州总工会", "中国电信公司昌吉分公司",
			"中国移动昌吉分公司", "中国联通昌吉分公司", "昌吉武警支队", "昌吉军分区", "国网昌吉供电公司", "事故发生地县市市人民政府（园区管委会）")
		var got []string
		for _, m := range hq.Members {
			got = append(got, m.Ref)
		}
		assert.Equal(t, want, got)
	})
	t.Run("2.1 (1)–(5) duties", func(t *testing.T) {
		assert.Len(t, hq.Duties, 5)
	})
	t.Run("2.2 the office sits in 州应急管理局 and has eight duties", func(t *testing.T) {
		o, ok := c.Unit("昌吉州指挥部办公室")
		require.True(t, ok)
		assert.Equal(t, "yjj", o.ContactVia)
		n := slices.IndexFunc(o.Duties, func(d Duty) bool { return d.Clause == "2.2 (8)" })
		assert.Equal(t, 7, n)
	})
	t.Run("6.1–6.12 twelve support measures", func(t *testing.T) {
		assert.Len(t, c.Supports(), 12)
		s := c.Supports()[6]
		assert.Equal(t, "6.7", s.Clause)
		assert.Equal(t, idsOf(t, c, "国网昌吉供电公司"), s.Units)
	})
	t.Run("response levels the orgchart refers to (附件 8.3)", func(t *testing.T) {
		assert.ElementsMatch(t, []string{"I", "II", "III", "IV"}, c.ResponseLevels())
	})
}

func TestContactsFromAnnex85(t *testing.T) {
	c, _ := changji(t)
	// 附件 8.5, row by row: the unit as the table writes it, then each
	// person's post, name and phone.
	cases := []struct {
		name, unit string
		people     []Person
	}{
		{"附件 8.5 (1)", "州党委宣传部", []Person{{Name: "王建忠", Post: "常务副部长", Phone: "15899086866"}}},
		{"附件 8.5 (2) lists two people", "州应急管理局", []Person{{Name: "王晓强", Post: "书记", Phone: "18999552212"}, {Name: "丁志春", Post: "局长", Phone: "19999566699"}}},
		{"附件 8.5 (3)", "州党委网信办", []Person{{Name: "彭苇", Post: "主任", Phone: "18909943777"}}},
		{"附件 8.5 (4)", "州公安局", []Person{{Name: "周明", Post: "副局长", Phone: "13909949666"}}},
		{"附件 8.5 (5)", "州工业和信息化局", []Person{{Name: "刘超", Post: "局长", Phone: "18009948277"}}},
		{"附件 8.5 (6)", "州住房和城乡建设局", []Person{{Name: "郭林娟", Post: "局长", Phone: "13609940058"}}},
		{"附件 8.5 (7)", "州生态环境局", []Person{{Name: "顾涛", Post: "局长", Phone: "13999558275"}}},
		{"附件 8.5 (8)", "州交通运输局", []Person{{Name: "张永军", Post: "局长", Phone: "13899671199"}}},
		{"附件 8.5 (9)", "州发展和改革委员会", []Person{{Name: "赵江涛", Post: "主任", Phone: "18999886866"}}},
		{"附件 8.5 (10)", "州卫生健康委员会", []Person{{Name: "温靖玄", Post: "主任", Phone: "18999552350"}}},
		{"附件 8.5 (11)", "州财政局", []Person{{Name: "李忠", Post: "局长", Phone: "13899681366"}}},
		{"附件 8.5 (12)", "州国有资产监督管理委员会", []Person{{Name: "庞志锋", Post: "主任", Phone: "15109949960"}}},
		{"附件 8.5 (13)", "州消防救援支队", []Person{{Name: "程锴", Post: "支队长", Phone: "15699233777"}}},
		{"附件 8.5 (14)", "州人力资源和社会保障局", []Person{{Name: "杨邵银", Post: "局长", Phone: "13609943466"}}},
		{"附件 8.5 (15)", "州司法局", []Person{{Name: "李广", Post: "局长", Phone: "13899669892"}}},
		{"附件 8.5 (16)", "州市场监督管理局", []Person{{Name: "张雷", Post: "局长", Phone: "13709949877"}}},
		{"附件 8.5 (17)", "州农业农村局", []Person{{Name: "李强华", Post: "局长", Phone: "18009949777"}}},
		{"附件 8.5 (18)", "州融媒体中心", []Person{{Name: "李今朝", Post: "主任", Phone: "18009945363"}}},
		{"附件 8.5 (19)", "州气象局", []Person{{Name: "寇伟清", Post: "副局长", Phone: "13279008000"}}},
		{"附件 8.5 (20)", "州总工会", []Person{{Name: "谢荣新", Post: "书记", Phone: "13999356016"}}},
		{"附件 8.5 (21)", "昌吉军分区", []Person{{Name: "尹子民", Post: "副参谋长", Phone: "13364903999"}}},
		{"附件 8.5 (22)", "武警昌吉支队", []Person{{Name: "杨小林", Post: "支队长", Phone: "17799460007"}}},
		{"附件 8.5 (23)", "国网昌吉供电公司", []Person{{Name: "温刚", Post: "总经理", Phone: "13909918878"}}},
		{"附件 8.5 (24)", "中国电信昌吉分公司", []Person{{Name: "蒋涛", Post: "分管负责人", Phone: "15309945888"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name+" "+tc.unit, func(t *testing.T) {
			l, ok := c.Listing(tc.unit)
			require.True(t, ok)
			assert.Empty(t, l.For, "listed under its own name")
			require.Len(t, l.People, len(tc.people))
			for i, p := range tc.people {
				assert.Equal(t, p.Name, l.People[i].Name)
				assert.Equal(t, p.Post, l.People[i].Post)
				assert.Equal(t, p.Phone, l.People[i].Phone)
			}
		})
	}
	// 附件 8.6 (1)–(4): the region, the prefecture's party and government
	// offices and its bureau, each with a duty phone. Rows (5)–(14) are the
	// localities' (TestLocalitiesFromAnnex86).
	annex86 := []struct {
		name, unit, dutyPhone, person, post, phone string
	}{
		{"附件 8.6 (1)", "自治区应急管理厅", "0991-2309269", "周涛", "事故调查处处长", "13999928289"},
		{"附件 8.6 (2)", "昌吉州党办", "0994-2337585", "陈树龙", "办公室主任", "13565339001"},
		{"附件 8.6 (3)", "昌吉州政府", "0994-2345565", "赫广楠", "办公室主任", "13899617888"},
		{"附件 8.6 (4)", "昌吉州应急管理局", "0994-2337910", "丁志春", "局长", "19999566699"},
	}
	for _, tc := range annex86 {
		t.Run(tc.name+" "+tc.unit, func(t *testing.T) {
			l, ok := c.Listing(tc.unit)
			require.True(t, ok)
			assert.Equal(t, tc.dutyPhone, l.DutyPhone)
			i := slices.IndexFunc(l.People, func(p Person) bool { return p.Name == tc.person })
			require.GreaterOrEqual(t, i, 0, "%s is listed", tc.person)
			assert.Equal(t, tc.post, l.People[i].Post)
			assert.Equal(t, tc.phone, l.People[i].Phone)
		})
	}
	t.Run("附件 8.5 has 24 rows and 附件 8.6 14, 州应急管理局 in both", func(t *testing.T) {
		d := c.Contacts()
		assert.Equal(t, "2025-09-24", d.AsOf)
		assert.Len(t, d.Listings, 24+14-1)
	})
	t.Run("the text lists no one for 纪委监委, 民政局, 中国移动, 中国联通 or 维稳指挥部", func(t *testing.T) {
		for _, u := range []string{"昌吉州纪委监委", "昌吉州民政局", "中国移动昌吉分公司", "中国联通昌吉分公司", "昌吉州维稳指挥部"} {
			_, ok := c.Listing(u)
			assert.False(t, ok, u)
		}
	})
	t.Run("2.2 the office is reached through 州应急管理局", func(t *testing.T) {
		l, ok := c.Listing("昌吉州指挥部办公室")
		require.True(t, ok)
		assert.Equal(t, "yjj", l.Unit)
		assert.Equal(t, "office", l.For)
		assert.Equal(t, "0994-2337910", l.DutyPhone)
	})
	t.Run("附件 8.6 (2) 州党委 is reached through 州党办", func(t *testing.T) {
		l, ok := c.Listing("州党委")
		require.True(t, ok)
		assert.Equal(t, "0994-2337585", l.DutyPhone)
	})
}

// TestMemberUnitDuties looks each unit up by the name 2.3 gives it and
// finds its duty under that clause: the names 2.3 writes are the chart's,
// and every member unit but 纪委监委 has a duty.
func TestMemberUnitDuties(t *testing.T) {
	c, _ := changji(t)
	cases := []struct{ clause, unit string }{
		{"2.3 (1)", "昌吉州党委宣传部"},
		{"2.3 (2)", "昌吉州应急管理局"},
		{"2.3 (3)", "昌吉州党委网信办"},
		{"2.3 (4)", "昌吉州公安局"},
		{"2.3 (5)", "昌吉州工业和信息化局"},
		{"2.3 (6)", "昌吉州住房和城乡建设局"},
		{"2.3 (7)", "昌吉州生态环境局"},
		{"2.3 (8)", "昌吉州交通运输局"},
		{"2.3 (9)", "昌吉州发展和改革委员会"},
		{"2.3 (10)", "昌吉州卫生健康委员会"},
		{"2.3 (11)", "昌吉州财政局"},
		{"2.3 (12)", "昌吉州国有资产监督管理委员会"},
		{"2.3 (13)", "昌吉州民政局"},
		{"2.3 (14)", "昌吉州消防救援支队"},
		{"2.3 (15)", "昌吉州人力资源和社会保障局"},
		{"2.3 (16)", "昌吉州司法局"},
		{"2.3 (17)", "昌吉州市场监督管理局"},
		{"2.3 (18)", "昌吉州农业农村局"},
		{"2.3 (19)", "昌吉州融媒体中心"},
		{"2.3 (20)", "昌吉州气象局"},
		{"2.3 (21)", "昌吉州总工会"},
		{"2.3 (22)", "中国电信昌吉分公司"},
		{"2.3 (22)", "中国移动昌吉分公司"},
		{"2.3 (22)", "中国联通昌吉分公司"},
		{"2.3 (23)", "昌吉州军分区"},
		{"2.3 (24)", "武警昌吉支队"},
		{"2.3 (25)", "国网昌吉供电公司"},
	}
	for _, tc := range cases {
		t.Run(tc.clause+" "+tc.unit, func(t *testing.T) {
			u, ok := c.Unit(tc.unit)
			require.True(t, ok)
			assert.True(t, slices.ContainsFunc(u.Duties, func(d Duty) bool { return d.Clause == tc.clause }), "duties: %v", u.Duties)
		})
	}
	t.Run("2.3 (23)–(24) commit 军分区 and 武警 only on request", func(t *testing.T) {
		for _, name := range []string{"昌吉军分区", "武警昌吉支队"} {
			u, _ := c.Unit(name)
			assert.Equal(t, "根据有关县市（园区）、部门的请求", u.Duties[0].Condition)
		}
	})
	t.Run("2.1 昌吉州纪委监委 has none", func(t *testing.T) {
		u, ok := c.Unit("昌吉州纪委监委")
		require.True(t, ok)
		assert.Empty(t, u.Duties)
	})
	t.Run("2.7 生产经营单位 prepares and starts its response at once", func(t *testing.T) {
		p, ok := c.Placeholder("生产经营单位")
		require.True(t, ok)
		var clauses []string
		for _, d := range p.Duties {
			clauses = append(clauses, d.Clause)
		}
		assert.Equal(t, []string{"2.7", "2.7", "2.7", "4.1", "6.9"}, clauses)
	})
}
