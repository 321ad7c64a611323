package human

import (
	"fmt"
	"strings"
	"time"
)

// DurationZH writes a duration in Chinese as a duty officer reads it, in
// whole seconds (rounded down): "7 分钟", "15 分 59 秒", "1 小时 5 分钟",
// "2 天 3 小时", "45 秒", "0 秒". Minutes are 分钟 alone and 分 before
// seconds; a negative duration is written as its length.
func DurationZH(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	s := int64(d / time.Second)
	days, hours, mins, secs := s/86400, s%86400/3600, s%3600/60, s%60
	var parts []string
	if days > 0 {
		parts = append(parts, fmt.Sprintf("%d 天", days))
	}
	if hours > 0 {
		parts = append(parts, fmt.Sprintf("%d 小时", hours))
	}
	switch {
	case secs == 0 && mins > 0:
		parts = append(parts, fmt.Sprintf("%d 分钟", mins))
	case secs > 0 && (mins > 0 || len(parts) > 0):
		parts = append(parts, fmt.Sprintf("%d 分", mins), fmt.Sprintf("%d 秒", secs))
	case secs > 0 || len(parts) == 0:
		parts = append(parts, fmt.Sprintf("%d 秒", secs))
	}
	return strings.Join(parts, " ")
}
