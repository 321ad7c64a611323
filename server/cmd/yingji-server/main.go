// Command yingji-server serves a plan over HTTP with a durable event store:
// grading, rosters and incidents (event-sourced workflow instances) for
// systems that are not written in Go. See server/README.md.
//
//	go -C server run ./cmd/yingji-server              # 127.0.0.1:8080, embedded plan, SQLite under ./yingji-data
//	yingji-server --db postgres://… --plan ./plans/changji-2025 --tokens tokens.json --listen :8080
//	yingji-server hash-token < token.txt               # the sha256 a token file stores
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/yingji/yingji/server/internal/api"
	"github.com/yingji/yingji/server/internal/store"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// options are the flags, each also an environment variable.
type options struct {
	listen, data, db, plan, tokens string
	maxBody                        int64
	noGroupCommit                  bool
	decisionSync                   string
	logLevel                       string
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "hash-token" {
		return hashToken(stdin, stdout, stderr)
	}
	var o options
	fs := flag.NewFlagSet("yingji-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.listen, "listen", env("YINGJI_LISTEN", "127.0.0.1:8080"), "address to listen on (YINGJI_LISTEN)")
	fs.StringVar(&o.data, "data", env("YINGJI_DATA", "yingji-data"), "folder of the embedded SQLite database (YINGJI_DATA)")
	fs.StringVar(&o.db, "db", env("YINGJI_DB", ""), "database: empty or sqlite:PATH for SQLite under --data, postgres://… for PostgreSQL (YINGJI_DB)")
	fs.StringVar(&o.plan, "plan", env("YINGJI_PLAN", "changji-2025"), "an embedded plan id, or a plan folder, watched and reloaded on change (YINGJI_PLAN)")
	fs.StringVar(&o.tokens, "tokens", env("YINGJI_TOKENS", ""), "token file: bearer tokens (SHA-256) → actors; without it only loopback is served, unauthenticated (YINGJI_TOKENS)")
	fs.Int64Var(&o.maxBody, "max-body", 1<<20, "largest request body in bytes (and NDJSON line)")
	fs.BoolVar(&o.noGroupCommit, "no-group-commit", env("YINGJI_NO_GROUP_COMMIT", "") != "", "SQLite: commit (fsync) each event alone (YINGJI_NO_GROUP_COMMIT)")
	fs.StringVar(&o.decisionSync, "decision-sync", env("YINGJI_DECISION_SYNC", "commit"), "commit: a grade's or roster's decision record is flushed to disk before the answer; os: written to the database (surviving the process) before the answer and flushed within 100 ms (YINGJI_DECISION_SYNC)")
	fs.StringVar(&o.logLevel, "log-level", env("YINGJI_LOG_LEVEL", "info"), "debug, info, warn or error (YINGJI_LOG_LEVEL)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "yingji-server: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if o.decisionSync != "commit" && o.decisionSync != "os" {
		fmt.Fprintf(stderr, "yingji-server: --decision-sync %q: give commit or os\n", o.decisionSync)
		return 2
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(o.logLevel)); err != nil {
		fmt.Fprintf(stderr, "yingji-server: --log-level: %v\n", err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if err := serve(o, log); err != nil {
		log.Error("yingji-server stopped", "err", err)
		return 1
	}
	return 0
}

func serve(o options, log *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var tokens api.Tokens
	if o.tokens != "" {
		var err error
		if tokens, err = api.LoadTokens(o.tokens); err != nil {
			return err
		}
	} else if !loopback(o.listen) {
		return fmt.Errorf("--listen %s is not a loopback address: without --tokens the server is unauthenticated and serves loopback only", o.listen)
	}
	startCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	st, err := store.Open(startCtx, o.db, o.data, store.Options{NoGroupCommit: o.noGroupCommit, DecisionsToOS: o.decisionSync == "os"})
	if err != nil {
		return err
	}
	defer st.Close()
	srv, err := api.New(startCtx, api.Config{Store: st, Plan: o.plan, Tokens: tokens, Logger: log, MaxBody: o.maxBody})
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := srv.Start(ctx, true); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	where := "store " + st.Kind()
	if st.Kind() == "sqlite" {
		where = "SQLite under " + o.data
	}
	log.Info("yingji-server listening", "addr", ln.Addr().String(), "serving", srv.String(), "db", where)
	if tokens == nil {
		log.Warn("UNAUTHENTICATED: no --tokens file, every caller may act as any actor; serving loopback only", "addr", ln.Addr().String())
	} else {
		log.Info("bearer tokens required", "tokens", len(tokens))
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, scancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer scancel()
	return hs.Shutdown(sctx)
}

// loopback reports whether addr binds only to a loopback address.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// hashToken prints the SHA-256 of each token read from stdin, one a line,
// for the token file.
func hashToken(stdin io.Reader, stdout, stderr io.Writer) int {
	sc := bufio.NewScanner(stdin)
	n := 0
	for sc.Scan() {
		t := strings.TrimSpace(sc.Text())
		if t == "" {
			continue
		}
		fmt.Fprintln(stdout, api.HashToken(t))
		n++
	}
	if n == 0 {
		fmt.Fprintln(stderr, "yingji-server hash-token: give the token on standard input, e.g. echo \"$TOKEN\" | yingji-server hash-token")
		return 2
	}
	return 0
}
