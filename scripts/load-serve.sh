#!/usr/bin/env bash
# Load test of `lpp serve` on loopback with wrk (Debian's package, installed when missing), the audit log on.
#   scripts/load-serve.sh [SECONDS]        default 10 s per phase
# Phases: single-record decisions/s (64 connections), batched decisions/s (batches of 100, 8 connections),
# and latency at about 5,000 requests/s (16 connections, each pacing 2 ms between requests).
# Builds Release, trains a model on ../shared/data/llm-confidence/gpt-4o/boolq.jsonl, serves it on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
port="${PORT:-5099}"
data="../shared/data/llm-confidence/gpt-4o/boolq.jsonl"
work="$(mktemp -d /tmp/lpp-load-XXXXXX)"
trap 'kill "${server:-0}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
dotnet build src/Lpp.Cli -c Release -v q -nologo >/dev/null
lpp="src/Lpp.Cli/bin/Release/net10.0/Lpp.Cli.dll"
dotnet "$lpp" train --input "$data" --output "$work/model.json" >/dev/null 2>&1
head -n 1000 "$data" > "$work/records.jsonl"

dotnet "$lpp" serve --model "$work/model.json" --db "$work/audit.db" --urls "http://127.0.0.1:$port" --no-watch 2>"$work/serve.log" &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done

url="http://127.0.0.1:$port"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other work on the machine counts too)"
echo "== warm-up"
RECORDS="$work/records.jsonl" wrk -t2 -c32 -d3s -s scripts/load-serve/single.lua "$url" >/dev/null
echo "== single records: POST /v1/route, 64 connections, ${seconds}s"
RECORDS="$work/records.jsonl" wrk -t2 -c64 -d"${seconds}s" --latency -s scripts/load-serve/single.lua "$url"
echo "== batches of 100: POST /v1/route/batch, 8 connections, ${seconds}s (decisions/s = requests/s x 100)"
RECORDS="$work/records.jsonl" BATCH=100 wrk -t2 -c8 -d"${seconds}s" --latency -s scripts/load-serve/batch.lua "$url"
echo "== paced: 16 connections, 2 ms between requests per connection (about 5,000 requests/s), ${seconds}s"
RECORDS="$work/records.jsonl" DELAY_MS=2 wrk -t1 -c16 -d"${seconds}s" --latency -s scripts/load-serve/single.lua "$url"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== audit log"
rows=$(curl -s "$url/metrics" | grep '^lpp_audit_rows_total' | cut -d' ' -f2)
commits=$(curl -s "$url/metrics" | grep '^lpp_audit_commits_total' | cut -d' ' -f2)
echo "rows committed: $rows in $commits group commits; database $(du -h "$work/audit.db" "$work/audit.db-wal" 2>/dev/null | awk '{print $1}' | paste -sd+)"
