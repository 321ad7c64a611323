package yingji_test

import (
	"context"
	"io"
	"testing"

	"github.com/yingji/yingji"
)

// BenchmarkPlanClassify is the front door's Classify on a parsed incident:
// the orgchart check of its lists, the grade, and — in the sink case — one
// decision record written as a JSON line. Without a sink it must not
// allocate (issue 9 §7).
func BenchmarkPlanClassify(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts []yingji.Option
	}{
		{"no-sink", nil},
		{"jsonl-sink", []yingji.Option{yingji.WithDecisionSink(yingji.NewJSONLSink(io.Discard))}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			p, err := yingji.Default(bc.opts...)
			if err != nil {
				b.Fatal(err)
			}
			inc, err := p.ParseIncident([]byte(`{"deaths": 12, "missing": 1, "directLoss": "5000万", "crosses": "county"}`))
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Classify(ctx, inc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
