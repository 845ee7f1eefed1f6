"""Runs inside a venv that has one version of a library (NumPy 1.26 or 2.0, Airflow 2 or 3):
reads every .py file of a tree with CPython's ast, finds each reference to the library (an
import of it, or an attribute chain through a name an import binds) and tries it on the
installed version, without running the file: `from numpy import X` imports numpy and looks
X up (or imports numpy.X); `np.a.b` imports what the file imports and follows the
attributes. Prints one JSON document: per file, the sites with their context and whether
they work here.

Context of a site: `try` (the body of a try whose handler catches ImportError,
ModuleNotFoundError, AttributeError or Exception: a failure is expected there), `handler`
(inside such a handler: a fallback), `old-side` / `new-side` (the branch of an `if` on
`hasattr(mod, "new")`, `version >= X`, `X_V_3_0_PLUS` or their `not` that runs on the older /
newer versions), `versioned` (a branch of another `if` whose test asks `hasattr` or a
version), `plain` (anything else).

    python upgrades_sites.py ROOT LIBRARY [--skip PREFIX ...]

LIBRARY is the top-level name (numpy, airflow). A site under a --skip prefix (the corpus's
own package, e.g. airflow.providers.amazon) is not reported.
"""
import ast
import importlib
import json
import sys
import warnings
from pathlib import Path

CATCHES = {"ImportError", "ModuleNotFoundError", "AttributeError", "Exception", "BaseException"}
IMPORT_CALLS = {"importorskip", "import_module"}


def handler_catches(handler):
    if handler.type is None:
        return True
    names = []
    for node in ast.walk(handler.type):
        if isinstance(node, ast.Name):
            names.append(node.id)
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
    return any(n in CATCHES for n in names)


def is_versioned(test):
    text = ast.unparse(test)
    return "hasattr" in text or "version" in text.lower() or text.lower().endswith("_plus")


def newer_when_true(test):
    """Whether the test holds on the newer versions (True), the older (False), or cannot be
    told (None): `hasattr(mod, "new")`, `version >= X`, `X_V_3_0_PLUS`, and `not` of them."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = newer_when_true(test.operand)
        return None if inner is None else not inner
    if isinstance(test, ast.Call) and getattr(test.func, "id", None) == "hasattr":
        return True
    if isinstance(test, (ast.Name, ast.Attribute)):
        name = (test.id if isinstance(test, ast.Name) else test.attr).lower()
        if any(c.isdigit() for c in name) and (name.endswith("_plus") or "_ge_" in name):
            return True
        return None
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        def fixed(n):
            return isinstance(n, (ast.Constant, ast.Tuple)) or (
                isinstance(n, ast.Call) and n.args and all(isinstance(a, ast.Constant) for a in n.args))

        def running(n):
            text = ast.unparse(n).lower()
            return "version" in text and "version_info" not in text and not fixed(n)
        grows = {ast.GtE: True, ast.Gt: True, ast.LtE: False, ast.Lt: False}.get(type(test.ops[0]))
        left, right = test.left, test.comparators[0]
        if grows is None:
            return None
        if running(left) and fixed(right):
            return grows
        if fixed(left) and running(right):
            return not grows
    return None


class Sites(ast.NodeVisitor):
    def __init__(self, library):
        self.library = library
        self.context = ["plain"]
        self.aliases = {}  # local name -> dotted module
        self.imported = set()  # modules `import a.b` loads
        self.sites = []

    def add(self, kind, path, node):
        self.sites.append({"kind": kind, "path": path, "line": node.lineno, "col": node.col_offset,
                           "context": self.context[-1]})

    def under(self, context, nodes):
        self.context.append(context)
        for node in nodes:
            self.visit(node)
        self.context.pop()

    def visit_Try(self, node):
        caught = any(handler_catches(h) for h in node.handlers)
        self.under("try" if caught else self.context[-1], node.body)
        for handler in node.handlers:
            self.under("handler" if handler_catches(handler) else self.context[-1], handler.body)
        self.under(self.context[-1], node.orelse + node.finalbody)

    visit_TryStar = visit_Try

    def visit_If(self, node):
        self.visit(node.test)
        newer = newer_when_true(node.test)
        if newer is not None and not (len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If)):
            self.under("new-side" if newer else "old-side", node.body)
            self.under("old-side" if newer else "new-side", node.orelse)
            return
        context = "versioned" if is_versioned(node.test) else self.context[-1]
        self.under(context, node.body)
        self.under(context, node.orelse)

    def visit_IfExp(self, node):
        context = "versioned" if is_versioned(node.test) else self.context[-1]
        self.visit(node.test)
        self.under(context, [node.body, node.orelse])

    def visit_Import(self, node):
        for alias in node.names:
            top = alias.name.split(".")[0]
            if top != self.library:
                continue
            self.add("import", alias.name, node)
            self.imported.add(alias.name)
            if alias.asname:
                self.aliases[alias.asname] = alias.name
            else:
                self.aliases[top] = top

    def visit_ImportFrom(self, node):
        if node.level or not node.module or node.module.split(".")[0] != self.library:
            return
        for alias in node.names:
            if alias.name == "*":
                self.add("import", node.module, node)
                continue
            path = f"{node.module}.{alias.name}"
            self.add("import", path, node)
            self.aliases[alias.asname or alias.name] = path

    def visit_Assign(self, node):
        call = node.value
        if (len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and isinstance(call, ast.Call)
                and call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)):
            function = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
            module = call.args[0].value
            if function in IMPORT_CALLS and module.split(".")[0] == self.library:
                self.aliases[node.targets[0].id] = module
                self.imported.add(module)
        self.generic_visit(node)

    def visit_FunctionDef(self, node):
        # Names the function binds (parameters, assignments, loop and `with` targets) hide
        # the module's imports inside it: `task.params` on a parameter `task` is not the
        # imported `task` decorator.
        local = {a.arg for a in node.args.args + node.args.kwonlyargs + node.args.posonlyargs}
        local |= {a.arg for a in (node.args.vararg, node.args.kwarg) if a}
        for inner in ast.walk(node):
            if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Store):
                local.add(inner.id)
        hidden = {name: self.aliases.pop(name) for name in local if name in self.aliases}
        for decorator in node.decorator_list:
            self.visit(decorator)
        for statement in node.body:
            self.visit(statement)
        self.aliases.update(hidden)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Attribute(self, node):
        chain = []
        current = node
        while isinstance(current, ast.Attribute):
            chain.append(current.attr)
            current = current.value
        if isinstance(current, ast.Name) and current.id in self.aliases:
            chain.reverse()
            self.add("attribute", ".".join([self.aliases[current.id]] + chain), node)
            return  # the chain's inner attributes are prefixes of this one
        self.generic_visit(node)


def works(kind, path, imported):
    """Whether the site works on the installed version."""
    parts = path.split(".")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if kind == "import":
            try:
                importlib.import_module(path)
                return True
            except Exception:
                pass
            try:
                module = importlib.import_module(".".join(parts[:-1]))
                return hasattr(module, parts[-1])
            except Exception:
                return False
        for module in imported:
            try:
                importlib.import_module(module)
            except Exception:
                pass
        try:
            value = importlib.import_module(parts[0])
            for part in parts[1:]:
                value = getattr(value, part)
            return True
        except Exception:
            return False


def main():
    # What imported modules print (Airflow logs at import) must not mix with the report.
    report = sys.stdout
    sys.stdout = sys.stderr
    root = Path(sys.argv[1])
    library = sys.argv[2]
    skip = []
    args = sys.argv[3:]
    while args:
        if args[0] == "--skip":
            skip.append(args[1])
            args = args[2:]
        else:
            args = args[1:]
    cache = {}
    out = {}
    for file in sorted(root.rglob("*.py")):
        rel = file.relative_to(root).as_posix()
        try:
            tree = ast.parse(file.read_bytes())
        except (SyntaxError, ValueError):
            continue
        finder = Sites(library)
        finder.visit(tree)
        sites = []
        for site in finder.sites:
            if any(site["path"] == s or site["path"].startswith(s + ".") for s in skip):
                continue
            key = (site["kind"], site["path"], tuple(sorted(finder.imported)) if site["kind"] == "attribute" else ())
            if key not in cache:
                cache[key] = works(site["kind"], site["path"], finder.imported)
            site["ok"] = cache[key]
            sites.append(site)
        if sites:
            out[rel] = sites
    json.dump(out, report)


if __name__ == "__main__":
    main()
