package core

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/orgchart"
	"github.com/yingji/yingji/workflow"
)

// Problem is the machine form of one error as the API shows it: the
// library's own (diag.Problem: stable code, message, field or path,
// parameters — for a guard, params.guard and params.clause — and for a
// plan file, its subject).
type Problem = diag.Problem

// CodeInputUnknownField is the library's code for a member of an object
// that names nothing the plan (or the API) knows.
const CodeInputUnknownField = grading.CodeInputUnknownField

// CodeReplayRejected is the library's code for a log that a plan does not
// accept whole (a migration that cannot be applied).
const CodeReplayRejected = workflow.CodeReplayRejected

// CodeCanceled is the server's code for a request given up before it was
// answered (the client went away, or the server is stopping).
const CodeCanceled = "request.canceled"

// ProblemsOf returns the machine form of err: the library's problems
// (diag.ProblemsOf).
//
// Gap: on main the orgchart's LookupError (an unknown industry, locality
// or response level in an activation) does not report its problems yet
// (branch h/orgchart gives it roster.unknown-industry, -locality and
// -response); until it does, this gives it those codes, and the library's
// own answer takes over as soon as it reports one.
func ProblemsOf(err error) []Problem {
	ps := diag.ProblemsOf(err)
	if len(ps) != 1 || ps[0].Code != diag.CodeInternal {
		return ps
	}
	if les := lookupErrors(err); len(les) > 0 {
		out := make([]Problem, len(les))
		for i, le := range les {
			code, field := "roster.unknown-response", "level"
			switch le.Kind {
			case "industry":
				code, field = "roster.unknown-industry", "industries"
			case "locality":
				code, field = "roster.unknown-locality", "localities"
			}
			out[i] = Problem{Code: code, Message: le.Error(), Field: field,
				Params: map[string]string{"name": le.Name, "known": strings.Join(le.Known, ", ")}}
		}
		return out
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return []Problem{{Code: CodeCanceled, Message: err.Error()}}
	}
	return ps
}

func lookupErrors(err error) []*orgchart.LookupError {
	var out []*orgchart.LookupError
	var walk func(error)
	walk = func(err error) {
		var le *orgchart.LookupError
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		default:
			if errors.As(err, &le) {
				out = append(out, le)
			}
		}
	}
	walk(err)
	return out
}

// StatusOf is the HTTP status of an error of the library, by the code of
// its first problem: 400 for a bad input, event or name; 409 for an event
// id reused with other content; 422 for what the plan refuses (a guard, a
// phase, the order of events, a part the plan lacks); 503 when the
// decision could not be recorded or the request was given up.
func StatusOf(ps []Problem) int {
	if len(ps) == 0 {
		return http.StatusInternalServerError
	}
	code := ps[0].Code
	switch code {
	case yingji.CodeDecisionNotRecorded, CodeCanceled:
		return http.StatusServiceUnavailable
	case workflow.CodeEventDuplicateID:
		return http.StatusConflict
	case workflow.CodeGuardRejected, workflow.CodeGuardError, workflow.CodePhaseWrong, workflow.CodeEventOutOfOrder,
		workflow.CodeLogFull, workflow.CodePlanMismatch,
		yingji.CodeNoGrading, yingji.CodeNoOrgchart, yingji.CodeNoWorkflow:
		return http.StatusUnprocessableEntity
	case grading.CodeLevelUnknown, grading.CodeResponseUnknown:
		return http.StatusBadRequest
	}
	area, _, _ := strings.Cut(code, ".")
	switch area {
	case "input", "event", "roster", "level", "response", "enum":
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// codedError is an error the server meets while calling the library, with
// the library's code for it.
type codedError struct {
	code, field string
	err         error
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }
func (e *codedError) Problems() []diag.Problem {
	return []diag.Problem{{Code: e.code, Message: e.err.Error(), Field: e.field}}
}
