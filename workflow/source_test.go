package workflow_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/workflow"
)

// Parse and Source.Compile are Compile in two steps: the same definition
// and the same diagnostics, and one Source compiles any number of times,
// from several goroutines at once.
func TestParseThenCompileIsCompile(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(planDir, "workflow.yaml"))
	require.NoError(t, err)
	rules, actors := changjiRules(t), orgchartActors(t)
	want, wantDS := workflow.Compile("workflow.yaml", src, rules, workflow.WithActors(actors))
	require.NotNil(t, want, "%v", wantDS)

	s, pds := workflow.Parse("workflow.yaml", src)
	require.NotNil(t, s)
	assert.False(t, pds.HasErrors())
	var wg sync.WaitGroup
	defs := make([]*workflow.Definition, 4)
	dss := make([]diag.Diagnostics, 4)
	for i := range defs {
		wg.Go(func() { defs[i], dss[i] = s.Compile(rules, workflow.WithActors(actors)) })
	}
	wg.Wait()
	for i := range defs {
		require.NotNil(t, defs[i], "%v", dss[i])
		assert.Equal(t, want.Mermaid(), defs[i].Mermaid(), "the same phases, events and transitions")
		assert.Len(t, defs[i].Tasks(), len(want.Tasks()))
		assert.Equal(t, want.ReferencedClauses(), defs[i].ReferencedClauses())
		assert.Equal(t, wantDS, append(pds, dss[i]...), "the same findings: the interpretation notes among them")
	}
}

// A file that is not YAML is refused by Parse with its position; a bad
// option by Compile, before anything is checked.
func TestParseRefusesWhatIsNotYAML(t *testing.T) {
	s, ds := workflow.Parse("workflow.yaml", []byte("id: x\nphases: [a\n"))
	assert.Nil(t, s)
	require.True(t, ds.HasErrors())
	assert.Equal(t, "workflow.yaml", ds[0].Subject.Filename)
	assert.Positive(t, ds[0].Subject.Start.Line)

	src, err := os.ReadFile(filepath.Join(planDir, "workflow.yaml"))
	require.NoError(t, err)
	s, _ = workflow.Parse("workflow.yaml", src)
	require.NotNil(t, s)
	def, ds := s.Compile(changjiRules(t), workflow.MaxLog(-1))
	assert.Nil(t, def)
	require.Len(t, ds, 1)
	assert.Equal(t, workflow.CodeOption, ds[0].Code)
}
