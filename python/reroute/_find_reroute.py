"""Finds the `reroute` binary that pip installed next to this package."""

from __future__ import annotations

import os
import sys
import sysconfig


def find_reroute_bin() -> str:
    """The path of the installed `reroute` executable.

    Looked for in the scripts folder of the scheme this package was installed with (the
    environment's, then the user scheme's), as pip puts a wheel's scripts there.
    """
    exe = "reroute" + (sysconfig.get_config_var("EXE") or "")
    folders = [sysconfig.get_path("scripts")]
    if sys.version_info >= (3, 10):
        user_scheme = sysconfig.get_preferred_scheme("user")
    elif os.name == "nt":
        user_scheme = "nt_user"
    elif sys.platform == "darwin" and sys._framework:
        user_scheme = "osx_framework_user"
    else:
        user_scheme = "posix_user"
    folders.append(sysconfig.get_path("scripts", scheme=user_scheme))
    # A prefix install (`pip install --prefix` or `--target`): the bin folder beside the
    # package's site-packages.
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    folders.append(os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(package_root))), "bin"))
    for folder in folders:
        candidate = os.path.join(folder, exe)
        if os.path.isfile(candidate):
            return candidate
    raise FileNotFoundError(
        f"reroute: cannot find the `{exe}` binary in {', '.join(folders)}; "
        "reinstall with `pip install --force-reinstall reroute`"
    )
