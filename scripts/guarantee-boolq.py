#!/usr/bin/env python3
"""The trusted-error guarantee on held-out data: for each input file and seed, a stratified 75/25 split (by whether
the LLM was right); `lpp train` on the 75% without a guarantee and with --max-trusted-error for each A; `lpp route`
on the 25%; the realised error rate among trusted items and the escalation ratio on the 25%, as mean and standard
deviation over the seeds, and how often the realised rate exceeded A. Usage:
  scripts/guarantee-boolq.py [--seeds 10] [--levels 0.05,0.10] FILE.jsonl ...
"""
import argparse, json, os, random, statistics, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
lpp = ["dotnet", os.path.join(here, "..", "src", "Lpp.Cli", "bin", "Release", "net10.0", "Lpp.Cli.dll")]


def correct(record):
    outcome, truth = record["output"].get("outcome"), record.get("truth")
    return outcome is not None and outcome in record["labels"] and outcome == truth


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+")
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--levels", default="0.05,0.10")
    args = parser.parse_args()
    levels = [float(a) for a in args.levels.split(",")]
    print("| file | A | realised error among trusted (mean ± sd) | escalation ratio (mean ± sd) | splits above A | infeasible |")
    print("|---|---:|---:|---:|---:|---:|")
    for path in args.files:
        records = [json.loads(line) for line in open(path) if line.strip()]
        records = [r for r in records if r.get("truth") is not None]
        rows = {None: [], **{a: [] for a in levels}}
        for seed in range(42, 42 + args.seeds):
            rng = random.Random(seed)
            test = set()
            for label in (True, False):
                group = [i for i, r in enumerate(records) if correct(r) == label]
                rng.shuffle(group)
                test.update(group[: round(0.25 * len(group))])
            with tempfile.TemporaryDirectory() as work:
                train_path, test_path = os.path.join(work, "train.jsonl"), os.path.join(work, "test.jsonl")
                with open(train_path, "w") as tr, open(test_path, "w") as te:
                    for i, r in enumerate(records):
                        (te if i in test else tr).write(json.dumps(r) + "\n")
                truth = {r["id"]: correct(r) for i, r in enumerate(records) if i in test}
                for a in rows:
                    model, decisions = os.path.join(work, "m.json"), os.path.join(work, "d.jsonl")
                    extra = [] if a is None else ["--max-trusted-error", str(a)]
                    subprocess.run(lpp + ["train", "--input", train_path, "--output", model, "--seed", str(seed)] + extra, check=True, capture_output=True)
                    subprocess.run(lpp + ["route", "--model", model, "--input", test_path, "--output", decisions], check=True, capture_output=True)
                    trusted = errors = escalated = 0
                    for line in open(decisions):
                        d = json.loads(line)
                        if d["decision"] == "trust":
                            trusted += 1
                            errors += 0 if truth[d["id"]] else 1
                        else:
                            escalated += 1
                    feasible = json.load(open(model)).get("guarantee", {}).get("feasible", True)
                    rows[a].append((errors / trusted if trusted else 0.0, escalated / (trusted + escalated), feasible))
        name = os.path.relpath(path, os.path.join(here, "..", "..", "shared", "data", "llm-confidence"))
        for a, values in rows.items():
            err = [v[0] for v in values]
            esc = [v[1] for v in values]
            above = "" if a is None else str(sum(e > a for e in err))
            infeasible = "" if a is None else str(sum(not v[2] for v in values))
            label = "cost-optimal" if a is None else f"{a:g}"
            print(f"| {name} | {label} | {statistics.mean(err):.4f} ± {statistics.stdev(err):.4f} | {statistics.mean(esc):.3f} ± {statistics.stdev(esc):.3f} | {above} | {infeasible} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
