"""Run under a NumPy venv.  `enumerate`: (NumPy 1.26) list public sub-namespace names and
the main-namespace name each one is identical to.  `resolve`: for dotted paths read from stdin
(JSON list), say whether each resolves, by import or attribute walk, and what it is."""
import importlib, json, pkgutil, sys, types, warnings
warnings.simplefilter("ignore")
import numpy as np

def resolve(path):
    parts = path.split(".")
    # longest importable module prefix, then attributes
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except Exception:
            continue
        try:
            for p in parts[i:]:
                obj = getattr(obj, p)
            return True, obj
        except Exception:
            pass
    obj = np
    try:
        for p in parts[1:]:
            obj = getattr(obj, p)
        return True, obj
    except Exception:
        return False, None

def main_name(obj, prefer):
    if hasattr(np, prefer) and getattr(np, prefer) is obj:
        return prefer
    return None

def public_names(mod):
    names = getattr(mod, "__all__", None)
    if names is None:
        names = [n for n in dir(mod) if not n.startswith("_")
                 and not isinstance(getattr(mod, n), types.ModuleType)
                 and getattr(getattr(mod, n), "__module__", "numpy").startswith("numpy")]
    return sorted(set(names))

mode = sys.argv[1]
if mode == "enumerate":
    out = {"version": np.__version__, "main": sorted(n for n in dir(np) if not n.startswith("__")), "spaces": {}}
    import numpy.lib, numpy.core, numpy.fft, numpy.linalg
    spaces = {"numpy.lib": numpy.lib, "numpy.core": numpy.core}
    for info in pkgutil.iter_modules(numpy.lib.__path__):
        if info.name.startswith("_") or info.name in ("tests", "setup"):
            continue
        try:
            spaces["numpy.lib." + info.name] = importlib.import_module("numpy.lib." + info.name)
        except Exception as e:
            print("skip", info.name, e, file=sys.stderr)
    for name in ("numpy.core.records", "numpy.core.defchararray", "numpy.fft.helper", "numpy.linalg.linalg"):
        spaces[name] = importlib.import_module(name)
    for sp, mod in spaces.items():
        if sp in ("numpy.lib", "numpy.core"):
            names = sorted(n for n in dir(mod) if not n.startswith("_"))
        elif hasattr(mod, "__all__"):
            names = public_names(mod)
        else:
            # no __all__ (numpy.lib.user_array): what it binds are incidental imports
            print("no __all__, skipped:", sp, file=sys.stderr)
            continue
        entry = {}
        for n in names:
            ok, obj = resolve(sp + "." + n)
            if not ok:
                continue
            entry[n] = {"module": isinstance(obj, types.ModuleType),
                        "modname": obj.__name__ if isinstance(obj, types.ModuleType) else None,
                        "main": main_name(obj, n)}
        out["spaces"][sp] = entry
    json.dump(out, sys.stdout, indent=0, sort_keys=True)
elif mode == "resolve":
    paths = json.load(sys.stdin)
    out = {}
    for p in paths:
        ok, obj = resolve(p)
        out[p] = {"ok": ok, "repr": repr(obj)[:80] if ok else None,
                  "module": isinstance(obj, types.ModuleType) if ok else None}
    json.dump({"version": np.__version__, "paths": out}, sys.stdout, indent=0, sort_keys=True)
elif mode == "same":
    pairs = json.load(sys.stdin)
    out = {}
    for a, b in pairs:
        oa, A = resolve(a); ob, B = resolve(b)
        out[a + " -> " + b] = bool(oa and ob and A is B)
    json.dump({"version": np.__version__, "same": out}, sys.stdout, indent=0, sort_keys=True)
