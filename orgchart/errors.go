package orgchart

import (
	"errors"
	"fmt"
	"strings"

	"github.com/yingji/yingji/diag"
)

// ErrUnknown is wrapped by every LookupError, for errors.Is.
var ErrUnknown = errors.New("orgchart: unknown name")

// The kinds of name a LookupError reports.
const (
	kindIndustryName = "industry"
	kindLocalityName = "locality"
	kindLevelName    = "response level"
	kindDiagramName  = "diagram"
	kindFormatName   = "diagram format"
)

// LookupError reports a name an activation or a drawing used that the
// chart does not know, with the names it does know.
//
// A LookupError is a plain value, safe to read from any number of
// goroutines. Its machine form (diag.ProblemsOf) has the code
// CodeRosterUnknownIndustry, CodeRosterUnknownLocality,
// CodeRosterUnknownResponse, CodeRosterNoResponse, CodeUnknownDiagram or
// CodeUnknownFormat, the Activation field it is about, and the name and the
// known names as parameters.
type LookupError struct {
	Kind string `json:"kind"` // "industry", "locality", "response level", "diagram" or "diagram format"
	// Name is the name as given; empty when no response level was given.
	Name string `json:"name"`
	// Suggestion is ` Did you mean "x"?` for the closest known name, or
	// empty. Response levels get none: the nearest spelling of a rank is
	// often another rank, so the known levels are listed in order instead.
	Suggestion string   `json:"suggestion,omitempty"`
	Known      []string `json:"known"` // in the chart's order
}

func (e *LookupError) Error() string {
	if e.Name == "" && e.Kind == kindLevelName {
		return "orgchart: no response level given; the chart has " + strings.Join(e.Known, ", ")
	}
	msg := fmt.Sprintf("orgchart: unknown %s %q.%s", e.Kind, e.Name, e.Suggestion)
	if len(e.Known) > 0 && len(e.Known) <= 12 {
		msg += " Known: " + strings.Join(e.Known, ", ") + "."
	}
	return msg
}

func (e *LookupError) Unwrap() error { return ErrUnknown }

// Problems returns the error in its machine form.
func (e *LookupError) Problems() []diag.Problem {
	p := diag.Problem{Message: e.Error(), Params: map[string]string{"kind": e.Kind, "name": e.Name, "known": strings.Join(e.Known, ", ")}}
	switch e.Kind {
	case kindIndustryName:
		p.Code, p.Field = CodeRosterUnknownIndustry, "industries"
	case kindLocalityName:
		p.Code, p.Field = CodeRosterUnknownLocality, "localities"
	case kindLevelName:
		p.Code, p.Field = CodeRosterUnknownResponse, "response"
		if e.Name == "" {
			p.Code = CodeRosterNoResponse
		}
	case kindDiagramName:
		p.Code = CodeUnknownDiagram
	case kindFormatName:
		p.Code = CodeUnknownFormat
	default:
		p.Code = diag.CodeInternal
	}
	return []diag.Problem{p}
}

// lookupErrors are every unknown name of one activation. errors.As finds
// the first *LookupError; diag.ProblemsOf gives them all.
type lookupErrors []*LookupError

func (es lookupErrors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

func (es lookupErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Problems returns every error in its machine form.
func (es lookupErrors) Problems() []diag.Problem {
	var out []diag.Problem
	for _, e := range es {
		out = append(out, e.Problems()...)
	}
	return out
}
