#!/usr/bin/env bash
# Times `lpp simulate` through the CLI onto disk for each format, without and with --cot: N items (default 1,000,000)
# into a temp file, the whole process pinned to one CPU with taskset (every thread: generation, formatting and the
# background file writes share that core). Prints items/min from the process's wall time (start-up included), the file
# size and the load average before and after each run (the machine is shared: read the numbers next to it).
# Usage: scripts/bench-simulate.sh [N] [CPU]   (CPU defaults to 0, 'all' does not pin; TMPDIR chooses the disk)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n=${1:-1000000}
cpu=${2:-0}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dotnet build src/Lpp.Cli -c Release --verbosity quiet >/dev/null
lpp=(dotnet src/Lpp.Cli/bin/Release/net10.0/Lpp.Cli.dll)
pin=()
if [[ $cpu != all ]] && command -v taskset >/dev/null; then pin=(taskset -c "$cpu"); fi

printf '%-8s %-5s %12s %10s %14s %9s  %s\n' format cot items seconds items/min GB 'load average before -> after'
for format in records openai gemini; do
  for cot in no yes; do
    flag=(); [[ $cot == yes ]] && flag=(--cot)
    before=$(cut -d' ' -f1-3 /proc/loadavg)
    start=$(date +%s.%N)
    "${pin[@]}" "${lpp[@]}" simulate --n "$n" --format "$format" "${flag[@]}" --output "$work/out.jsonl" 2>/dev/null
    end=$(date +%s.%N)
    bytes=$(stat -c %s "$work/out.jsonl")
    rm -f "$work/out.jsonl"
    after=$(cut -d' ' -f1-3 /proc/loadavg)
    awk -v f="$format" -v c="$cot" -v n="$n" -v s="$start" -v e="$end" -v b="$bytes" -v lb="$before" -v la="$after" \
      'BEGIN { t = e - s; printf "%-8s %-5s %12d %10.1f %14.0f %9.2f  %s -> %s\n", f, c, n, t, n / t * 60, b / 1e9, lb, la }'
  done
done
