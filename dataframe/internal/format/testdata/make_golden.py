#!/usr/bin/python3
"""Writes the golden outputs of package format from real pandas.

Run with /usr/bin/python3 from this directory's parent or anywhere:
    /usr/bin/python3 testdata/make_golden.py
Produced with pandas 1.5.3 (Debian bookworm python3-pandas 1.5.3+dfsg-2),
numpy as shipped with it. Every case here is rebuilt in Go in golden_test.go.

Documented differences applied here (see doc.go): an int column with nulls is
pandas' nullable Int64 but Shoal calls its dtype int64, and a bool column
with nulls is pandas' "boolean" but Shoal calls it bool.
"""
import datetime as dt
import io
import os

import numpy as np
import pandas as pd

# Pin the display options to pandas' documented defaults. A script run from a
# terminal would otherwise get display.max_columns 0, which sizes the output
# to the terminal; Shoal's Options default to max_columns 20 and width 80.
pd.set_option("display.max_rows", 60)
pd.set_option("display.min_rows", 10)
pd.set_option("display.max_columns", 20)
pd.set_option("display.max_colwidth", 50)
pd.set_option("display.width", 80)

OUT = os.path.dirname(os.path.abspath(__file__))


def put(name, text):
    with open(os.path.join(OUT, name + ".txt"), "w") as f:
        f.write(text)


def info(df):
    buf = io.StringIO()
    df.info(buf=buf)
    return buf.getvalue()


def nullable_names(s):
    return s.replace("dtype: Int64", "dtype: int64").replace("dtype: boolean", "dtype: bool")


# --- frames ---------------------------------------------------------------
put("ints", repr(pd.DataFrame({"a": [1, 2, 3], "bb": [10, -200, 3000], "long_name": [0, 0, 7]})))
put("floats_trim", repr(pd.DataFrame({"x": [1.5, 2.25, 3.0], "y": [1.0, 2.0, -3.0]})))
put("floats_nan_inf", repr(pd.DataFrame({"x": [1.0, np.nan, np.inf, -np.inf], "y": [0.5, np.nan, np.nan, 2.0]})))
put("floats_sci_small", repr(pd.DataFrame({"x": [1e-7, 1.0, 2.5], "y": [0.0, 0.000001, 12.0]})))
put("floats_sci_large", repr(pd.DataFrame({"x": [1.5e10, 2.0, 3.0], "y": [123456.5, 1.0, -2.0], "z": [1234567.0, 1.0, np.inf]})))
put("floats_precision", repr(pd.DataFrame({"x": [0.1234567891, 3.14159265, -2.0], "y": [1e6, 2.0, 0.5]})))
put("strings", repr(pd.DataFrame({"s": ["a", None, "hello world"], "t": ["x" * 60, "short", "y" * 50], "n": [1, 2, 3]})))
put("bools", repr(pd.DataFrame({"b": [True, False, True], "nb": pd.array([True, None, False], dtype="boolean")})))
put("int_nulls", repr(pd.DataFrame({"i": pd.array([1, None, -30], dtype="Int64"), "j": [1.5, 2.0, 3.0]})))
put("timestamps", repr(pd.DataFrame({
    "sec": pd.to_datetime(["2024-01-02 03:04:05", None, "2024-12-31 23:59:59"]),
    "day": pd.to_datetime(["2024-01-02", "2024-02-03", None]),
    "ms": pd.to_datetime(["2024-01-02 03:04:05.123", "2024-01-02", "2024-01-02 00:00:01"]),
})))
put("timestamps_fine", repr(pd.DataFrame({
    "us": pd.to_datetime(["2024-01-02 03:04:05.123456", "2024-01-02 03:04:05"]),
    "ns": pd.to_datetime(["2024-01-02 03:04:05.000000001", "2024-01-02 03:04:05.5"]),
})))
put("timestamps_tz", repr(pd.DataFrame({
    "utc": pd.to_datetime(["2024-01-02 03:04:05", "2024-01-02", None]).tz_localize("UTC"),
    "n": [1, 2, 3],
})))
put("dates", repr(pd.DataFrame({"d": [dt.date(2024, 1, 2), None, dt.date(1999, 12, 31)], "n": [1, 2, 3]})))
put("category", repr(pd.DataFrame({"c": pd.Categorical(["lo", None, "high", "lo"]), "n": [1, 2, 3, 4]})))
put("durations", repr(pd.DataFrame({
    "days": pd.to_timedelta([86400 * 10**9, 2 * 86400 * 10**9, None]),
    "hms": pd.to_timedelta([3723 * 10**9, 86400 * 10**9 + 1_500_000_000, -60 * 10**9]),
})))
put("trunc_rows", repr(pd.DataFrame({"a": range(100), "b": [i * 0.5 for i in range(100)]})))
put("trunc_cols", repr(pd.DataFrame({f"c{i}": [i, i * 10] for i in range(25)})))
put("trunc_both", repr(pd.DataFrame({f"c{i}": range(i, i + 70) for i in range(30)})))
put("wrap", repr(pd.DataFrame({f"column_{i}": [i * 1000.5, -1.25] for i in range(9)})))
put("wrap_trunc", repr(pd.DataFrame({f"col{i:02d}": range(i, i + 70) for i in range(24)})))
put("empty", repr(pd.DataFrame({"a": pd.Series([], dtype="int64"), "b": pd.Series([], dtype="float64")})))
put("no_columns", repr(pd.DataFrame(index=range(3))))
put("index_str", repr(pd.DataFrame({"v": [1, 22, 333], "w": ["p", "q", "r"]}, index=pd.Index(["a", "bbb", "cc"], name="key"))))
put("index_int_unnamed", repr(pd.DataFrame({"v": [1.5, 2.0, 3.0]}, index=pd.Index([10, 200, 3]))))
put("index_int_named_trunc", repr(pd.DataFrame({"v": range(80)}, index=pd.Index(range(1000, 1080), name="id"))))
mi = pd.DataFrame({"k1": ["a", "a", "b", "b"], "k2": [1, 2, 1, 30], "v": [10, 20, 30, 40], "w": [0.5, 1.0, 1.5, 2.0]}).set_index(["k1", "k2"])
put("multiindex", repr(mi))
put("multiindex_unnamed", repr(pd.DataFrame({"v": [1, 2, 3]}, index=pd.MultiIndex.from_arrays([["x", "x", "y"], ["p", "q", "p"]]))))

# --- series ---------------------------------------------------------------
put("series_int", repr(pd.Series([1, 20, 300], name="n")))
put("series_float_noname", repr(pd.Series([1.5, np.nan, 3.25])))
put("series_trunc", repr(pd.Series(range(100), name="r")))
put("series_str_index", repr(pd.Series(["x", None, "zz"], index=pd.Index(["a", "b", "c"], name="key"), name="s")))
put("series_category", repr(pd.Series(pd.Categorical(["b", "a", None, "b"]), name="c")))
put("series_int_nulls", nullable_names(repr(pd.Series(pd.array([5, None, 7], dtype="Int64"), name="i"))))
put("series_datetime", repr(pd.Series(pd.to_datetime(["2024-01-02", "2024-01-03"]), name="d")))
put("series_empty", repr(pd.Series([], dtype="float64", name="e")))

# --- info -----------------------------------------------------------------
df = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [1.0, None, 3.0, 4.0, 5.0], "c": [10, 20, 30, 40, 50]})
put("info_basic", info(df))
print("info_basic bytes", df.memory_usage(index=True).sum())
df = pd.DataFrame({"name": ["x", None, "z"], "flag": [True, False, True],
                   "t": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"]),
                   "c": pd.Categorical(["u", "v", "u"]), "f": np.array([1, 2, 3], dtype="float32"),
                   "i8": np.array([1, 2, 3], dtype="int8")})
put("info_mixed", info(df))
print("info_mixed bytes", df.memory_usage(index=True).sum())
df = pd.DataFrame({"v": range(200000)}, index=pd.Index([f"k{i}" for i in range(200000)], name="key"))
put("info_str_index", info(df))
print("info_str_index bytes", df.memory_usage(index=True).sum())
put("info_multiindex", info(mi))
print("info_multiindex bytes", mi.memory_usage(index=True).sum())
