#!/usr/bin/env python3
"""Seeded mutation run: real files with bytes cut or inserted, rewritten by `reroute apply`.

    python3 bench/mutate.py BINARY            # 4 packages, 60 files x 25 rounds each; writes bench/mutate.md
    python3 bench/mutate.py --small BINARY    # CI: networkx, 24 files x 4 rounds, no results file

Corpora: the pinned sdists of bench/pinned.py (sha256 checked). Codemod per package (written by
this script): its 5 most imported modules `M -> M_moved` (the first with `strings = true`)
and its most imported symbol `P.Name -> P_sym.NameRenamed` with `rename_usages = true`, so
module rewrites, attribute uses, relative imports, statement splits, renamed uses and patch
strings are all in play. Files: a seeded sample of those `reroute check` finds references in.

Each round writes one mutant of every sampled file into a copy of the package (so relative
imports resolve) and runs `reroute apply --no-target-check FILES...` on them, then a second
`apply` (idempotence). A mutant is its file with 1-3 seeded edits: cut a run of bytes, insert
random bytes (rarely a NUL: the binary-file path), insert a Python token (`(`, `:`, `\\`,
`'''`, `#`, `\\r`, `import `, ...), duplicate, drop or swap lines, replace a byte; 60 % of
the edits land within 80 bytes of a reference. Everything is derived from --seed: the same
seed gives the same mutants.

Failures (exit 1): a panic or internal error (exit 2 with "internal error"/"panicked", or a
signal); a written file with more tree-sitter errors than its mutant (counted by
bench/ts_errors.rs, the count reroute uses itself); a written file that CPython's `ast.parse`
accepted before and rejects after. Counted and reported, not failures: per-file errors by
kind (encoding, binary, ...), the rewrite guard refusing a rewrite that would add syntax
errors (reroute catching its own bad edit: reported with examples, worth a look), files a
second apply changes again.

Environment: REROUTE_PINNED_DIR (cache and work folder, default /tmp/reroute-pinned).
"""
import argparse
import ast
import json
import os
import platform
import random
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
ROOT = HERE.parent
SMALL = {"networkx": (24, 4)}
TOKENS = [b"(", b")", b"[", b"]", b":", b",", b".", b"\\", b"\\\n", b"'", b'"', b"'''", b'"""', b"#", b"# ",
          b"\n", b"\r\n", b"\r", b"\t", b" ", b"    ", b"import ", b"from ", b" as ", b"def f(", b"class C:",
          b"if x:\n", b"try:\n", b"except ImportError:\n", b";", b"=", b"\xff", b"\xc3", b"\xef\xbb\xbf",
          b"# reroute: ignore", b"*", b"@", b"lambda", b"f'{", b"}"]
EXAMPLES = 4


# ---------------------------------------------------------------------------------- codemod
def most_imported_symbol(tree: Path, package: str, files, exclude):
    """The (module, name) most often imported with `from module import name` where name is
    not a module, module under `package` and not under any of `exclude`."""
    _, modules = pinned.package_modules(tree, package)
    counts = Counter()
    for rel in files:
        try:
            parsed = ast.parse((tree / rel).read_bytes())
        except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError):
            continue
        for node in ast.walk(parsed):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in modules:
                if any(node.module == e or node.module.startswith(e + ".") for e in exclude):
                    continue
                for alias in node.names:
                    if alias.name != "*" and f"{node.module}.{alias.name}" not in modules:
                        counts[(node.module, alias.name)] += 1
    return counts.most_common(1)[0][0] if counts else None


def codemod_for(tree: Path, package: str, files):
    top = [m for m, _ in pinned.most_imported(tree, package, files, 5)]
    text = f'description = "bench/mutate.py: {package}"\n'
    for i, m in enumerate(top):
        text += f'[[move]]\nfrom = "{m}"\nto = "{m}_moved"\n' + ("strings = true\n" if i == 0 else "")
    symbol = most_imported_symbol(tree, package, files, top)
    if symbol:
        module, name = symbol
        text += (f'[[move]]\nfrom = "{module}.{name}"\nto = "{module}_sym.{name}Renamed"\n'
                 "rename_usages = true\n")
    names = [m.rsplit(".", 1)[-1] for m in top] + ([symbol[1]] if symbol else [])
    return text, names


# ---------------------------------------------------------------------------------- mutation
def mutate(data: bytes, rng: random.Random, anchors) -> (bytes, list):
    """1-3 seeded edits; returns the mutant and a description of each edit."""
    out = bytearray(data)
    done = []
    for _ in range(rng.randint(1, 3)):
        n = len(out)
        if anchors and rng.random() < 0.6:
            pos = min(max(rng.choice(anchors) + rng.randint(-80, 80), 0), n)
        else:
            pos = rng.randint(0, n)
        op = rng.choice(["cut", "cut", "insert-bytes", "insert-token", "insert-token", "line", "replace"])
        if op == "cut" and n:
            length = rng.randint(1, min(64, n - min(pos, n - 1)))
            pos = min(pos, n - 1)
            del out[pos:pos + length]
            done.append(f"cut {length} at {pos}")
        elif op == "insert-bytes":
            length = rng.randint(1, 8)
            if rng.random() < 0.02:
                chunk = bytes([0])
            else:
                chunk = bytes(rng.randint(1, 255) for _ in range(length))
            out[pos:pos] = chunk
            done.append(f"insert {chunk!r} at {pos}")
        elif op == "insert-token":
            chunk = rng.choice(TOKENS)
            out[pos:pos] = chunk
            done.append(f"insert {chunk!r} at {pos}")
        elif op == "line":
            lines = bytes(out).split(b"\n")
            if len(lines) > 2:
                i = min(bytes(out[:pos]).count(b"\n"), len(lines) - 1)
                how = rng.choice(["dup", "drop", "swap"])
                if how == "dup":
                    lines.insert(i, lines[i])
                elif how == "drop":
                    del lines[i]
                else:
                    j = min(i + 1, len(lines) - 1)
                    lines[i], lines[j] = lines[j], lines[i]
                out = bytearray(b"\n".join(lines))
                done.append(f"{how} line {i + 1}")
        elif op == "replace" and n:
            pos = min(pos, n - 1)
            out[pos] = rng.randint(1, 255)
            done.append(f"replace byte {pos}")
    return bytes(out), done


# ---------------------------------------------------------------------------------- helpers
def ts_errors_binary(explicit):
    if explicit:
        return Path(explicit)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    # The dev profile: `cargo test` has built it already (examples are built with the tests), and a
    # release build would compile the dev-dependencies again. Counts do not depend on the profile.
    r = subprocess.run(["cargo", "build", "--quiet", "--locked", "--example", "ts_errors"], cwd=ROOT,
                       capture_output=True, text=True)
    binary = target / "debug" / "examples" / "ts_errors"
    if r.returncode or not binary.exists():
        die("cannot build bench/ts_errors.rs (cargo build --example ts_errors):\n" + r.stderr[-2000:])
    return binary


def ts_errors(helper: Path, paths):
    r = subprocess.run([str(helper)], input="\n".join(str(p) for p in paths) + "\n", capture_output=True, text=True)
    if r.returncode:
        die(f"ts_errors failed: {r.stderr}")
    counts = [int(x) for x in r.stdout.split()]
    assert len(counts) == len(paths), (len(counts), len(paths))
    return counts


def error_kind(message: str) -> str:
    m = message
    m = re.sub(r"^error: [^:]*\.pyi?: ", "", m)
    m = re.sub(r"\d+", "N", m)
    return m[:120]


def sh(binary, args, cwd):
    return subprocess.run([str(binary), *args], cwd=cwd, capture_output=True)


# ---------------------------------------------------------------------------------- run
def run_package(binary, helper, pkg, nfiles, rounds, seed, jobs, work_root, failures, notes):
    pristine_tree = pinned.fetch(pkg)
    files = pinned.python_files(pristine_tree)
    work = work_root / pkg
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(pristine_tree, work, symlinks=True)
    spec_text, anchor_names = codemod_for(work, pkg, files)
    spec = work_root / f"{pkg}-mutate.toml"
    spec.write_text(spec_text)
    r = sh(binary, ["check", ".", "--codemods", str(spec), "--no-target-check", "--format", "json",
                    "--color", "never", "-j", str(jobs)], work)
    try:
        found = json.loads(r.stdout)
    except json.JSONDecodeError:
        die(f"{pkg}: check --format json failed: {r.stderr[-500:]!r}")
    with_refs = sorted({f["path"] for f in found["findings"] if f.get("status") == "fixable"})
    rng = random.Random(f"{seed}:{pkg}")
    sample = sorted(rng.sample(with_refs, min(nfiles, len(with_refs))))
    log(f"{pkg}: {len(files)} files, {len(with_refs)} with fixable references; mutating {len(sample)} x {rounds}")
    pristine = {f: (work / f).read_bytes() for f in sample}
    anchors = {}
    for f in sample:
        data = pristine[f]
        anchors[f] = [m.start() for name in anchor_names for m in re.finditer(re.escape(name.encode()), data)]
    stats = Counter()
    kinds = Counter()
    for rnd in range(rounds):
        mutants, how = {}, {}
        for f in sample:
            frng = random.Random(f"{seed}:{pkg}:{f}:{rnd}")
            mutants[f], how[f] = mutate(pristine[f], frng, anchors[f])
            (work / f).write_bytes(mutants[f])
        before_ts = dict(zip(sample, ts_errors(helper, [work / f for f in sample])))
        before_ast = {f: pinned.parses(mutants[f]) for f in sample}
        args = ["apply", "--codemods", str(spec), "--no-target-check", "--color", "never", "-j", str(jobs), *sample]
        t0 = time.perf_counter()
        r = sh(binary, args, work)
        stats["apply seconds"] += time.perf_counter() - t0
        stats["runs"] += 1
        stats[f"exit {r.returncode}"] += 1
        err = r.stderr.decode(errors="replace")
        if r.returncode < 0:
            failures.append(f"{pkg} round {rnd}: killed by signal {-r.returncode}")
        per_file = 0
        for line in err.splitlines():
            if "internal error" in line or "panicked" in line:
                failures.append(f"{pkg} round {rnd}: {line.strip()[:300]}")
            elif "would add syntax errors" in line:
                per_file += 1
                stats["guard refusals"] += 1
                path = line.split(": ")[1] if line.count(": ") >= 2 else "?"
                if len(notes["guard"]) < EXAMPLES:
                    notes["guard"].append((pkg, rnd, path, line.strip()[:300], how.get(path)))
                    if path in mutants:
                        save_case(work_root, pkg, rnd, path, mutants[path], mutants[path], spec_text)
            elif line.startswith("error:"):
                per_file += 1
                kinds[error_kind(line)] += 1
        if r.returncode == 2 and not per_file:
            failures.append(f"{pkg} round {rnd}: exit 2 without a per-file error: {err.strip()[-300:]}")
        after = {f: (work / f).read_bytes() for f in sample}
        written = [f for f in sample if after[f] != mutants[f]]
        stats["mutants"] += len(sample)
        stats["mutants ast-valid"] += sum(before_ast.values())
        stats["mutants with ts errors"] += sum(1 for f in sample if before_ts[f] != 0)
        stats["written"] += len(written)
        stats["written from a mutant with ts errors"] += sum(1 for f in written if before_ts[f] != 0)
        after_ts = dict(zip(written, ts_errors(helper, [work / f for f in written]))) if written else {}
        for f in written:
            if after_ts[f] > before_ts[f]:
                failures.append(f"{pkg} round {rnd}: {f}: tree-sitter errors {before_ts[f]} -> {after_ts[f]} "
                                f"(mutation: {how[f]})")
                save_case(work_root, pkg, rnd, f, mutants[f], after[f], spec_text)
            if before_ast[f] and not pinned.parses(after[f]):
                failures.append(f"{pkg} round {rnd}: {f}: ast.parse accepted the mutant, rejects the output "
                                f"(mutation: {how[f]})")
                save_case(work_root, pkg, rnd, f, mutants[f], after[f], spec_text)
        # Second apply: nothing left to change.
        r2 = sh(binary, args, work)
        again = [f for f in sample if (work / f).read_bytes() != after[f]]
        stats["changed again by a second apply"] += len(again)
        for f in again:
            if len(notes["again"]) < EXAMPLES:
                notes["again"].append((pkg, rnd, f, how[f]))
                save_case(work_root, pkg, rnd, f, mutants[f], after[f], spec_text)
        if r2.returncode < 0 or b"internal error" in r2.stderr or b"panicked" in r2.stderr:
            failures.append(f"{pkg} round {rnd} (second apply): exit {r2.returncode}")
        for f in sample:
            (work / f).write_bytes(pristine[f])
    return {"package": pkg, "files": len(files), "with_refs": len(with_refs), "sample": len(sample),
            "rounds": rounds, "stats": stats, "kinds": kinds, "codemod": spec_text}


def save_case(work_root, pkg, rnd, f, mutant, output, spec_text):
    """Keeps a failing or noteworthy case: CACHE/work/mutate/cases/<pkg>-<round>-<file>/."""
    d = work_root / "cases" / f"{pkg}-{rnd}-{f.replace('/', '_')}"
    d.mkdir(parents=True, exist_ok=True)
    (d / "mutant.py").write_bytes(mutant)
    (d / "output.py").write_bytes(output)
    (d / "codemod.toml").write_text(spec_text)
    (d / "path.txt").write_text(f + "\n")


def report(results, failures, notes, command, secs, binary, seed) -> str:
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.strip()
    out = ["# Mutation run: real files with bytes cut or inserted", ""]
    out.append(f"Command: `{command}` ({time.strftime('%Y-%m-%d', time.gmtime())}, {os.cpu_count()} cores, "
               f"{secs:.0f} s, {version}, python {platform.python_version()}, seed {seed}).")
    out.append("")
    out.append("Per package: a seeded sample of the files `reroute check` finds fixable references in; each round "
               "writes one mutant of every sampled file (1-3 edits: cut bytes, insert random bytes or Python "
               "tokens, duplicate/drop/swap a line, replace a byte; 60 % near a reference) into a copy of the "
               "package and runs `reroute apply --no-target-check` on them, then a second `apply`. Tree-sitter "
               "errors are counted by `bench/ts_errors.rs` (reroute's own count).")
    out.append("")
    tot = Counter()
    for r in results:
        tot.update(r["stats"])
    out.append(f"Result: **{'PASS' if not failures else 'FAIL'}**: {tot['mutants']} mutants in {tot['runs']} runs, "
               f"{tot['written']} written ({tot['written from a mutant with ts errors']} of them from a mutant with "
               f"syntax errors); panics/signals: "
               f"{sum(1 for f in failures if 'internal error' in f or 'panicked' in f or 'signal' in f)}; "
               f"written files with more tree-sitter errors: "
               f"{sum(1 for f in failures if 'tree-sitter errors' in f)}; ast regressions: "
               f"{sum(1 for f in failures if 'ast.parse' in f)}; guard refusals: {tot['guard refusals']}; "
               f"changed again by a second apply: {tot['changed again by a second apply']}.")
    out.append("")
    out.append("| package | files (with refs) | sampled x rounds | mutants: ast-valid / with ts errors | written (from broken) "
               "| exit codes | guard refusals | changed by 2nd apply | apply s (total) |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        s = r["stats"]
        exits = ", ".join(f"{k.split()[1]}: {v}" for k, v in sorted(s.items()) if k.startswith("exit "))
        out.append(f"| {r['package']} {pinned.PINS[r['package']][0]} | {r['files']} ({r['with_refs']}) | {r['sample']} x {r['rounds']} | "
                   f"{s['mutants']}: {s['mutants ast-valid']} / {s['mutants with ts errors']} | "
                   f"{s['written']} ({s['written from a mutant with ts errors']}) | {exits} | {s['guard refusals']} | "
                   f"{s['changed again by a second apply']} | {s['apply seconds']:.1f} |")
    kinds = Counter()
    for r in results:
        kinds.update(r["kinds"])
    if kinds:
        out.append("")
        out.append("Per-file errors reported (expected for these inputs; none is a crash):")
        out.append("")
        for k, v in kinds.most_common():
            out.append(f"- {v} x `{k}`")
    if notes["guard"]:
        out.append("")
        out.append("Guard refusals (reroute planned a rewrite that would add syntax errors and did not write it):")
        out.append("")
        for pkg, rnd, path, line, how in notes["guard"]:
            out.append(f"- {pkg} round {rnd}: `{line}` (mutation: {how})")
    if notes["again"]:
        out.append("")
        out.append("Changed again by a second apply (cases kept under the cache's `work/mutate/cases/`):")
        out.append("")
        for pkg, rnd, f, how in notes["again"]:
            out.append(f"- {pkg} round {rnd}: `{f}` (mutation: {how})")
    out.append("")
    out.append("Codemods (written by the script):")
    for r in results:
        out.append("")
        out.append("```toml")
        out.append(r["codemod"].rstrip())
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
    ap.add_argument("--small", action="store_true", help="CI form: networkx, 24 files x 4 rounds, no results file")
    ap.add_argument("--only", action="append", choices=sorted(pinned.PINS), help="packages (repeatable)")
    ap.add_argument("--files", type=int, default=60, help="files sampled per package (default 60)")
    ap.add_argument("--rounds", type=int, default=25, help="mutants per file (default 25)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--ts-errors", help="a built bench/ts_errors.rs (default: cargo build --example ts_errors)")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--out", help="results file (default bench/mutate.md for the full run)")
    args = ap.parse_args()
    start = time.time()
    binary = args.binary.resolve()
    if not binary.is_file():
        die(f"no such binary: {binary}")
    helper = ts_errors_binary(args.ts_errors)
    if args.small:
        plan = dict(SMALL)
    else:
        plan = {p: (args.files, args.rounds) for p in (args.only or pinned.PINS)}
    work_root = pinned.cache_dir() / "work" / "mutate"
    if (work_root / "cases").exists():
        shutil.rmtree(work_root / "cases")
    work_root.mkdir(parents=True, exist_ok=True)
    results, failures, notes = [], [], defaultdict(list)
    for pkg, (nfiles, rounds) in plan.items():
        results.append(run_package(binary, helper, pkg, nfiles, rounds, args.seed, args.jobs, work_root,
                                   failures, notes))
    secs = time.time() - start
    tot = Counter()
    for r in results:
        tot.update(r["stats"])
    print(f"{tot['mutants']} mutants, {tot['written']} written, {len(failures)} failures, "
          f"{tot['guard refusals']} guard refusals, {tot['changed again by a second apply']} changed by a second "
          f"apply ({secs:.0f} s)")
    command = "python3 bench/mutate.py" + (" --small" if args.small else "") + \
        "".join(f" --only {p}" for p in args.only or []) + f" {args.binary}"
    out = args.out or (None if args.small or args.only else str(HERE / "mutate.md"))
    if out:
        Path(out).write_text(report(results, failures, notes, command, secs, binary, args.seed))
        log(f"wrote {out}")
    if failures:
        print("FAIL:", file=sys.stderr)
        for f in failures[:50]:
            print("  " + f, file=sys.stderr)
        sys.exit(1)
    print("PASS")


if __name__ == "__main__":
    main()
