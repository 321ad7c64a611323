package core

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/workflow"
)

// Problem is the machine form of one error as the API shows it: the
// library's stable code, message, field or path and parameters, and for a
// guard rejection the guard and its clause.
type Problem struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Field   string            `json:"field,omitempty"`
	Path    string            `json:"path,omitempty"`
	Params  map[string]string `json:"params,omitempty"`
	Guard   string            `json:"guard,omitempty"`
	Clause  string            `json:"clause,omitempty"`
	// Subject is where in a plan file the problem is (reloads).
	Subject *diag.Range `json:"subject,omitempty"`
}

// Stable codes the library does not report itself yet. Gap: issue 9 §4
// gives every library error a code through diag.ProblemsOf; until every
// error type implements diag.ProblemReporter the adapter names them here,
// with the codes CONVENTIONS.md fixes, and prefers the library's own
// problems whenever an error reports them.
const (
	CodeInputInvalid      = "input.invalid"
	CodeInputUnknownField = "input.unknown-field"
	CodeEventUnknown      = "event.unknown-type"
	CodeEventInvalid      = "event.invalid"
	CodeEventOutOfOrder   = "event.out-of-order"
	CodeEventDuplicateID  = "event.duplicate-id"
	CodeGuardRejected     = "guard.rejected"
	CodePhaseNotAllowed   = "phase.not-allowed"
	CodePlanMismatch      = "instance.plan-mismatch"
	CodeRosterUnknown     = "roster.unknown"
	CodeRosterLevel       = "roster.no-level"
	CodePlanNoGrading     = "plan.no-grading"
	CodePlanNoOrgchart    = "plan.no-orgchart"
	CodePlanNoWorkflow    = "plan.no-workflow"
	CodeCanceled          = "request.canceled"
)

// ProblemsOf returns the machine form of err: the library's own problems
// when it reports them, else the adapter's reading of its error types.
func ProblemsOf(err error) []Problem {
	if err == nil {
		return nil
	}
	var ge *workflow.GuardError
	if errors.As(err, &ge) {
		return []Problem{{Code: CodeGuardRejected, Message: ge.Message, Guard: ge.Guard, Clause: ge.Clause,
			Params: map[string]string{"event": ge.Event, "type": ge.Type, "detail": ge.Detail}}}
	}
	var pr diag.ProblemReporter
	if errors.As(err, &pr) {
		if ps := pr.Problems(); len(ps) > 0 {
			out := make([]Problem, len(ps))
			for i, p := range ps {
				out[i] = Problem{Code: p.Code, Message: p.Message, Field: p.Field, Path: p.Path, Params: p.Params, Subject: p.Subject}
			}
			return out
		}
	}
	var ies grading.InputErrors
	if errors.As(err, &ies) {
		out := make([]Problem, 0, len(ies))
		for _, ie := range ies {
			out = append(out, inputProblem(ie))
		}
		return out
	}
	var ie *grading.InputError
	if errors.As(err, &ie) {
		return []Problem{inputProblem(ie)}
	}
	var iv *workflow.InvalidEventError
	if errors.As(err, &iv) {
		out := make([]Problem, 0, len(iv.Fields))
		for _, f := range iv.Fields {
			code := CodeEventInvalid
			if strings.Contains(f.Reason, "unknown field") {
				code = CodeInputUnknownField
			}
			out = append(out, Problem{Code: code, Message: f.Field + ": " + f.Reason, Field: f.Field})
		}
		if len(out) > 0 {
			return out
		}
	}
	one := func(code string) []Problem { return []Problem{{Code: code, Message: trimPrefix(err.Error())}} }
	var ue *workflow.UnknownEventError
	var pe *workflow.PhaseError
	var oe *workflow.OutOfOrderError
	var de *workflow.DuplicateIDError
	var re *RosterError
	switch {
	case errors.As(err, &ue):
		return []Problem{{Code: CodeEventUnknown, Message: trimPrefix(err.Error()), Field: "type"}}
	case errors.As(err, &pe):
		return []Problem{{Code: CodePhaseNotAllowed, Message: trimPrefix(err.Error()), Clause: pe.Clause,
			Params: map[string]string{"phase": pe.Phase, "allowed": strings.Join(pe.Allowed, ", ")}}}
	case errors.As(err, &oe):
		return []Problem{{Code: CodeEventOutOfOrder, Message: trimPrefix(err.Error()), Field: "occurredAt"}}
	case errors.As(err, &de):
		p := Problem{Code: CodeEventDuplicateID, Message: trimPrefix(err.Error()), Field: "id"}
		if len(de.Differences) > 0 {
			p.Params = map[string]string{"differs": de.Differences[0].Field}
		}
		return []Problem{p}
	case errors.Is(err, workflow.ErrPlanMismatch):
		return one(CodePlanMismatch)
	case errors.As(err, &re):
		field := "industries"
		msg := err.Error()
		switch {
		case re.Level:
			field = "level"
		case strings.Contains(msg, "localit"):
			field = "localities"
		}
		return []Problem{{Code: CodeRosterUnknown, Message: trimPrefix(msg), Field: field}}
	case errors.Is(err, ErrRosterLevel):
		return []Problem{{Code: CodeRosterLevel, Message: trimPrefix(err.Error()), Field: "level"}}
	case errors.Is(err, ErrNoGrading):
		return one(CodePlanNoGrading)
	case errors.Is(err, ErrNoOrgchart):
		return one(CodePlanNoOrgchart)
	case errors.Is(err, ErrNoWorkflow):
		return one(CodePlanNoWorkflow)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return one(CodeCanceled)
	}
	ps := diag.ProblemsOf(err)
	out := make([]Problem, len(ps))
	for i, p := range ps {
		out[i] = Problem{Code: p.Code, Message: trimPrefix(p.Message), Field: p.Field, Path: p.Path, Params: p.Params}
	}
	return out
}

func inputProblem(ie *grading.InputError) Problem {
	code := ie.Code
	if code == "" {
		code = CodeInputInvalid
	}
	p := Problem{Code: code, Message: trimPrefix(ie.Error()), Field: ie.Field}
	if ie.Value != "" {
		p.Params = map[string]string{"value": ie.Value}
	}
	return p
}

// StatusOf is the HTTP status for an error of the library.
func StatusOf(err error) int {
	var re *RosterError
	switch {
	case errors.Is(err, workflow.ErrGuardRejected), errors.Is(err, workflow.ErrWrongPhase), errors.Is(err, workflow.ErrOutOfOrder):
		return http.StatusUnprocessableEntity
	case errors.Is(err, workflow.ErrDuplicateID):
		return http.StatusConflict
	case errors.Is(err, grading.ErrBadInput), errors.Is(err, workflow.ErrInvalidEvent), errors.Is(err, workflow.ErrUnknownEvent),
		errors.As(err, &re), errors.Is(err, ErrRosterLevel):
		return http.StatusBadRequest
	case errors.Is(err, ErrNoGrading), errors.Is(err, ErrNoOrgchart), errors.Is(err, ErrNoWorkflow), errors.Is(err, workflow.ErrPlanMismatch):
		return http.StatusUnprocessableEntity
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable
	}
	var ies grading.InputErrors
	if errors.As(err, &ies) {
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}
