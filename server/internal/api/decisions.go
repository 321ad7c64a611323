package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yingji/yingji/server/internal/core"
	"github.com/yingji/yingji/server/internal/store"
)

// decisionLog writes the decision records of grades, rosters and rejected
// events in batches, as OPA's decision logger does: an answer does not wait
// for its record, but a full buffer slows the callers down rather than
// dropping records. An accepted event's record is written in the event's
// own transaction instead, so it is as durable as the event.
//
// Gap: issue 9 §7 gives the library a decision sink on the Engine; until
// it lands the server builds the records itself from the results.
type decisionLog struct {
	st      store.Store
	m       *metrics
	log     *slog.Logger
	ch      chan store.Decision
	done    chan struct{}
	once    sync.Once
	pending atomic.Int64
}

const decisionBuffer = 1 << 14

func newDecisionLog(st store.Store, m *metrics, log *slog.Logger) *decisionLog {
	d := &decisionLog{st: st, m: m, log: log, ch: make(chan store.Decision, decisionBuffer), done: make(chan struct{})}
	go d.run()
	return d
}

func (d *decisionLog) add(r store.Decision) {
	d.pending.Add(1)
	d.ch <- r
}

func (d *decisionLog) run() {
	defer close(d.done)
	batch := make([]store.Decision, 0, 512)
	flush := func() {
		if len(batch) == 0 {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := d.st.AddDecisions(ctx, batch)
		cancel()
		if err != nil {
			d.log.Error("decision records not stored", "records", len(batch), "err", err)
		} else {
			d.m.decisions.Add(float64(len(batch)))
		}
		d.pending.Add(-int64(len(batch)))
		batch = batch[:0]
	}
	for r := range d.ch {
		batch = append(batch, r)
	drain:
		for len(batch) < cap(batch) {
			select {
			case r, ok := <-d.ch:
				if !ok {
					break drain
				}
				batch = append(batch, r)
			default:
				break drain
			}
		}
		flush()
	}
	flush()
}

// Flush waits until every record added so far is written (for tests and
// shutdown).
func (d *decisionLog) Flush(ctx context.Context) {
	for d.pending.Load() > 0 && ctx.Err() == nil {
		time.Sleep(5 * time.Millisecond)
	}
}

func (d *decisionLog) close() {
	d.once.Do(func() { close(d.ch) })
	<-d.done
}

// decision builds one record. The principal is the token's name, never
// the token.
func (s *Server) decision(kind string, plan *core.Plan, p *Principal, incident string, input []byte, result any) store.Decision {
	res, _ := json.Marshal(result)
	in := json.RawMessage(input)
	if !json.Valid(in) {
		in, _ = json.Marshal(string(input))
	}
	return store.Decision{ID: s.nodeID + "-" + strconv.FormatUint(s.decSeq.Add(1), 36), Time: s.now().UTC(), Kind: kind,
		PlanID: plan.ID(), Revision: plan.Revision(), PlanHash: plan.Hash(), Principal: p.Name, Incident: incident, Input: in, Result: res}
}
