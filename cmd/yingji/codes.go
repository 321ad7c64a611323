package main

// The codes of the errors the command line reports itself; every other
// error carries the code the library gives it. CODES.md lists them with the
// library's.
const (
	// CodeInputLineTooLong: a line of a --jsonl stream is longer than the limit (16 MiB); it is skipped.
	CodeInputLineTooLong = "input.line-too-long"
	// CodeInputRead: the --jsonl stream could not be read to its end.
	CodeInputRead = "input.read"
)
