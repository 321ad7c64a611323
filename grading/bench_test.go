package grading_test

import (
	"context"
	"testing"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/grading"
)

func BenchmarkClassify(b *testing.B) {
	p, err := yingji.Default()
	if err != nil {
		b.Fatal(err)
	}
	r := p.Grading
	incidents := []string{
		`{"deaths": 12, "missing": 1}`,
		`{"deaths": 2, "seriousInjuries": 20, "directLoss": 3000000}`,
		`{"deaths": 0, "missing": 0, "endangered": 0, "seriousInjuries": 0, "evacuated": 0, "directLoss": 0, "crosses": "none", "crossDomain": false, "exceedsCapacityOf": "none", "deemedNecessaryBy": "none", "stateCouncilResponse": false}`,
		`{"evacuated": 60000, "crosses": "county"}`,
	}
	var incs []grading.Incident
	for _, s := range incidents {
		inc, err := r.ParseIncident([]byte(s))
		if err != nil {
			b.Fatal(err)
		}
		incs = append(incs, inc)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := r.Classify(ctx, incs[i%len(incs)]); err != nil {
			b.Fatal(err)
		}
	}
}
