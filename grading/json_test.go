package grading_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji/internal/golden"
)

// TestResultJSONGolden pins the wire form of a Result, the integration
// contract, for incidents whose grades come from the text.
func TestResultJSONGolden(t *testing.T) {
	cases := []struct {
		name, plan, incident string
	}{
		// 1.5 重大 (1): 10 人以上、30 人以下死亡（含失踪）; the rest unknown.
		{"changji-serious-partial", "changji-2025", `{"deaths": 12, "missing": 1}`},
		// No harm recorded: 一般 through the baseline, not in scope (1.3).
		{"changji-general-zero", "changji-2025", `{"deaths": 0, "missing": 0, "endangered": 0, "seriousInjuries": 0, "evacuated": 0, "directLoss": 0, "crosses": "none", "crossDomain": false, "exceedsCapacityOf": "none", "deemedNecessaryBy": "none", "stateCouncilResponse": false}`},
		// 1.5 重大 (3) 紧急转移 5 万人以上, 较大 (4) 跨县级行政区 (given by its label).
		{"changji-evacuation-label", "changji-2025", `{"evacuated": 60000, "crosses": "跨县级行政区", "industries": ["道路交通"]}`},
		// Decree 493 Art. 3 (三): 10人以上50人以下重伤 is 较大; no response levels.
		{"national-493-injuries", "national-493", `{"seriousInjuries": 10}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := clRules(t, tc.plan)
			inc, err := r.ParseIncident([]byte(tc.incident))
			require.NoError(t, err)
			res, err := r.Classify(context.Background(), inc)
			require.NoError(t, err)
			b, err := json.MarshalIndent(res, "", "  ")
			require.NoError(t, err)
			assert.NotContains(t, string(b), "null", "empty lists are [], never null")
			golden.Check(t, "result-"+tc.name+".json", string(b)+"\n")

			// The stream encoder writes the same bytes.
			compact, err := json.Marshal(res)
			require.NoError(t, err)
			var buf bytes.Buffer
			require.NoError(t, json.Compact(&buf, b))
			assert.Equal(t, buf.String(), string(compact))
		})
	}
}
