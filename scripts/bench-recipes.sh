#!/usr/bin/env bash
# The default recipe's training time against the paper recipe's, in one run on gpt-4o/boolq.jsonl: the whole
# `lpp train` process for each (wall and CPU seconds, median of 3 runs each, alternating), the ratio default/paper,
# and the load average before and after. The issue's goal is a ratio of at most 5.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data=${1:-../shared/data/llm-confidence/gpt-4o/boolq.jsonl}
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dotnet build src/Lpp.Cli -c Release --verbosity quiet >/dev/null
lpp=(dotnet src/Lpp.Cli/bin/Release/net10.0/Lpp.Cli.dll)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in 1 2 3; do
  for recipe in paper default; do
    /usr/bin/time -f '%e %U %S' -a -o "$work/$recipe.times" "${lpp[@]}" train --input "$data" --output "$work/$recipe.json" --recipe "$recipe" >/dev/null
  done
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
median() { awk '{print $1, $2 + $3}' "$1" | sort -n | sed -n 2p; }
read -r paper_wall paper_cpu <<<"$(median "$work/paper.times")"
read -r default_wall default_cpu <<<"$(median "$work/default.times")"
awk -v pw="$paper_wall" -v pc="$paper_cpu" -v dw="$default_wall" -v dc="$default_cpu" 'BEGIN {
  printf "%-22s%10s%14s\n", "", "wall s", "CPU s"
  printf "%-22s%10.2f%14.2f\n", "lpp train --recipe paper", pw, pc
  printf "%-22s%10.2f%14.2f\n", "lpp train (default)", dw, dc
  printf "default / paper: %.2fx wall, %.2fx CPU (goal: at most 5x)\n", dw / pw, dc / pc
}'
