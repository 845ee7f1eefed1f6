"""Pinned real packages for the benchmarks and proof runs (bench/roundtrip.py, bench/mutate.py).

The one place the pins and the download live (bench/same_output.py uses them too): the sdist of each package from PyPI
(`pip download --no-deps --no-binary NAME`), its sha256 checked, unpacked once into
CACHE/src/NAME-VERSION/. CACHE is REROUTE_PINNED_DIR (default /tmp/reroute-pinned; outside
the repository). A tree under CACHE/src is pristine: scripts copy it before they write.

Also: which modules of a package are imported most (read with CPython's ast), and a few
helpers shared by the scripts.
"""
import ast
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# name -> version, sha256 of the sdist on PyPI.
PINS = {
    "django": ("5.1.4", "de450c09e91879fa5a307f696e57c851955c910a438a35e6b4c895e86bedc82a"),
    "sqlalchemy": ("2.0.36", "7f2767680b6d2398aea7082e45a774b2b0767b5c8d8ffb9c8b683088ea9b29c5"),
    "sympy": ("1.13.3", "b27fd2c6530e0ab39e275fc9b683895367e51d5da91baa8d3d64db2565fec4d9"),
    "networkx": ("3.4.2", "307c3669428c5362aab27c8a1260aa8f47c4e91d3891f48be0141738d8d053e1"),
}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def die(message):
    print(message, file=sys.stderr, flush=True)
    sys.exit(2)


def cache_dir() -> Path:
    cache = Path(os.environ.get("REROUTE_PINNED_DIR", "/tmp/reroute-pinned"))
    cache.mkdir(parents=True, exist_ok=True)
    return cache


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch(name: str, cache: Path = None, pins: dict = None) -> Path:
    """Download the pinned sdist (once), check its sha256, unpack it (once); return its folder.
    Safe when several runs share the cache: each works in its own temporary folder and renames.
    `pins` (name -> (version, sha256)) defaults to PINS."""
    version, digest = (pins or PINS)[name]
    cache = cache or cache_dir()
    dest = cache / "src" / f"{name}-{version}"
    if (dest / ".ok").exists():
        return dest
    dl = cache / "dl"
    dl.mkdir(parents=True, exist_ok=True)
    sdist = dl / f"{name}-{version}.tar.gz"
    if not sdist.exists():
        log(f"downloading {name}=={version} (sdist)")
        with tempfile.TemporaryDirectory(dir=dl) as tmp:
            # --no-binary NAME (not :all:): only this package as an sdist; its build requirements
            # (used by pip to read the metadata) may come as wheels, which keeps this fast.
            r = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", name,
                                f"{name}=={version}", "-d", tmp], capture_output=True, text=True)
            wanted = {sdist.name.lower(), sdist.name.lower().replace("-", "_", name.count("-"))}
            got = [p for p in Path(tmp).iterdir() if p.name.lower() in wanted]
            if r.returncode or not got:
                # pip reads an sdist's metadata by building it; a compiled package (scipy)
                # may not build here: take the file from the index's simple page instead.
                got = [from_index(name, version, Path(tmp), r.stderr)]
            os.replace(got[0], sdist)  # Django-5.1.4.tar.gz is stored as django-5.1.4.tar.gz
    got = sha256_of(sdist)
    if got != digest:
        die(f"{sdist}: sha256 {got}, expected {digest} (delete it to download again)")
    (cache / "src").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache / "src") as tmp:
        with tarfile.open(sdist) as t:
            kw = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            t.extractall(tmp, **kw)
        (top,) = list(Path(tmp).iterdir())  # Django-5.1.4/, sqlalchemy-2.0.36/, ...
        (top / ".ok").write_text(sdist.name + "\n")
        if not (dest / ".ok").exists():
            if dest.exists():
                shutil.rmtree(dest)  # an interrupted unpack
            try:
                top.rename(dest)
            except OSError:
                if not (dest / ".ok").exists():  # not another run that got there first
                    raise
    return dest


def from_index(name: str, version: str, folder: Path, why: str) -> Path:
    """The sdist of name==version from PyPI's simple index (its sha256 is checked by the
    caller against the pin)."""
    import re
    import urllib.request
    html = urllib.request.urlopen(f"https://pypi.org/simple/{name}/", timeout=120).read().decode()
    names = {f"{name}-{version}.tar.gz", f"{name.replace('-', '_')}-{version}.tar.gz"}
    links = [u for u in re.findall(r'href="([^"#]+)', html) if u.rsplit("/", 1)[-1] in names]
    if not links:
        die(f"pip download {name}=={version} failed, and the index has no sdist:\n{why}")
    out = folder / links[0].rsplit("/", 1)[-1]
    out.write_bytes(urllib.request.urlopen(links[0], timeout=600).read())
    return out


def python_files(tree: Path):
    """Relative paths of the .py/.pyi files reroute walks (no hidden folders), sorted."""
    out = []
    for p in tree.rglob("*"):
        rel = p.relative_to(tree)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if p.suffix in (".py", ".pyi") and p.is_file() and not p.is_symlink():
            out.append(rel.as_posix())
    return sorted(out)


def snapshot(tree: Path, files) -> dict:
    return {f: (tree / f).read_bytes() for f in files}


def parses(data: bytes) -> bool:
    """CPython's verdict (ast.parse of the bytes, so the encoding cookie is honoured)."""
    try:
        ast.parse(data)
        return True
    except (SyntaxError, ValueError, UnicodeDecodeError, MemoryError, RecursionError):
        return False


def module_name(rel: str):
    """`django/db/models/__init__.py` -> django.db.models (None for non-identifier paths)."""
    parts = rel[:-3].split("/") if rel.endswith(".py") else rel[:-4].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    if not parts or not all(p.isidentifier() for p in parts):
        return None
    return ".".join(parts)


def package_modules(tree: Path, package: str):
    """{dotted module name: relative file} for the modules of `package` found in the tree (the
    folder holding the top-level package is the source root: `lib/` for sqlalchemy)."""
    candidates = [p for p in tree.rglob(f"{package}/__init__.py") if not any(
        part.startswith(".") for part in p.relative_to(tree).parts)]
    if not candidates:
        die(f"no {package}/__init__.py in {tree}")
    init = min(candidates, key=lambda p: len(p.parts))
    root = init.parent.parent
    modules = {}
    for p in (root / package).rglob("*.py"):
        rel = p.relative_to(root).as_posix()
        name = module_name(rel)
        if name:
            modules[name] = p.relative_to(tree).as_posix()
    return root, modules


def most_imported(tree: Path, package: str, files, limit: int):
    """The `limit` modules of `package` imported by the most files (absolute and relative
    imports, `from pkg import module` counted for the module), most first, as
    [(module, number of importing files)]. The top-level package itself is left out."""
    root, modules = package_modules(tree, package)
    counts = Counter()
    for rel in files:
        if not rel.endswith(".py"):
            continue
        data = (tree / rel).read_bytes()
        try:
            parsed = ast.parse(data)
        except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError):
            continue
        here = None
        path = tree / rel
        try:
            here = module_name(path.relative_to(root).as_posix())
        except ValueError:
            pass
        is_package = rel.endswith("__init__.py")
        seen = set()
        for node in ast.walk(parsed):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    seen.add(alias.name)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    if not here:
                        continue
                    parts = here.split(".")
                    if not is_package:
                        parts = parts[:-1]
                    up = node.level - 1
                    if up > len(parts):
                        continue
                    parts = parts[:len(parts) - up] if up else parts
                    base = ".".join(parts + ([node.module] if node.module else []))
                for alias in node.names:
                    full = f"{base}.{alias.name}" if base else alias.name
                    seen.add(full if full in modules else base)
        for name in seen:
            # The longest known module that is a prefix of the imported name.
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != package and name != here:
                counts[name] += 1
    return counts.most_common(limit)
