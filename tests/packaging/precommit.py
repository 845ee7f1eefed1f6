"""pre-commit test: the hooks in .pre-commit-hooks.yaml, installed by pre-commit itself.

Makes a temporary git repository with a small Python project and a codemod, writes the
`.pre-commit-config.yaml` that README.md's "Use with pre-commit" section shows (read out
of README.md; only `repo:` and `rev:` are replaced, by this repository's path and its
HEAD commit), and runs pre-commit (pip-installed at a pinned version): pre-commit
pip-installs this repository into a virtual environment of its own, which builds reroute
through maturin. Then:

- `pre-commit run reroute-check --all-files` fails (exit 1) and names the deprecated
  import;
- `pre-commit run reroute-apply --all-files` rewrites it (pre-commit exits 1: files
  changed) and leaves the excluded file alone;
- `pre-commit run --all-files` passes (exit 0).

It tests what is committed (HEAD). Slow (it builds reroute in release mode); CARGO_TARGET_DIR
is passed on so that the dependencies CI built already are reused. Called from .ci/run.

Usage: python3 tests/packaging/precommit.py
"""
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRE_COMMIT = "pre-commit==4.7.0"
MATURIN = "maturin==1.16.0"

PROJECT = {
    "pyproject.toml": '[project]\nname = "demo"\nversion = "0"\n',
    "codemods/pkg-old.toml": (
        'exclude = ["legacy/**"]\n\n[[move]]\nfrom = "pkg.old"\nto = "pkg.new"\n'
    ),
    "pkg/__init__.py": "",
    "pkg/new.py": "def f():\n    return 1\n",
    "pkg/user.py": "from .old import f\n",
    "app.py": "import os\nimport pkg.old\n\npkg.old.f()\n",
    "legacy/keep.py": "import pkg.old\n",
    "notes.txt": "import pkg.old is not Python\n",
}


def log(*parts):
    print("pre-commit:", *parts, file=sys.stderr, flush=True)


def fail(message, *shown):
    print("pre-commit: FAILED:", message + "".join(f"\n--- {s}" for s in shown), file=sys.stderr, flush=True)
    sys.exit(1)


def readme_snippet() -> str:
    """The yaml block of README.md's "Use with pre-commit" section."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Use with pre-commit\n", 1)
    if len(section) != 2:
        fail("README.md has no '## Use with pre-commit' section")
    block = re.search(r"```yaml\n(.*?)```", section[1], re.S)
    if not block:
        fail("the 'Use with pre-commit' section has no ```yaml block")
    return block.group(1)


def check_written_rev(snippet: str):
    """The README's `rev:` works as written: a full commit hash of this repository whose
    `.pre-commit-hooks.yaml` has both hooks."""
    found = re.search(r"(?m)^\s*rev: (\S+)", snippet)
    if not found or not re.fullmatch(r"[0-9a-f]{40}", found.group(1)):
        fail(f"the README's `rev:` is not a full commit hash:\n{snippet}")
    rev = found.group(1)
    hooks = subprocess.run(["git", "show", f"{rev}:.pre-commit-hooks.yaml"], cwd=ROOT,
                           capture_output=True, text=True)
    if hooks.returncode != 0:
        fail(f"the README's rev {rev} is not a commit of this repository with .pre-commit-hooks.yaml")
    for hook in ("reroute-apply", "reroute-check"):
        if f"id: {hook}" not in hooks.stdout:
            fail(f"the README's rev {rev} has no hook {hook}")


def config_for(snippet: str, repo: Path, rev: str) -> str:
    """The snippet with `repo:` and `rev:` pointing at this checkout; nothing else changes."""
    text, repos = re.subn(r"(?m)^(\s*- repo: ).*$", lambda m: m.group(1) + str(repo), snippet)
    text, revs = re.subn(r"(?m)^(\s*rev: ).*$", lambda m: m.group(1) + rev, text)
    if (repos, revs) != (1, 1):
        fail(f"expected one `repo:` and one `rev:` line in the README snippet:\n{snippet}")
    return text


def git(args, cwd):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                   cwd=cwd, check=True, capture_output=True)


def main():
    check_written_rev(readme_snippet())
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="reroute-pre-commit-") as tmp:
        tmp = Path(tmp)
        subprocess.run([sys.executable, "-m", "venv", tmp / "tools"], check=True)
        subprocess.run([tmp / "tools" / "bin" / "pip", "install", "-q", PRE_COMMIT], check=True)
        project = tmp / "project"
        for name, text in PROJECT.items():
            path = project / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        (project / ".pre-commit-config.yaml").write_text(config_for(readme_snippet(), ROOT, rev))
        git(["init", "-q"], project)
        git(["add", "-A"], project)
        git(["commit", "-q", "-m", "start"], project)
        constraints = tmp / "constraints.txt"
        constraints.write_text(MATURIN + "\n")
        env = dict(os.environ)
        env.setdefault("CARGO_TARGET_DIR", str(ROOT / "target"))
        env.update({
            "PRE_COMMIT_HOME": str(tmp / "cache"),
            "PIP_CONSTRAINT": str(constraints),  # maturin in pip's build environment
            "MATURIN_PEP517_ARGS": "--locked",
        })

        def pre_commit(*args):
            log("$ pre-commit", *args)
            done = subprocess.run([tmp / "tools" / "bin" / "pre-commit", *args], cwd=project,
                                  env=env, capture_output=True, text=True)
            return done.returncode, done.stdout + done.stderr

        code, out = pre_commit("run", "reroute-check", "--all-files")
        if code != 1 or "app.py:2:8: pkg-old/1: pkg.old -> pkg.new" not in out:
            fail(f"reroute-check should fail (exit 1) on app.py (got {code})", out)
        if "pkg/user.py:1:6: pkg-old/1" not in out or "legacy/keep.py" in out:
            fail("reroute-check: module names or excludes did not follow the project", out)
        log("reroute-check failed on the deprecated imports, as it should")
        code, out = pre_commit("run", "reroute-apply", "--all-files")
        if code != 1 or "files were modified by this hook" not in out:
            fail(f"reroute-apply should rewrite files (pre-commit exit 1, got {code})", out)
        expected = {
            "app.py": "import os\nimport pkg.new\n\npkg.new.f()\n",
            "pkg/user.py": "from .new import f\n",
            "legacy/keep.py": "import pkg.old\n",
        }
        for name, text in expected.items():
            if (project / name).read_text() != text:
                fail(f"{name} after reroute-apply", (project / name).read_text())
        log("reroute-apply rewrote app.py and pkg/user.py, left legacy/keep.py")
        code, out = pre_commit("run", "--all-files")
        if code != 0:
            fail(f"after apply, every hook should pass (got {code})", out)
    log("passed: reroute-check and reroute-apply through pre-commit, config from README.md")


if __name__ == "__main__":
    main()
