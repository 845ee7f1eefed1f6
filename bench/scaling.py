#!/usr/bin/env python3
"""Scaling: the cost of planning one file vs the number of imports in it.

    python3 bench/scaling.py BINARY             # N = 500, 1000, 2000, 4000 + diagnosis; writes bench/scaling.md
    python3 bench/scaling.py --quick BINARY     # N = 250, 500, 1000, 3 runs, no diagnosis; no results file

Stdlib only; everything is generated in a temporary folder (nothing downloaded, nothing kept).

For each N, a synthetic module `app/big.py` gets N imported names, each used in its own
function, in four kinds (K = 0 .. N-1, kind = K % 4; M = the module of K, see the curves):

    0  from pkg.old_mod_M import Name_K      use: Name_K(x)                  module moved: import rewritten
    1  from pkg.old_mod_M import Name_K      use: Name_K(x)                  symbol moved and renamed to Renamed_K,
                                                                              rename_usages = true: the use is renamed
    2  import pkg.old_mod_M.sub_K            use: pkg.old_mod_M.sub_K.attr_K(x)   module moved: attribute chain
    3  import pkg.old_mod_M as mod_K         use: mod_K.attr_K(x)            module moved: alias kept, use stays

Curves:

- per-name: M = K (one module per name); the codemod has one [[move]] per name: a module move,
  or for kind 1 a symbol move with rename_usages = true. N imports, N moves, N/4 renamed names.
- per-name-no-rename: the same file and codemod without rename_usages (kind 1 keeps its local
  name: `from pkg.new_mod_K import Renamed_K as Name_K`).
- shared: M = K % 20; a fixed codemod of 20 module moves + 20 renamed symbols (rename_usages):
  only the file grows.

Each point is `BINARY diff -j 1 --no-target-check --color never --codemods spec.toml app/big.py`
in the point's folder: one warm-up run (also the sanity check: the summary line is shown), then
the median of 5 runs, timed as the child's CPU time (user + system, from os.wait4; -j 1 makes
it close to wall time on an idle machine, and a shared machine disturbs it far less). Beside it, the floor: the same command and codemod on a
file with a single import (start-up + loading the codemod). The verdict compares t(4000) / t(500)
with 8 (linear) and 64 (quadratic) and gives the exponent log(t2 / t1) / log(N2 / N1) (1 = linear,
2 = quadratic), for the whole time and for the time above the floor.

Diagnosis (full run): the per-name file with N = 2000 and a codemod where only the first R of
the kind-1 symbol moves have rename_usages = true (R = 125, 250, 500): shows whether the cost
grows with the number of renamed names.
"""
import argparse
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED_MODULES = 20
CURVES = ["per-name", "per-name-no-rename", "shared"]


def module_of(k: int, curve: str) -> int:
    return k % SHARED_MODULES if curve == "shared" else k


def gen_file(n: int, curve: str) -> str:
    """The synthetic module: N imports, then one function per imported name."""
    imports, funcs = [], []
    for k in range(n):
        m = module_of(k, curve)
        kind = k % 4
        if kind in (0, 1):
            imports.append(f"from pkg.old_mod_{m} import Name_{k}")
            use = f"Name_{k}(x)"
        elif kind == 2:
            imports.append(f"import pkg.old_mod_{m}.sub_{k}")
            use = f"pkg.old_mod_{m}.sub_{k}.attr_{k}(x)"
        else:
            imports.append(f"import pkg.old_mod_{m} as mod_{k}")
            use = f"mod_{k}.attr_{k}(x)"
        funcs.append(f"def use_{k}(x):\n    y = {use}\n    return y\n")
    return '"""Synthetic module for bench/scaling.py."""\n' + "\n".join(imports) + "\n\n\n" + "\n\n".join(funcs)


def symbol_move(k: int, m: int, rename: bool) -> str:
    text = f'[[move]]\nfrom = "pkg.old_mod_{m}.Name_{k}"\nto = "pkg.new_mod_{m}.Renamed_{k}"'
    return text + ("\nrename_usages = true" if rename else "")


def module_move(m: int) -> str:
    return f'[[move]]\nfrom = "pkg.old_mod_{m}"\nto = "pkg.new_mod_{m}"'


def gen_codemod(n: int, curve: str, renamed=None) -> str:
    """renamed: (per-name only) how many kind-1 symbol moves get rename_usages (default: all)."""
    out = [f'description = "bench/scaling.py: {curve}, N = {n}"']
    if curve in ("per-name", "per-name-no-rename"):
        r = 0
        for k in range(n):
            if k % 4 == 1:
                rename = curve == "per-name" and (renamed is None or r < renamed)
                r += rename
                out.append(symbol_move(k, k, rename))
            else:
                out.append(module_move(k))
    else:
        out += [module_move(m) for m in range(SHARED_MODULES)]
        # kind-1 names of the first 4 * 20 K: 20 renamed symbols, one per module; fixed size.
        out += [symbol_move(k, module_of(k, curve), True) for k in range(min(n, 4 * SHARED_MODULES)) if k % 4 == 1]
    return "\n".join(out) + "\n"


def supports_no_target_check(binary: str) -> bool:
    r = subprocess.run([binary, "diff", "--help"], capture_output=True, text=True)
    return "--no-target-check" in r.stdout


def run_once(cmd, cwd: Path):
    """Run cmd once: (CPU seconds of the child, user + system; wall seconds; stderr bytes).
    CPU time is what the verdicts use: on a shared machine it moves far less than wall time."""
    with open(cwd / "stdout.txt", "wb") as out, open(cwd / "stderr.txt", "wb") as err:
        t = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        p.returncode = os.waitstatus_to_exitcode(status)
    stderr = (cwd / "stderr.txt").read_bytes()
    if p.returncode not in (0, 1):
        print(f"{' '.join(map(str, cmd))}: exit {p.returncode}\n{stderr.decode(errors='replace')[-2000:]}", file=sys.stderr)
        sys.exit(2)
    return usage.ru_utime + usage.ru_stime, wall, stderr


def timed(binary, d: Path, file_text: str, spec_text: str, runs: int, ntc):
    """Median CPU seconds of `diff` on file_text with spec_text, in folder d; and the summary line."""
    (d / "app").mkdir(parents=True)
    (d / "app" / "big.py").write_text(file_text)
    (d / "spec.toml").write_text(spec_text)
    cmd = [binary, "diff", "-j", "1", "--color", "never", *ntc, "--codemods", str(d / "spec.toml"), "app/big.py"]
    _, _, stderr = run_once(cmd, d)  # warm-up, and what it rewrites
    summary = (stderr.decode(errors="replace").strip().splitlines() or [""])[-1]
    cpu, wall = zip(*[run_once(cmd, d)[:2] for _ in range(runs)])
    return {"median": statistics.median(cpu), "min": min(cpu), "max": max(cpu), "wall": statistics.median(wall),
            "summary": summary, "lines": file_text.count("\n"), "moves": spec_text.count("[[move]]")}


def point(binary, work: Path, n: int, curve: str, runs: int, ntc, renamed=None):
    tag = f"{curve}-{n}" + (f"-r{renamed}" if renamed is not None else "")
    spec = gen_codemod(n, curve, renamed)
    p = timed(binary, work / tag, gen_file(n, curve), spec, runs, ntc)
    f = timed(binary, work / (tag + "-floor"), gen_file(1, curve), spec, runs, ntc)
    p.update(n=n, curve=curve, floor=f["median"], renamed=renamed)
    return p


def exponent(a, b, xa, xb):
    if a <= 0 or b <= 0:
        return float("nan")
    return math.log(b / a) / math.log(xb / xa)


def word(e):
    if e != e:
        return "n/a"
    if e < 1.25:
        return "linear"
    if e < 1.75:
        return "superlinear (between linear and quadratic)"
    if e < 2.5:
        return "quadratic"
    return "worse than quadratic"


def verdict(pts):
    lo, hi = pts[0], pts[-1]
    ratio = hi["median"] / lo["median"]
    size = hi["n"] / lo["n"]
    e = exponent(lo["median"], hi["median"], lo["n"], hi["n"])
    e_above = exponent(lo["median"] - lo["floor"], hi["median"] - hi["floor"], lo["n"], hi["n"])
    return ratio, size, e, e_above


def table(pts, x="n"):
    head = ("| N | file lines | moves | median CPU s | min-max CPU s | median wall s | CPU ms per import | floor CPU s "
            "| exponent vs previous | reroute summary (warm-up run) |")
    if x == "renamed":
        head = head.replace("| N |", "| R (renamed) |")
    rows = [head, "|" + "---|" * (head.count("|") - 1)]
    prev = None
    for p in pts:
        e = "" if prev is None else f"{exponent(prev['median'], p['median'], prev[x], p[x]):.2f}"
        rows.append(f"| {p[x]} | {p['lines']} | {p['moves']} | {p['median']:.3f} | {p['min']:.3f}-{p['max']:.3f} | "
                    f"{p['wall']:.3f} | {1000 * p['median'] / p['n']:.3f} | {p['floor']:.3f} | {e} | {p['summary']} |")
        prev = p
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary", help="a reroute binary")
    ap.add_argument("--quick", action="store_true", help="N = 250, 500, 1000 with 3 runs, no diagnosis; no results file")
    ap.add_argument("--sizes", help="comma-separated N values (default 500,1000,2000,4000)")
    ap.add_argument("--runs", type=int, help="timed runs per point (default 5)")
    ap.add_argument("--curve", action="append", choices=CURVES, help="repeatable; default: all")
    ap.add_argument("--no-diagnose", action="store_true", help="skip the renamed-names diagnosis")
    ap.add_argument("--out", help="results file (default bench/scaling.md for a full run)")
    args = ap.parse_args()
    binary = str(Path(args.binary).resolve())
    if not Path(binary).is_file():
        print(f"no such binary: {binary}", file=sys.stderr)
        sys.exit(2)
    sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else ([250, 500, 1000] if args.quick else [500, 1000, 2000, 4000])
    runs = args.runs or (3 if args.quick else 5)
    curves = args.curve or CURVES
    diagnose = not (args.quick or args.no_diagnose)
    ntc = ["--no-target-check"] if supports_no_target_check(binary) else []
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    start = time.time()
    results, diag = {}, []
    with tempfile.TemporaryDirectory(prefix="reroute-scaling-") as tmp:
        work = Path(tmp)
        for curve in curves:
            pts = []
            for n in sizes:
                p = point(binary, work, n, curve, runs, ntc)
                pts.append(p)
                print(f"{curve:18} N={n:5}  {p['median']:8.3f} s CPU ({p['wall']:.3f} s wall)  "
                      f"{1000 * p['median'] / n:7.3f} ms/import  floor {p['floor']:.3f} s  [{p['summary']}]", flush=True)
            ratio, size, e, e_above = verdict(pts)
            print(f"{curve:18} t({sizes[-1]}) / t({sizes[0]}) = {ratio:.1f} (linear: {size:.0f}, quadratic: "
                  f"{size * size:.0f}); exponent {e:.2f} ({word(e)}), above the floor {e_above:.2f}", flush=True)
            results[curve] = (pts, ratio, size, e, e_above)
        if diagnose:
            n = 2000
            for r in (125, 250, 500):
                p = point(binary, work, n, "per-name", runs, ntc, renamed=r)
                diag.append(p)
                print(f"diagnosis N={n} R={r:4} renamed: {p['median']:8.3f} s CPU  floor {p['floor']:.3f} s", flush=True)
    load_end = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    secs = time.time() - start

    command = "python3 bench/scaling.py" + (" --quick" if args.quick else "") + \
        (f" --sizes {args.sizes}" if args.sizes else "") + (f" --runs {args.runs}" if args.runs else "") + \
        "".join(f" --curve {c}" for c in args.curve or []) + (" --no-diagnose" if args.no_diagnose else "") + \
        f" {args.binary}"
    out = ["# Scaling: planning cost vs imports in one file", ""]
    out.append(f"Command: `{command}` ({time.strftime('%Y-%m-%d', time.gmtime())}, {os.cpu_count()} cores, "
               f"load average {load:.1f} at the start and {load_end:.1f} at the end, {secs:.0f} s, "
               f"python {platform.python_version()}, {version}).")
    out.append("")
    out.append(f"Each point: `reroute diff -j 1 --color never {' '.join(ntc)} --codemods spec.toml app/big.py`, one "
               f"warm-up run then the median of {runs}; times are the child's CPU time (user + system, from wait4), "
               "which a busy machine disturbs far less than wall time (the median wall time is shown too). `app/big.py` has N imports in four kinds "
               "(from-import of a moved module; from-import of a symbol moved and renamed; `import pkg.old_mod_M.sub_K` "
               "used as `pkg.old_mod_M.sub_K.attr_K(x)`; `import pkg.old_mod_M as mod_K`), each name used in its own "
               "function. *per-name*: one moved module per name, a codemod of N moves, the N/4 renamed symbols with "
               "`rename_usages = true`. *per-name-no-rename*: the same without `rename_usages`. *shared*: "
               f"{SHARED_MODULES} modules, a fixed codemod of {SHARED_MODULES} module moves + {SHARED_MODULES} renamed "
               "symbols with `rename_usages = true`. Floor: the same command and codemod on a file with one import "
               "(start-up and loading the codemod). The generator is in `bench/scaling.py`.")
    out.append("")
    out.append("Summary:")
    out.append("")
    for curve, (pts, ratio, size, e, e_above) in results.items():
        out.append(f"- {curve}: t({pts[-1]['n']}) / t({pts[0]['n']}) = {ratio:.1f} vs {size:.0f} for linear: "
                   f"**{word(e)}** (exponent {e:.2f}; above the floor {e_above:.2f}); "
                   f"{1000 * pts[-1]['median'] / pts[-1]['n']:.3f} ms per import at N = {pts[-1]['n']}.")
    if diag:
        first, last = diag[0], diag[-1]
        e = exponent(first["median"] - first["floor"], last["median"] - last["floor"], first["renamed"], last["renamed"])
        out.append(f"- diagnosis: at N = {first['n']}, the time above the floor grows with the number R of renamed "
                   f"names with exponent {e:.2f} ({word(e)} in R): {first['median']:.2f} s at R = {first['renamed']}, "
                   f"{last['median']:.2f} s at R = {last['renamed']}.")
    for curve, (pts, ratio, size, e, e_above) in results.items():
        out.append("")
        out.append(f"## {curve}")
        out.append("")
        out += table(pts)
        out.append("")
        out.append(f"t({pts[-1]['n']}) / t({pts[0]['n']}) = **{ratio:.1f}** (linear would be {size:.0f}, quadratic "
                   f"{size * size:.0f}); exponent {e:.2f}: **{word(e)}**; above the floor: exponent {e_above:.2f} "
                   f"({word(e_above)}).")
        fe = exponent(pts[0]["floor"], pts[-1]["floor"], pts[0]["moves"], pts[-1]["moves"]) if pts[-1]["moves"] != pts[0]["moves"] else None
        if fe is not None:
            out.append(f"The floor grows with the codemod: {pts[0]['floor']:.3f} s with {pts[0]['moves']} moves, "
                       f"{pts[-1]['floor']:.3f} s with {pts[-1]['moves']} moves (exponent {fe:.2f} in the number of moves, "
                       f"{word(fe)}).")
    if diag:
        out.append("")
        out.append("## Diagnosis: renamed names")
        out.append("")
        out.append(f"The per-name file with N = {diag[0]['n']}; the codemod has the same {diag[0]['moves']} moves, but only "
                   "the first R kind-1 symbol moves have `rename_usages = true`.")
        out.append("")
        out += table(diag, x="renamed")
        out.append("")
        first, last = diag[0], diag[-1]
        e = exponent(first["median"] - first["floor"], last["median"] - last["floor"], first["renamed"], last["renamed"])
        per = (last["median"] - last["floor"]) / (last["renamed"] * last["n"])
        out.append(f"Time above the floor vs R: exponent {e:.2f}. At R = {last['renamed']}, N = {last['n']}: "
                   f"{1e6 * per:.1f} µs per (renamed name × import).")
    text = "\n".join(out) + "\n"
    dest = args.out or (None if args.quick or args.sizes or args.runs or args.curve or args.no_diagnose
                        else str(HERE / "scaling.md"))
    if dest:
        Path(dest).write_text(text)
        print(f"wrote {dest}", file=sys.stderr)


if __name__ == "__main__":
    main()
