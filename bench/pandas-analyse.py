"""The pandas peer of `parity analyse`, run by bench/national with Debian's
python3-pandas: read_csv, then groupby for the same counts, means and
medians of hourly pay per employer and ethnicity, and counts per employer,
pay band and ethnicity, each written to a CSV file.

Usage: python3 pandas-analyse.py FILE.csv GROUPS.csv BANDS.csv
"""
import sys

import numpy as np
import pandas as pd


def main():
    path, groups_out, bands_out = sys.argv[1:4]
    w = pd.read_csv(path, keep_default_na=False,
                    dtype={"employer": "category", "ethnicity": "category"})
    w["hourly"] = w["annual_salary"] / (52.143 * 36)
    g = w.groupby(["employer", "ethnicity"], observed=True)["hourly"]
    out = g.agg(["count", "mean", "median"]).reset_index()
    out.columns = ["employer", "ethnicity", "n", "mean_hourly",
                   "median_hourly"]
    out.to_csv(groups_out, index=False, float_format="%.17g")
    s = w["annual_salary"]
    w["band"] = np.where(s < 20000, 0, np.where(
        s >= 100000, 9, np.floor(s / 10000).astype("int64") - 1))
    b = w.groupby(["employer", "band", "ethnicity"], observed=True).size()
    b.reset_index(name="n").to_csv(bands_out, index=False)


if __name__ == "__main__":
    main()
