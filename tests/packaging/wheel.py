"""Packaging test: build reroute's wheel and sdist with maturin, install the wheel into a
fresh virtual environment, and run the installed `reroute` on a copy of examples/.

Checks: the sdist leaves out fixtures/ and the benchmark data but keeps what building
needs; the wheel puts `reroute` in the environment's scripts folder; `reroute check` and
`reroute diff` from there exit 1 with the example's findings and patch; `python -m reroute`
runs the same binary. Called from .ci/run (Linux x86_64); maturin is pip-installed at a
pinned version into a tools environment of its own.

Usage: python3 tests/packaging/wheel.py
"""
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MATURIN = "maturin==1.16.0"


def log(*parts):
    print("wheel:", *parts, file=sys.stderr, flush=True)


def fail(message):
    print(f"wheel: FAILED: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def run(args, **kwargs):
    log("$", " ".join(str(a) for a in args))
    return subprocess.run([str(a) for a in args], check=True, **kwargs)


def venv(folder: Path) -> Path:
    """A fresh virtual environment; returns its scripts folder."""
    run([sys.executable, "-m", "venv", folder])
    return folder / ("Scripts" if os.name == "nt" else "bin")


def outcome(args, cwd):
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr


def expect(condition, message, *shown):
    if not condition:
        fail(message + "".join(f"\n--- {s}" for s in shown))


def check_sdist(sdist: Path):
    with tarfile.open(sdist) as tar:
        names = [name.split("/", 1)[1] for name in tar.getnames() if "/" in name]
    for needed in ["Cargo.toml", "Cargo.lock", "pyproject.toml", "src/main.rs",
                   "bench/ts_errors.rs", "tests/cli/main.rs", "python/reroute/__main__.py",
                   "builtin/numpy2.toml", "builtin/airflow3.toml", "builtin/typing-to-collections-abc.toml"]:
        expect(needed in names, f"sdist lacks {needed}")
    for name in names:
        expect(not name.startswith("fixtures/"), f"sdist holds {name} (fixtures are excluded)")
        expect(not (name.startswith("bench/") and name != "bench/ts_errors.rs"),
               f"sdist holds {name} (benchmark data is excluded)")
    log(f"sdist: {len(names)} files, no fixtures or benchmark data")


def main():
    version = tomllib.loads((ROOT / "Cargo.toml").read_text())["package"]["version"]
    env = dict(os.environ)
    # Reuse the CI's build of the dependencies.
    env.setdefault("CARGO_TARGET_DIR", str(ROOT / "target"))
    with tempfile.TemporaryDirectory(prefix="reroute-wheel-") as tmp:
        tmp = Path(tmp)
        tools = venv(tmp / "tools")
        run([tools / "pip", "install", "-q", MATURIN])
        dist = tmp / "dist"
        run([tools / "maturin", "build", "--release", "--locked", "--out", dist],
            cwd=ROOT, env=env)
        run([tools / "maturin", "sdist", "--out", dist], cwd=ROOT, env=env)
        wheels = sorted(dist.glob("reroute-*.whl"))
        sdists = sorted(dist.glob("reroute-*.tar.gz"))
        expect(len(wheels) == 1 and len(sdists) == 1, f"expected one wheel and one sdist: {list(dist.iterdir())}")
        expect(wheels[0].name.startswith(f"reroute-{version}-"), f"wheel version: {wheels[0].name}")
        check_sdist(sdists[0])

        scripts = venv(tmp / "env")
        run([scripts / "pip", "install", "-q", "--no-index", wheels[0]])
        binary = scripts / ("reroute.exe" if os.name == "nt" else "reroute")
        expect(binary.is_file(), f"{binary} was not installed")
        project = tmp / "project"
        shutil.copytree(ROOT / "examples", project / "examples")
        shutil.copytree(ROOT / "codemods", project / "codemods")

        code, out, err = outcome([binary, "--version"], project)
        expect(code == 0 and out.strip() == f"reroute {version}", f"--version: {code} {out!r}", err)
        code, out, err = outcome([scripts / "python", "-m", "reroute", "--version"], project)
        expect(code == 0 and out.strip() == f"reroute {version}", f"python -m reroute: {code} {out!r}", err)

        code, out, err = outcome([binary, "check", "examples/"], project)
        expect(code == 1, f"check exited {code} (expected 1: references left)", out, err)
        for needle in ["examples/netra_backend/", ": state-persistence/1: ",
                       "netra_backend.app.services.state_persistence_optimized -> netra_backend.app.services.state_persistence",
                       "references left in"]:
            expect(needle in out, f"check output lacks {needle!r}", out)

        code, patch, err = outcome([binary, "diff", "examples/"], project)
        expect(code == 1, f"diff exited {code} (expected 1: changes)", patch, err)
        expect(patch.startswith("diff --git a/examples/"), "diff is not a unified diff", patch)
        expect("+from netra_backend.app.services.state_persistence import" in patch,
               "diff lacks the state-persistence rewrite", patch)
        code, via_python, _ = outcome([scripts / "python", "-m", "reroute", "diff", "examples/"], project)
        expect(code == 1 and via_python == patch, "python -m reroute diff differs from the binary's")

        code, out, err = outcome([binary, "apply", "examples/"], project)
        expect(code in (0, 1), f"apply exited {code}", out, err)
        code, again, err = outcome([binary, "diff", "examples/"], project)
        expect(again == "", "a second diff after apply is not empty", again, err)
    log(f"passed: wheel reroute-{version} installs `reroute`; check, diff, apply and python -m reroute work")


if __name__ == "__main__":
    main()
