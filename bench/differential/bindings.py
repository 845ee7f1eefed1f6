"""Import bindings of a Python tree, read with CPython's ast.

A binding is (file, local name, fully qualified target):

    import a.b.c            -> ("a.b.c", "a.b.c")   the dotted name the statement makes usable
    import a.b as m         -> ("m", "a.b")
    from a.b import c as d  -> ("d", "a.b.c")
    from .x import y        -> ("y", "<package>.x.y")   relative: resolved with the file's package
    from a import *         -> ("*", "a.*")

Every import statement counts, at any depth (function-level, under if/try, in class bodies).
The file's package is found by walking up folders that hold __init__.py.

Uses: every Name / attribute chain that is read and whose head is a name bound by an import in
the same file resolves to a qualified path (import a.b; a.b.f() -> a.b.f). Scope is ignored:
a local assignment that shadows an imported name is rare in the corpora and affects every tool
alike.

Unbound: names read somewhere in the file that nothing in the file binds and that are not
builtins. A rewrite that adds one broke a use (the old name was renamed in the import only).
"""
import ast
import builtins
from collections import Counter
from pathlib import Path

BUILTINS = set(dir(builtins)) | {"__file__", "__name__", "__doc__", "__spec__", "__path__",
                                 "__loader__", "__package__", "__builtins__", "__annotations__",
                                 "__class__", "__debug__", "__qualname__", "__module__", "__dict__"}


def module_name(root: Path, path: Path) -> tuple[str, bool]:
    """Dotted module name of path (relative to the first folder above it without __init__.py)."""
    parts = [path.stem] if path.name != "__init__.py" else []
    folder = path.parent
    while (folder / "__init__.py").exists() and folder != root.parent:
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts), path.name == "__init__.py"


def resolve_from(modname: str, is_package: bool, level: int, module: str | None) -> str | None:
    if level == 0:
        return module
    parts = modname.split(".") if modname else []
    if not is_package:
        parts = parts[:-1]
    if level - 1 > len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    if module:
        base = base + module.split(".")
    return ".".join(base)


def import_bindings(tree: ast.AST, modname: str, is_package: bool):
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                out.append((a.asname or a.name, a.name, node.lineno, False))
        elif isinstance(node, ast.ImportFrom):
            base = resolve_from(modname, is_package, node.level, node.module)
            if base is None:
                base = "." * node.level + (node.module or "")
            for a in node.names:
                if a.name == "*":
                    out.append(("*", base + ".*", node.lineno, node.level > 0))
                else:
                    out.append((a.asname or a.name, f"{base}.{a.name}", node.lineno, node.level > 0))
    return out


def _chain(node):
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        names.append(node.id)
        return list(reversed(names))
    return None


def uses(tree: ast.AST, binds) -> Counter:
    table = {}
    for local, target, _, _ in binds:
        if local != "*":
            table.setdefault(local, target)
    dotted = sorted((k for k in table if "." in k), key=lambda k: -k.count("."))
    counts = Counter()
    seen_inner = set()
    for node in ast.walk(tree):
        if id(node) in seen_inner:
            continue
        if isinstance(node, (ast.Attribute, ast.Name)) and isinstance(getattr(node, "ctx", None), ast.Load):
            chain = _chain(node)
            if not chain:
                continue
            inner = node.value if isinstance(node, ast.Attribute) else None
            while isinstance(inner, ast.Attribute):
                seen_inner.add(id(inner))
                inner = inner.value
            if isinstance(inner, ast.Name):
                seen_inner.add(id(inner))
            text = ".".join(chain)
            hit = None
            for k in dotted:
                if text == k or text.startswith(k + "."):
                    hit = table[k] + text[len(k):]
                    break
            if hit is None and chain[0] in table:
                hit = ".".join([table[chain[0]]] + chain[1:])
            if hit is not None:
                counts[hit] += 1
    return counts


def unbound_names(tree: ast.AST) -> set:
    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
        elif hasattr(ast, "TypeVar") and isinstance(node, (ast.TypeVar, ast.ParamSpec, ast.TypeVarTuple)):
            bound.add(node.name)
    if any(isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names) for n in ast.walk(tree)):
        return set()
    return read - bound - BUILTINS


class FileFacts:
    __slots__ = ("parsed", "bindings", "relative", "uses", "unbound")

    def __init__(self, parsed, bindings=frozenset(), relative=frozenset(), uses=None, unbound=frozenset()):
        self.parsed = parsed
        self.bindings = bindings
        self.relative = relative
        self.uses = uses or Counter()
        self.unbound = unbound


def facts(root: Path, path: Path, source: bytes | None = None) -> FileFacts:
    data = path.read_bytes() if source is None else source
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError):
        return FileFacts(False)
    modname, is_package = module_name(root, path)
    binds = import_bindings(tree, modname, is_package)
    return FileFacts(
        True,
        frozenset((local, target) for local, target, _, _ in binds),
        frozenset((local, target) for local, target, _, rel in binds if rel),
        uses(tree, binds),
        frozenset(unbound_names(tree)),
    )


def tree_facts(root: Path) -> dict:
    """facts for every .py file under root, keyed by the path relative to root."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        if path.is_file():
            out[path.relative_to(root).as_posix()] = facts(root, path)
    return out
