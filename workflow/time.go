package workflow

import (
	"fmt"
	"strings"
	"time"
)

// Time is an instant together with the UTC offset it was written in.
// Duty rooms in Xinjiang mix Xinjiang time (UTC+6) and Beijing time
// (UTC+8); a Time keeps the offset so that a log reads as it was written,
// while comparisons use the instant. It is a plain comparable value (==
// means same instant and same offset) and marshals as RFC 3339 text.
//
// Concurrency: an immutable value, safe for concurrent use.
type Time struct {
	unix   int64 // nanoseconds since the Unix epoch
	offset int32 // seconds east of UTC
	set    bool
}

// ParseTime parses RFC 3339 text with an explicit offset ("Z", "+06:00",
// "+08:00"). Text without an offset is an error: the engine never guesses
// a time zone.
func ParseTime(s string) (Time, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return Time{}, fmt.Errorf("workflow: time %q must be RFC 3339 with an explicit UTC offset, e.g. 2025-10-15T09:30:00+06:00", s)
	}
	return TimeOf(t), nil
}

// TimeOf converts a time.Time, keeping its offset.
func TimeOf(t time.Time) Time {
	_, off := t.Zone()
	return Time{unix: t.UnixNano(), offset: int32(off), set: true}
}

// IsZero reports whether t was never set.
func (t Time) IsZero() bool { return !t.set }

// Time returns t as a time.Time in its own fixed offset.
func (t Time) Time() time.Time {
	if !t.set {
		return time.Time{}
	}
	return time.Unix(0, t.unix).In(time.FixedZone("", int(t.offset)))
}

// Before reports whether t is an earlier instant than u.
func (t Time) Before(u Time) bool { return t.unix < u.unix }

// After reports whether t is a later instant than u.
func (t Time) After(u Time) bool { return t.unix > u.unix }

// Sub returns the duration t−u.
func (t Time) Sub(u Time) time.Duration { return time.Duration(t.unix - u.unix) }

// Add returns t+d in t's offset.
func (t Time) Add(d time.Duration) Time {
	t.unix += int64(d)
	return t
}

// In returns the same instant written with another time's offset.
func (t Time) In(u Time) Time {
	t.offset = u.offset
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

// UnmarshalText parses RFC 3339 with an explicit offset.
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
