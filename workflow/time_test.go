package workflow_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/workflow"
)

func TestTimeArithmeticDoesNotWrap(t *testing.T) {
	parse := func(s string) workflow.Time {
		v, err := workflow.ParseTime(s)
		require.NoError(t, err)
		return v
	}
	first, last := parse("1900-01-01T00:00:00Z"), parse("2200-12-31T23:59:59+08:00")
	cases := []struct {
		name string
		got  time.Duration
		want time.Duration
	}{
		{"1900 to 2200 is longer than a Duration holds: saturated, not wrapped", last.Sub(first), time.Duration(math.MaxInt64)},
		{"and the other way round", first.Sub(last), time.Duration(math.MinInt64)},
		{"Beijing 11:12 is Xinjiang 09:12: twelve minutes after 09:00+06:00",
			parse("2025-10-15T11:12:00+08:00").Sub(parse("2025-10-15T09:00:00+06:00")), 12 * time.Minute},
		{"nanoseconds carry across the second", parse("2025-10-15T09:00:00.7Z").Add(600 * time.Millisecond).Sub(parse("2025-10-15T09:00:01Z")), 300 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, tc.got) })
	}
	far := workflow.TimeOf(time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC))
	assert.Equal(t, "2300-01-01T00:00:00Z", far.String(), "TimeOf keeps any year; Check says whether it is plausible")
	assert.ErrorIs(t, far.Check(), workflow.ErrTimeRange)
	assert.True(t, parse("2025-10-15T11:00:00+08:00").Equal(parse("2025-10-15T09:00:00+06:00")))
	assert.NotEqual(t, parse("2025-10-15T11:00:00+08:00"), parse("2025-10-15T09:00:00+06:00"), "== also compares the offset")
}
