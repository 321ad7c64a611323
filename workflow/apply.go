package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/yingji/yingji/diag"
)

// Start returns a new instance in the initial phase, bound to the plan the
// definition was bound to with ForPlan.
func (d *Definition) Start(id string) Instance {
	return Instance{ID: id, Workflow: d.id, Plan: d.plan, Phase: d.initial.ID, Log: []Event{}}
}

// Replay rebuilds an instance from its log under d. Every event must be
// accepted; the first that is not is a *ReplayError.
func (d *Definition) Replay(ctx context.Context, id string, log []Event) (Instance, error) {
	inst := d.Start(id)
	for i, ev := range log {
		ev.Late = false
		next, _, err := d.Apply(ctx, inst, ev)
		if err != nil {
			return inst, &ReplayError{Seq: i + 1, Err: err}
		}
		inst = next
	}
	return inst, nil
}

// Rebase replays a live instance under d (a reloaded definition). If the
// new rules accept the whole log and give the same state, it returns the
// instance bound to d's plan; otherwise a *ReloadError says what would
// change, and the caller keeps the old definition for this instance.
func (d *Definition) Rebase(ctx context.Context, inst Instance) (Instance, error) {
	next, err := d.Replay(ctx, inst.ID, inst.Log)
	if err != nil {
		var re *ReplayError
		if errors.As(err, &re) {
			return inst, &ReloadError{Instance: inst.ID, Rejected: re.Err, Seq: re.Seq}
		}
		return inst, err
	}
	a, b := stateJSON(inst), stateJSON(next)
	for _, k := range slices.Sorted(maps.Keys(a)) {
		if k == "plan" || k == "workflow" {
			continue
		}
		if string(a[k]) != string(b[k]) {
			return inst, &ReloadError{Instance: inst.ID, Field: k, Old: string(a[k]), New: string(b[k])}
		}
	}
	return next, nil
}

func stateJSON(inst Instance) map[string]json.RawMessage {
	b, _ := json.Marshal(inst)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(b, &m)
	return m
}

// applier carries one Apply call.
type applier struct {
	d    *Definition
	ctx  context.Context
	def  *EventDef
	ev   Event
	prev Instance
	w    Instance
	eff  Effects
	// missing holds the missing items of checklist fields.
	missing      map[string][]string
	missingItems []Missing
	// prevEnv is the expression view of prev, built once: prev does not
	// change while an event is applied.
	prevEnv *exprState
}

// Apply validates ev against the definition and the instance and returns
// the new instance and what the event did. It is all-or-nothing: on any
// error the returned instance is inst itself, unchanged. The errors match
// ErrUnknownEvent, ErrInvalidEvent, ErrWrongPhase, ErrOutOfOrder,
// ErrGuardRejected, ErrDuplicateID or ErrPlanMismatch with errors.Is, and
// are the *…Error types of this package with errors.As. An event whose id
// is already in the log is a no-op when it is the same event.
//
// Apply reads no clock: times come from the event. It is safe to call
// concurrently on the same Definition.
func (d *Definition) Apply(ctx context.Context, inst Instance, ev Event) (Instance, Effects, error) {
	if inst.Plan != d.plan || inst.Workflow != d.id {
		return inst, Effects{}, &PlanMismatchError{Instance: inst.Plan, Definition: d.plan}
	}
	def, ok := d.eventByID[ev.Type]
	if !ok {
		return inst, Effects{}, &UnknownEventError{Type: ev.Type, Suggestion: diag.Suggest(ev.Type, d.eventIDs())}
	}
	if prior := slices.IndexFunc(inst.Log, func(e Event) bool { return e.ID == ev.ID }); prior >= 0 && ev.ID != "" {
		diffs := d.differences(inst.Log[prior], ev)
		if len(diffs) == 0 {
			return inst, Effects{Event: ev.ID, Duplicate: true}, nil
		}
		return inst, Effects{}, &DuplicateIDError{Event: ev.ID, Differences: diffs}
	}
	a := &applier{d: d, ctx: ctx, def: def, prev: inst, missing: map[string][]string{}}
	norm, ferrs := a.validate(ev, inst)
	if len(ferrs) > 0 {
		return inst, Effects{}, &InvalidEventError{Event: ev.ID, Type: ev.Type, Fields: ferrs}
	}
	if len(inst.Log) >= d.maxLog {
		return inst, Effects{}, &LogFullError{Instance: inst.ID, Max: d.maxLog}
	}
	if !slices.Contains(def.Phases, inst.Phase) {
		return inst, Effects{}, &PhaseError{Type: def.ID, Phase: inst.Phase, Allowed: def.Phases, Clause: def.Clause}
	}
	if !inst.Last.IsZero() && norm.OccurredAt.Before(inst.Last) {
		if !def.Late {
			return inst, Effects{}, &OutOfOrderError{Event: ev.ID, Type: ev.Type, OccurredAt: norm.OccurredAt, Last: inst.Last}
		}
		norm.Late = true
	}
	a.ev = norm
	a.w = inst.clone()
	a.eff = Effects{Event: norm.ID, Late: norm.Late, Missing: a.missingItems}
	if err := a.run(); err != nil {
		return inst, Effects{}, err
	}
	return a.w, a.eff, nil
}

// fail turns an expression that could not be evaluated into a rejection
// naming the item, so that a broken rule never passes silently.
func (a *applier) fail(item, clause string, err error) error {
	return &GuardError{Event: a.ev.ID, Type: a.ev.Type, Guard: item, Clause: clause,
		Message: "the rule could not be evaluated", Detail: err.Error()}
}

func (a *applier) run() error {
	env := a.env(nil)
	for _, g := range a.def.Guards {
		ok, err := evalBool(g.prog, env, a.d.memoryBudget)
		if err != nil {
			return &GuardError{Event: a.ev.ID, Type: a.ev.Type, Guard: g.ID, Clause: g.Clause, Message: g.Message, Detail: err.Error()}
		}
		if !ok {
			return &GuardError{Event: a.ev.ID, Type: a.ev.Type, Guard: g.ID, Clause: g.Clause, Message: g.Message}
		}
	}
	if err := a.effects(); err != nil {
		return err
	}
	levelChanged := a.prev.Response != a.w.Response
	if err := a.transition(); err != nil {
		return err
	}
	if err := a.opens(a.prev.Phase != a.w.Phase || levelChanged || len(a.prev.Log) == 0); err != nil {
		return err
	}
	// After the opens, so that a task the event both opens and completes
	// (the county's report reaching 州应急管理局 first) is done at once.
	if err := a.completions(); err != nil {
		return err
	}
	if levelChanged && a.prev.Response != "" && a.d.lapse != "" {
		a.lapse()
	}
	if a.prev.Phase != a.w.Phase {
		a.waiveOpen()
	}
	if err := a.flags(); err != nil {
		return err
	}
	if levelChanged && a.d.roster != nil {
		a.rosterNotices()
	}
	if p, ok := a.d.phaseByID[a.w.Phase]; ok && p.Command && a.w.Command.Holder == "" {
		return &GuardError{Event: a.ev.ID, Type: a.ev.Type, Guard: "command-holder", Clause: p.Clause,
			Message: fmt.Sprintf("phase %s needs a holder of site command; no effect of %s names one", p.ID, a.ev.Type)}
	}
	a.w.Log = append(a.w.Log, a.ev)
	if a.w.Last.IsZero() || a.ev.OccurredAt.After(a.w.Last) {
		a.w.Last = a.ev.OccurredAt
	}
	return nil
}
