#!/usr/bin/env python3
"""Builds the reroute-py wheel with maturin, installs it into a fresh venv with pytest, and
runs this folder's tests against it (from .ci/run). Pins: maturin, pytest.

    python3 crates/reroute-python/tests/run.py
"""
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
CRATE = HERE.parent
PINS = ["maturin==1.16.0", "pytest==8.3.3"]


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="reroute-py-"))
    try:
        venv.create(work / "venv", with_pip=True)
        python = work / "venv" / "bin" / "python"
        subprocess.run([python, "-m", "pip", "install", "-q", *PINS], check=True)
        wheels = work / "wheels"
        subprocess.run([work / "venv" / "bin" / "maturin", "build", "--release", "-q", "-o", wheels],
                       cwd=CRATE, check=True)
        (wheel,) = wheels.glob("reroute_py-*.whl")
        subprocess.run([python, "-m", "pip", "install", "-q", wheel], check=True)
        # From outside the source tree, so that the installed module is the one tested.
        env = {k: v for k, v in os.environ.items() if k != "REROUTE_TEST_SIGNAL_AT"}
        return subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", HERE],
                              cwd=work, env=env).returncode
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
