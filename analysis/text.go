package analysis

// The language of the text analysis writes for people. A finding's
// Diagnostic is in English (what Plan.Lint and the JSON carry); the
// Chinese sentences of the findings analysis itself makes travel beside
// it, unexported, and WriteText shows the ones its options ask for.

import (
	"github.com/yingji/yingji/internal/human"
)

// zhText is a finding's sentences in Chinese. An empty field falls back
// on the Diagnostic's English.
type zhText struct {
	summary, detail, fix string
}

// pick returns the summary, detail and fix of d in l: the Chinese ones
// where zh has them.
func (zh zhText) pick(l human.Lang, summary, detail, fix string) (string, string, string) {
	if l == human.English {
		return summary, detail, fix
	}
	if zh.summary != "" {
		summary = zh.summary
	}
	if zh.detail != "" {
		detail = zh.detail
	}
	if zh.fix != "" {
		fix = zh.fix
	}
	return summary, detail, fix
}

// nameOr is a name in l: "无级别" for "no level".
func levelNameZH(s string) string {
	if s == "no level" {
		return "无级别"
	}
	return s
}

// gradedZH is graded in Chinese: `示例：{"endangered": 1} 定为 一般（基线：没有标准涵盖）。`
func gradedZH(inc Facts, o *Outcome) string {
	if o == nil {
		return "示例：" + inc.String() + "。"
	}
	return "示例：" + inc.String() + " 定为 " + o.Text("zh") + "。"
}

// gradedScopeZH is gradedZH, with whether the example is in scope.
func gradedScopeZH(inc Facts, o *Outcome) string {
	s := gradedZH(inc, o)
	if o != nil && o.InScope != nil {
		in := "属于适用范围"
		if !*o.InScope {
			in = "不属于适用范围"
		}
		s = s[:len(s)-len("。")] + "，" + in + "。"
	}
	return s
}
