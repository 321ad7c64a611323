package yamlx

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/plans"
	"go.yaml.in/yaml/v3"
)

// sameTree reports the first difference between two parsed trees, or "".
// Comments are left out: nothing reads them.
func sameTree(a, b *yaml.Node, path string) string {
	switch {
	case a == nil && b == nil:
		return ""
	case a == nil || b == nil:
		return path + ": one is nil"
	}
	if a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value || a.Anchor != b.Anchor ||
		a.Line != b.Line || a.Column != b.Column || len(a.Content) != len(b.Content) {
		return fmt.Sprintf("%s: %+v vs %+v", path, *a, *b)
	}
	if (a.Alias == nil) != (b.Alias == nil) {
		return path + ": alias"
	}
	if a.Alias != nil && (a.Alias.Line != b.Alias.Line || a.Alias.Column != b.Alias.Column || a.Alias.Anchor != b.Alias.Anchor) {
		return path + ": alias target"
	}
	for i := range a.Content {
		if d := sameTree(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// planFiles are the embedded plans' YAML files, by name.
func planFiles(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	require.NoError(t, fs.WalkDir(plans.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		out[p], err = fs.ReadFile(plans.FS, p)
		return err
	}))
	return out
}

// TestSplitParseIsTheWholeParse checks that a file parsed in pieces gives
// the tree the whole file parses to, line and column included, for the
// embedded plans cut small and for lines deleted, doubled and damaged in
// them; and that the large files of changji-2025 are cut at all.
func TestSplitParseIsTheWholeParse(t *testing.T) {
	files := planFiles(t)
	for _, name := range []string{"changji-2025/plan.yaml", "changji-2025/orgchart.yaml", "changji-2025/workflow.yaml"} {
		_, ok := parseSplit(files[name], splitSize)
		assert.True(t, ok, "%s is parsed in pieces", name)
	}
	check := func(t *testing.T, label string, src []byte, size int) bool {
		whole, werr := parseWhole(src)
		split, ok := parseSplit(src, size)
		if !ok {
			return false
		}
		require.NoError(t, werr, "%s: the pieces parse, so must the whole", label)
		if d := sameTree(whole, split, ""); d != "" {
			t.Errorf("%s (pieces of %d): %s", label, size, d)
		}
		return true
	}
	mutations := map[string]func(lines []string, i int) []string{
		"delete": func(l []string, i int) []string { return append(append([]string{}, l[:i]...), l[i+1:]...) },
		"double": func(l []string, i int) []string {
			return append(append(append([]string{}, l[:i+1]...), l[i]), l[i+1:]...)
		},
		"dedent": func(l []string, i int) []string {
			c := append([]string{}, l...)
			c[i] = strings.TrimLeft(c[i], " ")
			return c
		},
		"open quote": func(l []string, i int) []string {
			c := append([]string{}, l...)
			c[i] += ` "`
			return c
		},
		"empty item": func(l []string, i int) []string {
			c := append([]string{}, l...)
			c[i] = strings.Repeat(" ", len(c[i])-len(strings.TrimLeft(c[i], " "))) + "-"
			return c
		},
		"anchor": func(l []string, i int) []string {
			c := append([]string{}, l...)
			c[i] = strings.Replace(c[i], ": ", ": &x ", 1)
			return append(c, "extra: *x")
		},
	}
	split := 0
	for name, src := range files {
		for _, size := range []int{512, splitSize} {
			if check(t, name, src, size) {
				split++
			}
		}
		lines := strings.Split(string(src), "\n")
		for i := 0; i < len(lines); i += max(1, len(lines)/8) {
			for m, f := range mutations {
				if check(t, fmt.Sprintf("%s line %d %s", name, i+1, m), []byte(strings.Join(f(lines, i), "\n")), 1024) {
					split++
				}
			}
		}
	}
	assert.Greater(t, split, 100, "enough of the cases are cut to tell")
}

func FuzzSplitParse(f *testing.F) {
	f.Add("a: 1\nb:\n  - x\n  - y\nc: [1,\n2]\n", 8)
	f.Add("k:\n- a\n- 'b\n- c'\nz: 1\n", 4)
	f.Add("a: &x 1\nb:\n  - *x\n  -\n  - q\n", 4)
	f.Add("a:\n  - t: |\n      x\n  - u: >\n     y\n\n  - v\nb: c\n", 6)
	f.Add("a:\r\n  - \"x\r\n  - y\"\r\n  - z\r\nb: 1\r\n", 5)
	f.Add("# c\na: 1\n# d\nb:\n  # e\n  - {x: 1,\n  y: 2}\n  - [\n  - ]\nc:\n", 3)
	f.Add("a:\n- 1\n- 2\n-\n- 3\nb:\n  c: 1\nd: e\n  f\ng: 'h\n  i'\n", 4)
	f.Add("a:\n  - x\n  - y\n b: 1\nc: 2\n", 3)
	f.Add("a:\n  - x\n  - y\n  z: 1\n  - w\n", 3)
	f.Add("a:\n  - x\n  - \"y\nq\"\n  - w\n", 3)
	f.Fuzz(func(t *testing.T, src string, size int) {
		size = max(size%64, 1)
		split, ok := parseSplit([]byte(src), size)
		if !ok {
			return
		}
		whole, err := parseWhole([]byte(src))
		if err != nil {
			t.Fatalf("the pieces parse but the whole does not: %v", err)
		}
		if d := sameTree(whole, split, ""); d != "" {
			t.Fatal(d)
		}
	})
}
