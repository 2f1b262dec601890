#!/usr/bin/env bash
# The batch path's own overhead beside the synchronous client's, in one run (issue 13, "Speed"): the same 100,000
# requests against loopback servers answering at once, first synchronously (--parallel 64, no cache), then through
# the batch path (build, write and upload the batch files, create, poll, download and parse into the SQLite cache,
# write every record), then the batch path on half the items to show its memory does not grow with them.
# Prints each run's last line, the batch/sync ratio of requests per second and of CPU time, and the load average.
# Usage: scripts/bench-batch.sh [items=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
items=${1:-100000}
dotnet build -c Release bench/Lpp.Inference.Bench -v quiet -nologo >/dev/null
dll=bench/Lpp.Inference.Bench/bin/Release/net10.0/Lpp.Inference.Bench.dll
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
sync=$(dotnet "$dll" "$items" 64 | tail -1)
echo "$sync"
batch=$(dotnet "$dll" batch "$items" | tail -1)
echo "$batch"
small=$(dotnet "$dll" batch $((items / 2)) | tail -1)
echo "$small"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
rate() { sed -E 's/.* = ([0-9]+) req\/s.*/\1/' <<<"$1"; }
cpu() { sed -E 's/.*, ([0-9.]+) CPU s.*/\1/' <<<"$1"; }
peak() { sed -E 's/.*peak working set ([0-9.]+) MB.*/\1/' <<<"$1"; }
awk -v b="$(rate "$batch")" -v s="$(rate "$sync")" -v bc="$(cpu "$batch")" -v sc="$(cpu "$sync")" -v bp="$(peak "$batch")" -v sp="$(peak "$small")" -v n="$items" 'BEGIN {
  printf "batch / sync: %.2fx requests per second, %.2fx CPU time per request\n", b / s, bc / sc
  printf "batch peak working set: %s MB at %d items, %s MB at %d items\n", bp, n, sp, n / 2 }'
