package pages

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"strings"
	"time"

	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/workflow"
)

// funcs are the template functions.
var funcs = template.FuncMap{
	"tel":      telURL,
	"phone":    phoneText,
	"clock":    clockText,
	"datetime": dateTimeText,
	"iso":      isoText,
	"join":     strings.Join,
	"inc":      func(i int) int { return i + 1 },
}

// telURL is a tel: link to a phone number as 附件 8.5/8.6 write them
// ("0994-2337910", "18999552212"); html/template would refuse the scheme,
// so the number is reduced to digits, + and - first.
func telURL(number string) template.URL {
	var b strings.Builder
	for _, r := range number {
		if r >= '0' && r <= '9' || r == '+' || r == '-' {
			b.WriteRune(r)
		}
	}
	return template.URL("tel:" + b.String())
}

// phoneText groups a mobile number 3-4-4 for reading aloud; other numbers
// stay as written.
func phoneText(number string) string {
	if len(number) == 11 && strings.Trim(number, "0123456789") == "" {
		return number[:3] + " " + number[3:7] + " " + number[7:]
	}
	return number
}

// offsetName names the UTC offsets the duty rooms use.
func offsetName(t time.Time) string {
	_, off := t.Zone()
	switch off {
	case 8 * 3600:
		return "北京时间"
	case 6 * 3600:
		return "新疆时间"
	}
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	return fmt.Sprintf("UTC%s%02d:%02d", sign, off/3600, off%3600/60)
}

// parseTime reads an RFC 3339 time as the API writes it; the zero time
// when it does not parse.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// clockText is a time of day in the offset it was written in: "09:16".
func clockText(v any) string {
	t := asTime(v)
	if t.IsZero() {
		return ""
	}
	return t.Format("15:04")
}

// dateTimeText is a full time in the offset it was written in:
// "2025-10-15 09:16（新疆时间）".
func dateTimeText(v any) string {
	t := asTime(v)
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02 15:04") + "（" + offsetName(t) + "）"
}

// isoText is the machine form for data attributes and <time datetime>.
func isoText(v any) string {
	t := asTime(v)
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func asTime(v any) time.Time {
	switch x := v.(type) {
	case time.Time:
		return x
	case *time.Time:
		if x != nil {
			return *x
		}
	case string:
		return parseTime(x)
	}
	return time.Time{}
}

// durationText writes a duration as the countdown does: "12:05",
// "1:02:03".
func durationText(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	s := int64(d.Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s%3600/60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// withinText writes a task's time limit: "15 分钟", "2 小时".
// periodText words a task's deadline: "15 分钟", "30 日", or, when it
// depends on the facts, each rule's length joined by "或".
func periodText(p *workflow.Period) string {
	if p == nil {
		return ""
	}
	if d, ok := p.Simple(); ok {
		return withinText(d)
	}
	var parts []string
	for _, r := range p.Rules {
		switch {
		case r.Days > 0:
			parts = append(parts, fmt.Sprintf("%d 日", r.Days))
		case r.Duration > 0:
			parts = append(parts, withinText(r.Duration))
		}
	}
	return strings.Join(parts, "或")
}

func withinText(d time.Duration) string {
	switch {
	case d <= 0:
		return ""
	case d%time.Hour == 0:
		return fmt.Sprintf("%d 小时", int(d/time.Hour))
	case d%time.Minute == 0:
		return fmt.Sprintf("%d 分钟", int(d/time.Minute))
	}
	return d.String()
}

// numberText writes a figure the way the plan writes its numbers, with
// its unit: "12人", "5000万元".
func numberText(x float64, unit string) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return grading.FormatNumber(x, unit) + unit
}

// assetVersion is a short hash of the embedded assets, added to their URLs
// so that a new build is never served stale from a browser cache.
func assetVersion(fsys fs.FS) string {
	h := sha256.New()
	_ = fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		h.Write([]byte(path))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}
