#!/usr/bin/env bash
# `lpp monitor` speed and memory: trains a model on 20,000 simulated labelled items, serves it on loopback with
# --audit-rate 0.05 and a SQLite audit log, routes N simulated items (default 1,000,000) in batches of 5,000, then
# times `lpp monitor` over the first quarter of them (--until) and over all of them, printing decisions/s and peak
# resident memory side by side (flat memory: the second is about the first), with the load average.
# Usage: scripts/bench-monitor.sh [N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n=${1:-1000000}
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl >/dev/null; }
work=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
dotnet build src/Lpp.Cli -c Release --verbosity quiet >/dev/null
lpp=(dotnet src/Lpp.Cli/bin/Release/net10.0/Lpp.Cli.dll)
"${lpp[@]}" simulate --n 20000 --seed 1 --output "$work/train.jsonl" 2>/dev/null
"${lpp[@]}" train --input "$work/train.jsonl" --output "$work/model.json" >/dev/null 2>&1
"${lpp[@]}" simulate --n "$n" --seed 2 --output "$work/items.jsonl" 2>/dev/null
split -l 5000 -d -a 4 "$work/items.jsonl" "$work/batch-"
port=$((20000 + RANDOM % 20000))
"${lpp[@]}" serve --model "$work/model.json" --db "$work/audit.db" --urls "http://127.0.0.1:$port" --audit-rate 0.05 \
  --max-body-bytes 67108864 --durability fast --no-watch 2>"$work/serve.log" &
server=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
batches=("$work"/batch-*)
quarter=$(( (${#batches[@]} + 3) / 4 ))
i=0
for b in "${batches[@]}"; do
  curl -sf -o /dev/null -H 'Content-Type: application/x-ndjson' --data-binary "@$b" "http://127.0.0.1:$port/v1/route/batch"
  i=$((i + 1))
  if [ "$i" -eq "$quarter" ]; then sleep 0.01; until_time=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ); sleep 0.01; fi
done
kill "$server"; wait "$server" 2>/dev/null || true; server=
echo "audit database: $(du -h "$work/audit.db" | cut -f1) for $n decisions"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %10s %8s %14s %12s\n' window decisions seconds decisions/s peak_rss_mb
for window in quarter all; do
  args=(monitor --db "$work/audit.db" --output "$work/report-$window")
  [ "$window" = quarter ] && args+=(--until "$until_time")
  /usr/bin/time -f '%e %M' -o "$work/time" "${lpp[@]}" "${args[@]}" 2>"$work/monitor.log" || { cat "$work/monitor.log"; exit 1; }
  read -r secs kb < "$work/time"
  decisions=$(grep -o '"decisions": [0-9]*' "$work/report-$window/monitor.json" | head -1 | grep -o '[0-9]*$')
  printf '%-10s %10s %8s %14.0f %12s\n' "$window" "$decisions" "$secs" "$(awk -v d="$decisions" -v s="$secs" 'BEGIN { print d / s }')" "$((kb / 1024))"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
