package workflow

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

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
// read back from JSON is identical to the one written.
func (e *Event) UnmarshalJSON(b []byte) error {
	type plain Event
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	data, err := norm.Map(p.Data)
	if err != nil {
		return fmt.Errorf("workflow: event %q data: %w", p.ID, err)
	}
	p.Data = data
	*e = Event(p)
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
)

var taskStateNames = [...]string{"invalid", "open", "done", "waived"}

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
		return fmt.Errorf("workflow: unknown task state %q (want open, done or waived)", b)
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
	ID          string    `json:"id"`
	Def         string    `json:"task"`
	Name        string    `json:"name"`
	Clause      string    `json:"clause"`
	Assignee    string    `json:"assignee"`
	Conditional string    `json:"conditional,omitempty"`
	State       TaskState `json:"state"`
	OpenedAt    Time      `json:"openedAt"`
	OpenedBy    string    `json:"openedBy"`
	Due         *Time     `json:"due,omitempty"`
	ClosedAt    *Time     `json:"closedAt,omitempty"`
	ClosedBy    string    `json:"closedBy,omitempty"`
	Reason      string    `json:"reason,omitempty"`
	// Late is set when the task was done after its deadline.
	Late bool `json:"late,omitempty"`
}

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
	Task   string `json:"task,omitempty"`
	Note   string `json:"note,omitempty"`
}

// Command is who holds site command.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Command struct {
	Holder   string `json:"holder,omitempty"`
	FormedBy string `json:"formedBy,omitempty"`
	Since    *Time  `json:"since,omitempty"`
	Event    string `json:"event,omitempty"`
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
// whole state can be rebuilt by replaying Log. Instances round-trip through
// JSON losslessly. An Instance may be read from several goroutines; it has
// no methods that modify it.
type Instance struct {
	ID       string  `json:"id"`
	Workflow string  `json:"workflow"`
	Plan     PlanRef `json:"plan"`
	Phase    string  `json:"phase"`
	// Level is the grading level id of the latest assessment.
	Level string `json:"level,omitempty"`
	// Response is the response level activated (I–IV for Changji).
	Response string `json:"response,omitempty"`
	// Requested is the level id a higher response was asked for (4.2).
	Requested string  `json:"requested,omitempty"`
	Command   Command `json:"command"`
	// Facts are the known grading inputs of the incident.
	Facts map[string]any `json:"facts,omitempty"`
	Vars  map[string]any `json:"vars,omitempty"`
	Tasks []Task         `json:"tasks,omitempty"`
	Flags []Flag         `json:"flags,omitempty"`
	// Last is the latest occurredAt of the accepted events.
	Last Time    `json:"last"`
	Log  []Event `json:"log"`
}

// UnmarshalJSON decodes an instance and normalises its values, so that
// JSON → Instance → JSON gives the same bytes and an equal value.
func (inst *Instance) UnmarshalJSON(b []byte) error {
	type plain Instance
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	var err error
	if p.Facts, err = norm.Map(p.Facts); err != nil {
		return fmt.Errorf("workflow: instance facts: %w", err)
	}
	if p.Vars, err = norm.Map(p.Vars); err != nil {
		return fmt.Errorf("workflow: instance vars: %w", err)
	}
	if p.Log == nil {
		p.Log = []Event{}
	}
	*inst = Instance(p)
	return nil
}

// Task returns the task with the given instance id.
func (inst Instance) Task(id string) (Task, bool) {
	i := slices.IndexFunc(inst.Tasks, func(t Task) bool { return t.ID == id })
	if i < 0 {
		return Task{}, false
	}
	return inst.Tasks[i], true
}

// OpenTasks returns the tasks still open.
func (inst Instance) OpenTasks() []Task {
	var out []Task
	for _, t := range inst.Tasks {
		if t.State == TaskOpen {
			out = append(out, t)
		}
	}
	return out
}

// HasFlag reports whether a flag with the given id was raised.
func (inst Instance) HasFlag(id string) bool {
	return slices.ContainsFunc(inst.Flags, func(f Flag) bool { return f.ID == id })
}

func (inst Instance) clone() Instance {
	c := inst
	c.Facts = maps.Clone(inst.Facts)
	c.Vars = maps.Clone(inst.Vars)
	c.Tasks = slices.Clone(inst.Tasks)
	c.Flags = slices.Clone(inst.Flags)
	c.Log = slices.Clone(inst.Log)
	return c
}
