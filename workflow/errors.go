package workflow

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinels for errors.Is. Every error Apply returns matches exactly one of
// them and leaves the instance unchanged.
var (
	// ErrGuardRejected: a guard of the event failed; see *GuardError.
	ErrGuardRejected = errors.New("workflow: rejected by a guard")
	// ErrUnknownEvent: the event type is not declared; see *UnknownEventError.
	ErrUnknownEvent = errors.New("workflow: unknown event")
	// ErrInvalidEvent: the envelope or the data do not match the schema;
	// see *InvalidEventError, which names every bad field.
	ErrInvalidEvent = errors.New("workflow: invalid event")
	// ErrWrongPhase: the event is not allowed in the instance's phase; see
	// *PhaseError.
	ErrWrongPhase = errors.New("workflow: event not allowed in this phase")
	// ErrOutOfOrder: the event occurred before the last accepted one and
	// its type does not accept late arrivals; see *OutOfOrderError.
	ErrOutOfOrder = errors.New("workflow: event out of order")
	// ErrDuplicateID: an event id already in the log arrived with other
	// content. (The same event again is a no-op, not an error.)
	ErrDuplicateID = errors.New("workflow: event id reused with other content")
	// ErrPlanMismatch: the instance was started under other rules than the
	// definition's; see *PlanMismatchError.
	ErrPlanMismatch = errors.New("workflow: instance belongs to another plan")
	// ErrLogFull: the instance holds as many events as MaxLog allows; see
	// *LogFullError.
	ErrLogFull = errors.New("workflow: the instance's log is full")
	// ErrReloadChanges: replaying a live instance under a reloaded
	// definition would change it; see *ReloadError.
	ErrReloadChanges = errors.New("workflow: the reload would change the instance")
)

// GuardError is an event stopped by a guard of the plan.
//
// Concurrency: immutable once returned; safe to share between goroutines.
type GuardError struct {
	Event   string // event id
	Type    string // event type
	Guard   string // guard id
	Clause  string
	Message string
	// Detail is set when the guard could not be evaluated.
	Detail string
}

func (e *GuardError) Error() string {
	s := fmt.Sprintf("workflow: %s rejected by guard %s [%s]: %s", e.Type, e.Guard, e.Clause, e.Message)
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// Is makes errors.Is(err, ErrGuardRejected) true.
func (e *GuardError) Is(target error) bool { return target == ErrGuardRejected }

// UnknownEventError is an event of a type the workflow does not declare.
//
// Concurrency: immutable once returned; safe to share between goroutines.
type UnknownEventError struct {
	Type       string
	Suggestion string // ` Did you mean "x"?` or ""
}

func (e *UnknownEventError) Error() string {
	return fmt.Sprintf("workflow: unknown event type %q.%s", e.Type, e.Suggestion)
}

// Is makes errors.Is(err, ErrUnknownEvent) true.
func (e *UnknownEventError) Is(target error) bool { return target == ErrUnknownEvent }

// FieldError is one bad field of an event: an envelope field (id, actor,
// occurredAt, recordedAt) or a data field ("data.level").
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type FieldError struct {
	Field  string
	Reason string
}

// InvalidEventError lists every bad field of one event.
//
// Concurrency: immutable once returned; safe to share between goroutines.
type InvalidEventError struct {
	Event  string
	Type   string
	Fields []FieldError
}

func (e *InvalidEventError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Reason
	}
	return fmt.Sprintf("workflow: invalid %s event %q: %s", e.Type, e.Event, strings.Join(parts, "; "))
}

// Is makes errors.Is(err, ErrInvalidEvent) true.
func (e *InvalidEventError) Is(target error) bool { return target == ErrInvalidEvent }

// PhaseError is an event not allowed in the current phase.
//
// Concurrency: immutable once returned; safe to share between goroutines.
type PhaseError struct {
	Type    string
	Phase   string
	Allowed []string
	Clause  string
}

func (e *PhaseError) Error() string {
	return fmt.Sprintf("workflow: %s is not allowed in phase %s [%s]; allowed in: %s", e.Type, e.Phase, e.Clause, strings.Join(e.Allowed, ", "))
}

// Is makes errors.Is(err, ErrWrongPhase) true.
func (e *PhaseError) Is(target error) bool { return target == ErrWrongPhase }

// OutOfOrderError is an event that occurred before the last accepted event,
// of a type that does not accept late arrivals.
//
// Concurrency: immutable once returned; safe to share between goroutines.
type OutOfOrderError struct {
	Event      string
	Type       string
	OccurredAt Time
	Last       Time
}

func (e *OutOfOrderError) Error() string {
	return fmt.Sprintf("workflow: %s %q occurred at %s, before the last accepted event (%s); only events declared late: accept may arrive late",
		e.Type, e.Event, e.OccurredAt, e.Last)
}

// Is makes errors.Is(err, ErrOutOfOrder) true.
func (e *OutOfOrderError) Is(target error) bool { return target == ErrOutOfOrder }

// DuplicateIDError is an event id reused for a different event: the
// differences name each field whose content is not the logged event's.
//
// Concurrency: immutable once returned; safe to share between goroutines.
type DuplicateIDError struct {
	Event       string
	Differences []Difference
}

// Difference is one field in which an event differs from the logged event
// with the same id, both rendered as text ("(absent)" when missing).
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Difference struct {
	Field  string `json:"field"`
	Logged string `json:"logged"`
	Now    string `json:"now"`
}

func (e *DuplicateIDError) Error() string {
	parts := make([]string, len(e.Differences))
	for i, d := range e.Differences {
		parts[i] = fmt.Sprintf("%s is %s in the log, %s now", d.Field, d.Logged, d.Now)
	}
	return fmt.Sprintf("workflow: event id %q is already in the log with other content (%s); give every event its own id", e.Event, strings.Join(parts, "; "))
}

// Is makes errors.Is(err, ErrDuplicateID) true.
func (e *DuplicateIDError) Is(target error) bool { return target == ErrDuplicateID }

// PlanMismatchError is an instance started under other rules.
//
// Concurrency: immutable once returned; safe to share between goroutines.
type PlanMismatchError struct{ Instance, Definition PlanRef }

func (e *PlanMismatchError) Error() string {
	return fmt.Sprintf("workflow: the instance was started under %s and the definition is %s; replay it with the rules it started under, or Rebase it",
		e.Instance, e.Definition)
}

// Is makes errors.Is(err, ErrPlanMismatch) true.
func (e *PlanMismatchError) Is(target error) bool { return target == ErrPlanMismatch }

// ReloadError reports how a reloaded definition would change a live
// instance: the event it would reject, or the first field that differs.
//
// Concurrency: immutable once returned; safe to share between goroutines.
type ReloadError struct {
	Instance string
	// Rejected is set when the new rules reject an event of the log.
	Rejected error
	// Seq is the 1-based position of that event in the log.
	Seq int
	// Field names the first part of the state that differs.
	Field string
	Old   string
	New   string
}

func (e *ReloadError) Error() string {
	if e.Rejected != nil {
		return fmt.Sprintf("workflow: under the reloaded rules instance %q would reject event %d of its log: %v", e.Instance, e.Seq, e.Rejected)
	}
	return fmt.Sprintf("workflow: under the reloaded rules instance %q would change: %s %s → %s", e.Instance, e.Field, e.Old, e.New)
}

// Is makes errors.Is(err, ErrReloadChanges) true.
func (e *ReloadError) Is(target error) bool { return target == ErrReloadChanges }

// Unwrap returns the rejection, if any.
func (e *ReloadError) Unwrap() error { return e.Rejected }

// ReplayError is a log that does not replay: event Seq was rejected.
//
// Concurrency: immutable once returned; safe to share between goroutines.
type ReplayError struct {
	Seq int
	Err error
}

func (e *ReplayError) Error() string {
	return fmt.Sprintf("workflow: replay: event %d: %v", e.Seq, e.Err)
}

// Unwrap returns the rejection.
func (e *ReplayError) Unwrap() error { return e.Err }

// LogFullError is an event refused because the instance already holds as
// many events as MaxLog allows.
//
// Concurrency: immutable once returned; safe to share between goroutines.
type LogFullError struct {
	Instance string
	Max      int
}

func (e *LogFullError) Error() string {
	return fmt.Sprintf("workflow: instance %q already holds %d events, the most MaxLog allows; close the incident and open a new one, or compile with a larger MaxLog", e.Instance, e.Max)
}

// Is makes errors.Is(err, ErrLogFull) true.
func (e *LogFullError) Is(target error) bool { return target == ErrLogFull }
