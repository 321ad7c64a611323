package workflow

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// The years an event, a drill or a deadline may fall in. Anything outside
// is a typing or clock error, not an incident: ParseTime refuses it and
// Apply rejects an event with such a time, naming the field.
const (
	MinYear = 1900
	MaxYear = 2200
)

// ErrTimeRange: a time outside the years MinYear–MaxYear. ParseTime and
// Time.Check return errors that match it with errors.Is.
var ErrTimeRange = errors.New("workflow: time outside the years 1900–2200")

// Time is an instant together with the UTC offset it was written in.
// Duty rooms in Xinjiang mix Xinjiang time (UTC+6) and Beijing time
// (UTC+8); a Time keeps the offset so that a log reads as it was written,
// while comparisons use the instant. It is a plain comparable value (==
// means same instant and same offset) and marshals as RFC 3339 text.
//
// A Time holds seconds and nanoseconds separately, so any time.Time
// converts without wrapping around; whether it is a plausible time of an
// incident is Check's question.
//
// Concurrency: an immutable value, safe for concurrent use.
type Time struct {
	sec    int64 // seconds since the Unix epoch
	nsec   int32 // nanoseconds within the second, 0–999,999,999
	offset int32 // seconds east of UTC
	set    bool
}

// ParseTime parses RFC 3339 text with an explicit offset ("Z", "+06:00",
// "+08:00"). Text without an offset is an error: the engine never guesses
// a time zone. A time outside the years MinYear–MaxYear is an error that
// matches ErrTimeRange.
func ParseTime(s string) (Time, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return Time{}, fmt.Errorf("workflow: time %q must be RFC 3339 with an explicit UTC offset, e.g. 2025-10-15T09:30:00+06:00", s)
	}
	v := TimeOf(t)
	if err := v.Check(); err != nil {
		return Time{}, err
	}
	return v, nil
}

// TimeOf converts a time.Time, keeping its offset.
func TimeOf(t time.Time) Time {
	_, off := t.Zone()
	return Time{sec: t.Unix(), nsec: int32(t.Nanosecond()), offset: int32(off), set: true}
}

// Check reports a time outside the years MinYear–MaxYear (as written, in
// its own offset) with an error matching ErrTimeRange; nil otherwise, and
// for the zero Time.
func (t Time) Check() error {
	if !t.set {
		return nil
	}
	if y := t.Time().Year(); y < MinYear || y > MaxYear {
		return timeRangeError{t}
	}
	return nil
}

// timeRangeError is a time outside MinYear–MaxYear; it matches
// ErrTimeRange.
type timeRangeError struct{ t Time }

func (e timeRangeError) Error() string {
	return fmt.Sprintf("workflow: time %s is outside the years %d–%d", e.t, MinYear, MaxYear)
}

func (timeRangeError) Is(target error) bool { return target == ErrTimeRange }

// IsZero reports whether t was never set.
func (t Time) IsZero() bool { return !t.set }

// Time returns t as a time.Time in its own fixed offset.
func (t Time) Time() time.Time {
	if !t.set {
		return time.Time{}
	}
	return time.Unix(t.sec, int64(t.nsec)).In(time.FixedZone("", int(t.offset)))
}

// Before reports whether t is an earlier instant than u.
func (t Time) Before(u Time) bool { return t.sec < u.sec || t.sec == u.sec && t.nsec < u.nsec }

// After reports whether t is a later instant than u.
func (t Time) After(u Time) bool { return u.Before(t) }

// Equal reports whether t and u are the same instant, whatever their
// offsets.
func (t Time) Equal(u Time) bool { return t.sec == u.sec && t.nsec == u.nsec && t.set == u.set }

// Sub returns the duration t−u, saturated at the limits of time.Duration
// (about 292 years either way).
func (t Time) Sub(u Time) time.Duration {
	const maxSec = math.MaxInt64/int64(time.Second) - 1
	switch {
	case u.sec > 0 && t.sec < math.MinInt64+u.sec:
		return time.Duration(math.MinInt64)
	case u.sec < 0 && t.sec > math.MaxInt64+u.sec:
		return time.Duration(math.MaxInt64)
	}
	ds := t.sec - u.sec
	switch {
	case ds > maxSec:
		return time.Duration(math.MaxInt64)
	case ds < -maxSec:
		return time.Duration(math.MinInt64)
	}
	return time.Duration(ds)*time.Second + time.Duration(t.nsec-u.nsec)
}

// Add returns t+d in t's offset.
func (t Time) Add(d time.Duration) Time {
	t.sec += int64(d / time.Second)
	t.nsec += int32(d % time.Second)
	switch {
	case t.nsec >= 1e9:
		t.sec++
		t.nsec -= 1e9
	case t.nsec < 0:
		t.sec--
		t.nsec += 1e9
	}
	return t
}

// In returns the same instant written with another time's offset.
func (t Time) In(u Time) Time {
	t.offset = u.offset
	return t
}

// inOffset returns the same instant written in the offset of off seconds
// east of UTC.
func (t Time) inOffset(off int) Time {
	t.offset = int32(off)
	return t
}

// String renders RFC 3339 in t's own offset.
func (t Time) String() string {
	if !t.set {
		return ""
	}
	return t.Time().Format(time.RFC3339Nano)
}

// MarshalText renders RFC 3339 in t's own offset.
func (t Time) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText parses RFC 3339 with an explicit offset, within the years
// MinYear–MaxYear.
func (t *Time) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*t = Time{}
		return nil
	}
	v, err := ParseTime(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}
