#!/usr/bin/env python3
"""`reroute mv` end to end on a real package (issue #10): five shapes of move done on the
pinned httpx 0.28.1 sdist, each proved by building and installing the package into a fresh
venv (`pip install .`) and importing every module of it.

    python3 bench/mv_e2e.py [BINARY]     # results: bench/mv_e2e.md (commit it)

Each shape starts from a fresh copy of the sdist in a new git repository (so `reroute mv` uses
`git mv`), runs the moves, requires exit 0 and a clean `reroute check` afterwards, then
installs and imports. httpx's own test suite is not run: it needs a network and servers.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pinned  # noqa: E402

PINS = {"httpx": ("0.28.1", "75e98c5f16b0f35b567856f597f06ff2270a374470a5c2392242528e3e3e42fc")}

SHAPES = [
    ("a module moved deeper", [("httpx/_utils.py", "httpx/_internal/utils.py")]),
    ("a module moved up", [("httpx/_transports/wsgi.py", "httpx/_wsgi.py")]),
    ("a package moved under another package", [("httpx/_transports", "httpx/_internal/transports")]),
    ("a module renamed in place", [("httpx/_urlparse.py", "httpx/_url_parsing.py")]),
    ("a package split in two", [
        ("httpx/_transports/asgi.py", "httpx/_testing/asgi.py"),
        ("httpx/_transports/wsgi.py", "httpx/_testing/wsgi.py"),
        ("httpx/_transports/mock.py", "httpx/_testing/mock.py"),
    ]),
]

IMPORT_ALL = """
import importlib, pkgutil, sys, httpx
names = sorted(m.name for m in pkgutil.walk_packages(httpx.__path__, "httpx."))
for name in names:
    importlib.import_module(name)
print(len(names) + 1)
"""


def run(cmd, cwd, check=True):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if check and r.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
    return r


def install_and_import(tree: Path, work: Path) -> int:
    env_dir = work / "venv"
    shutil.rmtree(env_dir, ignore_errors=True)
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    run([python, "-m", "pip", "install", "-q", ".[cli,http2,socks]"], cwd=tree)
    # Import from the installed copy, not the source tree.
    return int(run([python, "-c", IMPORT_ALL], cwd=work).stdout.strip())


def main():
    binary = Path(sys.argv[1]) if len(sys.argv) > 1 else pinned.ROOT / "target" / "release" / "reroute"
    source = pinned.fetch("httpx", pins=PINS)
    rows = []
    with tempfile.TemporaryDirectory(prefix="reroute-mv-e2e-") as tmp:
        work = Path(tmp)
        base = work / "base"
        shutil.copytree(source, base)
        modules = install_and_import(base, work)
        rows.append(("untouched sdist", "", "-", "-", modules))
        for title, moves in SHAPES:
            tree = work / "tree"
            shutil.rmtree(tree, ignore_errors=True)
            shutil.copytree(source, tree)
            (tree / ".ok").unlink(missing_ok=True)
            run(["git", "init", "-q"], tree)
            run(["git", "add", "-A"], tree)
            run(["git", "-c", "user.email=bench@localhost", "-c", "user.name=bench", "commit", "-qm", "sdist"], tree)
            summaries = []
            for src, dst in moves:
                r = run([binary, "mv", src, dst], tree, check=False)
                if r.returncode != 0:
                    raise SystemExit(f"{title}: reroute mv {src} {dst} exited {r.returncode}:\n{r.stdout}{r.stderr}")
                said = [l for l in (r.stdout + r.stderr).splitlines() if "rewrote" in l]
                summaries.append(said[-1] if said else r.stderr.strip().splitlines()[-1])
                # Each move is committed before the next: `reroute mv` refuses files with
                # uncommitted changes (issue 20).
                run(["git", "add", "-A"], tree)
                run(["git", "-c", "user.email=bench@localhost", "-c", "user.name=bench", "commit", "-qm", f"mv {src} {dst}"], tree)
            check = run([binary, "check"], tree, check=False)
            if check.returncode != 0:
                raise SystemExit(f"{title}: reroute check after the moves exited {check.returncode}:\n{check.stdout}")
            status = run(["git", "diff", "--name-status", "-M", "HEAD~" + str(len(moves))], tree).stdout
            renames = sum(1 for line in status.splitlines() if line.startswith("R"))
            modules = install_and_import(tree, work)
            pinned.log(f"{title}: {'; '.join(summaries)}; {modules} modules import")
            rows.append((title, ", ".join(f"`{s}` → `{d}`" for s, d in moves), "; ".join(summaries),
                         f"{renames} (git)", modules))
    lines = [
        "# `reroute mv` end to end (issue #10)",
        "",
        f"Command: `python3 bench/mv_e2e.py`; httpx {PINS['httpx'][0]} sdist; each shape in a fresh git "
        "repository; `pip install .[cli,http2,socks]` into a fresh venv, then every module of the "
        "installed package imported. After each shape `reroute check` exits 0.",
        "",
        "| shape | moves | what `reroute mv` said | renames | modules imported |",
        "|---|---|---|---:|---:|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(str(c) for c in row) + " |")
    out = pinned.ROOT / "bench" / "mv_e2e.md"
    out.write_text("\n".join(lines) + "\n")
    pinned.log(f"wrote {out}")


if __name__ == "__main__":
    main()
