package grading

import (
	"fmt"
	"strconv"
)

// The limits every rule set is compiled under unless an Option says
// otherwise. A Result holds one bit per criterion and one figure per input
// inline, so DefaultMaxCriteria and MaxInputs are also the most any rule
// set can have: options can lower them, never raise them.
const (
	// DefaultMaxNodes caps the size of one expression's syntax tree.
	DefaultMaxNodes uint = 2000
	// DefaultMemoryBudget caps what one evaluation of an expression may
	// allocate, in expr's units.
	DefaultMemoryBudget uint = 100_000
	// DefaultMaxCriteria is the most criteria over all levels and the
	// scope together.
	DefaultMaxCriteria = 64
	// MaxInputs is the most grading inputs (other than context lists) a
	// plan may declare.
	MaxInputs = 32
)

// An Option configures Compile. An option given a value it cannot take
// makes Compile report a diagnostic with code CodeOption and return no
// rules; it never panics.
//
// Concurrency: an Option only sets the private configuration of the Compile
// call it is passed to, so one may be shared and reused.
type Option func(*config) error

// config is what the options set.
type config struct {
	conv         Convention
	maxNodes     uint
	memoryBudget uint
	maxCriteria  int
}

func defaultConfig() config {
	// "以上含本数，以下不含本数", as the Changji plan (1.5) and Decree 493
	// (Art. 3) both say.
	return config{conv: Convention{AboveInclusive: true, BelowInclusive: false}, maxNodes: DefaultMaxNodes, memoryBudget: DefaultMemoryBudget, maxCriteria: DefaultMaxCriteria}
}

// optionError is an option's refusal of a value.
type optionError struct {
	option, value, why, fix string
}

func (e *optionError) Error() string {
	return fmt.Sprintf("grading: option %s(%s): %s", e.option, e.value, e.why)
}

// WithConvention reads 以上 and 以下 in thresholds under conv, the boundary
// convention the plan declares (plan.yaml's boundaries:). Without it they
// are read as "以上含本数，以下不含本数" (AboveInclusive, not BelowInclusive).
func WithConvention(conv Convention) Option {
	return func(c *config) error {
		c.conv = conv
		return nil
	}
}

// MaxNodes caps the size of one expression's syntax tree (default
// DefaultMaxNodes). n must be at least 1.
func MaxNodes(n uint) Option {
	return func(c *config) error {
		if n == 0 {
			return &optionError{option: "MaxNodes", value: "0", why: "an expression needs at least one node", fix: "give a limit of 1 or more, or leave the option out for the default"}
		}
		c.maxNodes = n
		return nil
	}
}

// MemoryBudget caps what one evaluation of an expression may allocate, in
// expr's units (default DefaultMemoryBudget). n must be at least 1: expr
// reads 0 as "its own default", which would lift the cap silently.
func MemoryBudget(n uint) Option {
	return func(c *config) error {
		if n == 0 {
			return &optionError{option: "MemoryBudget", value: "0", why: "a budget of 0 would leave evaluation uncapped", fix: "give a budget of 1 or more, or leave the option out for the default"}
		}
		c.memoryBudget = n
		return nil
	}
}

// MaxCriteria caps the criteria of the levels and the scope together. n
// must be between 1 and DefaultMaxCriteria, the most a Result can hold.
func MaxCriteria(n int) Option {
	return func(c *config) error {
		if n < 1 || n > DefaultMaxCriteria {
			return &optionError{option: "MaxCriteria", value: strconv.Itoa(n),
				why: fmt.Sprintf("the limit must be between 1 and %d, the most criteria a Result can hold", DefaultMaxCriteria),
				fix: fmt.Sprintf("give a limit from 1 to %d, or leave the option out for the default", DefaultMaxCriteria)}
		}
		c.maxCriteria = n
		return nil
	}
}
