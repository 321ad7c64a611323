package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/expr-lang/expr/vm"
	"github.com/yingji/yingji/diag"
)

// Apply validates ev against the definition and the instance and returns
// the new instance and what the event did. It is all-or-nothing: on any
// error the returned instance is inst itself, unchanged. The errors match
// ErrUnknownEvent, ErrInvalidEvent, ErrWrongPhase, ErrOutOfOrder,
// ErrGuardRejected, ErrDuplicateID, ErrPlanMismatch or ErrLogFull with
// errors.Is, are the *…Error types of this package with errors.As, and
// give their machine form with diag.ProblemsOf. An event whose id is
// already in the log is a no-op when it is the same event.
//
// Apply reads no clock: times come from the event. It is safe to call
// concurrently on the same Definition, and on the same instance (each
// call gets its own result). Applying each event to the instance the
// previous Apply returned costs time independent of the log's length;
// applying to an older instance, or twice to the same one, first copies
// that instance's history (see Instance).
func (d *Definition) Apply(ctx context.Context, inst Instance, ev Event) (Instance, Effects, error) {
	if inst.Plan != d.plan || inst.Workflow != d.id {
		return inst, Effects{}, &PlanMismatchError{Instance: inst.Plan, Definition: d.plan}
	}
	def, ok := d.eventByID[ev.Type]
	if !ok {
		return inst, Effects{}, &UnknownEventError{Type: ev.Type, Suggestion: diag.Suggest(ev.Type, d.eventIDs()), Valid: d.eventIDs()}
	}
	a := d.newApplier(ctx, inst, def)
	defer d.release(a)
	next, eff, err := a.apply(ev)
	if err != nil || eff.Duplicate {
		a.st.rollback(&a.mark)
		a.st.head.Store(int64(len(inst.h.log)))
		return inst, eff, err
	}
	a.st.head.Store(int64(next.Len()))
	return next, eff, nil
}

// applier carries one Apply call.
type applier struct {
	d   *Definition
	ctx context.Context
	def *EventDef
	ev  Event
	// prev is the instance the event is applied to; w the instance being
	// built. Their log, tasks and flags are the store's: prev's are the
	// arrays up to mark, w's the arrays as they are now.
	prev, w Instance
	st      *store
	mark    mark
	eff     Effects
	// missing holds the missing items of checklist fields.
	missing      map[string][]string
	missingItems []Missing
	// lateNotes holds the notes, written by the data, of the late flags
	// of tasks this event is about to close after their deadline.
	lateNotes map[int32]string
	// actor is the event's actor as logged, known once the envelope is
	// checked (a task field names the task assigned to it).
	actor string

	env        exprEnv
	wView      taskView
	prevView   taskView
	machine    vm.VM
	meter      meter
	varsShared bool // w's Vars view is still prev's
	factsOwned bool // w's Facts are its own, no longer prev's
}

func (d *Definition) newApplier(ctx context.Context, inst Instance, def *EventDef) *applier {
	a, _ := d.appliers.Get().(*applier)
	if a == nil {
		a = &applier{}
	}
	*a = applier{d: d, ctx: ctx, def: def, prev: inst, w: inst, st: inst.h.acquire(), machine: a.machine}
	if a.st.vars == nil {
		a.st.vars = d.varsView(inst.Vars)
	}
	a.mark = a.st.mark()
	a.machine.MemoryBudget = d.memoryBudget
	return a
}

// release returns a to the definition's pool, holding on to nothing of
// the event but its VM's buffers: everything Apply returned was copied or
// allocated for the caller.
func (d *Definition) release(a *applier) {
	*a = applier{machine: a.machine}
	d.appliers.Put(a)
}

func (a *applier) apply(ev Event) (Instance, Effects, error) {
	d, inst, def := a.d, a.prev, a.def
	if prior, ok := a.st.eventIDs[ev.ID]; ok && ev.ID != "" {
		diffs := d.differences(a.st.log[prior], ev)
		if len(diffs) == 0 {
			return inst, Effects{Event: ev.Type, EventID: ev.ID, Duplicate: true}, nil
		}
		return inst, Effects{}, &DuplicateIDError{Event: ev.ID, Differences: diffs}
	}
	norm, ferrs := a.validate(ev)
	if len(ferrs) > 0 {
		return inst, Effects{}, &InvalidEventError{Event: ev.ID, Type: ev.Type, Fields: ferrs}
	}
	if inst.Len() >= d.maxLog {
		return inst, Effects{}, &LogFullError{Instance: inst.ID, Max: d.maxLog}
	}
	if !slices.Contains(def.Phases, inst.Phase) {
		return inst, Effects{}, &PhaseError{Event: ev.ID, Type: def.ID, Phase: inst.Phase, Allowed: def.Phases, Clause: def.Clause}
	}
	if !inst.Last.IsZero() && norm.OccurredAt.Before(inst.Last) {
		if !def.Late {
			return inst, Effects{}, &OutOfOrderError{Event: ev.ID, Type: ev.Type, OccurredAt: norm.OccurredAt, Last: inst.Last}
		}
		norm.Late = true
	}
	a.ev = norm
	a.eff = Effects{Event: norm.Type, EventID: norm.ID, Late: norm.Late, Missing: a.missingItems}
	a.initEnv()
	if err := a.runEvent(); err != nil {
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

func (a *applier) runEvent() error {
	a.sync()
	for _, g := range a.def.Guards {
		ok, err := a.evalBool(g.prog)
		if err != nil {
			return &GuardError{Event: a.ev.ID, Type: a.ev.Type, Guard: g.ID, Clause: g.Clause, Message: g.Message, Detail: err.Error()}
		}
		if !ok {
			return &GuardError{Event: a.ev.ID, Type: a.ev.Type, Guard: g.ID, Clause: g.Clause, Message: g.Message}
		}
	}
	a.endWindows()
	if err := a.effects(); err != nil {
		return err
	}
	levelChanged := a.prev.Response != a.w.Response
	if err := a.transition(); err != nil {
		return err
	}
	if err := a.opens(a.prev.Phase != a.w.Phase || levelChanged || a.prev.Len() == 0); err != nil {
		return err
	}
	// After the opens, so that a task the event both opens and completes
	// (the county's report reaching 州应急管理局 first) is done at once.
	if err := a.completions(); err != nil {
		return err
	}
	if err := a.covers(); err != nil {
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
	st := a.st
	st.eventIDs[a.ev.ID] = int32(len(st.log))
	st.log = append(st.log, a.ev)
	if a.w.Last.IsZero() || a.ev.OccurredAt.After(a.w.Last) {
		a.w.Last = a.ev.OccurredAt
	}
	if !a.varsShared {
		st.vars = a.env.Instance.Vars
	}
	a.w.h = st.history()
	return nil
}

// Start returns a new instance in the initial phase, bound to the plan the
// definition was bound to with ForPlan.
func (d *Definition) Start(id string) Instance {
	return Instance{ID: id, Workflow: d.id, Plan: d.plan, Phase: d.initial.ID}
}

// Replay rebuilds an instance from its log under d. Every event must be
// accepted; the first that is not is a *ReplayError. It takes time
// proportional to the length of the log.
func (d *Definition) Replay(ctx context.Context, id string, log []Event) (Instance, error) {
	inst := d.Start(id)
	for i, ev := range log {
		if err := ctx.Err(); err != nil {
			return inst, err
		}
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
// Display names (assigneeName, holderName) are not compared: a renamed
// unit does not change an instance.
func (d *Definition) Rebase(ctx context.Context, inst Instance) (Instance, error) {
	next, err := d.Replay(ctx, inst.ID, inst.Log())
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

// stateJSON is the instance's JSON by top-level key, without display
// names.
func stateJSON(inst Instance) map[string]json.RawMessage {
	j := instanceJSON{Phase: inst.Phase, Level: inst.Level, Response: inst.Response, Requested: inst.Requested,
		Command: inst.Command, Facts: inst.Facts, Vars: inst.Vars, Tasks: inst.Tasks(), Flags: inst.Flags(), Last: inst.Last, Log: inst.Log()}
	j.Command.HolderName = ""
	for i := range j.Tasks {
		j.Tasks[i].AssigneeName = ""
	}
	b, _ := json.Marshal(j)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(b, &m)
	return m
}
