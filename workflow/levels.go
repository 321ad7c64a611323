package workflow

import (
	"strings"

	"github.com/yingji/yingji/grading"
)

// level is the one place the workflow reads a level written by a person or
// a producer: the levels: of a trigger, the string literals compared with
// a level, a level data field of an event (data.level), the value of
// effects.response and request.to, and the argument of rank, response and
// levelAbove. It accepts every spelling the plan's grading rules declare
// (grading.Rules.ParseLevel): the level's id and name, the response level
// it starts as the text writes it (III, Ⅲ, 3, 三级, Ⅲ级, Ⅲ级应急响应) and the
// grade as a kind of accident (较大事故). The spellings are data of
// grading.yaml, not of Go. Ids, names and response ids are tried first,
// without folding, since expressions look levels up on every event.
//
// An unknown or empty reference is not found; levelList gives the valid
// levels for the error, in order, never a guess at another rank.
func (d *Definition) level(ref string) (*grading.Level, bool) {
	if ref == "" || d.rules == nil {
		return nil, false
	}
	if l, ok := d.rules.Level(ref); ok {
		return l, true
	}
	if l, err := d.rules.ParseLevel(ref); err == nil {
		return l, true
	}
	return nil, false
}

// levelList lists the levels most severe first, each with its name and
// response id: "especially-serious (特别重大, I), serious (重大, II), …".
func (d *Definition) levelList() string {
	if d.rules == nil {
		return ""
	}
	var b strings.Builder
	for i, l := range d.rules.Levels() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(l.ID)
		var about []string
		if l.Name != "" {
			about = append(about, l.Name)
		}
		if l.Response.ID != "" {
			about = append(about, l.Response.ID)
		}
		if len(about) > 0 {
			b.WriteString(" (" + strings.Join(about, ", ") + ")")
		}
	}
	return b.String()
}

// rank is a level's severity rank, 0 the most severe; an unknown or empty
// reference ranks below every level.
func (d *Definition) rank(ref string) int {
	if l, ok := d.level(ref); ok {
		return l.Rank
	}
	if d.rules == nil {
		return 0
	}
	return len(d.rules.Levels())
}
