#!/usr/bin/env bash
# Start-to-end wall time of lpp commands in four builds, side by side in one run (median of N runs each, the builds
# alternating within each run so the machine's load falls on all of them alike):
#   before      `dotnet run --project src/Lpp.Cli` (what ./lpp did on every call until it started the built program)
#   jit         the built program started directly (JIT, tiered compilation): what ./lpp and the .NET tool run
#   r2r         the same program published with -p:PublishReadyToRun=true (precompiled code, JIT for what R2R lacks)
#   aot         the program published with -p:PublishAot=true (Native AOT: one native executable, no JIT at all)
# Commands: `lpp --help`, `lpp train --recipe paper` and `lpp route` on gpt-4o/boolq (3,270 records): start-up; and
# `lpp route` on 100 renamed copies of it (327,000 records): steady-state throughput.
# Usage: scripts/bench-startup.sh [runs, default 5]. Prints the load average before and after: the machine is shared.
# Native AOT links with gcc here (Debian's clang is not installed; -p:CppCompilerAndLinker=gcc).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-5}
data=../shared/data/llm-confidence/gpt-4o/boolq.jsonl
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
./lpp --help >/dev/null                                   # builds when needed
publish() { dotnet publish src/Lpp.Cli -c Release -r linux-x64 --nologo --verbosity quiet -o "$work/$1" "${@:2}" >/dev/null; }
publish r2r --self-contained false -p:PublishReadyToRun=true
# The AOT analysis warnings (LLamaSharp, Parquet.Net and two JSON calls of the batch client) stay warnings here.
publish aot -p:PublishAot=true -p:TreatWarningsAsErrors=false -p:CppCompilerAndLinker=gcc
echo "sizes: jit folder $(du -sh src/Lpp.Cli/bin/Release/net10.0 | cut -f1), r2r folder $(du -sh "$work/r2r" | cut -f1), aot executable $(du -h "$work/aot/Lpp.Cli" | cut -f1)"
./lpp train --input "$data" --output "$work/model.json" >/dev/null
for k in $(seq 1 100); do sed "s/\"id\": \"/\"id\": \"copy$k-/" "$data"; done > "$work/x100.jsonl"

declare -A variant=(
  [before]="dotnet run --project src/Lpp.Cli -c Release --verbosity quiet --"
  [jit]="dotnet src/Lpp.Cli/bin/Release/net10.0/Lpp.Cli.dll"
  [r2r]="dotnet $work/r2r/Lpp.Cli.dll"
  [aot]="$work/aot/Lpp.Cli"
)
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N); awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'; }

printf '%-36s %9s %9s %9s %9s %11s %11s\n' "command ($runs runs, median s)" before jit r2r aot "jit/aot" "r2r/aot"
for name in help train route route327k; do
  case $name in
    help) args=(--help); label="lpp --help"; builds=(before jit r2r aot) ;;
    train) args=(train --recipe paper --input "$data" --output "$work/paper.json"); label="lpp train --recipe paper"; builds=(before jit r2r aot) ;;
    route) args=(route --model "$work/model.json" --input "$data" --output "$work/d.jsonl" --rejects "$work/r.jsonl"); label="lpp route (3,270 records)"; builds=(before jit r2r aot) ;;
    route327k) args=(route --model "$work/model.json" --input "$work/x100.jsonl" --output "$work/d.jsonl" --rejects "$work/r.jsonl"); label="lpp route (327,000 records)"; builds=(jit r2r aot) ;;
  esac
  declare -A times=()
  for _ in $(seq "$runs"); do
    for v in "${builds[@]}"; do
      read -r -a cmd <<< "${variant[$v]}"
      times[$v]+="$(seconds "${cmd[@]}" "${args[@]}") "
    done
  done
  declare -A t=([before]=nan)
  for v in "${builds[@]}"; do t[$v]=$(tr ' ' '\n' <<< "${times[$v]}" | sed '/^$/d' | median); done
  printf '%-36s %9.3f %9.3f %9.3f %9.3f %10.2fx %10.2fx\n' "$label" "${t[before]}" "${t[jit]}" "${t[r2r]}" "${t[aot]}" \
    "$(awk -v a="${t[jit]}" -v b="${t[aot]}" 'BEGIN { print a / b }')" "$(awk -v a="${t[r2r]}" -v b="${t[aot]}" 'BEGIN { print a / b }')"
  unset times t
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
