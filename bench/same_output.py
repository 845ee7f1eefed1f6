#!/usr/bin/env python3
"""Same output: two reroute binaries must print byte-identical output on real code.

    python3 bench/same_output.py OLD_BINARY NEW_BINARY           # 4 packages; writes bench/same_output.md
    python3 bench/same_output.py --small OLD_BINARY NEW_BINARY   # sqlalchemy only, no results file

Use it around a refactoring: build the binary before (OLD) and after (NEW), then run this.

Corpora: pinned sdists of django, sqlalchemy, sympy and networkx (`pip download --no-deps
--no-binary NAME`, sha256 checked), unpacked once into the cache folder. Codemods: the bundled
codemods/typing-to-collections-abc.toml plus one made-up codemod per package (written by this
script into CACHE/runs/RUN/codemods/: module moves, symbol moves, a re-export,
`rename_usages = true`, `strings = true`), so import rewrites, statement splits, attribute
uses, relative imports, renamed uses and patch strings are all exercised. Each package runs each codemod alone and then
the two together (a folder of codemods).

For every (package, codemod set) both binaries run, one after the other, from the package's
folder with the same arguments:

    diff  -j 2 --color never [--no-target-check] --codemods SPEC .
    check -j 2 --color never [--no-target-check] --codemods SPEC --format json .
    check -j 2 --color never --mentions --codemods SPEC .   (text; target check on: warnings)

and stdout bytes, stderr bytes and exit codes are compared. OLD also runs a second time
(self-check): a difference between two runs of the same binary is nondeterminism, a bug of its
own. The binaries are copied first, so a rebuild during the run does not change what is compared.

Exit code: 0 everything identical (CACHE/runs/RUN/ is removed), 1 a difference (the outputs
are kept under CACHE/runs/RUN/differences/, beside the codemods, and the first differing line
is printed), 2 a setup error (download, checksum, missing binary). Runs may share the cache.

Environment: REROUTE_SAME_OUTPUT_DIR (cache and work folder, default /tmp/reroute-same-output;
outside the repository, so nothing needs to be gitignored).
"""
import argparse
import re
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import mv_e2e
import pinned

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TYPING = ROOT / "codemods" / "typing-to-collections-abc.toml"

# name -> made-up codemod (moves whose `to` does not exist: run with --no-target-check); the
# version and sha256 of each sdist come from bench/pinned.py.
CORPORA = {
    "django": {
        "codemod": '''\
description = "made up for bench/same_output.py: a module rename, a class moved and renamed (rename_usages), a module rename with patch strings, a function moved (splits), a class renamed in place onto a name its importers often bind too (name-conflict)"
[[move]]
from = "django.db.models.fields"
to = "django.db.models.field_types"
[[move]]
from = "django.core.exceptions.ValidationError"
to = "django.core.validation.ValidationFailure"
rename_usages = true
[[move]]
from = "django.utils.autoreload"
to = "django.utils.reloader"
strings = true
[[move]]
from = "django.utils.translation.gettext_lazy"
to = "django.utils.lazy_i18n.gettext_lazy"
[[move]]
from = "django.core.exceptions.FieldDoesNotExist"
to = "django.core.exceptions.ObjectDoesNotExist"
rename_usages = true
''',
    },
    "sqlalchemy": {
        "codemod": '''\
description = "made up for bench/same_output.py: relative module rename, a re-exported class moved and renamed (rename_usages, attribute uses), a module rename with patch strings, a test module rename"
[[move]]
from = "sqlalchemy.sql.roles"
to = "sqlalchemy.sql.role_types"
[[move]]
from = ["sqlalchemy.util.langhelpers.memoized_property", "sqlalchemy.util.memoized_property"]
to = "sqlalchemy.util._memo.memoized_prop"
rename_usages = true
[[move]]
from = "sqlalchemy.engine.cursor"
to = "sqlalchemy.engine.cursors"
strings = true
[[move]]
from = "sqlalchemy.testing.fixtures"
to = "sqlalchemy.testing.fixture_base"
''',
    },
    "sympy": {
        "codemod": '''\
description = "made up for bench/same_output.py: two heavily imported modules renamed, a class renamed in place (rename_usages), S moved (splits), Wild renamed onto Symbol (name-conflict where both are imported)"
[[move]]
from = "sympy.core.numbers"
to = "sympy.core.numeric"
[[move]]
from = "sympy.testing.pytest"
to = "sympy.testing.harness"
strings = true
[[move]]
from = "sympy.core.symbol.Dummy"
to = "sympy.core.symbol.DummySymbol"
rename_usages = true
[[move]]
from = "sympy.core.singleton.S"
to = "sympy.core.constants.S"
[[move]]
from = "sympy.core.symbol.Wild"
to = "sympy.core.symbol.Symbol"
rename_usages = true
''',
    },
    "networkx": {
        "codemod": '''\
description = "made up for bench/same_output.py: a package renamed (nx.utils.* attribute uses), a re-exported decorator moved and renamed (rename_usages), a module renamed with strings"
[[move]]
from = "networkx.utils"
to = "networkx.util"
[[move]]
from = ["networkx.utils.decorators.not_implemented_for", "networkx.utils.not_implemented_for"]
to = "networkx.util.checks.requires_graph_kind"
rename_usages = true
[[move]]
from = "networkx.exception"
to = "networkx.errors"
strings = true
''',
    },
}
for _name, _corpus in CORPORA.items():
    _corpus["version"], _corpus["sha256"] = pinned.PINS[_name]
SMALL = ["sqlalchemy"]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def die(message):
    print(message, file=sys.stderr, flush=True)
    sys.exit(2)


def sha256(path: Path) -> str:
    return pinned.sha256_of(path)


def fetch(cache: Path, name: str) -> Path:
    """The pinned sdist of `name`, unpacked under `cache` (see bench/pinned.py)."""
    return pinned.fetch(name, cache)


def count_py(tree: Path) -> int:
    return sum(1 for p in tree.rglob("*") if p.suffix in (".py", ".pyi") and p.is_file())


def run(binary: Path, args, cwd: Path):
    t = time.perf_counter()
    r = subprocess.run([str(binary), *args], cwd=cwd, capture_output=True)
    return {"stdout": r.stdout, "stderr": r.stderr, "rc": r.returncode, "secs": time.perf_counter() - t}


def same(a, b) -> bool:
    return a["stdout"] == b["stdout"] and a["stderr"] == b["stderr"] and a["rc"] == b["rc"]


# The intended changes of issue 17, and only those, are left out before sarif, github and junit
# output is compared (each is pinned by a CLI test): a finding is worded once for every format
# (the text format's `old -> new [code] reason`), so the message texts of findings are not
# compared; github and junit also show target problems now (`::warning` lines, `<system-err>`).
def _github(out: bytes) -> bytes:
    lines = []
    for line in out.split(b"\n"):
        if line.startswith(b"::warning "):
            continue
        head, sep, _ = line.partition(b"::")[2].partition(b"::")
        lines.append(line if not sep else b"::" + head + b"::")
    return b"\n".join(lines)


def _junit(out: bytes) -> bytes:
    out = re.sub(rb'<failure message="[^"]*"', b"<failure", out)
    out = re.sub(rb'(<failure[^>]*>)[^<]*(</failure>)', rb"\1\2", out)
    out = re.sub(rb"<system-out>[^<]*</system-out>", b"<system-out/>", out)
    return re.sub(rb" *<system-err>[^<]*</system-err>\n", b"", out)


def _sarif(out: bytes) -> bytes:
    try:
        log_ = json.loads(out)
    except ValueError:
        return out
    for run_ in log_.get("runs", []):
        for result in run_.get("results", []):
            result["message"] = {"text": ""}
    return json.dumps(log_, sort_keys=True).encode()


NORMALISE = {"check-github": _github, "check-junit": _junit, "check-sarif": _sarif}


def normalised(cmd, r):
    fn = NORMALISE.get(cmd)
    return r if fn is None else {**r, "stdout": fn(r["stdout"])}


def first_difference(a, b) -> str:
    if a["rc"] != b["rc"]:
        return f"exit code {a['rc']} vs {b['rc']}"
    for stream in ("stdout", "stderr"):
        x, y = a[stream], b[stream]
        if x == y:
            continue
        xl, yl = x.split(b"\n"), y.split(b"\n")
        for i, (p, q) in enumerate(zip(xl, yl)):
            if p != q:
                return f"{stream} line {i + 1}: {p[:200]!r} vs {q[:200]!r}"
        return f"{stream}: {len(xl)} vs {len(yl)} lines (one is a prefix of the other)"
    return "identical"


def save(dest: Path, label: str, r):
    dest.mkdir(parents=True, exist_ok=True)
    (dest / f"{label}.stdout").write_bytes(r["stdout"])
    (dest / f"{label}.stderr").write_bytes(r["stderr"])
    (dest / f"{label}.rc").write_text(f"{r['rc']}\n")


def summary_of(check_json: bytes):
    try:
        d = json.loads(check_json)
    except json.JSONDecodeError:
        return None
    s = d["summary"]
    total = s["fixable"] + s["manual"] + s["suppressed"] + s["mentions"] + s["notes"]
    return {"files": s["files_scanned"], "findings": total, "fixable": s["fixable"], "manual": s["manual"],
            "notes": s["notes"], "strings": sum(s.get("strings", {}).values()),
            "findings_listed": len(d["findings"]), "errors": len(d.get("errors", [])),
            "warnings": len(d.get("warnings", []))}


def diff_stats(stdout: bytes):
    files = sum(1 for line in stdout.split(b"\n") if line.startswith(b"+++ "))
    plus = sum(1 for line in stdout.split(b"\n") if line.startswith(b"+") and not line.startswith(b"+++ "))
    return files, plus


def version_of(binary: Path) -> str:
    r = subprocess.run([str(binary), "--version"], capture_output=True, text=True)
    return r.stdout.strip() or r.stderr.strip()


def report(rows, meta, failures, selfdiffs, command, secs) -> str:
    out = ["# Same output: two reroute binaries on real code", ""]
    out.append(f"Command: `{command}` ({time.strftime('%Y-%m-%d', time.gmtime())}, {os.cpu_count()} cores, "
               f"{secs:.0f} s, python {platform.python_version()}).")
    out.append("")
    for label in ("old", "new"):
        m = meta[label]
        out.append(f"- {label.upper()}: `{m['path']}` ({m['version']}, sha256 `{m['sha256'][:16]}…`)")
    if meta["old"]["sha256"] == meta["new"]["sha256"]:
        out.append("- The two binaries are the same file (byte-identical), so this run checks the harness and "
                   "run-to-run determinism; it becomes a refactoring check once NEW is rebuilt.")
    out.append("- Corpora (sdists from PyPI, `pip download --no-deps --no-binary NAME`, sha256 checked): "
               + ", ".join(f"{n}=={CORPORA[n]['version']}" for n in meta["packages"]) + ".")
    out.append("- Codemods: `codemods/typing-to-collections-abc.toml` (bundled) and one made-up codemod per "
               "package, written by the script (`CORPORA` in `bench/same_output.py`); `both` = the two "
               "together (`--codemods FOLDER`).")
    out.append(f"- Per (package, codemod set), from the package's folder, with `-j {meta['jobs']} --color never`: "
               "`diff [--no-target-check]`, `check --format json [--no-target-check]`, `check --mentions` (text, "
               "target check on, so its warnings and the mentions are compared too), `check --format sarif [--no-target-check]`, "
               "`check --format github` and `check --format junit` (target check on). For sarif, github and junit the "
               "intended changes of issue 17 are left out first (`NORMALISE`: the message texts of findings, one "
               "wording now; github's `::warning` lines and junit's `<system-err>`, target problems now). "
               "`--no-target-check` is used for the made-up codemods, "
               "whose `to` modules do not exist. Compared: stdout bytes, stderr bytes, exit code. OLD also runs "
               "a second time (self-check: nondeterminism).")
    out.append("")
    ok = not failures and not selfdiffs
    out.append(f"Result: **{'PASS' if ok else 'FAIL'}**: "
               + (f"all {len(rows) * 6} command pairs identical; every self-check identical."
                  if ok else f"{len(failures)} OLD/NEW differences, {len(selfdiffs)} self-check differences."))
    out.append("")
    if meta.get("mv"):
        out.append("`mv --dry-run` on httpx " + mv_e2e.PINS["httpx"][0] + " (a git repository; the first move of each "
                   "shape of `bench/mv_e2e.py`): stdout (the patch), stderr and exit code compared.")
        out.append("")
        out.append("| move | exit | patch bytes | identical |")
        out.append("|---|---|---|---|")
        for row in meta["mv"]:
            out.append(f"| `{row['move']}` | {row['rc']} | {row['bytes']} | {'yes' if row['identical'] else 'NO'} |")
        out.append("")
    total = sum(r["findings"] for r in rows if r["codemod"] != "both")
    out.append(f"Findings (sum over packages of each codemod run alone): **{total}**.")
    out.append("")
    out.append("| package | codemod | files | findings | fixable / manual / notes | patch strings | diff: files / + lines "
               "| exit diff / json / text | OLD s / NEW s (diff) | identical | self-check |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        out.append(f"| {r['package']} | {r['codemod']} | {r['files']} | {r['findings']} | {r['fixable']} / {r['manual']} / "
                   f"{r['notes']} | {r['strings']} | {r['diff_files']} / {r['diff_plus']} | {r['rcs']} | "
                   f"{r['old_secs']:.2f} / {r['new_secs']:.2f} | {'yes' if r['identical'] else '**NO**'} | "
                   f"{'same' if r['self_same'] else '**DIFFERS**'} |")
    if failures or selfdiffs:
        out.append("")
        out.append("Differences (outputs kept under the cache's `runs/RUN/differences/` folder):")
        out.append("")
        for f in failures + selfdiffs:
            out.append(f"- {f}")
    return "\n".join(out) + "\n"


def mv_dry_runs(bins, run_dir: Path, failures) -> list:
    """`mv --dry-run` by both binaries on a git repository of the pinned httpx sdist."""
    source = pinned.fetch("httpx", pins=mv_e2e.PINS)
    tree = run_dir / "httpx"
    shutil.copytree(source, tree)
    (tree / ".ok").unlink(missing_ok=True)
    git = ["git", "-c", "user.email=bench@localhost", "-c", "user.name=bench"]
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "sdist"]):
        subprocess.run([*git, *cmd], cwd=tree, check=True, capture_output=True)
    rows = []
    for title, moves in mv_e2e.SHAPES:
        src, dst = moves[0]
        cargs = ["mv", "--dry-run", src, dst]
        o = run(bins["old"], cargs, tree)
        n = run(bins["new"], cargs, tree)
        if o["rc"] not in (0, 1):
            failures.append(f"httpx / `{' '.join(cargs)}`: OLD exited {o['rc']}: {o['stderr'][-300:]!r}")
        identical = same(o, n)
        if not identical:
            where = run_dir / "differences" / "httpx-mv" / title.replace(" ", "-")
            save(where, "old", o)
            save(where, "new", n)
            failures.append(f"httpx / `{' '.join(cargs)}`: OLD vs NEW: {first_difference(o, n)}")
        log(f"        mv --dry-run {src} {dst}: exit {o['rc']}, identical {'yes' if identical else 'NO'}")
        rows.append({"move": f"{src} -> {dst}", "rc": o["rc"], "bytes": len(o["stdout"]), "identical": identical})
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old", type=Path, help="the reference reroute binary")
    ap.add_argument("new", type=Path, help="the reroute binary under test")
    ap.add_argument("--small", action="store_true", help="quick form: sqlalchemy only, no results file")
    ap.add_argument("--only", action="append", choices=sorted(CORPORA), help="packages to run (repeatable)")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="reroute -j (default 2)")
    ap.add_argument("--no-self-check", action="store_true", help="do not run OLD a second time")
    ap.add_argument("--out", help="results file (default: bench/same_output.md for the full run, none otherwise)")
    args = ap.parse_args()
    start = time.time()
    cache = Path(os.environ.get("REROUTE_SAME_OUTPUT_DIR", "/tmp/reroute-same-output"))
    cache.mkdir(parents=True, exist_ok=True)
    packages = args.only or (SMALL if args.small else list(CORPORA))

    with tempfile.TemporaryDirectory(prefix="reroute-same-output-") as tmpdir:
        tmp = Path(tmpdir)
        meta = {"packages": packages, "jobs": args.jobs}
        bins = {}
        for label, path in (("old", args.old), ("new", args.new)):
            path = path.resolve()
            if not path.is_file():
                die(f"{label}: no such binary: {path}")
            copy = tmp / "bin" / label / "reroute"  # same file name: outputs that name the binary match
            copy.parent.mkdir(parents=True)
            shutil.copy2(path, copy)
            bins[label] = copy
            meta[label] = {"path": str(path), "version": version_of(copy), "sha256": sha256(copy)}
        if not TYPING.exists():
            die(f"missing {TYPING}")
        # This run's own folder (runs may share the cache): its codemods, and the outputs that differ.
        (cache / "runs").mkdir(exist_ok=True)
        run_dir = Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%d-%H%M%S-"), dir=cache / "runs"))
        diffs_dir = run_dir / "differences"

        rows, failures, selfdiffs = [], [], []
        for pkg in packages:
            tree = fetch(cache, pkg)
            # Codemods: one folder per set, so `both` is simply a folder holding the two files.
            specs = run_dir / "codemods" / pkg
            made_up = f"{pkg}-moves"
            sets = {"typing-to-collections-abc": [TYPING.read_text()], made_up: [CORPORA[pkg]["codemod"]]}
            sets["both"] = sets["typing-to-collections-abc"] + sets[made_up]
            for name, texts in sets.items():
                d = specs / name
                d.mkdir(parents=True)
                stems = ["typing-to-collections-abc", made_up] if name == "both" else [name]
                for stem, text in zip(stems, texts):
                    (d / f"{stem}.toml").write_text(text)
            for name in sets:
                spec = specs / name
                spec_arg = str(spec / f"{name}.toml") if name != "both" else str(spec)
                ntc = ["--no-target-check"] if name != "typing-to-collections-abc" else []
                common = ["-j", str(args.jobs), "--color", "never"]
                commands = {
                    "diff": ["diff", *common, *ntc, "--codemods", spec_arg, "."],
                    "check-json": ["check", *common, *ntc, "--codemods", spec_arg, "--format", "json", "."],
                    "check-text": ["check", *common, "--mentions", "--codemods", spec_arg, "."],
                    "check-sarif": ["check", *common, *ntc, "--codemods", spec_arg, "--format", "sarif", "."],
                    "check-github": ["check", *common, "--codemods", spec_arg, "--format", "github", "."],
                    "check-junit": ["check", *common, "--codemods", spec_arg, "--format", "junit", "."],
                }
                log(f"[{time.time() - start:5.0f}s] {pkg} / {name}")
                res = {}
                identical, self_same = True, True
                for cmd, cargs in commands.items():
                    o = run(bins["old"], cargs, tree)
                    n = run(bins["new"], cargs, tree)
                    o2 = None if args.no_self_check else run(bins["old"], cargs, tree)
                    res[cmd] = (o, n)
                    where = diffs_dir / pkg / name / cmd
                    if o["rc"] not in (0, 1):  # identical errors would compare nothing
                        failures.append(f"{pkg} / {name} / `{' '.join(cargs)}`: OLD exited {o['rc']}: "
                                        f"{o['stderr'][-300:].decode(errors='replace')!r}")
                    if not same(normalised(cmd, o), normalised(cmd, n)):
                        identical = False
                        save(where, "old", o)
                        save(where, "new", n)
                        (where / "command.txt").write_text(f"cd {tree} && reroute " + " ".join(cargs) + "\n")
                        failures.append(f"{pkg} / {name} / `{' '.join(cargs)}`: OLD vs NEW: {first_difference(o, n)}")
                    if o2 is not None and not same(o, o2):
                        self_same = False
                        save(where, "old", o)
                        save(where, "old-again", o2)
                        (where / "command.txt").write_text(f"cd {tree} && reroute " + " ".join(cargs) + "\n")
                        selfdiffs.append(f"{pkg} / {name} / `{' '.join(cargs)}`: OLD vs OLD again "
                                         f"(nondeterminism): {first_difference(o, o2)}")
                s = summary_of(res["check-json"][0]["stdout"])
                if s is None:
                    failures.append(f"{pkg} / {name}: OLD's check --format json is not JSON "
                                    f"(exit {res['check-json'][0]['rc']}): {res['check-json'][0]['stderr'][-300:]!r}")
                    s = {"files": "?", "findings": 0, "fixable": "?", "manual": "?", "notes": "?", "strings": "?"}
                elif s["findings"] != s["findings_listed"]:
                    log(f"  note: summary counts {s['findings']} findings, the list has {s['findings_listed']}")
                dfiles, dplus = diff_stats(res["diff"][0]["stdout"])
                row = {"package": f"{pkg} {CORPORA[pkg]['version']}", "codemod": name, **s,
                       "diff_files": dfiles, "diff_plus": dplus,
                       "rcs": " / ".join(str(res[c][0]["rc"]) for c in commands),
                       "old_secs": res["diff"][0]["secs"], "new_secs": res["diff"][1]["secs"],
                       "identical": identical, "self_same": self_same}
                rows.append(row)
                log(f"        files {row['files']}, findings {row['findings']}, identical {'yes' if identical else 'NO'}"
                    f"{'' if self_same else ', OLD differs from itself'}")
        if not args.small and not args.only:
            meta["mv"] = mv_dry_runs(bins, run_dir, failures)

    secs = time.time() - start
    # Table on stdout.
    head = ("package", "codemod", "files", "findings", "identical", "self-check")
    body = [(r["package"], r["codemod"], str(r["files"]), str(r["findings"]), "yes" if r["identical"] else "NO",
             "same" if r["self_same"] else "DIFFERS") for r in rows]
    widths = [max(len(x) for x in col) for col in zip(head, *body)]
    for line in [head, tuple("-" * w for w in widths), *body]:
        print("  ".join(x.ljust(w) for x, w in zip(line, widths)).rstrip())
    total = sum(r["findings"] for r in rows if r["codemod"] != "both")
    print(f"findings (each codemod alone, all packages): {total}")
    command = "python3 bench/same_output.py" + (" --small" if args.small else "") + \
        "".join(f" --only {p}" for p in args.only or []) + f" {args.old} {args.new}"
    out = args.out or (None if args.small or args.only else str(HERE / "same_output.md"))
    if out:
        Path(out).write_text(report(rows, meta, failures, selfdiffs, command, secs))
        log(f"wrote {out}")
    if failures or selfdiffs:
        print("FAIL:", file=sys.stderr)
        for f in failures + selfdiffs:
            print("  " + f, file=sys.stderr)
        print(f"outputs saved under {diffs_dir}, the codemods under {run_dir / 'codemods'}", file=sys.stderr)
        sys.exit(1)
    shutil.rmtree(run_dir)
    print(f"PASS: every output byte-identical ({secs:.0f} s)")


if __name__ == "__main__":
    main()
