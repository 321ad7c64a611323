package workflow_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/workflow"
)

// BenchmarkApply measures one Apply on the default plan's workflow: the
// next event of a IV response (the written report, 3.2) applied to an
// instance that has already received the two phone reports. Issue 6's
// target is 10 µs/op.
func BenchmarkApply(b *testing.B) {
	plan, err := yingji.Default()
	if err != nil {
		b.Fatal(err)
	}
	def := plan.Workflow
	ctx := context.Background()
	t0, err := workflow.ParseTime("2025-10-15T09:00:00+06:00")
	if err != nil {
		b.Fatal(err)
	}
	at := func(min int) workflow.Time {
		t, _ := workflow.ParseTime(t0.Time().Add(time.Duration(min) * time.Minute).Format(time.RFC3339))
		return t
	}
	inst := def.Start("bench")
	for _, ev := range []workflow.Event{
		{ID: "1", Type: "report.received", Actor: "local-emergency-bureau", OccurredAt: at(0), RecordedAt: at(0),
			Data: map[string]any{"via": "phone", "from": "accident-unit", "incident": map[string]any{"deaths": 1.0, "localities": []string{"qitai"}, "industries": []string{"building"}}}},
		{ID: "2", Type: "report.received", Actor: "yjj", OccurredAt: at(4), RecordedAt: at(4),
			Data: map[string]any{"via": "phone", "from": "local-emergency-bureau"}},
	} {
		if inst, _, err = def.Apply(ctx, inst, ev); err != nil {
			b.Fatal(err)
		}
	}
	next := workflow.Event{ID: "3", Type: "report.written", Actor: "yjj", OccurredAt: at(12), RecordedAt: at(12),
		Data: map[string]any{"from": "local-emergency-bureau", "contents": []string{"reporter", "type", "situation", "outlook", "support"}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := def.Apply(ctx, inst, next); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReplay replays a long incident — a new assessment and the
// follow-up report that answers it (3.2 续报), over and over — at 1 000,
// 10 000 and 100 000 events. ns/event should stay flat as the log grows
// (issue 15 (12): replay was quadratic, 100 000 events never finished).
func BenchmarkReplay(b *testing.B) {
	def := changjiWith(b, workflow.MaxLog(200_000))
	for _, n := range []int{1_000, 10_000, 100_000} {
		evs := longRun(n, at("09:00"))
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := def.Replay(context.Background(), "inc-1", evs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/event")
		})
	}
}

// BenchmarkCompile compiles the default plan's workflow.yaml: the
// workflow's share of loading a plan.
func BenchmarkCompile(b *testing.B) {
	src, err := os.ReadFile(filepath.Join(planDir, "workflow.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	rules, actors := changjiRules(b), orgchartActors(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, ds := workflow.Compile("workflow.yaml", src, rules, workflow.WithActors(actors)); ds.HasErrors() {
			b.Fatal(ds)
		}
	}
}
