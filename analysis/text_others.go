package analysis

// The Chinese wording of the findings other packages report that a lint
// report shows: their Diagnostic is in English, with the names it is built
// from in Params, so that a front end — this report is one — words it in
// its own language by code. A code not listed here is shown as reported.
// TestOthersZHCodesAreDeclared holds every key to a code CODES.md lists.

var othersZH = map[string]func(p map[string]string) zhText{
	"contacts.no-contact": func(p map[string]string) zhText {
		return zhText{summary: p["unitName"] + " 没有联系方式",
			fix: "通讯录中没有它的联系人，也没有可经由联系它的单位：添加联系人，或设置 contactVia"}
	},
	"orgchart.no-duty": func(p map[string]string) zhText {
		return zhText{summary: p["memberName"] + " 是 " + p["bodyName"] + " 的成员，但没有职责",
			fix: "原文没有给它职责、工作组或保障措施：修订原文时补上，或在 interpretation: 说明中记录理由"}
	},
	"orgchart.no-industry-unit": func(p map[string]string) zhText {
		if p["fallbackName"] != "" {
			return zhText{summary: "行业 " + p["industryName"] + " 没有负责单位；响应名单由 " + p["fallbackName"] + " 兜底",
				fix: "原文没有为它指明单位：下次修订时指明"}
		}
		return zhText{summary: "行业 " + p["industryName"] + " 没有负责单位",
			fix: "指明它的负责单位，或声明 industryFallback"}
	},
}

// zhOfOther is the Chinese wording of a finding another package reported.
func zhOfOther(d diagParams) zhText {
	if f, ok := othersZH[d.code]; ok {
		return f(d.params)
	}
	return zhText{}
}

type diagParams struct {
	code   string
	params map[string]string
}
