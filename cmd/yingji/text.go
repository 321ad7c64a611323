package main

import (
	"fmt"
	"strings"

	"github.com/yingji/yingji/internal/human"
)

// The layout of human output in a terminal: columns and wrapping that
// count a Chinese character as two columns, as terminals draw it.

func joinNonEmpty(sep string, ss ...string) string {
	return strings.Join(nonEmptyStrings(ss...), sep)
}

func nonEmptyStrings(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// writeRows writes two columns, the first padded to the widest (in the
// columns a terminal gives it: a Chinese character takes two).
func writeRows(b *strings.Builder, indent string, rows [][2]string) {
	w := 0
	for _, r := range rows {
		w = max(w, width(r[0]))
	}
	for _, r := range rows {
		if r[1] == "" {
			fmt.Fprintf(b, "%s%s\n", indent, r[0])
			continue
		}
		fmt.Fprintf(b, "%s%s%s  %s\n", indent, r[0], strings.Repeat(" ", w-width(r[0])), r[1])
	}
}

// writeWrapped writes items after head, separated by sep and wrapped
// between items at cols terminal columns, the later lines indented under
// the first item.
func writeWrapped(b *strings.Builder, head string, items []string, sep string, cols int) {
	human.WriteWrapped(b, head, strings.Repeat(" ", width(head)), items, sep, cols)
}

// width is the number of terminal columns s takes.
func width(s string) int { return human.Width(s) }
