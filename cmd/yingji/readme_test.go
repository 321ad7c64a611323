package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/internal/golden"
)

// The README's CLI reference lies between these markers and is generated
// from the command table (yingji help -markdown), the way cmd/go's
// alldocs.go is generated from its commands.
const (
	readmePath  = "../../README.md"
	readmeBegin = "<!-- BEGIN yingji help -markdown -->\n"
	readmeEnd   = "<!-- END yingji help -markdown -->\n"
)

func TestREADMECLIReference(t *testing.T) {
	var out bytes.Buffer
	e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &out}
	require.Equal(t, exitOK, runHelp(e, commands(), []string{"-markdown"}))
	want := out.String()

	src, err := os.ReadFile(readmePath)
	require.NoError(t, err)
	readme := string(src)
	i := strings.Index(readme, readmeBegin)
	j := strings.Index(readme, readmeEnd)
	require.True(t, i >= 0 && j > i, "README.md has the markers %q and %q around the CLI reference", readmeBegin, readmeEnd)
	got := readme[i+len(readmeBegin) : j]
	if golden.Updating() {
		readme = readme[:i+len(readmeBegin)] + want + readme[j:]
		require.NoError(t, os.WriteFile(readmePath, []byte(readme), 0o644))
		return
	}
	assert.Equal(t, want, got, "README.md's CLI reference differs from the commands: run go test ./cmd/yingji -run TestREADME -update")

	// Every code fence of the section is closed, so nothing after it
	// renders as a run-on paragraph.
	assert.Equal(t, 0, strings.Count(got, "```")%2, "an even number of fences")
}

func TestHelpMarkdownOfOneCommand(t *testing.T) {
	code, out, errOut := runCLI(t, "", "help", "-markdown", "grade")
	require.Equal(t, exitOK, code, errOut)
	assert.True(t, strings.HasPrefix(out, "### yingji grade\n"), out)
	_, help, _ := runCLI(t, "", "help", "grade")
	assert.Contains(t, out, help)
}
