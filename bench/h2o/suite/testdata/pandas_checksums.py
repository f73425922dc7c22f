#!/usr/bin/env python3
"""Checksums of the H2O questions on pandas, for suite's TestPandasChecksums.

Runs the groupby and join questions as ../../../../../shared/bench-anchors/
groupby_pandas.py and join_pandas.py ask them, on the files `shoal bench gen`
writes, and prints, per task and question, what Shoal's suite.ChecksumOf
computes: rows, columns (the index not counted) and the sum of each numeric
column (skipna), in column order. Usage, from the repository root:

  go run ./cmd/shoal bench gen --task groupby --size 1e6 --k 1e2 --dir DIR
  go run ./cmd/shoal bench gen --task join --size 1e6 --dir DIR
  /usr/bin/python3 bench/h2o/suite/testdata/pandas_checksums.py DIR 1e6 \
      > bench/h2o/suite/testdata/pandas_checksums_1e6.json
"""
import glob, json, os, sys, warnings
import numpy as np
import pandas as pd

# pandas 1.5 warns once per group of q9 that corr will change its default.
warnings.simplefilter("ignore", FutureWarning)
d, size = sys.argv[1], sys.argv[2]

def checksum(r):
    sums = []
    for c in r.columns:
        if pd.api.types.is_numeric_dtype(r[c].dtype) and not pd.api.types.is_bool_dtype(r[c].dtype):
            s = r[c].sum(skipna=True)
            sums.append({"column": str(c), "sum": float(s)})
    return {"rows": int(len(r)), "cols": int(r.shape[1]), "sums": sums}

x = pd.read_csv(f"{d}/G1_{size}_1e2_0_0.csv", dtype={"id1": "category", "id2": "category", "id3": "category"})
g = lambda keys: x.groupby(keys, observed=True, dropna=False)

def q6():
    r = g(["id4", "id5"]).agg({"v3": ["median", "std"]})
    r.columns = ["v3_median", "v3_std"]
    return r

groupby = {
    "q1": lambda: g("id1").agg({"v1": "sum"}),
    "q2": lambda: g(["id1", "id2"]).agg({"v1": "sum"}),
    "q3": lambda: g("id3").agg({"v1": "sum", "v3": "mean"}),
    "q4": lambda: g("id4").agg({"v1": "mean", "v2": "mean", "v3": "mean"}),
    "q5": lambda: g("id6").agg({"v1": "sum", "v2": "sum", "v3": "sum"}),
    "q6": q6,
    "q7": lambda: g("id3").agg({"v1": "max", "v2": "min"}).assign(range_v1_v2=lambda d: d["v1"] - d["v2"])[["range_v1_v2"]],
    "q8": lambda: x[["id6", "v3"]].sort_values("v3", ascending=False).groupby("id6", observed=True, dropna=False).head(2),
    "q9": lambda: x[["id2", "id4", "v1", "v2"]].groupby(["id2", "id4"], observed=True, dropna=False).apply(lambda d: pd.Series({"r2": d.corr()["v1"]["v2"] ** 2})),
    "q10": lambda: g(["id1", "id2", "id3", "id4", "id5", "id6"]).agg({"v3": "sum", "v1": "size"}),
}
out = {"pandas": pd.__version__, "numpy": np.__version__, "size": size, "groupby": {}, "join": {}}
for q, f in groupby.items():
    out["groupby"][q] = checksum(f())
del x

def table(kind):
    names = sorted(glob.glob(f"{d}/J1_{size}_*_0_0.csv"))
    # x is J1_N_NA_0_0; small, medium, big by ascending size.
    rest = sorted([p for p in names if "_NA_" not in p], key=os.path.getsize)
    path = {"x": f"{d}/J1_{size}_NA_0_0.csv", "small": rest[0], "medium": rest[1], "big": rest[2]}[kind]
    return pd.read_csv(path, dtype={"id4": "category", "id5": "category"})
x, small, medium, big = table("x"), table("small"), table("medium"), table("big")
join = {
    "q1": lambda: x.merge(small, on="id1"),
    "q2": lambda: x.merge(medium, on="id2"),
    "q3": lambda: x.merge(medium, how="left", on="id2"),
    "q4": lambda: x.merge(medium, on="id5"),
    "q5": lambda: x.merge(big, on="id3"),
}
for q, f in join.items():
    out["join"][q] = checksum(f())
json.dump(out, sys.stdout, indent=1)
print()
