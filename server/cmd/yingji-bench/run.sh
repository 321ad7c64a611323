#!/usr/bin/env bash
# Runs every benchmark of server/BENCHMARKS.md and prints the figures:
#   1. POST /v1/grade, yingji-server beside OPA's server (opa run --server,
#      v1.22 from bench/go.mod) answering the same grading policy
#      (bench/testdata/golden/changji-2025.rego), after checking that both
#      give the same grade for every incident of the seeded set; rounds
#      alternate the two, with --decision-sync commit and then os;
#   2. durable events/s on SQLite (group commit, one fsync per event; 100
#      incidents and 1) and, when YINGJI_TEST_POSTGRES names a server, on
#      PostgreSQL (each round on a database of its own);
#   3. start-up to ready with 10,000 stored incidents of 50 events.
#
# Usage: server/cmd/yingji-bench/run.sh            (from anywhere; several minutes)
#        CLIENTS=16 DURATION=5s ROUNDS=5 EVENT_ROUNDS=3 server/cmd/yingji-bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
CLIENTS=${CLIENTS:-16}
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-5}
EVENT_ROUNDS=${EVENT_ROUNDS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

step() { printf '\n== %s\n' "$*"; }

step "build: yingji-server, yingji-bench, opa (bench/go.mod's tool), the seeded incidents"
go build -o "$tmp/yingji-server" ./cmd/yingji-server
go build -o "$tmp/yingji-bench" ./cmd/yingji-bench
go -C ../bench build -o "$tmp/opa" github.com/open-policy-agent/opa
go -C ../bench run ./cmd/incidents -n 1000 -numbers >"$tmp/incidents.jsonl"
nproc; go version; uptime

for sync in commit os; do
  step "POST /v1/grade: yingji-server --decision-sync $sync beside opa run --server"
  "$tmp/yingji-bench" opa -opa "$tmp/opa" -server "$tmp/yingji-server" -rego ../bench/testdata/golden/changji-2025.rego \
    -incidents-file "$tmp/incidents.jsonl" -clients "$CLIENTS" -duration "$DURATION" -rounds "$ROUNDS" -decision-sync "$sync" 2>&1 |
    grep -v 'root privileges'
done

step "durable events/s, SQLite"
"$tmp/yingji-bench" events -clients 32 -incidents 100 -duration "$DURATION" -rounds "$EVENT_ROUNDS"
"$tmp/yingji-bench" events -clients 32 -incidents 100 -duration "$DURATION" -rounds "$EVENT_ROUNDS" -no-group-commit
"$tmp/yingji-bench" events -clients 8 -incidents 1 -duration "$DURATION" -rounds "$EVENT_ROUNDS"

if [ -n "${YINGJI_TEST_POSTGRES:-}" ]; then
  step "durable events/s, PostgreSQL ($YINGJI_TEST_POSTGRES)"
  "$tmp/yingji-bench" events -db "$YINGJI_TEST_POSTGRES" -clients 32 -incidents 100 -duration "$DURATION" -rounds "$EVENT_ROUNDS"
  "$tmp/yingji-bench" events -db "$YINGJI_TEST_POSTGRES" -clients 8 -incidents 1 -duration "$DURATION" -rounds "$EVENT_ROUNDS"
fi

step "start-up to ready, 10,000 incidents × 50 events (SQLite)"
"$tmp/yingji-bench" startup -incidents 10000 -events 50
