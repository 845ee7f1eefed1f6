#!/usr/bin/env python3
"""Two reroute builds side by side on the jobs of bench/speed.py: is a refactoring as fast as
what it replaced?

    python3 bench/compare_builds.py OLD_BINARY NEW_BINARY    # writes bench/compare_builds.md

Same corpus (the pinned sdists of bench/speed.py, and the corpus copied 3x for the rare move),
same codemods; per job two hyperfine runs with both binaries in them, the order swapped (10 runs
each, whole-process wall time, 2 threads), so machine drift hits both alike. Reports each
binary's lower median, the larger standard deviation, and NEW/OLD; the target for a
refactoring is every ratio within 1.05.
Environment: REROUTE_BENCH_DIR (default /tmp/reroute-speed, shared with speed.py),
REROUTE_BENCH_RUNS (default 10).
"""
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pinned  # noqa: E402
import speed  # noqa: E402

JOBS = [
    # (name, codemod, subcommand, on the tripled corpus)
    ("typing check", "typing", "check", False),
    ("typing diff", "typing", "diff", False),
    ("sympy.core.numbers check", "numbers", "check", False),
    ("sympy.core.numbers diff", "numbers", "diff", False),
    ("no-match move check", "nomatch", "check", False),
    ("rare move check (corpus 3x)", "rare", "check", True),
    ("1,000 moves + rare check (corpus 3x)", "many", "check", True),
]


def specs(folder: Path) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    texts = {
        "numbers": speed.move("sympy.core.numbers renamed (benchmark)",
                              ("sympy.core.numbers", "sympy.core.numeric")),
        "rare": speed.move("a rare module (benchmark)", ("django.utils.termcolors", "django.utils.colors")),
        "nomatch": speed.move("matches nothing (benchmark)", ("nowhere_pkg.old_mod", "nowhere_pkg.new_mod")),
    }
    many = ["description = \"1,000 moves that match nothing, and the rare move (benchmark)\""]
    for i in range(1000):
        many += ["[[move]]", f'from = "zz_pkg{i}.mod{i}.Old{i}"', f'to = "zz_pkg{i}.new{i}.New{i}"']
    many += ["[[move]]", 'from = "django.utils.termcolors"', 'to = "django.utils.colors"']
    texts["many"] = "\n".join(many) + "\n"
    paths = {"typing": speed.TYPING}
    for name, text in texts.items():
        paths[name] = folder / f"{name}.toml"
        paths[name].write_text(text)
    return paths


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    work = Path(os.environ.get("REROUTE_BENCH_DIR", "/tmp/reroute-speed"))
    runs = os.environ.get("REROUTE_BENCH_RUNS", "10")
    copies = {}
    for label, path in (("old", sys.argv[1]), ("new", sys.argv[2])):
        copies[label] = work / f"compare-{label}"
        work.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, copies[label])
    tree = speed.corpus(work / "full", list(speed.PINS))
    big = speed.tripled(work / "full", tree)
    paths = specs(work / "compare-codemods")
    rows = []
    for name, codemod, sub, on_big in JOBS:
        pinned.log(f"timing {name} ...")
        cwd = big if on_big else tree
        out = work / "compare.json"
        cmd = {label: f"{copies[label]} {sub} -j 2 --no-target-check --codemods {paths[codemod]} ."
               for label in ("old", "new")}
        # Twice, the order swapped, so that drift of the machine hits both; each binary's
        # time is the lower of its two medians.
        medians = {"old": [], "new": []}
        spread = {"old": [], "new": []}
        for order in (("old", "new"), ("new", "old")):
            subprocess.run(["hyperfine", "-N", "--warmup", "1", "--runs", runs, "-i", "--export-json", str(out),
                            *(cmd[label] for label in order)], cwd=cwd, check=True, capture_output=True)
            for label, result in zip(order, json.loads(out.read_text())["results"]):
                medians[label].append(result["median"])
                spread[label].append(result["stddev"])
        old, new = min(medians["old"]), min(medians["new"])
        rows.append((name, old, max(spread["old"]), new, max(spread["new"]), new / old))
        pinned.log(f"  old {old * 1000:.0f} ms, new {new * 1000:.0f} ms, ratio {new / old:.3f}")
    lines = [
        "# Two builds side by side (`bench/compare_builds.py`)",
        "",
        f"Command: `python3 bench/compare_builds.py OLD NEW`; {platform.machine()}, {os.cpu_count()} cores; "
        f"hyperfine, 2 x {runs} runs per binary per job (order swapped), the lower median, `-j 2`; corpus of `bench/speed.py` "
        f"({len(pinned.python_files(tree))} files; 3x: {len(pinned.python_files(big))} files).",
        "",
        "| job | OLD median (ms) ± σ | NEW median (ms) ± σ | NEW / OLD |",
        "|---|---:|---:|---:|",
    ]
    for name, old, so, new, sn, ratio in rows:
        lines.append(f"| {name} | {old * 1000:.0f} ± {so * 1000:.0f} | {new * 1000:.0f} ± {sn * 1000:.0f} | {ratio:.3f} |")
    worst = max(r[5] for r in rows)
    lines += ["", f"Worst ratio: {worst:.3f} (target: every job within 1.05)."]
    out = Path(__file__).resolve().parent / "compare_builds.md"
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
