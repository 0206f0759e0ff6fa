#!/usr/bin/python3
"""Print statsmodels.tsv and r.tsv as the C table tests/unit/test_stats.c
includes: python3 tests/reference/to_c.py > tests/reference/stats_reference.inc
"""
import os

here = os.path.dirname(os.path.abspath(__file__))


def c_number(text):
    v = float(text)
    if v != v:
        return "NAN"
    if v in (float("inf"), float("-inf")):
        return "INFINITY" if v > 0 else "-INFINITY"
    return repr(v)


def values(field):
    return [c_number(pair.split("=", 1)[1]) for pair in field.split()]


print("/*\n * stats_reference.inc - reference values for test_stats.c, printed by"
      "\n * tests/reference/to_c.py from statsmodels.tsv and r.tsv. Do not edit;"
      "\n * regenerate.\n */")
for name in ("statsmodels.tsv", "r.tsv"):
    with open(os.path.join(here, name)) as f:
        print(f"/* {name}: {f.readline()[2:].strip()} */")
        for line in f:
            if line.startswith("#"):
                continue
            case_id, function, inputs, expected, _ = line.rstrip("\n").split("\t")
            ins, outs = values(inputs), values(expected)
            print(f'{{ "{case_id}", "{function}", {len(ins)}, {{ {", ".join(ins)} }},'
                  f' {len(outs)}, {{ {", ".join(outs)} }} }},')
