"""The pandas peer of `parity analyse`, run by bench/national with Debian's
python3-pandas: the same counts, means and medians of hourly pay per
employer and ethnicity, and counts per employer, pay band and ethnicity,
each written to a CSV file.

Asked as a pandas user at their best would ask it: read_csv with the C
parser, only the three columns needed (usecols), employer and ethnicity
as categories, the salary as float64 (the means must agree to 1e-9, and
salaries in general have pence that float32 cannot hold), blank labels
kept as '' (keep_default_na=False); then groupby on the categories
(observed=True) and a band column of int8. When several labels mean the
same group, MAP.json ({"label": "label it counts as", ...}, from `parity
classify`) merges their categories by their codes before grouping.

Usage: python3 pandas-analyse.py FILE.csv GROUPS.csv BANDS.csv [MAP.json]
"""
import json
import sys

import numpy as np
import pandas as pd


def merge_labels(column, mapping):
    """The categorical `column` with the categories `mapping` names
    replaced by the ones they count as, through the codes."""
    cats = list(column.cat.categories)
    targets = []
    for c in cats:
        t = mapping.get(c, c)
        if t not in targets:
            targets.append(t)
    where = {t: k for k, t in enumerate(targets)}
    recode = np.array([where[mapping.get(c, c)] for c in cats], dtype="int32")
    codes = column.cat.codes.to_numpy()
    return pd.Categorical.from_codes(recode[codes], targets)


def main():
    path, groups_out, bands_out = sys.argv[1:4]
    w = pd.read_csv(path, engine="c", keep_default_na=False,
                    usecols=["employer", "ethnicity", "annual_salary"],
                    dtype={"employer": "category", "ethnicity": "category",
                           "annual_salary": "float64"})
    if len(sys.argv) > 4:
        with open(sys.argv[4]) as f:
            w["ethnicity"] = merge_labels(w["ethnicity"], json.load(f))
    w["hourly"] = w["annual_salary"] / (52.143 * 36)
    g = w.groupby(["employer", "ethnicity"], observed=True)["hourly"]
    out = g.agg(["count", "mean", "median"]).reset_index()
    out.columns = ["employer", "ethnicity", "n", "mean_hourly",
                   "median_hourly"]
    out.to_csv(groups_out, index=False, float_format="%.17g")
    s = w["annual_salary"].to_numpy()
    w["band"] = np.where(s < 20000, 0, np.where(
        s >= 100000, 9, np.floor(s / 10000) - 1)).astype("int8")
    b = w.groupby(["employer", "band", "ethnicity"], observed=True).size()
    b.reset_index(name="n").to_csv(bands_out, index=False)


if __name__ == "__main__":
    main()
