"""reroute: rewrite deprecated Python imports to their canonical paths.

The package ships the `reroute` binary in the environment's scripts folder; this module
only helps `python -m reroute` find it (see `_find_reroute`).
"""

from reroute._find_reroute import find_reroute_bin

__all__ = ["find_reroute_bin"]
