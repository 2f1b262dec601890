#!/usr/bin/env bash
# The cost of serve flags on the batched path, side by side in one run: two `lpp serve` processes on loopback (each
# its own SQLite audit log), one plain and one with FLAGS, measured in turn with wrk (batches of 100, 8 connections),
# the order alternating round by round so both see the same machine.
#   scripts/load-serve-flags.sh [SECONDS] [ROUNDS] FLAGS...
# e.g. scripts/load-serve-flags.sh 10 3 --audit-rate 0.05 --costs costs.json --capacity review=600/h
# Prints decisions/s per round and the median ratio flags / plain (1.00 = no cost), with the load average.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"; rounds="${2:-3}"; shift 2 || true
data="../shared/data/llm-confidence/gpt-4o/boolq.jsonl"
work="$(mktemp -d /tmp/lpp-flags-XXXXXX)"
trap 'kill ${plain:-} ${flagged:-} 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
dotnet build src/Lpp.Cli -c Release -v q -nologo >/dev/null
lpp="src/Lpp.Cli/bin/Release/net10.0/Lpp.Cli.dll"
dotnet "$lpp" train --input "$data" --output "$work/model.json" >/dev/null 2>&1
head -n 1000 "$data" > "$work/records.jsonl"

start() { # PORT DB FLAGS... -> pid on stdout
  local port="$1" db="$2"; shift 2
  dotnet "$lpp" serve --model "$work/model.json" --db "$db" --urls "http://127.0.0.1:$port" --no-watch "$@" 2>>"$work/serve.log" >/dev/null &
  echo $!
}
plain=$(start 5101 "$work/plain.db")
flagged=$(start 5102 "$work/flagged.db" "$@")
for port in 5101 5102; do
  for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { echo "server on $port did not start:"; cat "$work/serve.log"; exit 1; }
done

rate() { # PORT -> decisions/s
  RECORDS="$work/records.jsonl" BATCH=100 wrk -t2 -c8 -d"${seconds}s" -s scripts/load-serve/batch.lua "http://127.0.0.1:$1" \
    | awk '/Requests\/sec/ { printf "%.0f", $2 * 100 }'
}
echo "== flags: $*"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
rate 5101 >/dev/null; rate 5102 >/dev/null # warm-up
ratios=()
for r in $(seq "$rounds"); do
  if (( r % 2 )); then a=$(rate 5101); b=$(rate 5102); else b=$(rate 5102); a=$(rate 5101); fi
  ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b / a }')
  ratios+=("$ratio")
  echo "round $r: plain $a decisions/s, with flags $b decisions/s, ratio $ratio"
done
echo "== median ratio (with flags / plain): $(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
for port in 5101 5102; do
  echo "== $port: $(curl -s "http://127.0.0.1:$port/metrics" | grep -E '^lpp_(escalation_ratio|over_capacity_total|queue_pending)' | tr '\n' ' ')"
done
