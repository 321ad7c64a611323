// Package norm brings event data to the forms the workflow engine stores
// and logs, and formats durations for people; the workflow and its drills
// share it so that both read data the same way.
package norm

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
)

// Map brings decoded values to the forms the engine stores: float64,
// string, bool, []string and nested maps of those. A nil map stays nil.
func Map(m map[string]any) (map[string]any, error) {
	if m == nil {
		return nil, nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		n, err := Value(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[k] = n
	}
	return out, nil
}

// Value brings one decoded value to its stored form (see Map).
func Value(v any) (any, error) {
	switch v := v.(type) {
	case nil, string, bool:
		return v, nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("not a finite number")
		}
		return v, nil
	case float32:
		return Value(float64(v))
	case int:
		return float64(v), nil
	case int64:
		return float64(v), nil
	case int32:
		return float64(v), nil
	case uint64:
		return float64(v), nil
	case uint:
		return float64(v), nil
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", v)
		}
		return Value(f)
	case []string:
		return append([]string{}, v...), nil
	case []any:
		out := make([]string, len(v))
		for i, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("lists hold strings only, not %T", e)
			}
			out[i] = s
		}
		return out, nil
	case map[string]any:
		return Map(v)
	}
	return nil, fmt.Errorf("unsupported value of type %T", v)
}

// Duration renders d the way the plan writes deadlines: "15m", "1h5m",
// "2h", "0s".
func Duration(d time.Duration) string {
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	if s == "" {
		return "0s"
	}
	return s
}
