#!/usr/bin/env python3
"""Differential test: reroute against LibCST's RenameCommand, rope's move refactoring and
ruff's UP035 fix, on pinned releases of real packages.

    python3 bench/differential/run.py --small   # CI: requests only, 2 moves + UP035 (< 3 min)
    python3 bench/differential/run.py           # full: 4 packages, 8 moves + UP035; writes results.md

For each (package, move) the pristine tree is copied once per tool; each tool rewrites its copy;
then every .py file's import bindings (file, local name -> fully qualified target, relative
imports resolved) are read with CPython's ast and compared, reroute against each peer. Every
file where they differ is a disagreement: explained automatically (a rule below), or by an
entry of known.json, or it is UNEXPLAINED and the run fails. reroute must also keep every file
that parsed before parsing, bind no name it left unbound, and change nothing on a second apply.

Environment: REROUTE_DIFF_DIR (cache and work folder, default /tmp/reroute-differential),
REROUTE_BIN (a reroute binary; default: cargo build --release in this repository).
"""
import argparse
import fnmatch
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
import bindings as B  # noqa: E402

PEERS_PIN = {"libcst": "1.8.6", "rope": "1.15.2", "ruff": "0.8.4"}
UP035 = ROOT / "codemods" / "typing-to-collections-abc.toml"
TOOL_TIMEOUT = 1200

# kind "module": a module moves (rope: Rename and/or MoveModule).
# kind "symbol": a global function/class moves, maybe renamed (rope: Rename then MoveGlobal).
# create: modules made (empty) in the pristine tree for every tool, so rope has a destination.
CORPORA = {
    "requests": {
        "pin": "requests==2.32.3",
        "moves": [
            {"id": "structures", "kind": "module", "old": "requests.structures",
             "new": "requests.datastructures", "why": "module rename; every importer is relative (from .structures import ...)"},
            {"id": "to_native_string", "kind": "symbol", "old": "requests._internal_utils.to_native_string",
             "new": "requests._text.native_str", "create": ["requests._text"],
             "why": "function moved to a new module and renamed; relative importers, one inside a multi-name import"},
        ],
    },
    "sqlalchemy": {
        "pin": "sqlalchemy==2.0.36",
        "moves": [
            {"id": "roles", "kind": "module", "old": "sqlalchemy.sql.roles", "new": "sqlalchemy.sql.role_types",
             "why": "module rename; importers use `from . import roles`, `from ..sql import roles` and `from .. import roles`"},
            {"id": "memoized_property", "kind": "symbol", "old": "sqlalchemy.util.langhelpers.memoized_property",
             "new": "sqlalchemy.util._memo.memoized_prop", "create": ["sqlalchemy.util._memo"],
             "why": "class moved and renamed; relative importers including a re-export `import X as X`"},
        ],
    },
    "networkx": {
        "pin": "networkx==3.4.2",
        "moves": [
            {"id": "decorators", "kind": "module", "old": "networkx.utils.decorators", "new": "networkx.utils.decorate",
             "why": "module rename; absolute and relative importers"},
            {"id": "not_implemented_for", "kind": "symbol", "old": "networkx.utils.decorators.not_implemented_for",
             "new": "networkx.utils.graph_checks.not_implemented_for", "create": ["networkx.utils.graph_checks"],
             "why": "function moved, same name"},
        ],
    },
    "django": {
        "pin": "django==5.1.4",
        "moves": [
            {"id": "encoding", "kind": "module", "old": "django.utils.encoding", "new": "django.core.encoding",
             "why": "module moved to another package (same name); absolute importers, function-level imports"},
            {"id": "cached_property", "kind": "symbol", "old": "django.utils.functional.cached_property",
             "new": "django.utils.props.lazy_property", "create": ["django.utils.props"],
             "why": "class moved to a new module and renamed; ~100 absolute importers"},
        ],
    },
}
SMALL = {"requests": None}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def sh(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def ensure_peers():
    want = [f"{k}=={v}" for k, v in PEERS_PIN.items()]
    have = {}
    for name in PEERS_PIN:
        out = sh([sys.executable, "-m", "pip", "show", name]).stdout
        for line in out.splitlines():
            if line.startswith("Version:"):
                have[name] = line.split()[1]
    if have != PEERS_PIN:
        log("installing", " ".join(want))
        r = sh([sys.executable, "-m", "pip", "install", "-q", "--root-user-action=ignore", *want])
        if r.returncode:
            sys.exit("pip install failed:\n" + r.stderr)


def reroute_binary(args):
    if os.environ.get("REROUTE_BIN"):
        return Path(os.environ["REROUTE_BIN"])
    r = sh(["cargo", "build", "--release", "-q"], cwd=ROOT)
    binary = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target") / "release" / "reroute"
    if r.returncode:
        log("cargo build failed; using the last built binary if any\n" + r.stderr[-2000:])
    if not binary.exists():
        sys.exit("no reroute binary")
    return binary


def fetch(cache: Path, name: str, pin: str) -> Path:
    dest = cache / "src" / pin.replace("==", "-")
    if (dest / ".ok").exists():
        return dest
    dl = cache / "dl"
    dl.mkdir(parents=True, exist_ok=True)
    wheel = next((p for p in dl.glob("*.whl") if p.name.lower().startswith(pin.replace("==", "-").lower() + "-")), None)
    if wheel is None:
        r = sh([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary", ":all:",
                "--platform", "any", "--python-version", "3.11", "--implementation", "py", "--abi", "none",
                pin, "-d", str(dl)])
        if r.returncode:
            r = sh([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary", ":all:", pin, "-d", str(dl)])
        if r.returncode:
            sys.exit(f"pip download {pin} failed:\n{r.stderr}")
        wheel = next(p for p in dl.glob("*.whl") if p.name.lower().startswith(pin.replace("==", "-").lower() + "-"))
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    with zipfile.ZipFile(wheel) as z:
        for member in z.namelist():
            top = member.split("/")[0]
            if top.endswith((".dist-info", ".data")) or not member.endswith(".py"):
                continue
            z.extract(member, dest)
    (dest / ".ok").write_text(wheel.name)
    return dest


def module_path(root: Path, dotted: str) -> Path:
    parts = dotted.split(".")
    p = root.joinpath(*parts[:-1], parts[-1] + ".py")
    if p.exists() or not root.joinpath(*parts, "__init__.py").exists():
        return p
    return root.joinpath(*parts, "__init__.py")


def snapshot(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.py")) if p.is_file()}


def under(target: str, prefix: str) -> bool:
    return target == prefix or target.startswith(prefix + ".")


# ---------------------------------------------------------------------------------- reroute
def write_spec(path: Path, old: str, new: str, rename_usages: bool):
    text = f'description = "differential move {old} -> {new}"\n[[move]]\nfrom = "{old}"\nto = "{new}"\n'
    if rename_usages:
        text += "rename_usages = true\n"
    path.write_text(text)


_FLAGS = {}


def supports_no_target_check(binary: Path) -> bool:
    """Older builds have no target check (and no flag to turn it off)."""
    if binary not in _FLAGS:
        _FLAGS[binary] = "--no-target-check" in sh([str(binary), "apply", "--help"]).stdout
    return _FLAGS[binary]


def run_reroute(binary: Path, tree: Path, spec: Path):
    t = time.time()
    # The made-up moves point at modules that do not exist yet: no target check.
    extra = ["--no-target-check"] if supports_no_target_check(binary) else []
    r = sh([str(binary), "apply", ".", "--codemods", str(spec), "--color", "never", *extra], cwd=tree)
    return r, time.time() - t


def reroute_apply(binary, tree, work, old, new, notes):
    """apply with rename_usages = true; if this reroute rejects the key, apply without it."""
    spec = work / "move.toml"
    write_spec(spec, old, new, True)
    before = snapshot(tree)
    r, secs = run_reroute(binary, tree, spec)
    used = True
    if r.returncode == 2 and "rename_usages" in r.stderr and "unknown field" in r.stderr:
        used = False
        notes.append("this reroute rejects `rename_usages` (unknown field): rerun without it, so renamed "
                     "symbols keep their local name (`from new import Y as X`)")
        assert snapshot(tree) == before
        write_spec(spec, old, new, False)
        r, secs = run_reroute(binary, tree, spec)
    return r, secs, used, spec


def leftover(binary, tree, spec):
    """What `reroute check` still reports after apply: (path:line, old, status, reason)."""
    r = sh([str(binary), "check", ".", "--codemods", str(spec), "--format", "json", "--color", "never"], cwd=tree)
    try:
        data = json.loads(r.stdout)
    except json.JSONDecodeError:
        return [f"check failed: {r.stderr.strip()[-300:]}"]
    out = []
    for f in data.get("findings", []):
        reason = f.get("reason")
        if isinstance(reason, dict):
            reason = reason.get("code")
        out.append(f"{f['path']}:{f['line']}: {f['old']} [{f.get('status')}: {reason}]")
    return out


def second_apply(binary, tree, spec):
    first = snapshot(tree)
    r, _ = run_reroute(binary, tree, spec)
    second = snapshot(tree)
    changed = sorted(k for k in set(first) | set(second) if first.get(k) != second.get(k))
    return r, changed


# ---------------------------------------------------------------------------------- compare
def changed_files(base: dict, after: dict):
    return sorted(k for k in set(base) | set(after) if base.get(k) != after.get(k))


def parse_breaks(base_facts, after_facts):
    return sorted(k for k, f in base_facts.items() if f.parsed and k in after_facts and not after_facts[k].parsed)


def new_unbound(base_facts, after_facts):
    out = {}
    for k, f in after_facts.items():
        b = base_facts.get(k)
        if b is None or not f.parsed or not b.parsed:
            continue
        extra = f.unbound - b.unbound
        if extra:
            out[k] = sorted(extra)
    return out


def fmt_bind(b):
    local, target = b
    return f"{local} -> {target}" if local != target else target


def relevant_uses(counter: Counter, paths):
    return Counter({k: v for k, v in counter.items() if any(under(k, p) for p in paths)})


def compare(pkg, move, peer, base, rr, pr, rr_changed, pr_changed, exclude, used_rename, known):
    """reroute (rr) vs one peer (pr): per-file binding sets; returns counts and disagreements."""
    old, new = move["old"], move["new"]
    files = sorted((set(rr_changed) | set(pr_changed)) - exclude)
    agreed = 0
    dis = []
    for f in files:
        r = rr[f].bindings if f in rr else frozenset()
        p = pr[f].bindings if f in pr else frozenset()
        b = base[f].bindings if f in base else frozenset()
        agreed += len((r & p) - b)
        ru = relevant_uses(rr[f].uses, [old, new]) if f in rr else Counter()
        pu = relevant_uses(pr[f].uses, [old, new]) if f in pr else Counter()
        if r == p and ru == pu:
            continue
        d = {"key": f"{pkg}/{move['id']}/{peer}/{f}", "file": f,
             "reroute_only": sorted(fmt_bind(x) for x in r - p), "peer_only": sorted(fmt_bind(x) for x in p - r),
             "uses_reroute_only": sorted((ru - pu).elements()), "uses_peer_only": sorted((pu - ru).elements())}
        d["verdict"], d["reason"] = classify(d, move, peer, base.get(f), r, p, ru, pu, used_rename, known)
        dis.append(d)
    return {"files": len(files), "agreed": agreed, "disagreements": dis}


REASONS = {
    "libcst-relative": ("peer limitation", "LibCST RenameCommand matches QualifiedNameProvider names, which keep a "
                        "relative import relative (`.x.Y`), so `--old_name pkg.x.Y` never matches a relative importer: "
                        "the file keeps its old relative import"),
    "rope-module-import": ("peer style", "rope's MoveGlobal adds `import new.module` and qualifies every use "
                           "(`new.module.name(...)`); each use resolves to the same target as reroute's"),
    "rope-stale-import": ("peer bug", "rope's MoveGlobal leaves the (renamed) `from old_module import name` in "
                          "place after moving the definition: the import binds a name the old module no longer "
                          "defines (ImportError at run time)"),
    "no-rename-usages": ("expected (no rename_usages)", "this reroute rejects `rename_usages`, so the moved symbol "
                         "keeps its old local name (`from new import Y as X`); same targets, same resolved uses"),
    "rename-usages-ignored": ("reroute bug", "`rename_usages = true` is accepted but not applied: the moved module or "
                              "symbol keeps its old local name (`from new import Y as X`) where RenameCommand and "
                              "rope bind `Y` and rename every use; targets and resolved uses agree"),
}


def classify(d, move, peer, basef, r, p, ru, pu, used_rename, known):
    """Explain every binding that differs; a disagreement is explained when all of them are."""
    old, new = move["old"], move["new"]
    if d["key"] in known:
        k = known[d["key"]]
        return k["verdict"], k["reason"]
    for pattern, k in known.items():
        if "*" in pattern and fnmatch.fnmatchcase(d["key"], pattern):
            return k["verdict"], k["reason"]
    old_mod, _, old_name = old.rpartition(".")
    new_mod, _, new_name = new.rpartition(".")
    renamed = old_name != new_name  # the last segment changes: the local name is the question
    rel_old = {x for x in (basef.relative if basef else ()) if under(x[1], old)}
    uses_agree = ru == pu
    reasons = set()
    r_only, p_only = set(r - p), set(p - r)
    for b in sorted(p_only):
        local, target = b
        if peer == "libcst" and b in rel_old:
            reasons.add("libcst-relative")
        elif (peer == "rope" and move["kind"] == "symbol" and uses_agree
              and (target == new_mod or (local == target and under(new_mod, target)))):
            reasons.add("rope-module-import")
        elif peer == "rope" and move["kind"] == "symbol" and renamed and target == f"{old_mod}.{new_name}":
            reasons.add("rope-stale-import")
        elif renamed and local == new_name and target == new and (old_name, new) in r_only:
            reasons.add("no-rename-usages" if not used_rename else "rename-usages-ignored")
        else:
            return "UNEXPLAINED", ""
    for b in sorted(r_only):
        local, target = b
        if peer == "libcst" and under(target, new) and (local == new_name or any(l2 == local for l2, _ in rel_old)) and rel_old:
            reasons.add("libcst-relative")
        elif peer == "rope" and move["kind"] == "symbol" and local == new_name and target == new and uses_agree:
            reasons.add("rope-module-import")
        elif renamed and local == old_name and target == new and (uses_agree or peer == "libcst" or move["kind"] == "module"):
            reasons.add("no-rename-usages" if not used_rename else "rename-usages-ignored")
        else:
            return "UNEXPLAINED", ""
    if not uses_agree and not ({"libcst-relative"} & reasons):
        return "UNEXPLAINED", "resolved uses differ"
    verdicts = sorted({REASONS[x][0] for x in reasons})
    if any(v == "reroute bug" for v in verdicts):
        verdict = "reroute bug"
    elif len(verdicts) == 1:
        verdict = verdicts[0]
    else:
        verdict = " + ".join(verdicts)
    return verdict, " / ".join(f"{REASONS[x][0]}: {REASONS[x][1]}" for x in sorted(reasons))


# ---------------------------------------------------------------------------------- per move
def run_move(pkg, move, pristine, cache, binary, args, known):
    work = cache / "work" / pkg / move["id"]
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    base_dir = work / "base"
    shutil.copytree(pristine, base_dir, ignore=shutil.ignore_patterns(".ok"))
    for dotted in move.get("create", []):
        p = module_path(base_dir, dotted)
        if not p.exists():
            p.write_text('"""Created by the differential test: the destination of a moved symbol."""\n')
    base_snap = snapshot(base_dir)
    base = B.tree_facts(base_dir)
    res = {"pkg": pkg, "move": move, "notes": [], "tools": {}}
    old, new = move["old"], move["new"]

    # the moved code itself: old and new module (module move) or defining and destination module
    if move["kind"] == "module":
        exclude = {module_path(base_dir, old).relative_to(base_dir).as_posix(),
                   module_path(base_dir, new).relative_to(base_dir).as_posix()}
    else:
        exclude = {module_path(base_dir, old.rsplit(".", 1)[0]).relative_to(base_dir).as_posix(),
                   module_path(base_dir, new.rsplit(".", 1)[0]).relative_to(base_dir).as_posix()}
    res["exclude"] = sorted(exclude)

    trees = {}
    for tool in ("reroute", "libcst", "rope"):
        trees[tool] = work / tool
        shutil.copytree(base_dir, trees[tool])

    # reroute
    r, secs, used, spec = reroute_apply(binary, trees["reroute"], work, old, new, res["notes"])
    res["rename_usages"] = used
    after1 = snapshot(trees["reroute"])
    rr = B.tree_facts(trees["reroute"])
    left = leftover(binary, trees["reroute"], spec)
    r2, second = second_apply(binary, trees["reroute"], spec)
    res["tools"]["reroute"] = {"ok": r.returncode in (0, 1), "secs": secs, "changed": changed_files(base_snap, after1),
                               "summary": (r.stdout.strip().splitlines() or [""])[-1] + r.stderr.strip()[-500:],
                               "second_changed": second, "second_rc": r2.returncode, "check_left": left,
                               "parse_breaks": parse_breaks(base, rr), "new_unbound": new_unbound(base, rr),
                               "parsed_before": sum(f.parsed for f in base.values())}

    # peers
    facts = {"reroute": rr}
    for tool in ("libcst", "rope"):
        t = time.time()
        if tool == "libcst":
            cmd = [sys.executable, "-W", "ignore", str(HERE / "peers.py"), "libcst", str(trees[tool]), old, new, str(args.jobs)]
        else:
            cmd = [sys.executable, "-W", "ignore", str(HERE / "peers.py"), "rope", str(trees[tool]), move["kind"], old, new]
        try:
            p = sh(cmd, timeout=TOOL_TIMEOUT)
            out = json.loads(p.stdout.strip().splitlines()[-1]) if p.stdout.strip() else {"ok": False, "note": p.stderr[-800:]}
        except subprocess.TimeoutExpired:
            out = {"ok": False, "note": f"timed out after {TOOL_TIMEOUT}s"}
        except json.JSONDecodeError:
            out = {"ok": False, "note": p.stderr[-800:]}
        snap = snapshot(trees[tool])
        facts[tool] = B.tree_facts(trees[tool])
        res["tools"][tool] = {"ok": out.get("ok", False), "secs": time.time() - t, "note": out.get("note", ""),
                              "changed": changed_files(base_snap, snap),
                              "parse_breaks": parse_breaks(base, facts[tool]),
                              "new_unbound": new_unbound(base, facts[tool])}
    res["compare"] = {}
    for peer in ("libcst", "rope"):
        c = compare(pkg, move, peer, base, rr, facts[peer], res["tools"]["reroute"]["changed"],
                    res["tools"][peer]["changed"], exclude, used, known)
        if not res["tools"][peer]["ok"]:
            for d in c["disagreements"]:
                d["verdict"], d["reason"] = "peer failure", f"{peer} did not complete: {res['tools'][peer]['note']}"
        res["compare"][peer] = c
    # old-path bindings left in each tree (outside the moved code)
    res["left"] = {t: sorted(f"{k}: {fmt_bind(b)}" for k, f in fs.items() if k not in exclude
                             for b in f.bindings if under(b[1], old))
                   for t, fs in facts.items()}
    res["left"]["base"] = sorted(f"{k}: {fmt_bind(b)}" for k, f in base.items() if k not in exclude
                                 for b in f.bindings if under(b[1], old))
    if not args.keep:
        shutil.rmtree(work)
    return res


# ---------------------------------------------------------------------------------- ruff UP035
def run_ruff(pkg, pristine, cache, binary, args):
    work = cache / "work" / pkg / "up035"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    base_dir = work / "base"
    shutil.copytree(pristine, base_dir, ignore=shutil.ignore_patterns(".ok"))
    base_snap = snapshot(base_dir)
    base = B.tree_facts(base_dir)
    ruff_dir, rr_dir = work / "ruff", work / "reroute"
    shutil.copytree(base_dir, ruff_dir)
    shutil.copytree(base_dir, rr_dir)
    p = sh(["ruff", "check", "--select", "UP035", "--fix", "--target-version", "py39", "--isolated",
            "--no-cache", "--exit-zero", "-q", "."], cwd=ruff_dir)
    r, secs = run_reroute(binary, rr_dir, UP035)
    after1 = snapshot(rr_dir)
    rr = B.tree_facts(rr_dir)
    r2, second = second_apply(binary, rr_dir, UP035)
    rf = B.tree_facts(ruff_dir)
    ruff_changed = changed_files(base_snap, snapshot(ruff_dir))
    rr_changed = changed_files(base_snap, after1)
    missing, wrong, extra = [], [], []
    ruff_bindings = 0
    for f in sorted(set(ruff_changed) | set(rr_changed)):
        b, u, x = base[f].bindings, rf[f].bindings, rr[f].bindings
        added, removed = u - b, b - u
        ruff_bindings += len(added)
        for bnd in sorted(added):
            if bnd not in x:
                missing.append(f"{f}: ruff binds {fmt_bind(bnd)}, reroute does not")
        for bnd in sorted(removed):
            if bnd in x:
                wrong.append(f"{f}: ruff removes {fmt_bind(bnd)}, reroute keeps it")
        for bnd in sorted((x - b) - added):
            extra.append(f"{f}: {fmt_bind(bnd)}")
    uses_extra = []
    for f in rr_changed:
        du = relevant_uses(rr[f].uses, ["collections", "re", "typing", "shlex"]) - relevant_uses(base[f].uses, ["collections", "re", "typing", "shlex"])
        dr = relevant_uses(rf[f].uses, ["collections", "re", "typing", "shlex"]) - relevant_uses(base[f].uses, ["collections", "re", "typing", "shlex"])
        for k in sorted((du - dr).elements()):
            uses_extra.append(f"{f}: {k}")
    res = {"pkg": pkg, "ruff_rc": p.returncode, "ruff_err": p.stderr[-500:], "ruff_changed": ruff_changed,
           "reroute_changed": rr_changed, "ruff_new_bindings": ruff_bindings, "missing": missing, "wrong": wrong,
           "extra": extra, "uses_extra": uses_extra,
           "reroute_summary": (r.stdout.strip().splitlines() or [""])[-1] + r.stderr.strip()[-500:],
           "reroute_ok": r.returncode in (0, 1), "second_changed": second,
           "parse_breaks": parse_breaks(base, rr), "ruff_parse_breaks": parse_breaks(base, rf),
           "new_unbound": new_unbound(base, rr), "parsed_before": sum(f.parsed for f in base.values()),
           "secs": secs}
    if not args.keep:
        shutil.rmtree(work)
    return res


# ---------------------------------------------------------------------------------- report
def versions(binary):
    v = {"python": platform.python_version()}
    v["reroute"] = sh([str(binary), "--version"]).stdout.strip()
    if os.environ.get("REROUTE_BIN"):
        # a given binary: the repository's HEAD says nothing about it; REROUTE_COMMIT may name its source
        v["reroute commit"] = os.environ.get("REROUTE_COMMIT", "unknown") + " (REROUTE_BIN)"
    else:
        v["reroute commit"] = sh(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]).stdout.strip()
        dirty = sh(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"]).stdout.strip()
        if dirty:
            v["reroute commit"] += " + uncommitted src/ changes"
    for k, pin in PEERS_PIN.items():
        v[k] = pin
    return v


def report(results, ruffs, vers, command, failures, secs):
    out = ["# Differential test: reroute vs LibCST RenameCommand, rope, ruff UP035", ""]
    out.append(f"Command: `{command}` ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, {secs:.0f} s).")
    out.append("")
    out.append("Versions: " + ", ".join(f"{k} {v}" for k, v in vers.items()) + ".")
    out.append("Corpora (wheels from PyPI, `pip download --no-deps`): " +
               ", ".join(sorted({CORPORA[r['pkg']]['pin'] for r in results} | {CORPORA[r['pkg']]['pin'] for r in ruffs})) + ".")
    out.append("")
    out.append("How to read: each move is applied by every tool to its own copy of the package. A *binding* is "
               "(file, local name -> fully qualified target) for every import statement at any depth, relative "
               "imports resolved through `__init__.py` folders (`bench/differential/bindings.py`). "
               "*Agreed* counts bindings that both tools created (not in the pristine file). A disagreement is "
               "a file whose binding set, or whose uses resolved through those bindings (`a.b.f()` with "
               "`import a.b` -> `a.b.f`), differ between reroute and the peer. The moved code itself (old and "
               "new module of a module move, defining and destination module of a symbol move) is left out: "
               "rope moves the code, reroute and LibCST only rewrite importers.")
    out.append("")
    out.append(f"Result: **{'FAIL' if failures else 'PASS'}**" + (": " + "; ".join(failures) if failures else
               " (no parse break, second apply changes nothing, no unexplained disagreement)."))
    out.append("")
    out.append("## Moves")
    out.append("")
    out.append("| package | move | rename_usages | files changed reroute / libcst / rope | bindings agreed libcst / rope | disagreements libcst / rope | old-path bindings left base / reroute / libcst / rope | reroute check after apply | parse breaks | 2nd apply changed | new unbound names |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        t, c, m = r["tools"], r["compare"], r["move"]
        nb = sum(len(v) for v in t["reroute"]["new_unbound"].values())
        out.append(f"| {r['pkg']} | `{m['old']}` -> `{m['new']}` ({m['kind']}) | {'yes' if r['rename_usages'] else 'no (rejected)'} | "
                   f"{len(t['reroute']['changed'])} / {len(t['libcst']['changed'])} / {len(t['rope']['changed'])} | "
                   f"{c['libcst']['agreed']} / {c['rope']['agreed']} | "
                   f"{len(c['libcst']['disagreements'])} / {len(c['rope']['disagreements'])} | "
                   f"{len(r['left']['base'])} / {len(r['left']['reroute'])} / {len(r['left']['libcst'])} / {len(r['left']['rope'])} | {len(t['reroute']['check_left'])} | "
                   f"{len(t['reroute']['parse_breaks'])} of {t['reroute']['parsed_before']} | {len(t['reroute']['second_changed'])} | {nb} |")
    out.append("")
    if ruffs:
        out.append("## ruff UP035 vs `codemods/typing-to-collections-abc.toml`")
        out.append("")
        out.append("`ruff check --select UP035 --fix --target-version py39 --isolated` on one copy, "
                   "`reroute apply --codemods codemods/typing-to-collections-abc.toml` on another. Every binding ruff "
                   "adds must be in reroute's file, every binding ruff removes must be gone from it.")
        out.append("")
        out.append("| package | files changed ruff / reroute | bindings ruff created | missing in reroute | kept by reroute | reroute-only bindings | reroute-only uses | parse breaks | 2nd apply changed | new unbound names |")
        out.append("|---|---|---|---|---|---|---|---|---|---|")
        for u in ruffs:
            out.append(f"| {u['pkg']} | {len(u['ruff_changed'])} / {len(u['reroute_changed'])} | {u['ruff_new_bindings']} | "
                       f"{len(u['missing'])} | {len(u['wrong'])} | {len(u['extra'])} | {len(u['uses_extra'])} | "
                       f"{len(u['parse_breaks'])} of {u['parsed_before']} | {len(u['second_changed'])} | "
                       f"{sum(len(v) for v in u['new_unbound'].values())} |")
        out.append("")
        for u in ruffs:
            items = [("missing in reroute", u["missing"]), ("kept by reroute", u["wrong"]),
                     ("reroute-only bindings (reroute changes more than ruff)", u["extra"]),
                     ("reroute-only uses (attribute uses rewritten through a module import)", u["uses_extra"]),
                     ("parse breaks", u["parse_breaks"]), ("second apply changed", u["second_changed"]),
                     ("new unbound names", [f"{k}: {v}" for k, v in u["new_unbound"].items()])]
            if any(v for _, v in items) or not u["reroute_ok"]:
                out.append(f"### {u['pkg']} (UP035)")
                out.append("")
                out.append(f"reroute: {u['reroute_summary']}")
                out.append("")
                for title, v in items:
                    if v:
                        out.append(f"- {title}:")
                        out.extend(f"  - `{x}`" for x in v[:60])
                        if len(v) > 60:
                            out.append(f"  - ... {len(v) - 60} more")
                out.append("")
    out.append("## Per move")
    for r in results:
        m, t = r["move"], r["tools"]
        out.append("")
        out.append(f"### {r['pkg']}: `{m['old']}` -> `{m['new']}`")
        out.append("")
        out.append(f"Why this move: {m['why']}. Left out of the comparison: {', '.join('`'+x+'`' for x in r['exclude'])}.")
        for n in r["notes"]:
            out.append(f"Note: {n}.")
        out.append("")
        out.append(f"- reroute ({t['reroute']['secs']:.1f} s): {t['reroute']['summary']}")
        for tool in ("libcst", "rope"):
            out.append(f"- {tool} ({t[tool]['secs']:.1f} s, {'ok' if t[tool]['ok'] else 'FAILED'}): {t[tool]['note']}")
            if t[tool]["parse_breaks"]:
                out.append(f"  - {tool} parse breaks: {', '.join(t[tool]['parse_breaks'])}")
            if t[tool]["new_unbound"]:
                out.append(f"  - {tool} new unbound names: " + "; ".join(f"`{k}`: {', '.join(v)}" for k, v in t[tool]["new_unbound"].items()))
        for k in ("parse_breaks", "second_changed"):
            if t["reroute"][k]:
                out.append(f"- reroute {k}: {', '.join(t['reroute'][k])}")
        if t["reroute"]["new_unbound"]:
            out.append("- reroute new unbound names: " + "; ".join(f"`{k}`: {', '.join(v)}" for k, v in t["reroute"]["new_unbound"].items()))
        if t["reroute"]["check_left"]:
            cl = t["reroute"]["check_left"]
            out.append(f"- `reroute check` after apply still reports {len(cl)}: " + "; ".join(f"`{x}`" for x in cl[:12]) + (f" (+{len(cl) - 12})" if len(cl) > 12 else ""))
        if r["left"]["reroute"]:
            out.append("- old-path bindings reroute left: " + "; ".join(f"`{x}`" for x in r["left"]["reroute"][:20]))
        for peer in ("libcst", "rope"):
            dis = r["compare"][peer]["disagreements"]
            if not dis:
                continue
            out.append("")
            out.append(f"Disagreements with {peer}:")
            out.append("")
            for d in dis:
                out.append(f"- `{d['key']}` - **{d['verdict']}**{': ' + d['reason'] if d['reason'] else ''}")
                for label, k in (("reroute only", "reroute_only"), (f"{peer} only", "peer_only"),
                                 ("uses, reroute only", "uses_reroute_only"), (f"uses, {peer} only", "uses_peer_only")):
                    if d[k]:
                        shown = d[k][:8]
                        out.append(f"  - {label}: " + ", ".join(f"`{x}`" for x in shown) + (f" (+{len(d[k]) - 8})" if len(d[k]) > 8 else ""))
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--small", action="store_true", help="CI size: requests only")
    ap.add_argument("--only", action="append", help="packages to run (repeatable)")
    ap.add_argument("--no-ruff", action="store_true")
    ap.add_argument("--allow-reroute-bugs", action="store_true",
                    help="do not fail on disagreements classified as a reroute bug (still reported)")
    ap.add_argument("--keep", action="store_true", help="keep the work trees")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--out", help="results file (default: results.md for the full run, none for --small)")
    args = ap.parse_args()
    start = time.time()
    cache = Path(os.environ.get("REROUTE_DIFF_DIR", "/tmp/reroute-differential"))
    cache.mkdir(parents=True, exist_ok=True)
    ensure_peers()
    binary = reroute_binary(args)
    known = json.loads((HERE / "known.json").read_text()) if (HERE / "known.json").exists() else {}
    known = {k: v for k, v in known.items() if not k.startswith("_")}
    pkgs = args.only or (list(SMALL) if args.small else list(CORPORA))
    results, ruffs = [], []
    for pkg in pkgs:
        pristine = fetch(cache, pkg, CORPORA[pkg]["pin"])
        for move in CORPORA[pkg]["moves"]:
            log(f"[{time.time() - start:6.0f}s] {pkg}: {move['old']} -> {move['new']}")
            results.append(run_move(pkg, move, pristine, cache, binary, args, known))
        if not args.no_ruff:
            log(f"[{time.time() - start:6.0f}s] {pkg}: ruff UP035 vs reroute")
            ruffs.append(run_ruff(pkg, pristine, cache, binary, args))
    failures = []
    for r in results:
        t = r["tools"]["reroute"]
        name = f"{r['pkg']}/{r['move']['id']}"
        if not t["ok"]:
            failures.append(f"{name}: reroute failed ({t['summary']})")
        if t["parse_breaks"]:
            failures.append(f"{name}: reroute broke parsing of {len(t['parse_breaks'])} files")
        if t["second_changed"]:
            failures.append(f"{name}: second apply changed {len(t['second_changed'])} files")
        if t["new_unbound"] and r["rename_usages"]:
            failures.append(f"{name}: reroute left {len(t['new_unbound'])} files with a use of an unbound name")
        for peer, c in r["compare"].items():
            for d in c["disagreements"]:
                if d["verdict"] == "UNEXPLAINED":
                    failures.append(f"{d['key']}: unexplained disagreement")
                elif "reroute bug" in d["verdict"] and not args.allow_reroute_bugs:
                    failures.append(f"{d['key']}: known reroute bug")
    for u in ruffs:
        name = f"{u['pkg']}/up035"
        if not u["reroute_ok"]:
            failures.append(f"{name}: reroute failed ({u['reroute_summary']})")
        for k, label in (("missing", "bindings ruff makes that reroute does not"), ("wrong", "bindings ruff removes that reroute keeps"),
                         ("parse_breaks", "parse breaks"), ("second_changed", "files changed by a second apply"),
                         ("new_unbound", "files with a new unbound name")):
            if u[k]:
                failures.append(f"{name}: {len(u[k])} {label}")
    command = "python3 bench/differential/run.py" + (" --small" if args.small else "") + "".join(f" --only {p}" for p in args.only or [])
    (cache / "last-results.json").write_text(json.dumps({"results": results, "ruffs": ruffs}, default=list, indent=1))
    text = report(results, ruffs, versions(binary), command, failures, time.time() - start)
    out = args.out or (None if args.small or args.only else str(HERE / "results.md"))
    if out:
        Path(out).write_text(text)
        log(f"wrote {out}")
    print(text)
    if failures:
        log("FAIL:\n  " + "\n  ".join(failures))
        sys.exit(1)
    log(f"PASS in {time.time() - start:.0f}s")


if __name__ == "__main__":
    main()
