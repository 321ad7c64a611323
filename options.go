package yingji

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/yingji/yingji/diag"
)

// Option configures Load, Embedded, Default and NewEngine. Options return
// an error instead of panicking on a bad value, so a value read from a
// host's configuration file can be passed straight through.
//
// Concurrency: an Option only sets the configuration of the call it is
// passed to, so one may be shared and reused.
type Option func(*config) error

// The default limits. Each can be changed per plan with the option of the
// same name; there are no package-level limits to change.
const (
	// DefaultMaxFileSize caps each file of a plan folder, checked before
	// the file is decoded.
	DefaultMaxFileSize int64 = 4 << 20
	// DefaultMaxPlanSize caps the sum of a plan folder's files.
	DefaultMaxPlanSize int64 = 16 << 20
)

type config struct {
	maxNodes     int
	memoryBudget uint
	maxCriteria  int
	maxLog       int
	maxFileSize  int64
	maxPlanSize  int64
	sink         DecisionSink
	clock        func() time.Time
	newID        func() string
}

func newConfig(opts []Option) (config, error) {
	c := config{maxFileSize: DefaultMaxFileSize, maxPlanSize: DefaultMaxPlanSize, clock: time.Now, newID: randomID}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&c); err != nil {
			return c, err
		}
	}
	return c, nil
}

// OptionError is a bad option value.
//
// Concurrency: immutable once returned; safe to share between goroutines.
type OptionError struct {
	Option string
	Value  string
	Reason string
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("yingji: option %s(%s): %s", e.Option, e.Value, e.Reason)
}

// Problems returns the error in its machine form.
func (e *OptionError) Problems() []diag.Problem {
	return []diag.Problem{{Code: CodeOption, Message: e.Error(), Field: e.Option, Params: map[string]string{"value": e.Value, "reason": e.Reason}}}
}

func positive(name string, n int64, set func()) error {
	if n <= 0 {
		return &OptionError{Option: name, Value: fmt.Sprint(n), Reason: "must be positive"}
	}
	set()
	return nil
}

// MaxNodes caps the size of every expression of the plan (criteria,
// guards), in expr syntax-tree nodes. Zero or less is an error.
func MaxNodes(n int) Option {
	return func(c *config) error { return positive("MaxNodes", int64(n), func() { c.maxNodes = n }) }
}

// MemoryBudget caps what one evaluation of an expression may allocate, in
// expr's memory units. Zero is an error.
func MemoryBudget(n uint) Option {
	return func(c *config) error { return positive("MemoryBudget", int64(n), func() { c.memoryBudget = n }) }
}

// MaxCriteria caps the number of criteria of grading.yaml (levels and
// scope together).
func MaxCriteria(n int) Option {
	return func(c *config) error { return positive("MaxCriteria", int64(n), func() { c.maxCriteria = n }) }
}

// MaxLog caps the number of events of one workflow instance.
func MaxLog(n int) Option {
	return func(c *config) error { return positive("MaxLog", int64(n), func() { c.maxLog = n }) }
}

// MaxFileSize caps the size of each file of a plan folder, in bytes.
func MaxFileSize(n int64) Option {
	return func(c *config) error { return positive("MaxFileSize", n, func() { c.maxFileSize = n }) }
}

// MaxPlanSize caps the total size of a plan folder's files, in bytes.
func MaxPlanSize(n int64) Option {
	return func(c *config) error { return positive("MaxPlanSize", n, func() { c.maxPlanSize = n }) }
}

// WithDecisionSink sends a decision record for every Classify, Assess,
// Roster and Apply of the plan (or engine) to s. A nil sink turns
// recording off.
func WithDecisionSink(s DecisionSink) Option {
	return func(c *config) error { c.sink = s; return nil }
}

// WithClock sets the clock decision records and engine status are stamped
// with. The engines themselves never read a clock: a workflow's time comes
// from its events. A nil clock is an error.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return &OptionError{Option: "WithClock", Value: "nil", Reason: "give a clock function"}
		}
		c.clock = now
		return nil
	}
}

// WithDecisionIDs sets how decision ids are made (the default is 128 random
// bits in hex). Tests use it for stable ids. A nil function is an error.
func WithDecisionIDs(next func() string) Option {
	return func(c *config) error {
		if next == nil {
			return &OptionError{Option: "WithDecisionIDs", Value: "nil", Reason: "give an id function"}
		}
		c.newID = next
		return nil
	}
}

func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}
