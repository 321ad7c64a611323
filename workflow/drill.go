package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
)

// Drill is a scenario replayed on a simulated clock (7.2: at least one
// comprehensive drill a year, with a written summary report).
//
// Concurrency: RunDrill only reads a Drill, so one may be run by several
// goroutines at once; do not modify it meanwhile.
type Drill struct {
	ID, Title, Clause, Plan, Scenario string
	// Start is the simulated clock's first reading.
	Start Time
	// End is when the closing summary lists what is overdue; zero means
	// the last step.
	End   Time
	Steps []Step
}

// Step is one scripted event. Its RecordedAt is the simulated clock.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Step struct {
	Event Event
	// Expect is "", "accepted", "rejected", a guard id, or one of
	// unknown-event, invalid, wrong-phase, out-of-order, duplicate-id.
	Expect string
	Note   string
	At     diag.Range
}

// ParseDrill reads a drill scenario:
//
//	id: drill-iv-county
//	title: Ⅳ级响应演练
//	clause: "7.2"
//	plan: changji-2025
//	scenario: …
//	start: "2025-10-15T09:00:00+06:00"
//	end: "+8h"                     # optional: when the summary lists what is overdue
//	steps:
//	  - at: "+0m"                  # offset from start, or an RFC 3339 time
//	    id: s1                     # optional; default step-N
//	    event: report.received
//	    actor: yjj
//	    occurredAt: "-3m"           # optional: before "at", or an RFC 3339 time (+08:00 …)
//	    data: {via: phone}
//	    expect: accepted           # optional; accepted, rejected, a guard id …
//	    note: …
//
// Steps must not go back on the simulated clock. Every problem is a
// diagnostic with its position.
func ParseDrill(f *yamlx.File) (*Drill, diag.Diagnostics) {
	var spec drillSpec
	ds := f.Decode(&spec)
	if ds.HasErrors() {
		ds.Sort()
		return nil, ds
	}
	errorf := func(at diag.Range, path, detail, format string, args ...any) {
		if at.IsZero() {
			// A key with no value (start:) has no position of its own.
			at = f.Range(f.Root)
		}
		ds = append(ds, diag.Errorf("drill", at, path, detail, format, args...))
	}
	dr := &Drill{ID: spec.ID, Title: spec.Title, Clause: spec.Clause, Plan: spec.Plan, Scenario: spec.Scenario}
	start, err := ParseTime(spec.Start.Value)
	if err != nil {
		errorf(spec.Start.At, "start", "write the start as 2025-10-15T09:00:00+06:00 (with its UTC offset)", "%s", strings.TrimPrefix(err.Error(), "workflow: "))
		ds.Sort()
		return nil, ds
	}
	dr.Start = start
	if dr.ID == "" {
		dr.ID = "drill"
	}
	clock := start
	for i, s := range spec.Steps {
		path := fmt.Sprintf("steps[%d]", i)
		at, ok := clockTime(s.At.Value, start, start)
		if !ok {
			errorf(s.At.At, path+".at", `write an offset from start such as "+15m" or "+1h30m", or a time with its offset`, "bad step time %q", s.At.Value)
			continue
		}
		if at.Before(clock) {
			errorf(s.At.At, path+".at", "order the steps by the simulated clock; an event that occurred earlier is written with occurredAt:", "step %d at %s goes back on the clock (previous step at %s)", i+1, at, clock)
		}
		clock = at
		occurred := at
		if s.OccurredAt.Set() {
			if occurred, ok = clockTime(s.OccurredAt.Value, at, at); !ok {
				errorf(s.OccurredAt.At, path+".occurredAt", `write "-5m" (before the step) or a time with its offset, e.g. 2025-10-15T11:05:00+08:00`, "bad occurredAt %q", s.OccurredAt.Value)
			}
		}
		var data map[string]any
		if s.Data != nil {
			var raw any
			if err := s.Data.Decode(&raw); err != nil {
				errorf(f.Range(s.Data), path+".data", "write the data as a mapping of field: value", "bad data: %v", err)
			} else if raw != nil {
				mm, ok := raw.(map[string]any)
				if !ok {
					errorf(f.Range(s.Data), path+".data", "write the data as a mapping of field: value", "data must be a mapping")
				} else if data, err = normalizeMap(mm); err != nil {
					errorf(f.Range(s.Data), path+".data", "data hold text, numbers, true/false, lists of text and mappings", "bad data: %v", err)
				}
			}
		}
		id := s.ID
		if id == "" {
			id = fmt.Sprintf("step-%d", i+1)
		}
		dr.Steps = append(dr.Steps, Step{
			Event:  Event{ID: id, Type: s.Event, Actor: s.Actor, OccurredAt: occurred, RecordedAt: at, Data: data},
			Expect: s.Expect.Value, Note: s.Note, At: s.Meta.At,
		})
	}
	if spec.End.Set() {
		end, ok := clockTime(spec.End.Value, start, clock)
		if !ok {
			errorf(spec.End.At, "end", `write an offset from start such as "+8h", or a time with its offset`, "bad end %q", spec.End.Value)
		}
		dr.End = end
	}
	ds.Sort()
	if ds.HasErrors() {
		return nil, ds
	}
	return dr, ds
}

// clockTime reads "+15m" / "-5m" relative to base, or an RFC 3339 time.
// A relative time is written in the offset of start.
func clockTime(s string, base, start Time) (Time, bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-") {
		d, ok := parseOffset(s)
		if !ok {
			return Time{}, false
		}
		return base.Add(d).In(start), true
	}
	t, err := ParseTime(s)
	return t, err == nil
}

// Timeline is the record of a drill: every step, accepted or rejected and
// why, with its effects, the final state and a closing summary.
//
// Concurrency: RunDrill returns a new Timeline owned by the caller; Markdown
// only reads it, so it may be rendered concurrently.
type Timeline struct {
	Drill    string  `json:"drill"`
	Title    string  `json:"title"`
	Clause   string  `json:"clause,omitempty"`
	Scenario string  `json:"scenario,omitempty"`
	Plan     PlanRef `json:"plan"`
	Workflow string  `json:"workflow"`
	Start    Time    `json:"start"`
	End      Time    `json:"end"`
	// The final state.
	Phase         string         `json:"phase"`
	PhaseName     string         `json:"phaseName,omitempty"`
	Level         string         `json:"level"`
	LevelName     string         `json:"levelName,omitempty"`
	Response      string         `json:"response"`
	CommandHolder string         `json:"commandHolder"`
	CommandFormed string         `json:"commandFormedBy,omitempty"`
	Steps         []TimelineStep `json:"steps"`
	// Overdue lists the open tasks past their deadline at End.
	Overdue []Deadline `json:"overdue"`
	Flags   []Flag     `json:"flags"`
	Tasks   TaskCount  `json:"tasks"`
	Open    []Task     `json:"open"`
	Summary Summary    `json:"summary"`
}

// TaskCount counts the tasks of an instance by state.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type TaskCount struct {
	Opened int `json:"opened"`
	Done   int `json:"done"`
	Waived int `json:"waived"`
	Open   int `json:"open"`
}

// Summary is the closing summary of a drill.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Summary struct {
	Steps      int `json:"steps"`
	Accepted   int `json:"accepted"`
	Rejected   int `json:"rejected"`
	Unexpected int `json:"unexpected"`
	// DeadlinesMet and DeadlinesMissed count the deadlines of the drill.
	DeadlinesMet    int `json:"deadlinesMet"`
	DeadlinesMissed int `json:"deadlinesMissed"`
	// Text is the written summary, one paragraph per line.
	Text []string `json:"text"`
}

// TimelineStep is one step of a drill and what it did.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type TimelineStep struct {
	N          int    `json:"n"`
	At         Time   `json:"at"`
	OccurredAt Time   `json:"occurredAt"`
	ID         string `json:"id"`
	Event      string `json:"event"`
	Actor      string `json:"actor"`
	Accepted   bool   `json:"accepted"`
	Duplicate  bool   `json:"duplicate,omitempty"`
	Late       bool   `json:"late,omitempty"`
	// Error is the rejection's message; "" for an accepted step.
	Error string `json:"error"`
	// Rejection names the guard (or the kind of error) and its clause.
	Rejection string `json:"rejection,omitempty"`
	Clause    string `json:"clause,omitempty"`
	Expect    string `json:"expect,omitempty"`
	// AsExpected is false only when the step's expect: was not met.
	AsExpected    bool     `json:"asExpected"`
	Phase         string   `json:"phase"`
	Level         string   `json:"level"`
	Response      string   `json:"response"`
	CommandHolder string   `json:"commandHolder"`
	Opened        []string `json:"opened,omitempty"`
	Done          []string `json:"done,omitempty"`
	Waived        []string `json:"waived,omitempty"`
	// Waivers gives the reason of each task in Waived.
	Waivers   []Waiver  `json:"waivers,omitempty"`
	Deadlines []Mark    `json:"deadlines,omitempty"`
	Flags     []Flag    `json:"flags,omitempty"`
	Missing   []Missing `json:"missing,omitempty"`
	Notices   []Notice  `json:"notices,omitempty"`
	Changes   []string  `json:"changes,omitempty"`
	Note      string    `json:"note,omitempty"`
}

// Waiver is a task closed as waived or not applicable, and why.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Waiver struct {
	Task   string `json:"task"`
	Reason string `json:"reason"`
}

// RunDrill replays a drill on its simulated clock. Rejected steps are
// recorded, not fatal: a drill is meant to try what the plan forbids.
func (d *Definition) RunDrill(ctx context.Context, dr *Drill) (*Timeline, error) {
	if dr.Plan != "" && d.plan.ID != "" && dr.Plan != d.plan.ID {
		return nil, fmt.Errorf("workflow: drill %q is written for plan %q, the definition is %s", dr.ID, dr.Plan, d.plan)
	}
	inst := d.Start(dr.ID)
	tl := &Timeline{Drill: dr.ID, Title: dr.Title, Clause: dr.Clause, Scenario: dr.Scenario, Plan: d.plan, Workflow: d.id,
		Start: dr.Start, End: dr.End, Steps: []TimelineStep{}}
	for i, s := range dr.Steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		next, eff, err := d.Apply(ctx, inst, s.Event)
		st := TimelineStep{N: i + 1, At: s.Event.RecordedAt, OccurredAt: s.Event.OccurredAt, ID: s.Event.ID, Event: s.Event.Type,
			Actor: s.Event.Actor, Accepted: err == nil, Expect: s.Expect, Note: s.Note}
		if err != nil {
			st.Error = err.Error()
			st.Rejection, st.Clause = rejection(err)
		} else {
			inst = next
			st.Duplicate, st.Late = eff.Duplicate, eff.Late
			st.Opened, st.Done, st.Waived = eff.Opened, eff.Done, eff.Waived
			for _, id := range eff.Waived {
				t, _ := inst.Task(id)
				st.Waivers = append(st.Waivers, Waiver{Task: id, Reason: t.Reason})
			}
			st.Deadlines, st.Flags, st.Missing, st.Notices = eff.Deadlines, eff.Flags, eff.Missing, eff.Notices
			if len(inst.Log) > 0 {
				st.Actor = inst.Log[len(inst.Log)-1].Actor
			}
			for _, c := range []struct {
				what string
				ch   *Change
			}{{"phase", eff.Phase}, {"level", eff.Level}, {"response", eff.Response}, {"requested", eff.Requested}, {"command", eff.Command}} {
				if c.ch != nil {
					st.Changes = append(st.Changes, fmt.Sprintf("%s: %s → %s", c.what, orNone(c.ch.From), orNone(c.ch.To)))
				}
			}
		}
		st.AsExpected = expectMet(s.Expect, err, st.Rejection)
		st.Phase, st.Level, st.Response, st.CommandHolder = inst.Phase, inst.Level, inst.Response, holderText(inst.Command)
		tl.Steps = append(tl.Steps, st)
	}
	if tl.End.IsZero() {
		tl.End = dr.Start
		if n := len(dr.Steps); n > 0 {
			tl.End = dr.Steps[n-1].Event.RecordedAt
		}
	}
	tl.Phase, tl.Level, tl.Response = inst.Phase, inst.Level, inst.Response
	if p, ok := d.phaseByID[inst.Phase]; ok {
		tl.PhaseName = p.Name
	}
	tl.LevelName = d.levelName(inst.Level)
	tl.CommandHolder, tl.CommandFormed = inst.Command.Holder, inst.Command.FormedBy
	tl.Overdue = Due(inst, tl.End.Time())
	if tl.Overdue == nil {
		tl.Overdue = []Deadline{}
	}
	tl.Flags = inst.Flags
	if tl.Flags == nil {
		tl.Flags = []Flag{}
	}
	tl.Open = inst.OpenTasks()
	if tl.Open == nil {
		tl.Open = []Task{}
	}
	for _, t := range inst.Tasks {
		tl.Tasks.Opened++
		switch t.State {
		case TaskDone:
			tl.Tasks.Done++
		case TaskWaived:
			tl.Tasks.Waived++
		case TaskOpen:
			tl.Tasks.Open++
		}
	}
	d.summarise(tl)
	return tl, nil
}

func orNone(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// rejection names the kind of error: the guard id for a guard.
func rejection(err error) (string, string) {
	var ge *GuardError
	var pe *PhaseError
	switch {
	case errors.As(err, &ge):
		return ge.Guard, ge.Clause
	case errors.As(err, &pe):
		return "wrong-phase", pe.Clause
	case errors.Is(err, ErrUnknownEvent):
		return "unknown-event", ""
	case errors.Is(err, ErrInvalidEvent):
		return "invalid", ""
	case errors.Is(err, ErrOutOfOrder):
		return "out-of-order", ""
	case errors.Is(err, ErrDuplicateID):
		return "duplicate-id", ""
	}
	return "error", ""
}

func expectMet(expect string, err error, kind string) bool {
	switch expect {
	case "":
		return true
	case "accepted":
		return err == nil
	case "rejected":
		return err != nil
	}
	return err != nil && expect == kind
}

func (d *Definition) summarise(tl *Timeline) {
	s := &tl.Summary
	s.Steps = len(tl.Steps)
	var rejected, handovers, flags []string
	var waivers []Waiver
	for _, st := range tl.Steps {
		waivers = append(waivers, st.Waivers...)
		if st.Accepted {
			s.Accepted++
		} else {
			s.Rejected++
			rejected = append(rejected, fmt.Sprintf("第 %d 步 %s（%s）被拒绝：%s [%s]", st.N, st.Event, st.Actor, st.Rejection, st.Clause))
		}
		if !st.AsExpected {
			s.Unexpected++
		}
		for _, m := range st.Deadlines {
			switch m.Kind {
			case DeadlineMet:
				s.DeadlinesMet++
			case DeadlineMissed:
				s.DeadlinesMissed++
			}
		}
		for _, c := range st.Changes {
			if strings.HasPrefix(c, "command: ") && !strings.HasPrefix(c, "command: — →") {
				handovers = append(handovers, fmt.Sprintf("%s 第 %d 步 %s：%s", st.At, st.N, st.Event, strings.TrimPrefix(c, "command: ")))
			}
		}
	}
	for _, f := range tl.Flags {
		name := f.Name
		if name == "" {
			name = f.ID
		}
		flags = append(flags, fmt.Sprintf("%s（%s，%s）%s", name, f.Clause, f.At, f.Note))
	}
	add := func(format string, args ...any) { s.Text = append(s.Text, fmt.Sprintf(format, args...)) }
	add("演练《%s》（%s）依据 %s，工作流 %s，模拟时钟自 %s 至 %s。", tl.Title, orNone(tl.Clause), tl.Plan, tl.Workflow, tl.Start, tl.End)
	add("共 %d 步：接受 %d 步，拒绝 %d 步；与脚本预期不符 %d 步。", s.Steps, s.Accepted, s.Rejected, s.Unexpected)
	formed := ""
	if tl.CommandFormed != "" {
		formed = "（由 " + tl.CommandFormed + " 组建）"
	}
	add("结束时处于阶段 %s（%s），事故级别 %s（%s），响应级别 %s，现场指挥 %s%s。",
		tl.Phase, orNone(tl.PhaseName), orNone(tl.Level), orNone(tl.LevelName), orNone(tl.Response), orNone(tl.CommandHolder), formed)
	if len(handovers) > 0 {
		add("指挥权移交：%s。", strings.Join(handovers, "；"))
	} else {
		add("指挥权未移交。")
	}
	add("时限：按时 %d 项，超时 %d 项；任务共开启 %d 项，完成 %d 项，免除 %d 项，仍未完成 %d 项。",
		s.DeadlinesMet, s.DeadlinesMissed, tl.Tasks.Opened, tl.Tasks.Done, tl.Tasks.Waived, tl.Tasks.Open)
	for _, g := range groupWaivers(waivers) {
		add("免除 %d 项（%s）：%s。", len(g.tasks), g.reason, strings.Join(g.tasks, "、"))
	}
	if len(flags) > 0 {
		add("记录的问题：%s。", strings.Join(flags, "；"))
	} else {
		add("未记录迟报、漏报等问题。")
	}
	if len(tl.Overdue) > 0 {
		var od []string
		for _, o := range tl.Overdue {
			od = append(od, fmt.Sprintf("%s（%s，%s，逾期 %s）", o.Task, o.Assignee, o.Clause, fmtDuration(o.Overdue)))
		}
		add("截至 %s 逾期未完成：%s。", tl.End, strings.Join(od, "；"))
	} else {
		add("截至 %s 无逾期任务。", tl.End)
	}
	if len(rejected) > 0 {
		add("被拒绝的操作：%s。", strings.Join(rejected, "；"))
	}
}

// Markdown renders the timeline and its summary, fit to be the written
// drill report of 7.2.
func (tl *Timeline) Markdown() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# 演练：%s\n\n", tl.Title)
	w("- 演练编号：%s\n- 依据：%s（%s）\n- 工作流：%s\n- 开始：%s\n- 结束：%s\n", tl.Drill, tl.Plan, orNone(tl.Clause), tl.Workflow, tl.Start, tl.End)
	if tl.Scenario != "" {
		w("- 情景：%s\n", strings.TrimSpace(tl.Scenario))
	}
	w("\n## 时间线\n\n| # | 时间 | 事件 | 执行者 | 结果 | 阶段 | 级别 | 响应 | 现场指挥 |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, st := range tl.Steps {
		result := "接受"
		switch {
		case st.Duplicate:
			result = "重复（无变化）"
		case !st.Accepted:
			result = "拒绝：" + st.Rejection
		}
		if !st.AsExpected {
			result += " ⚠ 预期 " + st.Expect
		}
		w("| %d | %s | %s | %s | %s | %s | %s | %s | %s |\n", st.N, clockText(st.At, tl.Start), st.Event, st.Actor, result,
			st.Phase, orNone(st.Level), orNone(st.Response), orNone(st.CommandHolder))
	}
	w("\n## 各步详情\n")
	for _, st := range tl.Steps {
		w("\n### %d. %s %s（%s）\n\n", st.N, clockText(st.At, tl.Start), st.Event, st.Actor)
		if st.OccurredAt != st.At {
			w("- 发生时间：%s\n", st.OccurredAt)
		}
		if st.Late {
			w("- 迟到事件：发生早于已接受的事件，按规则接受并标记\n")
		}
		if st.Note != "" {
			w("- 说明：%s\n", st.Note)
		}
		if !st.Accepted {
			w("- **拒绝**（%s，%s）：%s\n", st.Rejection, orNone(st.Clause), st.Error)
			continue
		}
		for _, c := range st.Changes {
			w("- 变化：%s\n", c)
		}
		list := func(label string, ids []string) {
			if len(ids) > 0 {
				w("- %s：%s\n", label, strings.Join(ids, "、"))
			}
		}
		list("开启任务", st.Opened)
		list("完成任务", st.Done)
		for _, g := range groupWaivers(st.Waivers) {
			w("- 免除任务（%s）：%s\n", g.reason, strings.Join(g.tasks, "、"))
		}
		for _, m := range st.Deadlines {
			w("- 时限 %s：%s，截止 %s\n", m.Kind, m.Task, m.Due)
		}
		for _, f := range st.Flags {
			w("- **标记 %s**（%s）：%s\n", orNone(f.Name), f.Clause, f.Note)
		}
		for _, ms := range st.Missing {
			var items []string
			for _, it := range ms.Items {
				items = append(items, it.Clause+" "+it.Label)
			}
			w("- 缺少的报告内容：%s\n", strings.Join(items, "；"))
		}
		if len(st.Notices) > 0 {
			var ns []string
			for _, n := range st.Notices {
				s := n.To + "（" + n.Clause + "）"
				if n.By != "" {
					s = n.By + " → " + s
				}
				if n.Conditional {
					s += "［必要时］"
				}
				ns = append(ns, s)
			}
			w("- 报告/通知：%s\n", strings.Join(ns, "；"))
		}
	}
	w("\n## 结束状态\n\n- 阶段：%s（%s）\n- 事故级别：%s（%s）\n- 响应级别：%s\n- 现场指挥：%s\n",
		tl.Phase, orNone(tl.PhaseName), orNone(tl.Level), orNone(tl.LevelName), orNone(tl.Response), orNone(holderText(Command{Holder: tl.CommandHolder, FormedBy: tl.CommandFormed})))
	if len(tl.Overdue) > 0 {
		w("\n### 逾期任务\n\n")
		for _, o := range tl.Overdue {
			w("- %s %s（%s，%s），截止 %s，逾期 %s\n", o.Task, o.Name, o.Assignee, o.Clause, o.Due, fmtDuration(o.Overdue))
		}
	}
	if len(tl.Open) > 0 {
		w("\n### 未完成任务\n\n")
		for _, t := range tl.Open {
			cond := ""
			if t.Conditional != "" {
				cond = "［" + t.Conditional + "］"
			}
			w("- %s %s（%s，%s）%s\n", t.ID, t.Name, t.Assignee, t.Clause, cond)
		}
	}
	w("\n## 总结（7.2 书面总结报告）\n\n")
	for _, p := range tl.Summary.Text {
		w("%s\n\n", p)
	}
	return b.String()
}

type waiverGroup struct {
	reason string
	tasks  []string
}

// groupWaivers groups waived tasks by reason, in order of first mention.
func groupWaivers(ws []Waiver) []waiverGroup {
	var out []waiverGroup
	for _, w := range ws {
		i := slices.IndexFunc(out, func(g waiverGroup) bool { return g.reason == w.Reason })
		if i < 0 {
			out = append(out, waiverGroup{reason: w.Reason})
			i = len(out) - 1
		}
		out[i].tasks = append(out[i].tasks, w.Task)
	}
	return out
}

// clockText renders a step time as "+1h05m (09:05+06:00)".
func clockText(t, start Time) string {
	d := t.Sub(start)
	return fmt.Sprintf("+%s (%s)", fmtDuration(d), t.Time().Format("15:04Z07:00"))
}

// parseOffset reads a signed Go duration, also with days: "+2d12h".
func parseOffset(s string) (time.Duration, bool) {
	sign := time.Duration(1)
	if s[0] == '-' {
		sign = -1
	}
	s = s[1:]
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i >= 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 || n > 3660 {
			return 0, false
		}
		days, s = time.Duration(n)*24*time.Hour, s[i+1:]
	}
	var d time.Duration
	if s != "" {
		var err error
		if d, err = time.ParseDuration(s); err != nil || d < 0 {
			return 0, false
		}
	}
	return sign * (days + d), true
}
