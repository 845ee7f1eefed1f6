"""Validates reroute's CI formats with the tools CI systems use to read them.

`check --format sarif` is validated against the SARIF 2.1.0 JSON schema that
tests/data/sarif-schema-2.1.0.json holds (OASIS errata 01), with the `jsonschema`
package; `check --format junit` is parsed with `junitparser` (and the standard library's
XML parser) and its counts are checked. The project it runs on has a fixable reference,
one that needs a manual edit, a suppressed one, a note, a file that cannot be processed
and file names that need escaping, so that every kind of result is in the output.

Usage: python3 tests/formats/validate.py [BINARY]   (default: target/debug/reroute)
Installs its pinned validators into a virtual environment of its own.
"""
import json
import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PINS = ["jsonschema==4.26.0", "junitparser==5.0.3"]

FILES = {
    "codemods/m.toml": '[[move]]\nfrom = "a.old"\nto = "a.new"\n',
    "app/ok.py": "import os\nimport a.old\n",
    "app/broken.py": "import a.new\n\n\ndef f(x:\n    from a.old import g\n    return g(\n",
    "app/kept.py": "import a.old  # reroute: ignore\n",
    "app/fallback.py": "try:\n    from a.old import X\nexcept ImportError:\n    from a.new import X\n",
    "app/bad.py": "# -*- coding: utf-16 -*-\nimport a.old\n",
    'my app/q&"a" <é>.py': "from a.old import x\n",
}

CHECK = """
import json, sys, xml.etree.ElementTree as ET
import jsonschema
from junitparser import JUnitXml, Failure, Error

schema = json.load(open(sys.argv[1]))
log = json.load(open(sys.argv[2]))
validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
for error in errors:
    print("sarif: invalid at", "/".join(map(str, error.path)), ":", error.message)
assert not errors, f"{len(errors)} schema errors"
results = log["runs"][0]["results"]
levels = sorted({r["level"] for r in results})
assert levels == ["error", "note", "warning"], levels
assert any("suppressions" in r for r in results)
print(f"sarif: valid against the SARIF 2.1.0 schema ({len(results)} results, levels {levels})")

ET.parse(sys.argv[3])
xml = JUnitXml.fromfile(sys.argv[3])
cases = [case for suite in xml for case in suite]
failures = [r for case in cases for r in case.result if isinstance(r, Failure)]
file_errors = [r for case in cases for r in case.result if isinstance(r, Error)]
assert len(cases) == 6, len(cases)
assert len(failures) == 4, [f.message for f in failures]
assert len(file_errors) == 1
names = sorted(case.name for case in cases)
assert 'my app/q&"a" <é>.py' in names, names
print(f"junit: {len(cases)} test cases, {len(failures)} failures, {len(file_errors)} error, parsed by junitparser")
"""


def main():
    binary = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "target" / "debug" / "reroute").resolve()
    with tempfile.TemporaryDirectory(prefix="reroute-formats-") as tmp:
        tmp = Path(tmp)
        venv.create(tmp / "venv", with_pip=True)
        python = tmp / "venv" / "bin" / "python"
        subprocess.run([python, "-m", "pip", "install", "-q", *PINS], check=True)
        project = tmp / "project"
        for name, text in FILES.items():
            path = project / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        outputs = {}
        for fmt in ["sarif", "junit"]:
            done = subprocess.run([binary, "check", "--format", fmt], cwd=project, capture_output=True)
            if done.returncode != 2:  # a file failed: exit 2, as `check`
                sys.exit(f"check --format {fmt} exited {done.returncode}:\n{done.stderr.decode()}")
            outputs[fmt] = tmp / f"report.{fmt}"
            outputs[fmt].write_bytes(done.stdout)
        (tmp / "check.py").write_text(CHECK)
        subprocess.run(
            [python, tmp / "check.py", ROOT / "tests" / "data" / "sarif-schema-2.1.0.json",
             outputs["sarif"], outputs["junit"]],
            check=True,
        )
    print("formats: passed")


if __name__ == "__main__":
    main()
