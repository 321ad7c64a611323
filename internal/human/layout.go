package human

import (
	"strings"
	"unicode/utf8"
)

// Width is the number of terminal columns s takes: two for a wide (CJK)
// character, one for the others.
func Width(s string) int {
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

// WriteWrapped writes items after head, separated by sep and wrapped
// between items at cols terminal columns, the later lines indented by
// pad, and a newline. A separator that ends in a space ("; ") keeps the
// space between items on one line and drops it at the end of a line.
func WriteWrapped(b *strings.Builder, head, pad string, items []string, sep string, cols int) {
	core := strings.TrimRight(sep, " ")
	space := core != sep
	b.WriteString(head)
	col := Width(head)
	for i, it := range items {
		if i < len(items)-1 {
			it += core
		}
		w := Width(it)
		switch {
		case i > 0 && col+w+1 > cols:
			b.WriteString("\n" + pad)
			col = Width(pad)
		case i > 0 && space:
			b.WriteString(" ")
			col++
		}
		b.WriteString(it)
		col += w
	}
	b.WriteString("\n")
}
