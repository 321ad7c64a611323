package workflow

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
	"github.com/yingji/yingji/workflow/internal/norm"
)

// Periods: how long a task has (within:) or how long a window stays open
// (window:). A period is counted from the opening event's occurredAt or
// from a time in the data (from:), as a duration or as calendar days on a
// stated clock, and may depend on the facts (alternatives with when:).

// Period is a deadline's or a window's length: the first rule whose When
// holds, when the task opens (a rule without When always holds).
//
// Concurrency: part of a compiled Definition and shared by every user of
// it; read it from any number of goroutines, never modify it.
type Period struct {
	Rules []PeriodRule
}

// PeriodRule is one way of counting a period.
//
// Concurrency: part of a compiled Definition and shared by every user of
// it; read it from any number of goroutines, never modify it.
type PeriodRule struct {
	// Duration counts from From; Days counts calendar days on Clock as the
	// law counts them: the day of From is not counted and the period ends
	// at 24:00 of its last day. Exactly one is set.
	Duration time.Duration
	Days     int
	// Clock is the UTC offset of the calendar days are counted on
	// ("+08:00"); the due time is written in it.
	Clock string
	// From is the expression giving the time counted from; "" means the
	// opening event's occurredAt.
	From string
	// When is the condition that chooses this rule; "" always holds.
	When string

	offset     int // Clock in seconds east of UTC
	from, when *program
}

// Simple reports a period of one duration counted from the opening
// event, the form "within: 15m" writes, and returns the duration.
func (p *Period) Simple() (time.Duration, bool) {
	if p == nil || len(p.Rules) != 1 {
		return 0, false
	}
	r := p.Rules[0]
	return r.Duration, r.Days == 0 && r.From == "" && r.When == ""
}

// String renders the period as the file could write it: "2h", "30d
// (+08:00) from instance.vars.accidentAt", alternatives joined by "; ".
func (p *Period) String() string {
	if p == nil {
		return ""
	}
	parts := make([]string, len(p.Rules))
	for i, r := range p.Rules {
		s := norm.Duration(r.Duration)
		if r.Days > 0 {
			s = strconv.Itoa(r.Days) + "d (" + r.Clock + ")"
		}
		if r.From != "" {
			s += " from " + r.From
		}
		if r.When != "" {
			s += " when " + r.When
		}
		parts[i] = s
	}
	return strings.Join(parts, "; ")
}

// parseClock reads a UTC offset "+08:00", "-05:30", "Z" (or "+0800").
func parseClock(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "Z" || s == "UTC" {
		return 0, true
	}
	for _, layout := range []string{"-07:00", "-0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			_, off := t.Zone()
			return off, true
		}
	}
	return 0, false
}

// periodSpec is within: or window: as the file writes it: a duration
// ("2h"), one rule as a mapping, or a list of rules.
type periodSpec struct {
	Meta  yamlx.Meta
	Rules []periodRuleSpec
}

type periodRuleSpec struct {
	Meta     yamlx.Meta   `yaml:"-"`
	Duration yamlx.String `yaml:"duration"`
	Days     yamlx.String `yaml:"days"`
	Clock    yamlx.String `yaml:"clock"`
	From     yamlx.String `yaml:"from"`
	When     yamlx.String `yaml:"when"`
}

// UnmarshalYAMLX decodes the three forms.
func (p *periodSpec) UnmarshalYAMLX(d *yamlx.Decoder, n *yamlx.Node, path string) {
	p.Meta = d.Meta(n)
	switch n.Kind {
	case yamlx.ScalarNode:
		var s yamlx.String
		d.Decode(n, path, reflectOf(&s))
		p.Rules = []periodRuleSpec{{Meta: p.Meta, Duration: s}}
	case yamlx.MappingNode:
		var r periodRuleSpec
		d.Decode(n, path, reflectOf(&r))
		p.Rules = []periodRuleSpec{r}
	default:
		d.Decode(n, path, reflectOf(&p.Rules))
	}
}

// period compiles a period of task id at path; scope is what its
// expressions may name.
func (c *compiler) period(s *periodSpec, path string, sc exprScope) *Period {
	p := &Period{}
	for i, rs := range s.Rules {
		rp := path
		if s.Meta.Node != nil && s.Meta.Node.Kind == yamlx.SequenceNode {
			rp = path + "[" + strconv.Itoa(i) + "]"
		}
		bad := func(at diag.Range, p, summary, fix string, params map[string]string) {
			c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeBadDuration, Subject: at, Path: p, Summary: summary, Fix: fix, Params: params})
		}
		r := PeriodRule{}
		switch {
		case rs.Duration.Set() && rs.Days.Set():
			bad(rs.Meta.At(), rp, "a period has both duration: and days:", "write one of them", nil)
			continue
		case rs.Duration.Set():
			d, err := time.ParseDuration(strings.TrimSpace(rs.Duration.Value))
			if err != nil || d <= 0 {
				bad(rs.Duration.At(), rp+".duration", fmt.Sprintf("bad duration %q", rs.Duration.Value),
					"write a positive duration such as 15m, 2h or 1h30m; for calendar days write days: N with clock:", map[string]string{"value": rs.Duration.Value})
				continue
			}
			r.Duration = d
		case rs.Days.Set():
			n, err := strconv.Atoi(strings.TrimSpace(rs.Days.Value))
			if err != nil || n <= 0 || n > 36600 {
				bad(rs.Days.At(), rp+".days", fmt.Sprintf("bad number of days %q", rs.Days.Value),
					"write a whole number of days, 1 or more", map[string]string{"value": rs.Days.Value})
				continue
			}
			r.Days = n
		default:
			bad(rs.Meta.At(), rp, "a period needs duration: or days:", "write duration: 2h, or days: 30 with clock: \"+08:00\"", nil)
			continue
		}
		// The workflow's clock: is the calendar of periods in days; a
		// duration keeps the offset of the time it counts from unless its
		// own clock: says otherwise.
		clock := rs.Clock
		if !clock.Set() && r.Days > 0 {
			clock = c.clock
		}
		if clock.Set() {
			off, ok := parseClock(clock.Value)
			if !ok {
				bad(clock.At(), rp+".clock", fmt.Sprintf("bad clock %q", clock.Value),
					"write the UTC offset the days are counted on, such as \"+08:00\" (北京时间); zone names are not read", map[string]string{"value": clock.Value})
				continue
			}
			r.Clock, r.offset = strings.TrimSpace(clock.Value), off
		} else if r.Days > 0 {
			bad(rs.Days.At(), rp+".clock", "a period in days needs the clock its days are counted on",
				"add clock: \"+08:00\" (or the workflow's clock:): a calendar day begins at midnight of some clock, and the engine never guesses one", nil)
			continue
		}
		if rs.From.Set() {
			r.From = rs.From.Value
			r.from = c.compileExpr(rs.From, rp+".from", sc, false)
		}
		if rs.When.Set() {
			r.When = rs.When.Value
			r.when = c.compileExpr(rs.When, rp+".when", sc, true)
		} else if i < len(s.Rules)-1 {
			c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeBadDuration, Subject: rs.Meta.At(), Path: rp,
				Summary: "a period rule without when: always holds, so the rules after it are never used",
				Fix:     "give it a when: condition, or put it last as the default"})
		}
		p.Rules = append(p.Rules, r)
	}
	if len(p.Rules) == 0 {
		return nil
	}
	return p
}

// span is a period as counted for one task: when it ends, and what the
// expressions of its late: note see.
type span struct {
	due     Time
	start   Time
	days    int
	lastDay string
}

// count chooses the period's rule and counts it for a task opened by the
// current event.
func (a *applier) count(p *Period) (span, error) {
	for _, r := range p.Rules {
		ok, err := a.evalBool(r.when)
		if err != nil {
			return span{}, err
		}
		if !ok {
			continue
		}
		start := a.ev.OccurredAt
		if r.from != nil {
			v, err := a.eval(r.from)
			if err != nil {
				return span{}, err
			}
			t, err := timeValue(v)
			if err != nil {
				return span{}, fmt.Errorf("from: %w", err)
			}
			if t.IsZero() {
				return span{}, fmt.Errorf("from: %s gave no time", r.From)
			}
			start = t
		}
		if r.Clock != "" {
			start = start.inOffset(r.offset)
		}
		if r.Days == 0 {
			due := start.Add(r.Duration)
			return span{due: due, start: start, lastDay: due.Time().Format(time.DateOnly)}, nil
		}
		// The day of start is not counted; the period ends at 24:00 of
		// its last day, that is at 00:00 of the day after.
		st := start.Time()
		last := time.Date(st.Year(), st.Month(), st.Day()+r.Days, 0, 0, 0, 0, st.Location())
		end := TimeOf(last.AddDate(0, 0, 1))
		if err := end.Check(); err != nil {
			return span{}, err
		}
		return span{due: end, start: start, days: r.Days, lastDay: last.Format(time.DateOnly)}, nil
	}
	return span{}, errNoRule
}

var errNoRule = fmt.Errorf("no rule of the period holds")

// timeValue reads a time an expression gave: RFC 3339 text with an
// offset, or a Time; "" is no time.
func timeValue(v any) (Time, error) {
	switch v := v.(type) {
	case nil:
		return Time{}, nil
	case string:
		if v == "" {
			return Time{}, nil
		}
		return ParseTime(v)
	case Time:
		return v, v.Check()
	case time.Time:
		t := TimeOf(v)
		return t, t.Check()
	}
	return Time{}, fmt.Errorf("%s is not a time", describe(v))
}
