#!/usr/bin/env bash
# Mutation testing of the decision path with Stryker.NET (dotnet-stryker, a local tool in .config/dotnet-tools.json).
#
#   scripts/mutation.sh [--quick] [--part core|serve]
#
# --quick: routing and the cost model (src/Lpp/Routing/Router.cs, CostModel.cs) and the service's authentication and
#          scopes (ApiKeys, ApiKey and the endpoints' authorisation).
# full:    also queue and reason names, threshold search, feature extraction, resampling, calibration (Platt and
#          isotonic), the model file's verification, and the service's request validation (record, batch and review
#          bodies).
#
# --part: run one part only (core: src/Lpp; serve: the service), for a machine too busy to run both at once; the
#         score line then covers that part.
#
# Each part runs Stryker once, one test process at a time (--concurrency 1: the machine is shared; set
# MUTATION_CONCURRENCY=2 on a quiet machine to use both cores), restricted to the
# tests that exercise that part (--test-case-filter), so a mutant is judged by the fast, self-contained tests. The
# Microsoft Testing Platform runner (--test-runner mtp) is used because its per-test coverage works with xUnit v3
# (VSTest's coverage capture fails here, and every mutant then reruns every test). The
# service part runs against src/Lpp.Serving with tests/Lpp.Serving.Tests when that project exists, else against
# src/Lpp.Cli/Serve with tests/Lpp.Cli.Tests. Reports (HTML and JSON per part) go to $MUTATION_OUTPUT (default
# artifacts/mutation, ignored by git). Surviving mutants are listed per part; docs/mutation.md says which are
# equivalent and why.
#
# Progress: Stryker's Dots reporter writes one character per mutant tested to standard error (. killed, S survived,
# T timeout), since its progress bar shows nothing when standard error is not a terminal.
#
# A canary guards the result: the four mutants of Router.cs's `d <= 128 ? stackalloc double[d] : new double[d]` are
# equivalent (docs/mutation.md), so a run that reports any of them killed judged mutants by tests that fail for another
# reason (a full core run did, see docs/mutation.md); the script then says so and exits 3.
#
# Last line: "mutation score: S% (K killed, T timeout, V survived, N no coverage; decision path, quick|full)" (with
# --part: "..., quick|full, core|serve part only"), where
# S = (killed + timeout) / (killed + timeout + survived + no coverage). Mutants that do not compile are not counted.
# Exit code 0 when Stryker ran (whatever the score), 3 when the canary failed, 2 on bad arguments, Stryker's own code
# when it failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"

mode=full parts="core serve"
while (($#)); do
  case "$1" in
    --quick) mode=quick ;;
    --part)
      case "${2-}" in
        core|serve) parts=$2; shift ;;
        *) echo "mutation.sh: --part needs core or serve (got '${2-}')" >&2; exit 2 ;;
      esac ;;
    -h|--help) sed -n '2,36p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "mutation.sh: unknown argument '$1' (use --quick, --part core|serve, or nothing)" >&2; exit 2 ;;
  esac
  shift
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
out="${MUTATION_OUTPUT:-$root/artifacts/mutation}"
mkdir -p "$out"
dotnet tool restore > /dev/null

# Where the service lives: its own project once it moved out of the CLI.
if [[ -f src/Lpp.Serving/Lpp.Serving.csproj ]]; then
  serve_project=Lpp.Serving.csproj serve_tests=tests/Lpp.Serving.Tests serve_dir='**/Lpp.Serving' serve_src=src/Lpp.Serving
else
  serve_project=Lpp.Cli.csproj serve_tests=tests/Lpp.Cli.Tests serve_dir='**/Serve' serve_src=src/Lpp.Cli/Serve
fi
# The endpoints' authorisation (AcceptAsync, ReadBodyAsync, AuthorizeAsync, Bearer) as a line span of ServeEndpoints.cs,
# found by name so that it follows the code when lines move.
auth_span="$(awk '/ AcceptAsync\(HttpContext context, ApiScope scope[,)]/ { a = NR }
                  a && / Bearer\(StringValues header\)/ { b = 1 }
                  b && /^    }$/ { print "{" a ".." NR "}"; exit }' "$serve_src/ServeEndpoints.cs")"
if [[ -z $auth_span ]]; then
  echo "mutation.sh: cannot find AcceptAsync ... Bearer in $serve_src/ServeEndpoints.cs (moved? update the script)" >&2
  exit 2
fi

core_tests_quick='FullyQualifiedName~Lpp.Tests.RouterTests|FullyQualifiedName~Lpp.Tests.CostModelTests|FullyQualifiedName~Lpp.Tests.QueuesTests'
# Less the one test that trains the paper recipe on ../shared (a grid search): under Stryker's coverage capture it
# outlasts the runner's timeout, is then marked "dubious" and run against every mutant, failing each (docs/mutation.md).
core_tests_full="($core_tests_quick|FullyQualifiedName~Lpp.Tests.ThresholdSearchTests|FullyQualifiedName~Lpp.Tests.LppFeatureExtractorTests|FullyQualifiedName~Lpp.Tests.ResamplingTests|FullyQualifiedName~Lpp.Tests.CalibrationTests|FullyQualifiedName~Lpp.Tests.PlattCalibratorTests|FullyQualifiedName~Lpp.Tests.IsotonicCalibratorTests|FullyQualifiedName~Lpp.Tests.EscalationModelFileTests)&FullyQualifiedName!~Load_WrittenModel_RoundTripsWithTheSameScores"
# ShapeCheckTests and the one ServeCostsTests case that routes with --costs serve on model A, which LppServerTests trains anyway.
serve_tests_filter='FullyQualifiedName~AuthMatrixTests|FullyQualifiedName~ApiKeysTests|FullyQualifiedName~LppServerTests|FullyQualifiedName~RequestValidationTests|FullyQualifiedName~ServeEndpointsTests|FullyQualifiedName~RequestBodyTests|FullyQualifiedName~ShapeCheckTests|FullyQualifiedName~ServeCostsTests.Route_WithCosts_EachDecisionAtItsCostsThreshold_CardAndAuditLogShowThem'

core_quick=(--mutate '**/Routing/Router.cs' --mutate '**/Routing/CostModel.cs')
core_full=("${core_quick[@]}" --mutate '**/Routing/Queues.cs' --mutate '**/Routing/ThresholdSearch.cs'
  --mutate '**/Features/LppFeatureExtractor.cs' --mutate '**/Features/Distribution.cs' --mutate '**/Learning/Resampling.cs'
  --mutate '**/Learning/Calibration.cs' --mutate '**/Learning/PlattCalibrator.cs' --mutate '**/Learning/IsotonicCalibrator.cs'
  --mutate '**/Training/EscalationModelFile.cs')
serve_quick=(--mutate "$serve_dir/ApiKeys.cs" --mutate "$serve_dir/ApiKey.cs" --mutate "$serve_dir/ServeEndpoints.cs$auth_span")
serve_full=("${serve_quick[@]}" --mutate "$serve_dir/ServeEndpoints*.cs" --mutate "$serve_dir/BatchBody.cs" --mutate "$serve_dir/RequestBody.cs")
if [[ $mode == quick ]]; then
  core=("${core_quick[@]}") core_filter=$core_tests_quick serve=("${serve_quick[@]}")
else
  core=("${core_full[@]}") core_filter=$core_tests_full serve=("${serve_full[@]}")
fi

# run NAME TEST_DIR PROJECT FILTER MUTATE...
run() {
  local name=$1 dir=$2 project=$3 filter=$4
  shift 4
  local started=$SECONDS
  echo "== $name: Stryker on $project from $dir ($(uptime | sed 's/.*load average/load average/'))" >&2
  rm -rf "${out:?}/$name"
  # Stryker analyses the built projects: build first (a fresh clone has no restore and no obj/).
  dotnet build "$dir" -c Release -v quiet -nologo > /dev/null
  (cd "$dir" && dotnet stryker --project "$project" --configuration Release --concurrency "${MUTATION_CONCURRENCY:-1}" --test-runner mtp --skip-version-check \
      --reporter Json --reporter Html --reporter Progress --reporter Dots --output "$out/$name" --test-case-filter "$filter" "$@") >&2
  echo "== $name: $((SECONDS - started)) s ($(uptime | sed 's/.*load average/load average/'))" >&2
}

reports=()
if [[ $parts == *core* ]]; then
  run core tests/Lpp.Tests Lpp.csproj "$core_filter" "${core[@]}"
  reports+=("$out/core/reports/mutation-report.json")
fi
if [[ $parts == *serve* ]]; then
  run serve "$serve_tests" "$serve_project" "$serve_tests_filter" "${serve[@]}"
  reports+=("$out/serve/reports/mutation-report.json")
fi

# Score from the JSON reports (mutation-testing-elements schema): per part, the surviving mutants, then the total.
label=$mode
[[ $parts == "core serve" ]] || label="$mode, $parts part only"
python3 - "$label" "${reports[@]}" <<'PY'
import json, sys
mode, paths = sys.argv[1], sys.argv[2:]
total = {"Killed": 0, "Timeout": 0, "Survived": 0, "NoCoverage": 0}
canary = []  # mutants known to be equivalent (Router.cs's stackalloc choice) reported killed
for path in paths:
    report = json.load(open(path))
    tests = {t["id"]: t["name"] for tf in report.get("testFiles", {}).values() for t in tf["tests"]}
    counts = dict.fromkeys(total, 0)
    for name, f in sorted(report["files"].items()):
        lines = f["source"].split("\n")
        for m in f["mutants"]:
            status = m["status"]
            line = m["location"]["start"]["line"]
            if status in counts:
                counts[status] += 1
            if status in ("Survived", "NoCoverage"):
                print(f"  {status.lower()}: {name.split('/src/')[-1]}:{line} {m['mutatorName']}: {lines[line - 1].strip()[:110]}", file=sys.stderr)
            if status in ("Killed", "Timeout") and name.endswith("Routing/Router.cs") and "stackalloc double[d] : new double[d]" in lines[line - 1]:
                canary.append(f"Router.cs:{line} {m['mutatorName']} {status.lower()} by {', '.join(tests.get(t, t) for t in m.get('killedBy') or []) or 'a timeout'}")
    detected = counts["Killed"] + counts["Timeout"]
    valid = detected + counts["Survived"] + counts["NoCoverage"]
    part = path.split("/")[-3]
    print(f"{part}: {100 * detected / max(valid, 1):.1f}% ({counts['Killed']} killed, {counts['Timeout']} timeout, {counts['Survived']} survived, {counts['NoCoverage']} no coverage)")
    for k in total:
        total[k] += counts[k]
detected = total["Killed"] + total["Timeout"]
valid = detected + total["Survived"] + total["NoCoverage"]
for c in canary:
    print(f"  canary failed: {c}", file=sys.stderr)
if canary:
    print("mutation.sh: equivalent mutants were reported killed, so this run's kills are not trustworthy (see docs/mutation.md)", file=sys.stderr)
print(f"mutation score: {100 * detected / max(valid, 1):.1f}% ({total['Killed']} killed, {total['Timeout']} timeout, {total['Survived']} survived, {total['NoCoverage']} no coverage; decision path, {mode}){' (canary failed: not trustworthy)' if canary else ''}")
sys.exit(3 if canary else 0)
PY
