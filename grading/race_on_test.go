//go:build race

package grading_test

// raceDetector is set when the tests run with -race, whose runtime maps
// more address space than a child under ulimit -v may have.
const raceDetector = true
