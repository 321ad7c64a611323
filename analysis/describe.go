package analysis

import (
	"fmt"
	"math"
	"strings"

	"github.com/yingji/yingji/grading"
)

// Describe renders a range of input in's values for a person, in the
// input's unit: "10–29 人", "≥ 10万 人", "[1000万, 5000万) 元", "≥ county",
// "true". Counts are whole numbers, so "[10, 30)" reads "10–29".
func Describe(in *grading.Input, iv grading.Interval) string {
	unit := ""
	if in.Unit != "" {
		unit = " " + in.Unit
	}
	switch in.Type {
	case grading.Count:
		lo, hi := countBounds(iv)
		switch {
		case math.IsInf(hi, 1):
			return "≥ " + grading.FormatNumber(lo, in.Unit) + unit
		case lo == hi:
			return grading.FormatNumber(lo, in.Unit) + unit
		}
		return grading.FormatNumber(lo, in.Unit) + "–" + grading.FormatNumber(hi, in.Unit) + unit
	case grading.Enum:
		lo, hi := int(math.Ceil(iv.Lo)), len(in.Values)-1
		if !iv.LoIncl && iv.Lo == math.Trunc(iv.Lo) {
			lo++
		}
		if !math.IsInf(iv.Hi, 1) {
			hi = min(hi, int(math.Floor(iv.Hi)))
			if !iv.HiIncl && iv.Hi == math.Trunc(iv.Hi) {
				hi = min(hi, int(iv.Hi)-1)
			}
		}
		lo = max(lo, 0)
		switch {
		case lo > hi:
			return "(none)"
		case lo == hi:
			return in.Values[lo].ID
		case hi == len(in.Values)-1:
			return "≥ " + in.Values[lo].ID
		}
		ids := make([]string, 0, hi-lo+1)
		for i := lo; i <= hi; i++ {
			ids = append(ids, in.Values[i].ID)
		}
		return strings.Join(ids, ", ")
	case grading.Bool:
		switch {
		case iv.Contains(0) && iv.Contains(1):
			return "true or false"
		case iv.Contains(1):
			return "true"
		}
		return "false"
	}
	if iv.Lo == iv.Hi {
		return grading.FormatNumber(iv.Lo, in.Unit) + unit
	}
	return iv.String() + unit
}

// countBounds is the least and greatest whole number in iv (hi may be +Inf).
func countBounds(iv grading.Interval) (lo, hi float64) {
	lo = math.Max(0, math.Ceil(iv.Lo))
	if !iv.LoIncl && lo == iv.Lo {
		lo++
	}
	hi = iv.Hi
	if !math.IsInf(hi, 1) {
		hi = math.Floor(iv.Hi)
		if !iv.HiIncl && hi == iv.Hi {
			hi--
		}
	}
	return lo, hi
}

// name is an input as messages show it: "seriousInjuries (中毒（重伤）人数)".
func name(in *grading.Input) string {
	if in.Label == "" {
		return in.ID
	}
	return fmt.Sprintf("%s (%s)", in.ID, in.Label)
}

// cite is a part as messages cite it: `1.5 重大 (1) ("10 人以上、30 人以下")`.
func cite(p *part) string {
	return fmt.Sprintf("%s (%q)", p.crit.Clause, p.threshold())
}

// levelName is a level as messages show it.
func levelName(l *grading.Level) string {
	if l == nil {
		return "no level"
	}
	if l.Name != "" {
		return l.Name
	}
	return l.ID
}
