#!/usr/bin/env python3
"""Round trip on real code: move a module away and back, count the files that come back
byte-identical, and classify the rest.

    python3 bench/roundtrip.py BINARY            # 4 packages x 10 modules; writes bench/roundtrip.md
    python3 bench/roundtrip.py --small BINARY    # CI: networkx, its 4 most imported modules

Corpora: the pinned sdists of bench/pinned.py (django 5.1.4, sqlalchemy 2.0.36, sympy 1.13.3,
networkx 3.4.2; sha256 checked). Modules: the N modules of each package imported by the most
files (absolute and relative imports, read with CPython's ast; the top-level package itself
left out): real paths, picked automatically.

For each module M, in a copy of the package (restored after each module):
  1. codemod `M -> M_moved`, `reroute apply . --no-target-check` (M_moved does not exist);
  2. codemod `M_moved -> M`, `reroute apply . --no-target-check`;
  3. every file is compared with the pristine one: identical, or classified by what differs
     (line by line, see `classify`), with examples.
After each apply: the exit code must be 0 or 1 (2 with "internal error", or a signal, is a
failure; so is any per-file error), and every file that CPython's `ast.parse` accepted before
must still parse. Also counted: references `apply` left (its summary line).

Exit code: 0 no failure (differences are classified, not failures), 1 a failure (crash,
per-file error, a file that no longer parses), 2 a setup error.

Environment: REROUTE_PINNED_DIR (download cache and work folder, default /tmp/reroute-pinned).
"""
import argparse
import difflib
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pinned  # noqa: E402
from pinned import log, die  # noqa: E402

HERE = Path(__file__).resolve().parent
SMALL = {"networkx": 4}
EXAMPLES_PER_CLASS = 3


def apply(binary: Path, tree: Path, spec: Path, jobs: int):
    t = time.perf_counter()
    r = subprocess.run([str(binary), "apply", ".", "--codemods", str(spec), "--no-target-check",
                        "--color", "never", "-j", str(jobs)], cwd=tree, capture_output=True)
    return r, time.perf_counter() - t


def summary_line(r) -> str:
    """`apply`'s summary: "Scanned N files; rewrote ...; K need a manual edit; F files failed."."""
    for stream in (r.stdout, r.stderr):
        for line in stream.decode(errors="replace").splitlines():
            if line.startswith("Scanned ") and "need a manual edit" in line:
                return line
    return ""


def left_count(r) -> int:
    m = re.search(r"(\d+) need a manual edit", summary_line(r))
    return int(m.group(1)) if m else 0


def manual_reasons(r) -> Counter:
    """The reason codes of the references `apply` left (`manual: PATH:L:C: RULE: OLD -> NEW [code] ...`)."""
    out = Counter()
    for line in r.stderr.decode(errors="replace").splitlines():
        m = re.match(r"manual: .*? \[([\w-]+)\]", line)
        if m:
            out[m.group(1)] += 1
    return out


def crash(r) -> str:
    err = r.stderr.decode(errors="replace")
    if r.returncode < 0:
        return f"killed by signal {-r.returncode}"
    if "internal error" in err or "panicked" in err:
        return "internal error: " + next(l for l in err.splitlines() if "internal error" in l or "panicked" in l)
    if r.returncode not in (0, 1):
        return f"exit {r.returncode}: " + err.strip()[-400:]
    errors = [l for l in err.splitlines() if l.startswith("error:")]
    if errors:
        return "per-file errors: " + "; ".join(errors[:3])
    return ""


# ---------------------------------------------------------------------------------- classes
ALIAS_SAME = re.compile(r"\b([A-Za-z_]\w*)\s+as\s+\1\b")
ALIAS_CLASS = "`from P import M` comes back as `from P import M as M` (away: `M_moved as M`)"


def norm_ws(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\\\n", "").replace("\\\r\n", ""))


def aliases_of(text: str) -> dict:
    """`import networkx as nx` -> {"nx": "networkx"} (module aliases a use may go through)."""
    return {alias: full for full, alias in re.findall(r"^\s*import\s+([\w.]+)\s+as\s+(\w+)\s*$", text, re.M)}


def is_import(line: str) -> bool:
    return line.lstrip().startswith(("import ", "from "))


# What each class means (printed under the results).
NOTES = [
    (ALIAS_CLASS, "expected asymmetry. The away apply keeps the local name (`from django.db import "
     "models_moved as models`); the back apply renames the imported name and keeps the alias. Same bindings, "
     "but `import M as M` is what mypy (no_implicit_reexport) and pyright read as an explicit re-export: "
     "dropping the alias when it equals the new name (and the input alias did not) would make this round trip "
     "exact."),
    ("relative import re-spelled", "expected: files never move on disk, so for a file inside M the back apply "
     "writes the shortest relative spelling (`from ..orm.collections import X` in `orm/events.py` comes back "
     "as `from .collections import X`)."),
    ("import added by the away apply", "by design: a use reached through a parent package "
     "(`import sympy` + `sympy.core.numbers.X`) is rewritten and `import P` is added for the new module's "
     "parent P (`import sympy.core`); the back apply has no reason to remove it."),
    ("use through an import alias spelled in full", "by design: `import networkx as nx` + "
     "`nx.algorithms.bipartite.f()` becomes `networkx.algorithms.bipartite_moved.f()` plus "
     "`import networkx.algorithms`, not `nx.algorithms.bipartite_moved.f()`; the back apply keeps the full "
     "spelling."),
    ("import dropped by the away apply", "documented: the original imports the same name from the same module "
     "twice (`from ..sql.compiler import Compiled as Compiled` and `from ..sql.compiler import Compiled  # noqa`); "
     "the away apply drops the second one, with its trailing comment."),
    ("left on `M_moved`", "a reference the back apply reported instead of rewriting: `self-import` in a "
     "package's `__init__.py` (see below)."),
    ("self-import", "false positive: `from django.db.models import signals` inside `django/db/models/__init__.py` "
     "imports the submodule `signals`; reroute calls it a self-import and leaves the old path (failing test: "
     "tests/properties.rs `from_package_import_submodule_in_its_init_is_not_a_self_import`)."),
    ("name-conflict", "false positive: a name bound by `from M.x import name` and also rebound in the file "
     "(`@post_configure_engine.for_db(...)` on `def post_configure_engine`) needs no edit when only M moves; "
     "reroute reports each use (failing test: tests/properties.rs "
     "`use_of_rebound_from_imported_name_is_not_a_name_conflict`)."),
]


def chunk_class(a: list, b: list, module: str, aliases: dict) -> str:
    """What one differing run of lines is: `a` the pristine lines, `b` the round-tripped."""
    ta, tb = "".join(a), "".join(b)
    last = module.rsplit(".", 1)[-1]
    if "_moved" in tb:
        return "left on `M_moved` by the back apply (it reported the reference: see `left`)"
    if not a:
        if all(is_import(l) or not l.strip() for l in b):
            return "import added by the away apply (`import P` for a use `P.M.x` reached through a parent package)"
        return "lines added"
    if not b:
        if all(is_import(l) or not l.strip() for l in a):
            return "import dropped by the away apply (the original imports the same name twice)"
        return "lines dropped"
    if ALIAS_SAME.sub(r"\1", tb) == ALIAS_SAME.sub(r"\1", ta) and ALIAS_SAME.search(tb):
        if re.search(rf"\b{re.escape(last)}\s+as\s+{re.escape(last)}\b", tb):
            return ALIAS_CLASS
        return "`X as X` alias added"
    if norm_ws(ta) == norm_ws(tb):
        return "layout re-spelled (whitespace, continuation)"
    spelled = ta
    for alias, full in aliases.items():
        spelled = re.sub(rf"(?<![\w.]){re.escape(alias)}\.", full + ".", spelled)
    if spelled == tb:
        return "use through an import alias spelled in full (`nx.a.b` -> `networkx.a.b`)"
    rel_a = re.findall(r"from\s+(\.+[\w.]*)", ta)
    rel_b = re.findall(r"from\s+(\.+[\w.]*)", tb)
    if rel_a != rel_b or (rel_a or rel_b) and len(a) == len(b):
        return "relative import re-spelled (the file is inside the moved module)"
    if len(a) != len(b):
        return "statement split or joined"
    return "other"


def classify(before: bytes, after: bytes, module: str):
    """(sorted classes, one example hunk) for a file that did not come back identical."""
    a = before.decode("utf-8", errors="surrogateescape").splitlines(keepends=True)
    b = after.decode("utf-8", errors="surrogateescape").splitlines(keepends=True)
    aliases = aliases_of("".join(a))
    classes = set()
    hunk = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        classes.add(chunk_class(a[i1:i2], b[j1:j2], module, aliases))
        if len(hunk) < 12:
            hunk += [f"-{l.rstrip(chr(10)).rstrip(chr(13))}" for l in a[i1:i2][:4]]
            hunk += [f"+{l.rstrip(chr(10)).rstrip(chr(13))}" for l in b[j1:j2][:4]]
    if not classes:
        classes.add("line endings only")
    return sorted(classes), hunk


# ---------------------------------------------------------------------------------- run
def run_package(binary, pkg, count, jobs, work_root, failures, examples):
    pristine_tree = pinned.fetch(pkg)
    files = pinned.python_files(pristine_tree)
    log(f"{pkg}: {len(files)} files; picking the {count} most imported modules")
    modules = pinned.most_imported(pristine_tree, pkg, files, count)
    work = work_root / pkg
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(pristine_tree, work, symlinks=True)
    pristine = pinned.snapshot(work, files)
    parsed = {f: pinned.parses(data) for f, data in pristine.items()}
    specs = work_root / f"{pkg}-specs"
    specs.mkdir(parents=True, exist_ok=True)
    rows = []
    for module, importers in modules:
        moved = module + "_moved"
        fwd, back = specs / "forward.toml", specs / "back.toml"
        fwd.write_text(f'description = "round trip: away"\n[[move]]\nfrom = "{module}"\nto = "{moved}"\n')
        back.write_text(f'description = "round trip: back"\n[[move]]\nfrom = "{moved}"\nto = "{module}"\n')
        row = {"package": pkg, "module": module, "importers": importers}
        touched = set()
        for step, spec in (("away", fwd), ("back", back)):
            r, secs = apply(binary, work, spec, jobs)
            now = pinned.snapshot(work, files)
            changed = {f for f in files if now[f] != pristine[f]}
            touched |= changed
            row[f"{step}_secs"] = secs
            row[f"{step}_rc"] = r.returncode
            row[f"{step}_left"] = left_count(r)
            reasons = manual_reasons(r)
            row[f"{step}_reasons"] = reasons
            for code in reasons:
                if len(examples[f"left by the {step} apply: {code}"]) < EXAMPLES_PER_CLASS:
                    line = next(l for l in r.stderr.decode(errors="replace").splitlines() if f"[{code}]" in l)
                    examples[f"left by the {step} apply: {code}"].append((pkg, module, "", [line]))
            if step == "away":
                row["away_files"] = len(changed)
            problem = crash(r)
            if problem:
                failures.append(f"{pkg} {module} ({step}): {problem}")
            broke = sorted(f for f in changed if parsed[f] and not pinned.parses(now[f]))
            for f in broke:
                failures.append(f"{pkg} {module} ({step}): {f} parsed before, not after")
            row[f"{step}_broke"] = len(broke)
            if step == "back":
                final = now
        differ = sorted(f for f in touched if final[f] != pristine[f])
        row["identical"] = len(touched) - len(differ)
        row["differ"] = len(differ)
        classes = Counter()
        for f in differ:
            cls, hunk = classify(pristine[f], final[f], module)
            key = " + ".join(cls)
            classes[key] += 1
            for c in cls:
                if len(examples[c]) < EXAMPLES_PER_CLASS:
                    examples[c].append((pkg, module, f, hunk))
        row["classes"] = classes
        rows.append(row)
        log(f"  {module} ({importers} importers): away changed {row['away_files']} files "
            f"(exit {row['away_rc']}, {row['away_secs']:.1f} s), back: {row['identical']} identical, "
            f"{row['differ']} differ {dict(classes)}")
        # Restore the copy.
        for f in touched:
            (work / f).write_bytes(pristine[f])
    return rows, len(files)


def report(rows, sizes, failures, examples, command, secs, binary) -> str:
    out = ["# Round trip on real code: `M -> M_moved -> M`", ""]
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.strip()
    out.append(f"Command: `{command}` ({time.strftime('%Y-%m-%d', time.gmtime())}, {os.cpu_count()} cores, "
               f"{secs:.0f} s, {version}, python {platform.python_version()}).")
    out.append("")
    out.append("Corpora: pinned sdists (bench/pinned.py, sha256 checked): "
               + ", ".join(f"{p} {pinned.PINS[p][0]} ({sizes[p]} files)" for p in sizes) + ". "
               "Modules: each package's most imported modules (files importing them, absolute or relative, "
               "read with `ast`). Per module, in a copy of the package: `apply --no-target-check` with "
               "`M -> M_moved`, then with `M_moved -> M`; every file the two runs touched is compared with "
               "the pristine bytes. After each apply every file that `ast.parse` accepted before must still "
               "parse, and reroute must neither crash nor report a per-file error.")
    out.append("")
    total_touched = sum(r["identical"] + r["differ"] for r in rows)
    total_same = sum(r["identical"] for r in rows)
    away = sum(r["away_files"] for r in rows)
    broke = sum(r["away_broke"] + r["back_broke"] for r in rows)
    alias_only = sum(r["classes"].get(ALIAS_CLASS, 0) for r in rows)
    out.append(f"Result: **{'PASS' if not failures else 'FAIL'}**. {len(rows)} modules; the first apply changed "
               f"{away} files; **{total_same} of {total_touched}** touched files came back byte-identical "
               f"({100 * total_same / max(total_touched, 1):.1f} %), {alias_only} more differ only by the alias "
               f"asymmetry (`from P import M` -> `from P import M_moved as M` -> `from P import M as M`: "
               f"{100 * (total_same + alias_only) / max(total_touched, 1):.1f} % identical up to it), "
               f"{total_touched - total_same - alias_only} differ otherwise; files that stopped parsing: {broke}; "
               f"crashes and per-file errors: {len(failures) - broke}.")
    out.append("")
    allc = Counter()
    for r in rows:
        for k, v in r["classes"].items():
            allc[k] += v
    if allc:
        out.append("Files that did not come back identical, by what differs (a file can show several):")
        out.append("")
        out.append("| what differs | files |")
        out.append("|---|---|")
        for k, v in allc.most_common():
            out.append(f"| {k} | {v} |")
        out.append("")
    out.append("| package | module | importers | away: files / exit / left / s | back: exit / left / s | identical | differ | differences |")
    out.append("|---|---|---|---|---|---|---|---|")
    for r in rows:
        cls = "; ".join(f"{k}: {v}" for k, v in r["classes"].most_common()) or "-"
        def left(step):
            n, reasons = r[f"{step}_left"], r[f"{step}_reasons"]
            return f"{n}" + (f" ({', '.join(f'{k} {v}' for k, v in reasons.most_common())})" if reasons else "")
        out.append(f"| {r['package']} | `{r['module']}` | {r['importers']} | {r['away_files']} / {r['away_rc']} / "
                   f"{left('away')} / {r['away_secs']:.1f} | {r['back_rc']} / {left('back')} / {r['back_secs']:.1f} | "
                   f"{r['identical']} | {r['differ']} | {cls} |")
    out.append("")
    out.append("`left`: references `apply` reported and did not rewrite (its summary line), with their reason "
               "codes; `exit` 1 means some were left.")
    out.append("")
    out.append("## What the classes mean")
    out.append("")
    for key, text in NOTES:
        out.append(f"- **{key}**: {text}")
    if examples:
        out.append("")
        out.append("## Examples (pristine `-`, after the round trip `+`)")
        for cls in sorted(examples):
            out.append("")
            out.append(f"### {cls}")
            for pkg, module, f, hunk in examples[cls]:
                out.append("")
                out.append(f"{pkg} `{module}`" + (f", `{f}`:" if f else ":"))
                out.append("")
                out.append("```diff" if f else "```")
                out.extend(hunk)
                out.append("```")
    if failures:
        out.append("")
        out.append("## Failures")
        out.append("")
        out.extend(f"- {f}" for f in failures)
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary", type=Path)
    ap.add_argument("--small", action="store_true", help="CI form: networkx, 4 modules, no results file")
    ap.add_argument("--only", action="append", choices=sorted(pinned.PINS), help="packages (repeatable)")
    ap.add_argument("--modules", type=int, default=10, help="modules per package (default 10)")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--out", help="results file (default bench/roundtrip.md for the full run)")
    args = ap.parse_args()
    start = time.time()
    binary = args.binary.resolve()
    if not binary.is_file():
        die(f"no such binary: {binary}")
    if args.small:
        plan = dict(SMALL)
    else:
        plan = {p: args.modules for p in (args.only or pinned.PINS)}
    work_root = pinned.cache_dir() / "work" / "roundtrip"
    work_root.mkdir(parents=True, exist_ok=True)
    rows, sizes, failures, examples = [], {}, [], defaultdict(list)
    for pkg, count in plan.items():
        r, n = run_package(binary, pkg, count, args.jobs, work_root, failures, examples)
        rows += r
        sizes[pkg] = n
    secs = time.time() - start
    touched = sum(r["identical"] + r["differ"] for r in rows)
    same = sum(r["identical"] for r in rows)
    print(f"{len(rows)} modules: {same} of {touched} touched files came back byte-identical; "
          f"{len(failures)} failures ({secs:.0f} s)")
    command = "python3 bench/roundtrip.py" + (" --small" if args.small else "") + \
        "".join(f" --only {p}" for p in args.only or []) + \
        (f" --modules {args.modules}" if args.modules != 10 and not args.small else "") + f" {args.binary}"
    out = args.out or (None if args.small or args.only else str(HERE / "roundtrip.md"))
    if out:
        Path(out).write_text(report(rows, sizes, failures, examples, command, secs, binary))
        log(f"wrote {out}")
    if failures:
        print("FAIL:", file=sys.stderr)
        for f in failures:
            print("  " + f, file=sys.stderr)
        sys.exit(1)
    print("PASS")


if __name__ == "__main__":
    main()
