package workflow_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/workflow"
)

// menu is the events a random sequence draws from: every event type of the
// Changji workflow, with actors and data both right and wrong.
var menu = []struct {
	typ, actor string
	data       map[string]any
}{
	{"warning.received", "local-government", m{"source": "气象局", "serious": true}},
	{"warning.issued", "office", m{"especiallySerious": true, "content": "预警"}},
	{"warning.issued", "yjj", m{"especiallySerious": true, "content": "预警"}},
	{"report.received", "yjj", m{"via": "phone", "incident": m{"deaths": 1, "crosses": "county"}}},
	{"report.received", "local-emergency-bureau", m{"via": "other"}},
	{"report.written", "yjj", m{"contents": allItems}},
	{"report.written", "yjj", m{"contents": []string{"type"}}},
	{"report.followup", "local-emergency-bureau", m{"contents": []string{"support"}}},
	{"report.followup", "hq", m{"summary": "进展"}},
	{"assessment.updated", "yjj", m{"incident": m{"deaths": 4}}},
	{"assessment.updated", "yjj", m{"incident": m{"deaths": 12}}},
	{"assessment.updated", "yjj", m{"incident": m{"deaths": 0}}},
	{"response.activated", "local-government", m{"level": "IV"}},
	{"response.activated", "local-government", m{"level": "IV", "deescalate": true}},
	{"response.activated", "gov", m{"level": "III"}},
	{"response.activated", "xj-hq", m{"level": "II"}},
	{"response.activated", "hq", m{"level": "I"}},
	{"capacity.exceeded", "local-government", m{"of": "county"}},
	{"capacity.exceeded", "gov", m{"of": "prefecture"}},
	{"command.transferred", "hq", m{"to": "site-hq", "formedBy": "hq", "grounds": "cross-county"}},
	{"command.transferred", "hq", m{"to": "accident-unit", "formedBy": "hq", "grounds": "authorised"}},
	{"command.transferred", "gov", m{"to": "working-group", "formedBy": "hq", "grounds": "major-impact"}},
	{"task.completed", "hq", m{"task": "form-hq"}},
	{"task.completed", "office", m{"task": "notify-members"}},
	{"task.completed", "site-hq", m{"task": "site-rescue"}},
	{"task.completed", "hq", m{"task": "followup"}},
	{"task.completed", "local-government", m{"task": "hand-over-command"}},
	{"task.waived", "hq", m{"task": "liaise", "reason": "不需要"}},
	{"task.waived", "local-government", m{"task": "families", "reason": "无人员遇难"}},
	{"rescue.suspended", "site-hq", m{"reason": "secondary-accident-likely"}},
	{"rescue.suspended", "site-hq", m{"reason": "rescuers-threatened"}},
	{"rescue.suspended", "hq", m{"reason": "rescuers-threatened"}},
	{"rescue.resumed", "site-hq", m{"siteControlled": true, "hazardsCleared": true}},
	{"rescue.resumed", "site-hq", m{"siteControlled": true, "hazardsCleared": false}},
	{"experts.reviewed", "experts-group", m{"conclusion": "terminate"}},
	{"experts.reviewed", "experts-group", m{"conclusion": "continue"}},
	{"termination.proposed", "site-hq", m{"reason": "rescue-complete"}},
	{"termination.approved", "local-government", nil},
	{"termination.approved", "gov", nil},
	{"response.ended", "hq", nil},
	{"response.ended", "local-government", nil},
	{"aftermath.completed", "local-government", m{"summary": "完成"}},
	{"review.submitted", "site-hq", m{"report": "报告", "lessons": "教训", "proposals": "建议"}},
	{"review.submitted", "site-hq", m{"report": "报告"}},
	{"incident.closed", "office", nil},
	{"incident.closed", "site-hq", nil},
	{"report.writen", "yjj", nil},
	{"response.activated", "nobody", m{"level": "V"}},
}

// checkSequence applies the events chosen by choose and checks the
// invariants after each: exactly one declared phase; a command holder in
// phases that need one; task ids unique and no task closed twice; a
// rejected event changes nothing (compared as JSON when thorough; the
// fuzzer, which wants many executions, leaves that to the replay); the
// log replays to the same instance.
func checkSequence(t *testing.T, def *workflow.Definition, n int, thorough bool, choose func() (int, int, bool)) workflow.Instance {
	ctx := context.Background()
	inst := def.Start("fuzz")
	clock := at("08:00")
	closed := map[string]string{} // task id → the event that closed it
	for i := 0; i < n; i++ {
		k, step, redeliver := choose()
		c := menu[k%len(menu)]
		clock = clock.Add(time.Duration(step%31-5) * time.Minute)
		ev := workflow.Event{ID: "f" + itoa(i), Type: c.typ, Actor: c.actor, OccurredAt: clock, RecordedAt: clock.Add(time.Minute), Data: c.data}
		if redeliver && len(inst.Log()) > 0 {
			ev = inst.Log()[k%len(inst.Log())]
		}
		var before []byte
		if thorough {
			before, _ = json.Marshal(inst)
		}
		next, eff, err := def.Apply(ctx, inst, ev)
		if err != nil || eff.Duplicate {
			require.Equal(t, inst.Len(), next.Len(), "rejected or duplicate %s changed the log", ev.Type)
			if thorough {
				after, _ := json.Marshal(next)
				require.Equal(t, string(before), string(after), "rejected or duplicate %s changed the instance", ev.Type)
			}
			continue
		}
		inst = next
		phase, ok := def.Phase(inst.Phase)
		require.True(t, ok, "phase %q is declared", inst.Phase)
		if phase.Command {
			require.NotEmpty(t, inst.Command.Holder, "a command holder while %s", inst.Phase)
		}
		var ids []string
		for _, task := range inst.Tasks() {
			require.NotContains(t, ids, task.ID, "task ids are unique")
			ids = append(ids, task.ID)
			require.Equal(t, task.State != workflow.TaskOpen, task.ClosedAt != nil, "closed tasks say when")
		}
		for _, id := range slices.Concat(eff.Done, eff.Waived) {
			prev, twice := closed[id]
			require.False(t, twice, "task %s closed by %s and again by %s", id, prev, ev.ID)
			closed[id] = ev.ID
		}
		for _, task := range inst.Tasks() {
			if task.State != workflow.TaskOpen {
				require.Equal(t, closed[task.ID], task.ClosedBy, "task %s keeps the event that closed it", task.ID)
			}
		}
	}
	again, err := def.Replay(ctx, inst.ID, inst.Log())
	require.NoError(t, err)
	a, _ := json.Marshal(inst)
	b, _ := json.Marshal(again)
	require.Equal(t, string(a), string(b), "the log replays to the same instance")
	return inst
}

func TestPropertyRandomEventSequences(t *testing.T) {
	def := changji(t)
	reached := map[string]bool{}
	for seed := uint64(0); seed < 150; seed++ {
		rng := rand.New(rand.NewPCG(seed, 0x796a))
		inst := checkSequence(t, def, 40, true, func() (int, int, bool) { return rng.IntN(len(menu)), rng.IntN(31), rng.IntN(10) == 0 })
		for _, ev := range inst.Log() {
			reached[ev.Type] = true
		}
		reached[inst.Phase] = true
	}
	for _, want := range []string{"responding", "suspended", "termination.approved", "command.transferred"} {
		require.True(t, reached[want], "the random sequences reach %s", want)
	}
}

func FuzzApply(f *testing.F) {
	f.Add([]byte{3, 20, 5, 10, 12, 10, 9, 20, 14, 5})
	f.Add([]byte{3, 5, 12, 5, 28, 5, 31, 5, 33, 5, 35, 5, 36, 5, 38, 5, 40, 5, 41, 5})
	def := changji(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		i := 0
		next := func() int {
			if i >= len(b) {
				return 0
			}
			i++
			return int(b[i-1])
		}
		// One event per two bytes, at most 40: a short input is a short,
		// fast sequence, and the fuzzer grows it where that finds more.
		checkSequence(t, def, min(len(b)/2, 40), false, func() (int, int, bool) { k := next(); return k, next(), k >= 200 })
	})
}

func TestConcurrentApplyOnOneDefinition(t *testing.T) {
	def := changji(t)
	r := responding(t, "III", m{"deaths": 4})
	done := make(chan workflow.Instance, 8)
	for g := 0; g < 8; g++ {
		go func() {
			inst := r.inst
			for _, ev := range []workflow.Event{
				{ID: "c1", Type: "assessment.updated", Actor: "yjj", OccurredAt: at("10:00"), RecordedAt: at("10:00"), Data: m{"incident": m{"deaths": 12}}},
				{ID: "c2", Type: "report.followup", Actor: "hq", OccurredAt: at("10:05"), RecordedAt: at("10:05")},
			} {
				next, _, err := def.Apply(context.Background(), inst, ev)
				if err == nil {
					inst = next
				}
			}
			done <- inst
		}()
	}
	var outs []string
	for g := 0; g < 8; g++ {
		b, _ := json.Marshal(<-done)
		outs = append(outs, string(b))
	}
	require.Len(t, slices.Compact(outs), 1, "every goroutine gets the same instance")
}
