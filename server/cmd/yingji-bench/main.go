// Command yingji-bench measures yingji-server over loopback: POST /v1/grade
// throughput and latency with keep-alive clients, durable events per second
// (SQLite with and without group commit, PostgreSQL), and the time to ready
// with many stored incidents. It starts the server in this process on
// 127.0.0.1 and sends traffic only there, for a bounded time.
//
//	go run ./cmd/yingji-bench grade   -clients 32 -duration 10s
//	go run ./cmd/yingji-bench opa     -opa DIR/opa -server DIR/yingji-server -incidents-file incidents.jsonl -clients 16 -duration 5s -rounds 5
//	go run ./cmd/yingji-bench events  -clients 32 -duration 10s -incidents 1|100 [-no-group-commit] [-db postgres://…]
//	go run ./cmd/yingji-bench startup -incidents 10000 -events 50
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql's "pgx", for freshDatabase

	"github.com/yingji/yingji/server/internal/api"
	"github.com/yingji/yingji/server/internal/store"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: yingji-bench grade|opa|events|startup [flags]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	clients := fs.Int("clients", 32, "concurrent keep-alive clients")
	duration := fs.Duration("duration", 10*time.Second, "how long to send")
	incidents := fs.Int("incidents", 1, "incidents the events go to (events), or stored (startup)")
	events := fs.Int("events", 50, "events per stored incident (startup)")
	db := fs.String("db", "", "postgres://… (default SQLite in a temporary folder)")
	noGroup := fs.Bool("no-group-commit", false, "SQLite: one fsync per event")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	opaBin := fs.String("opa", "", "opa: the opa binary (go -C bench build -o DIR/opa github.com/open-policy-agent/opa)")
	serverBin := fs.String("server", "", "opa: the yingji-server binary (go build -o DIR/yingji-server ./cmd/yingji-server)")
	rego := fs.String("rego", "../bench/testdata/golden/changji-2025.rego", "opa: the grading policy for OPA")
	incidentsFile := fs.String("incidents-file", "", "opa: incidents, one JSON object a line (go -C bench run ./cmd/incidents -n 1000 -numbers)")
	rounds := fs.Int("rounds", 5, "opa: rounds, each server in turn; events: rounds, each on a fresh store")
	decisionSync := fs.String("decision-sync", "commit", "grade, opa: commit (decision records flushed before the answer) or os (written before, flushed within 100 ms)")
	_ = fs.Parse(os.Args[2:])
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "yingji-bench:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "yingji-bench:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	var err error
	switch os.Args[1] {
	case "grade":
		err = benchGrade(*clients, *duration, *decisionSync == "os")
	case "opa":
		err = vsOPA(opaOptions{opa: *opaBin, server: *serverBin, rego: *rego, incidents: *incidentsFile, clients: *clients, rounds: *rounds, duration: *duration,
			decisionSync: *decisionSync})
	case "events":
		err = benchEvents(*clients, *duration, *incidents, *db, *noGroup, *rounds)
	case "startup":
		err = benchStartup(*incidents, *events, *db)
	default:
		err = fmt.Errorf("unknown benchmark %q", os.Args[1])
	}
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "yingji-bench:", err)
		os.Exit(1)
	}
}

type server struct {
	url  string
	srv  *api.Server
	st   store.Store
	http *http.Server
}

func startServer(db string, opts store.Options) (*server, string, error) {
	dir, err := os.MkdirTemp("", "yingji-bench")
	if err != nil {
		return nil, "", err
	}
	ctx := context.Background()
	st, err := store.Open(ctx, db, dir, opts)
	if err != nil {
		return nil, dir, err
	}
	srv, err := api.New(ctx, api.Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return nil, dir, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, dir, err
	}
	hs := &http.Server{Handler: srv.Handler()}
	go hs.Serve(ln)
	return &server{url: "http://" + ln.Addr().String(), srv: srv, st: st, http: hs}, dir, nil
}

func (s *server) close() {
	s.http.Close()
	s.srv.Close()
	s.st.Close()
}

func client() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1024, MaxConnsPerHost: 1024}, Timeout: 30 * time.Second}
}

// result is one timed run: requests per second and latency percentiles.
type result struct {
	rps      float64
	p50, p99 time.Duration
	n        int
	errors   int64
	firstErr error
}

// measure runs clients that call do until the duration is over.
func measure(clients int, d time.Duration, do func(c *http.Client, worker, i int) error) (result, error) {
	var mu sync.Mutex
	var lat []time.Duration
	var errs atomic.Int64
	var firstErr atomic.Value
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range clients {
		wg.Go(func() {
			c := client()
			local := make([]time.Duration, 0, 1<<16)
			for i := 0; time.Now().Before(deadline); i++ {
				t0 := time.Now()
				if err := do(c, w, i); err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err)
					continue
				}
				local = append(local, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, local...)
			mu.Unlock()
		})
	}
	wg.Wait()
	el := time.Since(start)
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[int(float64(len(lat)-1)*p)]
	}
	r := result{rps: float64(len(lat)) / el.Seconds(), p50: pct(0.5), p99: pct(0.99), n: len(lat), errors: errs.Load()}
	if e := firstErr.Load(); e != nil {
		r.firstErr = e.(error)
	}
	return r, nil
}

// load measures and prints the result.
func load(name string, clients int, d time.Duration, do func(c *http.Client, worker, i int) error) error {
	r, err := measure(clients, d, do)
	if err != nil {
		return err
	}
	report(name, clients, d, r)
	return nil
}

func report(name string, clients int, d time.Duration, r result) {
	fmt.Printf("%s: %d ok in %.1fs = %.0f/s, p50 %v, p99 %v, errors %d, clients %d\n", name, r.n, d.Seconds(), r.rps,
		r.p50.Round(time.Microsecond), r.p99.Round(time.Microsecond), r.errors, clients)
	if r.firstErr != nil {
		fmt.Printf("  first error: %v\n", r.firstErr)
	}
}

func drain(resp *http.Response, err error) error {
	if err != nil {
		return err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("status %d: %s", resp.StatusCode, b)
	}
	return nil
}

func benchGrade(clients int, d time.Duration, toOS bool) error {
	s, dir, err := startServer("", store.Options{DecisionsToOS: toOS})
	defer os.RemoveAll(dir)
	if err != nil {
		return err
	}
	defer s.close()
	body := `{"deaths":12}`
	return load("POST /v1/grade", clients, d, func(c *http.Client, _, _ int) error {
		return drain(c.Post(s.url+"/v1/grade", "application/json", strings.NewReader(body)))
	})
}

func envelope(id string, i int) string {
	at := time.Date(2025, 10, 15, 9, 1, 0, 0, time.FixedZone("", 6*3600)).Add(time.Duration(i%100000) * time.Second).Format(time.RFC3339)
	return fmt.Sprintf(`{"id":%q,"type":"report.followup","actor":"yjj","occurredAt":%q,"recordedAt":%q,"data":{"summary":"续报"}}`, id, at, at)
}

const firstReport = `{"incident":%q,"id":"first","type":"report.received","actor":"yjj","occurredAt":"2025-10-15T09:00:00+06:00","recordedAt":"2025-10-15T09:00:00+06:00","data":{"via":"phone","from":"local-emergency-bureau","incident":{"deaths":1,"localities":["jimsar"]}}}`

// benchEvents posts events for the duration, rounds times, each round on a
// fresh store (a new SQLite folder, or a new PostgreSQL database created
// and dropped on the server -db names), and reports each round and the
// medians.
func benchEvents(clients int, d time.Duration, incidents int, db string, noGroup bool, rounds int) error {
	kind := "SQLite, group commit"
	switch {
	case db != "":
		kind = "PostgreSQL"
	case noGroup:
		kind = "SQLite, one fsync per event"
	}
	name := fmt.Sprintf("POST events (%s, %d incidents)", kind, incidents)
	var rs []result
	for range max(rounds, 1) {
		r, err := eventsRound(clients, d, incidents, db, noGroup)
		if err != nil {
			return err
		}
		report(name, clients, d, r)
		rs = append(rs, r)
	}
	if len(rs) > 1 {
		fmt.Printf("%s, median of %d rounds: %.0f/s, p50 %v, p99 %v\n", name, len(rs), median(rs, func(r result) float64 { return r.rps }),
			ms(time.Duration(median(rs, func(r result) float64 { return float64(r.p50) }))), ms(time.Duration(median(rs, func(r result) float64 { return float64(r.p99) }))))
	}
	return nil
}

func eventsRound(clients int, d time.Duration, incidents int, db string, noGroup bool) (result, error) {
	if db != "" {
		fresh, drop, err := freshDatabase(db)
		if err != nil {
			return result{}, err
		}
		defer drop()
		db = fresh
	}
	s, dir, err := startServer(db, store.Options{NoGroupCommit: noGroup})
	defer os.RemoveAll(dir)
	if err != nil {
		return result{}, err
	}
	defer s.close()
	c := client()
	for i := range incidents {
		if err := drain(c.Post(s.url+"/v1/incidents", "application/json", strings.NewReader(fmt.Sprintf(firstReport, fmt.Sprint("inc-", i))))); err != nil {
			return result{}, err
		}
	}
	return measure(clients, d, func(c *http.Client, w, i int) error {
		inc := fmt.Sprint("inc-", (w+i*clients)%incidents)
		return drain(c.Post(s.url+"/v1/incidents/"+inc+"/events", "application/json", strings.NewReader(envelope(fmt.Sprintf("w%d-%d", w, i), i))))
	})
}

// freshDatabase creates a database on the PostgreSQL server dsn names and
// returns its DSN and a function that drops it.
func freshDatabase(dsn string) (string, func(), error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", nil, err
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return "", nil, err
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "yingji_bench_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		admin.Close()
		return "", nil, err
	}
	u.Path = "/" + name
	return u.String(), func() {
		_, _ = admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	}, nil
}

// benchStartup stores incidents × events through the store (the log of
// one real incident, copied under new ids), then times opening the store
// and the server until /readyz answers.
func benchStartup(incidents, events int, db string) error {
	s, dir, err := startServer(db, store.Options{})
	defer os.RemoveAll(dir)
	if err != nil {
		return err
	}
	c := client()
	if err := drain(c.Post(s.url+"/v1/incidents", "application/json", strings.NewReader(fmt.Sprintf(firstReport, "model")))); err != nil {
		return err
	}
	for i := 1; i < events; i++ {
		if err := drain(c.Post(s.url+"/v1/incidents/model/events", "application/json", strings.NewReader(envelope(fmt.Sprint("e", i), i)))); err != nil {
			return err
		}
	}
	ctx := context.Background()
	model, err := s.st.Events(ctx, "model", 0, 0)
	if err != nil {
		return err
	}
	row, err := s.st.Incident(ctx, "model")
	if err != nil {
		return err
	}
	t0 := time.Now()
	var wg sync.WaitGroup
	var fail atomic.Value
	next := atomic.Int64{}
	for range 64 {
		wg.Go(func() {
			for {
				n := next.Add(1)
				if n > int64(incidents-1) {
					return
				}
				id := fmt.Sprint("inc-", n)
				for _, ev := range model {
					r := row
					r.ID, r.Seq = id, ev.Seq
					ev.Incident = id
					if err := s.st.Append(ctx, store.Append{Incident: r, Event: ev}); err != nil {
						fail.CompareAndSwap(nil, err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	if e := fail.Load(); e != nil {
		return e.(error)
	}
	fmt.Printf("stored %d incidents × %d events in %.1fs\n", incidents, len(model), time.Since(t0).Seconds())
	s.close()

	t1 := time.Now()
	st, err := store.Open(ctx, db, dir, store.Options{})
	if err != nil {
		return err
	}
	srv, err := api.New(ctx, api.Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler()}
	go hs.Serve(ln)
	if err := drain(c.Get("http://" + ln.Addr().String() + "/readyz")); err != nil {
		return err
	}
	ready := time.Since(t1)
	list, _ := st.Incidents(ctx, store.IncidentFilter{Limit: 1})
	t2 := time.Now()
	if err := drain(c.Get("http://" + ln.Addr().String() + "/v1/incidents/inc-" + fmt.Sprint(incidents/2))); err != nil {
		return err
	}
	fmt.Printf("start-up to ready with %d incidents × %d events: %v (first incident read, replayed from its log: %v; %d listed)\n",
		incidents, len(model), ready.Round(time.Millisecond), time.Since(t2).Round(time.Microsecond), len(list))
	hs.Close()
	srv.Close()
	return st.Close()
}
