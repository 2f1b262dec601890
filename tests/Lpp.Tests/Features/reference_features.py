#!/usr/bin/env python3
"""Independent reference for LppFeatureExtractorTests: the LPP formulas of issue 2, written from the text of the
issue with numpy, not from the C# code. Prints the expected values pasted into the tests.
Run: /usr/bin/python3 tests/Lpp.Tests/Features/reference_features.py"""
import math
import numpy as np

EPS = 1e-12


def usable(alts):
    seen = {}
    for tok, lp in alts:
        if not math.isfinite(lp) or lp <= -1000:
            continue
        seen[tok] = max(seen.get(tok, -math.inf), lp)
    return seen


def dist(p):
    p = np.array(sorted(p, reverse=True))
    n = len(p)
    h = float(-(p[p > 0] * np.log2(p[p > 0])).sum())
    hn = h / math.log2(n) if n > 1 else 0.0
    p1 = p[0]; p2 = p[1] if n > 1 else 0.0
    return [h, hn, 2 ** h, 1 - hn, p1, p1 - p2, (p1 - p2) / max(p1, EPS), p1 / max(p2, EPS)]


def norm(tok):
    return tok.strip(" \t\n\r\"'`:,{}\u2581\u0120")


def features(alts, labels, outcome, k=5):
    u = usable(alts)
    lps = sorted(u.values(), reverse=True)
    top = np.array(lps[:k]); p = np.exp(top - top.max()); p /= p.sum()
    a = dist(p)
    mass = {l: 0.0 for l in labels}
    for tok, lp in u.items():
        for l in labels:
            if norm(tok).lower() == l.lower():
                mass[l] += math.exp(lp)
    total = sum(mass.values())
    q = [mass[l] / total for l in labels]
    b = [min(total, 1.0)] + dist(q) + [mass[outcome] / total]
    l1 = max(lps[0], math.log(EPS)); l2 = max(lps[1], math.log(EPS)) if len(lps) > 1 else math.log(EPS)
    ms = sorted(mass.values(), reverse=True)
    m1 = math.log(max(ms[0], EPS)); m2 = math.log(max(ms[1], EPS))
    c = [l2 - l1, (l2 - l1) / l2 if l2 != 0 else 0.0, m2 - m1, (m2 - m1) / m2 if m2 != 0 else 0.0]
    return a, b, c


def reasoning(tokens, k=5):
    probs = np.array([math.exp(lp) for _, lp, _ in tokens])
    nll = -sum(math.log(max(x, EPS)) for x in probs)
    ppl = math.exp(nll / len(tokens))
    hs = []
    for _, _, alts in tokens:
        lp = sorted([x for _, x in alts], reverse=True)[:k]
        p = np.exp(np.array(lp) - max(lp)); p /= p.sum()
        hs.append(float(-(p[p > 0] * np.log2(p[p > 0])).sum()))
    qs = [0, 25, 50, 75, 100]
    return [nll, ppl], [float(np.mean(hs))] + [float(np.percentile(hs, q)) for q in qs] + [float(np.percentile(probs, q)) for q in qs]


def show(name, values):
    print(name, "[" + ", ".join(repr(float(v)) for v in values) + "]")


if __name__ == "__main__":
    mod = ["0", "1", "2", "3"]
    # Case 1: a confident moderation answer with a non-label alternative.
    a, b, c = features([("1", -0.0003), ("0", -8.4), ("2", -10.1), (" ", -12.5)], mod, "1")
    show("confident.A", a); show("confident.B", b); show("confident.C", c)
    # Case 2: SentencePiece marker, a brace, a -9999 floor and a duplicate of the chosen token (vLLM).
    a, b, c = features([("0", -0.25), ("\u25810", -2.1), ("1", -2.3), ("{", -5.0), ("2", -9999.0), ("0", -0.3), ("3", -3.4e38)], mod, "0")
    show("noisy.A", a); show("noisy.B", b); show("noisy.C", c)
    # Case 3: real record gpt-4o boolq/0 (labels False/True + abstentions Uncertain, Unknown, It depends).
    a, b, c = features([("False", -0.001702), ("True", -6.376702)], ["False", "True", "Uncertain", "Unknown", "It depends"], "False")
    show("boolq0.A", a); show("boolq0.B", b); show("boolq0.C", c)
    # Case 4: reasoning tokens of examples/moderation.jsonl post-006/HR.
    d, e = reasoning([("The", -0.02, [("The", -0.02), ("This", -4.1)]),
                      (" post", -0.3, [(" post", -0.3), (" text", -1.4), (" message", -3.0)]),
                      (" is", -0.001, [(" is", -0.001)]),
                      (" benign", -0.9, [(" benign", -0.9), (" harmless", -0.8), (" neutral", -2.5)])])
    show("reasoning.D", d); show("reasoning.E", e)
