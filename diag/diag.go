// Package diag holds source positions and diagnostics shared by every yingji
// package, so one lint can show everything about a plan in one sorted list.
//
// It is modelled on hcl.Diagnostic: a Diagnostic has a severity, a one-line
// summary, a detail sentence that says how to fix the problem, the YAML path
// of the item and the Range of source text it is about. Diagnostics
// implements error, so a loader can return all of its findings at once and a
// caller can recover them with errors.As.
//
// Values of this package are plain data: safe to copy, and safe for
// concurrent reads once built.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Pos is a position in a source file. Line and Column are 1-based; Column
// counts runes (not bytes), so a position after Chinese text is where an
// editor shows it. Byte is the 0-based byte offset.
//
// Concurrency: a plain value.
type Pos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// Range is a span of a source file. End is exclusive. A zero Range means
// the diagnostic is about the plan as a whole.
//
// Concurrency: a plain value.
type Range struct {
	Filename string `json:"file,omitempty"`
	Start    Pos    `json:"start"`
	End      Pos    `json:"end"`
}

// IsZero reports whether r names no position.
func (r Range) IsZero() bool { return r.Filename == "" && r.Start.Line == 0 }

// String renders r as file:line:column.
func (r Range) String() string {
	switch {
	case r.Filename == "" && r.Start.Line == 0:
		return ""
	case r.Start.Line == 0:
		return r.Filename
	}
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}

// Severity grades a diagnostic. The zero value is Invalid.
//
// Concurrency: a plain value.
type Severity int

const (
	Invalid Severity = iota
	Error            // the plan cannot be used as it is
	Warning          // the plan loads, but the text or data has a problem
	Info             // worth knowing: an interpretation taken, a to-do
)

var severityNames = [...]string{"invalid", "error", "warning", "info"}

func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// MarshalText renders the severity by name in JSON and YAML.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	for i, n := range severityNames {
		if i > 0 && n == string(b) {
			*s = Severity(i)
			return nil
		}
	}
	return fmt.Errorf("diag: unknown severity %q (want error, warning or info)", b)
}

// Diagnostic is one finding about a plan. Build it as a literal with named
// fields:
//
//	diag.Diagnostic{Severity: diag.Error, Code: CodeBadThreshold, Subject: at,
//		Path: path, Summary: "bad threshold …", Fix: "write it as the plan does …"}
//
// Concurrency: a plain value; safe to read from several goroutines, not to change while read.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	// Code is the stable machine code of the kind of finding
	// ("yaml.unknown-key", "lint.gap"): tools filter and translate by it
	// without parsing the summary. Every code is a constant declared once,
	// in the package that reports it; CODES.md lists them all.
	Code    string `json:"code"`
	Summary string `json:"summary"`
	// Detail says why, when the summary alone does not: the evidence, the
	// other declaration, the consequence.
	Detail string `json:"detail,omitempty"`
	// Fix says how to fix it, in a short sentence.
	Fix string `json:"fix,omitempty"`
	// Path is the YAML path of the item, e.g. "levels[1].criteria[0].any[2]".
	Path    string `json:"path,omitempty"`
	Subject Range  `json:"subject"`
	// Clause is the plan's clause the finding is about, when there is one.
	Clause string `json:"clause,omitempty"`
	// Params are the values the summary is built from (the key, the
	// value, the valid values), so a front end can word the finding in
	// its own language.
	Params map[string]string `json:"params,omitempty"`
}

// Error renders d on one line: "file:line:col: error: summary (path); detail".
func (d Diagnostic) Error() string {
	var b strings.Builder
	if s := d.Subject.String(); s != "" {
		b.WriteString(s)
		b.WriteString(": ")
	}
	b.WriteString(d.Severity.String())
	b.WriteString(": ")
	b.WriteString(d.Summary)
	if d.Path != "" {
		fmt.Fprintf(&b, " (at %s)", d.Path)
	}
	if d.Clause != "" {
		fmt.Fprintf(&b, " [%s]", d.Clause)
	}
	if d.Detail != "" {
		b.WriteString("; ")
		b.WriteString(d.Detail)
	}
	if d.Fix != "" {
		b.WriteString("; ")
		b.WriteString(d.Fix)
	}
	return b.String()
}

// Diagnostics is a list of findings. As an error it renders every finding,
// one per line, capped at MaxRendered.
//
// Concurrency: a plain slice; safe to read from several goroutines, not to
// sort or append to while read.
type Diagnostics []Diagnostic

// MaxRendered caps how many diagnostics Error and Render print; the rest are
// summarised as "N more".
const MaxRendered = 100

// Error renders the diagnostics, one per line.
func (ds Diagnostics) Error() string {
	var b strings.Builder
	for i, d := range ds {
		if i == MaxRendered {
			fmt.Fprintf(&b, "\n… and %d more", len(ds)-i)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.Error())
	}
	return b.String()
}

// HasErrors reports whether any diagnostic has severity Error.
func (ds Diagnostics) HasErrors() bool {
	return slices.ContainsFunc(ds, func(d Diagnostic) bool { return d.Severity == Error })
}

// Errors returns the diagnostics of severity Error.
func (ds Diagnostics) Errors() Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == Error {
			out = append(out, d)
		}
	}
	return out
}

// Err returns ds as an error when it holds any Error, and nil otherwise.
func (ds Diagnostics) Err() error {
	if ds.HasErrors() {
		return ds
	}
	return nil
}

// Sort orders diagnostics by file, line, column, severity, code and summary,
// so output is the same on every run.
func (ds Diagnostics) Sort() {
	slices.SortStableFunc(ds, Compare)
}

// Compare orders two diagnostics the way Sort does.
func Compare(a, b Diagnostic) int {
	return cmp.Or(
		cmp.Compare(a.Subject.Filename, b.Subject.Filename),
		cmp.Compare(a.Subject.Start.Line, b.Subject.Start.Line),
		cmp.Compare(a.Subject.Start.Column, b.Subject.Start.Column),
		cmp.Compare(a.Severity, b.Severity),
		cmp.Compare(a.Code, b.Code),
		cmp.Compare(a.Summary, b.Summary),
		cmp.Compare(a.Path, b.Path),
	)
}

// SplitClauses splits a clause reference that cites several clauses
// ("2.3 (17)；附件 8.5", "4.2; 4.3") into one reference each.
func SplitClauses(ref string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(ref, func(r rune) bool { return r == ';' || r == '；' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
