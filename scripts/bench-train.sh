#!/usr/bin/env bash
# Side by side, in one run: the paper's recipe in scikit-learn (../shared/reference/sk_lpp.py --grid paper, its grid
# search fit time) against the whole `lpp train --recipe paper` process (wall time, median of 5 runs) on
# gpt-4o/boolq.jsonl, with the number of configurations each evaluated. Installs Debian's scikit-learn if needed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data=../shared/data/llm-confidence/gpt-4o/boolq.jsonl
if ! /usr/bin/python3 -c 'import sklearn, imblearn' 2>/dev/null; then
  apt-get update -qq && apt-get install -y -qq python3-sklearn python3-imblearn >/dev/null
fi
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dotnet build src/Lpp.Cli -c Release --verbosity quiet >/dev/null
lpp=(dotnet src/Lpp.Cli/bin/Release/net10.0/Lpp.Cli.dll)

echo "scikit-learn: sk_lpp.py --grid paper (grid search fit only) ..."
/usr/bin/python3 ../shared/reference/sk_lpp.py "$data" --grid paper --json "$work/sk.json" >/dev/null
sk_seconds=$(/usr/bin/python3 -c "import json; print(json.load(open('$work/sk.json'))['grid_fit_seconds'])")
sk_configs=$(/usr/bin/python3 -c "import json; print(json.load(open('$work/sk.json'))['grid_configs'])")

echo "lpp: train --recipe paper (whole process, 5 runs) ..."
for i in 1 2 3 4 5; do
  /usr/bin/time -f '%e' -a -o "$work/lpp.times" "${lpp[@]}" train --input "$data" --output "$work/model.json" --recipe paper >/dev/null
done
lpp_seconds=$(sort -n "$work/lpp.times" | sed -n 3p)
lpp_configs=$(/usr/bin/python3 -c "import json; print(json.load(open('$work/model.json'))['provenance']['configurations_evaluated'])")

/usr/bin/python3 - "$sk_seconds" "$sk_configs" "$lpp_seconds" "$lpp_configs" <<'PY'
import sys
sk, skc, lp, lpc = float(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4]
print(f"{'':28}{'seconds':>10}{'configurations':>16}")
print(f"{'scikit-learn grid fit':28}{sk:>10.2f}{skc:>16}")
print(f"{'lpp train (whole process)':28}{lp:>10.2f}{lpc:>16}")
print(f"lpp is {sk / lp:.0f}x faster")
PY
