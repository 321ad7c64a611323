package workflow_test

import (
	"testing"

	goldenfile "github.com/yingji/yingji/internal/golden"
)

// golden compares got with testdata/golden/name; go test -update rewrites it.
func golden(t testing.TB, name, got string) {
	t.Helper()
	goldenfile.Check(t, name, got)
}
