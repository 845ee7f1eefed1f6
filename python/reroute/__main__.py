"""`python -m reroute ARGS`: runs the installed `reroute` binary with ARGS."""

from __future__ import annotations

import os
import sys

from reroute._find_reroute import find_reroute_bin


def main() -> None:
    reroute = os.fsdecode(find_reroute_bin())
    if sys.platform == "win32":
        import subprocess

        sys.exit(subprocess.run([reroute, *sys.argv[1:]]).returncode)
    os.execvp(reroute, [reroute, *sys.argv[1:]])


if __name__ == "__main__":
    main()
