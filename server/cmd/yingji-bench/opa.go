package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

// vsOPA measures POST /v1/grade of the real yingji-server binary side by
// side with OPA's server (`opa run --server`) answering the same grading
// policy (bench/testdata/golden/changji-2025.rego, generated from the
// compiled plan) through POST /v1/data/yingji/grading/grade. Both run as
// processes of their own on 127.0.0.1; the same keep-alive clients send
// them the same incidents. Before any timing both must answer the same
// grade — level, response, every matched criterion, the scope — for every
// incident of the set. Then rounds alternate which server goes first, and
// the report gives each round, the medians and the median of the per-round
// ratios.
func vsOPA(o opaOptions) error {
	incidents, err := readLines(o.incidents)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "yingji-bench-opa")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	yaddr, oaddr := freeAddr(), freeAddr()
	y := exec.Command(o.server, "--listen", yaddr, "--data", dir, "--log-level", "error", "--decision-sync", o.decisionSync)
	y.Stderr = os.Stderr
	if err := y.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", o.server, err)
	}
	defer func() { _ = y.Process.Kill(); _ = y.Wait() }()
	p := exec.Command(o.opa, "run", "--server", "--addr", oaddr, "--log-level", "error", o.rego)
	p.Stderr = os.Stderr
	if err := p.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", o.opa, err)
	}
	defer func() { _ = p.Process.Kill(); _ = p.Wait() }()
	c := client()
	yurl, ourl := "http://"+yaddr+"/v1/grade", "http://"+oaddr+"/v1/data/yingji/grading/grade"
	if err := waitFor(c, "http://"+yaddr+"/readyz"); err != nil {
		return err
	}
	if err := waitFor(c, "http://"+oaddr+"/health"); err != nil {
		return err
	}
	out, err := exec.Command(o.opa, "version").Output()
	if err == nil {
		fmt.Printf("OPA: %s\n", strings.SplitN(string(out), "\n", 2)[0])
	}

	// The same answer from both, for every incident.
	opaBodies := make([][]byte, len(incidents))
	for i, inc := range incidents {
		opaBodies[i] = append(append([]byte(`{"input":`), inc...), '}')
	}
	for i, inc := range incidents {
		ya, err := grade(c, yurl, inc, false)
		if err != nil {
			return fmt.Errorf("yingji, incident %d %s: %w", i+1, inc, err)
		}
		oa, err := grade(c, ourl, opaBodies[i], true)
		if err != nil {
			return fmt.Errorf("OPA, incident %d %s: %w", i+1, inc, err)
		}
		if !ya.equal(oa) {
			return fmt.Errorf("incident %d %s: yingji answers %+v, OPA %+v", i+1, inc, ya, oa)
		}
	}
	fmt.Printf("agreement: yingji and OPA give the same level, response, matched criteria and scope for all %d incidents\n", len(incidents))

	send := func(url string, bodies [][]byte) func(c *http.Client, worker, i int) error {
		return func(c *http.Client, worker, i int) error {
			return drain(c.Post(url, "application/json", bytes.NewReader(bodies[(worker*7919+i)%len(bodies)])))
		}
	}
	ysend, osend := send(yurl, incidents), send(ourl, opaBodies)
	// Warm both up (connections, caches, the JIT-free Go heaps).
	_, _ = measure(o.clients, time.Second, ysend)
	_, _ = measure(o.clients, time.Second, osend)
	var ys, os_ []result
	var ratios, p99ratios []float64
	fmt.Printf("\n%d rounds of %v each, %d keep-alive clients, %d incidents in turn; yingji-server --decision-sync %s\n", o.rounds, o.duration, o.clients, len(incidents), o.decisionSync)
	fmt.Printf("round  yingji req/s  p50      p99      |  OPA req/s  p50      p99      |  throughput ×  p99 ÷\n")
	for r := range o.rounds {
		var yr, or result
		if r%2 == 0 {
			yr, _ = measure(o.clients, o.duration, ysend)
			or, _ = measure(o.clients, o.duration, osend)
		} else {
			or, _ = measure(o.clients, o.duration, osend)
			yr, _ = measure(o.clients, o.duration, ysend)
		}
		ys, os_ = append(ys, yr), append(os_, or)
		ratio := yr.rps / or.rps
		p99r := float64(or.p99) / float64(yr.p99)
		ratios, p99ratios = append(ratios, ratio), append(p99ratios, p99r)
		fmt.Printf("%5d  %12.0f  %-7v  %-7v  |  %9.0f  %-7v  %-7v  |  %11.2f  %5.2f   (errors %d / %d)\n", r+1, yr.rps, ms(yr.p50), ms(yr.p99), or.rps, ms(or.p50), ms(or.p99), ratio, p99r, yr.errors, or.errors)
	}
	med := func(rs []result) result {
		return result{rps: median(rs, func(r result) float64 { return r.rps }), p50: time.Duration(median(rs, func(r result) float64 { return float64(r.p50) })),
			p99: time.Duration(median(rs, func(r result) float64 { return float64(r.p99) }))}
	}
	ym, om := med(ys), med(os_)
	fmt.Printf("median %11.0f  %-7v  %-7v  |  %9.0f  %-7v  %-7v  |  %11.2f  %5.2f\n", ym.rps, ms(ym.p50), ms(ym.p99), om.rps, ms(om.p50), ms(om.p99),
		median(ratios, func(x float64) float64 { return x }), median(p99ratios, func(x float64) float64 { return x }))
	fmt.Println("(throughput × is yingji's req/s over OPA's, p99 ÷ OPA's p99 over yingji's, each the median of the per-round ratios)")
	return nil
}

type opaOptions struct {
	opa, server, rego, incidents string
	clients, rounds              int
	duration                     time.Duration
	decisionSync                 string
}

// answer is what both servers must agree on.
type answer struct {
	Level, Response string
	Matched, Scope  []string
	InScope         bool
}

func (a answer) equal(b answer) bool {
	return a.Level == b.Level && a.Response == b.Response && a.InScope == b.InScope &&
		slices.Equal(a.Matched, b.Matched) && slices.Equal(a.Scope, b.Scope)
}

func grade(c *http.Client, url string, body []byte, opa bool) (answer, error) {
	resp, err := c.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return answer{}, fmt.Errorf("status %d: %s", resp.StatusCode, b)
	}
	var a answer
	if opa {
		var r struct {
			Result *struct {
				Level, Response string
				Matched, Scope  []string
				InScope         bool `json:"inScope"`
			}
		}
		if err := json.Unmarshal(b, &r); err != nil || r.Result == nil {
			return answer{}, fmt.Errorf("no result: %s", b)
		}
		a = answer{Level: r.Result.Level, Response: r.Result.Response, Matched: r.Result.Matched, Scope: r.Result.Scope, InScope: r.Result.InScope}
	} else {
		var r struct {
			Level, Response string
			InScope         bool `json:"inScope"`
			Matched, Scope  []struct{ Criterion string }
		}
		if err := json.Unmarshal(b, &r); err != nil {
			return answer{}, err
		}
		a = answer{Level: r.Level, Response: r.Response, InScope: r.InScope, Matched: []string{}, Scope: []string{}}
		for _, m := range r.Matched {
			a.Matched = append(a.Matched, m.Criterion)
		}
		for _, m := range r.Scope {
			a.Scope = append(a.Scope, m.Criterion)
		}
	}
	if a.Matched == nil {
		a.Matched = []string{}
	}
	if a.Scope == nil {
		a.Scope = []string{}
	}
	slices.Sort(a.Matched)
	slices.Sort(a.Scope)
	return a, nil
}

func readLines(path string) ([][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out [][]byte
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := bytes.TrimSpace(sc.Bytes()); len(l) > 0 {
			out = append(out, bytes.Clone(l))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no incidents", path)
	}
	return out, sc.Err()
}

func freeAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitFor(c *http.Client, url string) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := c.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not answer within a minute: %v", url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/1e6) }

func median[T any](xs []T, f func(T) float64) float64 {
	v := make([]float64, len(xs))
	for i, x := range xs {
		v[i] = f(x)
	}
	slices.Sort(v)
	if len(v) == 0 {
		return 0
	}
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}
