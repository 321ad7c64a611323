package human_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/internal/human"
)

func TestLang(t *testing.T) {
	cases := []struct {
		tag  string
		want human.Lang
		ok   bool
	}{
		{"", human.Chinese, true},
		{"zh", human.Chinese, true},
		{"中文", human.Chinese, true},
		{"en", human.English, true},
		{"en-US", human.English, true},
		{"fr", human.Chinese, false},
	}
	for _, tc := range cases {
		t.Run(tc.tag, func(t *testing.T) {
			got, err := human.Parse(tc.tag)
			if !tc.ok {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.want, human.Of(tc.tag))
		})
	}
	assert.Equal(t, "接受", human.Chinese.Pick("接受", "accepted"))
	assert.Equal(t, "accepted", human.English.Pick("接受", "accepted"))
	assert.Equal(t, "en", human.English.String())
}

func TestWidthAndWrap(t *testing.T) {
	assert.Equal(t, 6, human.Width("州ab公"))
	var b strings.Builder
	human.WriteWrapped(&b, "- 开启任务：", "  ", []string{"一二三四五", "六七八九十", "甲乙"}, "；", 30)
	assert.Equal(t, "- 开启任务：一二三四五；\n  六七八九十；甲乙\n", b.String())
	b.Reset()
	human.WriteWrapped(&b, "- ", "  ", []string{"aaaa", "bbbb", "cccc"}, "; ", 13)
	assert.Equal(t, "- aaaa; bbbb;\n  cccc\n", b.String())
}

func TestDurationZH(t *testing.T) {
	cases := []struct {
		d    time.Duration
		want string
	}{
		{0, "0 秒"},
		{45 * time.Second, "45 秒"},
		{7 * time.Minute, "7 分钟"},
		{15*time.Minute + 59*time.Second, "15 分 59 秒"},
		{15*time.Minute + 59*time.Second + 900*time.Millisecond, "15 分 59 秒"},
		{time.Hour, "1 小时"},
		{time.Hour + 5*time.Minute, "1 小时 5 分钟"},
		{time.Hour + 3*time.Second, "1 小时 0 分 3 秒"},
		{51*time.Hour + 0*time.Minute, "2 天 3 小时"},
		{-7 * time.Minute, "7 分钟"},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			assert.Equal(t, tc.want, human.DurationZH(tc.d))
		})
	}
}
