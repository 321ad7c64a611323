package pages

import (
	"errors"
	"html/template"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/yingji/yingji/grading"
)

// intakeData is the 接报 form.
type intakeData struct {
	Title    string
	Now      string
	Time     timeDefault
	Offsets  []option
	Form     eventForm
	Timers   []timerView
	ReadOnly bool
	Caller   string
}

// timerView is a deadline the intake event starts (3.2: 15 分钟内补报文字报告).
type timerView struct {
	Name     string
	Clause   string
	Within   string
	Assignee string
}

func (p *Pages) intake(w http.ResponseWriter, rq *request) {
	plan := p.cfg.Plans.Current()
	v := vocabOf(plan, p.cfg.Now())
	e, ok := v.intakeEvent()
	if !ok {
		p.problem(w, http.StatusOK, "本预案没有接报流程", "当前预案未定义响应流程，只能使用响应名单。", "")
		return
	}
	now := p.cfg.Now()
	d := intakeData{Title: plan.Title(), Now: now.Format("2006-01-02T15:04:05.000Z07:00"), Time: defaultTime(now), Offsets: offsets,
		Form: v.eventForm(e, "intake", nil, nil, rq.caller), ReadOnly: rq.caller.ReadOnly, Caller: rq.caller.Name}
	d.Form.Intake = true
	// A first report has a way it came in: preselect the first the plan
	// lists (电话报告 for Changji: 3.2 has the phone first).
	for i, f := range d.Form.Fields {
		if f.Kind == "enum" && f.Required && len(f.Options) > 0 {
			d.Form.Fields[i].Options[0].Selected = true
		}
	}
	if v.wf != nil {
		for _, t := range v.wf.Tasks() {
			within := periodText(t.Within)
			if within == "" {
				continue
			}
			for _, tr := range t.Triggers {
				if slices.Contains(tr.Events, e.ID) {
					d.Timers = append(d.Timers, timerView{Name: t.Name, Clause: t.Clause, Within: within, Assignee: v.actorName(t.Assignee)})
					break
				}
			}
		}
	}
	p.render(w, http.StatusOK, "intake", d)
}

// gradeView is the live grading beside the intake form.
type gradeView struct {
	Problems     []string
	Empty        bool
	Level        string
	LevelName    string
	Response     string
	ResponseName string
	Authority    []string
	AuthClause   string
	AuthText     string
	InScope      bool
	ScopeClause  string
	Scope        []critView
	Deciding     []critView
	Lower        []critView
	Provisional  bool
	CeilingName  string
	Rises        []riseView
	RosterURL    template.URL
}

// critView is a criterion that holds, with its clause, the plan's sentence
// and why it holds, in the plan's words.
type critView struct {
	Clause      string
	LevelName   string
	Text        string
	Because     []string
	Provisional bool
}

// riseView is an unknown input that could still raise the grade.
type riseView struct {
	Label     string
	LevelName string
	Facts     []string
}

const maxGradeBody = 64 << 10

func (p *Pages) gradePreview(w http.ResponseWriter, rq *request) {
	body, err := io.ReadAll(io.LimitReader(rq.r.Body, maxGradeBody+1))
	if err != nil || len(body) > maxGradeBody {
		p.problem(w, http.StatusRequestEntityTooLarge, "内容过多", "事故情况的内容过多。", "")
		return
	}
	plan := p.cfg.Plans.Current()
	v := vocabOf(plan, p.cfg.Now())
	if v.rules == nil {
		p.problem(w, http.StatusOK, "本预案没有分级标准", "当前预案未定义事故分级标准。", "")
		return
	}
	gv := v.grade(rq, body)
	p.render(w, http.StatusOK, "grade", gv)
}

func (v vocab) grade(rq *request, body []byte) gradeView {
	var gv gradeView
	inc, err := v.lib.ParseIncident(body)
	if err != nil {
		gv.Problems = v.inputProblems(err)
		return gv
	}
	res, err := v.rules.Classify(rq.ctx(), inc)
	if err != nil {
		gv.Problems = []string{"无法分级：" + err.Error()}
		return gv
	}
	gv.Empty = true
	for _, in := range v.rules.Inputs() {
		if !in.Context && inc.Known(in.ID) {
			gv.Empty = false
		}
	}
	l, ok := res.Level()
	if !ok {
		gv.Problems = []string{"已知情况不足以确定等级。"}
		return gv
	}
	gv.Level, gv.LevelName, gv.Response, gv.ResponseName = l.ID, l.Name, l.Response.ID, l.Response.Name
	gv.Authority, gv.AuthClause, gv.AuthText = l.Authority.Bodies, l.Authority.Clause, l.Authority.Text
	gv.InScope = res.InScope()
	gv.ScopeClause = v.rules.Scope().Clause
	for _, m := range res.ScopeMatched() {
		gv.Scope = append(gv.Scope, critView{Clause: m.Criterion.Clause, Text: m.Criterion.Text, Because: v.because(&res, m.Criterion), Provisional: m.Provisional})
	}
	for m := range res.Matches() {
		cv := critView{Clause: m.Criterion.Clause, Text: m.Criterion.Text, Because: v.because(&res, m.Criterion), Provisional: m.Provisional}
		if m.Criterion.Level != nil {
			cv.LevelName = m.Criterion.Level.Name
		}
		if m.Criterion.Level == l {
			gv.Deciding = append(gv.Deciding, cv)
			gv.Provisional = gv.Provisional || m.Provisional
		} else {
			gv.Lower = append(gv.Lower, cv)
		}
	}
	if c, ok := res.Ceiling(); ok && c != l {
		gv.CeilingName = c.Name
	}
	for _, u := range res.Unknowns() {
		rv := riseView{Label: u.Input.Label, LevelName: u.CouldReach.Name, Facts: v.raisers(u)}
		if rv.Label == "" {
			rv.Label = u.Input.ID
		}
		gv.Rises = append(gv.Rises, rv)
	}
	q := url.Values{"level": {l.ID}}
	for _, lv := range inc.Lists() {
		q[lv.Input] = append(q[lv.Input], lv.Values...)
	}
	gv.RosterURL = template.URL("/roster?" + q.Encode())
	return gv
}

// inputProblems says, in Chinese and by label, what is wrong with the
// figures typed.
func (v vocab) inputProblems(err error) []string {
	var ies grading.InputErrors
	var one *grading.InputError
	switch {
	case errors.As(err, &ies):
	case errors.As(err, &one):
		ies = grading.InputErrors{one}
	default:
		return []string{"事故情况无法识别，请检查填写的内容。"}
	}
	out := make([]string, 0, len(ies))
	for _, ie := range ies {
		in, ok := v.rules.Input(ie.Field)
		if !ok {
			out = append(out, fieldError(ie.Field, "不是本预案的事故情况项"))
			continue
		}
		label := in.Label
		switch in.Type {
		case grading.Count:
			out = append(out, fieldError(label, "应为 0 或正整数（人数）"))
		case grading.Amount:
			out = append(out, fieldError(label, "应为金额：数字（元），或写作“5000万”“1.2亿元”"))
		case grading.Enum:
			out = append(out, fieldError(label, "不是可选的取值"))
		case grading.Bool:
			out = append(out, fieldError(label, "应为“是”或“否”"))
		case grading.List:
			out = append(out, fieldError(label, "有无法识别的名称"+quoted(ie.Value)))
		default:
			out = append(out, fieldError(label, "填写有误"))
		}
	}
	return out
}

func quoted(s string) string {
	if s == "" {
		return ""
	}
	return "：" + s
}

// qval is the value of a quantity for an incident: the sum of its known
// inputs, with the labels of those still unknown.
type qval struct {
	x       float64
	known   bool // every input it depends on is known
	any     bool // at least one is
	unknown []string
	ok      bool // the pages can compute it (an input, or a sum of inputs)
}

func (v vocab) qvalue(q *grading.Quantity, inc grading.Incident) qval {
	ids := q.InputIDs(v.rules)
	if q.Input == nil && !isSum(q.Expr, ids) {
		return qval{}
	}
	qv := qval{ok: true, known: true}
	for _, id := range ids {
		in, _ := v.rules.Input(id)
		val, ok := inc.Value(id)
		if !ok {
			qv.known = false
			if in != nil {
				qv.unknown = append(qv.unknown, in.Label)
			}
			continue
		}
		qv.any = true
		switch x := val.(type) {
		case float64:
			qv.x += x
		case bool:
			if x {
				qv.x++
			}
		case string:
			if in != nil {
				r, _ := in.Rank(x)
				qv.x += float64(r)
			}
		}
	}
	return qv
}

// isSum reports whether expr is the sum of exactly ids ("deaths + missing").
func isSum(expr string, ids []string) bool {
	parts := strings.Split(expr, "+")
	if len(parts) != len(ids) {
		return false
	}
	for _, p := range parts {
		if !slices.Contains(ids, strings.TrimSpace(p)) {
			return false
		}
	}
	return true
}

// because explains in Chinese why a criterion holds: each alternative that
// holds, with the figures and the threshold as the plan writes it.
func (v vocab) because(res *grading.Result, cr *grading.Criterion) []string {
	if cr.Cond == nil {
		names := make([]string, len(cr.Grades))
		for i, l := range cr.Grades {
			names[i] = l.Name
		}
		if l, ok := res.Level(); ok {
			return []string{"事故等级为" + l.Name + "，属于" + strings.Join(names, "、") + "之一"}
		}
		return nil
	}
	inc := res.Incident()
	var out []string
	var walk func(c *grading.Cond) bool
	walk = func(c *grading.Cond) bool {
		switch c.Op {
		case grading.OpAny:
			var sure, min []*grading.Cond
			for _, k := range c.Kids {
				s, m, ok := v.holds(k, inc)
				if !ok {
					return false
				}
				if s {
					sure = append(sure, k)
				} else if m {
					min = append(min, k)
				}
			}
			if len(sure) == 0 {
				sure = min
			}
			for _, k := range sure {
				if !walk(k) {
					return false
				}
			}
		case grading.OpAll:
			for _, k := range c.Kids {
				if !walk(k) {
					return false
				}
			}
		case grading.OpAtom:
			s, ok := v.describeAtom(c, inc)
			if !ok {
				return false
			}
			out = append(out, s)
		default:
			return false
		}
		return true
	}
	if !walk(cr.Cond) {
		return []string{res.Because(cr)}
	}
	return out
}

// holds evaluates a condition for the explanation: sure when it holds on
// the known facts alone, min when it holds with the unknown inputs at their
// least severe value.
func (v vocab) holds(c *grading.Cond, inc grading.Incident) (sure, min, ok bool) {
	switch c.Op {
	case grading.OpAtom:
		qv := v.qvalue(c.Quantity, inc)
		if !qv.ok {
			return false, false, false
		}
		in := c.Interval.Contains(qv.x)
		return in && qv.known, in, true
	case grading.OpAny, grading.OpAll:
		all := c.Op == grading.OpAll
		sure, min = all, all
		for _, k := range c.Kids {
			s, m, ok := v.holds(k, inc)
			if !ok {
				return false, false, false
			}
			if all {
				sure, min = sure && s, min && m
			} else {
				sure, min = sure || s, min || m
			}
		}
		return sure, min, true
	}
	return false, false, false
}

func (v vocab) describeAtom(c *grading.Cond, inc grading.Incident) (string, bool) {
	q := c.Quantity
	qv := v.qvalue(q, inc)
	if !qv.ok {
		return "", false
	}
	label := q.Label
	if label == "" {
		label = q.ID
	}
	switch q.Type {
	case grading.Enum:
		if q.Input == nil {
			return "", false
		}
		if !qv.known {
			return label + "未知", true
		}
		got := enumLabel(q.Input, int(qv.x))
		if int(qv.x) > int(c.Interval.Lo) && !math.IsInf(c.Interval.Hi, 1) {
			return label + "：" + got, true
		}
		if int(qv.x) > int(c.Interval.Lo) {
			return label + "：" + got + "（已超过“" + enumLabel(q.Input, int(c.Interval.Lo)) + "”）", true
		}
		return label + "：" + got, true
	case grading.Bool:
		if !qv.known {
			return label + "未知", true
		}
		if qv.x == 1 {
			return label + "：是", true
		}
		return label + "：否", true
	}
	written := strings.TrimSpace(c.Written)
	switch {
	case qv.known:
		return label + " " + numberText(qv.x, q.Unit) + "，属于“" + written + "”", true
	case !qv.any:
		return label + "未知（按 0 计），属于“" + written + "”", true
	}
	return label + "至少 " + numberText(qv.x, q.Unit) + "（" + strings.Join(qv.unknown, "、") + "未知，按 0 计），属于“" + written + "”", true
}

func enumLabel(in *grading.Input, rank int) string {
	if rank >= 0 && rank < len(in.Values) {
		if in.Values[rank].Label != "" {
			return in.Values[rank].Label
		}
		return in.Values[rank].ID
	}
	return ""
}

// raisers names what of an unknown input would raise the grade to the
// level it could reach: the thresholds of that level that read it.
func (v vocab) raisers(u grading.Unknown) []string {
	var out []string
	var walk func(c *grading.Cond, clause string)
	walk = func(c *grading.Cond, clause string) {
		if c == nil {
			return
		}
		switch c.Op {
		case grading.OpAny, grading.OpAll:
			for _, k := range c.Kids {
				walk(k, clause)
			}
		case grading.OpAtom:
			if !slices.Contains(c.Quantity.InputIDs(v.rules), u.Input.ID) {
				return
			}
			label := c.Quantity.Label
			var s string
			switch c.Quantity.Type {
			case grading.Enum:
				s = label + "为“" + enumLabel(c.Quantity.Input, int(c.Interval.Lo)) + "”"
			case grading.Bool:
				s = label + "为“是”"
			default:
				s = label + "达到“" + strings.TrimSpace(c.Written) + "”"
			}
			s += "（" + clause + "）"
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		case grading.OpExpr:
			if slices.Contains(c.InputIDs(v.rules), u.Input.ID) {
				out = append(out, "见 "+clause)
			}
		}
	}
	for _, cr := range u.CouldReach.Criteria {
		walk(cr.Cond, cr.Clause)
	}
	return out
}
