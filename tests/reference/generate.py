#!/usr/bin/python3
"""Reference values for src/measure/stats.c from statsmodels and scipy.

Writes statsmodels.tsv next to this script: one case a line, as
    id <TAB> function <TAB> inputs <TAB> expected <TAB> call
where inputs and expected are space-separated name=value pairs (values are
Python repr, so they read back exactly; nan and inf are the package's own
answers). tests/unit/test_stats.c hard-codes these numbers (to_c.py prints
them as C). Not run by `make check`.

Needs Debian's python3-statsmodels and python3-scipy:
    apt-get install -y python3-statsmodels python3-scipy
    /usr/bin/python3 tests/reference/generate.py
"""
import math
import os
import platform
import sys
import warnings

import numpy
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import (confint_proportions_2indep,
                                          proportion_confint,
                                          proportions_ztest,
                                          test_proportions_2indep)

warnings.simplefilter("ignore")  # 0/0 in edge cases is part of the record

rows = []


def fmt(v):
    return repr(float(v))


def add(case_id, function, inputs, expected, call):
    rows.append((case_id, function,
                 " ".join(f"{k}={fmt(v)}" for k, v in inputs.items()),
                 " ".join(f"{k}={fmt(v)}" for k, v in expected.items()),
                 call))


# Wilson score and Clopper-Pearson intervals for a proportion.
PROPORTIONS = [
    ("measures-10of75", 10, 75, 0.95),
    ("measures-0of20", 0, 20, 0.95),
    ("measures-50of100", 50, 100, 0.95),
    ("zero-n1", 0, 1, 0.95),
    ("all-n1", 1, 1, 0.95),
    ("tiny-1of2", 1, 2, 0.95),
    ("zero-n2", 0, 2, 0.95),
    ("all-n2", 2, 2, 0.95),
    ("all-20of20", 20, 20, 0.95),
    ("rare-3of1000", 3, 1000, 0.95),
    ("large-40123of150000", 40123, 150000, 0.95),
    ("conf998-7of40", 7, 40, 0.998),
    ("conf998-999of1000", 999, 1000, 0.998),
]
for tag, x, n, conf in PROPORTIONS:
    alpha = 1 - conf
    lo, hi = proportion_confint(x, n, alpha=alpha, method="wilson")
    add(f"wilson-{tag}", "wilson", {"x": x, "n": n, "conf": conf},
        {"low": lo, "high": hi},
        f"proportion_confint({x}, {n}, alpha={alpha:.3g}, method='wilson')")
    lo, hi = proportion_confint(x, n, alpha=alpha, method="beta")
    add(f"cp-{tag}", "clopper_pearson", {"x": x, "n": n, "conf": conf},
        {"low": lo, "high": hi},
        f"proportion_confint({x}, {n}, alpha={alpha:.3g}, method='beta')")

# Katz log interval and Wald p-value for a ratio of two proportions.
# 'katz' rows are ordinary; 'katz_edge' rows record what statsmodels does
# where parity reports "not calculable" instead (see docs/statistics.md).
KATZ = [
    ("katz", "measures", 10, 75, 12, 225, 0.95),
    ("katz", "tiny-1of1-1of2", 1, 1, 1, 2, 0.95),
    ("katz", "tiny-1of2-1of2", 1, 2, 1, 2, 0.95),
    ("katz", "all-events-group1", 75, 75, 80, 100, 0.95),
    ("katz", "all-n2-vs-1of2", 2, 2, 1, 2, 0.95),
    ("katz", "one-event-each", 1, 1000, 1, 1000, 0.95),
    ("katz", "half-vs-30pc", 50, 100, 30, 100, 0.95),
    ("katz", "large", 4000, 60000, 3000, 90000, 0.95),
    ("katz", "below-one-998", 12, 400, 60, 800, 0.998),
    ("katz_edge", "zero-events-group1", 0, 10, 5, 20, 0.95),
    ("katz_edge", "zero-events-group2", 5, 20, 0, 10, 0.95),
    ("katz_edge", "all-events-both", 10, 10, 20, 20, 0.95),
]
for function, tag, a, n1, c, n2, conf in KATZ:
    alpha = 1 - conf
    # numpy floats, so that 0/0 in the edge cases gives nan, not an exception
    f64 = [numpy.float64(v) for v in (a, n1, c, n2)]
    lo, hi = confint_proportions_2indep(*f64, method="log",
                                        compare="ratio", alpha=alpha)
    res = test_proportions_2indep(*f64, method="log",
                                  compare="ratio", return_results=True)
    z = stats.norm.isf(alpha / 2)
    ratio = (a / n1) / (c / n2) if c else float("inf") if a else float("nan")
    # The standard error as statsmodels' interval implies it; inf where its
    # variance is (a zero count).
    se = math.log(hi / lo) / (2 * z) if lo > 0 and math.isfinite(hi) \
        else float("inf")
    add(f"katz-{tag}", function,
        {"a": a, "n1": n1, "c": c, "n2": n2, "conf": conf},
        {"ratio": ratio, "se": se, "low": lo, "high": hi, "p": res.pvalue},
        f"confint_proportions_2indep({a}, {n1}, {c}, {n2}, method='log', "
        f"compare='ratio', alpha={alpha:.3g}); test_proportions_2indep(..., "
        f"method='log', compare='ratio').pvalue; se = ln(high/low)/(2z)")

# Two-proportion z-test with the pooled proportion.
ZTESTS = [
    ("basic", 30, 100, 20, 100),
    ("ceiling-drop", 12, 80, 90, 320),
    ("zero-events-one-group", 0, 10, 3, 10),
    ("all-events-one-group", 10, 10, 7, 10),
    ("tiny-1of1-0of2", 1, 1, 0, 2),
    ("tiny-1of2-1of2", 1, 2, 1, 2),
    ("large", 5000, 60000, 4700, 60000),
    ("none-at-all", 0, 10, 0, 20),
    ("all-in-both", 10, 10, 20, 20),
]
for tag, x1, n1, x2, n2 in ZTESTS:
    out = {}
    for name, alt in (("two", "two-sided"), ("greater", "larger"),
                      ("less", "smaller")):
        z, p = proportions_ztest([x1, x2], [n1, n2], alternative=alt)
        out["z"] = z
        out["p_" + name] = p
    add(f"ztest-{tag}", "ztest" if math.isfinite(out["z"]) else "ztest_edge",
        {"x1": x1, "n1": n1, "x2": x2, "n2": n2}, out,
        f"proportions_ztest([{x1}, {x2}], [{n1}, {n2}], alternative="
        "'two-sided' | 'larger' | 'smaller')")

# Bonferroni and Holm adjusted p-values.
ADJUST = [
    ("four", [0.01, 0.04, 0.03, 0.005]),
    ("ties", [0.02, 0.02, 0.5, 0.01, 0.02]),
    ("clipped", [0.3, 0.6, 0.02, 0.9, 0.04]),
    ("single", [0.001]),
    ("unsorted-ten", [0.08, 0.001, 0.3, 0.012, 0.049, 0.0004, 0.7, 0.02,
                      0.15, 0.011]),
]
for tag, ps in ADJUST:
    for method in ("bonferroni", "holm"):
        adj = multipletests(ps, alpha=0.05, method=method)[1]
        add(f"{method}-{tag}", method,
            {f"p{i}": p for i, p in enumerate(ps)},
            {f"adj{i}": v for i, v in enumerate(adj)},
            f"multipletests({ps}, method='{method}')[1]")

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "statsmodels.tsv"), "w") as f:
    f.write(f"# Generated by tests/reference/generate.py with statsmodels "
            f"{statsmodels.__version__}, scipy {scipy.__version__}, numpy "
            f"{numpy.__version__}, Python {platform.python_version()} "
            f"(Debian 12 packages).\n")
    f.write("# id\tfunction\tinputs\texpected\tcall\n")
    for row in rows:
        f.write("\t".join(row) + "\n")
print(f"{len(rows)} cases", file=sys.stderr)
