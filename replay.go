package yingji

// Replay before going live: stored incidents and drills run again under an
// edited plan, every divergence reported per incident (Temporal's replay
// tests and Camunda's instance migration are the models).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/human"
	"github.com/yingji/yingji/workflow"
	"github.com/yingji/yingji/workflow/drill"
)

// Recording is one incident to replay under an edited plan: a stored
// instance (its log, and the state the plan in force gave it), a bare
// event log, or a drill scenario. Exactly one of Instance, Log and Drill
// is set.
//
// Concurrency: a plain value; ReplayRecordings only reads it.
type Recording struct {
	// Name names the recording in a report: its file, or its id.
	Name     string
	Instance *workflow.Instance
	// Log is a bare event log: the events an incident's log holds, with no
	// state; the base plan gives the state to compare with.
	Log []workflow.Event
	// ID is the incident id of a bare log.
	ID    string
	Drill *drill.Drill
}

// ReadRecording reads a recording from a file's content: a workflow
// instance as JSON (an object with "log"), a bare log as a JSON array of
// events, or a drill scenario as YAML (with "steps:"). name names it in
// diagnostics and reports.
func ReadRecording(name string, src []byte) (Recording, error) {
	trimmed := bytes.TrimSpace(src)
	rec := Recording{Name: name}
	switch {
	case bytes.HasPrefix(trimmed, []byte("[")):
		if err := json.Unmarshal(trimmed, &rec.Log); err != nil {
			return Recording{}, fmt.Errorf("yingji: %s: an event log is a JSON array of events: %w", name, err)
		}
		rec.ID = strings.TrimSuffix(baseName(name), ".json")
		return rec, nil
	case bytes.HasPrefix(trimmed, []byte("{")) && bytes.Contains(trimmed, []byte(`"log"`)):
		var inst workflow.Instance
		if err := json.Unmarshal(trimmed, &inst); err != nil {
			return Recording{}, fmt.Errorf("yingji: %s: an instance is the JSON of workflow.Instance: %w", name, err)
		}
		rec.Instance = &inst
		return rec, nil
	}
	dr, ds := drill.Parse(name, src)
	if !ds.HasErrors() {
		rec.Drill = dr
		return rec, nil
	}
	return Recording{}, &RecordingError{Name: name, Diagnostics: ds, Source: src}
}

func baseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		return name[i+1:]
	}
	return name
}

// RecordingError is a recording file that is neither an instance, a log
// nor a valid drill: the drill's diagnostics, positioned.
//
// Concurrency: immutable once returned.
type RecordingError struct {
	Name        string
	Diagnostics diag.Diagnostics
	Source      []byte
}

func (e *RecordingError) Error() string {
	return fmt.Sprintf("yingji: %s is not an instance, an event log or a drill:\n%s", e.Name, e.Diagnostics.Error())
}

// Render renders the diagnostics with the source lines.
func (e *RecordingError) Render() string {
	return diag.RenderString(e.Diagnostics, diag.Sources{e.Name: e.Source})
}

// Problems returns the error in its machine form.
func (e *RecordingError) Problems() []diag.Problem { return e.Diagnostics.Problems() }

// Unwrap returns the diagnostics.
func (e *RecordingError) Unwrap() error { return e.Diagnostics }

// ReplayReport is what replaying recordings under a plan shows: per
// incident, every divergence from what the base gave it.
//
// Concurrency: a plain value owned by the caller; rendering only reads it.
type ReplayReport struct {
	// Plan is the plan replayed under (the edited one).
	Plan workflow.PlanRef `json:"plan"`
	// Base is the plan drills and bare logs were run under for
	// comparison; a stored instance is compared with its own state.
	Base      *workflow.PlanRef `json:"base,omitempty"`
	Incidents []IncidentReplay  `json:"incidents"`
}

// IncidentReplay is one recording replayed.
//
// Concurrency: a plain value.
type IncidentReplay struct {
	Name     string `json:"name"`
	Incident string `json:"incident"`
	// Kind is "instance", "log" or "drill".
	Kind string `json:"kind"`
	// Events counts the events (drill steps) replayed.
	Events      int          `json:"events"`
	Divergences []Divergence `json:"divergences"`
}

// Divergent counts the incidents with a divergence.
func (r *ReplayReport) Divergent() int {
	n := 0
	for _, inc := range r.Incidents {
		if len(inc.Divergences) > 0 {
			n++
		}
	}
	return n
}

// ReplayRecordings replays each recording under p's workflow and reports
// every way the outcome diverges from before the edit:
//
//   - a stored instance: its log replayed under p, against the state it
//     holds;
//   - a bare log, or a drill: run under base and under p, against each
//     other (base must then be given: the plan in force).
//
// Every event (drill step) is applied in turn; one p now rejects is a
// divergence (event.rejected, with the reason) and is skipped, so the
// rest of the log is still compared; a drill step rejected before and
// accepted now is event.accepted, and one rejected by another rule is
// event.rejection. Then the two final states are compared (Compare):
// grade, response level, phase, command, tasks opened or not, their
// state, deadline (with ShiftSeconds) and assignee, and flags such as
// 迟报.
//
// ReplayRecordings never changes a recording. It is safe for concurrent
// use.
func (p *Plan) ReplayRecordings(ctx context.Context, base *Plan, recs []Recording) (*ReplayReport, error) {
	if p.Workflow == nil {
		return nil, &planError{ErrNoWorkflow, CodeNoWorkflow}
	}
	rep := &ReplayReport{Plan: p.ref(), Incidents: []IncidentReplay{}}
	if base != nil {
		if base.Workflow == nil {
			return nil, &planError{ErrNoWorkflow, CodeNoWorkflow}
		}
		ref := base.ref()
		rep.Base = &ref
	}
	for _, rec := range recs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var inc IncidentReplay
		var err error
		switch {
		case rec.Instance != nil:
			inc, err = p.replayInstance(ctx, rec)
		case rec.Drill != nil || rec.Log != nil:
			if base == nil {
				return nil, fmt.Errorf("yingji: %s: a drill or a bare log is compared with a run under the plan in force; give the base plan", rec.Name)
			}
			inc, err = p.replaySteps(ctx, base, rec)
		default:
			err = fmt.Errorf("yingji: %s: the recording holds no instance, log or drill", rec.Name)
		}
		if err != nil {
			return nil, err
		}
		if inc.Divergences == nil {
			inc.Divergences = []Divergence{}
		}
		rep.Incidents = append(rep.Incidents, inc)
	}
	return rep, nil
}

// replayInstance replays a stored instance's log under p: every event
// the stored log holds was accepted, so each one p rejects diverges.
func (p *Plan) replayInstance(ctx context.Context, rec Recording) (IncidentReplay, error) {
	inst := *rec.Instance
	log := inst.Log()
	out := IncidentReplay{Name: rec.Name, Incident: inst.ID, Kind: "instance", Events: len(log)}
	next, verdicts, err := applyAll(ctx, p.Workflow, inst.ID, log)
	if err != nil {
		return out, err
	}
	for i, v := range verdicts {
		if v != nil {
			out.Divergences = append(out.Divergences, rejected(i, log[i], v))
		}
	}
	divs := Compare(inst, next)
	p.nameDivergences(divs)
	out.Divergences = append(out.Divergences, divs...)
	return out, nil
}

// replaySteps runs a drill's steps or a bare log under base and under p,
// and compares the verdicts on each event and the final states.
func (p *Plan) replaySteps(ctx context.Context, base *Plan, rec Recording) (IncidentReplay, error) {
	out := IncidentReplay{Name: rec.Name, Incident: rec.ID, Kind: "log"}
	events := rec.Log
	if rec.Drill != nil {
		out.Incident, out.Kind, events = rec.Drill.ID, "drill", nil
		for _, s := range rec.Drill.Steps {
			events = append(events, s.Event)
		}
	}
	out.Events = len(events)
	before, vb, err := applyAll(ctx, base.Workflow, out.Incident, events)
	if err != nil {
		return out, err
	}
	after, va, err := applyAll(ctx, p.Workflow, out.Incident, events)
	if err != nil {
		return out, err
	}
	for i := range events {
		out.Divergences = append(out.Divergences, verdict(i, events[i], vb[i], va[i])...)
	}
	divs := Compare(before, after)
	p.nameDivergences(divs)
	out.Divergences = append(out.Divergences, divs...)
	return out, nil
}

// applyAll applies every event in turn under d, as a drill does: one d
// rejects is skipped and its verdict kept (nil for an accepted event).
func applyAll(ctx context.Context, d *workflow.Definition, id string, events []workflow.Event) (workflow.Instance, []error, error) {
	inst := d.Start(id)
	verdicts := make([]error, len(events))
	for i, ev := range events {
		if err := ctx.Err(); err != nil {
			return inst, nil, err
		}
		ev.Late = false
		next, _, err := d.Apply(ctx, inst, ev)
		if err != nil {
			verdicts[i] = err
			continue
		}
		inst = next
	}
	return inst, verdicts, nil
}

// verdict compares the base's verdict on one event with p's.
func verdict(i int, ev workflow.Event, before, after error) []Divergence {
	switch {
	case before == nil && after != nil:
		return []Divergence{rejected(i, ev, after)}
	case before != nil && after == nil:
		ps := diag.ProblemsOf(before)
		return []Divergence{{Kind: "event.accepted", Subject: ev.ID, Name: ev.Type, Seq: i + 1, Old: "rejected: " + reason(before), New: "accepted", Problem: &ps[0]}}
	case before != nil && after != nil && reason(before) != reason(after):
		ps := diag.ProblemsOf(after)
		return []Divergence{{Kind: "event.rejection", Subject: ev.ID, Name: ev.Type, Seq: i + 1, Old: "rejected: " + reason(before), New: "rejected: " + reason(after), Problem: &ps[0]}}
	}
	return nil
}

func rejected(i int, ev workflow.Event, err error) Divergence {
	ps := diag.ProblemsOf(err)
	return Divergence{Kind: "event.rejected", Subject: ev.ID, Name: ev.Type, Seq: i + 1, Old: "accepted", New: "rejected: " + reason(err), Problem: &ps[0]}
}

// reason names why an event was rejected: the guard, or the kind of
// error, by its code.
func reason(err error) string {
	var ge *workflow.GuardError
	if errors.As(err, &ge) {
		return ge.Guard
	}
	var pe *workflow.PhaseError
	switch {
	case errors.As(err, &pe):
		return "wrong-phase"
	case errors.Is(err, workflow.ErrUnknownEvent):
		return "unknown-event"
	case errors.Is(err, workflow.ErrInvalidEvent):
		return "invalid"
	case errors.Is(err, workflow.ErrOutOfOrder):
		return "out-of-order"
	case errors.Is(err, workflow.ErrDuplicateID):
		return "duplicate-id"
	}
	return diag.ProblemsOf(err)[0].Code
}

// WriteJSON writes the report as JSON: every incident, with its
// divergences ([] when none).
func (r *ReplayReport) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText renders the report for a person in the language lang, "zh"
// (the default) or "en": a header with the plans and the count of
// incidents that diverge, then each incident with its divergences, one
// per line.
func (r *ReplayReport) WriteText(w io.Writer, lang string) error {
	l := human.Of(lang)
	var b strings.Builder
	fmt.Fprintf(&b, l.Pick("重放所用预案：%s", "Replayed under %s"), r.Plan)
	if r.Base != nil {
		fmt.Fprintf(&b, l.Pick("\n  对照预案：%s", "\n  against %s"), *r.Base)
	}
	fmt.Fprintf(&b, l.Pick("\n共 %[2]d 起事故，其中 %[1]d 起出现差异。\n", "\n%d of %d incidents diverge.\n"), r.Divergent(), len(r.Incidents))
	kinds := map[string]string{"drill": "演练", "instance": "实例", "log": "事件记录"}
	for _, inc := range r.Incidents {
		kind := inc.Kind
		if l == human.Chinese && kinds[kind] != "" {
			kind = kinds[kind]
		}
		fmt.Fprintf(&b, l.Pick("\n%s（%s %s，%d 个事件）：", "\n%s (%s %s, %d events): "), inc.Name, kind, inc.Incident, inc.Events)
		if len(inc.Divergences) == 0 {
			b.WriteString(l.Pick("无差异\n", "no divergence\n"))
			continue
		}
		b.WriteString(l.Pick(fmt.Sprintf("%d 处差异\n", len(inc.Divergences)), pluralDivergences(len(inc.Divergences))+"\n"))
		for _, d := range inc.Divergences {
			b.WriteString("  " + d.line(l) + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Line renders a divergence on one line, in English: "task.due
// written-report (15 分钟内补报文字报告): 2025-10-15T09:15:00+06:00 →
// 2025-10-15T09:30:00+06:00 (+15m)".
func (d Divergence) Line() string { return d.line(human.English) }

// divergenceKindsZH names the kinds of divergence in Chinese.
var divergenceKindsZH = map[string]string{
	"phase": "阶段", "level": "事故级别", "response": "响应级别", "requested": "报请上级响应的级别", "command": "现场指挥",
	"task.opened": "新开启的任务", "task.missing": "不再开启的任务", "task.state": "任务状态", "task.due": "任务时限",
	"task.assignee": "任务承办", "flag.raised": "新出现的标记", "flag.missing": "不再出现的标记",
	"event.rejected": "改为拒绝的事件", "event.accepted": "改为接受的事件", "event.rejection": "拒绝理由改变的事件",
}

// line is Line in l; in Chinese "任务时限 written-report（15 分钟内补报文字报告）：
// 2025-10-15T09:15:00+06:00 → 2025-10-15T09:30:00+06:00（+15m）".
func (d Divergence) line(l human.Lang) string {
	kind, old, new := d.Kind, orDash(d.Old), orDash(d.New)
	if l == human.Chinese {
		if k := divergenceKindsZH[kind]; k != "" {
			kind = k
		}
		old, new = divergenceValueZH(old), divergenceValueZH(new)
	}
	s := kind
	if d.Subject != "" {
		s += " " + d.Subject
	}
	if d.Name != "" && d.Name != d.Subject {
		s += l.Pick("（"+d.Name+"）", " ("+d.Name+")")
	}
	if d.Seq > 0 {
		s += fmt.Sprintf(l.Pick("（第 %d 个事件）", " at event %d"), d.Seq)
	}
	s += l.Pick("：", ": ") + old + " → " + new
	if d.ShiftSeconds != 0 {
		sign := "+"
		if d.ShiftSeconds < 0 {
			sign = "-"
		}
		shift := sign + shortDuration(time.Duration(abs(d.ShiftSeconds))*time.Second)
		s += l.Pick("（"+shift+"）", " ("+shift+")")
	}
	return s
}

// divergenceValueZH gives the words of a divergence's value that are not
// the plan's in Chinese: task states, the placeholders, "rejected: GUARD".
func divergenceValueZH(v string) string {
	switch v {
	case notOpened:
		return "（未开启）"
	case notRaised:
		return "（未标记）"
	case noDue:
		return "（无）"
	case "accepted":
		return "接受"
	}
	if guard, ok := strings.CutPrefix(v, "rejected: "); ok {
		return "拒绝：" + guard
	}
	if strings.Contains(v, ", task ") || strings.Contains(v, ", event ") { // a flag (flagText)
		return strings.NewReplacer(", task ", "，任务 ", ", event ", "，事件 ").Replace(v)
	}
	state, reason, _ := strings.Cut(v, ": ")
	late := strings.HasSuffix(state, lateMark)
	state = strings.TrimSuffix(state, lateMark)
	states := map[string]string{"open": "未完成", "done": "已完成", "waived": "已免除", "ended": "已届满"}
	zh, ok := states[state]
	if !ok {
		return v
	}
	if late {
		zh += "（超时）"
	}
	if reason != "" {
		zh += "：" + reason
	}
	return zh
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func pluralDivergences(n int) string {
	if n == 1 {
		return "1 divergence"
	}
	return fmt.Sprintf("%d divergences", n)
}
