package yamlx

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/plans"
	"go.yaml.in/yaml/v3"
)

// repoYAML is every YAML file of the repository, by path.
func repoYAML(t *testing.T) map[string][]byte {
	t.Helper()
	out := planFiles(t)
	root, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return out // not in a checkout: the embedded plans only
	}
	dir := strings.TrimSpace(string(root))
	list, err := exec.Command("git", "-C", dir, "ls-files", "*.yaml", "*.yml").Output()
	require.NoError(t, err)
	for _, name := range strings.Fields(string(list)) {
		src, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		out[name] = src
	}
	return out
}

// checkFast fails the test when the fast path accepts src and gives a tree
// other than yaml.v3's, or accepts what yaml.v3 refuses.
func checkFast(t *testing.T, label string, src []byte) bool {
	t.Helper()
	fast, ok := fastParse(src)
	if !ok {
		return false
	}
	whole, err := newFile("", src).parseWhole()
	if !assert.NoError(t, err, "%s: the fast path takes what yaml.v3 refuses", label) {
		return true
	}
	if d := sameTree(whole, fast, ""); d != "" {
		t.Errorf("%s: %s", label, d)
	}
	return true
}

// TestFastParseIsYAMLv3 holds the fast path to yaml.v3 on every YAML file
// of the repository and on lines of them deleted, doubled and changed; and
// checks that it takes the plan files it is for.
func TestFastParseIsYAMLv3(t *testing.T) {
	files := repoYAML(t)
	for _, name := range []string{"changji-2025/plan.yaml", "changji-2025/grading.yaml", "changji-2025/orgchart.yaml", "changji-2025/workflow.yaml", "changji-2025/contacts.yaml",
		"national-493/plan.yaml", "national-493/grading.yaml", "national-493/orgchart.yaml", "national-493/workflow.yaml"} {
		_, ok := fastParse(files[name])
		assert.True(t, ok, "%s takes the fast path", name)
	}
	mutations := map[string]func(l []string, i int) []string{
		"delete": func(l []string, i int) []string { return append(append([]string{}, l[:i]...), l[i+1:]...) },
		"double": func(l []string, i int) []string {
			return append(append(append([]string{}, l[:i+1]...), l[i]), l[i+1:]...)
		},
		"indent": func(l []string, i int) []string {
			c := append([]string{}, l...)
			c[i] = " " + c[i]
			return c
		},
		"dedent": func(l []string, i int) []string {
			c := append([]string{}, l...)
			c[i] = strings.TrimPrefix(c[i], "  ")
			return c
		},
		"colon": func(l []string, i int) []string {
			c := append([]string{}, l...)
			c[i] = strings.Replace(c[i], ": ", ":", 1)
			return c
		},
		"comma": func(l []string, i int) []string {
			c := append([]string{}, l...)
			c[i] = strings.Replace(c[i], ", ", ",, ", 1)
			return c
		},
		"quote": func(l []string, i int) []string {
			c := append([]string{}, l...)
			c[i] = strings.Replace(c[i], `"`, ``, 1)
			return c
		},
		"hash": func(l []string, i int) []string {
			c := append([]string{}, l...)
			c[i] += " #x"
			return c
		},
		"anchor": func(l []string, i int) []string {
			c := append([]string{}, l...)
			if k := strings.Index(c[i], ": "); k > 0 {
				c[i] = c[i][:k+2] + "&m " + c[i][k+2:]
			}
			return c
		},
		"alias": func(l []string, i int) []string {
			c := append([]string{}, l...)
			c[i] = strings.NewReplacer("*", "*z", "&", "&z").Replace(c[i])
			return c
		},
		"truncate": func(l []string, i int) []string {
			c := append([]string{}, l...)
			c[i] = c[i][:len(c[i])/2]
			return c
		},
	}
	taken := 0
	for name, src := range files {
		if checkFast(t, name, src) {
			taken++
		}
		lines := strings.Split(string(src), "\n")
		for i := 0; i < len(lines); i += max(1, len(lines)/15) {
			for m, f := range mutations {
				if checkFast(t, fmt.Sprintf("%s line %d %s", name, i+1, m), []byte(strings.Join(f(lines, i), "\n"))) {
					taken++
				}
			}
		}
	}
	assert.Greater(t, taken, 500, "enough cases take the fast path to tell")
}

// TestPlainTagIsYAMLv3 checks the tag of plain scalars against yaml.v3's.
func TestPlainTagIsYAMLv3(t *testing.T) {
	for _, s := range []string{"a", "true", "True", "TRUE", "tRue", "false", "yes", "no", "on", "off", "y", "n", "~", "null", "Null", "NULL", "nul",
		"0", "1", "-1", "+1", "007", "0x1F", "0X1f", "0o17", "0O17", "0b101", "-0b101", "-0o17", "0b2", "1_000", "1__0", "_1", "1e3", "1E+3", "1.", ".5", "-.5", "+.5",
		"1.2.3", "3.1", "3.1 第一段", "4.4.1 (1)", "1e", "e1", ".inf", ".Inf", "-.inf", "+.INF", ".nan", ".NaN", ".", "..", "-", "+", "--", "-1-", "9223372036854775807",
		"9223372036854775808", "18446744073709551615", "18446744073709551616", "-9223372036854775809", "2025-09-24", "2025-9-4", "2025-09-24T10:00:00Z",
		"2025-09-24t10:00:00+08:00", "2025-09-24 10:00:00", "2025-13-01", "20250-09-24", "2025-09", "<<", "<", "<<<", "0.0", "-0", "+0", "0e0", "1_0.5", "0x_1", "0b_1", "１", "三"} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte("k: "+s+"\n"), &doc); err != nil {
			continue // not a plain scalar there ("-")
		}
		require.Equal(t, yaml.ScalarNode, doc.Content[0].Content[1].Kind, s)
		assert.Equal(t, doc.Content[0].Content[1].Tag, plainTag(s).String(), "%q", s)
	}
}

func FuzzFastParse(f *testing.F) {
	for _, s := range []string{
		"a: 1\nb:\n  - x\n  - {k: v, l: [1, 2]}\nc: >-\n  folded\n  text\n\n  more\nd: \"q\"\ne: 'it''s'\n",
		"- a\n- b: c\n  d: e\n- [x, \"y\", 'z']\n",
		"k:\n- a\n- b\nl: |\n  lit\n   more\n\n  end\n",
		"a: b # c\n# d\ne: [f, g] # h\n",
		"a: >\n  x\n\n\n  y\n   z\n  w\nb: 1\n",
		"a:\n- x\n- y: 1\n  z: 2\nb:\n- q\n",
		"- a: |-\n    x\n   \n    y\n  b: '1'\n-   c\n",
		"a: &x\n  b: 1\nc: *x\nd: &y >-\n  t\ne: *y\nf: &z 'q'\ng: &w\n- 1\nh: *w\n",
		"a: &x 1\nb: {c: *x, d: [*x, *x ], e: *x}\nf: [*x,*y]\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		fast, ok := fastParse([]byte(src))
		if !ok {
			return
		}
		whole, err := newFile("", []byte(src)).parseWhole()
		if err != nil {
			t.Fatalf("the fast path takes what yaml.v3 refuses: %v", err)
		}
		if d := sameTree(whole, fast, ""); d != "" {
			t.Fatal(d)
		}
	})
}

// sameTree reports the first difference between two parsed trees, or "".
// Comments are left out: nothing reads them.
func sameTree(a, b *Node, path string) string {
	switch {
	case a == nil && b == nil:
		return ""
	case a == nil || b == nil:
		return path + ": one is nil"
	}
	if a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value || a.Anchored != b.Anchored ||
		a.Offset != b.Offset || len(a.Content) != len(b.Content) {
		return fmt.Sprintf("%s: %+v vs %+v", path, *a, *b)
	}
	if a.Kind == AliasNode {
		// The target is a node of the tree, compared where it stands.
		if ta, tb := a.Target(), b.Target(); (ta == nil) != (tb == nil) || ta != nil && (ta.Offset != tb.Offset || ta.Anchored != tb.Anchored) {
			return path + ": alias target"
		}
		return ""
	}
	for i := range a.Content {
		if d := sameTree(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// planFiles are the embedded plans' YAML files, by name.
func planFiles(t testing.TB) map[string][]byte {
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

// FuzzPlainTag holds plainTag to yaml.v3's resolution of the scalar.
func FuzzPlainTag(f *testing.F) {
	for _, s := range []string{"1", "4.4.1", "0x1F", "1e3", "-.5", "+.inf", "2025-09-24", "0b101", "1_000", "true", "~", "三级"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte("k: "+s+"\n"), &doc); err != nil || len(doc.Content) == 0 || len(doc.Content[0].Content) < 2 {
			return
		}
		v := doc.Content[0].Content[1]
		if v.Kind != yaml.ScalarNode || v.Style != 0 || v.Value != s {
			return // not one plain scalar as written
		}
		if got := plainTag(s).String(); got != v.Tag {
			t.Fatalf("plainTag(%q) = %s, yaml.v3 says %s", s, got, v.Tag)
		}
	})
}

// fastCharsByRune is fastChars as first written, rune by rune: the
// reference the one-pass version must agree with.
func fastCharsByRune(src []byte) bool {
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		switch {
		case r == utf8.RuneError && size <= 1,
			r < 0xA0, r == 0x2028, r == 0x2029, r == 0xFEFF,
			r >= 0xD800 && r < 0xE000, r == 0xFFFE, r == 0xFFFF:
			return false
		}
		i += size
	}
	return true
}

func FuzzFastChars(f *testing.F) {
	for _, s := range []string{"a: 1\n", "甲：乙\n", "\u0085", "\u00a0", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "\xed\xa0\x80", "\xc0\xaf", "a\tb", "\x7f", "\r\n", "\xe2\x80", "\xef\xbb"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if got, want := fastChars(src), fastCharsByRune(src); got != want {
			t.Fatalf("fastChars(%q) = %v, rune by rune %v", src, got, want)
		}
	})
}

// TestFastCharsEveryRune checks fastChars against the rune-by-rune
// reference on every code point, alone and after Chinese text.
func TestFastCharsEveryRune(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		for _, src := range [][]byte{utf8.AppendRune(nil, r), utf8.AppendRune([]byte("级"), r)} {
			if got, want := fastChars(src), fastCharsByRune(src); got != want {
				t.Fatalf("fastChars(%q) = %v, rune by rune %v", src, got, want)
			}
		}
	}
}

// fastParse parses src when it is in the subset; ok is false otherwise.
func fastParse(src []byte) (root *Node, ok bool) {
	p, ok := fastParseAll(src)
	if !ok {
		return nil, false
	}
	return p.root, true
}

// fastParsePlain is fastParse that also says whether the tree is plain
// (fastParser.plain): one Parse need not count with expandedSize.
func fastParsePlain(src []byte) (root *Node, plain, ok bool) {
	p, ok := fastParseAll(src)
	if !ok {
		return nil, false, false
	}
	return p.root, p.plain(), true
}
