#!/usr/bin/env python3
"""Generate numpy2.toml, the reroute codemod for the NumPy 1.x -> 2.0 namespace migration.

Facts come from the NumPy 2.0 migration guide ("Changes to namespaces": the main-namespace
tables and the numpy.lib / numpy.core sections), the NumPy 2.0.0 release notes, and ruff's
NPY201 table (crates/ruff_linter/src/rules/numpy/rules/numpy_2_0_deprecation.rs) as a
cross-check.  The hand-written MAIN table below classifies every main-namespace entry; the
sub-namespace aliases (numpy.lib.X, numpy.lib.<private module>.X, numpy.core.X, ...) are
enumerated from a real NumPy 1.26.4 and checked against NumPy 2.0.2 and 2.2.6, installed in
the virtual environments v1/, v2/, v22/ next to this script (probe_facts.py runs inside them).

    python3 gen_numpy2.py            # writes numpy2.toml next to this script, prints counts
"""
import json
import os
import subprocess
import sys
import tomllib
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
VENVS = os.environ.get("NUMPY_VENVS", HERE)  # v1/ (1.26.4), v2/ (2.0.2), v22/ (2.2.6)
PY = {v: os.path.join(VENVS, v, "bin", "python") for v in ("v1", "v2", "v22")}
PROBE = os.path.join(HERE, "probe_facts.py")
OUT = os.environ.get("NUMPY2_OUT", os.path.join(HERE, "..", "..", "builtin", "numpy2.toml"))

GUIDE = "https://numpy.org/devdocs/numpy_2_0_migration_guide.html"

# ---------------------------------------------------------------------------------------
# The main namespace.  Each entry: kind, then
#   move:    to, requires (or None), attribute_of_parent
#   remove:  message
#   replace: expression, message
# Messages say what happened and what to use; "removed in NumPy 2.0" unless noted.
# ---------------------------------------------------------------------------------------
R2 = "numpy>=2"
R125 = "numpy>=1.25"  # numpy.exceptions is new in 1.25


def move(to, requires=None, aop=False):
    return ("move", to, requires, aop)


def remove(message):
    return ("remove", message)


def replace(expr, message):
    return ("replace", expr, message)


BUFSIZE_MSG = ("removed in NumPy 2.0 (internal enum): use `np.getbufsize()` / `np.setbufsize()` "
               "(the default buffer size is 8192)")
DEPRECATED_SINCE_20 = {"in1d", "row_stack", "trapz", "chararray", "disp", "get_array_wrap",
                       "recfromcsv", "recfromtxt", "compat", "maximum_sctype", "deprecate",
                       "deprecate_with_doc", "safe_eval"}

MAIN = OrderedDict([
    # --- the guide's table of removed members -------------------------------------------
    ("add_docstring", move("numpy.lib.add_docstring", aop=True)),
    ("add_newdoc", move("numpy.lib.add_newdoc", aop=True)),
    ("add_newdoc_ufunc", remove("removed in NumPy 2.0: an internal function with no replacement")),
    ("alltrue", move("numpy.all")),
    ("asfarray", remove("removed in NumPy 2.0: use `np.asarray` with a float dtype instead "
                        "(`np.asarray(a, dtype=np.float64)`)")),
    ("byte_bounds", move("numpy.lib.array_utils.byte_bounds", R2, aop=True)),
    ("cast", remove("removed in NumPy 2.0: `np.cast[dtype](arg)` is `np.asarray(arg, dtype=dtype)`")),
    ("cfloat", move("numpy.complex128")),
    ("chararray", move("numpy.char.chararray", aop=True)),
    ("clongfloat", move("numpy.clongdouble")),
    ("compare_chararrays", move("numpy.char.compare_chararrays", aop=True)),
    ("compat", remove("removed in NumPy 2.0 (`np.compat`): no replacement, Python 2 is no longer supported")),
    ("complex_", move("numpy.complex128")),
    ("cumproduct", move("numpy.cumprod")),
    ("DataSource", move("numpy.lib.npyio.DataSource", aop=True)),
    ("deprecate", remove("removed in NumPy 2.0: emit `DeprecationWarning` with `warnings.warn` directly, "
                         "or use `warnings.deprecated` (Python 3.13; `typing_extensions.deprecated` before)")),
    ("deprecate_with_doc", remove("removed in NumPy 2.0: emit `DeprecationWarning` with `warnings.warn` "
                                  "directly, or use `warnings.deprecated` (Python 3.13; "
                                  "`typing_extensions.deprecated` before)")),
    ("disp", remove("removed in NumPy 2.0: use your own printing function (`print(x, file=..., end=...)`)")),
    ("fastCopyAndTranspose", remove("removed in NumPy 2.0: use `arr.T.copy()`")),
    ("find_common_type", remove("removed in NumPy 2.0: use `np.promote_types` or `np.result_type`; for the "
                                "`scalar_types` argument, pass the Python values `0`, `0.0` or `0j` "
                                "to `np.result_type`")),
    ("format_parser", move("numpy.rec.format_parser", aop=True)),
    ("get_array_wrap", remove("removed in NumPy 2.0: an internal helper with no replacement")),
    ("float_", move("numpy.float64")),
    ("geterrobj", remove("removed in NumPy 2.0: use the `np.errstate` context manager "
                         "(or `np.geterr`)")),
    ("Inf", move("numpy.inf")),
    ("Infinity", move("numpy.inf")),
    ("infty", move("numpy.inf")),
    ("issctype", remove("removed in NumPy 2.0: use `issubclass(rep, np.generic)`")),
    ("issubclass_", remove("removed in NumPy 2.0: use the builtin `issubclass` (it raises `TypeError` "
                           "where `np.issubclass_` returned False for a non-class argument)")),
    ("issubsctype", remove("removed in NumPy 2.0: use `np.issubdtype` (it takes dtypes and scalar types, "
                           "not arrays: pass `arr.dtype`)")),
    ("mat", move("numpy.asmatrix")),
    ("maximum_sctype", remove("removed in NumPy 2.0: use a specific dtype, chosen explicitly, instead of the "
                              "largest one of a kind")),
    ("NaN", move("numpy.nan")),
    ("nbytes", remove("removed in NumPy 2.0: use `np.dtype(<dtype>).itemsize`")),
    ("NINF", replace("-{root}.inf", "removed in NumPy 2.0: use `-np.inf`")),
    ("NZERO", replace("-0.0", "removed in NumPy 2.0: use `-0.0`")),
    ("longcomplex", move("numpy.clongdouble")),
    ("longfloat", move("numpy.longdouble")),
    ("lookfor", remove("removed in NumPy 2.0: search NumPy's documentation directly")),
    ("obj2sctype", remove("removed in NumPy 2.0: use `np.dtype(obj).type`")),
    ("PINF", move("numpy.inf")),
    ("product", move("numpy.prod")),
    ("PZERO", replace("0.0", "removed in NumPy 2.0: use `0.0`")),
    ("recfromcsv", remove("removed in NumPy 2.0: use `np.genfromtxt` with `delimiter=\",\"` (recfromcsv also "
                          "set `names=True`, `dtype=None`, `case_sensitive=\"lower\"` and returned a "
                          "`np.recarray`: add `.view(np.recarray)`)")),
    ("recfromtxt", remove("removed in NumPy 2.0: use `np.genfromtxt` (recfromtxt set `dtype=None` and "
                          "returned a `np.recarray`: add `.view(np.recarray)`)")),
    ("round_", move("numpy.round")),
    ("safe_eval", move("ast.literal_eval")),
    ("sctype2char", remove("removed in NumPy 2.0: use `np.dtype(obj).char`")),
    ("sctypes", remove("removed in NumPy 2.0: access the dtypes explicitly (e.g. `np.int8, np.int16, ...`)")),
    ("seterrobj", remove("removed in NumPy 2.0: use the `np.errstate` context manager (or `np.seterr`)")),
    ("set_numeric_ops", remove("removed in NumPy 2.0: in general use `PyUFunc_ReplaceLoopBySignature`; for "
                               "ndarray subclasses define `__array_ufunc__` and override the ufunc")),
    ("set_string_function", remove("removed in NumPy 2.0: use `np.set_printoptions` with a `formatter` for "
                                   "custom printing of NumPy objects")),
    ("singlecomplex", move("numpy.complex64")),
    ("string_", move("numpy.bytes_")),
    ("sometrue", move("numpy.any")),
    ("source", remove("removed in NumPy 2.0: use `inspect.getsource` (it returns the source as a string; "
                      "`np.source` printed it)")),
    ("tracemalloc_domain", move("numpy.lib.tracemalloc_domain", aop=True)),
    ("unicode_", move("numpy.str_")),
    ("who", remove("removed in NumPy 2.0: use an IDE variable explorer or `locals()`")),
    # --- the guide's table of deprecated members ----------------------------------------
    ("in1d", remove("deprecated in NumPy 2.0 (removed in 2.4): use `np.isin`; it keeps the shape of its "
                    "first argument, so `np.in1d(a, b)` is `np.isin(a, b).ravel()`")),
    ("row_stack", move("numpy.vstack")),       # "row_stack was an alias for vstack"
    ("trapz", move("numpy.trapezoid", R2)),    # renamed; trapezoid is new in 2.0
    # --- not in the guide's tables, removed in 2.0 (release notes / NEP 52, ruff NPY201) ---
    ("NAN", move("numpy.nan")),
    ("AxisError", move("numpy.exceptions.AxisError", R125, aop=True)),
    ("ComplexWarning", move("numpy.exceptions.ComplexWarning", R125, aop=True)),
    ("DTypePromotionError", move("numpy.exceptions.DTypePromotionError", R125, aop=True)),
    ("ModuleDeprecationWarning", move("numpy.exceptions.ModuleDeprecationWarning", R125, aop=True)),
    ("TooHardError", move("numpy.exceptions.TooHardError", R125, aop=True)),
    ("VisibleDeprecationWarning", move("numpy.exceptions.VisibleDeprecationWarning", R125, aop=True)),
    ("RankWarning", move("numpy.exceptions.RankWarning", R2, aop=True)),  # exceptions.RankWarning: 2.0
    ("msort", remove("removed in NumPy 2.0: use `np.sort(a, axis=0)`")),
    ("kernel_version", remove("removed in NumPy 2.0: no replacement")),
    ("numarray", remove("removed in NumPy 2.0: a placeholder with no replacement")),
    ("oldnumeric", remove("removed in NumPy 2.0: a placeholder with no replacement")),
    # --- the guide's list of removed internal enums -------------------------------------
    ("CLIP", remove("removed in NumPy 2.0 (internal enum): pass `mode=\"clip\"`")),
    ("WRAP", remove("removed in NumPy 2.0 (internal enum): pass `mode=\"wrap\"`")),
    ("RAISE", remove("removed in NumPy 2.0 (internal enum): pass `mode=\"raise\"`")),
    ("MAY_SHARE_BOUNDS", replace("0", "removed in NumPy 2.0 (internal enum): `max_work=0` "
                                      "(MAY_SHARE_BOUNDS was 0)")),
    ("MAY_SHARE_EXACT", replace("-1", "removed in NumPy 2.0 (internal enum): `max_work=-1` "
                                      "(MAY_SHARE_EXACT was -1)")),
    ("BUFSIZE", remove(BUFSIZE_MSG)),
    ("UFUNC_BUFSIZE_DEFAULT", remove(BUFSIZE_MSG)),
    ("MAXDIMS", remove("removed in NumPy 2.0 (internal enum): no replacement; the limit is 64 dimensions "
                       "in 2.0 (it was 32)")),
    ("ALLOW_THREADS", remove("removed in NumPy 2.0 (internal enum): no replacement")),
    ("UFUNC_PYVALS_NAME", remove("removed in NumPy 2.0 (internal enum): no replacement; use `np.errstate`")),
])
FP_ENUMS = (["FLOATING_POINT_SUPPORT", "FPE_DIVIDEBYZERO", "FPE_INVALID", "FPE_OVERFLOW",
             "FPE_UNDERFLOW"]
            + ["ERR_" + s for s in ("CALL", "DEFAULT", "IGNORE", "LOG", "PRINT", "RAISE", "WARN")]
            + ["SHIFT_" + s for s in ("DIVIDEBYZERO", "INVALID", "OVERFLOW", "UNDERFLOW")])
for name in FP_ENUMS:
    MAIN[name] = remove("removed in NumPy 2.0 (internal floating-point error enum): no replacement; "
                        "use `np.errstate` / `np.seterr` with string modes")

# Moves whose old and new object differ on 1.26 but behave the same (deprecated wrappers
# that forward every argument): checked by hand in NumPy 1.26.4's source.
FORWARDING_WRAPPERS = {"alltrue", "sometrue", "product", "cumproduct", "round_", "safe_eval"}

# Sub-namespaces whose removed or deprecated public names point into the main namespace.
# numpy.lib.X and its private submodules are gone in 2.0 (AttributeError / ModuleNotFoundError):
# the guide's "numpy.lib namespace" section; numpy.core.X is deprecated in 2.0 (numpy._core is
# private): the guide's "numpy.core namespace" section says to use the main namespace.
LIB_PRIVATE_MODULES = {
    "arraypad": "", "arraysetops": "", "function_base": "", "histograms": "",
    "index_tricks": "", "nanfunctions": "", "polynomial": "", "shape_base": "",
    "twodim_base": "", "type_check": "", "ufunclike": "", "utils": "",
    "arrayterator": " (its `Arrayterator` is `numpy.lib.Arrayterator`)",
}
# Public modules renamed to private ones in 2.0 (release notes), their public names moved.
RENAMED_SPACES = {
    "numpy.core.defchararray": ("numpy.char", True),
    "numpy.core.records": ("numpy.rec", True),
    "numpy.fft.helper": ("numpy.fft", True),
    "numpy.linalg.linalg": ("numpy.linalg", True),
}
# numpy.core binds these two modules under a second name on 1.26
SPACE_ALIASES = {"numpy.core.defchararray": "numpy.core.char", "numpy.core.records": "numpy.core.rec"}

EXTRA_MOVES = [
    # np.lib.array_utils is new in 2.0 (release notes): normalize_axis_* were reached through
    # the then-public numpy.core modules
    (["numpy.core.multiarray.normalize_axis_index", "numpy.core.numeric.normalize_axis_index"],
     "numpy.lib.array_utils.normalize_axis_index", R2, True),
    (["numpy.core.numeric.normalize_axis_tuple"],
     "numpy.lib.array_utils.normalize_axis_tuple", R2, True),
    (["numpy.lib.emath"], "numpy.emath", None, True),
    (["numpy.lib.arrayterator.Arrayterator"], "numpy.lib.Arrayterator", None, True),
]
EXTRA_REMOVES = [
    (["numpy.core.umath_tests"], "removed from the public API in NumPy 2.0 (deprecated since 1.15): "
                                 "no replacement"),
    (["numpy.array_api"], "removed in NumPy 2.0: use the main `numpy` namespace, or the "
                          "`array-api-strict` package for compliance testing"),
]


def run(version, mode, payload=None):
    out = subprocess.run([PY[version], PROBE, mode], input=json.dumps(payload) if payload is not None
                         else None, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main():
    enum = run("v1", "enumerate")
    assert enum["version"] == "1.26.4", enum["version"]
    spaces = enum["spaces"]
    main_126 = set(enum["main"])

    # Candidate aliases: (from path, main name) for every sub-namespace name identical on 1.26
    # to the main-namespace member of the same name.
    alias_candidates = []   # (from, name)
    other_candidates = []   # (from, to, aop) for renamed spaces
    for space, names in spaces.items():
        if space in RENAMED_SPACES:
            to_space, aop = RENAMED_SPACES[space]
            for n, info in names.items():
                froms = [space + "." + n]
                if space in SPACE_ALIASES:
                    froms.append(SPACE_ALIASES[space] + "." + n)
                other_candidates.append((froms, to_space + "." + n, aop, n))
            continue
        for n, info in names.items():
            if info["main"] == n and not info["module"]:
                alias_candidates.append((space + "." + n, n))

    all_paths = sorted({p for p, _ in alias_candidates}
                       | {p for fs, _, _, _ in other_candidates for p in fs}
                       | {t for _, t, _, _ in other_candidates}
                       | {"numpy." + n for n in main_126}
                       | {"numpy." + n for n in MAIN}
                       | {"numpy.lib." + m for m in LIB_PRIVATE_MODULES}
                       | {e[1] for e in MAIN.values() if e[0] == "move"}
                       | {p for fs, _, _, _ in EXTRA_MOVES for p in fs}
                       | {t for _, t, _, _ in EXTRA_MOVES}
                       | {p for fs, _ in EXTRA_REMOVES for p in fs})
    res = {v: run(v, "resolve", all_paths)["paths"] for v in ("v1", "v2", "v22")}

    def ok(v, p):
        return res[v][p]["ok"]

    problems = []
    # --- main table checks --------------------------------------------------------------
    for name, entry in MAIN.items():
        p = "numpy." + name
        if not ok("v1", p) and name != "DTypePromotionError":
            problems.append(f"{p} does not exist on 1.26")
        if ok("v2", p) and name not in DEPRECATED_SINCE_20 and name not in ("chararray",):
            problems.append(f"{p} still exists on 2.0")
        if entry[0] == "move":
            to, requires = entry[1], entry[2]
            if not to.startswith("numpy."):
                continue
            if not (ok("v2", to) and ok("v22", to)):
                problems.append(f"{to} missing on 2.x")
            if (requires == R2) == ok("v1", to):
                problems.append(f"{to}: requires={requires} but exists on 1.26: {ok('v1', to)}")
    same_pairs = [["numpy." + n, e[1]] for n, e in MAIN.items()
                  if e[0] == "move" and e[2] != R2 and e[1].startswith("numpy.")
                  and n not in FORWARDING_WRAPPERS and n != "DTypePromotionError"]
    same = run("v1", "same", same_pairs)["same"]
    for k, v in same.items():
        if not v:
            problems.append(f"not the same object on 1.26: {k}")

    # --- group the entries --------------------------------------------------------------
    # main-table entries gather their sub-namespace aliases in their `from` list
    froms = OrderedDict((n, ["numpy." + n]) for n in MAIN)
    alias_moves = []   # (from, to)
    for path, n in alias_candidates:
        space = path.rsplit(".", 1)[0]
        deprecated_space = space == "numpy.core"
        if not deprecated_space and ok("v2", path):
            continue  # still public in 2.x (numpy.lib.add_docstring, numpy.lib.scimath.sqrt, ...)
        if n in MAIN:
            froms[n].append(path)
        elif n in ("test",):
            continue
        else:
            if not (ok("v2", "numpy." + n) and ok("v22", "numpy." + n)):
                problems.append(f"{path}: numpy.{n} missing on 2.x")
                continue
            alias_moves.append((path, "numpy." + n))
    renamed_moves = []
    for fs, to, aop, n in other_candidates:
        if n in MAIN:          # numpy.core.records.format_parser -> the format_parser entry
            froms[n].extend(fs)
            continue
        if not (ok("v2", to) and ok("v22", to)):
            problems.append(f"{fs[0]}: {to} missing on 2.x")
            continue
        renamed_moves.append((fs, to, aop))

    lib_module_removes = []
    for m, extra in LIB_PRIVATE_MODULES.items():
        p = "numpy.lib." + m
        if ok("v2", p):
            problems.append(f"{p} still importable on 2.0")
        lib_module_removes.append(
            (p, f"private in NumPy 2.0 (now `numpy.lib._{m}_impl`): import its public names from "
                f"`numpy`{extra}"))
    for fs, to, req, aop in EXTRA_MOVES:
        for f in fs:
            if not ok("v1", f):
                problems.append(f"{f} does not exist on 1.26")
        if not ok("v2", to):
            problems.append(f"{to} missing on 2.0")
        if (req == R2) == ok("v1", to):
            problems.append(f"{to}: requires={req} but exists on 1.26: {ok('v1', to)}")

    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(1)

    # --- emit ---------------------------------------------------------------------------
    moves, removes = [], []
    by_target = OrderedDict()
    for n, e in MAIN.items():
        if e[0] == "move":
            key = (e[1], e[2], e[3])
            by_target.setdefault(key, []).extend(froms[n])
        elif e[0] == "remove":
            removes.append((froms[n], e[1], None, None))
        else:
            removes.append((froms[n], e[2], e[1], None))
    for (to, req, aop), fs in by_target.items():
        moves.append((fs, to, req, aop, "main"))
    for fs, to, req, aop in EXTRA_MOVES:
        moves.append((fs, to, req, aop, "extra"))
    for fs, to, aop in renamed_moves:
        moves.append((fs, to, None, aop, "renamed"))
    for f, to in alias_moves:
        moves.append(([f], to, None, False, "alias"))
    for p, msg in lib_module_removes:
        removes.append(([p], msg, None, None))
    for fs, msg in EXTRA_REMOVES:
        removes.append((fs, msg, None, None))
    # one entry per distinct (message, replace, requires): the FP enums share theirs
    merged = OrderedDict()
    for fs, msg, repl, req in removes:
        merged.setdefault((msg, repl, req), []).extend(fs)
    removes = [(fs, msg, repl, req) for (msg, repl, req), fs in merged.items()]

    seen = {}
    for fs, *_ in moves + removes:
        for f in fs:
            assert f not in seen, f"duplicate from {f}"
            seen[f] = True

    def q(s):
        return json.dumps(s, ensure_ascii=False)

    def from_value(fs):
        if len(fs) == 1:
            return q(fs[0])
        return "[" + ", ".join(q(f) for f in fs) + "]"

    lines = []
    lines.append("description = " + q(
        "NumPy 1.x -> 2.0 (NEP 52): the members removed from or deprecated in the main `numpy` "
        "namespace, `numpy.lib` (and its now-private submodules) and `numpy.core` (renamed "
        "`numpy._core`), per the 'Changes to namespaces' tables of the NumPy 2.0 migration guide "
        f"({GUIDE}) and the 2.0.0 release notes (numpy.exceptions, numpy.lib.array_utils, "
        "numpy.fft.helper, numpy.linalg.linalg), cross-checked with ruff's NPY201 rule; every "
        "path checked against NumPy 1.26.4, 2.0.2 and 2.2.6. Renames to names that exist on 1.26 "
        "are rewritten; targets new in 1.25 (numpy.exceptions) or 2.0 (np.trapezoid, "
        "numpy.lib.array_utils, numpy.exceptions.RankWarning) wait for the matching `requires` tier. "
        "Generated by bench/differential/gen_numpy2.py."))
    lines.append("")

    section_titles = {
        "main": "# The main namespace: renamed or moved members (migration guide tables, "
                "release notes, ruff NPY201), with their numpy.lib / numpy.core aliases.",
        "extra": "# New homes of members that were reached through numpy.core / numpy.lib modules.",
        "renamed": "# Public modules that became private in 2.0: numpy.core.defchararray (numpy.char), "
                   "numpy.core.records (numpy.rec), numpy.fft.helper, numpy.linalg.linalg.",
        "alias": "# numpy.lib.X (removed in 2.0) and numpy.core.X (deprecated in 2.0): the same object "
                 "is numpy.X on 1.26 and 2.x.",
    }
    current = None
    for fs, to, req, aop, section in moves:
        # numpy.char and numpy.rec are attributes of numpy on 1.26 but not importable modules
        # (`import numpy.char`, `from numpy.char import x` fail there): spelled through a bound
        # `np` they work on both, but an import site's rewrite needs 2.x, so these wait for it.
        if req is None and to.split(".")[:2] in (["numpy", "char"], ["numpy", "rec"]):
            req = R2
        if section != current:
            lines.append(section_titles[section])
            lines.append("")
            current = section
        lines.append("[[move]]")
        lines.append("from = " + from_value(fs))
        lines.append("to = " + q(to))
        if req:
            lines.append("requires = " + q(req))
        if aop:
            lines.append("attribute_of_parent = true")
        lines.append("")
    lines.append("# Removed or deprecated with no drop-in replacement (reported, manual), "
                 "or replaced by an expression (`replace`).")
    lines.append("")
    for fs, msg, repl, req in removes:
        lines.append("[[remove]]")
        lines.append("from = " + from_value(fs))
        lines.append("message = " + q(msg))
        if repl is not None:
            lines.append("replace = " + q(repl))
        if req:
            lines.append("requires = " + q(req))
        lines.append("")

    with open(os.path.join(HERE, "numpy2_examples.toml")) as fh:
        lines.append(fh.read().rstrip("\n"))
    text = "\n".join(lines) + "\n"
    with open(OUT, "w") as fh:
        fh.write(text)

    # --- validate and count ---------------------------------------------------------------
    spec = tomllib.loads(text)
    allowed_top = {"description", "move", "remove", "example"}
    assert set(spec) <= allowed_top, set(spec)
    seen = set()
    for kind in ("move", "remove"):
        for e in spec.get(kind, []):
            fs = e["from"] if isinstance(e["from"], list) else [e["from"]]
            for f in fs:
                assert f not in seen, f"duplicate from: {f}"
                seen.add(f)
    mv = spec["move"]
    rm = spec["remove"]
    nfrom = lambda es: sum(len(e["from"]) if isinstance(e["from"], list) else 1 for e in es)
    tiered = [e for e in mv if "requires" in e]
    repl = [e for e in rm if "replace" in e]
    print(f"wrote {OUT}")
    print(f"moves: {len(mv)} entries ({nfrom(mv)} from-paths); tiered: {len(tiered)} entries "
          f"({nfrom(tiered)} paths: " + ", ".join(sorted({e['requires'] for e in tiered})) + ")")
    print(f"removes: {len(rm)} entries ({nfrom(rm)} paths), of which replaces: {len(repl)} entries "
          f"({nfrom(repl)} paths)")
    print(f"examples: {len(spec['example'])}")
    for section in ("main", "extra", "renamed", "alias"):
        es = [m for m in moves if m[4] == section]
        print(f"  {section}: {len(es)} entries, {sum(len(m[0]) for m in es)} paths")


if __name__ == "__main__":
    main()
