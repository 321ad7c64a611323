package drill

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/workflow"
	"github.com/yingji/yingji/workflow/internal/norm"
)

// Timeline is the record of a drill: every step, accepted or rejected and
// why, with its effects, the final state and a closing summary.
//
// Concurrency: Run returns a new Timeline owned by the caller; Markdown
// only reads it, so it may be rendered concurrently.
type Timeline struct {
	Drill    string           `json:"drill"`
	Title    string           `json:"title"`
	Clause   string           `json:"clause,omitempty"`
	Scenario string           `json:"scenario,omitempty"`
	Plan     workflow.PlanRef `json:"plan"`
	Workflow string           `json:"workflow"`
	Start    workflow.Time    `json:"start"`
	End      workflow.Time    `json:"end"`
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
	Overdue []workflow.Deadline `json:"overdue"`
	Flags   []workflow.Flag     `json:"flags"`
	Tasks   TaskCount           `json:"tasks"`
	Open    []workflow.Task     `json:"open"`
	Summary Summary             `json:"summary"`
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
	N          int           `json:"n"`
	At         workflow.Time `json:"at"`
	OccurredAt workflow.Time `json:"occurredAt"`
	ID         string        `json:"id"`
	Event      string        `json:"event"`
	Actor      string        `json:"actor"`
	// ActorName is the actor's name, where the plan's actor resolver has
	// one.
	ActorName string `json:"actorName,omitempty"`
	Accepted  bool   `json:"accepted"`
	Duplicate bool   `json:"duplicate,omitempty"`
	Late      bool   `json:"late,omitempty"`
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
	Waivers   []Waiver           `json:"waivers,omitempty"`
	Deadlines []workflow.Mark    `json:"deadlines,omitempty"`
	Flags     []workflow.Flag    `json:"flags,omitempty"`
	Missing   []workflow.Missing `json:"missing,omitempty"`
	Notices   []workflow.Notice  `json:"notices,omitempty"`
	Changes   []string           `json:"changes,omitempty"`
	Note      string             `json:"note,omitempty"`
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

// Run replays a drill on its simulated clock under def. Rejected steps are
// recorded, not fatal: a drill is meant to try what the plan forbids. The
// error is a *PlanError when the scenario names another plan than def's,
// or the context's error.
func Run(ctx context.Context, def *workflow.Definition, dr *Drill) (*Timeline, error) {
	plan := def.Plan()
	if dr.Plan != "" && plan.ID != "" && dr.Plan != plan.ID {
		return nil, &PlanError{Drill: dr.ID, Plan: dr.Plan, Definition: plan}
	}
	inst := def.Start(dr.ID)
	tl := &Timeline{Drill: dr.ID, Title: dr.Title, Clause: dr.Clause, Scenario: dr.Scenario, Plan: plan, Workflow: def.ID(),
		Start: dr.Start, End: dr.End, Steps: []TimelineStep{}}
	for i, s := range dr.Steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		next, eff, err := def.Apply(ctx, inst, s.Event)
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
			if n := inst.Len(); n > 0 {
				st.Actor = inst.Log()[n-1].Actor
			}
			for _, c := range []struct {
				what string
				ch   *workflow.Change
			}{{"phase", eff.Phase}, {"level", eff.Level}, {"response", eff.Response}, {"requested", eff.Requested}, {"command", eff.Command}} {
				if c.ch != nil {
					st.Changes = append(st.Changes, fmt.Sprintf("%s: %s → %s", c.what, orNone(c.ch.From), orNone(c.ch.To)))
				}
			}
		}
		st.ActorName = def.ActorName(st.Actor)
		st.AsExpected = expectMet(s.Expect, err, st.Rejection)
		st.Phase, st.Level, st.Response, st.CommandHolder = inst.Phase, inst.Level, inst.Response, inst.Command.String()
		tl.Steps = append(tl.Steps, st)
	}
	if tl.End.IsZero() {
		tl.End = dr.Start
		if n := len(dr.Steps); n > 0 {
			tl.End = dr.Steps[n-1].Event.RecordedAt
		}
	}
	tl.Phase, tl.Level, tl.Response = inst.Phase, inst.Level, inst.Response
	if p, ok := def.Phase(inst.Phase); ok {
		tl.PhaseName = p.Name
	}
	if l, ok := def.Rules().Level(inst.Level); ok && inst.Level != "" {
		tl.LevelName = l.Name
	}
	tl.CommandHolder, tl.CommandFormed = inst.Command.Holder, inst.Command.FormedBy
	tl.Overdue = workflow.Due(inst, tl.End.Time())
	if tl.Overdue == nil {
		tl.Overdue = []workflow.Deadline{}
	}
	tl.Flags = inst.Flags()
	if tl.Flags == nil {
		tl.Flags = []workflow.Flag{}
	}
	tl.Open = inst.OpenTasks()
	if tl.Open == nil {
		tl.Open = []workflow.Task{}
	}
	for _, t := range inst.Tasks() {
		tl.Tasks.Opened++
		switch t.State {
		case workflow.TaskDone:
			tl.Tasks.Done++
		case workflow.TaskWaived:
			tl.Tasks.Waived++
		case workflow.TaskOpen:
			tl.Tasks.Open++
		}
	}
	summarise(tl)
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
	var ge *workflow.GuardError
	var pe *workflow.PhaseError
	switch {
	case errors.As(err, &ge):
		return ge.Guard, ge.Clause
	case errors.As(err, &pe):
		return "wrong-phase", pe.Clause
	case errors.Is(err, workflow.ErrUnknownEvent):
		return "unknown-event", ""
	case errors.Is(err, workflow.ErrInvalidEvent):
		return "invalid", ""
	case errors.Is(err, workflow.ErrOutOfOrder):
		return "out-of-order", ""
	case errors.Is(err, workflow.ErrDuplicateID):
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

func summarise(tl *Timeline) {
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
			case workflow.DeadlineMet:
				s.DeadlinesMet++
			case workflow.DeadlineMissed:
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
			od = append(od, fmt.Sprintf("%s（%s，%s，逾期 %s）", o.Task, o.Assignee, o.Clause, norm.Duration(o.Overdue)))
		}
		add("截至 %s 逾期未完成：%s。", tl.End, strings.Join(od, "；"))
	} else {
		add("截至 %s 无逾期任务。", tl.End)
	}
	if len(rejected) > 0 {
		add("被拒绝的操作：%s。", strings.Join(rejected, "；"))
	}
}

// PlanError is a drill written for another plan than the definition it
// is run under.
//
// Concurrency: immutable once returned; safe to share between goroutines.
type PlanError struct {
	Drill, Plan string
	Definition  workflow.PlanRef
}

func (e *PlanError) Error() string {
	return fmt.Sprintf("drill: drill %q is written for plan %q, the definition is %s", e.Drill, e.Plan, e.Definition)
}

// Problems returns the error in its machine form.
func (e *PlanError) Problems() []diag.Problem {
	return []diag.Problem{{Code: CodePlanMismatch, Message: e.Error(), Field: "plan",
		Params: map[string]string{"drill": e.Drill, "plan": e.Plan, "definition": e.Definition.ID}}}
}
