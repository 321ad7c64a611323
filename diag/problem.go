package diag

import (
	"errors"
)

// Problem is the machine form of one error, the shape every yingji error
// takes in JSON: a stable code, the input field or YAML path it is about,
// the parameters its message is built from, and the message itself (in
// the language of the library's human output).
//
// Concurrency: a plain value, safe to read from any number of goroutines.
type Problem struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Field   string            `json:"field,omitempty"`
	Path    string            `json:"path,omitempty"`
	Params  map[string]string `json:"params,omitempty"`
	// Subject is where in a file the problem is, for problems found in
	// rule files.
	Subject *Range `json:"subject,omitempty"`
}

// ProblemReporter is implemented by every error type of yingji: it returns
// the machine form of the error, one Problem per finding.
//
// Concurrency: Problems only reads the error, so it may be called from
// several goroutines at once.
type ProblemReporter interface {
	Problems() []Problem
}

// ProblemsOf returns the problems err carries: those of the first error in
// its tree that reports them, or one CodeInternal problem with err's
// message. It returns nil for a nil error.
func ProblemsOf(err error) []Problem {
	if err == nil {
		return nil
	}
	var pr ProblemReporter
	if errors.As(err, &pr) {
		if ps := pr.Problems(); len(ps) > 0 {
			return ps
		}
	}
	return []Problem{{Code: CodeInternal, Message: err.Error()}}
}

// Problem returns d in its machine form.
func (d Diagnostic) Problem() Problem {
	p := Problem{Code: d.Code, Message: d.Summary, Path: d.Path, Params: d.Params}
	if !d.Subject.IsZero() {
		r := d.Subject
		p.Subject = &r
	}
	return p
}

// Problems returns every diagnostic of severity Error in its machine form.
func (ds Diagnostics) Problems() []Problem {
	var out []Problem
	for _, d := range ds {
		if d.Severity == Error {
			out = append(out, d.Problem())
		}
	}
	return out
}
