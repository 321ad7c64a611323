package workflow

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/yingji/yingji/diag"
)

// What Apply returns besides the instance: the effects of an event, and
// the deadlines Due finds overdue.

// Effects is what accepting one event did. In JSON every list is
// present, [] when empty.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Effects struct {
	// Event is the event's type ("report.written"), EventID its id.
	Event   string `json:"event"`
	EventID string `json:"eventId"`
	// Duplicate is set when the event was already in the log: nothing
	// changed.
	Duplicate bool `json:"duplicate,omitempty"`
	// Late is set when the event occurred before an event accepted
	// earlier and was accepted under the ordering rule.
	Late      bool     `json:"late,omitempty"`
	Phase     *Change  `json:"phase,omitempty"`
	Level     *Change  `json:"level,omitempty"`
	Response  *Change  `json:"response,omitempty"`
	Requested *Change  `json:"requested,omitempty"`
	Command   *Change  `json:"command,omitempty"`
	Opened    []string `json:"opened"`
	Done      []string `json:"done"`
	Waived    []string `json:"waived"`
	// Ended are the windows whose period ended before this event.
	Ended     []string  `json:"ended"`
	Deadlines []Mark    `json:"deadlines"`
	Flags     []Flag    `json:"flags"`
	Missing   []Missing `json:"missing"`
	// Notices are the reports and notices the event calls for: the
	// notify: lists of the tasks it opened, then the roster of a newly
	// activated response level.
	Notices []Notice `json:"notices"`
	// Warnings are problems that did not stop the event (a roster the
	// hook could not build, CodeRosterFailed): a message in Chinese for
	// the people on duty, with the code and parameters for machines.
	Warnings []diag.Problem `json:"warnings"`
}

// MarshalJSON renders the effects with every list present.
func (e Effects) MarshalJSON() ([]byte, error) {
	type plain Effects
	p := plain(e)
	p.Opened, p.Done, p.Waived, p.Ended, p.Warnings = orEmpty(p.Opened), orEmpty(p.Done), orEmpty(p.Waived), orEmpty(p.Ended), orEmpty(p.Warnings)
	p.Deadlines, p.Flags, p.Missing, p.Notices = orEmpty(p.Deadlines), orEmpty(p.Flags), orEmpty(p.Missing), orEmpty(p.Notices)
	return json.Marshal(p)
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Change is a value before and after an event.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Change struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// MarkKind says what happened to a deadline. The zero value is
// InvalidMark.
//
// Concurrency: an immutable value, safe for concurrent use.
type MarkKind int

const (
	InvalidMark MarkKind = iota
	DeadlineSet
	DeadlineMet
	DeadlineMissed
	// WindowEnded: a window's period is over (Due is its end).
	WindowEnded
)

var markNames = [...]string{"invalid", "set", "met", "missed", "ended"}

func (k MarkKind) String() string {
	if k < 0 || int(k) >= len(markNames) {
		return fmt.Sprintf("MarkKind(%d)", int(k))
	}
	return markNames[k]
}

// MarshalText renders the kind by name.
func (k MarkKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText parses a kind name.
func (k *MarkKind) UnmarshalText(b []byte) error {
	i := slices.Index(markNames[:], string(b))
	if i <= 0 {
		return fmt.Errorf("workflow: unknown deadline mark %q", b)
	}
	*k = MarkKind(i)
	return nil
}

// Mark is a deadline set, met or missed, or a window's period set,
// ended, or an event it covers inside it (met) or after it (missed).
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Mark struct {
	Kind MarkKind `json:"kind"`
	Task string   `json:"task"`
	Due  Time     `json:"due"`
	// At is when the task was done, for met and missed.
	At *Time `json:"at,omitempty"`
}

// Missing names the items a checklist field lacked.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Missing struct {
	Field string `json:"field"`
	Items []Item `json:"items"`
}

// Notice is one report or notice an event calls for: To is told, by By
// (actor ids, with their names where the plan's actor resolver has them).
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Notice struct {
	To     string `json:"to"`
	ToName string `json:"toName,omitempty"`
	By     string `json:"by,omitempty"`
	ByName string `json:"byName,omitempty"`
	Clause string `json:"clause,omitempty"`
	// Task is the task that calls for it; empty for roster entries.
	Task string `json:"task,omitempty"`
	// Roster is set for the entries of the roster of a newly activated
	// response level; Engaged for those who act rather than are told.
	Roster      bool `json:"roster,omitempty"`
	Engaged     bool `json:"engaged,omitempty"`
	Conditional bool `json:"conditional,omitempty"`
}

// Due lists, earliest first, the open tasks whose deadline has passed at
// now, then the windows still open at now (Window set, Overdue 0: what a
// covered event would still fall in, and until when); [] when there are
// none. A window is never overdue. now comes from the caller's clock;
// the engine never reads one.
func Due(inst Instance, now time.Time) []Deadline {
	t := TimeOf(now)
	out := []Deadline{}
	var windows []Deadline
	for _, task := range inst.OpenTasks() {
		if task.Due == nil {
			continue
		}
		d := Deadline{Task: task.ID, Name: task.Name, Assignee: task.Assignee, AssigneeName: task.AssigneeName,
			Clause: task.Clause, Due: *task.Due}
		switch {
		case task.Window && !t.After(*task.Due):
			d.Window = true
			windows = append(windows, d)
		case !task.Window && t.After(*task.Due):
			d.Overdue = t.Sub(*task.Due)
			out = append(out, d)
		}
	}
	byDue := func(a, b Deadline) int {
		switch {
		case a.Due.Before(b.Due):
			return -1
		case b.Due.Before(a.Due):
			return 1
		}
		return strings.Compare(a.Task, b.Task)
	}
	slices.SortStableFunc(out, byDue)
	slices.SortStableFunc(windows, byDue)
	return append(out, windows...)
}

// Deadline is an overdue task, or a window still open (Window). In JSON,
// Overdue is whole seconds (overdueSeconds, rounded down).
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Deadline struct {
	Task         string        `json:"task"`
	Name         string        `json:"name"`
	Assignee     string        `json:"assignee"`
	AssigneeName string        `json:"assigneeName,omitempty"`
	Clause       string        `json:"clause"`
	Due          Time          `json:"due"`
	Window       bool          `json:"-"`
	Overdue      time.Duration `json:"-"`
}

type deadlineJSON struct {
	Task           string `json:"task"`
	Name           string `json:"name"`
	Assignee       string `json:"assignee"`
	AssigneeName   string `json:"assigneeName,omitempty"`
	Clause         string `json:"clause"`
	Due            Time   `json:"due"`
	Window         bool   `json:"window,omitempty"`
	OverdueSeconds int64  `json:"overdueSeconds"`
}

// MarshalJSON renders the deadline with overdueSeconds.
func (d Deadline) MarshalJSON() ([]byte, error) {
	return json.Marshal(deadlineJSON{Task: d.Task, Name: d.Name, Assignee: d.Assignee, AssigneeName: d.AssigneeName,
		Clause: d.Clause, Due: d.Due, Window: d.Window, OverdueSeconds: int64(d.Overdue / time.Second)})
}

// UnmarshalJSON reads a deadline written by MarshalJSON.
func (d *Deadline) UnmarshalJSON(b []byte) error {
	var j deadlineJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*d = Deadline{Task: j.Task, Name: j.Name, Assignee: j.Assignee, AssigneeName: j.AssigneeName, Clause: j.Clause,
		Due: j.Due, Window: j.Window, Overdue: time.Duration(j.OverdueSeconds) * time.Second}
	return nil
}
