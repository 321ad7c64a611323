package yingji

// Drafters' own test files: incidents with what the plan must make of
// them (grade, clauses, roster, workflow steps), run against a plan with
// coverage, as `opa test --coverage --threshold` runs a policy's.

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/yingji/yingji/analysis"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
	"github.com/yingji/yingji/workflow"
)

// CaseFile is a drafter's test file, read by ReadCaseFile:
//
//	plan: changji-2025              # optional: the plan it is written for
//	start: "2025-10-15T09:00:00+06:00"  # optional: the clock of the workflow steps
//	cases:
//	  - name: 1.5 较大 (1) 3 人死亡 is 较大
//	    incident: {deaths: 3, industries: [road-traffic], localities: [qitai]}
//	    grade: 较大                   # level id or name
//	    response: Ⅲ                   # the response level it starts
//	    clause: 1.5 较大 (1)          # the criterion that decides the grade
//	    matched: [1.5 一般 (1)]       # criteria (clause or id) that must hold
//	    notMatched: [1.5 重大 (1)]    # criteria that must not
//	    inScope: true
//	    roster:                       # at the grade's response level, or response:
//	      engaged: [州应急管理局]      # ids, names or aliases
//	      notified: [xj-yjt]
//	      present: [hq]               # on the roster either way
//	      absent: [xj-hq]             # not on it
//	    steps:                        # a workflow instance, step by step
//	      - {at: +0m, event: report.received, actor: yjj, data: {via: phone}}
//	      - {at: +45m, event: response.activated, actor: local-government, data: {level: III}, expect: authority-III}
//	    note: …                       # for the reader; cases and steps may have one
//
// expect: is accepted (the default), rejected, a guard id, or one of
// wrong-phase, unknown-event, invalid, out-of-order, duplicate-id. Every
// key is optional but name:; a case checks only what it states.
//
// Concurrency: a CaseFile is immutable once read; RunCases only reads it.
type CaseFile struct {
	Name  string
	Plan  string
	Cases []TestCase
	src   []byte
}

// TestCase is one case of a CaseFile.
//
// Concurrency: a plain value.
type TestCase struct {
	Name string
	// Incident is the incident as JSON, as ParseIncident reads it; nil
	// when the case gives none (a workflow-only case).
	Incident   []byte
	Grade      string
	Response   string
	Clause     string
	Matched    []string
	NotMatched []string
	InScope    *bool
	Roster     *RosterExpectation
	Start      workflow.Time
	Steps      []StepExpectation
	at         diag.Range
}

// RosterExpectation is what a case requires of a roster: who is on it,
// engaged or notified, and who is not. The response level is the case's
// grade's, unless Response says another.
//
// Concurrency: a plain value.
type RosterExpectation struct {
	Response string
	Engaged  []string
	Notified []string
	Present  []string
	Absent   []string
}

// StepExpectation is one workflow event of a case and whether the plan
// must accept it.
//
// Concurrency: a plain value.
type StepExpectation struct {
	Event  workflow.Event
	Expect string
	at     diag.Range
}

type caseFileSpec struct {
	Plan  string       `yaml:"plan"`
	Start yamlx.String `yaml:"start"`
	Cases []caseSpec   `yaml:"cases,required"`
}

type caseSpec struct {
	Meta       yamlx.Meta   `yaml:"-"`
	Name       string       `yaml:"name,required"`
	Incident   *yamlx.Node  `yaml:"incident"`
	Grade      string       `yaml:"grade"`
	Response   string       `yaml:"response"`
	Clause     string       `yaml:"clause"`
	Matched    []string     `yaml:"matched"`
	NotMatched []string     `yaml:"notMatched"`
	InScope    *yamlx.Node  `yaml:"inScope"`
	Roster     *rosterSpec  `yaml:"roster"`
	Start      yamlx.String `yaml:"start"`
	Steps      []caseStep   `yaml:"steps"`
	Note       string       `yaml:"note"`
}

type rosterSpec struct {
	Response string   `yaml:"response"`
	Engaged  []string `yaml:"engaged"`
	Notified []string `yaml:"notified"`
	Present  []string `yaml:"present"`
	Absent   []string `yaml:"absent"`
}

type caseStep struct {
	Meta       yamlx.Meta   `yaml:"-"`
	At         yamlx.String `yaml:"at"`
	ID         string       `yaml:"id"`
	Event      string       `yaml:"event,required"`
	Actor      string       `yaml:"actor,required"`
	OccurredAt yamlx.String `yaml:"occurredAt"`
	Data       *yamlx.Node  `yaml:"data"`
	Expect     string       `yaml:"expect"`
	Note       string       `yaml:"note"`
}

// defaultStart is the clock of workflow steps when a file gives none.
const defaultStart = "2025-01-01T09:00:00+08:00"

// ReadCaseFile reads a drafter's test file. Every problem is a diagnostic
// positioned in the file (code cases.*, or the YAML decoder's).
func ReadCaseFile(name string, src []byte) (*CaseFile, diag.Diagnostics) {
	f, ds := yamlx.Parse(name, src)
	if ds.HasErrors() {
		return nil, ds
	}
	var spec caseFileSpec
	// Decoding goes on past a bad key, so every problem is reported at
	// once.
	ds = append(ds, f.DecodeWith(caseFileTables, &spec)...)
	bad := func(at diag.Range, path, summary, fix string) {
		ds = append(ds, diag.Diagnostic{Severity: diag.Error, Code: analysis.CodeCaseFile, Subject: at, Path: path, Summary: summary, Fix: fix})
	}
	cf := &CaseFile{Name: name, Plan: spec.Plan, src: src}
	fileStart := defaultStart
	if spec.Start.Set() {
		fileStart = spec.Start.Value
	}
	for i, cs := range spec.Cases {
		path := fmt.Sprintf("cases[%d]", i)
		tc := TestCase{Name: cs.Name, Grade: cs.Grade, Response: cs.Response, Clause: cs.Clause,
			Matched: cs.Matched, NotMatched: cs.NotMatched, at: cs.Meta.At()}
		if cs.Incident != nil {
			var v any
			if err := f.DecodeYAML(cs.Incident, &v); err != nil {
				bad(f.Range(cs.Incident), path+".incident", "the incident is not a mapping: "+err.Error(), "write it as {deaths: 3, localities: [qitai]}")
			} else if b, err := json.Marshal(v); err != nil {
				bad(f.Range(cs.Incident), path+".incident", "the incident cannot be read: "+err.Error(), "write it as {deaths: 3, localities: [qitai]}")
			} else {
				tc.Incident = b
			}
		}
		if cs.InScope != nil {
			var b bool
			if err := f.DecodeYAML(cs.InScope, &b); err != nil {
				bad(f.Range(cs.InScope), path+".inScope", "inScope must be true or false", "write inScope: true or inScope: false")
			} else {
				tc.InScope = &b
			}
		}
		if r := cs.Roster; r != nil {
			tc.Roster = &RosterExpectation{Response: r.Response, Engaged: r.Engaged, Notified: r.Notified, Present: r.Present, Absent: r.Absent}
		}
		start := fileStart
		if cs.Start.Set() {
			start = cs.Start.Value
		}
		st, err := workflow.ParseTime(start)
		if err != nil {
			bad(cs.Start.At(), path+".start", "bad start: "+strings.TrimPrefix(err.Error(), "workflow: "), "write the start as 2025-10-15T09:00:00+06:00, with its UTC offset")
			continue
		}
		tc.Start = st
		clock := st
		for j, s := range cs.Steps {
			sp := fmt.Sprintf("%s.steps[%d]", path, j)
			at, ok := clock, true
			if s.At.Set() {
				at, ok = stepTime(s.At.Value, st, st)
			}
			if !ok {
				bad(s.At.At(), sp+".at", fmt.Sprintf("bad step time %q", s.At.Value), `write an offset from start such as "+15m", or a time with its offset`)
				continue
			}
			occurred := at
			if s.OccurredAt.Set() {
				if occurred, ok = stepTime(s.OccurredAt.Value, at, at); !ok {
					bad(s.OccurredAt.At(), sp+".occurredAt", fmt.Sprintf("bad occurredAt %q", s.OccurredAt.Value), `write "-5m" (before the step) or a time with its offset`)
					continue
				}
			}
			clock = at
			id := s.ID
			if id == "" {
				id = fmt.Sprintf("step-%d", j+1)
			}
			env := map[string]any{"id": id, "type": s.Event, "actor": s.Actor, "occurredAt": occurred.String(), "recordedAt": at.String()}
			if s.Data != nil {
				var data any
				if err := f.DecodeYAML(s.Data, &data); err != nil {
					bad(f.Range(s.Data), sp+".data", "bad data: "+err.Error(), "write the data as a mapping of field: value")
					continue
				}
				env["data"] = data
			}
			raw, err := json.Marshal(env)
			var ev workflow.Event
			if err == nil {
				err = json.Unmarshal(raw, &ev)
			}
			if err != nil {
				bad(s.Meta.At(), sp, "the step is not an event: "+err.Error(), "give data as text, numbers, true/false, lists of text and mappings")
				continue
			}
			tc.Steps = append(tc.Steps, StepExpectation{Event: ev, Expect: s.Expect, at: s.Meta.At()})
		}
		cf.Cases = append(cf.Cases, tc)
	}
	ds.Sort()
	if ds.HasErrors() {
		return nil, ds
	}
	return cf, ds
}

// stepTime reads "+15m" (from base) or an RFC 3339 time; a relative time
// is written in start's offset.
func stepTime(s string, base, start workflow.Time) (workflow.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return base, true
	}
	if s[0] == '+' || s[0] == '-' {
		d, ok := offset(s)
		if !ok {
			return workflow.Time{}, false
		}
		return base.Add(d).In(start), true
	}
	t, err := workflow.ParseTime(s)
	return t, err == nil
}

// offset reads "+15m", "-5m", "+1h30m", "+2d12h" as drills write them.
func offset(s string) (time.Duration, bool) {
	sign := time.Duration(1)
	if s[0] == '-' {
		sign = -1
	}
	s = s[1:]
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 {
			return 0, false
		}
		days, s = time.Duration(n)*24*time.Hour, s[i+1:]
	}
	var rest time.Duration
	if s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 || strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-") {
			return 0, false
		}
		rest = d
	}
	return sign * (days + rest), true
}

// caseFileTables are the field tables of caseFileSpec, built once.
var caseFileTables = yamlx.TablesFor((*caseFileSpec)(nil))
