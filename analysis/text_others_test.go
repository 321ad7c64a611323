package analysis

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/orgchart"
)

// Every code othersZH words is a code the orgchart declares: a renamed
// code would otherwise fall back to English without a word.
func TestOthersZHCodesAreDeclared(t *testing.T) {
	declared := []string{orgchart.CodeNoContact, orgchart.CodeNoDuty, orgchart.CodeNoIndustryUnit}
	for code := range othersZH {
		assert.Contains(t, declared, code)
	}
	assert.Len(t, othersZH, len(declared))
}

// A lint report words the orgchart's findings in Chinese, with the names
// the finding carries, and in English when asked.
func TestOthersAreWordedInChinese(t *testing.T) {
	d := diag.Diagnostic{Severity: diag.Warning, Code: orgchart.CodeNoContact, Summary: "昌吉州民政局 has no contact",
		Fix: "add a listing", Subject: diag.Range{Filename: "orgchart.yaml", Start: diag.Pos{Line: 451, Column: 9}},
		Params: map[string]string{"unit": "civil-affairs", "unitName": "昌吉州民政局"}}
	r := NewReport("p", "", true, nil, diag.Diagnostics{d})
	var zh, en strings.Builder
	assert.NoError(t, r.WriteText(&zh, TextOptions{}))
	assert.NoError(t, r.WriteText(&en, TextOptions{Lang: "en"}))
	assert.Contains(t, zh.String(), "orgchart.yaml:451:9: 昌吉州民政局 没有联系方式")
	assert.NotContains(t, zh.String(), "has no contact")
	assert.Contains(t, en.String(), "昌吉州民政局 has no contact")
}
