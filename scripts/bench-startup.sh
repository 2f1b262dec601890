#!/usr/bin/env bash
# Start-to-end wall time of three commands, side by side in one run (median of N runs each):
#   before      `dotnet run --project src/Lpp.Cli` (what ./lpp did on every call until it started the built program)
#   ./lpp       the built program started directly (JIT, tiered compilation), what ./lpp and the dotnet tool run
#   ReadyToRun  the same program published with -p:PublishReadyToRun=true (precompiled code, JIT only for what R2R lacks)
# Commands: `lpp --help`, `lpp train --recipe paper` and `lpp route` on gpt-4o/boolq (3,270 records).
# Usage: scripts/bench-startup.sh [runs, default 5]. Prints the load average before and after: the machine is shared.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-5}
data=../shared/data/llm-confidence/gpt-4o/boolq.jsonl
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
./lpp --help >/dev/null                                   # builds when needed
dotnet publish src/Lpp.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$work/r2r" --nologo --verbosity quiet >/dev/null
echo "ReadyToRun publish: $(du -sh "$work/r2r" | cut -f1) (the built program's folder: $(du -sh src/Lpp.Cli/bin/Release/net10.0 | cut -f1))"
./lpp train --input "$data" --output "$work/model.json" >/dev/null

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
timed() { # prints the median wall seconds of "$@" over $runs runs
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
  done | median
}

declare -A variant=(
  [before]="dotnet run --project src/Lpp.Cli -c Release --verbosity quiet --"
  [lpp]="dotnet src/Lpp.Cli/bin/Release/net10.0/Lpp.Cli.dll"
  [r2r]="dotnet $work/r2r/Lpp.Cli.dll"
)
printf '%-34s %10s %10s %12s %14s\n' "command ($runs runs, median s)" before ./lpp ReadyToRun "before/./lpp"
for name in help train route; do
  case $name in
    help) args=(--help); label="lpp --help" ;;
    train) args=(train --recipe paper --input "$data" --output "$work/paper.json"); label="lpp train --recipe paper" ;;
    route) args=(route --model "$work/model.json" --input "$data" --output "$work/d.jsonl" --rejects "$work/r.jsonl"); label="lpp route (3,270 records)" ;;
  esac
  declare -A t=()
  for v in before lpp r2r; do
    read -r -a cmd <<< "${variant[$v]}"
    t[$v]=$(timed "${cmd[@]}" "${args[@]}")
  done
  printf '%-34s %10.3f %10.3f %12.3f %13.1fx\n' "$label" "${t[before]}" "${t[lpp]}" "${t[r2r]}" "$(awk -v a="${t[before]}" -v b="${t[lpp]}" 'BEGIN { print a / b }')"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
