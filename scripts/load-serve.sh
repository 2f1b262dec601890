#!/usr/bin/env bash
# Load test of `lpp serve` on loopback with wrk (Debian's package, installed when missing), the audit log on, every
# comparison side by side in one run, so the ratios hold whatever else the machine is doing:
#   scripts/load-serve.sh [SECONDS] [--rounds N] [--variant "SERVE FLAGS"]
# SECONDS per measurement (default 10); --rounds N repeats every measurement N times, alternating the order inside each
# pair, and reports medians (default 3). Five servers, each measured alone while the others idle:
#   bare      a bare Kestrel endpoint (bench/Lpp.Serve.Bare) that reads the body and writes a fixed answer (a real
#             decision of lpp serve), with lpp's Kestrel and runtime settings
#   sqlite    lpp serve, SQLite store, synchronous=FULL (the default)
#   fast      the same with --durability fast (synchronous=NORMAL)
#   postgres  lpp serve --store postgres (LPP_POSTGRES, else scripts/postgres-test-db.sh; a schema of its own, dropped after)
#   variant   with --variant: the sqlite server plus those flags (e.g. --variant "--audit-rate 0.1"), measured batched
#             right after the sqlite server, so their ratio is what the flags cost the batched path
# Measurements: single records (POST /v1/route, 64 connections), batches of 100 (POST /v1/route/batch, 8 connections;
# decisions/s = requests/s x 100), and latency at about 5,000 requests/s (16 connections, each pausing 2 ms between
# requests). Builds Release, trains a model on ../shared/data/llm-confidence/gpt-4o/boolq.jsonl, listens on 127.0.0.1.
# Prints each measurement with the load average at its end, then the ratios (medians over the rounds) and their goals.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=10
rounds=3
variant=""
while [ $# -gt 0 ]; do
  case "$1" in
    --variant) [ $# -ge 2 ] || { echo "load-serve.sh: --variant needs the serve flags as one argument" >&2; exit 2; }; variant="$2"; shift 2 ;;
    --rounds) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "load-serve.sh: --rounds needs a whole number from 1" >&2; exit 2; }; rounds="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { print substr($0, 3); next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) [[ "$1" =~ ^[1-9][0-9]*$ ]] || { echo "load-serve.sh: unknown argument '$1' (SECONDS, --rounds N, --variant \"FLAGS\"; see --help)" >&2; exit 2; }; seconds="$1"; shift ;;
  esac
done
port="${PORT:-5099}"
data="../shared/data/llm-confidence/gpt-4o/boolq.jsonl"
work="$(mktemp -d /tmp/lpp-load-XXXXXX)"
pids=()
schema="lpp_load_$$"
psql_args=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ ${#psql_args[@]} -gt 0 ]; then psql "${psql_args[@]}" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
postgres="${LPP_POSTGRES:-$(bash scripts/postgres-test-db.sh)}"
field() { tr ';' '\n' <<<"$postgres" | awk -F= -v k="$1" 'tolower($1) == tolower(k) { print substr($0, length($1) + 2) }'; }
export PGPASSWORD; PGPASSWORD="$(field Password)"
psql_args=(-h "$(field Host)" -p "$(field Port)" -U "$(field Username)" -d "$(field Database)" -qtA -v ON_ERROR_STOP=1)
psql "${psql_args[@]}" -c "CREATE SCHEMA $schema" >/dev/null
printf '%s;Search Path=%s\n' "$postgres" "$schema" > "$work/postgres-connection"

dotnet build src/Lpp.Cli -c Release -v q -nologo >/dev/null
dotnet build bench/Lpp.Serve.Bare -c Release -v q -nologo >/dev/null
lpp="src/Lpp.Cli/bin/Release/net10.0/Lpp.Cli.dll"
dotnet "$lpp" train --input "$data" --output "$work/model.json" >/dev/null 2>&1
head -n 1000 "$data" > "$work/records.jsonl"

url() { echo "http://127.0.0.1:$((port + $1))"; }
ready() {
  for _ in $(seq 300); do curl -sf "$1/readyz" >/dev/null && return 0; sleep 0.1; done
  echo "load-serve.sh: the server at $1 did not become ready (its log: $work/$2.log)" >&2; cat "$work/$2.log" >&2; exit 1
}
serve() { # NAME OFFSET FLAGS...
  local name="$1" offset="$2"; shift 2
  dotnet "$lpp" serve --model "$work/model.json" --urls "$(url "$offset")" --no-watch "$@" 2>"$work/$name.log" &
  pids+=($!)
  ready "$(url "$offset")" "$name"
}
serve sqlite 1 --db "$work/sqlite.db"
serve fast 2 --db "$work/fast.db" --durability fast
serve postgres 3 --store postgres --store-connection-file "$work/postgres-connection"
if [ -n "$variant" ]; then
  # shellcheck disable=SC2086 # the variant's flags are split as a shell would split them on a command line
  serve variant 4 --db "$work/variant.db" $variant
fi
head -n 1 "$work/records.jsonl" | curl -sf -X POST -H 'Content-Type: application/json' --data-binary @- "$(url 1)/v1/route" > "$work/answer.json"
dotnet bench/Lpp.Serve.Bare/bin/Release/net10.0/Lpp.Serve.Bare.dll "$(url 0)" "$work/answer.json" 2>"$work/bare.log" &
pids+=($!)
ready "$(url 0)" bare

declare -A offset=([bare]=0 [sqlite]=1 [fast]=2 [postgres]=3 [variant]=4)
# measure KIND NAME ROUND: one wrk run; prints it and appends "KIND NAME ROUND requests/s p99-ms non-2xx load" to results
measure() {
  local kind="$1" name="$2" round="$3" out
  case "$kind" in
    single) out="$(RECORDS="$work/records.jsonl" wrk -t2 -c64 -d"${seconds}s" --latency -s scripts/load-serve/single.lua "$(url "${offset[$name]}")" 2>&1)" ;;
    batch) out="$(RECORDS="$work/records.jsonl" BATCH=100 wrk -t2 -c8 -d"${seconds}s" --latency -s scripts/load-serve/batch.lua "$(url "${offset[$name]}")" 2>&1)" ;;
    paced) out="$(RECORDS="$work/records.jsonl" DELAY_MS=2 wrk -t1 -c16 -d"${seconds}s" --latency -s scripts/load-serve/single.lua "$(url "${offset[$name]}")" 2>&1)" ;;
  esac
  echo "$out" > "$work/wrk-$kind-$name-$round.txt"
  local rps p99 errors load
  rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
  p99="$(awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v); print v * (u == "us" ? 0.001 : u == "s" ? 1000 : u == "m" ? 60000 : 1) }' <<<"$out")"
  errors="$(awk '/Non-2xx or 3xx responses:/ { n = $5 } /Socket errors:/ { s = $0 } END { print (n == "" ? 0 : n) (s == "" ? "" : " (" s ")") }' <<<"$out")"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  echo "$kind $name $round ${rps:-0} ${p99:-0} ${errors%% *} $load" >> "$work/results"
  printf '  %-6s %-9s round %d: %9.0f requests/s, p99 %8.2f ms, non-2xx %s, load %s\n' "$kind" "$name" "$round" "${rps:-0}" "${p99:-0}" "$errors" "$load"
}
pair() { # KIND ROUND NAME... : measures the names in order, reversed on even rounds
  local kind="$1" round="$2"; shift 2
  local names=("$@")
  if [ $((round % 2)) -eq 0 ]; then
    local reversed=(); for ((i = ${#names[@]} - 1; i >= 0; i--)); do reversed+=("${names[$i]}"); done; names=("${reversed[@]}")
  fi
  for name in "${names[@]}"; do measure "$kind" "$name" "$round"; done
}

echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other work on the machine counts too)"
echo "== warm-up (3 s each)"
for name in bare sqlite fast postgres; do RECORDS="$work/records.jsonl" wrk -t2 -c32 -d3s -s scripts/load-serve/single.lua "$(url "${offset[$name]}")" >/dev/null; done
for name in sqlite postgres ${variant:+variant}; do RECORDS="$work/records.jsonl" BATCH=100 wrk -t2 -c8 -d3s -s scripts/load-serve/batch.lua "$(url "${offset[$name]}")" >/dev/null; done
: > "$work/results"
for round in $(seq "$rounds"); do
  echo "== round $round of $rounds: ${seconds}s per measurement"
  pair single "$round" bare sqlite fast
  pair batch "$round" sqlite postgres ${variant:+variant}
  pair paced "$round" sqlite postgres
done
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

median() { # KIND NAME COLUMN(4 requests/s, 5 p99 ms, 7 load)
  awk -v k="$1" -v n="$2" -v c="$3" '$1 == k && $2 == n { print $c }' "$work/results" | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
ratios() { # KIND A KIND B: each round's B / A (measured back to back), as "median (min-max)"
  join -j1 <(awk -v k="$1" -v n="$2" '$1 == k && $2 == n { print $3, $4 }' "$work/results" | sort) \
           <(awk -v k="$3" -v n="$4" '$1 == k && $2 == n { print $3, $4 }' "$work/results" | sort) |
    awk '{ print ($2 > 0 ? $3 / $2 : 0) }' | sort -g |
    awk '{ v[NR] = $1 } END { m = (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2); printf "%.2f (%.2f-%.2f)", m, v[1], v[NR] }'
}
loads="$(awk '{ print $7 }' "$work/results" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }')"
errors="$(awk '{ n += $6 } END { print n + 0 }' "$work/results")"
echo
echo "== summary of $rounds round(s), ${seconds}s each; load average $loads during the measurements; non-2xx answers $errors"
echo "   B / A is the median of each round's ratio (lowest-highest), A and B the medians of their rates"
printf '%-46s %12s %12s  %-18s %s\n' "comparison (B / A)" "A" "B" "B / A" "goal"
row() { # LABEL KIND-A NAME-A KIND-B NAME-B SCALE GOAL
  printf '%-46s %12.0f %12.0f  %-18s %s\n' "$1" "$(awk -v r="$(median "$2" "$3" 4)" -v s="$6" 'BEGIN { print r * s }')" \
    "$(awk -v r="$(median "$4" "$5" 4)" -v s="$6" 'BEGIN { print r * s }')" "$(ratios "$2" "$3" "$4" "$5")" "$7"
}
row "single decisions/s: SQLite / bare Kestrel" single bare single sqlite 1 ">= 0.6"
row "batched decisions/s: PostgreSQL / SQLite" batch sqlite batch postgres 100 ">= 0.5"
row "single decisions/s: --durability fast / FULL" single sqlite single fast 1 "(what FULL costs)"
if [ -n "$variant" ]; then
  row "batched decisions/s: variant / baseline" batch sqlite batch variant 100 ">= 0.9 (variant: $variant)"
fi
for name in sqlite postgres; do
  printf '%-48s %12.0f requests/s, p99 %.2f ms  goal < 10 ms\n' "paced (~5,000 requests/s) $name" "$(median paced "$name" 4)" "$(median paced "$name" 5)"
done
rows=$(curl -s "$(url 1)/metrics" | awk '/^lpp_audit_rows_total/ { print $2 }')
commits=$(curl -s "$(url 1)/metrics" | awk '/^lpp_audit_commits_total/ { print $2 }')
echo "sqlite server's audit log: $rows rows in $commits group commits; database $(du -ch "$work/sqlite.db"* 2>/dev/null | tail -1 | cut -f1)"
