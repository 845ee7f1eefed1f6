"""Library upgrades side by side: reroute's builtin codemods against ruff's rules, on pinned
packages released before the upgrade (NumPy 1.x era code for NumPy 2.0; Airflow 2 DAGs and
provider packages for Airflow 3).

    python3 bench/upgrades.py [--library numpy|airflow|all] [--reroute target/release/reroute]

For each library, each pinned package is copied five times and rewritten by:
- `reroute` (default: version tiers held, as a project that still allows the old version),
- `reroute --assume-upgraded` (every tier rewritten),
- `ruff --fix` and `ruff --fix --unsafe-fixes` (NPY201 / AIR301,AIR302,AIR311,AIR312).
The codemods are the ones committed under bench/upgrades/ (copies of builtin/ when the
numbers were taken), so the numbers can be reproduced as the builtins change.

Then every tree's references to the library are tried in two venvs, old and new version
(bench/upgrades_sites.py: imports and attribute chains, not run):
- files failing on new: files with a reference outside any guard (no try that catches
  ImportError/AttributeError, no hasattr or version branch) that does not exist on the new
  version: what still breaks at import or call time;
- fallbacks broken on old: references inside an except handler, or on the older side of a
  hasattr / version test, that worked on the old version before the rewrite and do not after;
- old version broken: references outside any guard that worked on the old version before the
  rewrite and do not after (what a project that still supports it loses);
- wrong rewrites: references the rewrite introduced (paths not in the file before) that do
  not exist on the new version.
Sites fixed and reported come from each tool's own report on the original tree. Results go to
bench/upgrades.md. Venvs and trees live in REROUTE_UPGRADES_DIR (default
/tmp/reroute-upgrades), sdists in the pinned cache (bench/pinned.py).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pinned  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RUFF = "0.17.6"

# name -> (version, sha256 of the sdist on PyPI)
NUMPY_PINS = {  # releases of 2022 - early 2023, well before NumPy 2.0 (June 2024)
    "xarray": ("2023.1.0", None),
    "dask": ("2023.1.0", None),
    "seaborn": ("0.12.2", None),
    "nibabel": ("4.0.2", None),
    "mne": ("1.3.1", None),
    "autograd": ("1.5", None),
    "patsy": ("0.5.3", None),
    "pyqtgraph": ("0.13.1", None),
}
AIRFLOW_PINS = {
    "apache-airflow": ("2.10.5", None),
    "apache-airflow-providers-amazon": ("9.2.0", None),
    "apache-airflow-providers-google": ("12.0.0", None),
    "apache-airflow-providers-cncf-kubernetes": ("10.1.0", None),
    "apache-airflow-providers-databricks": ("7.0.0", None),
    "apache-airflow-providers-snowflake": ("6.0.0", None),
    "apache-airflow-providers-http": ("5.0.0", None),
    "astronomer-cosmos": ("1.8.2", None),
}
LIBRARIES = {
    "numpy": {
        "pins": NUMPY_PINS,
        "codemod": HERE / "upgrades" / "numpy2.toml",
        "ruff": ["NPY201"],
        "old": ["numpy==1.26.4"],
        "new": ["numpy==2.0.2"],
    },
    "airflow": {
        "pins": AIRFLOW_PINS,
        "codemod": HERE / "upgrades" / "airflow3.toml",
        "ruff": ["AIR301", "AIR302", "AIR311", "AIR312"],
        "old": ["apache-airflow==2.10.5", "apache-airflow-providers-standard==0.0.3"],
        "new": ["apache-airflow==3.0.6", "apache-airflow-providers-standard",
                "apache-airflow-providers-common-sql"],
    },
}
VARIANTS = ["reroute", "reroute-upgraded", "ruff", "ruff-unsafe"]


def work_dir() -> Path:
    path = Path(os.environ.get("REROUTE_UPGRADES_DIR", "/tmp/reroute-upgrades"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def venv(name: str, requirements) -> Path:
    """A venv with `requirements` (made once); returns its python."""
    folder = work_dir() / f"venv-{name}"
    python = folder / "bin" / "python"
    stamp = folder / ".requirements"
    wanted = "\n".join(requirements)
    if stamp.exists() and stamp.read_text() == wanted:
        return python
    pinned.log(f"making venv {name}: {' '.join(requirements)}")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(folder)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", *requirements], check=True)
    stamp.write_text(wanted)
    return python


def sdist_pins(pins):
    """Fills in the sha256 of each sdist from bench/upgrades.lock.json (written on the first
    download; committed, so later runs check it)."""
    lock_file = HERE / "upgrades.lock.json"
    lock = json.loads(lock_file.read_text()) if lock_file.exists() else {}
    out = {}
    for name, (version, _) in pins.items():
        key = f"{name}=={version}"
        if key not in lock:
            dl = pinned.cache_dir() / "dl"
            dl.mkdir(parents=True, exist_ok=True)
            subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", name,
                            key, "-d", str(dl)], check=True, capture_output=True)
            found = [p for p in dl.iterdir() if p.name.lower().replace("_", "-") == f"{name}-{version}.tar.gz"]
            target = dl / f"{name}-{version}.tar.gz"
            if found and found[0] != target:
                os.replace(found[0], target)
            lock[key] = pinned.sha256_of(target)
            lock_file.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")
        out[name] = (version, lock[key])
    return out


def corpus(name: str, source: Path) -> Path:
    """The part of a package's sdist that is the code under test: Airflow's own example DAGs
    (not Airflow itself), else the whole sdist."""
    if name == "apache-airflow":
        return source / "airflow" / "example_dags"
    return source


def own_prefix(name: str):
    """The dotted prefix of a provider package's own modules: not a reference to Airflow."""
    if name.startswith("apache-airflow-providers-"):
        return "airflow.providers." + name[len("apache-airflow-providers-"):].replace("-", ".")
    return None


def run(cmd, cwd):
    started = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    return r, time.perf_counter() - started


def rewrite(variant, tree: Path, library, reroute: str, ruff: Path):
    codemod = str(LIBRARIES[library]["codemod"])
    rules = ",".join(LIBRARIES[library]["ruff"])
    if variant.startswith("reroute"):
        cmd = [reroute, "apply", "--codemods", codemod, "--no-target-check", "-q"]
        if variant == "reroute-upgraded":
            cmd.append("--assume-upgraded")
    else:
        cmd = [str(ruff), "check", "--isolated", "--no-cache", "--select", rules, "--fix", "--exit-zero", "-q"]
        if variant == "ruff-unsafe":
            cmd.append("--unsafe-fixes")
        cmd.append(".")
    r, seconds = run(cmd, tree)
    if r.returncode not in (0, 1):
        pinned.die(f"{' '.join(cmd)} in {tree}: exit {r.returncode}\n{r.stderr[-2000:]}")
    return seconds


def reported_lines(variant, tree: Path, library, reroute: str, ruff: Path):
    """(file, line) of every reference the tool still reports on its rewritten tree."""
    if variant.startswith("reroute"):
        cmd = [reroute, "check", "--codemods", str(LIBRARIES[library]["codemod"]), "--no-target-check",
               "--format", "json"]
        if variant == "reroute-upgraded":
            cmd.append("--assume-upgraded")
        r, _ = run(cmd, tree)
        return {(f["path"], f["line"]) for f in json.loads(r.stdout)["findings"]}
    rules = ",".join(LIBRARIES[library]["ruff"])
    r, _ = run([str(ruff), "check", "--isolated", "--no-cache", "--select", rules, "--output-format", "json",
                "--exit-zero", "."], tree)
    return {(str(Path(d["filename"]).relative_to(tree)), d["location"]["row"]) for d in json.loads(r.stdout or "[]")}


def reroute_report(tree: Path, library, reroute: str, upgraded: bool):
    cmd = [reroute, "check", "--codemods", str(LIBRARIES[library]["codemod"]), "--no-target-check",
           "--format", "json"]
    if upgraded:
        cmd.append("--assume-upgraded")
    r, _ = run(cmd, tree)
    doc = json.loads(r.stdout)
    codes = Counter((f["reason"] or {}).get("code", "fixable") for f in doc["findings"])
    return {"fixed": doc["summary"]["fixable"], "reported": doc["summary"]["manual"],
            "notes": doc["summary"]["notes"], "codes": dict(codes)}


def ruff_report(tree: Path, library, ruff: Path, unsafe: bool):
    rules = ",".join(LIBRARIES[library]["ruff"])
    cmd = [str(ruff), "check", "--isolated", "--no-cache", "--select", rules, "--output-format", "json",
           "--exit-zero", "."]
    r, _ = run(cmd, tree)
    found = json.loads(r.stdout or "[]")
    fixable = [d for d in found if d.get("fix") and (unsafe or d["fix"].get("applicability") == "safe")]
    return {"fixed": len(fixable), "reported": len(found) - len(fixable), "notes": 0,
            "codes": dict(Counter(d["code"] for d in found))}


def sites(python: Path, tree: Path, library: str, skip):
    cmd = [str(python), str(HERE / "upgrades_sites.py"), str(tree), library]
    for prefix in skip:
        cmd += ["--skip", prefix]
    home = work_dir() / f"airflow-home-{python.parent.parent.name}"
    env = {**os.environ, "AIRFLOW_HOME": str(home), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode:
        pinned.die(f"upgrades_sites.py on {tree}: {r.stderr[-2000:]}")
    return json.loads(r.stdout)


def guarded(site):
    return site["context"] != "plain"


def compare(original_old, original_new, after_old, after_new, reported=frozenset()):
    """The counts for one rewritten tree against the original."""
    # A reference that fails on the old version too, unchanged by the rewrite, is not the
    # upgrade's doing (a provider or extra not installed in the venvs): left out.
    broken_anyway = {(file, s["path"]) for file, sites in original_old.items() for s in sites if not s["ok"]}
    failing = {file: [s for s in sites if not s["ok"] and not guarded(s) and (file, s["path"]) not in broken_anyway]
               for file, sites in after_new.items()}
    files_failing = sum(1 for sites in failing.values() if sites)
    # Files where some failing reference is not among what the tool still reports.
    unreported = sum(1 for file, sites in failing.items()
                     if any((file, s["line"]) not in reported for s in sites))
    fallback_broken = 0
    old_broken = 0
    wrong = 0
    for file, sites in after_old.items():
        before = original_old.get(file, [])
        ok_before = Counter((s["path"], s["context"]) for s in before if s["ok"])
        fail_before = Counter((s["path"], s["context"]) for s in before if not s["ok"])
        fail_after = Counter((s["path"], s["context"]) for s in sites if not s["ok"])
        for (path, context), n in (fail_after - fail_before).items():
            if context in ("handler", "old-side"):
                fallback_broken += n
            elif context == "plain":
                old_broken += n
        del ok_before
    for file, sites in after_new.items():
        paths_before = Counter(s["path"] for s in original_new.get(file, []))
        introduced = Counter(s["path"] for s in sites) - paths_before
        missing = {s["path"] for s in sites if not s["ok"]}
        wrong += sum(n for path, n in introduced.items() if path in missing)
    return {"files_failing_new": files_failing, "unreported": unreported,
            "fallbacks_broken_old": fallback_broken, "old_broken": old_broken, "wrong": wrong}


def bench_library(library: str, reroute: str, ruff: Path):
    spec = LIBRARIES[library]
    old = venv(f"{library}-old", spec["old"])
    new = venv(f"{library}-new", spec["new"])
    pins = sdist_pins(spec["pins"])
    rows = []
    for name in spec["pins"]:
        source = corpus(name, pinned.fetch(name, pins=pins))
        skip = [p for p in [own_prefix(name)] if p]
        base = work_dir() / "work" / library / name
        if base.exists():
            shutil.rmtree(base)
        trees = {}
        for variant in ["original"] + VARIANTS:
            trees[variant] = base / variant
            shutil.copytree(source, trees[variant], symlinks=True)
        files = len(list(trees["original"].rglob("*.py")))
        report = {
            "reroute": reroute_report(trees["original"], library, reroute, False),
            "reroute-upgraded": reroute_report(trees["original"], library, reroute, True),
            "ruff": ruff_report(trees["original"], library, ruff, False),
            "ruff-unsafe": ruff_report(trees["original"], library, ruff, True),
        }
        seconds = {v: rewrite(v, trees[v], library, reroute, ruff) for v in VARIANTS}
        checked = {v: (sites(old, t, library, skip), sites(new, t, library, skip)) for v, t in trees.items()}
        o_old, o_new = checked["original"]
        row = {"package": f"{name}=={spec['pins'][name][0]}", "files": files,
               "original_failing_new": compare(o_old, o_new, o_old, o_new)["files_failing_new"]}
        for v in VARIANTS:
            left = reported_lines(v, trees[v], library, reroute, ruff)
            row[v] = {**report[v], **compare(o_old, o_new, *checked[v], left), "seconds": round(seconds[v], 3)}
        rows.append(row)
        pinned.log(json.dumps(row))
    return rows


def table(library, rows):
    lines = [f"### {library}", "",
             "| package | files | failing on new before | tool | sites fixed | reported (manual) | notes | files failing on new | of which not reported | fallbacks broken on old | old version broken | wrong | seconds |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    totals = {v: Counter() for v in VARIANTS}
    for row in rows:
        for v in VARIANTS:
            r = row[v]
            lines.append(f"| {row['package']} | {row['files']} | {row['original_failing_new']} | {v} | {r['fixed']} | "
                         f"{r['reported']} | {r['notes']} | {r['files_failing_new']} | {r['unreported']} | {r['fallbacks_broken_old']} | "
                         f"{r['old_broken']} | {r['wrong']} | {r['seconds']} |")
            totals[v].update({k: r[k] for k in ("fixed", "reported", "notes", "files_failing_new", "unreported",
                                                 "fallbacks_broken_old", "old_broken", "wrong")})
    before = sum(r["original_failing_new"] for r in rows)
    lines += ["", f"Totals over {len(rows)} packages ({sum(r['files'] for r in rows)} files; "
                  f"{before} files failing on the new version before any rewrite):", "",
              "| tool | sites fixed | reported | notes | files failing on new | of which not reported | fallbacks broken on old | old version broken | wrong |",
              "|---|---|---|---|---|---|---|---|---|"]
    for v in VARIANTS:
        t = totals[v]
        lines.append(f"| {v} | {t['fixed']} | {t['reported']} | {t['notes']} | {t['files_failing_new']} | "
                     f"{t['unreported']} | {t['fallbacks_broken_old']} | {t['old_broken']} | {t['wrong']} |")
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--library", choices=["numpy", "airflow", "all"], default="all")
    parser.add_argument("--reroute", default=str(ROOT / "target" / "release" / "reroute"))
    args = parser.parse_args()
    if not Path(args.reroute).exists():
        subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    reroute = str(Path(args.reroute).resolve())
    ruff = venv("ruff", [f"ruff=={RUFF}"]).parent / "ruff"
    libraries = ["numpy", "airflow"] if args.library == "all" else [args.library]
    out = HERE / "upgrades.md"
    sections = {}
    if out.exists():
        for block in re.split(r"(?m)^(?=### )", out.read_text()):
            if block.startswith("### "):
                sections[block.split()[1]] = block.rstrip("\n").split("\n")
    for library in libraries:
        sections[library] = table(library, bench_library(library, reroute, ruff))
    header = (HERE / "upgrades_header.md").read_text().rstrip("\n").split("\n")
    body = header + [""]
    for library in ["numpy", "airflow"]:
        if library in sections:
            body += sections[library] + [""]
    out.write_text("\n".join(body))
    print("\n".join(body))


if __name__ == "__main__":
    main()
