"""The Python API (reroute_py) against the installed wheel: rewrite, run, errors, the
README's migration script, and Ctrl-C during apply."""
import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import reroute_py

ROOT = Path(__file__).resolve().parents[3]
MOVE = '[[move]]\nfrom = "app.old"\nto = "app.new"\n'


def project(tmp_path: Path, files: dict) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_rewrite_returns_text_and_findings():
    codemods = reroute_py.Codemods.from_toml(MOVE, name="m")
    assert codemods.names == ["m"] and codemods.moves == 1
    result = reroute_py.rewrite("from app.old import f\nimport app.old as o\nx = 1\n", codemods)
    assert result.changed
    assert result.text == "from app.new import f\nimport app.new as o\nx = 1\n"
    assert [(f.line, f.column, f.code, f.status) for f in result.findings] == [
        (1, 6, "rewritten", "fixable"),
        (2, 8, "rewritten", "fixable"),
    ]
    assert result.findings[0].message == "app.old -> app.new"
    assert result.findings[0].rule == "m/1" and result.findings[0].codemod == "m"


def test_unchanged_source_comes_back_as_is_and_manual_findings_are_said():
    codemods = reroute_py.Codemods.from_toml(MOVE)
    same = reroute_py.rewrite("import os\n", codemods)
    assert not same.changed and same.text == "import os\n" and same.findings == []
    conflict = reroute_py.rewrite("from app.old import f\nfrom app.new import f as g\nnew = 1\nimport app.old\n", codemods)
    assert any(f.status != "fixable" or f.code == "rewritten" for f in conflict.findings)


def test_version_tiers_hold_until_declared_or_assumed(tmp_path):
    tiered = '[[move]]\nfrom = "numpy.trapz"\nto = "numpy.trapezoid"\nrequires = "numpy>=2"\n'
    codemods = reroute_py.Codemods.from_toml(tiered, name="np2")
    source = "import numpy as np\ny = np.trapz([1])\n"
    held = reroute_py.rewrite(source, codemods)
    assert not held.changed
    assert [(f.code, f.status) for f in held.findings] == [("requires-version", "note")]
    assert reroute_py.rewrite(source, codemods, assume_upgraded=True).text == (
        "import numpy as np\ny = np.trapezoid([1])\n")
    root = project(tmp_path, {"pyproject.toml": '[project]\nname = "a"\ndependencies = ["numpy>=2"]\n'})
    assert reroute_py.rewrite(source, codemods, path="a.py", root=root).changed


def test_codemod_errors_carry_file_line_and_column(tmp_path):
    with pytest.raises(reroute_py.RerouteError) as caught:
        reroute_py.Codemods.from_toml('[[move]]\nfrom = "a..b"\nto = "x"\n', name="bad")
    assert (caught.value.file, caught.value.line, caught.value.column) == ("bad.toml", 2, 8)
    assert "not a dotted Python name" in str(caught.value)
    (tmp_path / "m.toml").write_text("[[move]]\nfrom = 1\n")
    with pytest.raises(reroute_py.RerouteError) as caught:
        reroute_py.Codemods.from_path(tmp_path)
    assert caught.value.file == str(tmp_path / "m.toml") and caught.value.line == 2
    with pytest.raises(reroute_py.RerouteError):
        reroute_py.Codemods.from_path(tmp_path / "missing")


def test_run_check_diff_apply(tmp_path, monkeypatch):
    root = project(tmp_path, {
        "pyproject.toml": "[project]\nname = 'app'\n",
        "codemods/m.toml": MOVE,
        "app/__init__.py": "",
        "app/new.py": "def f():\n    pass\n",
        "app/use.py": "from app.old import f\n",
    })
    monkeypatch.chdir(root)
    check = reroute_py.run("check", ["."])
    assert check.exit_code == 1 and check.files_scanned == 3
    assert [(f.path, f.old, f.new) for f in check.findings] == [("app/use.py", "app.old", "app.new")]
    diff = reroute_py.run("diff", ["app"])
    assert diff.exit_code == 1
    (changed,) = diff.files
    assert changed.status == "changed" and "+from app.new import f" in changed.diff
    applied = reroute_py.run("apply", ["."], reroute_py.Codemods.from_toml(MOVE))
    assert applied.exit_code == 0 and [f.status for f in applied.files] == ["written"]
    assert (root / "app/use.py").read_text() == "from app.new import f\n"
    assert reroute_py.run("check", ["."]).exit_code == 0
    with pytest.raises(ValueError):
        reroute_py.run("format", ["."])


def test_run_finds_unresolved_imports_without_codemods(tmp_path, monkeypatch):
    root = project(tmp_path, {"app/__init__.py": "", "app/use.py": "import app.gone\n"})
    monkeypatch.chdir(root)
    report = reroute_py.run("check", ["."], unresolved_imports=True)
    assert report.exit_code == 1
    (finding,) = report.findings
    assert (finding.code, finding.codemod, finding.new, finding.old) == ("unresolved-import", None, None, "app.gone")


def test_the_readme_migration_script_runs(tmp_path):
    readme = (ROOT / "README.md").read_text()
    script = re.search(r"<!-- python-api-example -->\n```python\n(.*?)```", readme, re.S).group(1)
    assert len(script.strip().splitlines()) <= 12
    root = project(tmp_path, {
        "codemods/m.toml": MOVE,
        "app/__init__.py": "",
        "app/new.py": "def f():\n    pass\n",
        "app/use.py": "from app.old import f\n",
        "migrate.py": script,
    })
    done = subprocess.run([sys.executable, "migrate.py"], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (root / "app/use.py").read_text() == "from app.new import f\n"
    assert "app/use.py" in done.stdout


CTRL_C = textwrap.dedent("""
    import reroute_py
    try:
        reroute_py.run("apply", ["."])
    except KeyboardInterrupt:
        print("KeyboardInterrupt")
""")


def test_ctrl_c_stops_apply_safely_and_raises(tmp_path):
    files = {f"app/m{i:03}.py": f"from app.old import f  # {i}\n" for i in range(200)}
    root = project(tmp_path, {"codemods/m.toml": MOVE, "app/__init__.py": "", "app/new.py": "def f(): pass\n",
                              "stop.py": CTRL_C, **files})
    # The run's test hook raises SIGINT in this process once its 5th write has filled its
    # temp file; the calling thread sees it and stops the run as the command line does.
    env = dict(os.environ, REROUTE_TEST_SIGNAL_AT="5:SIGINT")
    done = subprocess.run([sys.executable, "stop.py"], cwd=root, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "KeyboardInterrupt"
    texts = [(root / name).read_text() for name in files]
    written = [t for t in texts if t.startswith("from app.new import f")]
    untouched = [t for t in texts if t.startswith("from app.old import f")]
    assert len(written) + len(untouched) == len(files)
    assert 5 <= len(written) < len(files)
    assert not [p for p in root.rglob("*") if ".reroute" in p.name or p.name.endswith(".tmp")]


def test_no_handler_is_left_in_the_host():
    before = signal.getsignal(signal.SIGINT)
    reroute_py.rewrite("import app.old\n", reroute_py.Codemods.from_toml(MOVE))
    assert signal.getsignal(signal.SIGINT) is before
