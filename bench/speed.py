#!/usr/bin/env python3
"""reroute's speed beside the tools users would pick instead, and proof that the fast paths
change nothing (issue #9).

    python3 bench/speed.py            # everything; writes bench/RESULTS.md (commit it)
    python3 bench/speed.py --small    # CI: networkx only, the byte-identity checks, no timing

On a fresh machine it installs what it needs: ripgrep and hyperfine (Debian), ruff,
ast-grep and libcst (PyPI, pinned), the pinned sdists (sha256-checked, bench/pinned.py),
and it builds reroute in release mode.

Byte identity: for every job, `reroute diff` and `reroute check --format json` print the
same bytes with stage 2 (the default) and with REROUTE_FULL_PARSE=1 (every file parsed whole).

Timing: one hyperfine run per job (whole-process wall time, 2 cores), ratios to the peer named
in each table. ruff runs with --no-cache (a warm cache is a different measurement, reported
apart). The "monorepo" is the corpus copied 3x under distinct package names.
"""
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pinned  # noqa: E402

ROOT = pinned.ROOT
HERE = ROOT / "bench"
RUFF = "0.17.6"
AST_GREP = "0.51.1"
LIBCST = "1.9.0"

# The corpus of issue #9: 5 PyPI sdists, 8,598 Python files, 126 MB.
PINS = {
    "django": ("5.2.19", "ad03d8abc51dbff95ebf34b27123cf0c26a3b62db7ba0cd520783686362533d1"),
    "sympy": ("1.14.0", "d3d3fe8df1e5a0b42f0e7bdf50541697dbe7d23746e894990c030e2b05e72517"),
    "transformers": ("5.23.0", "19d647a4d5d903a7c644ca5cde2d86efc3dde7d8c687ae7988806ff2205efa71"),
    "sqlalchemy": ("2.1.9", "d700a8b2edfb26282a470333d6bc4a454c4acda4d201a3bea7b72fa76c217d28"),
    "networkx": ("3.6.1", "26b7c357accc0c8cde558ad486283728b65b6a95d85ee1cd66bafab4c8168509"),
}

TYPING = ROOT / "codemods" / "typing-to-collections-abc.toml"

# Library upgrades (issue #21): NumPy-1.x era code and Airflow 2 DAGs and providers, pinned in
# bench/upgrades.lock.json (sha256 of each sdist), with the codemods committed in
# bench/upgrades/ (copies of builtin/ when the numbers were taken).
UPGRADE_LOCK = HERE / "upgrades.lock.json"
NUMPY_CORPUS = ["xarray==2024.3.0", "dask==2024.4.1", "seaborn==0.13.2", "nibabel==5.2.1", "mne==1.7.0",
                "autograd==1.6.2", "patsy==0.5.6", "pyqtgraph==0.13.7", "scipy==1.13.1", "pandas==2.2.2",
                "scikit-learn==1.4.2", "statsmodels==0.14.2"]
AIRFLOW_CORPUS = ["apache-airflow==2.10.5", "apache-airflow-providers-amazon==9.2.0",
                  "apache-airflow-providers-google==12.0.0", "apache-airflow-providers-cncf-kubernetes==10.1.0",
                  "apache-airflow-providers-databricks==7.0.0", "apache-airflow-providers-snowflake==6.0.0",
                  "apache-airflow-providers-http==5.0.0", "astronomer-cosmos==1.8.2"]
NUMPY2 = HERE / "upgrades" / "numpy2.toml"
AIRFLOW3 = HERE / "upgrades" / "airflow3.toml"


def move(description, *pairs, **flags):
    lines = [f'description = "{description}"']
    for old, new in pairs:
        lines += ["[[move]]", f'from = "{old}"', f'to = "{new}"']
        lines += [f"{k} = {'true' if v else 'false'}" for k, v in flags.items()]
    return "\n".join(lines) + "\n"


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, **kw)


def need_tools(small):
    if not small and (shutil.which("rg") is None or shutil.which("hyperfine") is None):
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "ripgrep", "hyperfine"], check=True,
                       stdout=subprocess.DEVNULL)
    if not small:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--root-user-action=ignore",
                        f"ruff=={RUFF}", f"ast-grep-cli=={AST_GREP}", f"libcst=={LIBCST}"], check=True)


def build():
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    if not target.is_absolute():
        target = ROOT / target
    return target / "release" / "reroute"


def corpus(work: Path, names):
    """One folder holding the unpacked sdists (copied: pinned trees stay pristine)."""
    tree = work / "corpus"
    if not tree.exists():
        tmp = work / "corpus.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for name in names:
            src = pinned.fetch(name, pins=PINS)
            shutil.copytree(src, tmp / src.name, symlinks=True)
        tmp.rename(tree)
    return tree


def upgrade_corpus(work: Path, name: str, specs):
    """One folder holding the sdists `specs` (`name==version`, sha256 from UPGRADE_LOCK)."""
    tree = work / name
    if not tree.exists():
        lock = json.loads(UPGRADE_LOCK.read_text())
        tmp = work / f"{name}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for spec in specs:
            package, version = spec.split("==")
            src = pinned.fetch(package, pins={package: (version, lock[spec])})
            shutil.copytree(src, tmp / src.name, symlinks=True)
        tmp.rename(tree)
    return tree


def tripled(work: Path, tree: Path):
    """The corpus 3 times, the copies under distinct top-level package names (a monorepo of
    three vendored generations): copy k renames each package folder `p` to `p_k` and
    respells its absolute imports, so the copies do not refer to each other."""
    out = work / "corpus3"
    if out.exists():
        return out
    tmp = work / "corpus3.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(tree, tmp / "gen0", symlinks=True)
    packages = ["django", "sympy", "transformers", "sqlalchemy", "networkx"]
    word = re.compile(rb"\b(" + b"|".join(p.encode() for p in packages) + rb")\b")
    for k in (1, 2):
        dest = tmp / f"gen{k}"
        for path in tree.rglob("*"):
            rel = path.relative_to(tree)
            parts = [f"{p}_{k}" if p in packages else p for p in rel.parts]
            target = dest.joinpath(*parts)
            if path.is_dir() and not path.is_symlink():
                target.mkdir(parents=True, exist_ok=True)
            elif path.is_file() and not path.is_symlink():
                target.parent.mkdir(parents=True, exist_ok=True)
                data = path.read_bytes()
                if path.suffix in (".py", ".pyi"):
                    data = word.sub(lambda m: m.group(1) + b"_" + str(k).encode(), data)
                target.write_bytes(data)
    tmp.rename(out)
    return out


def identical(binary, tree, codemod, label):
    """`diff` and `check --format json` with and without stage 2: the same bytes."""
    problems = []
    for args in (["diff"], ["check", "--format", "json"]):
        outs = []
        for full in (False, True):
            env = dict(os.environ, REROUTE_FULL_PARSE="1" if full else "0")
            r = run([str(binary), *args, "--no-target-check", "--codemods", str(codemod), "."],
                    cwd=tree, env=env)
            if r.returncode not in (0, 1):
                problems.append(f"{label}: `{' '.join(args)}` exited {r.returncode}: {r.stderr[-500:]!r}")
            outs.append(r.stdout)
        if outs[0] != outs[1]:
            problems.append(f"{label}: `{' '.join(args)}` differs with REROUTE_FULL_PARSE=1")
    return problems


def stats(binary, tree, codemod, threads=None):
    cmd = [str(binary), "check", "--stats", "--no-target-check", "--codemods", str(codemod), "."]
    if threads:
        cmd.insert(2, f"-j{threads}")
    r = run(cmd, cwd=tree)
    lines = [l.split("stats: ", 1)[1] for l in r.stderr.decode().splitlines() if l.startswith("stats: ")]
    summary = r.stdout.decode().strip().splitlines()[-1] if r.stdout else ""
    return lines, summary


def peak_rss_mb(cmd, cwd):
    r = run(["/usr/bin/time", "-f", "%M", *cmd], cwd=cwd)
    return int(r.stderr.decode().strip().splitlines()[-1]) / 1024


def hyperfine(commands, cwd, runs, work, name):
    """Runs hyperfine on [(label, shell command)]; returns {label: (mean s, stddev s)}."""
    out = work / f"{name}.json"
    cmd = ["hyperfine", "-N", "--warmup", "1", "--runs", str(runs), "-i", "--export-json", str(out)]
    for label, command in commands:
        cmd += ["-n", label, command]
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    results = json.loads(out.read_text())["results"]
    return {r["command"]: (r["mean"], r["stddev"]) for r in results}


def table(results, base):
    rows = ["| command | mean | ratio to " + base + " |", "|---|---:|---:|"]
    floor = results[base][0]
    for label, (mean, sd) in results.items():
        rows.append(f"| {label} | {mean * 1000:.0f} ± {sd * 1000:.0f} ms | {mean / floor:.2f}× |")
    return "\n".join(rows)


def main():
    small = "--small" in sys.argv
    need_tools(small)
    binary = build()
    work = Path(os.environ.get("REROUTE_BENCH_DIR", "/tmp/reroute-speed"))
    work.mkdir(parents=True, exist_ok=True)
    names = ["networkx"] if small else list(PINS)
    tree = corpus(work / ("small" if small else "full"), names)
    codemods = work / "codemods"
    codemods.mkdir(exist_ok=True)
    specs = {
        "typing": TYPING,
        "numbers": move("sympy.core.numbers renamed (benchmark)", ("sympy.core.numbers", "sympy.core.numeric")),
        "rare": move("a rare module (benchmark)", ("django.utils.termcolors", "django.utils.colors")),
        "nomatch": move("matches nothing (benchmark)", ("nowhere_pkg.old_mod", "nowhere_pkg.new_mod")),
        "networkx": move("networkx moves (benchmark)",
                         ("networkx.utils", "networkx.tools"),
                         ("networkx.algorithms.shortest_paths", "networkx.algorithms.paths"),
                         ("networkx.exception.NetworkXError", "networkx.errors.GraphError")),
        "networkx-rename": move("networkx symbol renames (benchmark)",
                                ("networkx.utils.not_implemented_for", "networkx.utils.decorators.unsupported_for"),
                                rename_usages=True, strings=True),
    }
    many = ["description = \"1,000 moves that match nothing, and the rare move (benchmark)\""]
    for i in range(1000):
        many += ["[[move]]", f'from = "zz_pkg{i}.mod{i}.Old{i}"', f'to = "zz_pkg{i}.new{i}.New{i}"']
    many += ["[[move]]", 'from = "django.utils.termcolors"', 'to = "django.utils.colors"']
    specs["many"] = "\n".join(many) + "\n"
    paths = {}
    for name, spec in specs.items():
        if isinstance(spec, Path):
            paths[name] = spec
        else:
            paths[name] = codemods / f"{name}.toml"
            paths[name].write_text(spec)

    pinned.log("byte identity with and without stage 2 ...")
    jobs = ["networkx", "networkx-rename", "typing", "nomatch"] if small else list(paths)
    problems = []
    for job in jobs:
        problems += identical(binary, tree, paths[job], job)
    for p in problems:
        pinned.log("FAIL: " + p)
    if small:
        print("PASS" if not problems else "FAIL")
        sys.exit(1 if problems else 0)

    runs = int(os.environ.get("REROUTE_BENCH_RUNS", "10"))
    r = str(binary)
    ruff = f"ruff check --no-cache --select UP035 --target-version py39 --exit-zero -q"
    sections = []
    versions = (f"reroute {run(['git', 'rev-parse', '--short', 'HEAD'], cwd=ROOT).stdout.decode().strip()}, "
                f"ruff {RUFF}, ast-grep {AST_GREP}, libcst {LIBCST}, "
                f"{run(['rg', '--version']).stdout.decode().splitlines()[0]}, "
                f"{run(['hyperfine', '--version']).stdout.decode().strip()}")
    nfiles = len(pinned.python_files(tree))

    def job(name, title, commands, base, cwd=tree, codemod=None, times=None):
        pinned.log(f"timing {name} ...")
        res = hyperfine(commands, cwd, times or runs, work, name)
        funnel, summary = stats(binary, cwd, codemod or paths[name])
        sections.append(f"### {title}\n\n{summary}\n\n{table(res, base)}\n\n"
                        "`--stats` funnel (2 threads):\n\n```\n" + "\n".join(funnel) + "\n```\n")
        return res

    c = lambda name, sub: f"{r} {sub} --no-target-check --codemods {paths[name]} ."
    typing_res = job("typing", "typing → collections.abc (the bundled 111-move codemod) vs ruff UP035", [
        ("rg -l -w -e Callable -e Iterable … (floor)", "rg -l -w -e Callable -e Iterable -e Mapping -e Sequence ."),
        ("reroute check", c("typing", "check")),
        ("reroute diff", c("typing", "diff")),
        ("ruff check --select UP035", ruff + " ."),
        ("ruff check --select UP035 --diff", ruff.replace("--exit-zero -q", "--diff") + " ."),
        ("ast-grep: find `from typing import $$$`", "ast-grep run --lang python -p 'from typing import $$$A' ."),
    ], "ruff check --select UP035")
    numbers_res = job("numbers", "one common module: sympy.core.numbers → sympy.core.numeric", [
        ("rg -l numbers (floor)", "rg -l -w numbers ."),
        ("reroute check", c("numbers", "check")),
        ("reroute diff", c("numbers", "diff")),
        ("ruff check --select UP035", ruff + " ."),
        ("ast-grep: find `from sympy.core.numbers import $$$`",
         "ast-grep run --lang python -p 'from sympy.core.numbers import $$$A' ."),
    ], "ruff check --select UP035")
    job("nomatch", "a move that matches nothing", [
        ("rg -l old_mod (floor)", "rg -l -w old_mod ."),
        ("reroute check", c("nomatch", "check")),
    ], "rg -l old_mod (floor)")
    upgrades = {}
    for key, codemod, specs, rules, label in (
            ("numpy2", NUMPY2, NUMPY_CORPUS, "NPY201", "NumPy 2"),
            ("airflow3", AIRFLOW3, AIRFLOW_CORPUS, "AIR301,AIR302,AIR311,AIR312", "Airflow 3")):
        where = upgrade_corpus(work, f"corpus-{key}", specs)
        paths[key] = codemod
        problems += identical(binary, where, codemod, key)
        count = len(pinned.python_files(where))
        peer = f"ruff check --no-cache --isolated --select {rules} --exit-zero -q ."
        upgrades[key] = job(key, f"{label}: bench/upgrades/{codemod.name} vs ruff {rules} on {count} files of "
                            f"{', '.join(specs)}", [
            ("rg -l -w " + ("numpy" if key == "numpy2" else "airflow") + " (floor)",
             "rg -l -w " + ("numpy" if key == "numpy2" else "airflow") + " ."),
            ("reroute check", f"{r} check --no-target-check --codemods {codemod} ."),
            ("reroute diff --assume-upgraded", f"{r} diff --assume-upgraded --no-target-check --codemods {codemod} ."),
            (f"ruff check --select {rules}", peer),
        ], f"ruff check --select {rules}", cwd=where, codemod=codemod)
    big = tripled(work / "full", tree)
    rare = job("rare", f"one rare module, django.utils.termcolors, on the corpus copied 3× "
               f"({len(pinned.python_files(big))} files)", [
        ("rg -l termcolors (floor)", "rg -l -w termcolors ."),
        ("reroute check", c("rare", "check")),
        ("reroute check, 1,000 non-matching moves + the rare move", c("many", "check")),
    ], "rg -l termcolors (floor)", cwd=big)
    # LibCST on a subset: its RenameCommand over networkx only, timed once (it takes over a
    # minute there, hours on the corpus); reroute's diff of the same rename beside it.
    nx = next(tree.glob("networkx-*"))
    pinned.log("timing libcst (one run) ...")
    libcst_cmd = [sys.executable, "-m", "libcst.tool", "codemod", "rename.RenameCommand", "-j", "2",
                  "--no-format", "-u", "1", "--hide-progress",
                  "--old_name", "networkx.utils.not_implemented_for",
                  "--new_name", "networkx.utils.decorators.unsupported_for", "."]
    started = time.perf_counter()
    libcst_out = run(libcst_cmd, cwd=nx)
    libcst_s = time.perf_counter() - started
    libcst_files = libcst_out.stdout.decode(errors="replace").count("\n+++ ")
    ours = hyperfine([("reroute diff", c("networkx-rename", "diff"))], nx, runs, work, "libcst")
    reroute_files = run(c("networkx-rename", "diff").split(), cwd=nx).stdout.decode(errors="replace").count("\n+++ ")
    sections.append(
        "### one symbol rename on networkx alone, beside LibCST's RenameCommand\n\n"
        f"| command | time | files changed |\n|---|---:|---:|\n"
        f"| reroute diff | {ours['reroute diff'][0] * 1000:.0f} ms | {reroute_files} |\n"
        f"| libcst RenameCommand -j 2 (one run) | {libcst_s * 1000:.0f} ms | {libcst_files} |\n\n"
        "LibCST's count leaves out relative importers, which it does not match "
        "(bench/differential/results.md).\n")
    libcst_ratio = libcst_s / ours["reroute diff"][0]

    # Threads and memory.
    pinned.log("threads and memory ...")
    one = hyperfine([("1 thread", c("typing", "check").replace(" check ", " check -j1 ")),
                     ("2 threads", c("typing", "check").replace(" check ", " check -j2 "))], tree, runs, work, "threads")
    speedup = one["1 thread"][0] / one["2 threads"][0]
    rss = {}
    for label, where in (("1×", tree), ("3×", big)):
        for sub in ("diff", "check"):
            rss[(label, sub)] = peak_rss_mb(c("numbers", sub).split(), where)
    applied = work / "applied"
    shutil.rmtree(applied, ignore_errors=True)
    shutil.copytree(tree, applied, symlinks=True)
    rss[("1×", "apply")] = peak_rss_mb(c("numbers", "apply").split(), applied)
    shutil.rmtree(applied, ignore_errors=True)
    warm = hyperfine([("ruff UP035, warm cache", ruff.replace("--no-cache ", "") + " .")], tree, runs, work, "warm")

    ratio = lambda res, a, b: res[a][0] / res[b][0]
    lines = [
        "# reroute speed (issues #9 and #21)",
        "",
        f"Command: `python3 bench/speed.py`; {nfiles} Python files of {', '.join(f'{n} {v[0]}' for n, v in PINS.items())}; "
        f"{os.cpu_count()} cores, {platform.machine()}; {versions}; {runs} runs per command.",
        "",
        "Byte identity: `diff` and `check --format json` with stage 2 and with `REROUTE_FULL_PARSE=1` "
        f"on {len(paths)} jobs: " + ("**identical**" if not problems else "**DIFFER**: " + "; ".join(problems)),
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---:|---|",
        f"| typing codemod, `check` vs ruff UP035 ≤ 0.45× | {ratio(typing_res, 'reroute check', 'ruff check --select UP035'):.2f}× | |",
        f"| typing codemod, `diff` vs `ruff --diff` ≤ 0.45× | {ratio(typing_res, 'reroute diff', 'ruff check --select UP035 --diff'):.2f}× | |",
        f"| sympy.core.numbers, `check` vs ruff ≤ 0.3× | {ratio(numbers_res, 'reroute check', 'ruff check --select UP035'):.2f}× | |",
        f"| sympy.core.numbers, `diff` vs ruff ≤ 0.3× | {ratio(numbers_res, 'reroute diff', 'ruff check --select UP035'):.2f}× | |",
        f"| NumPy 2 codemod, `check` vs ruff NPY201 ≤ 0.6× | {ratio(upgrades['numpy2'], 'reroute check', 'ruff check --select NPY201'):.2f}× | |",
        f"| Airflow 3 codemod, `check` vs ruff AIR3xx ≤ 0.5× | {ratio(upgrades['airflow3'], 'reroute check', 'ruff check --select AIR301,AIR302,AIR311,AIR312'):.2f}× | |",
        f"| rare move vs `rg -l` ≤ 1.3× (3× corpus) | {ratio(rare, 'reroute check', 'rg -l termcolors (floor)'):.2f}× | |",
        f"| 1,000 non-matching moves + rare ≤ 1.1× rare alone | {ratio(rare, 'reroute check, 1,000 non-matching moves + the rare move', 'reroute check'):.2f}× | |",
        f"| 2 threads ≥ 1.7× one (typing `check`) | {speedup:.2f}× | |",
        f"| peak RSS of `diff` / `apply` ≤ 150 MB, flat 1× → 3× | diff {rss[('1×', 'diff')]:.0f} → {rss[('3×', 'diff')]:.0f} MB, apply {rss[('1×', 'apply')]:.0f} MB, check {rss[('1×', 'check')]:.0f} → {rss[('3×', 'check')]:.0f} MB | sympy.core.numbers move |",
        f"| LibCST RenameCommand on networkx (one rename) | {libcst_ratio:.0f}× reroute's time | |",
        "",
        f"ruff with a warm cache (not comparable: it skips unchanged files): {warm['ruff UP035, warm cache'][0] * 1000:.0f} ms.",
        "",
        "## Jobs",
        "",
        *sections,
    ]
    out = ROOT / "bench" / "RESULTS.md"
    out.write_text("\n".join(lines) + "\n")
    pinned.log(f"wrote {out}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
