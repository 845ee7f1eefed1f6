"""reroute for migration scripts: rewrite deprecated Python imports to their new paths.

Codemods come from TOML text or files (the same format as the `reroute` command's);
`rewrite` works on one source string, `run` on files and folders as `reroute check`,
`diff` and `apply` do. Runs release the GIL, and Ctrl-C stops an `apply` with its
guarantees (every file is either written whole or untouched) before KeyboardInterrupt.
"""

from __future__ import annotations

import os
from typing import Literal, Optional, Sequence, Union

__version__: str

_Path = Union[str, "os.PathLike[str]"]

class RerouteError(Exception):
    """A codemod that does not load, a file that cannot be processed, or a run that
    cannot start."""

    file: Optional[str]
    """The file the error is in, when known."""
    line: Optional[int]
    """1-based line, when known."""
    column: Optional[int]
    """1-based column, when known."""

class Codemods:
    """A set of codemods, compiled once."""

    @staticmethod
    def from_toml(text: str, name: str = "codemod") -> Codemods:
        """One codemod from its TOML text; `name` is what rule ids and `# reroute:
        ignore[name]` comments call it. Raises RerouteError (with file, line, column)."""
    @staticmethod
    def from_path(path: _Path) -> Codemods:
        """A codemod file, or every `*.toml` of a folder. Raises RerouteError."""
    @property
    def names(self) -> list[str]:
        """The codemods' names, in load order."""
    @property
    def moves(self) -> int:
        """How many moves they declare."""

class Finding:
    """One reference: where it is, what moved, and what happened to it."""

    path: str
    line: int
    """1-based."""
    column: int
    """1-based, in characters."""
    code: str
    """`rewritten`, a reason code (`name-conflict`, `unresolved-import`, ...),
    `suppressed`, `mention`, or a note code (`redundant-fallback`, ...)."""
    message: str
    """The finding in words, as the command line prints it."""
    rule: str
    """`codemod/N`, or `unresolved-import`."""
    codemod: Optional[str]
    """None for an unresolved import."""
    old: str
    new: Optional[str]
    """None for an unresolved import."""
    status: Literal["fixable", "manual", "suppressed", "mention", "note"]

class Rewrite:
    """What `rewrite` made of one source."""

    text: str
    """The new source (the same text when nothing changed)."""
    changed: bool
    findings: list[Finding]

class FileReport:
    """A file a run changed, would change, or could not process."""

    path: str
    status: Literal["changed", "written", "failed"]
    edits: int
    diff: Optional[str]
    """`diff` runs: the file's unified diff."""
    error: Optional[str]
    """Why the file failed."""

class Report:
    """What a run found and did."""

    command: Literal["check", "diff", "apply"]
    findings: list[Finding]
    files: list[FileReport]
    warnings: list[str]
    files_scanned: int
    exit_code: int
    """The code the command line would exit with: 0, 1, 2."""

def rewrite(
    source: str,
    codemods: Codemods,
    path: _Path = "module.py",
    root: Optional[_Path] = None,
    *,
    assume_upgraded: bool = False,
) -> Rewrite:
    """Rewrites `source`, the text of the file at `path`, as `reroute apply` would.
    `root` is the project folder module names and relative imports are read against
    (None: `path` alone tells the module name); its pyproject.toml says which version
    tiers (`requires`) the project meets, and `assume_upgraded` meets them all. Raises
    RerouteError when the file cannot be processed."""

def run(
    command: Literal["check", "diff", "apply"],
    paths: Sequence[_Path],
    codemods: Optional[Codemods] = None,
    *,
    unresolved_imports: bool = False,
    assume_upgraded: bool = False,
) -> Report:
    """Runs `reroute COMMAND PATHS...` from the current folder: the project's
    `[tool.reroute]` applies, and its codemods unless `codemods` is given.
    `unresolved_imports` is `check --unresolved-imports`, `assume_upgraded` is
    `--assume-upgraded`. Raises RerouteError when the
    run cannot start, KeyboardInterrupt on Ctrl-C (after `apply` stopped safely)."""
