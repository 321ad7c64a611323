package analysis

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
)

// ClauseReferrer is a part of a plan (an orgchart, a workflow definition)
// whose items cite clauses of the plan text. Lint finds the parts of a
// Plan that implement it and checks the rows of plan.yaml's clause index
// that belong to them; rows of a part that does not are skipped, with one
// Info saying so.
type ClauseReferrer interface {
	// ClauseFiles names the part as the index's file: column does
	// ("orgchart", "contacts", "workflow").
	ClauseFiles() []string
	// ReferencedClauses lists every clause the part's items cite.
	ReferencedClauses() []string
}

// Lint analyses a whole plan and returns every finding, sorted by
// position:
//
//   - the findings its parts reported as it loaded (plan.Warnings, where
//     the orgchart's and workflow's validation findings appear);
//   - the grading findings of LintRules;
//   - untraced-clause: rows of plan.yaml's index of rule-bearing clauses
//     that no item of the plan references (an item citing "7.1 第一段"
//     traces "7.1");
//   - interpretation: every interpretation: note in plan.yaml, as a to-do.
//
// Lint is safe for concurrent use.
func Lint(p *yingji.Plan) diag.Diagnostics {
	ds := slices.Clone(p.Warnings)
	if p.Grading != nil {
		for _, f := range LintRules(p.Grading) {
			ds = append(ds, f.Diagnostic)
		}
	}
	ds = append(ds, untraced(p)...)
	ds = append(ds, planInterpretations(&p.Manifest)...)
	ds.Sort()
	return ds
}

// untraced reports the rows of the clause index that no item cites.
func untraced(p *yingji.Plan) diag.Diagnostics {
	m := &p.Manifest
	if len(m.Clauses) == 0 {
		return nil
	}
	refs := map[string][]string{"plan": manifestClauses(m)}
	if p.Grading != nil {
		refs["grading"] = gradingClauses(p.Grading)
	}
	for _, cr := range referrers(p) {
		for _, f := range cr.ClauseFiles() {
			refs[f] = append(refs[f], cr.ReferencedClauses()...)
		}
	}
	var all []string
	for _, rs := range refs {
		all = append(all, rs...)
	}
	var out diag.Diagnostics
	skipped := map[string][]int{}
	var skippedOrder []string
	for i, row := range m.Clauses {
		file := row.File
		if file == "" {
			file = "plan"
		}
		if _, ok := refs[file]; !ok {
			if _, seen := skipped[file]; !seen {
				skippedOrder = append(skippedOrder, file)
			}
			skipped[file] = append(skipped[file], i)
			continue
		}
		want := normClause(row.Clause)
		if slices.ContainsFunc(all, func(r string) bool { return traces(r, want) }) {
			continue
		}
		detail := fmt.Sprintf("the index (clauses[%d]) says it carries %s and belongs in %s; cite %q in the item that carries it, or remove the row if it carries no rule.", i, strings.TrimSpace(row.What), file, row.Clause)
		if parent := closestParent(all, want); parent != "" {
			detail += fmt.Sprintf(" Items cite only its parent %q.", parent)
		}
		out = append(out, diag.Diagnostic{Severity: diag.Warning, Code: CodeUntracedClause, Subject: row.Meta.At,
			Path: fmt.Sprintf("clauses[%d]", i), Clause: row.Clause,
			Summary: fmt.Sprintf("clause %s of the rule-bearing index is referenced by no item", row.Clause),
			Detail:  detail})
	}
	for _, file := range skippedOrder {
		rows := skipped[file]
		first := m.Clauses[rows[0]]
		out = append(out, diag.Diagnostic{Severity: diag.Info, Code: CodeAnalysisIncomplete, Subject: first.Meta.At,
			Path:    fmt.Sprintf("clauses[%d]", rows[0]),
			Summary: fmt.Sprintf("%d clauses of the index belong to %s, whose items this lint cannot see; they are not traced", len(rows), file),
			Detail:  fmt.Sprintf("the plan exposes no %s part that lists the clauses it cites (analysis.ClauseReferrer)", file)})
	}
	return out
}

// referrers finds the parts of a plan that cite clauses.
func referrers(p *yingji.Plan) []ClauseReferrer {
	var out []ClauseReferrer
	v := reflect.ValueOf(p).Elem()
	for i := range v.NumField() {
		if !v.Type().Field(i).IsExported() {
			continue
		}
		f := v.Field(i)
		if (f.Kind() == reflect.Pointer || f.Kind() == reflect.Interface) && f.IsNil() {
			continue
		}
		if cr, ok := f.Interface().(ClauseReferrer); ok {
			out = append(out, cr)
		}
	}
	return out
}

// traces reports whether reference ref cites clause want or one of its
// sub-clauses: "7.1 第一段" traces "7.1", "附件 8.3 I 级 (1)" traces "附件 8.3".
func traces(ref, want string) bool {
	ref = normClause(ref)
	if ref == want {
		return true
	}
	if !strings.HasPrefix(ref, want) {
		return false
	}
	next := ref[len(want)]
	return next == ' ' || next == '.' || next == '('
}

// closestParent is the longest reference that want is a sub-clause of.
func closestParent(refs []string, want string) string {
	best := ""
	for _, r := range refs {
		r = normClause(r)
		if r != want && traces(want, r) && len(r) > len(best) {
			best = r
		}
	}
	return best
}

func normClause(s string) string {
	s = strings.NewReplacer("（", "(", "）", ")").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// splitClauses splits "4.2; 4.3" into its clauses.
func splitClauses(s string) []string {
	var out []string
	for _, c := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '；' }) {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

func gradingClauses(r *grading.Rules) []string {
	var out []string
	add := func(ss ...string) {
		for _, s := range ss {
			out = append(out, splitClauses(s)...)
		}
	}
	for _, in := range r.Inputs() {
		add(in.Clause)
		for _, v := range in.Values {
			add(v.Clause)
		}
	}
	for _, q := range r.Quantities() {
		add(q.Clause)
	}
	for _, l := range r.Levels() {
		add(l.Clause, l.Response.Clause, l.Authority.Clause)
	}
	for _, cr := range append(slices.Clone(r.Criteria()), r.ScopeCriteria()...) {
		add(cr.Clause)
		add(cr.Also...)
	}
	add(r.Scope().Clause)
	return out
}

func manifestClauses(m *yingji.Manifest) []string {
	var out []string
	add := func(ss ...string) {
		for _, s := range ss {
			out = append(out, splitClauses(s)...)
		}
	}
	add(m.Boundaries.Clause, m.EffectiveClause)
	if m.InterpretedBy != nil {
		add(m.InterpretedBy.Clause)
	}
	for _, t := range textItems(m) {
		add(t.item.Clause)
	}
	return out
}

type textItem struct {
	item *yingji.TextItem
	path string
}

func textItems(m *yingji.Manifest) []textItem {
	var out []textItem
	if m.Purpose != nil {
		out = append(out, textItem{m.Purpose, "purpose"})
	}
	if m.Basis != nil {
		out = append(out, textItem{m.Basis, "basis"})
	}
	for i := range m.Principles {
		out = append(out, textItem{&m.Principles[i], fmt.Sprintf("principles[%d]", i)})
	}
	for i := range m.Management {
		out = append(out, textItem{&m.Management[i], fmt.Sprintf("management[%d]", i)})
	}
	return out
}

// planInterpretations lists plan.yaml's interpretation: notes.
func planInterpretations(m *yingji.Manifest) diag.Diagnostics {
	var out diag.Diagnostics
	if m.Interpretation != "" {
		out = append(out, interpretation(m.Interpretation, "", "plan "+m.ID, "interpretation", m.Meta.At))
	}
	for _, t := range textItems(m) {
		if t.item.Interpretation != "" {
			what := t.item.Title
			if what == "" {
				what = t.path
			}
			out = append(out, interpretation(t.item.Interpretation, t.item.Clause, what, t.path+".interpretation", t.item.Meta.At))
		}
	}
	return out
}
