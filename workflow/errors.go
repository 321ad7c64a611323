package workflow

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/yingji/yingji/diag"
)

// Sentinels for errors.Is. Every error Apply returns matches exactly one of
// them and leaves the instance unchanged. Every error type below also
// implements diag.ProblemReporter: diag.ProblemsOf(err) gives its stable
// code (codes.go), the field it is about and the parameters of its
// message.
var (
	// ErrGuardRejected: a guard of the event failed, or a rule could not
	// be evaluated; see *GuardError.
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

// GuardError is an event stopped by a guard of the plan, or by a rule that
// could not be evaluated (Detail says why; the code is then
// CodeGuardError).
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

// Problems returns the rejection in its machine form.
func (e *GuardError) Problems() []diag.Problem {
	code, params := CodeGuardRejected, map[string]string{"event": e.Event, "type": e.Type, "guard": e.Guard, "clause": e.Clause}
	if e.Detail != "" {
		code, params["detail"] = CodeGuardError, e.Detail
	}
	return []diag.Problem{{Code: code, Message: e.Error(), Params: params}}
}

// UnknownEventError is an event of a type the workflow does not declare.
// Event types are names, not ranks, so the nearest name by spelling is
// offered (Suggestion) beside the list of every declared type (Valid, in
// file order).
//
// Concurrency: immutable once returned; safe to share between goroutines.
type UnknownEventError struct {
	Type       string
	Suggestion string   // ` Did you mean "x"?` or ""
	Valid      []string // the declared event types, in file order
}

func (e *UnknownEventError) Error() string {
	s := fmt.Sprintf("workflow: unknown event type %q.%s", e.Type, e.Suggestion)
	if len(e.Valid) > 0 {
		s += " The event types are " + strings.Join(e.Valid, ", ") + "."
	}
	return s
}

// Is makes errors.Is(err, ErrUnknownEvent) true.
func (e *UnknownEventError) Is(target error) bool { return target == ErrUnknownEvent }

// Problems returns the error in its machine form: params type, valid
// (comma-separated) and, when there is one, suggestion (the type meant).
func (e *UnknownEventError) Problems() []diag.Problem {
	p := map[string]string{"type": e.Type, "valid": strings.Join(e.Valid, ", ")}
	if _, rest, ok := strings.Cut(e.Suggestion, `"`); ok {
		p["suggestion"], _, _ = strings.Cut(rest, `"`)
	}
	return []diag.Problem{{Code: CodeEventUnknown, Message: e.Error(), Field: "type", Params: p}}
}

// FieldError is one bad field of an event: an envelope field (id, actor,
// occurredAt, recordedAt) or a data field ("data.level"), with a stable
// code (event.*) and the values its reason is built from.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type FieldError struct {
	Field  string            `json:"field"`
	Code   string            `json:"code"`
	Reason string            `json:"reason"`
	Params map[string]string `json:"params,omitempty"`
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

// Problems returns one problem per bad field.
func (e *InvalidEventError) Problems() []diag.Problem {
	out := make([]diag.Problem, len(e.Fields))
	for i, f := range e.Fields {
		code := f.Code
		if code == "" {
			code = CodeEventInvalid
		}
		out[i] = diag.Problem{Code: code, Message: f.Reason, Field: f.Field, Params: f.Params}
	}
	return out
}

// PhaseError is an event not allowed in the current phase.
//
// Concurrency: immutable once returned; safe to share between goroutines.
type PhaseError struct {
	Event   string // event id
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

// Problems returns the error in its machine form.
func (e *PhaseError) Problems() []diag.Problem {
	return []diag.Problem{{Code: CodePhaseWrong, Message: e.Error(), Field: "type",
		Params: map[string]string{"event": e.Event, "type": e.Type, "phase": e.Phase, "allowed": strings.Join(e.Allowed, ", "), "clause": e.Clause}}}
}

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

// Problems returns the error in its machine form.
func (e *OutOfOrderError) Problems() []diag.Problem {
	return []diag.Problem{{Code: CodeEventOutOfOrder, Message: e.Error(), Field: "occurredAt",
		Params: map[string]string{"event": e.Event, "type": e.Type, "occurredAt": e.OccurredAt.String(), "last": e.Last.String()}}}
}

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

// Problems returns one problem per field that differs.
func (e *DuplicateIDError) Problems() []diag.Problem {
	out := make([]diag.Problem, len(e.Differences))
	for i, d := range e.Differences {
		out[i] = diag.Problem{Code: CodeEventDuplicateID, Message: e.Error(), Field: d.Field,
			Params: map[string]string{"event": e.Event, "logged": d.Logged, "now": d.Now}}
	}
	return out
}

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

// Problems returns the error in its machine form.
func (e *PlanMismatchError) Problems() []diag.Problem {
	return []diag.Problem{{Code: CodePlanMismatch, Message: e.Error(), Field: "plan",
		Params: map[string]string{"instance": e.Instance.String(), "definition": e.Definition.String(),
			"instanceHash": e.Instance.Hash, "definitionHash": e.Definition.Hash}}}
}

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

// Problems returns the error in its machine form.
func (e *LogFullError) Problems() []diag.Problem {
	return []diag.Problem{{Code: CodeLogFull, Message: e.Error(), Params: map[string]string{"instance": e.Instance, "max": strconv.Itoa(e.Max)}}}
}

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

// Problems gives CodeReloadChanges first, then, when the new rules reject
// an event, that rejection's problems.
func (e *ReloadError) Problems() []diag.Problem {
	p := diag.Problem{Code: CodeReloadChanges, Message: e.Error(), Field: e.Field, Params: map[string]string{"instance": e.Instance}}
	if e.Rejected != nil {
		p.Params["seq"] = strconv.Itoa(e.Seq)
		return append([]diag.Problem{p}, diag.ProblemsOf(e.Rejected)...)
	}
	p.Params["old"], p.Params["new"] = e.Old, e.New
	return []diag.Problem{p}
}

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

// Problems gives CodeReplayRejected with the event's position, then the
// rejection's own problems.
func (e *ReplayError) Problems() []diag.Problem {
	p := diag.Problem{Code: CodeReplayRejected, Message: e.Error(), Params: map[string]string{"seq": strconv.Itoa(e.Seq)}}
	return append([]diag.Problem{p}, diag.ProblemsOf(e.Err)...)
}
