package yingji

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/yingji/yingji/analysis"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/internal/human"
	"github.com/yingji/yingji/internal/yamlx"
	"github.com/yingji/yingji/orgchart"
	"github.com/yingji/yingji/workflow"
)

// CaseRun is the result of running drafters' test files against a plan:
// every case passed or failed and why, and what the cases exercise of
// the plan.
//
// Concurrency: a plain value owned by the caller; rendering only reads it.
type CaseRun struct {
	Plan   workflow.PlanRef `json:"plan"`
	Files  []CaseFileResult `json:"files"`
	Passed int              `json:"passed"`
	Failed int              `json:"failed"`
	// Coverage is what the cases exercise: the criteria and threshold
	// boundaries of the grading (analysis.GradingCoverage), the guards of
	// the workflow on both sides (an event one rejected, an event of its
	// type it let pass) and its tasks (opened by some case).
	Coverage analysis.CoverageReport `json:"coverage"`
}

// CaseFileResult is one file's cases.
//
// Concurrency: a plain value.
type CaseFileResult struct {
	Name  string       `json:"name"`
	Cases []CaseResult `json:"cases"`
}

// CaseResult is one case: passed, or the expectations it failed.
//
// Concurrency: a plain value.
type CaseResult struct {
	Name    string     `json:"name"`
	Subject diag.Range `json:"subject"`
	Passed  bool       `json:"passed"`
	// Failures are the expectations the case failed, in English;
	// WriteText shows them in Chinese too.
	Failures []string `json:"failures"`

	failuresZH []string
}

// failures collects a case's failures in English (the JSON) and in
// Chinese (the text), one of each per failure.
type failures struct{ en, zh []string }

func (f *failures) add(en, zh string) {
	f.en = append(f.en, en)
	f.zh = append(f.zh, zh)
}

func (f *failures) merge(g failures) {
	f.en = append(f.en, g.en...)
	f.zh = append(f.zh, g.zh...)
}

func one(en, zh string) failures { return failures{en: []string{en}, zh: []string{zh}} }

// RunCases runs the cases of the files against p: each case's incident is
// read as ParseIncident reads it and graded; its grade, response level,
// deciding clause, matched criteria and scope checked; its roster built
// (at the grade's response level unless it says another) and checked; its
// workflow steps applied in turn to a new instance, each accepted or
// rejected as the case expects. Every case runs, whatever the others did.
// The coverage counts what all of them exercise together.
//
// RunCases returns an error only for a plan that cannot run the cases (no
// grading rules); a case that cannot run (an incident the plan cannot
// read, steps for a plan with no workflow) fails. It is safe for
// concurrent use.
func (p *Plan) RunCases(ctx context.Context, files ...*CaseFile) (*CaseRun, error) {
	if p.Grading == nil {
		return nil, noGrading()
	}
	run := &CaseRun{Plan: p.ref(), Files: []CaseFileResult{}}
	gc := analysis.NewGradingCoverage(p.Grading)
	wc := newWorkflowCoverage(p)
	for _, f := range files {
		fr := CaseFileResult{Name: f.Name, Cases: []CaseResult{}}
		for _, tc := range f.Cases {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			res := CaseResult{Name: tc.Name, Subject: tc.at, Failures: []string{}}
			f := p.runCase(ctx, tc, gc, wc)
			res.Failures, res.failuresZH = append(res.Failures, f.en...), f.zh
			res.Passed = len(res.Failures) == 0
			if res.Passed {
				run.Passed++
			} else {
				run.Failed++
			}
			fr.Cases = append(fr.Cases, res)
		}
		run.Files = append(run.Files, fr)
	}
	run.Coverage = gc.Report().Merge(wc.report())
	return run, nil
}

func (p *Plan) runCase(ctx context.Context, tc TestCase, gc *analysis.GradingCoverage, wc *workflowCoverage) failures {
	var fail failures
	var inc grading.Incident
	var res grading.Result
	graded := false
	if tc.Incident != nil {
		var err error
		inc, err = p.ParseIncident(tc.Incident)
		if err != nil {
			fail.add(fmt.Sprintf("the incident cannot be read: %v", err), fmt.Sprintf("无法读取事故信息：%v", err))
			return fail
		}
		res, err = p.Classify(ctx, inc)
		if err != nil {
			fail.add(fmt.Sprintf("the incident cannot be graded: %v", err), fmt.Sprintf("无法对事故分级：%v", err))
			return fail
		}
		graded = true
		if err := gc.Add(ctx, inc); err != nil {
			fail.add(fmt.Sprintf("coverage: %v", err), fmt.Sprintf("覆盖率：%v", err))
		}
	} else if tc.Grade != "" || tc.Response != "" || tc.Clause != "" || tc.InScope != nil || len(tc.Matched)+len(tc.NotMatched) > 0 {
		fail.add("the case expects a grade but gives no incident", "用例期望一个级别，却没有给出事故信息")
	}
	if graded {
		fail.merge(p.checkGrade(tc, &res))
	}
	if tc.Roster != nil {
		fail.merge(p.checkRoster(ctx, tc, inc, &res, graded))
	}
	if len(tc.Steps) > 0 {
		fail.merge(p.checkSteps(ctx, tc, wc))
	}
	return fail
}

func (p *Plan) checkGrade(tc TestCase, res *grading.Result) failures {
	var fail failures
	o := analysis.OutcomeOf(res)
	got, gotZH := o.String(), o.Text("zh")
	lv, _ := res.Level()
	if tc.Grade != "" {
		want, ok := p.Grading.Level(tc.Grade)
		switch {
		case !ok:
			fail.add(fmt.Sprintf("grade %q is not a level of the plan", tc.Grade), fmt.Sprintf("%q 不是预案的级别", tc.Grade))
		case lv == nil || want.ID != lv.ID:
			fail.add(fmt.Sprintf("want grade %s, got %s", levelName(want), got), fmt.Sprintf("期望级别 %s，实际 %s", levelName(want), gotZH))
		}
	}
	if tc.Response != "" {
		want, err := p.parseResponse(normalResponse(tc.Response))
		switch {
		case err != nil:
			fail.add(fmt.Sprintf("response %q is not a response level of the plan", tc.Response), fmt.Sprintf("%q 不是预案的响应级别", tc.Response))
		case lv == nil || lv.Response.ID != want:
			have, haveZH := "none", "无"
			if lv != nil {
				have, haveZH = lv.Response.ID, lv.Response.ID
			}
			fail.add(fmt.Sprintf("want response %s, got %s", want, have), fmt.Sprintf("期望响应 %s，实际 %s", want, haveZH))
		}
	}
	if tc.Clause != "" && o.Clause != tc.Clause && o.Criterion != tc.Clause {
		fail.add(fmt.Sprintf("want the grade decided by %s, got %s", tc.Clause, got), fmt.Sprintf("期望由 %s 定级，实际 %s", tc.Clause, gotZH))
	}
	matched := map[string]bool{}
	for m := range res.Matches() {
		matched[m.Criterion.Clause], matched[m.Criterion.ID] = true, true
	}
	for _, m := range res.ScopeMatched() {
		matched[m.Criterion.Clause], matched[m.Criterion.ID] = true, true
	}
	for _, c := range tc.Matched {
		if !matched[c] {
			fail.add(fmt.Sprintf("want %s to hold; it does not (%s)", c, got), fmt.Sprintf("期望 %s 成立，实际不成立（%s）", c, gotZH))
		}
	}
	for _, c := range tc.NotMatched {
		if matched[c] {
			fail.add(fmt.Sprintf("want %s not to hold; it does (%s)", c, got), fmt.Sprintf("期望 %s 不成立，实际成立（%s）", c, gotZH))
		}
	}
	if tc.InScope != nil && res.InScope() != *tc.InScope {
		scope := func(in bool) string {
			if in {
				return "属于适用范围"
			}
			return "不属于适用范围"
		}
		fail.add(fmt.Sprintf("want in scope %t, got %t", *tc.InScope, res.InScope()), fmt.Sprintf("期望%s，实际%s", scope(*tc.InScope), scope(res.InScope())))
	}
	return fail
}

func levelName(l *grading.Level) string {
	if l.Name != "" {
		return l.Name
	}
	return l.ID
}

// normalResponse writes Ⅰ–Ⅳ and 一级…四级 as the ids I–IV a plan's
// response levels usually have; anything else is passed on as written.
func normalResponse(s string) string {
	r := strings.NewReplacer("Ⅰ", "I", "Ⅱ", "II", "Ⅲ", "III", "Ⅳ", "IV", "级应急响应", "", "级响应", "", "级", "")
	s = r.Replace(strings.TrimSpace(s))
	if v, ok := map[string]string{"一": "I", "二": "II", "三": "III", "四": "IV", "1": "I", "2": "II", "3": "III", "4": "IV"}[s]; ok {
		return v
	}
	return s
}

func (p *Plan) checkRoster(ctx context.Context, tc TestCase, inc grading.Incident, res *grading.Result, graded bool) failures {
	var fail failures
	if p.Orgchart == nil {
		return one("the case expects a roster, but the plan has no orgchart", "用例期望一份名单，但预案没有组织体系")
	}
	e := tc.Roster
	response := e.Response
	if response == "" {
		lv, ok := res.Level()
		if !graded || !ok {
			return one("the case expects a roster but gives no response: and no incident to grade", "用例期望一份名单，却既没有给出 response:，也没有可分级的事故信息")
		}
		response = lv.Response.ID
	}
	var industries, localities []string
	for _, l := range inc.Lists() {
		in, _ := p.Grading.Input(l.Input)
		switch in.Ref {
		case refIndustries:
			industries = append(industries, l.Values...)
		case refLocalities:
			localities = append(localities, l.Values...)
		}
	}
	r, err := p.Roster(ctx, normalResponse(response), industries, localities)
	if err != nil {
		return one(fmt.Sprintf("the roster cannot be built: %v", err), fmt.Sprintf("无法生成名单：%v", err))
	}
	find := func(key string) (orgchart.Entry, bool) {
		ids := []string{key}
		if u, ok := p.Orgchart.Unit(key); ok {
			ids = append(ids, u.ID)
		}
		if ph, ok := p.Orgchart.Placeholder(key); ok {
			ids = append(ids, ph.ID)
		}
		for _, en := range r.Entries {
			if slices.Contains(ids, en.ID) || slices.Contains(ids, en.From) || en.Name == key || en.Short == key {
				return en, true
			}
		}
		return orgchart.Entry{}, false
	}
	for _, k := range e.Engaged {
		if en, ok := find(k); !ok {
			fail.add(fmt.Sprintf("want %s engaged at %s; it is not on the roster", k, r.Response), fmt.Sprintf("期望 %s 在 %s 级响应中参与，但它不在名单上", k, r.Response))
		} else if en.Involvement != orgchart.Engage {
			fail.add(fmt.Sprintf("want %s engaged at %s; it is only notified", k, r.Response), fmt.Sprintf("期望 %s 在 %s 级响应中参与，但它只被通知", k, r.Response))
		}
	}
	for _, k := range e.Notified {
		if en, ok := find(k); !ok {
			fail.add(fmt.Sprintf("want %s notified at %s; it is not on the roster", k, r.Response), fmt.Sprintf("期望 %s 在 %s 级响应中被通知，但它不在名单上", k, r.Response))
		} else if en.Involvement != orgchart.Notify {
			fail.add(fmt.Sprintf("want %s notified at %s; it is engaged", k, r.Response), fmt.Sprintf("期望 %s 在 %s 级响应中被通知，但它参与", k, r.Response))
		}
	}
	for _, k := range e.Present {
		if _, ok := find(k); !ok {
			fail.add(fmt.Sprintf("want %s on the roster at %s; it is not", k, r.Response), fmt.Sprintf("期望 %s 在 %s 级响应的名单上，但它不在", k, r.Response))
		}
	}
	for _, k := range e.Absent {
		if en, ok := find(k); ok {
			inv := "通知"
			if en.Involvement == orgchart.Engage {
				inv = "参与"
			}
			fail.add(fmt.Sprintf("want %s off the roster at %s; it is there (%s)", k, r.Response, en.Involvement), fmt.Sprintf("期望 %s 不在 %s 级响应的名单上，但它在（%s）", k, r.Response, inv))
		}
	}
	return fail
}

func (p *Plan) checkSteps(ctx context.Context, tc TestCase, wc *workflowCoverage) failures {
	if p.Workflow == nil {
		return one("the case has workflow steps, but the plan has no workflow", "用例有工作流步骤，但预案没有工作流")
	}
	var fail failures
	inst := p.Workflow.Start(tc.Name)
	for i, s := range tc.Steps {
		next, _, err := p.Workflow.Apply(ctx, inst, s.Event)
		wc.event(s.Event, err)
		if err == nil {
			inst = next
		}
		if !expectMet(s.Expect, err) {
			got, gotZH := "accepted", "接受"
			if err != nil {
				got, gotZH = "rejected ("+reason(err)+"): "+err.Error(), "拒绝（"+reason(err)+"）："+err.Error()
			}
			want := s.Expect
			if want == "" {
				want = "accepted"
			}
			wantZH := map[string]string{"accepted": "接受", "rejected": "拒绝"}[want]
			if wantZH == "" {
				wantZH = "被 " + want + " 拒绝"
			}
			fail.add(fmt.Sprintf("step %d (%s by %s at %s): want %s, got %s", i+1, s.Event.Type, s.Event.Actor, s.at, want, got),
				fmt.Sprintf("第 %d 步（%s，%s，%s）：期望%s，实际%s", i+1, s.Event.Type, s.Event.Actor, s.at, wantZH, gotZH))
		}
	}
	wc.instance(inst)
	return fail
}

func expectMet(expect string, err error) bool {
	switch expect {
	case "", "accepted":
		return err == nil
	case "rejected":
		return err != nil
	}
	return err != nil && reason(err) == expect
}

// workflowCoverage records which guards the cases' steps met on each
// side and which tasks they opened.
type workflowCoverage struct {
	def      *workflow.Definition
	rejected map[string]bool // guard id → some step was rejected by it
	passed   map[string]bool // guard id → some step of its event was accepted
	opened   map[string]bool // task def id
	at       map[string]diag.Range
}

func newWorkflowCoverage(p *Plan) *workflowCoverage {
	wc := &workflowCoverage{def: p.Workflow, rejected: map[string]bool{}, passed: map[string]bool{}, opened: map[string]bool{}}
	if p.Workflow != nil && p.Manifest.Files.Workflow != "" {
		name := p.Manifest.Files.Workflow
		wc.at = workflowPositions(name, p.Sources[name])
	}
	return wc
}

func (wc *workflowCoverage) event(ev workflow.Event, err error) {
	if wc.def == nil {
		return
	}
	var ge *workflow.GuardError
	switch {
	case err == nil:
		if def, ok := wc.def.Event(ev.Type); ok {
			for _, g := range def.Guards {
				wc.passed[g.ID] = true
			}
		}
	case errors.As(err, &ge):
		wc.rejected[ge.Guard] = true
	}
}

func (wc *workflowCoverage) instance(inst workflow.Instance) {
	for _, t := range inst.Tasks() {
		wc.opened[t.Def] = true
	}
}

func (wc *workflowCoverage) report() analysis.CoverageReport {
	if wc.def == nil {
		return analysis.NewCoverageReport()
	}
	guards := analysis.CoverageCategory{Name: "guards"}
	for _, e := range wc.def.Events() {
		for _, g := range e.Guards {
			for _, side := range []struct {
				name   string
				hit    bool
				what   string
				whatZH string
			}{{"rejects", wc.rejected[g.ID], "no case is rejected by it", "没有用例被它拒绝"},
				{"passes", wc.passed[g.ID], "no case gets a " + e.ID + " past it", "没有用例的 " + e.ID + " 事件通过它"}} {
				guards.Total++
				if side.hit {
					guards.Covered++
					continue
				}
				guards.Missed = append(guards.Missed, analysis.CoverageItem{ID: g.ID, Clause: g.Clause, Side: side.name, Subject: wc.at["guard "+g.ID],
					What:   fmt.Sprintf("%s (%s, %s): %s", g.ID, e.ID, g.Clause, side.what),
					WhatZH: fmt.Sprintf("%s（%s，%s）：%s", g.ID, e.ID, g.Clause, side.whatZH)})
			}
		}
	}
	tasks := analysis.CoverageCategory{Name: "tasks"}
	for _, t := range wc.def.Tasks() {
		tasks.Total++
		if wc.opened[t.ID] {
			tasks.Covered++
			continue
		}
		tasks.Missed = append(tasks.Missed, analysis.CoverageItem{ID: t.ID, Clause: t.Clause, Subject: wc.at["task "+t.ID],
			What:   fmt.Sprintf("%s (%s, %s): no case opens it", t.ID, t.Name, t.Clause),
			WhatZH: fmt.Sprintf("%s（%s，%s）：没有用例开启它", t.ID, t.Name, t.Clause)})
	}
	return analysis.NewCoverageReport(guards, tasks)
}

// workflowPositions finds where each guard and task of workflow.yaml is
// declared: "guard ID" and "task ID" → the range of its id.
func workflowPositions(name string, src []byte) map[string]diag.Range {
	out := map[string]diag.Range{}
	f, ds := yamlx.Parse(name, src)
	if ds.HasErrors() || f.Root == nil {
		return out
	}
	root := f.Root
	get := func(n *yamlx.Node, key string) *yamlx.Node {
		if n == nil || n.Kind != yamlx.MappingNode {
			return nil
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return n.Content[i+1]
			}
		}
		return nil
	}
	each := func(seq *yamlx.Node, fn func(*yamlx.Node)) {
		if seq != nil && seq.Kind == yamlx.SequenceNode {
			for _, n := range seq.Content {
				fn(n)
			}
		}
	}
	each(get(root, "events"), func(ev *yamlx.Node) {
		each(get(ev, "guards"), func(g *yamlx.Node) {
			if id := get(g, "id"); id != nil {
				out["guard "+id.Value] = f.Range(id)
			}
		})
	})
	each(get(root, "tasks"), func(t *yamlx.Node) {
		if id := get(t, "id"); id != nil {
			out["task "+id.Value] = f.Range(id)
		}
	})
	return out
}

// CaseTextOptions say what CaseRun.WriteText shows, and in which
// language.
//
// Concurrency: a plain value.
type CaseTextOptions struct {
	// Lang is the language of the text: "zh" (the default) or "en".
	Lang string
	// Coverage adds the coverage report.
	Coverage bool
	// Verbose lists every case, passed ones too.
	Verbose bool
}

// WriteText renders the run: each failed case with its file:line and
// every expectation it failed (every case with Verbose), a line of
// totals, and the coverage when asked.
func (r *CaseRun) WriteText(w io.Writer, opts CaseTextOptions) error {
	l := human.Of(opts.Lang)
	var b strings.Builder
	for _, f := range r.Files {
		for _, c := range f.Cases {
			at := c.Subject.String()
			if at == "" {
				at = f.Name
			}
			switch {
			case !c.Passed:
				fmt.Fprintf(&b, l.Pick("失败 %s: %s\n", "FAIL %s: %s\n"), at, c.Name)
				failures := c.Failures
				if l == human.Chinese && len(c.failuresZH) == len(c.Failures) {
					failures = c.failuresZH
				}
				for _, m := range failures {
					fmt.Fprintf(&b, "     %s\n", m)
				}
			case opts.Verbose:
				fmt.Fprintf(&b, l.Pick("通过 %s: %s\n", "ok   %s: %s\n"), at, c.Name)
			}
		}
	}
	if r.Failed > 0 {
		fmt.Fprintf(&b, l.Pick("失败：%d 个用例通过，%d 个失败（%s）\n", "FAIL: %d passed, %d failed (%s)\n"), r.Passed, r.Failed, r.Plan.ID)
	} else {
		fmt.Fprintf(&b, l.Pick("通过：%d 个用例通过，%d 个失败（%s）\n", "PASS: %d passed, %d failed (%s)\n"), r.Passed, r.Failed, r.Plan.ID)
	}
	if opts.Coverage {
		b.WriteByte('\n')
		_ = r.Coverage.WriteText(&b, opts.Lang)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the run as JSON, coverage included.
func (r *CaseRun) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
