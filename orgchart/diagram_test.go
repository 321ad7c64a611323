package orgchart

import (
	"github.com/yingji/yingji/internal/golden"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/diag"
)

func TestDiagrams(t *testing.T) {
	c, _ := changji(t)
	for _, d := range []string{"org", "site"} {
		for _, f := range Formats {
			t.Run(d+"."+string(f), func(t *testing.T) {
				out, err := c.Draw(d, f)
				require.NoError(t, err)
				again, _ := c.Draw(d, f)
				assert.Equal(t, out, again, "deterministic")
				golden.Check(t, "diagram-"+d+"."+string(f), out)
			})
		}
	}
	t.Run("附件 8.1: every member unit and every group appears, labelled a reconstruction", func(t *testing.T) {
		out, err := c.Draw("org", Mermaid)
		require.NoError(t, err)
		assert.Contains(t, out, "附件 8.1")
		assert.Contains(t, out, "重绘")
		hq, _ := c.Unit("hq")
		for _, m := range hq.Members {
			assert.Contains(t, out, c.name(m.Ref))
		}
		for _, g := range c.Groups() {
			assert.Contains(t, out, g.Name)
			assert.Contains(t, out, c.name(g.Lead))
			for _, m := range g.Members {
				assert.Contains(t, out, c.name(m.Ref))
			}
		}
		assert.Contains(t, out, "指挥长：昌吉州分管应急管理工作的副州长")
	})
	t.Run("附件 8.2: the site HQ with who forms it and its 总指挥", func(t *testing.T) {
		out, err := c.Draw("site", DOT)
		require.NoError(t, err)
		assert.Contains(t, out, "附件 8.2")
		assert.Contains(t, out, "现场应急救援指挥部")
		assert.Contains(t, out, "事故发生地县市人民政府（园区管委会）")
		assert.Contains(t, out, "总指挥")
		assert.Contains(t, out, "事故现场工作组")
		assert.Contains(t, out, `"local-government" -> "site-hq" [label="成立"];`, "2.5 the locality's government forms it")
		assert.Contains(t, out, `"hq" -> "site-hq" [label="成立；根据需要", style=dashed];`, "2.5 the prefecture forms one only 根据需要")
	})
	t.Run("ids Mermaid cannot take are spelled out, and never meet", func(t *testing.T) {
		src := "jurisdiction: {name: X, clause: '1'}\nunits:\n" +
			"- {id: a-b, name: A, kind: k, clause: '1', members: [a_b, 'a b', '甲']}\n" +
			"- {id: a_b, name: B, kind: k, clause: '1'}\n- {id: 'a b', name: C, kind: k, clause: '1'}\n- {id: '甲', name: D, kind: k, clause: '1'}\n" +
			"diagrams: [{id: d, title: 'T: #1', clause: F, root: a-b, note: \"two\\nlines\"}]\n"
		c, ds := Compile("x.yaml", []byte(src))
		require.NotNil(t, c, "%v", ds)
		out, err := c.Draw("d", Mermaid)
		require.NoError(t, err)
		for _, want := range []string{`n_a_b["A"]`, `n_a_b_2["B"]`, `n_a_u20_b["C"]`, `n__u7532_["D"]`, `title: "T: #1（F，据数据重绘）"`, "%% two lines\n"} {
			assert.Contains(t, out, want)
		}
	})
	t.Run("unknown diagram or format", func(t *testing.T) {
		_, err := c.Draw("orgg", Mermaid)
		assert.ErrorIs(t, err, ErrUnknown)
		assert.Equal(t, CodeUnknownDiagram, diag.ProblemsOf(err)[0].Code)
		_, err = c.Draw("org", "svg")
		assert.ErrorIs(t, err, ErrUnknown)
		assert.Equal(t, CodeUnknownFormat, diag.ProblemsOf(err)[0].Code)
	})
	t.Run("another jurisdiction draws its own", func(t *testing.T) {
		r, _ := riverland(t)
		out, err := r.Draw("org", DOT)
		require.NoError(t, err)
		golden.Check(t, "diagram-riverland.dot", out)
	})
}
