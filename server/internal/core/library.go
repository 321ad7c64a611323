package core

import "github.com/yingji/yingji"

// Library returns the library's plan behind p, for the duty-room pages,
// which draw their forms and explanations from the plan's own vocabulary
// (inputs and their labels, units, localities, industries, events and
// their fields, guards, tasks). The plan is immutable; do not modify it.
func (p *Plan) Library() *yingji.Plan { return p.p }
