package workflow

import (
	"errors"
	"fmt"
)

// The limits a Definition applies unless an Option sets others.
const (
	// DefaultMaxNodes caps the size of one expression's syntax tree.
	DefaultMaxNodes = 2000
	// DefaultMemoryBudget caps what one evaluation of an expression may
	// allocate, in expr's units (roughly one per value created).
	DefaultMemoryBudget = 100_000
	// DefaultMaxLog caps the events one instance may hold. A response
	// that runs for weeks with a report every few minutes stays well
	// under it; a producer that loops is stopped with ErrLogFull instead
	// of growing the instance, its JSON and its replay without bound.
	DefaultMaxLog = 10_000
)

// config holds what the options set.
type config struct {
	actors       ActorResolver
	maxNodes     uint
	memoryBudget uint
	maxLog       int
}

func defaultConfig() config {
	return config{maxNodes: DefaultMaxNodes, memoryBudget: DefaultMemoryBudget, maxLog: DefaultMaxLog}
}

// Option configures Compile. An option given a value it cannot take
// returns an error, which Compile reports as a diagnostic with code
// CodeOption.
//
// Concurrency: an Option only sets the configuration of the call it is
// passed to, so one may be shared and reused.
type Option func(*config) error

// WithActors names the actors of the plan (its orgchart): every actor id
// of the workflow file is checked against r, and events name their actor
// by an id or alias r resolves. Without it any actor id is accepted.
// r must meet ActorResolver's contract; when it also implements
// RoleResolver or IncidentChecker those are used too.
func WithActors(r ActorResolver) Option {
	return func(c *config) error {
		if r == nil {
			return errors.New("WithActors needs a resolver, not nil")
		}
		c.actors = r
		return nil
	}
}

// MaxNodes caps the size of one expression's syntax tree (default
// DefaultMaxNodes); a larger expression is a compile error.
func MaxNodes(n uint) Option {
	return func(c *config) error {
		if n == 0 {
			return errors.New("MaxNodes must be at least 1")
		}
		c.maxNodes = n
		return nil
	}
}

// MemoryBudget caps what one evaluation of an expression may allocate
// (default DefaultMemoryBudget); an evaluation that needs more fails, and
// the event is rejected naming the rule, never accepted as if the rule
// held.
func MemoryBudget(n uint) Option {
	return func(c *config) error {
		if n == 0 {
			return errors.New("MemoryBudget must be at least 1")
		}
		c.memoryBudget = n
		return nil
	}
}

// MaxLog caps the events one instance may hold (default DefaultMaxLog).
// Apply rejects the event that would exceed it with ErrLogFull (a
// *LogFullError), leaving the instance unchanged; Replay of a longer log
// fails at that event. Replay and Apply cost time proportional to the
// events applied, so the cap bounds memory, not speed.
func MaxLog(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("MaxLog must be at least 1, not %d", n)
		}
		c.maxLog = n
		return nil
	}
}
