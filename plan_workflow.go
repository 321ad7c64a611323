package yingji

import (
	"context"
	"errors"
	"fmt"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/workflow"
)

// ErrNoWorkflow is returned for workflow calls on a plan without one.
var ErrNoWorkflow = errors.New("yingji: the plan has no workflow")

// UnknownPlanError is an instance started under a plan the engine does not
// hold.
//
// Concurrency: immutable once returned; safe to share between goroutines.
type UnknownPlanError struct{ Plan workflow.PlanRef }

func (e *UnknownPlanError) Error() string {
	return fmt.Sprintf("yingji: the instance was started under %s, which this engine does not hold; load that plan and Swap it in, or migrate the instance", e.Plan)
}

// Problems returns the error in its machine form.
func (e *UnknownPlanError) Problems() []diag.Problem {
	return []diag.Problem{{Code: CodeUnknownPlan, Message: e.Error(), Field: "plan.hash",
		Params: map[string]string{"id": e.Plan.ID, "revision": e.Plan.Revision, "hash": e.Plan.Hash}}}
}

// Start returns a new workflow instance bound to this plan's id, revision
// and hash.
func (p *Plan) Start(id string) (workflow.Instance, error) {
	if p.Workflow == nil {
		return workflow.Instance{}, &planError{ErrNoWorkflow, CodeNoWorkflow}
	}
	return p.Workflow.Start(id), nil
}

// Apply applies one event to an instance of this plan's workflow, all or
// nothing, and records the decision (accepted, or rejected with its code)
// when the plan records decisions.
func (p *Plan) Apply(ctx context.Context, inst workflow.Instance, ev workflow.Event) (workflow.Instance, workflow.Effects, error) {
	if p.Workflow == nil {
		return inst, workflow.Effects{}, &planError{ErrNoWorkflow, CodeNoWorkflow}
	}
	next, eff, err := p.Workflow.Apply(ctx, inst, ev)
	if p.cfg.sink != nil {
		if rerr := p.record(ctx, p.applyDecision(inst, next, ev, err)); rerr != nil {
			return inst, workflow.Effects{}, rerr
		}
	}
	return next, eff, err
}

func (p *Plan) applyDecision(before, after workflow.Instance, ev workflow.Event, err error) Decision {
	facts := map[string]any{"id": ev.ID, "type": ev.Type, "actor": ev.Actor,
		"occurredAt": ev.OccurredAt.String(), "recordedAt": ev.RecordedAt.String()}
	if ev.Data != nil {
		facts["data"] = ev.Data
	}
	d := Decision{Kind: DecisionApply, Incident: before.ID, Facts: facts}
	accepted := err == nil
	d.Result.Event = ev.Type
	d.Result.Accepted = &accepted
	st := after
	if err != nil {
		st = before
		if ps := diag.ProblemsOf(err); len(ps) > 0 {
			d.Result.Error = &ps[0]
		}
	}
	d.Result.Phase, d.Result.Level, d.Result.Response = st.Phase, st.Level, st.Response
	if lv, ok := p.Grading.Level(st.Level); ok && st.Level != "" {
		d.Result.LevelName = lv.Name
	}
	if r, err := p.Grading.ParseResponse(st.Response); err == nil && st.Response != "" {
		d.Result.ResponseName = r.Name
	}
	return d
}
