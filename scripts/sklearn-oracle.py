#!/usr/bin/env python3
"""scikit-learn oracle for `--recipe paper` (issue 11, item 4): the paper's recipe run by scikit-learn 1.2.1's
GridSearchCV and imbalanced-learn 0.10.0's TomekLinks on a small real dataset, following ../shared/reference/sk_lpp.py
(imported, not copied: its features, grid, cost and tau sweep), written with its inputs to one JSON file that
tests/Lpp.Tests/Training/PaperRecipeOracleTests.cs holds Lpp's trainer against.

Usage (from the repository root; Debian's python3-sklearn python3-imblearn, run with /usr/bin/python3):
  /usr/bin/python3 scripts/sklearn-oracle.py [--data FILE.jsonl] [--output tests/Lpp.Tests/Training/Oracles/sklearn-paper-recipe.json]

Where this follows sk_lpp.py and where it follows Lpp's documented recipe instead (each is stated in the output's
"protocol" list): sk_lpp.load() computes the 16 features and sk_lpp's outer 75/25 split, grid, class weights, cost and
tau sweep are used as they are; missing signals are NaN imputed with the fit part's median (sk_lpp fills made-up
values); imputation and standardisation are fitted once on the fit part before Tomek links (sk_lpp runs Tomek links on
the raw features and scales inside the pipeline); abstentions and invalid outputs are never dropped by resampling and
are escalated when tau is chosen (as Lpp's router does); and the random partitions (validation split, random
undersampling, the grid search's and the calibration's stratified folds) are Lpp's documented algorithms over .NET's
seeded System.Random, reproduced below, because Lpp does not reproduce numpy's random streams. Everything that is
learned or chosen (Tomek links, ridge fits, calibration, F1 scores, the grid's tie rule, tau, probabilities) is
scikit-learn's and imbalanced-learn's.
"""
import argparse
import json
import math
import os
import sys
import time
import warnings

import numpy as np
import imblearn
import sklearn
from imblearn.under_sampling import TomekLinks
from sklearn.calibration import CalibratedClassifierCV
from sklearn.impute import SimpleImputer
from sklearn.linear_model import RidgeClassifier
from sklearn.metrics import f1_score, make_scorer
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.preprocessing import StandardScaler

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
sys.path.insert(0, os.path.join(SHARED, "reference"))
import sk_lpp  # noqa: E402  (../shared/reference/sk_lpp.py)

SEED = 42
VALIDATION_FRACTION = 0.2
UNDERSAMPLE_RATIO = 0.5
# sk_lpp.load()'s 16 columns, by Lpp's feature name (FeatureSchema); 11 and 12 are sk_lpp's "missing" flags, whose
# complements are Lpp's availability indicators.
COLUMNS = ["topk_entropy", "topk_entropy_norm", "topk_effective_choices", "topk_confidence", "topk_msp", "topk_margin",
           "topk_margin_norm", "topk_ratio", "logodds_margin", "logodds_margin_norm", "verbalized_confidence",
           "has_verbalized", "has_logprobs", "abstain_evidence", "abstain_definition", "outcome_invalid"]


class NetRandom:
    """.NET's seeded System.Random (the Knuth subtractive generator behind `new Random(seed)`): Next(n) only."""

    MBIG, MSEED = 2147483647, 161803398

    def __init__(self, seed):
        a = [0] * 56
        mj = self.MSEED - (self.MBIG if seed == -2**31 else abs(seed))
        a[55], mk, ii = mj, 1, 0
        for _ in range(1, 55):
            ii = (ii + 21) % 55
            a[ii], mk, mj = mk, mj - mk + (self.MBIG if mj - mk < 0 else 0), mk
        for _ in range(4):
            for i in range(1, 56):
                a[i] -= a[1 + (i + 30) % 55]
                if a[i] < 0:
                    a[i] += self.MBIG
        self.a, self.i, self.j = a, 0, 21

    def next(self, n):
        self.i = self.i % 55 + 1
        self.j = self.j % 55 + 1
        r = self.a[self.i] - self.a[self.j]
        r = r - 1 if r == self.MBIG else r
        r = r + self.MBIG if r < 0 else r
        self.a[self.i] = r
        return int(r * (1.0 / self.MBIG) * n)


def shuffle(items, rng):
    """Lpp's StratifiedSplit.Shuffle: Fisher-Yates from the end."""
    for i in range(len(items) - 1, 0, -1):
        j = rng.next(i + 1)
        items[i], items[j] = items[j], items[i]


def shuffled_classes(y, seed):
    """Lpp's StratifiedSplit.ShuffledClasses: each class's rows (labels ascending), shuffled by one generator."""
    rng = NetRandom(seed)
    classes = []
    for label in sorted(set(int(v) for v in y)):
        rows = [i for i, v in enumerate(y) if v == label]
        shuffle(rows, rng)
        classes.append((label, rows))
    return classes


def lpp_train_test(y, fraction, seed):
    """Lpp's StratifiedSplit.TrainTest: ceil(fraction*n) test rows by largest remainder, each class's first shuffled rows."""
    n = len(y)
    test_count = math.ceil(fraction * n)
    classes = shuffled_classes(y, seed)
    take, rems = [], []
    for c, (label, rows) in enumerate(classes):
        exact = test_count * len(rows) / n
        take.append(math.floor(exact))
        rems.append((-(exact - take[c]), -len(rows), label, c))
    for _, _, _, c in sorted(rems)[:test_count - sum(take)]:
        take[c] += 1
    test = set()
    for c, (_, rows) in enumerate(classes):
        test.update(rows[:take[c]])
    return np.array([r for r in range(n) if r not in test]), np.array(sorted(test))


class LppKFold:
    """Lpp's StratifiedSplit.KFold as a scikit-learn splitter: shuffled classes dealt round-robin over k folds."""

    def __init__(self, k=3, seed=SEED):
        self.k, self.seed = k, seed

    def get_n_splits(self, X=None, y=None, groups=None):
        return self.k

    def split(self, X, y, groups=None):
        fold_of = np.zeros(len(y), int)
        nxt = 0
        for _, rows in shuffled_classes(y, self.seed):
            for r in rows:
                fold_of[r] = nxt
                nxt = (nxt + 1) % self.k
        for f in range(self.k):
            yield np.flatnonzero(fold_of != f), np.flatnonzero(fold_of == f)


def lpp_undersample(y, ratio, seed, protected):
    """Lpp's Resampling.RandomUndersample: keep floor(minority/ratio) majority rows, protected ones first."""
    neg, pos = int((y == 0).sum()), int((y == 1).sum())
    majority = 1 if pos > neg else 0
    target = int(min(neg, pos) / ratio)
    keep = np.zeros(len(y), bool)
    candidates, n_protected = [], 0
    for i in range(len(y)):
        if y[i] != majority or neg == pos or max(neg, pos) <= target:
            keep[i] = True
        elif protected[i]:
            keep[i] = True
            n_protected += 1
        else:
            candidates.append(i)
    shuffle(candidates, NetRandom(seed))
    keep[candidates[:max(0, min(target - n_protected, len(candidates)))]] = True
    return np.flatnonzero(keep)


def rows(m):
    """A matrix as JSON rows, NaN (a missing signal) as null."""
    return [[None if math.isnan(v) else v for v in r] for r in np.asarray(m, float).tolist()]


def lpp_number(v):
    """A number as C#'s invariant "G" format writes it in Lpp's configuration description (1E-06, 0.001, 0.1)."""
    s = repr(float(v))
    if "e" in s:
        mantissa, exponent = s.split("e")
        mantissa = mantissa[:-2] if mantissa.endswith(".0") else mantissa
        return f"{mantissa}E{'-' if exponent.startswith('-') else '+'}{abs(int(exponent)):02d}"
    return s[:-2] if s.endswith(".0") else s


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=os.path.join(SHARED, "data", "llm-confidence", "Meta-Llama-3.1-8B-Instruct", "sat.jsonl"))
    ap.add_argument("--output", default=os.path.join(ROOT, "tests", "Lpp.Tests", "Training", "Oracles", "sklearn-paper-recipe.json"))
    a = ap.parse_args()
    warnings.filterwarnings("ignore", category=sklearn.exceptions.UndefinedMetricWarning)

    # Features as sk_lpp.load() computes them; a signal sk_lpp marks missing is NaN here, not its made-up fill.
    X, z, _ = sk_lpp.load(a.data)
    no_verbalized, no_logprobs = X[:, 11] == 1, X[:, 12] == 1
    F = X.copy()
    F[no_logprobs, 0:10] = np.nan
    F[no_verbalized, 10] = np.nan
    F[:, 11], F[:, 12] = 1 - X[:, 11], 1 - X[:, 12]
    protected = (X[:, 13] + X[:, 14] + X[:, 15]) > 0

    # sk_lpp's outer split: 25% test, stratified, random_state 42.
    tr, te = train_test_split(np.arange(len(z)), test_size=0.25, stratify=z, random_state=SEED)
    Ftr, ztr, ptr = F[tr], z[tr], protected[tr]

    # The paper recipe on the training part (Lpp's PaperRecipe, step by step).
    fit, val = lpp_train_test(ztr, VALIDATION_FRACTION, SEED)
    imputer = SimpleImputer(strategy="median").fit(Ftr[fit])
    scaler = StandardScaler().fit(imputer.transform(Ftr[fit]))
    prep = lambda m: scaler.transform(imputer.transform(m))  # noqa: E731
    Zf, zf, pf = prep(Ftr[fit]), ztr[fit], ptr[fit]
    # Tomek links: imbalanced-learn's link rule (TomekLinks.is_tomek, majority class only) on each row's nearest other
    # row, the lowest index among exact ties. imbalanced-learn's own fit_resample takes the second neighbour its tree
    # search returns as the nearest other row, which for a row with an exact duplicate can be the row itself, so a
    # duplicated pair of different classes may or may not form a link there; its count is kept for the record.
    tomek = TomekLinks()
    tomek.fit_resample(Zf, zf)
    d = ((Zf[:, None, :] - Zf[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    links = TomekLinks.is_tomek(zf, np.argmin(d, axis=1), tomek.sampling_strategy_)
    kept = np.union1d(np.flatnonzero(~links), np.flatnonzero(pf))
    duplicates = [[int(i), int(j)] for i, j in zip(*np.nonzero(np.triu(d == 0))) if zf[i] != zf[j]]
    zk = zf[kept]
    errors, rights = int((zk == 0).sum()), int((zk == 1).sum())
    final = kept
    if min(errors, rights) < UNDERSAMPLE_RATIO * max(errors, rights):
        final = kept[lpp_undersample(zk, UNDERSAMPLE_RATIO, SEED, pf[kept])]

    q = sk_lpp.C_REV / sk_lpp.C_MIS
    multipliers = (0.5, 0.8, 1.0, 1.2, 1.5)
    cws = [{1: 1.0, 0: q * m} for m in multipliers] + ["balanced", None]
    grid = {"estimator__alpha": [0.1, 1.0, 10.0, 100.0], "estimator__solver": ["auto", "lsqr"],
            "estimator__tol": [1e-6, 1e-5, 1e-4, 1e-3], "estimator__max_iter": [1000, 2000, 3000],
            "estimator__class_weight": cws, "method": ["sigmoid", "isotonic"]}

    def search(g):
        gs = GridSearchCV(CalibratedClassifierCV(RidgeClassifier(), cv=LppKFold()), g, cv=LppKFold(),
                          scoring=make_scorer(f1_score, pos_label=0), n_jobs=1)
        return gs.fit(Zf[final], zf[final])

    # The oracle: sk_lpp's grid with the exact solver only ("auto" is Cholesky here, exact whatever tol and max_iter).
    # The full grid's "lsqr" is scipy's iterative LSQR stopped at tol: an approximate ridge whose F1 can differ from
    # the exact one's; Lpp solves every configuration exactly, so the full grid's pick is recorded apart, with the
    # distance of its LSQR coefficients from the exact ones.
    t0 = time.time()
    gs = search({**grid, "estimator__solver": ["auto"]})
    fit_seconds = time.time() - t0
    full = search(grid)

    # tau: sk_lpp.pick_tau over [0.35, 0.70] in 100 steps on the validation part; abstentions and invalid outputs score
    # NaN (never >= tau: escalated, as the router does).
    sv = gs.predict_proba(prep(Ftr[val]))[:, 1]
    routed = np.where(ptr[val], np.nan, sv)
    tau = float(sk_lpp.pick_tau(routed, ztr[val]))
    st = gs.predict_proba(prep(F[te]))[:, 1]

    def describe(p):
        cw = p["estimator__class_weight"]
        weight = "balanced" if cw == "balanced" else "none" if cw is None else \
            "{0: q*%s, 1: 1}" % lpp_number(multipliers[cws.index(cw)])
        return (f"alpha={lpp_number(p['estimator__alpha'])} class_weight={weight} max_iter={p['estimator__max_iter']} "
                f"solver={p['estimator__solver']} tol={lpp_number(p['estimator__tol'])} calibration={p['method']}")

    def lsqr_gap(p):
        """max |coef_lsqr - coef_exact| / max |coef_exact| of one ridge on the whole resampled part."""
        ridge = {k.split("__")[1]: v for k, v in p.items() if k.startswith("estimator__")}
        exact = RidgeClassifier(**{**ridge, "solver": "cholesky"}).fit(Zf[final], zf[final]).coef_
        approx = RidgeClassifier(**ridge).fit(Zf[final], zf[final]).coef_
        return float(np.max(np.abs(approx - exact)) / np.max(np.abs(exact)))

    fres = full.cv_results_
    exact_in_full = [i for i, p in enumerate(fres["params"]) if p["estimator__solver"] == "auto"]
    full_grid = {
        "configurations": int(len(fres["params"])),
        "configuration": describe(full.best_params_),
        "cv_score": float(full.best_score_),
        "best_exact_solver_cv_score_in_full_grid": float(np.max(fres["mean_test_score"][exact_in_full])),
        "lsqr_coefficients_relative_gap": lsqr_gap(full.best_params_) if full.best_params_["estimator__solver"] == "lsqr" else 0.0,
    }

    res = gs.cv_results_
    scores = res["mean_test_score"]
    best = int(gs.best_index_)
    grid_taus = np.linspace(0.35, 0.70, 100)
    # How far each decision is from flipping: a validation probability within this of a grid tau, or a test
    # probability within it of 0.5, would make the comparison depend on the last digits.
    scored_val = sv[~ptr[val]]
    out = {
        "command": "/usr/bin/python3 scripts/sklearn-oracle.py"
                   + ("" if os.path.abspath(a.data) == os.path.abspath(ap.get_default("data")) else f" --data {a.data}"),
        "generated_by": f"scikit-learn {sklearn.__version__}, imbalanced-learn {imblearn.__version__}, numpy {np.__version__}",
        "data": os.path.relpath(os.path.abspath(a.data), SHARED),
        "protocol": [
            "features: sk_lpp.load() (16 columns, named below by Lpp's feature names); a signal sk_lpp marks missing is NaN",
            "outer split: sklearn train_test_split(test_size=0.25, stratify, random_state=42), as sk_lpp.py",
            "validation split (20%), random undersampling to 0.5 and every stratified 3-fold split: Lpp's documented algorithms over .NET System.Random(42), reproduced in Python",
            "median imputation and standardisation fitted on the fit part, before resampling (sk_lpp: Tomek on raw features, scaler inside the pipeline)",
            "TomekLinks: imbalanced-learn's link rule on the standardised fit part, each row's nearest other row by exact distance (lowest index on ties); abstentions and invalid outputs added back",
            "GridSearchCV(CalibratedClassifierCV(RidgeClassifier(), cv=3 Lpp folds), sk_lpp's paper grid with solver auto (exact), F1 of class 0, refit); the full grid's pick, lsqr included, is under full_grid",
            "tau: sk_lpp.pick_tau on the validation part, abstentions and invalid outputs escalated",
        ],
        "columns": COLUMNS,
        "train": {"x": rows(Ftr), "correct": ztr.tolist(), "protected": ptr.tolist()},
        "test": {"x": rows(F[te]), "correct": z[te].tolist()},
        "expected": {
            "resampling": {"rows": int(len(fit)), "protected_rows": int(pf.sum()), "after_tomek": int(len(kept)),
                           "kept": int(len(final)), "protected_kept": int(pf[final].sum())},
            "configurations": int(len(res["params"])),
            "best_index": best,
            "configuration": describe(gs.best_params_),
            "cv_score": float(gs.best_score_),
            "configurations_at_best_score": int((scores == scores[best]).sum()),
            "tau": tau,
            "validation_rows": int(len(val)),
            "test_probabilities": st.tolist(),
        },
        "full_grid": full_grid,
        "imblearn_tomek": {"after_tomek_fit_resample": int(len(np.union1d(tomek.sample_indices_, np.flatnonzero(pf)))),
                           "duplicate_rows_of_different_classes": duplicates},
        "margins": {
            "second_best_cv_score": float(np.max(scores[scores < scores[best]])) if (scores < scores[best]).any() else None,
            "validation_probability_nearest_a_grid_tau": float(np.min(np.abs(scored_val[:, None] - grid_taus[None, :]))),
        },
    }
    os.makedirs(os.path.dirname(a.output), exist_ok=True)
    with open(a.output, "w") as f:
        json.dump(out, f, indent=None, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    summary = {k: v for k, v in out["expected"].items() if k != "test_probabilities"}
    print(json.dumps({"summary": summary, "full_grid": full_grid, "imblearn_tomek": out["imblearn_tomek"], "margins": out["margins"], "grid_fit_seconds": round(fit_seconds, 1)}, indent=1))


if __name__ == "__main__":
    main()
