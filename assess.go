package yingji

import (
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/orgchart"
)

// ErrNoOrgchart is returned for a roster of a plan that has no orgchart.
var ErrNoOrgchart = errors.New("yingji: the plan has no orgchart")

type planError struct {
	err  error
	code string
}

func (e *planError) Error() string { return e.err.Error() }
func (e *planError) Unwrap() error { return e.err }
func (e *planError) Problems() []diag.Problem {
	return []diag.Problem{{Code: e.code, Message: e.err.Error()}}
}

func noGrading() error  { return &planError{ErrNoGrading, CodeNoGrading} }
func noOrgchart() error { return &planError{ErrNoOrgchart, CodeNoOrgchart} }

// Classify grades one incident by the plan, strictly: the incident's lists
// (industries, localities) are checked against the orgchart and rewritten
// to ids, so a misspelt locality is an error naming the field, never a
// silent empty roster. This is the call a host makes; Grading.Classify is
// the grading-only layer under it, which checks no lists.
//
// Build inc with ParseIncident (JSON) or NewIncident (Go values). When the
// plan records decisions (WithDecisionSink), Classify sends one record and
// fails if it cannot; without a sink it does not allocate.
//
// Classify is safe for concurrent use.
func (p *Plan) Classify(ctx context.Context, inc grading.Incident) (grading.Result, error) {
	if p.Grading == nil {
		return grading.Result{}, noGrading()
	}
	if err := p.CheckIncident(&inc); err != nil {
		if p.cfg.sink != nil {
			d := gradeDecision(inc, &grading.Result{}, err)
			if rerr := p.record(ctx, d); rerr != nil {
				return grading.Result{}, rerr
			}
		}
		return grading.Result{}, err
	}
	res, err := p.Grading.Classify(ctx, inc)
	if err != nil {
		return res, err
	}
	if p.cfg.sink != nil {
		if err := p.record(ctx, gradeDecision(inc, &res, nil)); err != nil {
			return grading.Result{}, err
		}
	}
	return res, nil
}

// ClassifyJSON parses one incident given as a JSON object (the input
// contract: deaths, missing, directLoss …) and classifies it; see
// ParseIncident and Classify.
func (p *Plan) ClassifyJSON(ctx context.Context, incident []byte) (grading.Result, error) {
	inc, err := p.ParseIncident(incident)
	if err != nil {
		if p.cfg.sink != nil && p.Grading != nil {
			if rerr := p.record(ctx, gradeDecision(p.Grading.NewIncident(), &grading.Result{}, err)); rerr != nil {
				return grading.Result{}, rerr
			}
		}
		return grading.Result{}, err
	}
	return p.Classify(ctx, inc)
}

// NewIncident builds an incident from Go values keyed by the input
// contract's JSON names ({"deaths": 12, "directLoss": "5000万",
// "localities": []string{"昌吉市"}}), with the same checks as
// ParseIncident: every bad value is an error naming its field.
func (p *Plan) NewIncident(values map[string]any) (grading.Incident, error) {
	if p.Grading == nil {
		return grading.Incident{}, noGrading()
	}
	inc := p.Grading.NewIncident()
	var errs grading.InputErrors
	for _, in := range p.Grading.Inputs() {
		v, ok := values[in.ID]
		if !ok || v == nil {
			continue
		}
		if err := inc.Set(in.ID, v); err != nil {
			var ie *grading.InputError
			var ies grading.InputErrors
			switch {
			case errors.As(err, &ies):
				errs = append(errs, ies...)
			case errors.As(err, &ie):
				errs = append(errs, ie)
			default:
				return grading.Incident{}, err
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(values)) {
		if _, ok := p.Grading.Input(k); !ok {
			errs = append(errs, &grading.InputError{Code: grading.CodeInputUnknownField, Field: k, Message: "not an input of the plan",
				Params: map[string]string{"field": k}})
		}
	}
	if len(errs) > 0 {
		return grading.Incident{}, errs
	}
	if err := p.CheckIncident(&inc); err != nil {
		return grading.Incident{}, err
	}
	return inc, nil
}

// Assessment is a grade with the roster of the response it starts: who
// commands, which groups form, whom to notify in what order.
//
// Concurrency: a plain value; safe to read from any number of goroutines.
type Assessment struct {
	Result grading.Result   `json:"result"`
	Roster *orgchart.Roster `json:"roster,omitempty"`
}

// Assess grades inc and builds the roster for the response level of the
// grade, for the incident's industries and localities. A plan without an
// orgchart gives the grade and no roster.
func (p *Plan) Assess(ctx context.Context, inc grading.Incident) (Assessment, error) {
	res, err := p.Classify(ctx, inc)
	if err != nil {
		return Assessment{}, err
	}
	a := Assessment{Result: res}
	lv, ok := res.Level()
	if !ok || p.Orgchart == nil {
		return a, nil
	}
	var industries, localities []string
	checked := res.Incident()
	for _, l := range checked.Lists() {
		in, _ := p.Grading.Input(l.Input)
		switch in.Ref {
		case refIndustries:
			industries = l.Values
		case refLocalities:
			localities = l.Values
		}
	}
	r, err := p.roster(ctx, lv.Response.ID, industries, localities)
	if err != nil {
		return Assessment{}, err
	}
	a.Roster = &r
	return a, nil
}

// Roster builds the roster for a response level, written as the plan and
// its readers write it (Ⅲ, III, 3, 三级, Ⅲ级应急响应, or the grade 较大 that
// starts it), for an incident's industries and localities (ids, names or
// aliases).
func (p *Plan) Roster(ctx context.Context, level string, industries, localities []string) (orgchart.Roster, error) {
	if p.Orgchart == nil {
		return orgchart.Roster{}, noOrgchart()
	}
	if p.Grading == nil {
		return orgchart.Roster{}, noGrading()
	}
	resp, err := p.parseResponse(level)
	if err != nil {
		if p.cfg.sink != nil {
			d := Decision{Kind: DecisionRoster, Facts: map[string]any{
				"level": level, "industries": nonNil(industries), "localities": nonNil(localities)}}
			if ps := diag.ProblemsOf(err); len(ps) > 0 {
				d.Result.Error = &ps[0]
			}
			if rerr := p.record(ctx, d); rerr != nil {
				return orgchart.Roster{}, rerr
			}
		}
		return orgchart.Roster{}, err
	}
	return p.roster(ctx, resp, industries, localities)
}

func (p *Plan) roster(ctx context.Context, response string, industries, localities []string) (orgchart.Roster, error) {
	r, err := p.Orgchart.Activate(ctx, orgchart.Activation{Response: response, Industries: industries, Localities: localities})
	if p.cfg.sink != nil {
		d := Decision{Kind: DecisionRoster, Facts: map[string]any{
			"response": response, "industries": nonNil(industries), "localities": nonNil(localities)}}
		if err != nil {
			if ps := diag.ProblemsOf(err); len(ps) > 0 {
				d.Result.Error = &ps[0]
			}
		} else {
			d.Result.Response = r.Response
			d.Result.Entries = len(r.Entries)
			if lv, ok := p.Grading.Level(r.Response); ok {
				d.Result.ResponseName = lv.Response.Name
			}
		}
		if rerr := p.record(ctx, d); rerr != nil {
			return orgchart.Roster{}, rerr
		}
	}
	return r, err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// parseResponse resolves a response level as people write it to its id:
// any spelling of the response level or of the grade that starts it.
func (p *Plan) parseResponse(s string) (string, error) {
	lv, err := p.Grading.ParseLevel(s)
	if err != nil {
		return "", err
	}
	return lv.Response.ID, nil
}
