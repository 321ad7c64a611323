package human_test

import (
	"strings"
	"testing"

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
