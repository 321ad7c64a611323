package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
)

// streamLine is one output line of grade --jsonl.
type streamLine struct {
	Line  int    `json:"line"`
	Level string `json:"level"`
	Error *struct {
		Code     string `json:"code"`
		Message  string `json:"message"`
		Field    string `json:"field"`
		Problems []struct {
			Code    string            `json:"code"`
			Message string            `json:"message"`
			Params  map[string]string `json:"params"`
		} `json:"problems"`
		More int `json:"more"`
	} `json:"error"`
}

func decodeStream(t *testing.T, out string) []streamLine {
	t.Helper()
	var lines []streamLine
	for _, s := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var l streamLine
		require.NoError(t, json.Unmarshal([]byte(s), &l), s)
		lines = append(lines, l)
	}
	return lines
}

// Issue 15 #6: a line over 16 MiB ended the stream with "bufio.Scanner:
// token too long", no line number, and the lines after it ungraded.
func TestGradeJSONLLineOverTheLimit(t *testing.T) {
	long := `{"deaths": 1, "note": "` + strings.Repeat("x", maxLine) + `"}`
	in := strings.Join([]string{
		`{"deaths": 31}`, // 1.5 特别重大 (1): 30 人以上死亡
		long,
		`{"directLoss": "5000万"}`, // 1.5 重大 (1): 5000 万元以上
		`{"deaths": 3}`,           // 1.5 较大 (1): 3 人以上、10 人以下死亡
	}, "\n")
	code, out, errOut := runCLI(t, in, "grade", "--jsonl")
	assert.Equal(t, exitFindings, code, "a failed line makes the exit status 1")
	assert.Empty(t, errOut)
	lines := decodeStream(t, out)
	assert.Less(t, len(strings.Split(out, "\n")[1]), 1024, "the long line is not echoed")
	require.Len(t, lines, 4)
	assert.Equal(t, "especially-serious", lines[0].Level)
	assert.Equal(t, 2, lines[1].Line)
	require.NotNil(t, lines[1].Error)
	assert.Equal(t, CodeInputLineTooLong, lines[1].Error.Code)
	assert.Contains(t, lines[1].Error.Message, "longer than 16 MiB")
	assert.Equal(t, "serious", lines[2].Level, "the stream goes on after the long line")
	assert.Equal(t, "relatively-serious", lines[3].Level)
}

func TestGradeJSONLLines(t *testing.T) {
	p, err := yingji.Default()
	require.NoError(t, err)
	const limit = 64
	pad := strings.Repeat(" ", limit)
	cases := []struct {
		name   string
		in     string
		levels []string // "" for a line that fails
		codes  []string
	}{
		{"over the limit at the end, with no newline", "{\"deaths\": 31}\n{\"deaths\": 1" + pad + "}", []string{"especially-serious", ""}, []string{"", CodeInputLineTooLong}},
		{"two long lines in a row", "{" + pad + "}\n{" + pad + "}\n{\"deaths\": 3}\n", []string{"", "", "relatively-serious"}, []string{CodeInputLineTooLong, CodeInputLineTooLong, ""}},
		{"CRLF line ends", "{\"deaths\": 31}\r\n{\"deaths\": 3}\r\n", []string{"especially-serious", "relatively-serious"}, []string{"", ""}},
		{"exactly at the limit", "{\"deaths\": 3" + pad[:limit-len("{\"deaths\": 3}")] + "}\n", []string{"relatively-serious"}, []string{""}},
		{"blank lines are skipped", "\n\n{\"deaths\": 3}\n\n", []string{"relatively-serious"}, []string{""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			code := gradeStreamLimit(context.Background(), p, strings.NewReader(tc.in), &out, limit)
			lines := decodeStream(t, out.String())
			require.Len(t, lines, len(tc.levels), out.String())
			want := exitOK
			for i, l := range lines {
				assert.Equal(t, tc.levels[i], l.Level)
				if tc.codes[i] != "" {
					want = exitFindings
					require.NotNil(t, l.Error)
					assert.Equal(t, tc.codes[i], l.Error.Code)
					assert.NotZero(t, l.Line)
				}
			}
			assert.Equal(t, want, code)
		})
	}
}

// Issue 15 #10: one line with many bad fields or a huge value must not
// produce output out of proportion: at most maxProblems problems, each
// message cut at maxMessage runes and each echoed name or value at maxEcho,
// and how many more there were.
func TestGradeJSONLErrorOutputIsCapped(t *testing.T) {
	var fields []string
	for i := range 500 {
		fields = append(fields, fmt.Sprintf(`"unknown%03d%s": 1`, i, strings.Repeat("y", 1000)))
	}
	cases := []struct {
		name, line string
		fields     int // the problems the line has, when each is reported
	}{
		{"500 unknown fields with long names", "{" + strings.Join(fields, ", ") + "}", 500},
		{"a huge value", `{"deaths": "` + strings.Repeat("九", 100000) + `"}`, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, _ := runCLI(t, tc.line+"\n{\"deaths\": 3}\n", "grade", "--jsonl")
			assert.Equal(t, exitFindings, code)
			assert.Less(t, len(out), 16<<10, "the error is capped")
			lines := decodeStream(t, out)
			require.Len(t, lines, 2)
			e := lines[0].Error
			require.NotNil(t, e)
			assert.Equal(t, 1, lines[0].Line)
			assert.LessOrEqual(t, len(e.Problems), maxProblems)
			for _, p := range e.Problems {
				assert.LessOrEqual(t, utf8.RuneCountInString(p.Message), maxMessage+1)
				for _, v := range p.Params {
					assert.LessOrEqual(t, utf8.RuneCountInString(v), maxEcho+1)
				}
			}
			assert.Equal(t, "relatively-serious", lines[1].Level, "the stream goes on")
			if tc.fields > 0 {
				assert.Equal(t, tc.fields, len(e.Problems)+e.More, "every problem is counted")
				assert.Contains(t, e.Message, fmt.Sprintf("(and %d more)", tc.fields-1))
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	assert.Equal(t, "abc", truncate("abc", 3))
	assert.Equal(t, "ab…", truncate("abc", 2))
	assert.Equal(t, "九九…", truncate("九九九", 2))
	assert.Equal(t, "", truncate("", 0))
}
