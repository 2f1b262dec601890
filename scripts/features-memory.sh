#!/usr/bin/env bash
# Shows that `lpp features` streams: peak memory stays flat as the input grows.
# Runs the same command on gpt-4o/boolq.jsonl (3,270 records) and on 100 and 300 renamed copies of it
# (327,000 and 981,000 records) and prints records, seconds and peak resident memory (GNU time) side by side.
# What grows is the duplicate-id set (about 11 bytes a record) and the GC's working budget, not the records.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
src=../shared/data/llm-confidence/gpt-4o/boolq.jsonl
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dotnet build src/Lpp.Cli -c Release --verbosity quiet >/dev/null
for k in $(seq 1 100); do sed "s/\"id\": \"/\"id\": \"copy$k-/" "$src"; done > "$work/x100.jsonl"
for k in 1 2 3; do sed "s/\"id\": \"/\"id\": \"x$k-/" "$work/x100.jsonl"; done > "$work/x300.jsonl"
printf '%-10s %10s %8s %12s\n' input records seconds peak_rss_mb
for input in "$src" "$work/x100.jsonl" "$work/x300.jsonl"; do
  /usr/bin/time -f '%e %M' -o "$work/t" dotnet src/Lpp.Cli/bin/Release/net10.0/Lpp.Cli.dll features --input "$input" --output "$work/out.csv" 2>/dev/null
  read -r secs kb < "$work/t"
  printf '%-10s %10s %8s %12s\n' "$(basename "$input")" "$(wc -l < "$input")" "$secs" "$((kb / 1024))"
done
