package analysis

// Clause traceability: rows of a plan's index of rule-bearing clauses that
// no item cites. Whole-plan lint ((*yingji.Plan).Lint) feeds it the parts
// of the plan that cite clauses.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
)

// ClauseReferrer is a part of a plan (its orgchart, its workflow
// definition, its grading rules, plan.yaml itself) whose items cite
// clauses of the plan text. UncitedClauses checks the rows of the plan's
// clause index that belong to the parts it is given. It only reads them:
// an immutable implementation (orgchart.Chart, workflow.Definition) may be
// shared by lints running at once.
type ClauseReferrer interface {
	// ClauseFiles names the part as the index's file: column does
	// ("plan", "grading", "orgchart", "contacts", "workflow").
	ClauseFiles() []string
	// ReferencedClauses lists every clause the part's items cite.
	ReferencedClauses() []string
}

// Citations is a ClauseReferrer given as data: the clauses the items of
// the files Files cite. A clause reference that cites several clauses
// ("4.2; 4.3") may be given whole. A Citations is a plain value, safe to
// read from any number of goroutines.
type Citations struct {
	Files   []string
	Clauses []string
}

// ClauseFiles returns c.Files.
func (c Citations) ClauseFiles() []string { return c.Files }

// ReferencedClauses returns c.Clauses.
func (c Citations) ReferencedClauses() []string { return c.Clauses }

// GradingCitations lists the clauses the items of a grading rule set cite:
// its inputs and their values, derived quantities, levels with their
// response and authority, level and scope criteria (with the clauses they
// also state), and the scope clause. Its file is "grading".
func GradingCitations(r *grading.Rules) Citations {
	var out []string
	add := func(ss ...string) {
		for _, s := range ss {
			out = append(out, diag.SplitClauses(s)...)
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
	return Citations{Files: []string{"grading"}, Clauses: out}
}

// IndexedClause is one row of a plan's index of rule-bearing clauses
// (plan.yaml's clauses:): a clause, what it carries, and the file whose
// items should cite it ("" for plan.yaml itself).
//
// It is a plain value, safe to read from any number of goroutines.
type IndexedClause struct {
	Clause string
	What   string
	File   string
	// Path and At are where the row is written, for the diagnostic.
	Path string
	At   diag.Range
}

// UncitedClauses reports, as Warnings (CodeUncitedClause), the rows of
// index that no item of the referrers cites; an item citing "7.1 第一段"
// cites "7.1". Rows of a file no referrer names are not checked: one Info
// (CodeIncomplete) per such file says so. The findings carry their
// Chinese text for a Report. It is safe for concurrent use.
func UncitedClauses(index []IndexedClause, referrers ...ClauseReferrer) []Finding {
	if len(index) == 0 {
		return nil
	}
	refs := map[string]bool{}
	var all []string
	for _, cr := range referrers {
		for _, f := range cr.ClauseFiles() {
			refs[f] = true
		}
		for _, c := range cr.ReferencedClauses() {
			all = append(all, diag.SplitClauses(c)...)
		}
	}
	var out []Finding
	skipped := map[string][]int{}
	var skippedOrder []string
	for i, row := range index {
		file := row.File
		if file == "" {
			file = "plan"
		}
		if !refs[file] {
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
		why := fmt.Sprintf("the index (%s) says it carries %s and belongs in %s, but none of that file's items cites it", row.Path, strings.TrimSpace(row.What), file)
		whyZH := fmt.Sprintf("索引（%s）说它承载 %s、属于 %s，但该文件没有任何条目引用它", row.Path, strings.TrimSpace(row.What), file)
		if strings.TrimSpace(row.What) == "" {
			why = fmt.Sprintf("the index (%s) says it belongs in %s, but none of that file's items cites it", row.Path, file)
			whyZH = fmt.Sprintf("索引（%s）说它属于 %s，但该文件没有任何条目引用它", row.Path, file)
		}
		if parent := closestParent(all, want); parent != "" {
			why += fmt.Sprintf("; items cite only its parent %q", parent)
			whyZH += fmt.Sprintf("；条目只引用了它的上级条款 %q", parent)
		}
		out = append(out, Finding{Diagnostic: diag.Diagnostic{Severity: diag.Warning, Code: CodeUncitedClause, Subject: row.At, Path: row.Path, Clause: row.Clause,
			Summary: fmt.Sprintf("clause %s of the rule-bearing index is cited by no item", row.Clause),
			Detail:  why,
			Fix:     fmt.Sprintf("cite %q in the item that carries it, or remove the row if it carries no rule", row.Clause),
			Params:  map[string]string{"clause": row.Clause, "file": file}},
			Ranges: []Bounds{},
			zh: zhText{summary: fmt.Sprintf("规则条款索引中的条款 %s 没有被任何条目引用", row.Clause), detail: whyZH,
				fix: fmt.Sprintf("在承载它的条目中引用 %q；如果它不承载规则，删除这一行", row.Clause)}})
	}
	for _, file := range skippedOrder {
		rows := skipped[file]
		first := index[rows[0]]
		out = append(out, Finding{Diagnostic: diag.Diagnostic{Severity: diag.Info, Code: CodeIncomplete, Subject: first.At, Path: first.Path,
			Summary: fmt.Sprintf("%d clauses of the index belong to %s, whose items this lint cannot see; they are not checked", len(rows), file),
			Detail:  fmt.Sprintf("the plan has no %s part that lists the clauses it cites (analysis.ClauseReferrer)", file),
			Fix:     fmt.Sprintf("add the %s file to the plan, or correct the rows' file:", file),
			Params:  map[string]string{"file": file, "count": strconv.Itoa(len(rows))}},
			Ranges: []Bounds{},
			zh: zhText{summary: fmt.Sprintf("索引中有 %d 个条款属于 %s，本检查看不到该文件的条目，未予检查", len(rows), file),
				detail: fmt.Sprintf("预案没有列出其所引条款的 %s 部分（analysis.ClauseReferrer）", file),
				fix:    fmt.Sprintf("将 %s 文件加入预案，或更正这些行的 file:", file)}})
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
