package yingji

import (
	"context"
	"errors"
	"time"

	"slices"
	"strings"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/workflow"
)

// Divergence is one way in which replaying an instance's log under another
// plan changes it: a different grade, response level, phase or command
// holder; a task opened or not, closed differently, due at another time;
// a flag (迟报 …) raised or not; an event now rejected.
//
// Concurrency: a plain value.
type Divergence struct {
	// Kind is one of level, response, requested, phase, command,
	// task.opened, task.missing, task.state, task.due, task.assignee,
	// flag.raised, flag.missing, event.rejected (accepted before, now
	// rejected), event.accepted (a drill step rejected before, now
	// accepted) and event.rejection (rejected by another rule now).
	Kind string `json:"kind"`
	// Subject is the task or flag id, or the event id for event.rejected.
	Subject string `json:"subject,omitempty"`
	// Name is the task's or flag's display name.
	Name string `json:"name,omitempty"`
	Old  string `json:"old"`
	New  string `json:"new"`
	// OldName and NewName are Old and New by name, where they are ids of
	// something with a name (a grade, a response level, a phase, a unit):
	// 重大 for serious, 先期处置 for initial-response.
	OldName string `json:"oldName,omitempty"`
	NewName string `json:"newName,omitempty"`
	// Seq is the 1-based position in the log (or the drill) of the event
	// of an event.* divergence.
	Seq int `json:"seq,omitempty"`
	// ShiftSeconds is how far a task.due deadline moved, in seconds
	// (later is positive); 0 when it did not move or one side has none.
	ShiftSeconds int64 `json:"shiftSeconds,omitempty"`
	// Problem is why the event is now rejected.
	Problem *diag.Problem `json:"problem,omitempty"`
}

// Migration is what moving one instance to another plan would change.
//
// Concurrency: a plain value.
type Migration struct {
	Instance string           `json:"instance"`
	From     workflow.PlanRef `json:"from"`
	To       workflow.PlanRef `json:"to"`
	// Divergences is empty when the new plan accepts the whole log and
	// gives the same state.
	Divergences []Divergence `json:"divergences"`
	// Migrated is the instance replayed under the new plan; set only when
	// the migration was asked to apply and the new plan accepts the whole
	// log. A host stores it in place of the old one.
	Migrated *workflow.Instance `json:"migrated,omitempty"`
}

// Changes reports whether the migration would change anything.
func (m Migration) Changes() bool { return len(m.Divergences) > 0 }

// Replay replays inst's log under this plan's workflow and reports every
// way the result diverges from inst. The instance itself is not changed.
// The returned instance is the replay (up to the first rejected event).
func (p *Plan) Replay(ctx context.Context, inst workflow.Instance) (workflow.Instance, []Divergence, error) {
	if p.Workflow == nil {
		return inst, nil, &planError{ErrNoWorkflow, CodeNoWorkflow}
	}
	next, err := p.Workflow.Replay(ctx, inst.ID, inst.Log())
	out := Compare(inst, next)
	p.nameDivergences(out)
	if err != nil {
		var re *workflow.ReplayError
		if !errors.As(err, &re) {
			return inst, nil, err
		}
		ev := inst.Log()[re.Seq-1]
		ps := diag.ProblemsOf(re.Err)
		out = append(out, Divergence{Kind: "event.rejected", Subject: ev.ID, Name: ev.Type, Seq: re.Seq,
			Old: "accepted", New: "rejected", Problem: &ps[0]})
	}
	return next, out, nil
}

// Migrate reports, for each instance, what replaying its log under this
// plan would change, and — only when apply is true and the plan accepts
// the whole log — the migrated instance, bound to this plan. Instances
// that are not migrated keep working under the plan they started under
// (Engine.Apply finds it by hash).
func (p *Plan) Migrate(ctx context.Context, insts []workflow.Instance, apply bool) ([]Migration, error) {
	out := make([]Migration, 0, len(insts))
	for _, inst := range insts {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		next, divs, err := p.Replay(ctx, inst)
		if err != nil {
			return out, err
		}
		m := Migration{Instance: inst.ID, From: inst.Plan, To: p.ref(), Divergences: divs}
		if m.Divergences == nil {
			m.Divergences = []Divergence{}
		}
		rejected := slices.ContainsFunc(divs, func(d Divergence) bool { return d.Kind == "event.rejected" })
		if apply && !rejected {
			m.Migrated = &next
		}
		out = append(out, m)
	}
	return out, nil
}

// Migrate migrates instances to the plan being served; see Plan.Migrate.
func (e *Engine) Migrate(ctx context.Context, insts []workflow.Instance, apply bool) ([]Migration, error) {
	return e.Plan().Migrate(ctx, insts, apply)
}

// Compare lists every way instance b differs from instance a in what a
// duty officer acts on: level, response, phase, command, tasks (opened,
// state, deadline, assignee) and flags. The log and the plan binding are
// not compared.
func Compare(a, b workflow.Instance) []Divergence {
	var out []Divergence
	field := func(kind, old, new string) {
		if old != new {
			out = append(out, Divergence{Kind: kind, Old: old, New: new})
		}
	}
	field("phase", a.Phase, b.Phase)
	field("level", a.Level, b.Level)
	field("response", a.Response, b.Response)
	field("requested", a.Requested, b.Requested)
	field("command", a.Command.Holder, b.Command.Holder)

	tb := map[string]workflow.Task{}
	for _, t := range b.Tasks() {
		tb[t.ID] = t
	}
	ta := map[string]bool{}
	for _, t := range a.Tasks() {
		ta[t.ID] = true
		u, ok := tb[t.ID]
		if !ok {
			out = append(out, Divergence{Kind: "task.missing", Subject: t.ID, Name: t.Name, Old: t.State.String(), New: notOpened})
			continue
		}
		if t.State != u.State || t.Reason != u.Reason || t.Late != u.Late {
			out = append(out, Divergence{Kind: "task.state", Subject: t.ID, Name: t.Name, Old: taskState(t), New: taskState(u)})
		}
		if due(t.Due) != due(u.Due) {
			dv := Divergence{Kind: "task.due", Subject: t.ID, Name: t.Name, Old: due(t.Due), New: due(u.Due)}
			if t.Due != nil && u.Due != nil {
				dv.ShiftSeconds = int64(u.Due.Time().Sub(t.Due.Time()) / time.Second)
			}
			out = append(out, dv)
		}
		if t.Assignee != u.Assignee {
			out = append(out, Divergence{Kind: "task.assignee", Subject: t.ID, Name: t.Name, Old: t.Assignee, New: u.Assignee})
		}
	}
	for _, u := range b.Tasks() {
		if !ta[u.ID] {
			out = append(out, Divergence{Kind: "task.opened", Subject: u.ID, Name: u.Name, Old: notOpened, New: u.State.String()})
		}
	}

	key := func(f workflow.Flag) string { return f.ID + "\x00" + f.Event + "\x00" + f.Task }
	fb := map[string]bool{}
	for _, f := range b.Flags() {
		fb[key(f)] = true
	}
	fa := map[string]bool{}
	for _, f := range a.Flags() {
		fa[key(f)] = true
		if !fb[key(f)] {
			out = append(out, Divergence{Kind: "flag.missing", Subject: f.ID, Name: f.Name, Old: flagText(f), New: notRaised})
		}
	}
	for _, f := range b.Flags() {
		if !fa[key(f)] {
			out = append(out, Divergence{Kind: "flag.raised", Subject: f.ID, Name: f.Name, Old: notRaised, New: flagText(f)})
		}
	}
	return out
}

// The words of a divergence's values that are not the plan's: WriteText
// gives them in Chinese (divergenceValueZH).
const (
	notOpened = "(not opened)"
	notRaised = "(not raised)"
	noDue     = "(none)"
	lateMark  = " (late)"
)

func taskState(t workflow.Task) string {
	s := t.State.String()
	if t.Late {
		s += lateMark
	}
	if t.Reason != "" {
		s += ": " + t.Reason
	}
	return s
}

func due(t *workflow.Time) string {
	if t == nil {
		return noDue
	}
	return t.String()
}

// flagText is a flag as a divergence shows it: "late-report, task
// written-report, event step-3" (divergenceValueZH words it in Chinese).
func flagText(f workflow.Flag) string {
	parts := []string{f.ID}
	if f.Task != "" {
		parts = append(parts, "task "+f.Task)
	}
	if f.Event != "" {
		parts = append(parts, "event "+f.Event)
	}
	return strings.Join(parts, ", ")
}

// nameDivergences fills OldName and NewName by this plan's names.
func (p *Plan) nameDivergences(divs []Divergence) {
	name := func(kind, id string) string {
		if id == "" {
			return ""
		}
		switch kind {
		case "level", "requested":
			if p.Grading != nil {
				if lv, ok := p.Grading.Level(id); ok {
					return lv.Name
				}
			}
		case "response":
			if p.Grading != nil {
				if r, err := p.Grading.ParseResponse(id); err == nil {
					return r.Name
				}
			}
		case "phase":
			if p.Workflow != nil {
				if ph, ok := p.Workflow.Phase(id); ok {
					return ph.Name
				}
			}
		case "command", "task.assignee":
			if p.Workflow != nil {
				if n := p.Workflow.ActorName(id); n != id {
					return n
				}
			}
		}
		return ""
	}
	for i := range divs {
		d := &divs[i]
		d.OldName, d.NewName = name(d.Kind, d.Old), name(d.Kind, d.New)
	}
}
