# Print one London row of a service report's CSV (standard input):
# measure, group, stage, value, flag and where its interval lies.
import csv
import sys

group, measure, stage = sys.argv[1:4]
for r in csv.DictReader(sys.stdin):
    if (r["measure"], r["area_code"], r["ethnicity"], r["breakdown"]) == \
            (measure, "E12000007", group, stage):
        lo, hi = float(r["ci_low"]), float(r["ci_high"])
        side = "above" if lo > 1 else "below" if hi < 1 else "includes"
        print("%s %s %s: %.1f, %s (interval %s 1)" % (
            measure, group.split(": ")[-1], stage, float(r["value"]),
            r["flag"], side))
