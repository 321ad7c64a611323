package workflow

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/yingji/yingji/workflow/internal/norm"
)

// Event is one thing that happened, as reported to the workflow. The
// envelope (ID, Type, Actor, OccurredAt, RecordedAt) is the integration
// contract; Data follows the event type's schema in workflow.yaml.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Event struct {
	// ID is unique per instance: the same event delivered again is a
	// no-op, so re-delivery is safe.
	ID string `json:"id"`
	// Type is the event's declared id, e.g. "report.written".
	Type string `json:"type"`
	// Actor is the unit or role that acted, by id or alias; the accepted
	// event records the id.
	Actor string `json:"actor"`
	// OccurredAt is when it happened, with an explicit UTC offset.
	OccurredAt Time `json:"occurredAt"`
	// RecordedAt is when it was entered; it may not precede OccurredAt.
	RecordedAt Time `json:"recordedAt"`
	// Data holds the event's fields: strings, bools, float64 numbers,
	// []string lists and, for incident fields, map[string]any.
	Data map[string]any `json:"data,omitempty"`
	// Late is set by the engine on a logged event that occurred before an
	// event accepted earlier (see the ordering rule in the package doc).
	Late bool `json:"late,omitempty"`
}

// UnmarshalJSON decodes an event and normalises its data, so that an event
// read back from JSON is identical to the one written. A time that is not
// RFC 3339 with an offset, or outside the years MinYear–MaxYear, and data
// the engine cannot hold are an *InvalidEventError naming the field.
func (e *Event) UnmarshalJSON(b []byte) error {
	type plain Event
	var p struct {
		plain
		OccurredAt *string `json:"occurredAt"`
		RecordedAt *string `json:"recordedAt"`
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	var errs []FieldError
	for _, f := range []struct {
		name string
		text *string
		to   *Time
	}{{"occurredAt", p.OccurredAt, &p.plain.OccurredAt}, {"recordedAt", p.RecordedAt, &p.plain.RecordedAt}} {
		if f.text == nil || *f.text == "" {
			continue
		}
		t, err := ParseTime(*f.text)
		if err != nil {
			code := CodeEventBadTime
			if errors.Is(err, ErrTimeRange) {
				code = CodeEventTimeRange
			}
			errs = append(errs, bad(f.name, code, map[string]string{"value": *f.text}, "%s", strings.TrimPrefix(err.Error(), "workflow: ")))
			continue
		}
		*f.to = t
	}
	data, err := norm.Map(p.Data)
	if err != nil {
		field, reason, _ := strings.Cut(err.Error(), ": ")
		errs = append(errs, bad("data."+field, CodeEventInvalid, nil, "%s", reason))
	}
	if len(errs) > 0 {
		return &InvalidEventError{Event: p.ID, Type: p.Type, Fields: errs}
	}
	p.plain.Data = data
	*e = Event(p.plain)
	return nil
}

// TaskState is the state of a task. The zero value is InvalidTask.
//
// Concurrency: an immutable value, safe for concurrent use.
type TaskState int

const (
	InvalidTask TaskState = iota
	TaskOpen              // to do
	TaskDone              // done
	TaskWaived            // waived or not applicable, with a reason
	TaskEnded             // a window whose period is over
)

var taskStateNames = [...]string{"invalid", "open", "done", "waived", "ended"}

func (s TaskState) String() string {
	if s < 0 || int(s) >= len(taskStateNames) {
		return fmt.Sprintf("TaskState(%d)", int(s))
	}
	return taskStateNames[s]
}

// MarshalText renders the state by name.
func (s TaskState) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses a state name.
func (s *TaskState) UnmarshalText(b []byte) error {
	i := slices.Index(taskStateNames[:], string(b))
	if i <= 0 {
		return fmt.Errorf("workflow: unknown task state %q (want open, done, waived or ended)", b)
	}
	*s = TaskState(i)
	return nil
}

// Task is one opened duty of an instance.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Task struct {
	// ID is the task's id for the first opening, "id#2", "id#3" … for
	// the later openings of a recurring task.
	ID       string `json:"id"`
	Def      string `json:"task"`
	Name     string `json:"name"`
	Clause   string `json:"clause"`
	Assignee string `json:"assignee"`
	// AssigneeName is the assignee's name, where the plan's actor
	// resolver has one.
	AssigneeName string    `json:"assigneeName,omitempty"`
	Conditional  string    `json:"conditional,omitempty"`
	State        TaskState `json:"state"`
	OpenedAt     Time      `json:"openedAt"`
	OpenedBy     string    `json:"openedBy"`
	// Due is the deadline, or for a window (Window set) the end of its
	// period. Start is the time the period was counted from when that is
	// not OpenedAt (a time in the data); Days its length in calendar days
	// when it is counted in days.
	Due      *Time  `json:"due,omitempty"`
	Window   bool   `json:"window,omitempty"`
	Start    *Time  `json:"start,omitempty"`
	Days     int    `json:"days,omitempty"`
	ClosedAt *Time  `json:"closedAt,omitempty"`
	ClosedBy string `json:"closedBy,omitempty"`
	// Reason says, in Chinese and by name, why the task was closed as it
	// was: the words of the event that waived it (or of the note of the
	// event that completed it), or what the engine writes when it closes
	// a task itself. ReasonCode and ReasonParams are its machine form for
	// the latter (ReasonLapsed, ReasonPhaseClosed, ReasonPeriodEnded),
	// empty when the reason is the event's own words.
	Reason       string            `json:"reason,omitempty"`
	ReasonCode   string            `json:"reasonCode,omitempty"`
	ReasonParams map[string]string `json:"reasonParams,omitempty"`
	// Late is set when the task was done after its deadline.
	Late bool `json:"late,omitempty"`
}

// The codes of the reasons the engine gives a task it closes itself
// (Task.ReasonCode).
const (
	// ReasonLapsed: the response level changed and the task belongs to
	// other levels only (lapse: of workflow.yaml). Params: from and to,
	// the response level ids before and after; levels, the response
	// level ids the task belongs to, joined by ",".
	ReasonLapsed = "lapsed"
	// ReasonPhaseClosed: the instance entered a phase that waives the
	// tasks still open (waiveOpen:). Params: phase, its id.
	ReasonPhaseClosed = "phase-closed"
	// ReasonPeriodEnded: a window's period is over (state ended). Params:
	// due, the end of the period (RFC 3339).
	ReasonPeriodEnded = "period-ended"
)

// Flag is a finding recorded on an instance: 迟报, an incomplete report.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Flag struct {
	ID     string `json:"id"`
	Name   string `json:"name,omitempty"`
	Clause string `json:"clause,omitempty"`
	Event  string `json:"event"`
	At     Time   `json:"at"`
	// Task is the task a late: flag is about, TaskName its name.
	Task     string `json:"task,omitempty"`
	TaskName string `json:"taskName,omitempty"`
	// Note explains the flag in Chinese, by name: what the data's note:
	// writes, or for a late: flag without one what the engine writes
	// ("15 分钟内补报文字报告：开启后 22 分钟完成，时限 15 分钟，超时 7 分钟").
	Note string `json:"note,omitempty"`
	// Due is, for a late: flag, the deadline that was missed or the end
	// of the window the event fell after; OverdueSeconds how long after
	// it the event occurred, in whole seconds.
	Due            *Time `json:"due,omitempty"`
	OverdueSeconds int64 `json:"overdueSeconds,omitempty"`
}

// Command is who holds site command.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Command struct {
	Holder string `json:"holder,omitempty"`
	// HolderName is the holder's name, where the plan's actor resolver
	// has one.
	HolderName string `json:"holderName,omitempty"`
	FormedBy   string `json:"formedBy,omitempty"`
	Since      *Time  `json:"since,omitempty"`
	Event      string `json:"event,omitempty"`
}

// String renders the holder with the body that formed the command:
// "site-hq (hq)"; the holder alone when no body is recorded.
func (c Command) String() string {
	if c.FormedBy == "" || c.Holder == "" {
		return c.Holder
	}
	return c.Holder + " (" + c.FormedBy + ")"
}

// Instance is the state of one incident's response. It is a value: Apply
// returns a new instance and never changes the one it is given, and the
// whole state can be rebuilt by replaying its log. Instances round-trip
// through JSON losslessly.
//
// The log, the tasks and the flags are behind methods: instances derived
// one from another share them (see Apply), so that an instance's history
// can only grow through Apply. Log and Flags return the shared slices
// (read them, do not modify them); Tasks builds the list with each task's
// state. Facts and Vars
// may be shared with the instances before and after; treat them as
// read-only. Compare instances by their JSON: the sharing is not part of
// their value.
//
// Concurrency: an Instance may be read from any number of goroutines; it
// has no methods that modify it.
type Instance struct {
	ID       string
	Workflow string
	Plan     PlanRef
	Phase    string
	// Level is the grading level id of the latest assessment.
	Level string
	// Response is the response level activated (I–IV for Changji).
	Response string
	// Requested is the level id a higher response was asked for (4.2).
	Requested string
	Command   Command
	// Facts are the known grading inputs of the incident.
	Facts map[string]any
	// Vars are the variables the workflow's effects have set.
	Vars map[string]any
	// Last is the latest occurredAt of the accepted events.
	Last Time

	h history
}

// instanceJSON is an Instance as JSON holds it.
type instanceJSON struct {
	ID        string         `json:"id"`
	Workflow  string         `json:"workflow"`
	Plan      PlanRef        `json:"plan"`
	Phase     string         `json:"phase"`
	Level     string         `json:"level,omitempty"`
	Response  string         `json:"response,omitempty"`
	Requested string         `json:"requested,omitempty"`
	Command   Command        `json:"command"`
	Facts     map[string]any `json:"facts"`
	Vars      map[string]any `json:"vars"`
	Tasks     []Task         `json:"tasks"`
	Flags     []Flag         `json:"flags"`
	Last      Time           `json:"last"`
	Log       []Event        `json:"log"`
}

// MarshalJSON renders the instance with its tasks, flags and log; empty
// collections are [] and {}, never null.
func (inst Instance) MarshalJSON() ([]byte, error) {
	j := instanceJSON{ID: inst.ID, Workflow: inst.Workflow, Plan: inst.Plan, Phase: inst.Phase, Level: inst.Level,
		Response: inst.Response, Requested: inst.Requested, Command: inst.Command, Facts: inst.Facts, Vars: inst.Vars,
		Tasks: inst.h.taskList(), Flags: inst.h.flags, Last: inst.Last, Log: inst.h.log}
	if j.Tasks == nil {
		j.Tasks = []Task{}
	}
	if j.Facts == nil {
		j.Facts = map[string]any{}
	}
	if j.Vars == nil {
		j.Vars = map[string]any{}
	}
	if j.Flags == nil {
		j.Flags = []Flag{}
	}
	if j.Log == nil {
		j.Log = []Event{}
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes an instance and normalises its values, so that
// JSON → Instance → JSON gives the same bytes.
func (inst *Instance) UnmarshalJSON(b []byte) error {
	var j instanceJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	facts, err := norm.Map(j.Facts)
	if err != nil {
		return fmt.Errorf("workflow: instance facts: %w", err)
	}
	vars, err := norm.Map(j.Vars)
	if err != nil {
		return fmt.Errorf("workflow: instance vars: %w", err)
	}
	if len(facts) == 0 {
		facts = nil
	}
	if len(vars) == 0 {
		vars = nil
	}
	for i, t := range j.Tasks {
		if t.State == InvalidTask {
			return fmt.Errorf("workflow: instance task %d (%q) has no state", i, t.ID)
		}
	}
	tasks, closes := fromTasks(j.Tasks)
	*inst = Instance{ID: j.ID, Workflow: j.Workflow, Plan: j.Plan, Phase: j.Phase, Level: j.Level, Response: j.Response,
		Requested: j.Requested, Command: j.Command, Facts: facts, Vars: vars, Last: j.Last,
		h: history{log: clip(j.Log), tasks: clip(tasks), closes: clip(closes), flags: clip(j.Flags)}}
	return nil
}

func clip[T any](s []T) []T { return s[:len(s):len(s)] }

// Log returns the accepted events in the order they were applied. The
// slice is shared with other instances: read it, do not modify it.
func (inst Instance) Log() []Event { return inst.h.log }

// Len is the number of events in the log.
func (inst Instance) Len() int { return len(inst.h.log) }

// Tasks returns every task the instance opened, in opening order, with
// its state. The slice is the caller's.
func (inst Instance) Tasks() []Task { return inst.h.taskList() }

// Task returns the task with the given instance id.
func (inst Instance) Task(id string) (Task, bool) { return inst.h.task(id) }

// OpenTasks returns the tasks still open, in opening order.
func (inst Instance) OpenTasks() []Task { return inst.h.openTasks() }

// Flags returns the findings raised, in order. The slice is shared with
// other instances: read it, do not modify it.
func (inst Instance) Flags() []Flag { return inst.h.flags }

// HasFlag reports whether a flag with the given id was raised.
func (inst Instance) HasFlag(id string) bool {
	return slices.ContainsFunc(inst.h.flags, func(f Flag) bool { return f.ID == id })
}
