#!/usr/bin/env bash
# Regenerates the numbers block of docs/simulation.md (real-data table, simulated table, meta-model AUC) after a change
# to the simulator: runs SimulationDocsTests with LPP_SIMULATION_DOCS_BLOCK pointing at a temporary file, then replaces
# the block between the markers. Tests never write into the repository; this script is the one way to update it.
# Needs ../shared beside the checkout. Review the diff: the numbers are what the simulator gives, not an oracle.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
block="$(mktemp)"
trap 'rm -f "$block"' EXIT
LPP_SIMULATION_DOCS_BLOCK="$block" dotnet test tests/Lpp.Simulation.Tests -c Release --filter 'FullyQualifiedName~Lpp.Simulation.Tests.SimulationDocsTests' > /dev/null
[[ -s $block ]] || { echo "simulation-docs.sh: the test wrote no block" >&2; exit 1; }
python3 - "$block" docs/simulation.md <<'PY'
import sys
block, path = open(sys.argv[1]).read(), sys.argv[2]
text = open(path).read()
begin, end = text.index("<!-- numbers:"), text.index("<!-- end of numbers -->") + len("<!-- end of numbers -->")
open(path, "w").write(text[:begin] + block + text[end:])
PY
git --no-pager diff --stat docs/simulation.md
