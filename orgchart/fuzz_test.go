package orgchart

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/yingji/yingji/internal/yamlx"
)

// FuzzCompile: no input panics the compiler, every error has a position,
// and a chart that compiles can be activated and drawn.
func FuzzCompile(f *testing.F) {
	f.Add([]byte(riverlandOrg))
	if b, err := os.ReadFile(filepath.Join(planDir, "orgchart.yaml")); err == nil {
		f.Add(b)
	}
	f.Add([]byte("units: [{id: a, name: A, kind: x, clause: '1', members: [a]}]\njurisdiction: {name: x, clause: '1'}\nresponses: [{id: r, title: t, clause: '1', levels: [x], extends: [r]}]"))
	f.Fuzz(func(t *testing.T, src []byte) {
		file, ds := yamlx.Parse("f.yaml", src)
		if ds.HasErrors() {
			return
		}
		c, ds := Compile(file, nil)
		for _, d := range ds.Errors() {
			if d.Subject.IsZero() && d.Path == "" {
				t.Errorf("error without a position: %v", d)
			}
		}
		if c == nil {
			return
		}
		for _, l := range c.ResponseLevels() {
			if _, err := c.Activate(context.Background(), Activation{Response: l}); err != nil {
				t.Errorf("level %s: %v", l, err)
			}
		}
		for _, d := range c.Diagrams() {
			if _, err := c.Draw(d.ID, DOT); err != nil {
				t.Error(err)
			}
		}
	})
}
