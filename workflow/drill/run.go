package drill

import (
	"context"
	"errors"
	"fmt"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/workflow"
)

// Timeline is the record of a drill: every step, accepted or rejected and
// why, with its effects, the final state and a closing summary.
//
// A Timeline that Run returns remembers the definition it was run under,
// so that Markdown names units, tasks and phases as the plan does; one
// decoded from JSON has only the names it carries.
//
// Concurrency: Run returns a new Timeline owned by the caller; Markdown
// only reads it (and the immutable definition), so it may be rendered
// concurrently.
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
	// Overdue lists the open tasks past their deadline at End; Windows the
	// windows still open at End, with their ends.
	Overdue []workflow.Deadline `json:"overdue"`
	Windows []workflow.Deadline `json:"windows"`
	Flags   []workflow.Flag     `json:"flags"`
	Tasks   TaskCount           `json:"tasks"`
	Open    []workflow.Task     `json:"open"`
	Summary Summary             `json:"summary"`

	def *workflow.Definition
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
	// Text is the written summary, one paragraph per line, in Chinese
	// with the plan's names (Markdown renders it in other languages).
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
	// Ended are the windows whose period was over by this step.
	Ended []string `json:"ended,omitempty"`
	// Waivers gives the reason of each task in Waived.
	Waivers   []Waiver           `json:"waivers,omitempty"`
	Deadlines []workflow.Mark    `json:"deadlines,omitempty"`
	Flags     []workflow.Flag    `json:"flags,omitempty"`
	Missing   []workflow.Missing `json:"missing,omitempty"`
	Notices   []workflow.Notice  `json:"notices,omitempty"`
	Changes   []StepChange       `json:"changes,omitempty"`
	Note      string             `json:"note,omitempty"`
}

// StepChange is one thing a step changed. What is "phase", "level",
// "response", "requested" (the level a higher response was asked for)
// or "command" (who holds site command, "site-hq (hq)": the holder and
// the body that formed it); From and To are the ids before and after,
// "" for none; FromName and ToName are what the plan calls them
// (阶段 接报, 级别 较大, Ⅲ级应急响应, 现场指挥部（昌吉州指挥部组建）).
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines.
type StepChange struct {
	What     string `json:"what"`
	From     string `json:"from"`
	To       string `json:"to"`
	FromName string `json:"fromName,omitempty"`
	ToName   string `json:"toName,omitempty"`
}

// Waiver is a task closed as waived or not applicable, and why.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Waiver struct {
	Task     string `json:"task"`
	TaskName string `json:"taskName,omitempty"`
	// Reason is the task's reason, in Chinese; ReasonCode and
	// ReasonParams its machine form where the engine wrote it
	// (workflow.Task.ReasonCode).
	Reason       string            `json:"reason"`
	ReasonCode   string            `json:"reasonCode,omitempty"`
	ReasonParams map[string]string `json:"reasonParams,omitempty"`
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
	n := names{def: def}
	tl := &Timeline{Drill: dr.ID, Title: dr.Title, Clause: dr.Clause, Scenario: dr.Scenario, Plan: plan, Workflow: def.ID(),
		Start: dr.Start, End: dr.End, Steps: []TimelineStep{}, def: def}
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
			st.Opened, st.Done, st.Waived, st.Ended = eff.Opened, eff.Done, eff.Waived, eff.Ended
			for _, id := range eff.Waived {
				t, _ := inst.Task(id)
				st.Waivers = append(st.Waivers, Waiver{Task: id, TaskName: t.Name, Reason: t.Reason, ReasonCode: t.ReasonCode, ReasonParams: t.ReasonParams})
			}
			st.Deadlines, st.Flags, st.Missing, st.Notices = eff.Deadlines, eff.Flags, eff.Missing, eff.Notices
			st.Actor = loggedActor(inst.Log(), s.Event.ID, st.Actor)
			for _, c := range []struct {
				what string
				ch   *workflow.Change
			}{{"phase", eff.Phase}, {"level", eff.Level}, {"response", eff.Response}, {"requested", eff.Requested}, {"command", eff.Command}} {
				if c.ch != nil {
					st.Changes = append(st.Changes, StepChange{What: c.what, From: c.ch.From, To: c.ch.To,
						FromName: n.changeName(c.what, c.ch.From), ToName: n.changeName(c.what, c.ch.To)})
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
	tl.Overdue, tl.Windows = []workflow.Deadline{}, []workflow.Deadline{}
	for _, d := range workflow.Due(inst, tl.End.Time()) {
		if d.Window {
			tl.Windows = append(tl.Windows, d)
		} else {
			tl.Overdue = append(tl.Overdue, d)
		}
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

// loggedActor is the actor, as logged (its id, aliases resolved), of the
// logged event with the given id: the one just accepted, or, for a step
// delivered again, the one logged before — not whichever came last.
func loggedActor(log []workflow.Event, id, fallback string) string {
	for i := len(log) - 1; i >= 0; i-- {
		if log[i].ID == id {
			return log[i].Actor
		}
	}
	return fallback
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

// summarise counts the steps and deadlines of the timeline and writes
// its summary, in Chinese.
func summarise(tl *Timeline) {
	s := &tl.Summary
	s.Steps = len(tl.Steps)
	for _, st := range tl.Steps {
		if st.Accepted {
			s.Accepted++
		} else {
			s.Rejected++
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
	}
	s.Text = summaryText(tl, names{def: tl.def}, "")
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
