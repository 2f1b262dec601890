#!/usr/bin/env python3
"""Reference for the Learning tests: scikit-learn 1.2.1 and imbalanced-learn 0.10.0 (Debian's python3-sklearn and
python3-imblearn) rerun on the inputs *as stored* in ../shared/parity/sklearn-meta-model.json.

Why: that file stores X rounded to 8 decimals, while its outputs were computed on the unrounded X (its scaler mean
differs from the mean of the stored X by ~6e-10 relative). Ridge coefficients move by ~1e-5 relative under input
changes of that size, so a 1e-8 comparison needs outputs computed from exactly the stored inputs. This script
recomputes every model output of the shared file the same way and writes them at full (repr) precision to
Expected/sklearn-on-stored-x.json, which the tests compare against at the required tolerances.
Run from the repository root: /usr/bin/python3 tests/Lpp.Tests/Learning/sklearn_reference.py"""
import json
import os

import imblearn
import numpy as np
import sklearn
from imblearn.under_sampling import TomekLinks
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV, _sigmoid_calibration
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import RidgeClassifier
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "..", "..", "shared", "parity", "sklearn-meta-model.json")
OUT = os.path.join(HERE, "Expected", "sklearn-on-stored-x.json")

assert sklearn.__version__ == "1.2.1" and imblearn.__version__ == "0.10.0", (sklearn.__version__, imblearn.__version__)
src = json.load(open(SHARED))
X = np.array(src["X"], dtype=float)
y = np.array(src["y"], dtype=int)

scaler = StandardScaler().fit(X)
Z = scaler.transform(X)


def weight(cw):
    return None if cw is None else cw if isinstance(cw, str) else {int(k): v for k, v in cw.items()}


ridge = []
for case in src["ridge_classifier_on_scaled_X"]:
    m = RidgeClassifier(alpha=case["alpha"], class_weight=weight(case["class_weight"])).fit(Z, y)
    ridge.append({"alpha": case["alpha"], "class_weight": case["class_weight"], "coef": m.coef_[0].tolist(),
                  "intercept": float(m.intercept_[0]), "decision": m.decision_function(Z).tolist()})

decision = RidgeClassifier(alpha=1.0).fit(Z, y).decision_function(Z)
a, b = _sigmoid_calibration(decision, y)
iso = IsotonicRegression(out_of_bounds="clip").fit(decision, y)
calibration = {"decision": decision.tolist(), "platt_a": float(a), "platt_b": float(b),
               "platt_proba": expit(-(a * decision + b)).tolist(), "isotonic_proba": iso.predict(decision).tolist()}

cvs = src["calibrated_classifier_cv"]
idx = np.arange(len(y))
folds = [(idx[idx % 3 != k], idx[idx % 3 == k]) for k in range(3)]
proba = {}
for method in ("sigmoid", "isotonic"):
    cal = CalibratedClassifierCV(RidgeClassifier(alpha=cvs["alpha"], class_weight=weight(cvs["class_weight"])),
                                 cv=folds, method=method, ensemble=True).fit(Z, y)
    proba[method] = cal.predict_proba(Z)[:, 1].tolist()

tomek = TomekLinks()
tomek.fit_resample(Z, y)

out = {"source": f"sklearn {sklearn.__version__}, imbalanced-learn {imblearn.__version__}, on the stored X and y of "
                 "../shared/parity/sklearn-meta-model.json (tests/Lpp.Tests/Learning/sklearn_reference.py)",
       "standard_scaler": {"mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist()},
       "ridge_classifier_on_scaled_X": ridge,
       "calibration_on_ridge_decision": calibration,
       "calibrated_classifier_cv": {"alpha": cvs["alpha"], "class_weight": cvs["class_weight"],
                                    "folds_test_index_rule": "i % 3 == k", "ensemble": True, "proba": proba},
       "tomek_links_on_scaled_X": {"kept_index": tomek.sample_indices_.tolist()}}
with open(OUT, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")

# How far the stored outputs are from these (the effect of the 8-decimal rounding of the stored X).
print("scaler mean max rel", np.max(np.abs(scaler.mean_ - src["standard_scaler"]["mean"]) / np.maximum(np.abs(scaler.mean_), 1e-300)))
for mine, theirs in zip(ridge, src["ridge_classifier_on_scaled_X"]):
    c, t = np.array(mine["coef"]), np.array(theirs["coef"])
    print("ridge", mine["alpha"], mine["class_weight"], "coef max rel", np.max(np.abs(c - t)[t != 0] / np.abs(t[t != 0])),
          "decision max abs", np.max(np.abs(np.array(mine["decision"]) - theirs["decision"])))
print("platt a, b", a - src["calibration_on_ridge_decision"]["platt_a"], b - src["calibration_on_ridge_decision"]["platt_b"])
for k in ("platt_proba", "isotonic_proba"):
    print(k, "max abs", np.max(np.abs(np.array(calibration[k]) - src["calibration_on_ridge_decision"][k])))
for k in ("sigmoid", "isotonic"):
    print("cv", k, "max abs", np.max(np.abs(np.array(proba[k]) - cvs["proba"][k])))
print("tomek equal", tomek.sample_indices_.tolist() == src["tomek_links_on_scaled_X"]["kept_index"])
