package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
)

// The grading endpoint: POST /v1/grade, one incident as JSON or a stream
// of them as NDJSON, one answer line per line.

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 8192); return &b }}

func isNDJSON(ct string) bool {
	ct, _, _ = strings.Cut(ct, ";")
	ct = strings.TrimSpace(strings.ToLower(ct))
	return ct == "application/x-ndjson" || ct == "application/jsonl" || ct == "application/json-seq"
}

func (s *Server) handleGrade(w http.ResponseWriter, r *http.Request, p *Principal) {
	if isNDJSON(r.Header.Get("Content-Type")) {
		s.gradeStream(w, r, p)
		return
	}
	body, ae := readBody(w, r, s.cfg.MaxBody)
	if ae != nil {
		writeError(w, ae)
		return
	}
	plan := s.plans.Current()
	ctx, pend := withPending(r.Context())
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	out, err := plan.Grade(ctx, body, (*bp)[:0])
	*bp = out[:0]
	if ferr := s.flush(ctx, pend); ferr != nil {
		writeError(w, notRecorded(ferr))
		return
	}
	if err != nil {
		if !json.Valid(body) {
			writeError(w, malformed())
			return
		}
		writeError(w, gradeError(err))
		return
	}
	planHeaders(w, plan)
	writeRaw(w, http.StatusOK, out)
}

// gradeError reads a JSON error of the incident as the API does; the
// library's input errors as they are.
func gradeError(err error) *apiError {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	if errors.As(err, &se) || errors.As(err, &te) {
		return jsonError(err)
	}
	return libError(err)
}

// gradeStream grades one incident per line, in order: one result, or
// {"line": N, "error": {…}}, per line; blank lines are skipped. The answer
// goes out in chunks, each sent only after the decision records of its
// lines are stored (one write per chunk, so a stream is not one fsync per
// line); if they cannot be, every line of the chunk is answered with
// decision.not-recorded and the stream ends.
func (s *Server) gradeStream(w http.ResponseWriter, r *http.Request, _ *Principal) {
	plan := s.plans.Current()
	ctx, pend := withPending(r.Context())
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxStream)
	in := bufio.NewReaderSize(body, 64<<10)
	planHeaders(w, plan)
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	var chunk []byte // the answers not yet sent
	var lines []int  // their line numbers
	send := func() bool {
		if ferr := s.flush(ctx, pend); ferr != nil {
			ae := notRecorded(ferr)
			chunk = chunk[:0]
			for _, n := range lines {
				chunk = appendLineError(chunk, n, ae)
			}
			_, _ = w.Write(chunk)
			return false
		}
		if len(chunk) > 0 {
			if _, err := w.Write(chunk); err != nil {
				return false
			}
		}
		chunk, lines = chunk[:0], lines[:0]
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		return true
	}
	var line []byte
	for n := 1; ; n++ {
		line = line[:0]
		var err error
		tooLong := false
		for {
			var frag []byte
			frag, err = in.ReadSlice('\n')
			if int64(len(line)+len(frag)) > s.cfg.MaxBody {
				tooLong = true
			} else {
				line = append(line, frag...)
			}
			if err != bufio.ErrBufferFull {
				break
			}
		}
		if err != nil && err != io.EOF {
			if !send() {
				return
			}
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				chunk = appendLineError(chunk, n, tooLarge(s.cfg.MaxStream))
			} else {
				chunk = appendLineError(chunk, n, &apiError{code: "request.unreadable", msg: err.Error()})
			}
			_, _ = w.Write(chunk)
			return
		}
		switch {
		case tooLong:
			chunk, lines = appendLineError(chunk, n, tooLarge(s.cfg.MaxBody)), append(lines, n)
		case len(bytes.TrimSpace(line)) == 0:
		default:
			var gerr error
			mark := len(chunk)
			chunk, gerr = plan.Grade(ctx, line, chunk)
			switch {
			case gerr != nil && !json.Valid(line):
				chunk = appendLineError(chunk[:mark], n, malformed())
			case gerr != nil:
				chunk = appendLineError(chunk[:mark], n, gradeError(gerr))
			default:
				chunk = append(chunk, '\n')
			}
			lines = append(lines, n)
		}
		if err == io.EOF {
			send()
			return
		}
		if in.Buffered() == 0 || len(chunk) >= 64<<10 {
			if !send() {
				return
			}
		}
	}
}

func malformed() *apiError {
	return &apiError{status: http.StatusBadRequest, code: "request.malformed-json", msg: "the body is not one whole JSON value"}
}

func appendLineError(dst []byte, n int, ae *apiError) []byte {
	b, _ := json.Marshal(struct {
		Line  int         `json:"line"`
		Error errorObject `json:"error"`
	}{n, ae.body().Error})
	dst = append(dst, b...)
	return append(dst, '\n')
}
