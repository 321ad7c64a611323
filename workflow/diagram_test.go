package workflow_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDiagramsReconstructAnnex84(t *testing.T) {
	def := changji(t)
	mermaid := def.Mermaid()
	assert.Contains(t, mermaid, "附件 8.4 昌吉州生产安全事故应急响应流程图（据 workflow 数据重绘，非原图）")
	assert.Contains(t, mermaid, "stateDiagram-v2")
	assert.Equal(t, mermaid, def.Mermaid(), "deterministic")
	golden(t, "flow.mmd", mermaid)
	dot := def.DOT()
	assert.Contains(t, dot, "附件 8.4")
	golden(t, "flow.dot", dot)
}
