package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
)

// The limits of the grade stream's output for one bad line.
const (
	// maxLine is the longest input line graded, in bytes.
	maxLine = 16 << 20
	// maxProblems is how many problems one line's error lists.
	maxProblems = 10
	// maxEcho is how many runes of a field name or a parameter one
	// problem echoes.
	maxEcho = 200
	// maxMessage is how many runes of its message one problem gives.
	maxMessage = 500
)

// gradeStream grades one JSON incident per line. A line that cannot be
// graded yields {"line": N, "error": {…}} and the stream goes on; the exit
// status is 1 if any line failed. Blank lines are skipped.
//
// Lines are graded in batches by one worker per CPU and written in input
// order, so the output is the same as grading them one by one.
func gradeStream(ctx context.Context, p *yingji.Plan, stdin io.Reader, stdout io.Writer) int {
	return gradeStreamLimit(ctx, p, stdin, stdout, maxLine)
}

// gradeStreamLimit is gradeStream with the longest line it grades.
func gradeStreamLimit(ctx context.Context, p *yingji.Plan, stdin io.Reader, stdout io.Writer, limit int) int {
	in := &lineReader{r: bufio.NewReaderSize(stdin, 64*1024), max: limit}
	out := bufio.NewWriterSize(stdout, 256*1024)
	defer out.Flush()
	enc := grading.NewJSONEncoder(p.Grading)

	workers := runtime.GOMAXPROCS(0)
	work := make(chan *gradeBatch, workers)
	order := make(chan *gradeBatch, 4*workers)
	free := make(chan *gradeBatch, 6*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for b := range work {
				b.grade(ctx, p, enc)
				close(b.done)
			}
		})
	}
	var failed, writeFailed atomic.Bool
	written := make(chan struct{})
	go func() {
		defer close(written)
		for b := range order {
			<-b.done
			if b.failed {
				failed.Store(true)
			}
			if !writeFailed.Load() {
				if _, err := out.Write(b.out); err != nil {
					writeFailed.Store(true)
				}
			}
			select {
			case free <- b:
			default:
			}
		}
	}()

	var b *gradeBatch
	send := func() {
		if b != nil && len(b.lines) > 0 {
			work <- b
			order <- b
		}
		b = nil
	}
	var readErr error
	for line := 1; !writeFailed.Load(); line++ {
		text, size, err := in.next()
		if err != nil {
			if err != io.EOF {
				readErr = err
			}
			break
		}
		if b == nil {
			select {
			case b = <-free:
			default:
				b = &gradeBatch{limit: limit}
			}
			b.reset(line)
		}
		b.data = append(b.data, text...)
		b.lines = append(b.lines, lineRef{end: len(b.data), size: size, tooLong: text == nil && size > limit})
		if len(b.lines) == gradeBatchLines || len(b.data) >= 1<<20 {
			send()
		}
	}
	send()
	close(work)
	close(order)
	wg.Wait()
	<-written
	if writeFailed.Load() {
		return exitFindings
	}
	status := exitOK
	if failed.Load() {
		status = exitFindings
	}
	if readErr != nil {
		status = exitFindings
		msg := "reading input: " + readErr.Error()
		out.Write(appendJSONLine(nil, struct {
			Error lineError `json:"error"`
		}{lineError{Code: CodeInputRead, Message: msg, Problems: []diag.Problem{{Code: CodeInputRead, Message: msg}}}}))
	}
	return status
}

// lineReader reads lines of at most max bytes; a longer line is skipped
// (read through to its end, never held whole) and reported by its size.
type lineReader struct {
	r   *bufio.Reader
	max int
	buf []byte
}

// next returns the next line without its line ending, and its size in
// bytes; for a line longer than max the text is nil. err is io.EOF after
// the last line.
//
// The text is valid until the next call.
func (lr *lineReader) next() (text []byte, size int, err error) {
	// The common case: the whole line is in the reader's buffer.
	chunk, err := lr.r.ReadSlice('\n')
	switch {
	case err == nil:
		return lineText(chunk, lr.max)
	case err == io.EOF:
		if len(chunk) == 0 {
			return nil, 0, io.EOF
		}
		return lineText(chunk, lr.max)
	case err != bufio.ErrBufferFull:
		return nil, 0, err
	}
	// A line longer than the reader's buffer: gather it, or only count it
	// once it is over the limit.
	lr.buf = append(lr.buf[:0], chunk...)
	tooLong, read := len(lr.buf) > lr.max+2, len(lr.buf)
	if tooLong {
		lr.buf = lr.buf[:0]
	}
	for {
		chunk, err := lr.r.ReadSlice('\n')
		read += len(chunk)
		if !tooLong {
			if len(lr.buf)+len(chunk) > lr.max+2 { // room for "\r\n"
				tooLong, lr.buf = true, lr.buf[:0]
			} else {
				lr.buf = append(lr.buf, chunk...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF:
			if read == 0 {
				return nil, 0, io.EOF
			}
		case err != nil:
			return nil, 0, err
		}
		break
	}
	if !tooLong {
		return lineText(lr.buf, lr.max)
	}
	// The size counts the line ending too; near enough to report.
	return nil, max(read, lr.max+1), nil
}

// lineText trims the line ending of a line read whole; a line longer than
// max comes back as its size alone.
func lineText(line []byte, max int) ([]byte, int, error) {
	line = bytes.TrimSuffix(line, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if len(line) > max {
		return nil, len(line), nil
	}
	return line, len(line), nil
}

// gradeBatchLines is how many lines a worker grades at a time: enough to
// make handing them over cheap, few enough to keep every worker busy.
const gradeBatchLines = 256

// lineRef is one line of a batch.
type lineRef struct {
	end     int // where the line ends in the batch's data
	size    int // its length in bytes
	tooLong bool
}

// gradeBatch is a run of consecutive input lines and, once graded, their
// output.
type gradeBatch struct {
	first  int // the line number of the first line
	limit  int // the longest line graded
	data   []byte
	lines  []lineRef
	out    []byte
	failed bool
	done   chan struct{}
}

func (b *gradeBatch) reset(first int) {
	b.first, b.data, b.lines, b.out, b.failed, b.done = first, b.data[:0], b.lines[:0], b.out[:0], false, make(chan struct{})
}

func (b *gradeBatch) grade(ctx context.Context, p *yingji.Plan, enc *grading.JSONEncoder) {
	start := 0
	for i, l := range b.lines {
		text := b.data[start:l.end]
		start = l.end
		var err error
		if l.tooLong {
			err = &lineTooLongError{size: l.size, limit: b.limit}
		} else {
			if len(bytes.TrimSpace(text)) == 0 {
				continue
			}
			var res grading.Result
			if res, err = p.ClassifyJSON(ctx, text); err == nil {
				n := len(b.out)
				if b.out, err = enc.Append(b.out, &res); err == nil {
					b.out = append(b.out, '\n')
					continue
				}
				b.out = b.out[:n]
			}
		}
		b.failed = true
		b.out = appendJSONLine(b.out, struct {
			Line  int       `json:"line"`
			Error lineError `json:"error"`
		}{b.first + i, newLineError(err)})
	}
}

// lineTooLongError is a line over the stream's limit.
type lineTooLongError struct{ size, limit int }

func (e *lineTooLongError) Error() string {
	limit := fmt.Sprintf("%d bytes", e.limit)
	if e.limit%(1<<20) == 0 {
		limit = fmt.Sprintf("%d MiB", e.limit>>20)
	}
	return fmt.Sprintf("the line is longer than %s (%d bytes or more); it was not graded", limit, e.size)
}

func (e *lineTooLongError) Problems() []diag.Problem {
	return []diag.Problem{{Code: CodeInputLineTooLong, Message: e.Error(),
		Params: map[string]string{"size": fmt.Sprint(e.size), "limit": fmt.Sprint(e.limit)}}}
}

// lineError is the error of one line of the stream: the first problem's
// code, message (with how many more problems there are) and field, the
// problems up to maxProblems, and how many more there were. Echoed values
// are cut at maxEcho runes.
type lineError struct {
	Code     string         `json:"code"`
	Message  string         `json:"message"`
	Field    string         `json:"field,omitempty"`
	Problems []diag.Problem `json:"problems"`
	More     int            `json:"more,omitempty"`
}

func newLineError(err error) lineError {
	ps := diag.ProblemsOf(err)
	if len(ps) == 0 {
		ps = []diag.Problem{{Code: diag.CodeInternal, Message: err.Error()}}
	}
	le := lineError{Problems: make([]diag.Problem, 0, min(len(ps), maxProblems))}
	for _, p := range ps[:min(len(ps), maxProblems)] {
		p.Field = truncate(p.Field, maxEcho)
		// A message that does not name its field gets it in front, so
		// the message alone says what is wrong with what.
		if p.Field != "" && !strings.Contains(p.Message, p.Field) {
			p.Message = p.Field + ": " + p.Message
		}
		p.Message = truncate(p.Message, maxMessage)
		p.Path = truncate(p.Path, maxEcho)
		if p.Params != nil {
			params := make(map[string]string, len(p.Params))
			for k, v := range p.Params {
				params[k] = truncate(v, maxEcho)
			}
			p.Params = params
		}
		le.Problems = append(le.Problems, p)
	}
	le.More = len(ps) - len(le.Problems)
	first := le.Problems[0]
	le.Code, le.Field = first.Code, first.Field
	// The message is the first problem's; the others are in problems.
	le.Message = le.Problems[0].Message
	if n := len(ps) - 1; n > 0 {
		le.Message += fmt.Sprintf(" (and %d more)", n)
	}
	return le
}

// truncate cuts s after n runes, marking the cut with "…".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, count := 0, 0
	for i = range s {
		if count == n {
			break
		}
		count++
	}
	return s[:i] + "…"
}

// appendJSONLine appends v as one line of JSON, with <, > and & as they are.
func appendJSONLine(dst []byte, v any) []byte {
	var buf bytes.Buffer
	e := json.NewEncoder(&buf)
	e.SetEscapeHTML(false)
	// Only strings, numbers and maps of strings are encoded here, which
	// cannot fail.
	_ = e.Encode(v)
	return append(dst, buf.Bytes()...)
}
