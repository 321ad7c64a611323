package grading_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
)

// Every spelling below is copied from the plan text
// (seeds/000_87005105312660d1.txt) or is one a duty officer types; the
// expected value is what the text means by it.

func TestParseResponseAsTheTextWritesIt(t *testing.T) {
	r := clRules(t, "changji-2025")
	cases := []struct {
		name, in, want string
	}{
		// 4.2: "由自治区指挥部决定启动Ⅰ级、Ⅱ级应急响应程序"
		{"4.2 Ⅰ级", "Ⅰ级", "I"},
		{"4.2 Ⅱ级应急响应程序", "Ⅱ级应急响应程序", "II"},
		{"4.2 Ⅲ级应急响应程序", "Ⅲ级应急响应程序", "III"},
		{"4.2 Ⅳ级应急响应程序", "Ⅳ级应急响应程序", "IV"},
		// 4.3 heading "Ⅰ级、Ⅱ级响应程序", table of contents "I级、II级响应程序"
		{"4.3 Ⅱ级响应程序", "Ⅱ级响应程序", "II"},
		{"contents 4.3 I级", "I级", "I"},
		{"contents 4.3 II级响应程序", "II级响应程序", "II"},
		// 4.4 "III级响应程序"; 4.5 "IV级响应"
		{"4.4 III级响应程序", "III级响应程序", "III"},
		{"4.5 IV级响应", "IV级响应", "IV"},
		// 附件 8.3: "I 级应急响应 … 出现下列情况之一启动 I 级响应"
		{"附件 8.3 I 级应急响应", "I 级应急响应", "I"},
		{"附件 8.3 II 级应急响应", "II 级应急响应", "II"},
		{"附件 8.3 III 级应急响应", "III 级应急响应", "III"},
		{"附件 8.3 IV 级应急响应", "IV 级应急响应", "IV"},
		{"附件 8.3 I 级响应", "I 级响应", "I"},
		{"附件 8.3 III 级响应", "III 级响应", "III"},
		{"附件 8.3 IV 级响应", "IV 级响应", "IV"},
		// grading.yaml's names, written as 4.2 writes the numerals
		{"name Ⅰ级应急响应", "Ⅰ级应急响应", "I"},
		{"name Ⅲ级应急响应", "Ⅲ级应急响应", "III"},
		// what people type
		{"Roman I", "I", "I"},
		{"Roman Ⅰ", "Ⅰ", "I"},
		{"digit 1", "1", "I"},
		{"一级", "一级", "I"},
		{"二级", "二级", "II"},
		{"Ⅲ", "Ⅲ", "III"},
		{"III", "III", "III"},
		{"III级", "III级", "III"},
		{"3", "3", "III"},
		{"三级", "三级", "III"},
		{"3级应急响应", "3级应急响应", "III"},
		{"lower case iii", "iii", "III"},
		{"full-width ＩＩＩ", "ＩＩＩ", "III"},
		{"full-width ３级", "３级", "III"},
		{"spaces around", "  Ⅲ 级 ", "III"},
		{"ideographic space", "Ⅳ\u3000级应急响应", "IV"},
		{"Ⅳ", "Ⅳ", "IV"},
		{"4", "4", "IV"},
		{"四级", "四级", "IV"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.ParseResponse(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.ID)
		})
	}
}

func TestParseLevelAsTheTextWritesIt(t *testing.T) {
	r := clRules(t, "changji-2025")
	cases := []struct {
		name, in, want string
	}{
		{"1.5 特别重大", "特别重大", lvES},
		{"1.5 特别重大生产安全事故", "特别重大生产安全事故", lvES},
		{"4.2 重大生产安全事故", "重大生产安全事故", lvS},
		{"4.2 较大生产安全事故", "较大生产安全事故", lvR},
		{"4.2 一般生产安全事故", "一般生产安全事故", lvG},
		{"较大", "较大", lvR},
		{"较大事故", "较大事故", lvR},
		{"一般事故", "一般事故", lvG},
		{"id", "relatively-serious", lvR},
		{"id in upper case", "Relatively-Serious", lvR},
		// 附件 8.3: the response level a grade starts names the grade.
		{"附件 8.3 III 级应急响应", "III 级应急响应", lvR},
		{"4.2 Ⅲ级应急响应程序", "Ⅲ级应急响应程序", lvR},
		{"Ⅰ", "Ⅰ", lvES},
		{"2", "2", lvS},
		{"四级", "四级", lvG},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.ParseLevel(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.ID)
		})
	}
}

func TestParseLevelDecree493(t *testing.T) {
	r := clRules(t, "national-493")
	cases := []struct {
		name, in, want string
	}{
		{"第三条 (一) 特别重大事故", "特别重大事故", lvES},
		{"第三条 (二) 重大事故", "重大事故", lvS},
		{"第三条 (三) 较大事故", "较大事故", lvR},
		{"第三条 (四) 一般事故", "一般事故", lvG},
		{"较大", "较大", lvR},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.ParseLevel(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.ID)
		})
	}
	t.Run("Decree 493 has no response levels", func(t *testing.T) {
		_, err := r.ParseResponse("Ⅲ")
		var ie *grading.InputError
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, grading.CodeResponseUnknown, ie.Code)
		assert.Contains(t, ie.Message, "declares no response levels")
	})
}

// assertListsInOrder checks that msg names every one of want, in order, and
// suggests none of them.
func assertListsInOrder(t *testing.T, msg string, want []string) {
	t.Helper()
	assert.NotContains(t, msg, "Did you mean")
	assert.NotContains(t, strings.ToLower(msg), "did you mean")
	last := -1
	for _, w := range want {
		i := strings.Index(msg, w)
		if assert.GreaterOrEqual(t, i, 0, "%q lists %q", msg, w) {
			assert.Greater(t, i, last, "%q lists %q in order", msg, w)
			last = i
		}
	}
}

func TestParseResponseNearMissNeverSuggestsARank(t *testing.T) {
	r := clRules(t, "changji-2025")
	order := []string{"I (Ⅰ级应急响应)", "II (Ⅱ级应急响应)", "III (Ⅲ级应急响应)", "IV (Ⅳ级应急响应)"}
	for _, in := range []string{
		"Ⅲ级以上", // 4.4 "启动Ⅲ级以上应急响应程序" is a range, not a level
		"Ⅲ级及以上",
		"Ⅴ", "V", "5", "五级", "0",
		"IIII", "II I", "Ⅲ级应急", "Ⅲ级响应级", "III级应急响应程序序",
		"一般", // a grade's name, not a response level
		"", " ",
		"I级II级",
	} {
		t.Run(in, func(t *testing.T) {
			_, err := r.ParseResponse(in)
			require.Error(t, err)
			assert.ErrorIs(t, err, grading.ErrBadInput)
			var ie *grading.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, grading.CodeResponseUnknown, ie.Code)
			assert.Equal(t, in, ie.Params["value"])
			assertListsInOrder(t, err.Error(), order)
			assertListsInOrder(t, ie.Params["valid"], order)
		})
	}
}

func TestParseLevelNearMissNeverSuggestsARank(t *testing.T) {
	r := clRules(t, "changji-2025")
	order := []string{"especially-serious (特别重大", "serious (重大", "relatively-serious (较大", "general (一般"}
	for _, in := range []string{"特别较大", "较大以上", "重大事件", "Ⅴ级", "较", "serius", "generel", "III级以上", ""} {
		t.Run(in, func(t *testing.T) {
			_, err := r.ParseLevel(in)
			require.Error(t, err)
			var ie *grading.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, grading.CodeLevelUnknown, ie.Code)
			assertListsInOrder(t, err.Error(), order)
		})
	}
}

func TestEnumInputsAsTheTextWritesThem(t *testing.T) {
	r := clRules(t, "changji-2025")
	cases := []struct {
		name, input, in, want string
	}{
		{"1.5 较大 (4) 跨县级行政区", "crosses", "跨县级行政区", "county"},
		{"county by alias 县级", "crosses", "县级", "county"},
		{"1.3 (2) 跨县市（园区）行政区", "crosses", "跨县市（园区）行政区", "county"},
		{"1.3 (2) with ASCII brackets", "crosses", "跨县市(园区)行政区", "county"},
		{"1.5 重大 (4) 跨昌吉州行政区", "crosses", "跨昌吉州行政区", "prefecture"},
		{"1.5 特别重大 (4) 跨省级行政区", "crosses", "跨省级行政区", "province"},
		{"id", "crosses", "province", "province"},
		{"id in upper case", "crosses", "County", "county"},
		{"1.5 较大 (3)", "exceedsCapacityOf", "超出县市人民政府（园区管委会）处置能力", "county"},
		{"1.5 重大 (2)", "exceedsCapacityOf", "超出昌吉州人民政府处置能力", "prefecture"},
		{"1.5 特别重大 (3)", "exceedsCapacityOf", "超出自治区人民政府处置能力", "region"},
		{"1.5 一般 (2)", "deemedNecessaryBy", "县市人民政府（园区管委会）认为有必要响应", "county"},
		{"1.5 较大 (5)", "deemedNecessaryBy", "昌吉州人民政府认为有必要响应", "prefecture"},
		{"1.5 重大 (5)", "deemedNecessaryBy", "自治区人民政府认为有必要响应", "region"},
		{"deemedNecessaryBy by alias 自治区", "deemedNecessaryBy", "自治区", "region"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inc := r.NewIncident()
			require.NoError(t, inc.Set(tc.input, tc.in))
			got, ok := inc.Value(tc.input)
			require.True(t, ok)
			assert.Equal(t, tc.want, got, "the value is kept by its id")

			parsed, err := r.ParseIncident([]byte(`{"` + tc.input + `": "` + tc.in + `"}`))
			require.NoError(t, err)
			got, _ = parsed.Value(tc.input)
			assert.Equal(t, tc.want, got, "through JSON")
		})
	}
	t.Run("1.5 较大 (4): crosses given as its label grades 较大", func(t *testing.T) {
		inc, err := r.ParseIncident([]byte(`{"crosses": "跨县级行政区"}`))
		require.NoError(t, err)
		res, err := r.Classify(context.Background(), inc)
		require.NoError(t, err)
		clAssertLevel(t, &res, lvR)
	})
}

func TestEnumNearMissNeverSuggestsARank(t *testing.T) {
	r := clRules(t, "changji-2025")
	order := []string{"none (不跨行政区)", "county (跨县级行政区)", "prefecture (跨昌吉州行政区)", "province (跨省级行政区)"}
	for _, in := range []string{"provence", "跨县", "跨省级行政区域", "州", "countyy", "跨县级以上"} {
		t.Run(in, func(t *testing.T) {
			inc := r.NewIncident()
			err := inc.Set("crosses", in)
			require.Error(t, err)
			var ie *grading.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, grading.CodeInputEnumUnknown, ie.Code)
			assert.Equal(t, "crosses", ie.Field)
			assertListsInOrder(t, err.Error(), order)
			assert.False(t, inc.Known("crosses"))

			_, err = r.ParseIncident([]byte(`{"crosses": "` + in + `"}`))
			require.Error(t, err)
			assertListsInOrder(t, err.Error(), order)
		})
	}
}

// spellingPlan is a grading.yaml whose spellings: and aliases: the cases
// below edit.
const spellingPlan = `
spellings:
  responses: {suffixes: [级]}
  levels: {suffixes: [事故]}
inputs:
  - id: crosses
    type: enum
    values:
      - {id: none}
      - {id: county, label: 跨县级行政区, aliases: [县级]}
      - {id: prefecture, label: 跨州级行政区, aliases: [州级]}
levels:
  - id: serious
    name: 重大
    response: {id: II, name: Ⅱ级应急响应, aliases: [Ⅱ, "2"]}
    criteria:
      - clause: "(1)"
        when: {crosses: prefecture}
  - id: general
    name: 一般
    baseline: true
    response: {id: IV, name: Ⅳ级应急响应, aliases: [Ⅳ, "4"]}
`

func TestSpellingsAreDataAndChecked(t *testing.T) {
	t.Run("the plan's own spellings", func(t *testing.T) {
		r, ds := grading.Compile("g.yaml", []byte(spellingPlan))
		require.False(t, ds.HasErrors(), "%v", ds)
		resp, err := r.ParseResponse("2级")
		require.NoError(t, err)
		assert.Equal(t, "II", resp.ID)
		assert.Equal(t, []string{"Ⅱ", "2"}, resp.Aliases)
		l, err := r.ParseLevel("一般事故")
		require.NoError(t, err)
		assert.Equal(t, "general", l.ID)
		_, err = r.ParseResponse("2级应急响应")
		assert.Error(t, err, "only the declared suffixes are read")
		in, _ := r.Input("crosses")
		assert.Equal(t, []string{"县级"}, in.Values[1].Aliases)
	})
	cases := []struct {
		name      string
		from, to  string
		code      string
		summaries []string
	}{
		{"an enum alias naming two values", "aliases: [州级]", "aliases: [县级]", grading.CodeSpellingConflict,
			[]string{`"县级" would name two of the values of crosses: county (跨县级行政区) and prefecture (跨州级行政区)`}},
		{"an enum label that is another value's id", "label: 跨州级行政区", "label: county", grading.CodeSpellingConflict,
			[]string{`"county" would name two of the values of crosses`}},
		{"a response alias naming two levels", `aliases: [Ⅳ, "4"]`, `aliases: [Ⅳ, "2"]`, grading.CodeSpellingConflict,
			[]string{`"2" would name two of the response levels: II (Ⅱ级应急响应) and IV (Ⅳ级应急响应)`}},
		{"an alias and a suffix colliding", `aliases: [Ⅳ, "4"]`, `aliases: [Ⅳ, "2级"]`, grading.CodeSpellingConflict,
			[]string{`"2级" would name two of the response levels`}},
		{"a level alias that is another level's response", "name: 一般\n", "name: 一般\n    aliases: [Ⅱ]\n", grading.CodeSpellingConflict,
			[]string{`"Ⅱ" would name two of the grades`}},
		{"an empty alias", "aliases: [州级]", `aliases: [" "]`, grading.CodeSpellingEmpty, nil},
		{"an empty suffix", "suffixes: [事故]", `suffixes: [""]`, grading.CodeSpellingEmpty, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(spellingPlan, tc.from, tc.to, 1)
			require.NotEqual(t, spellingPlan, src)
			r, ds := grading.Compile("g.yaml", []byte(src))
			assert.Nil(t, r)
			var got []diag.Diagnostic
			for _, d := range ds {
				if d.Code == tc.code {
					got = append(got, d)
				}
			}
			require.NotEmpty(t, got, "%v", ds)
			for _, want := range tc.summaries {
				assert.Contains(t, got[0].Summary, want)
			}
			assert.NotZero(t, got[0].Subject.Start.Line, "the diagnostic points into the file")
			assert.NotEmpty(t, got[0].Fix)
		})
	}
}

func TestParseErrorsAreInputErrors(t *testing.T) {
	r := clRules(t, "changji-2025")
	_, err := r.ParseLevel("Ⅴ级")
	assert.True(t, errors.Is(err, grading.ErrBadInput))
	assert.True(t, strings.HasPrefix(err.Error(), "grading: level: Ⅴ级: "), err.Error())
}
