package grading

import (
	"errors"
	"fmt"

	"github.com/yingji/yingji/diag"
)

// ErrEval is matched by errors.Is for every failure to evaluate a
// criterion for an incident (an *EvalError).
var ErrEval = errors.New("grading: evaluation failed")

// EvalError is a criterion that could not be evaluated for an incident:
// its expression, or a derived quantity it reads, failed at run time (the
// memory budget was exceeded, an index was out of range, a quantity was
// 0/0). Classify returns it instead of a grade, because a criterion that
// cannot be evaluated is not one that does not hold: counting it as false
// could lower the grade.
//
// Concurrency: once returned, an EvalError is not changed by this package;
// it is safe to read from any goroutine.
type EvalError struct {
	Criterion string // the criterion's id, e.g. "1.5 重大 (1)"
	Level     string // the id of the criterion's level; "" for a scope criterion
	Quantity  string // the derived quantity that failed, when it was one
	Err       error  // what failed
}

func newEvalError(cr *Criterion, err error) *EvalError {
	e := &EvalError{Criterion: cr.ID, Err: err}
	if cr.Level != nil {
		e.Level = cr.Level.ID
	}
	var qe *quantityError
	if errors.As(err, &qe) {
		e.Quantity = qe.q
	}
	return e
}

func (e *EvalError) Error() string {
	what := "criterion"
	if e.Level == "" {
		what = "scope criterion"
	}
	return fmt.Sprintf("grading: %s %s could not be evaluated: %v", what, e.Criterion, e.Err)
}

// Unwrap returns what failed.
func (e *EvalError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrEval) true.
func (e *EvalError) Is(target error) bool { return target == ErrEval }

// Problems returns the error in its machine form: code CodeEvalFailed,
// the criterion as the field.
func (e *EvalError) Problems() []diag.Problem {
	p := map[string]string{"criterion": e.Criterion, "error": e.Err.Error()}
	if e.Level != "" {
		p["level"] = e.Level
	}
	if e.Quantity != "" {
		p["quantity"] = e.Quantity
	}
	return []diag.Problem{{Code: CodeEvalFailed, Message: e.Error(), Field: e.Criterion, Params: p}}
}
