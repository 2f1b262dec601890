#!/usr/bin/env bash
# `lpp route` end to end on one core (taskset -c 0): trains the paper recipe on gpt-4o/boolq.jsonl, then routes
# 100 and 300 renamed copies of it (327,000 and 981,000 records), median of 3 runs each, and prints records/s and
# peak resident memory side by side (flat memory: the second is three times the first).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
src=../shared/data/llm-confidence/gpt-4o/boolq.jsonl
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dotnet build src/Lpp.Cli -c Release --verbosity quiet >/dev/null
lpp=(dotnet src/Lpp.Cli/bin/Release/net10.0/Lpp.Cli.dll)
"${lpp[@]}" train --input "$src" --output "$work/model.json" --recipe paper >/dev/null
for k in $(seq 1 100); do sed "s/\"id\": \"/\"id\": \"copy$k-/" "$src"; done > "$work/x100.jsonl"
for k in 1 2 3; do sed "s/\"id\": \"/\"id\": \"x$k-/" "$work/x100.jsonl"; done > "$work/x300.jsonl"
printf '%-12s %10s %12s %12s\n' input records records/s peak_rss_mb
for input in "$work/x100.jsonl" "$work/x300.jsonl"; do
  rm -f "$work/times"
  for run in 1 2 3; do
    /usr/bin/time -f '%e %M' -a -o "$work/times" taskset -c 0 "${lpp[@]}" route --model "$work/model.json" --input "$input" --output "$work/out.jsonl" 2>/dev/null
  done
  read -r secs kb < <(sort -n "$work/times" | sed -n 2p)
  records=$(wc -l < "$input")
  printf '%-12s %10s %12.0f %12s\n' "$(basename "$input")" "$records" "$(awk -v r="$records" -v s="$secs" 'BEGIN { print r / s }')" "$((kb / 1024))"
done
