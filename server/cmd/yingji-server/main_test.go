package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji/server/internal/pgtest"
)

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
	buildDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// serverBinary builds the real yingji-server once per test run.
func serverBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "yingji-server-bin")
		if buildErr != nil {
			return
		}
		binary = filepath.Join(buildDir, "yingji-server")
		out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	require.NoError(t, buildErr)
	return binary
}

// lockedBuffer collects a process's output; the copying goroutine of
// os/exec writes while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// node is one running server process.
type node struct {
	t    *testing.T
	cmd  *exec.Cmd
	url  string
	logs *lockedBuffer
	done chan struct{}
}

func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

// start runs the binary with args on a free loopback port and waits until
// it is ready.
func start(t *testing.T, args ...string) *node {
	t.Helper()
	addr := freePort(t)
	cmd := exec.Command(serverBinary(t), append([]string{"--listen", addr}, args...)...)
	n := &node{t: t, cmd: cmd, url: "http://" + addr, logs: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = n.logs, n.logs
	require.NoError(t, cmd.Start())
	go func() { _ = cmd.Wait(); close(n.done) }()
	t.Cleanup(n.kill)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-n.done:
			t.Fatalf("yingji-server exited at start:\n%s", n.logs)
		default:
		}
		resp, err := http.Get(n.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return n
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("yingji-server not ready in 60s:\n%s", n.logs)
	return nil
}

// kill sends SIGKILL: no shutdown, no flush.
func (n *node) kill() {
	_ = n.cmd.Process.Signal(syscall.SIGKILL)
	<-n.done
}

func post(c *http.Client, url, body string) (int, []byte, error) {
	resp, err := c.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func ev(id string, minutes int) string {
	at := time.Date(2025, 10, 15, 9, 0, 0, 0, time.FixedZone("", 6*3600)).Add(time.Duration(minutes) * time.Minute).Format(time.RFC3339)
	return fmt.Sprintf(`{"id":%q,"type":"report.followup","actor":"yjj","occurredAt":%q,"recordedAt":%q,"data":{"summary":"续报 %s"}}`, id, at, at, id)
}

func createIncident(t *testing.T, url, id string) {
	at := "2025-10-15T09:00:00+06:00"
	body := fmt.Sprintf(`{"incident":%q,"id":"first","type":"report.received","actor":"yjj","occurredAt":%q,"recordedAt":%q,"data":{"via":"phone","from":"local-emergency-bureau","incident":{"deaths":1,"localities":["jimsar"]}}}`, id, at, at)
	status, b, err := post(http.DefaultClient, url+"/v1/incidents", body)
	require.NoError(t, err)
	require.Contains(t, []int{200, 201}, status, "%s", b)
}

// logOf reads an incident's whole log through the API.
func logOf(t *testing.T, url, id string) []string {
	t.Helper()
	var ids []string
	after := "0"
	for {
		resp, err := http.Get(url + "/v1/incidents/" + id + "/events?after=" + after)
		require.NoError(t, err)
		var l struct {
			Events []struct {
				Seq   int
				Event struct{ ID string }
			}
			Next string
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&l))
		resp.Body.Close()
		for _, e := range l.Events {
			require.Equal(t, len(ids)+1, e.Seq, "contiguous sequence in %s", id)
			ids = append(ids, e.Event.ID)
		}
		if l.Next == "" {
			return ids
		}
		after = l.Next
	}
}

// writers posts events from clients concurrently to the incidents until
// stop is closed, an error (the server died) or max events per client. It
// returns, per client, the ids acknowledged with a 2xx, in order.
type writers struct {
	mu    sync.Mutex
	acked map[string][]string // client → acknowledged ids, in order
	sent  map[string]bool     // every id sent, acknowledged or not
}

func (w *writers) run(urls []string, incidents []string, clients, max int, round int, stop <-chan struct{}) {
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			client := &http.Client{Timeout: 20 * time.Second}
			name := fmt.Sprintf("c%d", c)
			inc := incidents[c%len(incidents)]
			url := urls[c%len(urls)]
			for i := range max {
				select {
				case <-stop:
					return
				default:
				}
				id := fmt.Sprintf("%s-r%d-%05d", name, round, i)
				w.mu.Lock()
				w.sent[id] = true
				w.mu.Unlock()
				status, _, err := post(client, url+"/v1/incidents/"+inc+"/events", ev(id, 1+i%600))
				if err != nil {
					return // the server was killed
				}
				if status/100 == 2 {
					w.mu.Lock()
					w.acked[name] = append(w.acked[name], id)
					w.mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
}

// check: every acknowledged id is in the logs exactly once and each
// client's ids are in its order; ids not acknowledged are present at most
// once; nothing else is there.
func (w *writers) check(t *testing.T, logs map[string][]string) int {
	t.Helper()
	pos := map[string]int{}
	total := 0
	for inc, ids := range logs {
		for i, id := range ids {
			if id == "first" {
				continue
			}
			_, dup := pos[id]
			require.False(t, dup, "event %s twice (in %s)", id, inc)
			require.True(t, w.sent[id], "event %s in %s was never sent", id, inc)
			pos[id] = i
			total++
		}
	}
	for client, ids := range w.acked {
		last := -1
		for _, id := range ids {
			p, ok := pos[id]
			require.True(t, ok, "acknowledged event %s of %s is lost", id, client)
			require.Greater(t, p, last, "events of %s out of order at %s", client, id)
			last = p
		}
	}
	return total
}

// graders grade incidents, each with a number of deaths of its own, until
// stop is closed or the server dies, and keep the numbers that got a 200:
// each must have its decision record after a restart.
type graders struct {
	mu    sync.Mutex
	acked []int64
}

func (g *graders) run(url string, clients, round int, stop <-chan struct{}) {
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			client := &http.Client{Timeout: 20 * time.Second}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				deaths := int64(round)*10_000_000 + int64(c)*1_000_000 + int64(i)
				status, _, err := post(client, url+"/v1/grade", fmt.Sprintf(`{"deaths":%d}`, deaths))
				if err != nil {
					return
				}
				if status == 200 {
					g.mu.Lock()
					g.acked = append(g.acked, deaths)
					g.mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
}

// recordedDeaths reads every grade's decision record and returns the
// deaths each was given.
func recordedDeaths(t *testing.T, url string) map[int64]bool {
	t.Helper()
	out := map[int64]bool{}
	after := "0"
	for {
		resp, err := http.Get(url + "/v1/decisions?kind=classify&limit=1000&after=" + after)
		require.NoError(t, err)
		var l struct {
			Decisions []struct {
				Facts struct{ Deaths int64 }
			}
			Next string
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&l))
		resp.Body.Close()
		for _, d := range l.Decisions {
			out[d.Facts.Deaths] = true
		}
		if l.Next == "" {
			return out
		}
		after = l.Next
	}
}

func crashTest(t *testing.T, args ...string) {
	incidents := []string{"crash-a", "crash-b", "crash-c"}
	n := start(t, args...)
	for _, id := range incidents {
		createIncident(t, n.url, id)
	}
	w := &writers{acked: map[string][]string{}, sent: map[string]bool{}}
	g := &graders{}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	var points []time.Duration
	for round := range 4 {
		if round > 0 {
			n = start(t, args...)
		}
		kill := time.Duration(50+rng.IntN(1200)) * time.Millisecond
		points = append(points, kill)
		stop := make(chan struct{})
		done := make(chan struct{})
		graded := make(chan struct{})
		go func() { w.run([]string{n.url}, incidents, 6, 3000, round, stop); close(done) }()
		go func() { g.run(n.url, 2, round, stop); close(graded) }()
		time.Sleep(kill)
		n.kill()
		close(stop)
		<-done
		<-graded
	}
	n = start(t, args...)
	logs := map[string][]string{}
	for _, id := range incidents {
		logs[id] = logOf(t, n.url, id)
	}
	total := w.check(t, logs)
	acked := 0
	for _, ids := range w.acked {
		acked += len(ids)
	}
	recorded := recordedDeaths(t, n.url)
	for _, d := range g.acked {
		require.True(t, recorded[d], "the grade of {\"deaths\":%d} was answered, so its decision record is stored", d)
	}
	t.Logf("kill -9 after %v; %d events acknowledged, %d stored, %d sent; %d grades answered, %d recorded", points, acked, total, len(w.sent), len(g.acked), len(recorded))
	assert.Positive(t, acked)
	assert.Positive(t, len(g.acked))
}

// TestCrashSQLite kills the server with SIGKILL at random moments while
// clients post events, restarts it, and checks the log.
func TestCrashSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	crashTest(t, "--data", t.TempDir())
}

// TestCrashSQLiteDecisionsToOS: the same with --decision-sync os, whose
// records a killed process cannot lose either (they are the kernel's once
// the answer is sent).
func TestCrashSQLiteDecisionsToOS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	crashTest(t, "--data", t.TempDir(), "--decision-sync", "os")
}

func TestCrashPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	crashTest(t, "--db", pgtest.DSN(t))
}

// TestTwoNodes: two server processes on one PostgreSQL database, writers
// on both to the same incident for a bounded time; then a reload on one
// node reaches the other.
func TestTwoNodes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the real binary")
	}
	dsn := pgtest.DSN(t)
	dirA, dirB := copyPlan(t), copyPlan(t)
	a := start(t, "--db", dsn, "--plan", dirA)
	b := start(t, "--db", dsn, "--plan", dirB)
	createIncident(t, a.url, "shared")
	w := &writers{acked: map[string][]string{}, sent: map[string]bool{}}
	stop := make(chan struct{})
	time.AfterFunc(3*time.Second, func() { close(stop) })
	w.run([]string{a.url, b.url}, []string{"shared"}, 8, 400, 0, stop)
	logs := map[string][]string{"shared": logOf(t, b.url, "shared")}
	total := w.check(t, logs)
	acked := 0
	for _, ids := range w.acked {
		acked += len(ids)
	}
	t.Logf("two nodes, 8 writers on one incident for 3s: %d acknowledged, %d stored, %d sent", acked, total, len(w.sent))
	assert.Equal(t, acked, total, "every stored event was acknowledged (none was in flight)")
	assert.Equal(t, logOf(t, a.url, "shared"), logs["shared"], "both nodes read the same log")

	// A reload on node A reaches node B (LISTEN/NOTIFY, polling as a fallback).
	hashOf := func(n *node) string {
		resp, err := http.Get(n.url + "/v1/status")
		require.NoError(t, err)
		defer resp.Body.Close()
		var s struct{ Plan struct{ Hash string } }
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&s))
		return s.Plan.Hash
	}
	old := hashOf(b)
	require.Equal(t, old, hashOf(a))
	b2, err := os.ReadFile(filepath.Join(dirA, "plan.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dirA, "plan.yaml"), append(b2, []byte("# edited on node A\n")...), 0o644))
	status, body, err := post(http.DefaultClient, a.url+"/v1/reload", "")
	require.NoError(t, err)
	require.Equal(t, 200, status, "%s", body)
	newHash := hashOf(a)
	require.NotEqual(t, old, newHash)
	deadline := time.Now().Add(10 * time.Second)
	for hashOf(b) != newHash && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	assert.Equal(t, newHash, hashOf(b), "node B serves what node A published")
}

func copyPlan(t *testing.T) string {
	t.Helper()
	src := filepath.Join("..", "..", "..", "plans", "changji-2025")
	dst := filepath.Join(t.TempDir(), "plan")
	require.NoError(t, os.MkdirAll(dst, 0o755))
	entries, err := os.ReadDir(src)
	require.NoError(t, err)
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644))
	}
	return dst
}

// TestStartsWithZeroSetUp: the README's command — no flags — serves the
// embedded plan on SQLite under ./yingji-data, and refuses a non-loopback
// address without tokens.
func TestStartsWithZeroSetUp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the real binary")
	}
	dir := t.TempDir()
	addr := freePort(t)
	cmd := exec.Command(serverBinary(t), "--listen", addr)
	cmd.Dir = dir
	logs := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	require.NoError(t, cmd.Start())
	n := &node{t: t, cmd: cmd, url: "http://" + addr, logs: logs, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(n.done) }()
	defer n.kill()
	var status int
	var body []byte
	for range 600 {
		var err error
		if status, body, err = post(http.DefaultClient, n.url+"/v1/grade", `{"deaths":12}`); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.Equal(t, 200, status)
	assert.Contains(t, string(body), `"level":"serious"`)
	assert.Contains(t, string(body), `"response":"II"`)
	_, err := os.Stat(filepath.Join(dir, "yingji-data", "yingji.db"))
	assert.NoError(t, err)
	assert.Contains(t, logs.String(), "UNAUTHENTICATED")

	out, err := exec.Command(serverBinary(t), "--listen", "0.0.0.0:0", "--data", t.TempDir()).CombinedOutput()
	assert.Error(t, err)
	assert.Contains(t, string(out), "not a loopback address")
	_ = context.Background
}

func TestHashToken(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"hash-token"}, strings.NewReader("test\n"), &out, &errb)
	assert.Equal(t, 0, code)
	assert.Equal(t, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n", out.String(), "SHA-256 of \"test\"")
}
