#!/usr/bin/env python3
"""Scaling of every input one file run can grow in (issue 21): is reroute linear in each?

    python3 bench/scaling_inputs.py BINARY      # writes bench/scaling_inputs.md

Stdlib only; everything is generated in a temporary folder. For each input, N starts small
and doubles until one run takes at least 0.5 s of CPU (or N reaches its cap); then N and 8N
are timed (median of 3, the child's user + system CPU from os.wait4, with its peak RSS) and
t(8N) / t(N) is reported: linear is 8, the target is at most 10. Inputs:

- imports: `from pkg.old import fK` for K < N (planned statement by statement), and the same
  file with REROUTE_FULL_PARSE=1 (parsed whole): stage 2 must not cost more than the whole path;
- moves: a one-line file and a codemod of N moves;
- segments: a codemod whose one `from` has N segments;
- nesting: `x = [[[ … ]]]` N brackets deep, after `import pkg.old`;
- comment runs: `import pkg.old` then N comment-only lines;
- file size: `import pkg.old` then N lines of `a = 1`.
Each point runs `BINARY diff -j 1 --no-target-check --max-file-size 1000 --codemods C FILE`.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MOVE = '[[move]]\nfrom = "pkg.old"\nto = "pkg.new"\n'


def imports(n):
    return "".join(f"from pkg.old import f{i}\n" for i in range(n)), MOVE


def moves(n):
    lines = []
    for i in range(n):
        lines += ["[[move]]", f'from = "p{i}.mod{i}.Old{i}"', f'to = "p{i}.new{i}.New{i}"']
    return "import os\n", "\n".join(lines) + "\n"


def segments(n):
    path = ".".join(f"s{i}" for i in range(n))
    return "import os\n", f'[[move]]\nfrom = "{path}"\nto = "new.mod"\n'


def nesting(n):
    return "import pkg.old\nx = " + "[" * n + "1" + "]" * n + "\n", MOVE


def comments(n):
    return "import pkg.old\n" + "# xxxxxxxxxx\n" * n, MOVE


def size(n):
    return "import pkg.old\n" + "a = 1\n" * n, MOVE


INPUTS = [
    ("imports (stage 2)", imports, {}, 1000, 2_000_000),
    ("imports (whole, REROUTE_FULL_PARSE=1)", imports, {"REROUTE_FULL_PARSE": "1"}, 1000, 2_000_000),
    ("moves", moves, {}, 1000, 4_096_000),
    ("from segments", segments, {}, 1000, 64_000_000),
    ("bracket nesting", nesting, {}, 1000, 4_000_000),
    ("comment-only lines", comments, {}, 1000, 16_000_000),
    ("file size (lines of `a = 1`)", size, {}, 1000, 4_000_000),
]


def once(binary, folder, env):
    pid = os.fork()
    if pid == 0:
        os.chdir(folder)
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.execve(binary, [binary, "diff", "-j", "1", "--no-target-check", "--max-file-size", "1000",
                           "--codemods", "c.toml", "m.py"],
                  {**os.environ, **env})
    _, status, usage = os.wait4(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"reroute exited {code} in {folder}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def point(binary, work, make, env, n):
    folder = work / f"n{n}"
    folder.mkdir(exist_ok=True)
    source, codemod = make(n)
    (folder / "m.py").write_text(source)
    (folder / "c.toml").write_text(codemod)
    runs = [once(binary, folder, env) for _ in range(3)]
    return statistics.median(t for t, _ in runs), max(m for _, m in runs)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = str(Path(sys.argv[1]).resolve())
    rows = []
    with tempfile.TemporaryDirectory(prefix="reroute-scaling-") as tmp:
        for name, make, env, start, cap in INPUTS:
            work = Path(tmp) / name.split()[0]
            work.mkdir(exist_ok=True)
            n = start
            t, _ = point(binary, work, make, env, n)
            while t < 0.5 and n * 16 <= cap:
                n *= 2
                t, _ = point(binary, work, make, env, n)
            t1, m1 = point(binary, work, make, env, n)
            t8, m8 = point(binary, work, make, env, n * 8)
            rows.append((name, n, t1, t8, t8 / max(t1, 1e-9), m1, m8))
            print(f"{name}: N={n} {t1:.2f} s, 8N {t8:.2f} s, ratio {t8 / max(t1, 1e-9):.1f}; "
                  f"RSS {m1:.0f} -> {m8:.0f} MB", file=sys.stderr, flush=True)
    lines = [
        "# Scaling of every input (`bench/scaling_inputs.py`)",
        "",
        f"Command: `python3 bench/scaling_inputs.py BINARY`; {time.strftime('%Y-%m-%d')}; one file per run, "
        "`diff -j 1`; CPU time (user + system) of the child, median of 3; N doubled from 1,000 until a run "
        "takes 0.5 s (or its cap). Linear: t(8N) / t(N) = 8; target at most 10.",
        "",
        "| input | N | t(N) s | t(8N) s | t(8N)/t(N) | peak RSS N → 8N (MB) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, n, t1, t8, ratio, m1, m8 in rows:
        lines.append(f"| {name} | {n:,} | {t1:.2f} | {t8:.2f} | {ratio:.1f} | {m1:.0f} → {m8:.0f} |")
    out = Path(__file__).resolve().parent / "scaling_inputs.md"
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
