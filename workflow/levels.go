package workflow

import (
	"strings"

	"github.com/yingji/yingji/grading"
)

// level is the one place the workflow reads a level written by a person or
// a producer: the levels: of a trigger, the string literals compared with
// a level, a level data field of an event (data.level), the value of
// effects.response and request.to, and the argument of rank, response and
// levelAbove. It accepts what grading.Rules.Level accepts: a level id, its
// name, or the response id that activates it ("III"). The spellings the
// plan text also uses (Ⅲ, 3, 三级, Ⅲ级应急响应) belong to the grading rules'
// data; when the rules parse them, this is the function to route through
// them, and every caller follows.
//
// An unknown or empty reference is not found; levelList gives the valid
// levels for the error, in order, never a guess at another rank.
func (d *Definition) level(ref string) (*grading.Level, bool) {
	if ref == "" || d.rules == nil {
		return nil, false
	}
	return d.rules.Level(ref)
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
