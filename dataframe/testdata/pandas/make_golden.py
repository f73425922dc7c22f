#!/usr/bin/python3
"""Golden cases for Shoal's DataFrame API, computed by real pandas.

Regenerate (deterministic: the same pandas gives byte-identical files):

    cd dataframe/testdata/pandas && /usr/bin/python3 make_golden.py

pandas comes from Debian (`apt-get install -y python3-pandas`); every file
records the version that produced it in "pandas_version". The script owns
every *.json file in this directory: it deletes the ones it did not write.

Format (read by dataframe/internal/golden):

    {"name": ..., "op": ..., "pandas_version": ..., "note": ...,
     "inputs": {"df": TABLE, "right": TABLE}, "args": {...},
     "expected": TABLE  or  "error": "substring",
     "ordered": true|false}
    TABLE = {"columns": [{"name", "dtype", "values"}...],
             "index": null | {"names": [...], "columns": [...]}}

dtypes: int64 int32 float64 float32 bool string category timestamp date.
null is a missing value. Float columns spell infinities "inf" and "-inf"
(JSON has no literal for them). Timestamps are "2024-01-02T03:04:05[.fff]"
(ns, no zone), dates "2024-01-02".

How inputs become pandas frames. Inputs are written in Shoal's types; a
column WITH nulls is built with pandas' nullable dtypes (Int64, Int32,
Float64, Float32, boolean, string), so that nulls behave as Shoal's validity
does: comparisons and arithmetic with null give null, and/or are Kleene.
Columns without nulls use numpy dtypes (int64, float64, bool) and object
strings. Category columns get their categories in first-appearance order
(Shoal's dictionary order), and the inputs keep first appearance equal to
lexical order, so "sort by category order" and "sort by value" agree.

"index" is written when pandas' result index is not the default 0..n-1
RangeIndex (a filter or sort keeps the input's row labels: they are written
so a Shoal that models the index can check them; Compare ignores them).

Each case's op and args are written in define() and computed by run_op; Series
reductions (sum, mean, ... of one column) use op "reduce" with args
{"column", "func"} and expect a one-row column "result". Cases are named
<op>_<what>.

"error" cases: pandas raised; the value is a substring Shoal's error should
contain (usually the offending column name), and the note quotes pandas'
exception.
"""

import datetime
import json
import math
import os
import sys
import warnings

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
VERSION = pd.__version__

NULLABLE = {
    "int64": "Int64",
    "int32": "Int32",
    "float64": "Float64",
    "float32": "Float32",
    "bool": "boolean",
    "string": "string",
}
NUMPY = {
    "int64": "int64",
    "int32": "int32",
    "float64": "float64",
    "float32": "float32",
    "bool": "bool",
}
NULL_NOTE = ("Columns with nulls are built as pandas nullable dtypes "
             "(Int64/Float64/boolean/string).")


# ---------------------------------------------------------------- inputs

def col(name, dtype, values):
    return {"name": name, "dtype": dtype, "values": list(values)}


def table(*cols, index=None):
    return {"columns": list(cols), "index": index}


def to_series(c, index=None):
    dtype, vals = c["dtype"], c["values"]
    has_null = any(v is None for v in vals)
    if dtype in ("int64", "int32", "float64", "float32", "bool"):
        if has_null:
            arr = pd.array(vals, dtype=NULLABLE[dtype])
        else:
            arr = np.array(vals, dtype=NUMPY[dtype])
        return pd.Series(arr, name=c["name"], index=index)
    if dtype == "string":
        if has_null:
            return pd.Series(pd.array(vals, dtype="string"), name=c["name"], index=index)
        return pd.Series(np.array(vals, dtype=object), name=c["name"], index=index, dtype=object)
    if dtype == "category":
        cats = []
        for v in vals:
            if v is not None and v not in cats:
                cats.append(v)
        # Keep the two readings of category order (dictionary order and
        # value order) from disagreeing; see the module doc.
        assert cats == sorted(cats), ("category input not in lexical order", c["name"])
        return pd.Series(pd.Categorical(vals, categories=cats), name=c["name"], index=index)
    if dtype == "timestamp":
        return pd.Series(pd.to_datetime(pd.Series(vals, dtype=object)).values, name=c["name"], index=index,
                         dtype="datetime64[ns]")
    if dtype == "date":
        return pd.Series(np.array([None if v is None else datetime.date.fromisoformat(v) for v in vals],
                                  dtype=object), name=c["name"], index=index, dtype=object)
    raise ValueError("unknown dtype " + dtype)


def to_frame(t):
    index = None
    if t.get("index"):
        levels = [to_series(c) for c in t["index"]["columns"]]
        if len(levels) == 1:
            index = pd.Index(levels[0], name=t["index"]["names"][0])
        else:
            index = pd.MultiIndex.from_arrays(levels, names=t["index"]["names"])
    data = {}
    for c in t["columns"]:
        data[c["name"]] = to_series(c, index=index)
    if not data:
        return pd.DataFrame(index=index)
    return pd.DataFrame(data, index=index, columns=[c["name"] for c in t["columns"]])


def hints_of(*tables):
    h = {}
    for t in tables:
        for c in t["columns"]:
            h.setdefault(c["name"], c["dtype"])
    return h


# ---------------------------------------------------------------- outputs

def encode_value(v, dtype):
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if dtype in ("int64", "int32"):
        return int(v)
    if dtype in ("float64", "float32"):
        f = float(v)
        if math.isinf(f):
            return "inf" if f > 0 else "-inf"
        if math.isnan(f):
            return None
        return f
    if dtype == "bool":
        return bool(v)
    if dtype in ("string", "category"):
        return str(v)
    if dtype == "timestamp":
        ts = pd.Timestamp(v)
        if pd.isna(ts):
            return None
        return ts.isoformat()
    if dtype == "date":
        if isinstance(v, (datetime.datetime, pd.Timestamp)):
            v = v.date()
        return v.isoformat()
    raise ValueError("unknown dtype " + dtype)


def dtype_of(s, hint):
    d = s.dtype
    if isinstance(d, pd.CategoricalDtype):
        return "category"
    name = str(d)
    if name in ("int64", "Int64", "int16", "Int16", "int8", "Int8", "uint8", "uint16", "uint32", "uint64",
                "UInt8", "UInt16", "UInt32", "UInt64"):
        return "int64"
    if name in ("int32", "Int32"):
        return "int32"
    if name in ("float64", "Float64"):
        return "float64"
    if name in ("float32", "Float32"):
        return "float32"
    if name in ("bool", "boolean"):
        return "bool"
    if name.startswith("datetime64"):
        return "timestamp"
    if name == "string":
        return "string"
    if name == "object":
        vals = [v for v in s.tolist() if not pd.isna(v)]
        if not vals:
            return hint or "string"
        if all(isinstance(v, str) for v in vals):
            return "string"
        if all(isinstance(v, (bool, np.bool_)) for v in vals):
            return "bool"
        if all(isinstance(v, datetime.date) and not isinstance(v, datetime.datetime) for v in vals):
            return "date"
        if all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in vals):
            return "int64"
        if all(isinstance(v, (float, int, np.floating, np.integer)) for v in vals):
            return "float64"
    raise ValueError("cannot encode dtype %s of %r" % (name, s.name))


def encode_series(s, name, hint=None):
    dt = dtype_of(s, hint)
    return {"name": name, "dtype": dt, "values": [encode_value(v, dt) for v in s.tolist()]}


def encode_index(idx, hints):
    # Default labels 0..n-1 are no information, whatever class holds them
    # (merge returns an Int64Index, not a RangeIndex).
    if idx.nlevels == 1 and idx.name is None and idx.dtype.kind in "iu" and \
            np.array_equal(idx.to_numpy(), np.arange(len(idx))):
        return None
    cols = []
    names = []
    for i in range(idx.nlevels):
        lv = idx.get_level_values(i)
        nm = idx.names[i]
        names.append(nm)
        cols.append(encode_series(pd.Series(lv), nm, hints.get(nm)))
    return {"names": names, "columns": cols}


def encode_frame(df, hints=None, keep_index=True):
    hints = hints or {}
    cols = [encode_series(df.iloc[:, i], str(df.columns[i]), hints.get(str(df.columns[i])))
            for i in range(df.shape[1])]
    return {"columns": cols, "index": encode_index(df.index, hints) if keep_index else None}


# ---------------------------------------------------------------- expressions

CAST = {"float64": "Float64", "float32": "Float32", "int64": "Int64", "int32": "Int32", "bool": "boolean",
        "string": "string"}


def ev(e, df):
    op = e[0]
    if op == "col":
        return df[e[1]]
    if op == "lit":
        return pd.NA if e[1] is None else e[1]
    if op in ("add", "sub", "mul", "div", "floordiv", "mod"):
        a, b = ev(e[1], df), ev(e[2], df)
        return {"add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b, "div": lambda: a / b,
                "floordiv": lambda: a // b, "mod": lambda: a % b}[op]()
    if op in ("eq", "ne", "lt", "le", "gt", "ge"):
        a, b = ev(e[1], df), ev(e[2], df)
        return {"eq": lambda: a == b, "ne": lambda: a != b, "lt": lambda: a < b, "le": lambda: a <= b,
                "gt": lambda: a > b, "ge": lambda: a >= b}[op]()
    if op == "and":
        return ev(e[1], df) & ev(e[2], df)
    if op == "or":
        return ev(e[1], df) | ev(e[2], df)
    if op == "not":
        return ~ev(e[1], df)
    if op == "isnull":
        return ev(e[1], df).isna()
    if op == "notnull":
        return ev(e[1], df).notna()
    if op == "fillnull":
        return ev(e[1], df).fillna(e[2][1])
    if op == "cast":
        s = ev(e[1], df)
        # A column with nulls casts to the nullable dtype, which keeps nulls
        # as nulls (Shoal's cast); one without casts with numpy, which
        # truncates floats toward zero where Int64 would refuse.
        if e[2] != "string" and not pd.api.types.is_extension_array_dtype(s.dtype):
            return s.astype(e[2])
        return s.astype(CAST[e[2]])
    if op == "isin":
        return ev(e[1], df).isin(e[2])
    raise ValueError("unknown expr " + op)


def mask_of(m):
    if str(m.dtype) == "boolean":
        return m.fillna(False).astype(bool)
    return m.astype(bool)


# ---------------------------------------------------------------- ops

def agg_one(g, spec):
    col_, func = spec[0], spec[1]
    if func == "quantile":
        return g[col_].quantile(spec[3])
    if func == "corr":
        other = spec[3]
        # Series.corr fails on nullable arrays with NA in this pandas; the
        # float64 copies have NaN where the nulls were, which corr skips.
        return g.apply(lambda d: d[col_].astype("float64").corr(d[other].astype("float64")))
    if func == "size":
        return g[col_].size()
    return getattr(g[col_], func)()


def groupby_agg(df, a):
    by = a["by"]
    g = df.groupby(by, sort=a["sort"], dropna=a["dropna"], observed=True)
    parts = {}
    for spec in a["aggs"]:
        parts[spec[2]] = agg_one(g, spec)
    first = next(iter(parts.values()))
    out = pd.DataFrame(index=first.index)
    for name, s in parts.items():
        # Every aggregate of one groupby has the same groups in one order.
        assert s.index.equals(first.index), name
        out[name] = s.array
    return out.reset_index()


def semi_anti(df, right, a, anti):
    lk = a.get("on") or a["left_on"]
    rk = a.get("on") or a["right_on"]
    keys = right[rk].drop_duplicates()
    keys.columns = lk
    # A left merge against the distinct right keys marks the rows that have a
    # match, with pandas' own key equality (null matches null in merge).
    m = df[lk].reset_index(drop=True).merge(keys, on=lk, how="left", indicator=True)
    has = (m["_merge"] == "both").to_numpy()
    keep = ~has if anti else has
    return df[keep]


def run_op(op, ins, a):
    df = ins["df"]
    if op == "select":
        return df[a["columns"]]
    if op == "drop":
        return df.drop(columns=a["columns"])
    if op == "rename":
        return df.rename(columns=a["columns"])
    if op == "with_column":
        out = df.copy()
        out[a["name"]] = ev(a["expr"], df)
        return out
    if op == "filter":
        return df[mask_of(ev(a["expr"], df))]
    if op == "sort_values":
        return df.sort_values(a["by"], ascending=a["ascending"], na_position=a["na_position"], kind="stable")
    if op == "groupby_agg":
        return groupby_agg(df, a)
    if op == "groupby_head":
        return df.groupby(a["by"], sort=False, observed=True).head(a["n"])
    if op == "merge":
        how = a["how"]
        right = ins["right"]
        if how in ("semi", "anti"):
            return semi_anti(df, right, a, how == "anti")
        kw = {"on": a["on"]} if "on" in a else {"left_on": a["left_on"], "right_on": a["right_on"]}
        return df.merge(right, how=how, suffixes=tuple(a["suffixes"]), **kw)
    if op == "concat_rows":
        return pd.concat([df, ins["right"]], ignore_index=a["ignore_index"])
    if op == "concat_columns":
        return pd.concat([df, ins["right"]], axis=1)
    if op == "drop_duplicates":
        return df.drop_duplicates(subset=a["subset"], keep=a["keep"])
    if op == "dropna":
        return df.dropna(subset=a["subset"], how=a["how"])
    if op == "fillna":
        return df.fillna(value=a["value"])
    if op == "isna":
        return df.isna()
    if op == "astype":
        return df.astype(a["dtypes"])
    if op == "value_counts":
        return df[a["column"]].value_counts(sort=a["sort"], ascending=a["ascending"], dropna=a["dropna"],
                                            normalize=a["normalize"]).reset_index()
    if op == "unique":
        u = df[a["column"]].unique()
        return pd.DataFrame({a["column"]: pd.Series(u, dtype=df[a["column"]].dtype)})
    if op == "nunique":
        return pd.DataFrame({"nunique": [df[a["column"]].nunique(dropna=a["dropna"])]})
    if op == "isin":
        return pd.DataFrame({"isin": df[a["column"]].isin(a["values"])})
    if op == "nlargest":
        return df.nlargest(a["n"], a["columns"], keep=a["keep"])
    if op == "nsmallest":
        return df.nsmallest(a["n"], a["columns"], keep=a["keep"])
    if op == "head":
        return df.head(a["n"])
    if op == "tail":
        return df.tail(a["n"])
    if op == "describe":
        return df.describe()
    if op == "set_index":
        return df.set_index(a["keys"]).reset_index()
    if op == "loc":
        return df.loc[a["labels"]]
    if op == "iloc":
        return df.iloc[a["rows"]]
    if op == "reduce":
        r = getattr(df[a["column"]], a["func"])()
        return pd.DataFrame({"result": pd.Series([r], dtype=object if r is pd.NA else None)})
    raise ValueError("unknown op " + op)


# ---------------------------------------------------------------- cases

CASES = []


def case(name, op, inputs, args, ordered=True, note="", hints=None, keep_index=True, error=None):
    CASES.append(dict(name=name, op=op, inputs=inputs, args=args, ordered=ordered, note=note, hints=hints or {},
                      keep_index=keep_index, error=error))


def build(c):
    ins = {k: to_frame(v) for k, v in c["inputs"].items()}
    hints = hints_of(*c["inputs"].values())
    hints.update(c["hints"])
    out = {"name": c["name"], "op": c["op"], "pandas_version": VERSION}
    note = c["note"]
    if any(v is None for t in c["inputs"].values() for cc in t["columns"] for v in cc["values"]):
        note = (note + " " + NULL_NOTE).strip()
    out["note"] = note
    out["inputs"] = c["inputs"]
    out["args"] = c["args"]
    try:
        res = run_op(c["op"], ins, c["args"])
    except Exception as e:  # pandas raised: Shoal must raise too
        if c["error"] is None:
            raise RuntimeError("case %s: pandas raised %s: %s" % (c["name"], type(e).__name__, e))
        out["note"] = (out["note"] + " pandas raises %s: %s" % (type(e).__name__, str(e).strip())).strip()
        out["error"] = c["error"]
        out["ordered"] = c["ordered"]
        return out
    if c["error"] is not None:
        raise RuntimeError("case %s: expected pandas to raise" % c["name"])
    out["expected"] = encode_frame(res, hints, keep_index=c["keep_index"])
    out["ordered"] = c["ordered"]
    return out


# Shared fixtures. Each fixture is a function so every case gets its own copy.

def basic():
    return table(
        col("k", "string", ["a", "b", "a", "c", "b", "a"]),
        col("g", "int64", [1, 2, 1, 3, 2, 1]),
        col("v", "int64", [10, -3, 7, 0, 5, 2]),
        col("x", "float64", [0.5, 1.25, -2.0, 3.5, 0.0, 10.0]),
        col("b", "bool", [True, False, True, True, False, False]),
    )


def basic_empty():
    t = basic()
    for c in t["columns"]:
        c["values"] = []
    return t


def nulls():
    return table(
        col("k", "string", ["a", None, "b", "a", None, "b", "c", "a"]),
        col("v", "int64", [1, 2, None, 4, 5, None, 7, 8]),
        col("x", "float64", [1.5, None, 2.5, -1.0, None, 0.0, 4.0, 2.0]),
        col("b", "bool", [True, None, False, True, None, True, False, None]),
    )


def one_row():
    return table(col("k", "string", ["a"]), col("v", "int64", [42]), col("x", "float64", [1.5]))


def typed():
    return table(
        col("c", "category", ["apple", "banana", "apple", "cherry", None, "banana"]),
        col("t", "timestamp", ["2024-01-02T03:04:05", "2024-01-01T00:00:00", None, "2024-03-10T12:00:00",
                               "2023-12-31T23:59:59.5", "2024-01-01T00:00:00"]),
        col("d", "date", ["2024-01-02", "2023-05-06", "2024-01-02", None, "2020-02-29", "2021-07-04"]),
        col("i", "int32", [3, 1, 2, 3, 1, 2]),
        col("f", "float32", [0.5, 1.5, None, 2.25, -1.0, 8.0]),
    )


def rand_frame(rows=200, seed=7):
    rng = np.random.default_rng(seed)
    k1 = rng.choice(["ant", "bee", "cat", "dog", "eel"], size=rows).tolist()
    k2 = rng.integers(0, 4, size=rows).tolist()
    v = rng.integers(-50, 100, size=rows).tolist()
    vmask = rng.random(rows) < 0.1
    x = np.round(rng.normal(0, 10, size=rows), 3).tolist()
    xmask = rng.random(rows) < 0.05
    return table(
        col("k1", "string", k1),
        col("k2", "int64", [int(z) for z in k2]),
        col("v", "int64", [None if m else int(z) for z, m in zip(v, vmask)]),
        col("x", "float64", [None if m else float(z) for z, m in zip(x, xmask)]),
    )


def rand_right(rows=60, seed=11):
    rng = np.random.default_rng(seed)
    k1 = rng.choice(["ant", "bee", "cat", "dog", "fox"], size=rows).tolist()
    k2 = rng.integers(0, 5, size=rows).tolist()
    w = rng.integers(0, 1000, size=rows).tolist()
    return table(col("k1", "string", k1), col("k2", "int64", [int(z) for z in k2]),
                 col("w", "int64", [int(z) for z in w]))


def define():
    B = basic
    # select / drop / rename
    case("select_reorder", "select", {"df": B()}, {"columns": ["v", "k"]})
    case("select_typed", "select", {"df": typed()}, {"columns": ["d", "c", "t"]})
    case("select_empty_frame", "select", {"df": basic_empty()}, {"columns": ["x", "k"]})
    case("select_missing_column", "select", {"df": B()}, {"columns": ["k", "zz"]}, error="zz")
    case("drop_one", "drop", {"df": B()}, {"columns": ["g"]})
    case("drop_many_nulls", "drop", {"df": nulls()}, {"columns": ["k", "b"]})
    case("drop_missing_column", "drop", {"df": B()}, {"columns": ["zz"]}, error="zz")
    case("rename_basic", "rename", {"df": B()}, {"columns": {"k": "key", "x": "xx"}})
    case("rename_swap", "rename", {"df": B()}, {"columns": {"v": "x", "x": "v"}},
         note="Names are swapped at once, not one after the other.")
    case("rename_unknown_ignored", "rename", {"df": one_row()}, {"columns": {"zz": "q"}},
         note="pandas ignores names that are not columns (errors='ignore' is the default).")

    # with_column
    E = lambda *a: list(a)
    C = lambda n: ["col", n]
    L = lambda v: ["lit", v]
    case("with_column_add_cols", "with_column", {"df": B()}, {"name": "c", "expr": E("add", C("v"), C("g"))})
    case("with_column_mul_float_lit", "with_column", {"df": B()},
         {"name": "c", "expr": E("mul", C("v"), L(2.5))})
    case("with_column_div_ints", "with_column", {"df": B()}, {"name": "c", "expr": E("div", C("v"), C("g"))},
         note="int / int is float64 (true division).")
    case("with_column_floordiv_mod_negative", "with_column",
         {"df": table(col("a", "int64", [7, -7, 7, -7, 0]), col("d", "int64", [2, 2, -2, -2, 3]))},
         {"name": "q", "expr": E("add", E("mul", E("floordiv", C("a"), C("d")), L(100)), E("mod", C("a"), C("d")))},
         note="Python semantics: floordiv rounds toward -inf and mod takes the divisor's sign "
              "(-7 // 2 = -4, -7 % 2 = 1); q = (a // d) * 100 + a % d.")
    case("with_column_div_by_zero", "with_column",
         {"df": table(col("a", "float64", [1.0, -1.0, 0.0, 2.0]), col("z", "float64", [0.0, 0.0, 0.0, 4.0]))},
         {"name": "c", "expr": E("div", C("a"), C("z"))},
         note="Float division by zero gives +-inf and 0/0 NaN (written null).")
    case("with_column_int_floordiv_zero", "with_column",
         {"df": table(col("a", "int64", [1, 0, -7]))},
         {"name": "c", "expr": E("floordiv", C("a"), L(0))},
         note="pandas quirk: numpy int64 // 0 is float64 inf/NaN/-inf, while nullable Int64 // 0 is 0. "
              "Shoal may choose to raise instead; skip this case then.")
    case("with_column_arith_nulls", "with_column", {"df": nulls()},
         {"name": "c", "expr": E("sub", E("mul", C("v"), L(2)), C("x"))})
    case("with_column_cmp_nulls", "with_column", {"df": nulls()}, {"name": "c", "expr": E("ge", C("v"), L(4))},
         note="Comparisons with null give null (nullable dtypes).")
    case("with_column_kleene_and_or", "with_column",
         {"df": table(col("p", "bool", [True, True, True, False, False, False, None, None, None]),
                      col("q", "bool", [True, False, None, True, False, None, True, False, None]))},
         {"name": "c", "expr": E("or", E("and", C("p"), C("q")), E("not", C("q")))},
         note="Kleene logic: null and false = false, null or true = true.")
    case("with_column_isnull_notnull", "with_column", {"df": nulls()},
         {"name": "c", "expr": E("and", E("isnull", C("v")), E("notnull", C("k")))})
    case("with_column_fillnull", "with_column", {"df": nulls()},
         {"name": "c", "expr": E("add", E("fillnull", C("v"), L(0)), L(1))})
    case("with_column_fillnull_string", "with_column", {"df": nulls()},
         {"name": "k", "expr": E("fillnull", C("k"), L("?"))}, note="Overwrites the existing column in place.")
    case("with_column_cast_int_float", "with_column", {"df": nulls()},
         {"name": "c", "expr": E("div", E("cast", C("v"), "float64"), L(4))})
    case("with_column_cast_float_int", "with_column", {"df": B()},
         {"name": "c", "expr": E("cast", C("x"), "int64")}, note="Casting float to int truncates toward zero.")
    case("with_column_cast_int_string", "with_column", {"df": nulls()},
         {"name": "c", "expr": E("cast", C("v"), "string")})
    case("with_column_isin_strings", "with_column", {"df": nulls()},
         {"name": "c", "expr": E("isin", C("k"), ["a", "c"])},
         note="isin is never null: a null key is simply not in the list.")
    case("with_column_string_eq", "with_column", {"df": B()}, {"name": "c", "expr": E("eq", C("k"), L("a"))})
    case("with_column_lit", "with_column", {"df": B()}, {"name": "c", "expr": L(7)},
         note="A literal is broadcast to every row.")
    case("with_column_add_null_lit", "with_column", {"df": nulls()}, {"name": "c", "expr": E("add", C("v"), L(None))},
         note="Adding a null literal gives an all-null int column.")
    case("with_column_empty", "with_column", {"df": basic_empty()}, {"name": "c", "expr": E("add", C("v"), L(1))})
    case("with_column_unknown_column", "with_column", {"df": B()}, {"name": "c", "expr": E("add", C("zz"), L(1))},
         error="zz")

    # filter
    case("filter_gt_lit", "filter", {"df": B()}, {"expr": E("gt", C("v"), L(2))})
    case("filter_nulls_drop", "filter", {"df": nulls()}, {"expr": E("gt", C("x"), L(1.0))},
         note="A null mask value drops the row.")
    case("filter_and_or", "filter", {"df": B()},
         {"expr": E("or", E("and", C("b"), E("lt", C("x"), L(1))), E("eq", C("k"), L("c")))})
    case("filter_not_isin", "filter", {"df": nulls()}, {"expr": E("not", E("isin", C("k"), ["a"]))})
    case("filter_isnull", "filter", {"df": nulls()}, {"expr": E("isnull", C("v"))})
    case("filter_none_match", "filter", {"df": B()}, {"expr": E("gt", C("v"), L(100))})
    case("filter_empty", "filter", {"df": basic_empty()}, {"expr": E("gt", C("v"), L(0))})
    case("filter_category_eq", "filter", {"df": typed()}, {"expr": E("eq", C("c"), L("banana"))})
    case("filter_bool_column", "filter", {"df": nulls()}, {"expr": C("b")}, note="A bool column as the mask.")

    # sort_values
    case("sort_values_single_asc", "sort_values", {"df": B()}, {"by": ["v"], "ascending": [True], "na_position": "last"})
    case("sort_values_desc_float", "sort_values", {"df": B()},
         {"by": ["x"], "ascending": [False], "na_position": "last"})
    case("sort_values_multi_mixed", "sort_values", {"df": B()},
         {"by": ["k", "v"], "ascending": [True, False], "na_position": "last"})
    case("sort_values_stable_ties", "sort_values", {"df": B()},
         {"by": ["g"], "ascending": [True], "na_position": "last"}, note="kind=stable: ties keep input order.")
    case("sort_values_nulls_last", "sort_values", {"df": nulls()},
         {"by": ["v"], "ascending": [True], "na_position": "last"})
    case("sort_values_nulls_first_desc", "sort_values", {"df": nulls()},
         {"by": ["k", "x"], "ascending": [False, True], "na_position": "first"})
    case("sort_values_category_timestamp", "sort_values", {"df": typed()},
         {"by": ["c", "t"], "ascending": [True, False], "na_position": "last"})
    case("sort_values_date", "sort_values", {"df": typed()},
         {"by": ["d"], "ascending": [True], "na_position": "first"})
    case("sort_values_empty", "sort_values", {"df": basic_empty()},
         {"by": ["v"], "ascending": [True], "na_position": "last"})

    # groupby_agg
    def ga(by, aggs, sort=True, dropna=True):
        return {"by": by, "aggs": aggs, "sort": sort, "dropna": dropna}
    case("groupby_agg_sum_mean_count", "groupby_agg", {"df": B()},
         ga(["k"], [["v", "sum", "v_sum"], ["x", "mean", "x_mean"], ["v", "count", "n"]]))
    case("groupby_agg_all_funcs", "groupby_agg", {"df": B()},
         ga(["k"], [["v", f, "v_" + f] for f in
                    ["sum", "mean", "min", "max", "count", "size", "median", "std", "var", "first", "last",
                     "nunique", "prod"]]))
    case("groupby_agg_value_nulls", "groupby_agg", {"df": nulls()},
         ga(["k"], [["v", f, "v_" + f] for f in
                    ["sum", "mean", "min", "max", "count", "size", "median", "std", "first", "last", "nunique"]]),
         note="Aggregates skip nulls; first/last are the first/last non-null value; a null key is dropped.")
    case("groupby_agg_null_keys_kept", "groupby_agg", {"df": nulls()},
         ga(["k"], [["v", "sum", "v_sum"], ["x", "max", "x_max"], ["v", "size", "n"]], dropna=False),
         note="dropna=False keeps the null key as its own group, sorted last.")
    case("groupby_agg_unsorted", "groupby_agg", {"df": B()},
         ga(["k"], [["v", "sum", "v_sum"]], sort=False), ordered=False,
         note="sort=False: pandas gives groups in first-appearance order (c after a, b); compared as a multiset.")
    case("groupby_agg_two_keys", "groupby_agg", {"df": B()},
         ga(["g", "b"], [["v", "sum", "v_sum"], ["x", "min", "x_min"]]))
    case("groupby_agg_category_key", "groupby_agg", {"df": typed()},
         ga(["c"], [["i", "sum", "i_sum"], ["f", "mean", "f_mean"], ["t", "max", "t_max"], ["d", "min", "d_min"]]),
         note="observed=True: only categories that occur. Timestamp and date min/max skip nulls.")
    case("groupby_agg_category_key_dropna_false", "groupby_agg", {"df": typed()},
         ga(["c"], [["i", "count", "n"]], dropna=False))
    case("groupby_agg_string_values", "groupby_agg", {"df": B()},
         ga(["g"], [["k", "min", "k_min"], ["k", "max", "k_max"], ["k", "first", "k_first"],
                    ["k", "last", "k_last"], ["k", "nunique", "k_nunique"]]))
    case("groupby_agg_quantile", "groupby_agg", {"df": B()},
         ga(["k"], [["x", "quantile", "x_q25", 0.25], ["v", "quantile", "v_q75", 0.75],
                    ["x", "quantile", "x_q50", 0.5]]),
         note="Quantiles interpolate linearly (pandas' default).")
    case("groupby_agg_corr", "groupby_agg", {"df": table(
        col("k", "string", ["a", "a", "a", "b", "b", "b", "b", "c"]),
        col("p", "float64", [1.0, 2.0, 3.0, 1.0, 2.0, None, 4.0, 5.0]),
        col("q", "float64", [2.0, 4.1, 5.9, 4.0, 3.0, 1.0, 1.5, 1.0]))},
        ga(["k"], [["p", "corr", "pq", "q"]]),
        note="Pearson correlation over the rows where both are non-null; a one-row group is null.")
    case("groupby_agg_single_row_groups", "groupby_agg", {"df": one_row()},
         ga(["k"], [["v", "std", "v_std"], ["v", "var", "v_var"], ["x", "sum", "x_sum"], ["v", "median", "v_med"]]),
         note="std/var of one value is null (ddof=1).")
    case("groupby_agg_all_null_values", "groupby_agg", {"df": table(
        col("k", "string", ["a", "b", "a"]), col("v", "float64", [None, None, None]))},
        ga(["k"], [["v", "sum", "v_sum"], ["v", "mean", "v_mean"], ["v", "count", "n"], ["v", "max", "v_max"],
                   ["v", "prod", "v_prod"]]),
        note="sum of no values is 0 and prod 1 (min_count=0); mean and max are null.")
    case("groupby_agg_empty", "groupby_agg", {"df": basic_empty()},
         ga(["k"], [["v", "sum", "v_sum"], ["v", "count", "n"]]))
    case("groupby_agg_int_key_nulls", "groupby_agg", {"df": table(
        col("g", "int64", [1, None, 2, 1, None]), col("v", "int64", [1, 2, 3, 4, 5]))},
        ga(["g"], [["v", "sum", "v_sum"]], dropna=False))
    case("groupby_agg_random_sum_mean", "groupby_agg", {"df": rand_frame()},
         ga(["k1", "k2"], [["v", "sum", "v_sum"], ["v", "mean", "v_mean"], ["x", "std", "x_std"],
                           ["v", "count", "v_count"], ["x", "size", "n"]]),
         note="200 rows from numpy default_rng(7).")
    case("groupby_agg_random_median_quantile", "groupby_agg", {"df": rand_frame()},
         ga(["k1"], [["x", "median", "x_median"], ["x", "quantile", "x_q10", 0.1], ["v", "var", "v_var"],
                     ["v", "nunique", "v_nunique"], ["x", "min", "x_min"], ["x", "max", "x_max"]]),
         note="200 rows from numpy default_rng(7).")
    case("groupby_agg_random_unsorted", "groupby_agg", {"df": rand_frame()},
         ga(["k2"], [["v", "sum", "v_sum"], ["x", "first", "x_first"], ["x", "last", "x_last"]], sort=False),
         ordered=False, note="200 rows from numpy default_rng(7).")

    # groupby_head
    case("groupby_head_two", "groupby_head", {"df": B()}, {"by": ["k"], "n": 2},
         note="Rows keep their input order and input row labels (the index).")
    case("groupby_head_null_keys", "groupby_head", {"df": nulls()}, {"by": ["k"], "n": 1},
         note="Rows whose key is null are dropped (dropna=True).")
    case("groupby_head_two_keys", "groupby_head", {"df": B()}, {"by": ["g", "b"], "n": 1})
    case("groupby_head_random", "groupby_head", {"df": rand_frame()}, {"by": ["k1"], "n": 3},
         note="200 rows from numpy default_rng(7).")
    case("groupby_head_zero", "groupby_head", {"df": B()}, {"by": ["k"], "n": 0})

    # merge
    left = lambda: table(col("id", "int64", [1, 2, 3, 4, 2]), col("lv", "string", ["a", "b", "c", "d", "e"]))
    right = lambda: table(col("id", "int64", [2, 4, 5, 2]), col("rv", "float64", [0.5, 1.5, 2.5, 3.5]))
    mg = lambda how, **kw: dict({"how": how, "on": ["id"], "suffixes": ["_x", "_y"]}, **kw)
    UN = "A partitioned join does not promise pandas' row order; compared as a multiset."
    case("merge_inner", "merge", {"df": left(), "right": right()}, mg("inner"), ordered=False,
         note="Duplicate keys on both sides multiply. " + UN)
    case("merge_left", "merge", {"df": left(), "right": right()}, mg("left"), ordered=False,
         note="Unmatched left rows get null right columns. " + UN)
    case("merge_right", "merge", {"df": left(), "right": right()}, mg("right"), ordered=False, note=UN)
    case("merge_outer", "merge", {"df": left(), "right": right()}, mg("outer"), ordered=False, note=UN)
    case("merge_left_on_right_on", "merge",
         {"df": left(), "right": table(col("key", "int64", [4, 3, 9]), col("rv", "string", ["x", "y", "z"]))},
         {"how": "inner", "left_on": ["id"], "right_on": ["key"], "suffixes": ["_x", "_y"]}, ordered=False,
         note="Both key columns are kept. " + UN)
    case("merge_suffixes", "merge",
         {"df": table(col("id", "int64", [1, 2, 3]), col("v", "int64", [10, 20, 30])),
          "right": table(col("id", "int64", [3, 1]), col("v", "int64", [300, 100]))},
         {"how": "inner", "on": ["id"], "suffixes": ["_l", "_r"]}, ordered=False, note=UN)
    case("merge_null_keys", "merge",
         {"df": table(col("k", "string", ["a", None, "b"]), col("lv", "int64", [1, 2, 3])),
          "right": table(col("k", "string", [None, "b", "c"]), col("rv", "int64", [10, 20, 30]))},
         {"how": "inner", "on": ["k"], "suffixes": ["_x", "_y"]}, ordered=False,
         note="pandas merge matches a null key with a null key (unlike SQL). " + UN)
    case("merge_multi_key", "merge",
         {"df": table(col("a", "string", ["x", "x", "y", "y"]), col("b", "int64", [1, 2, 1, 2]),
                      col("lv", "float64", [0.1, 0.2, 0.3, 0.4])),
          "right": table(col("a", "string", ["y", "x", "x"]), col("b", "int64", [1, 2, 3]),
                         col("rv", "bool", [True, False, True]))},
         {"how": "outer", "on": ["a", "b"], "suffixes": ["_x", "_y"]}, ordered=False, note=UN)
    case("merge_empty_right", "merge",
         {"df": left(), "right": table(col("id", "int64", []), col("rv", "float64", []))}, mg("left"),
         ordered=False, note=UN)
    case("merge_category_key", "merge",
         {"df": table(col("c", "category", ["apple", "banana", "cherry"]), col("lv", "int64", [1, 2, 3])),
          "right": table(col("c", "string", ["cherry", "apple", "date"]), col("rv", "int64", [30, 10, 40]))},
         {"how": "inner", "on": ["c"], "suffixes": ["_x", "_y"]}, ordered=False,
         note="A category key joins a string key by value. " + UN)
    case("merge_semi", "merge", {"df": left(), "right": right()}, mg("semi"),
         note="Not a pandas how: left rows with a match, in left order, once each though the right key repeats; "
              "computed with pandas' merge key equality (null matches null).")
    case("merge_anti", "merge", {"df": left(), "right": right()}, mg("anti"),
         note="Not a pandas how: left rows without a match, in left order.")
    case("merge_semi_null_keys", "merge",
         {"df": table(col("k", "string", ["a", None, "b", "a"]), col("lv", "int64", [1, 2, 3, 4])),
          "right": table(col("k", "string", [None, "a", "a"]), col("rv", "int64", [10, 20, 30]))},
         {"how": "semi", "on": ["k"], "suffixes": ["_x", "_y"]},
         note="Semi join with pandas merge equality: the null key matches the right's null key.")
    case("merge_anti_left_on_right_on", "merge",
         {"df": left(), "right": table(col("key", "int64", [4, 3, 9]), col("rv", "string", ["x", "y", "z"]))},
         {"how": "anti", "left_on": ["id"], "right_on": ["key"], "suffixes": ["_x", "_y"]})
    case("merge_random_inner", "merge", {"df": rand_frame(), "right": rand_right()},
         {"how": "inner", "on": ["k1", "k2"], "suffixes": ["_x", "_y"]}, ordered=False,
         note="200 left rows from default_rng(7), 60 right rows from default_rng(11). " + UN)
    case("merge_random_left", "merge", {"df": rand_frame(80), "right": rand_right()},
         {"how": "left", "on": ["k1"], "suffixes": ["_x", "_y"]}, ordered=False,
         note="k2 is in both frames and not a key, so it gets suffixes. " + UN)
    case("merge_missing_key", "merge", {"df": left(), "right": right()}, mg("inner", on=["zz"]), error="zz")

    # concat
    case("concat_rows_basic", "concat_rows", {"df": B(), "right": B()}, {"ignore_index": True})
    case("concat_rows_nulls", "concat_rows", {"df": B(), "right": nulls()}, {"ignore_index": True},
         note="Columns are the union in first-seen order; a column missing on one side is null there "
              "(g exists only on the left).")
    case("concat_rows_empty", "concat_rows", {"df": basic_empty(), "right": one_row()}, {"ignore_index": True},
         note="g and b exist only in the empty frame, so they are all null.")
    case("concat_rows_typed", "concat_rows", {"df": typed(), "right": typed()}, {"ignore_index": True},
         note="Same categories on both sides, so the result stays category.")
    case("concat_columns_basic", "concat_columns",
         {"df": one_row(), "right": table(col("y", "bool", [True]), col("z", "string", ["q"]))}, {})
    case("concat_columns_unequal_length", "concat_columns",
         {"df": table(col("a", "int64", [1, 2, 3])), "right": table(col("b", "string", ["x", "y"]))}, {},
         note="pandas aligns on the row labels: the shorter frame is padded with nulls.")

    # drop_duplicates
    dups = lambda: table(col("a", "int64", [1, 1, 2, 1, None, None, 2]),
                         col("s", "string", ["x", "x", "y", "z", "w", "w", "y"]),
                         col("f", "float64", [0.5, 0.5, 1.0, 0.5, None, None, 2.0]))
    case("drop_duplicates_all_first", "drop_duplicates", {"df": dups()}, {"subset": None, "keep": "first"},
         note="Nulls are equal to each other here.")
    case("drop_duplicates_subset_last", "drop_duplicates", {"df": dups()}, {"subset": ["a"], "keep": "last"})
    case("drop_duplicates_keep_false", "drop_duplicates", {"df": dups()}, {"subset": ["a", "s"], "keep": False},
         note="keep=false drops every row that has a duplicate.")
    case("drop_duplicates_category", "drop_duplicates", {"df": typed()}, {"subset": ["c"], "keep": "first"})
    case("drop_duplicates_empty", "drop_duplicates", {"df": basic_empty()}, {"subset": None, "keep": "first"})

    # dropna / fillna / isna
    case("dropna_any", "dropna", {"df": nulls()}, {"subset": None, "how": "any"})
    case("dropna_all", "dropna", {"df": table(col("a", "int64", [1, None, None]), col("s", "string", ["x", None, "y"]))},
         {"subset": None, "how": "all"})
    case("dropna_subset", "dropna", {"df": nulls()}, {"subset": ["v"], "how": "any"})
    case("dropna_typed", "dropna", {"df": typed()}, {"subset": None, "how": "any"},
         note="Null category, NaT timestamp, null date and null float32 all count as missing.")
    case("fillna_per_column", "fillna", {"df": nulls()}, {"value": {"v": 0, "x": -1.5, "k": "?"}},
         note="Columns not named keep their nulls.")
    case("fillna_bool", "fillna", {"df": nulls()}, {"value": {"b": False}})
    case("fillna_category_new_value", "fillna", {"df": typed()}, {"value": {"c": "zebra"}}, error="zebra",
         note="A fill value that is not a category is an error.")
    case("fillna_category_existing", "fillna", {"df": typed()}, {"value": {"c": "apple"}})
    case("isna_mixed", "isna", {"df": nulls()}, {})
    case("isna_typed", "isna", {"df": typed()}, {})

    # astype
    case("astype_int_to_float", "astype", {"df": B()}, {"dtypes": {"v": "float64", "g": "int32"}})
    case("astype_float_to_int", "astype", {"df": B()}, {"dtypes": {"x": "int64"}}, note="Truncates toward zero.")
    case("astype_int_to_string", "astype", {"df": B()}, {"dtypes": {"v": "str"}},
         note="pandas dtype str: object of Python str.")
    case("astype_string_to_category", "astype", {"df": B()}, {"dtypes": {"k": "category"}})
    case("astype_bool_to_int", "astype", {"df": B()}, {"dtypes": {"b": "int64"}})
    case("astype_null_float_to_int", "astype", {"df": nulls()}, {"dtypes": {"x": "int64"}}, error="int",
         note="A null cannot become a plain int64.")
    case("astype_null_int_to_float", "astype", {"df": nulls()}, {"dtypes": {"v": "float64"}})

    # value_counts
    VC = ("expected has the value_counts result reset into two columns; pandas 1.5 names them 'index' (the "
          "values) and the column's own name (the counts, or proportions when normalize).")
    vcdf = lambda: table(col("a", "string", ["x", "y", "x", None, "z", "x", "y", None, None, None]))
    vc = lambda **kw: dict({"column": "a", "sort": True, "ascending": False, "dropna": True, "normalize": False}, **kw)
    case("value_counts_basic", "value_counts", {"df": vcdf()}, vc(), note=VC)
    case("value_counts_ascending", "value_counts", {"df": vcdf()}, vc(ascending=True), note=VC)
    case("value_counts_keep_null", "value_counts", {"df": vcdf()}, vc(dropna=False), note=VC)
    case("value_counts_normalize", "value_counts", {"df": vcdf()}, vc(normalize=True), note=VC)
    case("value_counts_unsorted", "value_counts", {"df": vcdf()}, vc(sort=False), ordered=False, note=VC)
    case("value_counts_int", "value_counts",
         {"df": table(col("a", "int64", [3, 1, 3, 2, 3, 1]))}, vc(), note=VC)
    case("value_counts_category", "value_counts",
         {"df": table(col("a", "category", ["a", "b", "b", "c", "c", "c"]))}, vc(ascending=True), note=VC)

    # unique / nunique / isin
    case("unique_int_nulls", "unique", {"df": nulls()}, {"column": "v"},
         note="First-appearance order; null is a value.")
    case("unique_strings", "unique", {"df": nulls()}, {"column": "k"})
    case("unique_category", "unique", {"df": typed()}, {"column": "c"})
    case("nunique_dropna", "nunique", {"df": nulls()}, {"column": "k", "dropna": True})
    case("nunique_keep_null", "nunique", {"df": nulls()}, {"column": "k", "dropna": False})
    case("nunique_all_null", "nunique", {"df": table(col("a", "float64", [None, None]))},
         {"column": "a", "dropna": True})
    case("isin_ints", "isin", {"df": B()}, {"column": "v", "values": [0, 7, 99]})
    case("isin_strings_nulls", "isin", {"df": nulls()}, {"column": "k", "values": ["b", "c"]})
    case("isin_empty_values", "isin", {"df": B()}, {"column": "k", "values": []})

    # nlargest / nsmallest
    nl = lambda n, cols, keep="first": {"n": n, "columns": cols, "keep": keep}
    ties = lambda: table(col("v", "int64", [5, 3, 5, 1, 3, 5]), col("s", "string", ["a", "b", "c", "d", "e", "f"]),
                         col("x", "float64", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
    case("nlargest_basic", "nlargest", {"df": B()}, nl(2, ["v"]))
    case("nlargest_ties_first", "nlargest", {"df": ties()}, nl(2, ["v"]), note="keep=first: the earliest of ties.")
    case("nlargest_ties_last", "nlargest", {"df": ties()}, nl(2, ["v"], "last"))
    case("nlargest_two_columns", "nlargest", {"df": ties()}, nl(3, ["v", "x"]))
    case("nlargest_nulls", "nlargest", {"df": nulls()}, nl(3, ["x"]), note="Nulls are never among the largest.")
    case("nsmallest_basic", "nsmallest", {"df": B()}, nl(3, ["x"]))
    case("nsmallest_more_than_rows", "nsmallest", {"df": ties()}, nl(10, ["v"]))

    # head / tail
    case("head_three", "head", {"df": B()}, {"n": 3})
    case("head_more_than_rows", "head", {"df": one_row()}, {"n": 5})
    case("head_negative", "head", {"df": B()}, {"n": -2}, note="A negative n keeps all but the last |n| rows.")
    case("tail_three", "tail", {"df": B()}, {"n": 3})
    case("tail_zero", "tail", {"df": B()}, {"n": 0})

    # describe
    case("describe_basic", "describe", {"df": B()}, {},
         note="Numeric columns only (bool and string are left out); quartiles interpolate linearly.")
    case("describe_nulls", "describe", {"df": nulls()}, {}, note="count is the non-null count.")
    case("describe_random", "describe", {"df": rand_frame()}, {}, note="200 rows from numpy default_rng(7).")

    # set_index / loc / iloc
    case("set_index_reset", "set_index", {"df": B()}, {"keys": ["k"]},
         note="set_index(keys) then reset_index(): the keys move to the front.")
    case("set_index_two_keys", "set_index", {"df": B()}, {"keys": ["b", "g"]},
         note="set_index(keys) then reset_index(): the keys move to the front.")
    labeled = lambda: table(col("v", "int64", [1, 2, 3, 4]), col("x", "float64", [0.5, 1.5, 2.5, 3.5]),
                            index={"names": ["id"], "columns": [col("id", "string", ["p", "q", "r", "q"])]})
    case("loc_labels", "loc", {"df": labeled()}, {"labels": ["r", "p"]}, note="Rows come in the order asked.")
    case("loc_duplicate_label", "loc", {"df": labeled()}, {"labels": ["q"]},
         note="A label that repeats in the index selects every row that has it.")
    case("loc_missing_label", "loc", {"df": labeled()}, {"labels": ["p", "zz"]}, error="zz")
    case("iloc_positions", "iloc", {"df": B()}, {"rows": [0, 2, -1]}, note="-1 is the last row.")
    case("iloc_empty", "iloc", {"df": B()}, {"rows": []})
    case("iloc_out_of_bounds", "iloc", {"df": B()}, {"rows": [0, 6]}, error="bounds")

    # Series reductions
    for f in ["sum", "mean", "min", "max", "std", "var", "median", "count"]:
        case("reduce_%s_nulls" % f, "reduce", {"df": nulls()}, {"column": "v", "func": f},
             note="Nulls are skipped.")
    case("reduce_sum_float", "reduce", {"df": B()}, {"column": "x", "func": "sum"})
    case("reduce_sum_empty", "reduce", {"df": basic_empty()}, {"column": "v", "func": "sum"},
         note="The sum of nothing is 0.")
    case("reduce_mean_empty", "reduce", {"df": basic_empty()}, {"column": "x", "func": "mean"},
         note="The mean of nothing is null.")
    case("reduce_max_all_null", "reduce", {"df": table(col("a", "float64", [None, None]))},
         {"column": "a", "func": "max"}, hints={"result": "float64"})
    case("reduce_min_string", "reduce", {"df": B()}, {"column": "k", "func": "min"})
    case("reduce_count_all_null", "reduce", {"df": table(col("a", "int64", [None, None, None]))},
         {"column": "a", "func": "count"})
    case("reduce_std_one_row", "reduce", {"df": one_row()}, {"column": "x", "func": "std"},
         hints={"result": "float64"}, note="ddof=1: null for one value.")


def dump(obj):
    """JSON with one line per column, so diffs of regenerated files read well."""
    def table_lines(t, ind):
        lines = ["{"]
        lines.append(ind + ' "columns": [')
        cs = t["columns"]
        for i, c in enumerate(cs):
            lines.append(ind + "  " + json.dumps(c, ensure_ascii=False) + ("," if i < len(cs) - 1 else ""))
        lines.append(ind + " ],")
        if t.get("index"):
            ix = t["index"]
            lines.append(ind + ' "index": {"names": ' + json.dumps(ix["names"]) + ', "columns": [')
            for i, c in enumerate(ix["columns"]):
                lines.append(ind + "  " + json.dumps(c, ensure_ascii=False) +
                             ("," if i < len(ix["columns"]) - 1 else ""))
            lines.append(ind + " ]}")
        else:
            lines.append(ind + ' "index": null')
        lines.append(ind + "}")
        return "\n".join(lines)

    out = ["{"]
    keys = ["name", "op", "pandas_version", "note", "inputs", "args", "expected", "error", "ordered"]
    items = [k for k in keys if k in obj]
    for n, k in enumerate(items):
        sep = "," if n < len(items) - 1 else ""
        if k == "inputs":
            ins = list(obj["inputs"].items())
            out.append(' "inputs": {')
            for i, (name, t) in enumerate(ins):
                out.append('  "%s": %s%s' % (name, table_lines(t, "  "), "," if i < len(ins) - 1 else ""))
            out.append(" }" + sep)
        elif k == "expected":
            out.append(' "expected": ' + table_lines(obj["expected"], " ") + sep)
        else:
            out.append(" %s: %s%s" % (json.dumps(k), json.dumps(obj[k], ensure_ascii=False), sep))
    out.append("}")
    return "\n".join(out) + "\n"


def main():
    # numpy warns about one-row corr groups; the null result is intended.
    warnings.simplefilter("ignore", RuntimeWarning)
    define()
    names = set()
    written = set()
    for c in CASES:
        assert c["name"] not in names, c["name"]
        names.add(c["name"])
        obj = build(c)
        text = dump(obj)
        json.loads(text)  # the hand-made layout must still be JSON
        fn = c["name"] + ".json"
        with open(os.path.join(HERE, fn), "w", encoding="utf-8") as f:
            f.write(text)
        written.add(fn)
    for fn in sorted(os.listdir(HERE)):
        if fn.endswith(".json") and fn not in written:
            os.remove(os.path.join(HERE, fn))
    print("wrote %d cases with pandas %s" % (len(written), VERSION), file=sys.stderr)


if __name__ == "__main__":
    main()
