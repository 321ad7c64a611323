package main

import (
	"fmt"
	"strings"
	"unicode/utf8"
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
	writeWrappedIndent(b, head, strings.Repeat(" ", width(head)), items, sep, cols)
}

// writeWrappedIndent is writeWrapped with the later lines indented by pad.
// A separator that ends in a space ("; ") keeps the space between items
// on one line and drops it at the end of a line.
func writeWrappedIndent(b *strings.Builder, head, pad string, items []string, sep string, cols int) {
	core := strings.TrimRight(sep, " ")
	space := core != sep
	b.WriteString(head)
	col := width(head)
	for i, it := range items {
		if i < len(items)-1 {
			it += core
		}
		w := width(it)
		switch {
		case i > 0 && col+w+1 > cols:
			b.WriteString("\n" + pad)
			col = width(pad)
		case i > 0 && space:
			b.WriteString(" ")
			col++
		}
		b.WriteString(it)
		col += w
	}
	b.WriteString("\n")
}

// width is the number of terminal columns s takes: two for a wide (CJK)
// character, one for the others.
func width(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case r == utf8.RuneError:
		return 1
	case r >= 0x1100 && r <= 0x115F, // Hangul Jamo
		r >= 0x2E80 && r <= 0xA4CF && r != 0x303F, // CJK radicals … Yi
		r >= 0xAC00 && r <= 0xD7A3,                // Hangul syllables
		r >= 0xF900 && r <= 0xFAFF,                // CJK compatibility ideographs
		r >= 0xFE30 && r <= 0xFE4F,                // CJK compatibility forms
		r >= 0xFF00 && r <= 0xFF60,                // fullwidth forms
		r >= 0xFFE0 && r <= 0xFFE6,
		r >= 0x20000 && r <= 0x3FFFD:
		return 2
	}
	return 1
}
