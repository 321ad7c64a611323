package drill

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
	"github.com/yingji/yingji/workflow"
	"github.com/yingji/yingji/workflow/internal/norm"
)

// Drill is a scenario replayed on a simulated clock (7.2: at least one
// comprehensive drill a year, with a written summary report).
//
// Concurrency: Run only reads a Drill, so one may be run by several
// goroutines at once; do not modify it meanwhile.
type Drill struct {
	ID, Title, Clause, Plan, Scenario string
	// Start is the simulated clock's first reading.
	Start workflow.Time
	// End is when the closing summary lists what is overdue; zero means
	// the last step.
	End   workflow.Time
	Steps []Step
}

// Step is one scripted event. Its RecordedAt is the simulated clock.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Step struct {
	Event workflow.Event
	// Expect is "", "accepted", "rejected", a guard id, or one of
	// unknown-event, invalid, wrong-phase, out-of-order, duplicate-id.
	Expect string
	Note   string
	at     diag.Range
}

// Range is where the step is written in the scenario file.
func (s Step) Range() diag.Range { return s.at }

// Parse reads a drill scenario (src, named name in diagnostics):
//
//	id: drill-iv-county
//	title: Ⅳ级响应演练
//	clause: "7.2"
//	plan: changji-2025
//	scenario: …
//	start: "2025-10-15T09:00:00+06:00"
//	end: "+8h"                     # optional: when the summary lists what is overdue
//	steps:
//	  - at: "+0m"                  # offset from start, or an RFC 3339 time
//	    id: s1                     # optional; default step-N
//	    event: report.received
//	    actor: yjj
//	    occurredAt: "-3m"           # optional: before "at", or an RFC 3339 time (+08:00 …)
//	    data: {via: phone}
//	    expect: accepted           # optional; accepted, rejected, a guard id …
//	    note: …
//
// Offsets are Go durations with days allowed ("+2d12h"). Steps must not go
// back on the simulated clock, and every time must fall in the years
// workflow.MinYear–MaxYear. Every problem is a diagnostic with its
// position; the drill is nil when any is an error.
func Parse(name string, src []byte) (*Drill, diag.Diagnostics) {
	f, ds := yamlx.Parse(name, src)
	if ds.HasErrors() {
		ds.Sort()
		return nil, ds
	}
	var spec drillSpec
	ds = append(ds, f.DecodeWith(drillTables, &spec)...)
	if ds.HasErrors() {
		ds.Sort()
		return nil, ds
	}
	p := parser{f: f, ds: ds}
	dr := &Drill{ID: spec.ID, Title: spec.Title, Clause: spec.Clause, Plan: spec.Plan, Scenario: spec.Scenario}
	if dr.ID == "" {
		dr.ID = "drill"
	}
	start, ok := p.absolute(spec.Start, "start")
	if !ok {
		p.ds.Sort()
		return nil, p.ds
	}
	dr.Start = start
	clock := start
	for i, s := range spec.Steps {
		path := fmt.Sprintf("steps[%d]", i)
		at, ok := p.clock(s.At, path+".at", "step time", start, start, `write an offset from start such as "+15m" or "+1h30m", or a time with its offset`)
		if !ok {
			continue
		}
		if at.Before(clock) {
			p.add(diag.Diagnostic{Severity: diag.Error, Code: CodeClockBack, Subject: s.At.At(), Path: path + ".at",
				Summary: fmt.Sprintf("step %d at %s goes back on the clock (previous step at %s)", i+1, at, clock),
				Fix:     "order the steps by the simulated clock; an event that occurred earlier is written with occurredAt:",
				Params:  map[string]string{"step": strconv.Itoa(i + 1), "at": at.String(), "previous": clock.String()}})
		}
		clock = at
		occurred := at
		if s.OccurredAt.Set() {
			if occurred, ok = p.clock(s.OccurredAt, path+".occurredAt", "occurredAt", at, at, `write "-5m" (before the step) or a time with its offset, e.g. 2025-10-15T11:05:00+08:00`); !ok {
				occurred = at
			}
		}
		data := p.data(s, path)
		id := s.ID
		if id == "" {
			id = fmt.Sprintf("step-%d", i+1)
		}
		dr.Steps = append(dr.Steps, Step{
			Event:  workflow.Event{ID: id, Type: s.Event, Actor: s.Actor, OccurredAt: occurred, RecordedAt: at, Data: data},
			Expect: s.Expect.Value, Note: s.Note, at: s.Meta.At(),
		})
	}
	if spec.End.Set() {
		if end, ok := p.clock(spec.End, "end", "end", start, clock, `write an offset from start such as "+8h", or a time with its offset`); ok {
			dr.End = end
		}
	}
	p.ds.Sort()
	if p.ds.HasErrors() {
		return nil, p.ds
	}
	return dr, p.ds
}

type parser struct {
	f  *yamlx.File
	ds diag.Diagnostics
}

func (p *parser) add(d diag.Diagnostic) {
	if d.Subject.IsZero() {
		// A key with no value (start:) has no position of its own.
		d.Subject = p.f.Range(p.f.Root)
	}
	p.ds = append(p.ds, d)
}

// absolute reads the start: an RFC 3339 time with its offset.
func (p *parser) absolute(s yamlx.String, path string) (workflow.Time, bool) {
	t, err := workflow.ParseTime(s.Value)
	if err != nil {
		p.add(diag.Diagnostic{Severity: diag.Error, Code: timeCode(err), Subject: s.At(), Path: path,
			Summary: strings.TrimPrefix(err.Error(), "workflow: "),
			Fix:     "write the start as 2025-10-15T09:00:00+06:00 (with its UTC offset)",
			Params:  map[string]string{"value": s.Value}})
		return workflow.Time{}, false
	}
	return t, true
}

// clock reads "+15m" / "-5m" relative to base, or an RFC 3339 time; a
// relative time is written in the offset of start.
func (p *parser) clock(s yamlx.String, path, label string, base, start workflow.Time, fix string) (workflow.Time, bool) {
	v := strings.TrimSpace(s.Value)
	if !strings.HasPrefix(v, "+") && !strings.HasPrefix(v, "-") {
		t, err := workflow.ParseTime(v)
		if err != nil {
			p.add(diag.Diagnostic{Severity: diag.Error, Code: timeCode(err), Subject: s.At(), Path: path,
				Summary: fmt.Sprintf("bad %s %q: %s", label, s.Value, strings.TrimPrefix(err.Error(), "workflow: ")),
				Fix:     fix, Params: map[string]string{"value": s.Value}})
			return workflow.Time{}, false
		}
		return t, true
	}
	d, ok := parseOffset(v)
	if !ok {
		p.add(diag.Diagnostic{Severity: diag.Error, Code: CodeBadTime, Subject: s.At(), Path: path,
			Summary: fmt.Sprintf("bad %s %q", label, s.Value),
			Fix:     fix, Params: map[string]string{"value": s.Value}})
		return workflow.Time{}, false
	}
	t := base.Add(d).In(start)
	if err := t.Check(); err != nil {
		p.add(diag.Diagnostic{Severity: diag.Error, Code: CodeTimeRange, Subject: s.At(), Path: path,
			Summary: fmt.Sprintf("%s %q is %s", label, s.Value, strings.TrimPrefix(err.Error(), "workflow: ")),
			Fix:     fmt.Sprintf("keep every time of the drill within the years %d–%d", workflow.MinYear, workflow.MaxYear),
			Params:  map[string]string{"value": s.Value}})
		return workflow.Time{}, false
	}
	return t, true
}

func timeCode(err error) string {
	if errors.Is(err, workflow.ErrTimeRange) {
		return CodeTimeRange
	}
	return CodeBadTime
}

// data decodes a step's data to the forms the engine logs.
func (p *parser) data(s stepSpec, path string) map[string]any {
	if s.Data == nil {
		return nil
	}
	bad := func(summary, fix string) {
		p.add(diag.Diagnostic{Severity: diag.Error, Code: CodeBadData, Subject: p.f.Range(s.Data), Path: path + ".data",
			Summary: summary, Fix: fix})
	}
	var raw any
	if err := p.f.DecodeYAML(s.Data, &raw); err != nil {
		bad(fmt.Sprintf("bad data: %v", err), "write the data as a mapping of field: value")
		return nil
	}
	if raw == nil {
		return nil
	}
	m, ok := raw.(map[string]any)
	if !ok {
		bad("data must be a mapping", "write the data as a mapping of field: value")
		return nil
	}
	data, err := norm.Map(m)
	if err != nil {
		bad(fmt.Sprintf("bad data: %v", err), "data hold text, numbers, true/false, lists of text and mappings")
		return nil
	}
	return data
}

// parseOffset reads a signed Go duration, also with days: "+2d12h".
func parseOffset(s string) (time.Duration, bool) {
	sign := time.Duration(1)
	if s[0] == '-' {
		sign = -1
	}
	s = s[1:]
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i >= 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 || n > 3660 {
			return 0, false
		}
		days, s = time.Duration(n)*24*time.Hour, s[i+1:]
	}
	var d time.Duration
	if s != "" {
		var err error
		if d, err = time.ParseDuration(s); err != nil || d < 0 {
			return 0, false
		}
	}
	return sign * (days + d), true
}
