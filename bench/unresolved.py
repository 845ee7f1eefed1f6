#!/usr/bin/env python3
"""`check --unresolved-imports` and `suggest --unresolved` on real projects (issue #18).

    python3 bench/unresolved.py [BINARY]     # results: bench/unresolved.md (commit it)

Two projects with offline test suites, from their pinned sdists (each in a new git
repository): click 8.1.7 and Jinja2 3.1.4. For each:
  1. the suite's baseline (pytest, with the project's `src/` first on the path);
  2. false positives on the pristine tree: every `unresolved-import` finding is tried in a
     venv where the project is importable; one whose import succeeds is a false positive;
  3. each move of MOVES is made with a plain `git mv` (no codemod): the suite must break,
     `check --unresolved-imports` must exit 1; then `suggest --unresolved --git HEAD`
     (written into codemods/) and `apply` must bring the suite back to its baseline, with
     `check --unresolved-imports` at exit 0.
Then false positives on the four pinned packages of bench/pinned.py (django, sqlalchemy,
sympy, networkx), each finding tried in a venv with that package installed.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pinned  # noqa: E402

HERE = Path(__file__).resolve().parent
PROJECTS = {
    "click": ("8.1.7", "ca9853ad459e787e2192211578cc907e7594e294c7ccc834310722b41b9ca6de"),
    "jinja2": ("3.1.4", "4a3aee7acbbe7303aede8e9648d13b8bf88a429282aa6122a993f0ac800cb369"),
}
# What each suite needs besides the project itself (pinned).
SUITE_DEPS = ["pytest==8.3.3", "MarkupSafe==2.1.5"]
# Installed from PyPI to try the findings on the four pinned packages.
PINNED_INSTALL = ["django==5.1.4", "sqlalchemy==2.0.36", "sympy==1.13.3", "networkx==3.4.2"]
# Plain `git mv`s: (project, [(old path, new path)]).
MOVES = [
    ("click", [("src/click/_textwrap.py", "src/click/_internal/textwrap_.py")]),
    ("click", [("src/click/parser.py", "src/click/_internal/parser.py")]),
    ("jinja2", [("src/jinja2/idtracking.py", "src/jinja2/compiler_support/idtracking.py")]),
    ("jinja2", [("src/jinja2/visitor.py", "src/jinja2/_visitor.py")]),
]

TRY_IMPORT = """
import importlib, json, sys
out = []
for path in json.load(sys.stdin):
    ok = False
    try:
        importlib.import_module(path)
        ok = True
    except Exception:
        parent, _, last = path.rpartition(".")
        try:
            ok = hasattr(importlib.import_module(parent), last)
        except Exception:
            ok = False
    out.append(ok)
print(json.dumps(out))
"""


def run(cmd, cwd, check=True, env=None, stdin=None):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, input=stdin)
    if check and r.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
    return r


def make_venv(path: Path, packages):
    if not (path / "bin" / "python").exists():
        venv.create(path, with_pip=True)
        run([path / "bin" / "python", "-m", "pip", "install", "-q", *packages], cwd=path)
    return path / "bin" / "python"


def git(tree, *args):
    return run(["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", *args], cwd=tree)


def fresh_repo(name: str, work: Path) -> Path:
    source = pinned.fetch(name, pins=PROJECTS)
    tree = work / name
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(source, tree)
    (tree / ".ok").unlink()
    git(tree, "init", "-q")
    git(tree, "add", "-A")
    git(tree, "commit", "-qm", "pinned sdist")
    return tree


def suite(python, tree):
    """(passed, failed+errors) of the project's suite."""
    env = dict(os.environ, PYTHONPATH=str(tree / "src"), PYTHONDONTWRITEBYTECODE="1")
    r = run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=tree, check=False, env=env)
    # The closing line ("589 passed in 3.1s", "514 passed, 75 failed in …", "16 errors in …"),
    # or "Interrupted: 16 errors during collection" when collection fails.
    counts = {}
    for line in r.stdout.strip().splitlines()[-3:]:
        for part in line.strip("= !").replace(" in ", ", in ").replace("Interrupted: ", "").split(", "):
            bits = part.strip().split(" ")
            if len(bits) >= 2 and bits[0].isdigit():
                counts[bits[1]] = max(counts.get(bits[1], 0), int(bits[0]))
    errors = counts.get("error", 0) + counts.get("errors", 0)
    return counts.get("passed", 0), counts.get("failed", 0) + errors, r.returncode


def shown(result):
    passed, failed, code = result
    if passed + failed == 0:
        return f"no test ran (pytest exit {code}: an import of the test setup failed)"
    return f"{passed} passed, {failed} failed"


def findings(binary, tree):
    r = run([binary, "check", "--unresolved-imports", "--format", "json"], cwd=tree, check=False)
    doc = json.loads(r.stdout)
    return r.returncode, [f for f in doc["findings"] if f["rule"] == "unresolved-import"]


def false_positives(python, found, env=None):
    manual = [f for f in found if f["status"] == "manual"]
    if not manual:
        return []
    ok = json.loads(run([python, "-c", TRY_IMPORT], cwd="/", env=env,
                        stdin=json.dumps([f["old"] for f in manual])).stdout)
    return [f for f, succeeded in zip(manual, ok) if succeeded]


def main():
    binary = Path(sys.argv[1] if len(sys.argv) > 1 else pinned.ROOT / "target" / "release" / "reroute").resolve()
    cache = pinned.cache_dir()
    work = Path(tempfile.mkdtemp(prefix="reroute-unresolved-"))
    python = make_venv(cache / "venv-unresolved-suites", SUITE_DEPS)
    lines = ["# `check --unresolved-imports` on real projects (issue #18)", "",
             f"Command: `python3 bench/unresolved.py`; binary `{binary.name}`; "
             f"{', '.join(f'{n} {v[0]}' for n, v in PROJECTS.items())} sdists in new git repositories; "
             f"suites run with pytest and `src/` first on the path.", ""]
    lines += ["## False positives on the pristine trees", "",
              "| tree | files | findings (manual / notes) | false positives | time |", "|---|---|---|---|---|"]
    baselines = {}
    for name in PROJECTS:
        tree = fresh_repo(name, work)
        baselines[name] = suite(python, tree)
        started = time.perf_counter()
        code, found = findings(binary, tree)
        took = time.perf_counter() - started
        env = dict(os.environ, PYTHONPATH=str(tree / "src"))
        fps = false_positives(python, found, env)
        files = sum(1 for _ in tree.rglob("*.py"))
        manual = sum(f["status"] == "manual" for f in found)
        lines.append(f"| {name} | {files} | {manual} / {len(found) - manual} | {len(fps)} | {took:.2f} s |")
        for f in fps:
            lines.append(f"|  | false positive: `{f['path']}:{f['line']}` `{f['old']}` | | | |")
    python_pinned = make_venv(cache / "venv-unresolved-pinned", PINNED_INSTALL)
    for name in pinned.PINS:
        tree = pinned.fetch(name)
        started = time.perf_counter()
        code, found = findings(binary, tree)
        took = time.perf_counter() - started
        fps = false_positives(python_pinned, found)
        files = sum(1 for _ in tree.rglob("*.py"))
        manual = [f for f in found if f["status"] == "manual"]
        lines.append(f"| {name} {pinned.PINS[name][0]} | {files} | {len(manual)} / {len(found) - len(manual)} | "
                     f"{len(fps)} | {took:.2f} s |")
        for f in fps:
            lines.append(f"|  | false positive: `{f['path']}:{f['line']}` `{f['old']}` | | | |")
        for f in manual:
            if f not in fps:
                lines.append(f"|  | fails to import (true): `{f['path']}:{f['line']}` `{f['old']}` | | | |")
    lines += ["", "A false positive is a finding whose import succeeds in a venv where the package is "
              "importable (the pinned release installed from PyPI, or the project's `src/` on the path).", ""]
    lines += ["## A plain `git mv`, then `suggest --unresolved --git HEAD` and `apply`", "",
              "| project | move | suite before | after `git mv` (failed = failed + errors) | check exit, findings | suggested moves | "
              "suite after apply | check after |", "|---|---|---|---|---|---|---|---|"]
    all_ok = True
    for name, moves in MOVES:
        tree = fresh_repo(name, work)
        for old, new in moves:
            (tree / new).parent.mkdir(parents=True, exist_ok=True)
            init = (tree / new).parent / "__init__.py"
            if not init.exists():
                init.write_text("")
                git(tree, "add", str(init.relative_to(tree)))
            git(tree, "mv", old, new)
        broken = suite(python, tree)
        code, found = findings(binary, tree)
        manual = sum(f["status"] == "manual" for f in found)
        suggested = run([binary, "suggest", "--unresolved", "--git", "HEAD"], cwd=tree).stdout
        (tree / "codemods").mkdir(exist_ok=True)
        (tree / "codemods" / "fix.toml").write_text(suggested)
        moves_said = suggested.count("[[move]]")
        applied = run([binary, "apply"], cwd=tree, check=False)
        after = suite(python, tree)
        code_after, _ = findings(binary, tree)
        ok = (code == 1 and manual > 0 and applied.returncode == 0 and after[:2] == baselines[name][:2]
              and code_after == 0 and broken[:2] != baselines[name][:2])
        all_ok &= ok
        said = ", ".join(f"`{o}` → `{n}`" for o, n in moves)
        lines.append(f"| {name} | {said} | {shown(baselines[name])} | {shown(broken)} | {code}, {manual} | "
                     f"{moves_said} | {shown(after)} | {code_after} |")
    lines += ["", f"Every move: {'PASS' if all_ok else 'FAIL'} (check exits 1 after the `git mv`, the suite is back "
              "to its baseline after `apply`, and check exits 0).", ""]
    (HERE / "unresolved.md").write_text("\n".join(lines))
    print("\n".join(lines))
    shutil.rmtree(work, ignore_errors=True)
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
