package yingji

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/workflow"
)

// DecisionKind says which call a decision record is about.
//
// Concurrency: a plain value.
type DecisionKind string

const (
	DecisionClassify DecisionKind = "classify" // a grade (Classify, Assess)
	DecisionRoster   DecisionKind = "roster"   // a roster built for a response level
	DecisionApply    DecisionKind = "apply"    // a workflow event accepted or rejected
)

// Decision is the record of one decision, in the shape of OPA's decision
// logs: which plan revision decided what, from which facts, when, and for
// whom. Decree 493 forbids 迟报、漏报、谎报、瞒报; the records let a host show
// afterwards how every grade and every step of a response was reached.
//
// Concurrency: a plain value; a sink receives its own copy and may keep it.
type Decision struct {
	// ID is unique per decision (see WithDecisionIDs).
	ID   string       `json:"decisionId"`
	Kind DecisionKind `json:"kind"`
	// Time is when the decision was made, from the plan's clock
	// (WithClock); never from the facts.
	Time time.Time `json:"time"`
	// Plan names the plan, revision and content hash that decided.
	Plan workflow.PlanRef `json:"plan"`
	// Principal is who asked, as the host authenticated them (see
	// WithPrincipal); empty when the host did not say.
	Principal string `json:"principal,omitempty"`
	// Incident is the workflow instance id, for DecisionApply.
	Incident string `json:"incident,omitempty"`
	// Facts are the inputs as given: for a grade, the known facts of the
	// incident (an unknown input is absent, never 0) and, in Unknown, the
	// graded inputs that were not given; for a roster, the request; for
	// an event, its envelope.
	Facts   map[string]any `json:"facts"`
	Unknown []string       `json:"unknown"`
	Result  DecisionResult `json:"result"`
}

// DecisionResult summarises what was decided.
//
// Concurrency: a plain value.
type DecisionResult struct {
	Level        string `json:"level,omitempty"`
	LevelName    string `json:"levelName,omitempty"`
	Response     string `json:"response,omitempty"`
	ResponseName string `json:"responseName,omitempty"`
	// Matched are the clauses of the criteria that hold at the grade.
	Matched []string `json:"matched"`
	// Provisional is set when unknown facts could still raise the grade
	// (to Ceiling); the known facts alone establish the grade as a floor.
	Provisional bool `json:"provisional,omitempty"`
	// Ceiling is the most severe level the unknown facts could still reach.
	Ceiling string `json:"ceiling,omitempty"`
	InScope *bool  `json:"inScope,omitempty"`
	// Entries counts the roster's entries, for DecisionRoster.
	Entries int `json:"entries,omitempty"`
	// Event, Accepted and Phase describe a workflow event, for
	// DecisionApply.
	Event    string `json:"event,omitempty"`
	Accepted *bool  `json:"accepted,omitempty"`
	Phase    string `json:"phase,omitempty"`
	// Error is the machine form of the refusal: a bad input, a guard's
	// rejection.
	Error *diag.Problem `json:"error,omitempty"`
}

// DecisionSink receives decision records. Record is called synchronously
// by the deciding call, once per decision, and may be called from many
// goroutines at once: a sink must be safe for concurrent use. When Record
// returns an error the deciding call fails with an error that satisfies
// errors.Is(err, ErrDecisionNotRecorded): a decision that could not be
// recorded is not given.
type DecisionSink interface {
	Record(ctx context.Context, d Decision) error
}

// DecisionSinkFunc adapts a function to DecisionSink.
//
// Concurrency: Record calls the function from every goroutine that decides;
// it must be safe for concurrent use, as every DecisionSink must.
type DecisionSinkFunc func(ctx context.Context, d Decision) error

// Record calls f.
func (f DecisionSinkFunc) Record(ctx context.Context, d Decision) error { return f(ctx, d) }

// ErrDecisionNotRecorded is returned (wrapped) when the decision sink
// fails.
var ErrDecisionNotRecorded = errors.New("yingji: the decision could not be recorded")

type notRecordedError struct{ err error }

func (e *notRecordedError) Error() string {
	return fmt.Sprintf("%v: %v", ErrDecisionNotRecorded, e.err)
}
func (e *notRecordedError) Unwrap() []error { return []error{ErrDecisionNotRecorded, e.err} }
func (e *notRecordedError) Problems() []diag.Problem {
	return []diag.Problem{{Code: CodeDecisionNotRecorded, Message: e.Error()}}
}

// JSONLSink writes each decision as one line of JSON to a writer. It is
// safe for concurrent use; lines never interleave.
type JSONLSink struct {
	mu  sync.Mutex
	enc *json.Encoder
}

// NewJSONLSink returns a sink writing JSON lines to w.
func NewJSONLSink(w io.Writer) *JSONLSink {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &JSONLSink{enc: enc}
}

// Record writes d as one line.
func (s *JSONLSink) Record(_ context.Context, d Decision) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enc.Encode(d)
}

type principalKey struct{}

// WithPrincipal returns a context that names who is asking, for the
// decision records of the calls made with it. Hosts set it from their
// authentication (a token's name, never the token).
func WithPrincipal(ctx context.Context, principal string) context.Context {
	return context.WithValue(ctx, principalKey{}, principal)
}

// PrincipalFrom returns the principal WithPrincipal put in ctx.
func PrincipalFrom(ctx context.Context) (string, bool) {
	p, ok := ctx.Value(principalKey{}).(string)
	return p, ok
}

func (p *Plan) ref() workflow.PlanRef {
	return workflow.PlanRef{ID: p.ID(), Revision: p.Manifest.Revision, Hash: p.Hash}
}

// record sends d to the plan's sink, filling in the envelope.
func (p *Plan) record(ctx context.Context, d Decision) error {
	if p.cfg.sink == nil {
		return nil
	}
	d.ID = p.cfg.newID()
	d.Time = p.cfg.clock()
	d.Plan = p.ref()
	d.Principal, _ = PrincipalFrom(ctx)
	if d.Facts == nil {
		d.Facts = map[string]any{}
	}
	if d.Unknown == nil {
		d.Unknown = []string{}
	}
	if d.Result.Matched == nil {
		d.Result.Matched = []string{}
	}
	if err := p.cfg.sink.Record(ctx, d); err != nil {
		return &notRecordedError{err: err}
	}
	return nil
}

// gradeDecision builds the record of a grade.
func gradeDecision(inc grading.Incident, res *grading.Result, err error) Decision {
	d := Decision{Kind: DecisionClassify, Facts: map[string]any{}, Unknown: []string{}}
	rules := res.Rules()
	if rules != nil {
		for _, in := range rules.Inputs() {
			if v, ok := inc.Value(in.ID); ok {
				d.Facts[in.ID] = v
			} else if in.Type != grading.List {
				d.Unknown = append(d.Unknown, in.ID)
			}
		}
	}
	if err != nil {
		if ps := diag.ProblemsOf(err); len(ps) > 0 {
			d.Result.Error = &ps[0]
		}
		return d
	}
	lv, ok := res.Level()
	if ok {
		d.Result.Level, d.Result.LevelName = lv.ID, lv.Name
		d.Result.Response, d.Result.ResponseName = lv.Response.ID, lv.Response.Name
	}
	if c, ok := res.Ceiling(); ok {
		d.Result.Ceiling = c.ID
	}
	in := res.InScope()
	d.Result.InScope = &in
	// The grade is provisional when unknown facts could still raise it:
	// the known facts establish it as a floor (unknowns are taken at their
	// least severe values), and the ceiling says how high it could go.
	for _, m := range res.Matched() {
		if m.Criterion.Level == lv {
			d.Result.Matched = append(d.Result.Matched, m.Criterion.Clause)
		}
	}
	if c, ok := res.Ceiling(); ok && lv != nil && c != lv {
		d.Result.Provisional = true
	}
	return d
}
