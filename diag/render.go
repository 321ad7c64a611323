package diag

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Sources maps a file name to its content, for rendering snippets.
//
// Concurrency: a plain map; safe to read from several goroutines, not to
// change while read.
type Sources map[string][]byte

// Render writes the diagnostics with the source line of each and a caret
// under the subject. The caret is drawn by counting display cells (a CJK rune
// is two cells wide), so it lands under the right character after Chinese
// text. At most MaxRendered diagnostics are written; the rest are counted.
func Render(w io.Writer, ds Diagnostics, src Sources) error {
	var b strings.Builder
	for i, d := range ds {
		if i == MaxRendered {
			fmt.Fprintf(&b, "… and %d more\n", len(ds)-i)
			break
		}
		renderOne(&b, d, src)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// RenderString is Render into a string.
func RenderString(ds Diagnostics, src Sources) string {
	var b strings.Builder
	_ = Render(&b, ds, src)
	return b.String()
}

func renderOne(b *strings.Builder, d Diagnostic, src Sources) {
	if s := d.Subject.String(); s != "" {
		fmt.Fprintf(b, "%s: ", s)
	}
	fmt.Fprintf(b, "%s: %s\n", d.Severity, d.Summary)
	if line, ok := sourceLine(src[d.Subject.Filename], d.Subject.Start.Line); ok && d.Subject.Start.Column > 0 {
		prefix := fmt.Sprintf("%5d | ", d.Subject.Start.Line)
		fmt.Fprintf(b, "%s%s\n", prefix, line)
		start := d.Subject.Start.Column - 1
		width := 1
		if d.Subject.End.Line == d.Subject.Start.Line && d.Subject.End.Column > d.Subject.Start.Column {
			width = d.Subject.End.Column - d.Subject.Start.Column
		}
		b.WriteString(strings.Repeat(" ", len(prefix)-2))
		b.WriteString("| ")
		b.WriteString(strings.Repeat(" ", cells(line, 0, start)))
		b.WriteString(strings.Repeat("^", max(1, cells(line, start, start+width))))
		b.WriteByte('\n')
	}
	if d.Path != "" {
		fmt.Fprintf(b, "  at: %s\n", d.Path)
	}
	if d.Clause != "" {
		fmt.Fprintf(b, "  clause: %s\n", d.Clause)
	}
	if d.Detail != "" {
		fmt.Fprintf(b, "  %s\n", d.Detail)
	}
	if d.Fix != "" {
		fmt.Fprintf(b, "  fix: %s\n", d.Fix)
	}
}

func sourceLine(src []byte, line int) (string, bool) {
	if src == nil || line < 1 {
		return "", false
	}
	for i := 1; i < line; i++ {
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return "", false
		}
		src = src[j+1:]
	}
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return strings.TrimRight(strings.ReplaceAll(string(src), "\t", " "), "\r"), true
}

// cells counts the display width of runes [from, to) of s.
func cells(s string, from, to int) int {
	n, i := 0, 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		if i >= to {
			break
		}
		if i >= from {
			n += runeWidth(r)
		}
		i++
	}
	if i < to { // past the end of the line: one cell per missing rune
		n += to - max(i, from)
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3,
		r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60,
		r >= 0xFFE0 && r <= 0xFFE6, r >= 0x20000 && r <= 0x3FFFD:
		return 2
	}
	return 1
}

// Suggest returns ` Did you mean "x"?` for the candidate closest to name,
// or "" when none is close enough to be a likely typo.
func Suggest(name string, candidates []string) string {
	best, bestDist := "", 0
	for _, c := range candidates {
		d := distance(strings.ToLower(name), strings.ToLower(c))
		if best == "" || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := max(1, utf8.RuneCountInString(name)/3)
	if best == "" || bestDist > limit {
		return ""
	}
	return fmt.Sprintf(" Did you mean %q?", best)
}

// distance is the edit distance between a and b, in runes, counting a
// swap of two neighbouring runes as one edit ("titel" for "title").
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	rows := make([][]int, len(ra)+1)
	for i := range rows {
		rows[i] = make([]int, len(rb)+1)
		rows[i][0] = i
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d := min(rows[i-1][j]+1, rows[i][j-1]+1, rows[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d = min(d, rows[i-2][j-2]+1)
			}
			rows[i][j] = d
		}
	}
	return rows[len(ra)][len(rb)]
}
