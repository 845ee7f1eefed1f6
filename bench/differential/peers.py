"""Run one peer tool on one tree, in its own process (so a crash or hang stays contained).

    python3 peers.py libcst ROOT OLD NEW [JOBS]   LibCST's RenameCommand over every .py under ROOT
    python3 peers.py rope ROOT KIND OLD NEW       rope: module move/rename, or a global's rename+move

Prints one JSON line: {"ok": bool, "changed": [...], "note": "..."}.
"""
import json
import sys
from pathlib import Path


def run_libcst(root: Path, old: str, new: str, jobs: int) -> dict:
    from libcst.codemod import CodemodContext, parallel_exec_transform_with_prettyprint
    from libcst.codemod.commands.rename import RenameCommand

    files = sorted(str(p) for p in root.rglob("*.py"))
    before = {f: Path(f).read_bytes() for f in files}
    result = parallel_exec_transform_with_prettyprint(
        RenameCommand(CodemodContext(), old_name=old, new_name=new),
        files,
        jobs=jobs,
        repo_root=str(root),
        hide_progress=True,
        hide_generated=False,
    )
    changed = [str(Path(f).relative_to(root)) for f in files if Path(f).read_bytes() != before[f]]
    return {
        "ok": True,
        "changed": changed,
        "note": f"successes={result.successes} failures={result.failures} skips={result.skips} warnings={result.warnings}",
    }


def _resource(project, root: Path, dotted: str, must_exist=True):
    parts = dotted.split(".")
    path = root.joinpath(*parts[:-1], parts[-1] + ".py")
    if not path.exists():
        pkg = root.joinpath(*parts, "__init__.py")
        if pkg.exists():
            return project.get_resource(str(pkg.parent.relative_to(root)))
        if must_exist:
            raise FileNotFoundError(path)
    return project.get_resource(str(path.relative_to(root)))


def _definition_offset(source: str, name: str) -> int:
    import ast

    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            line_start = sum(len(x) for x in lines[: node.lineno - 1])
            text = lines[node.lineno - 1]
            col = text.index(name, text.index("def" if not isinstance(node, ast.ClassDef) else "class"))
            return line_start + col
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            line_start = sum(len(x) for x in lines[: node.lineno - 1])
            return line_start + lines[node.lineno - 1].index(name)
    raise LookupError(f"{name} is not a top-level def/class/assignment (rope's MoveGlobal moves only those; "
                      "e.g. it is assigned under `if TYPE_CHECKING:`/`else:`)")


def run_rope(root: Path, kind: str, old: str, new: str) -> dict:
    from rope.base.project import Project
    from rope.refactor.move import MoveGlobal, MoveModule
    from rope.refactor.rename import Rename

    files = sorted(root.rglob("*.py"))
    before = {f: f.read_bytes() for f in files}
    project = Project(str(root), ropefolder=None)
    notes = []
    try:
        if kind == "module":
            old_pkg, _, old_name = old.rpartition(".")
            new_pkg, _, new_name = new.rpartition(".")
            res = _resource(project, root, old)
            current = old
            if new_name != old_name:
                project.do(Rename(project, res).get_changes(new_name))
                notes.append(f"Rename {old} -> {old_pkg}.{new_name}")
                current = f"{old_pkg}.{new_name}"
                res = _resource(project, root, current)
            if new_pkg != old_pkg:
                dest = project.get_resource(str(root.joinpath(*new_pkg.split(".")).relative_to(root)))
                project.do(MoveModule(project, res).get_changes(dest))
                notes.append(f"MoveModule {current} -> {new_pkg}")
        else:
            old_mod, _, old_name = old.rpartition(".")
            new_mod, _, new_name = new.rpartition(".")
            res = _resource(project, root, old_mod)
            if new_name != old_name:
                offset = _definition_offset(res.read(), old_name)
                project.do(Rename(project, res, offset).get_changes(new_name))
                notes.append(f"Rename {old} -> {old_mod}.{new_name}")
            if new_mod != old_mod:
                offset = _definition_offset(res.read(), new_name)
                dest = _resource(project, root, new_mod)
                project.do(MoveGlobal(project, res, offset).get_changes(dest))
                notes.append(f"MoveGlobal {old_mod}.{new_name} -> {new_mod}")
    finally:
        project.close()
    after = sorted(root.rglob("*.py"))
    changed = [str(f.relative_to(root)) for f in after if f not in before or f.read_bytes() != before[f]]
    changed += [str(f.relative_to(root)) + " (removed)" for f in files if not f.exists()]
    return {"ok": True, "changed": changed, "note": "; ".join(notes)}


def main():
    tool, root = sys.argv[1], Path(sys.argv[2]).resolve()
    try:
        if tool == "libcst":
            jobs = int(sys.argv[5]) if len(sys.argv) > 5 else 1
            out = run_libcst(root, sys.argv[3], sys.argv[4], jobs)
        else:
            out = run_rope(root, sys.argv[3], sys.argv[4], sys.argv[5])
    except Exception as exc:  # reported, never hidden
        out = {"ok": False, "changed": [], "note": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
