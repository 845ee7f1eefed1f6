#!/usr/bin/env bash
# Benchmark: reroute on a real, pinned Python package beside the tools a user would pick
# instead (ripgrep to find the references, ruff for a whole-tree parse-and-lint pass).
# Usage: bench/run.sh [--quick]    Results: bench/results.md (commit it).
# Installs what it needs: pip (django sdist, ruff), Debian (ripgrep, hyperfine).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work=${BENCH_DIR:-/tmp/reroute-bench}
runs=10; [ "${1:-}" = "--quick" ] && runs=3
django=5.1.4
ruff=0.8.4

need() { command -v "$1" >/dev/null 2>&1; }
if ! need rg || ! need hyperfine; then
  apt-get update -qq && apt-get install -y -qq ripgrep hyperfine >/dev/null
fi
python3 -m pip install -q --root-user-action=ignore "ruff==$ruff" >/dev/null
mkdir -p "$work"
if [ ! -d "$work/django-$django" ]; then
  python3 -m pip download -q --no-deps --no-binary :all: "django==$django" -d "$work/dl"
  tar -xzf "$(ls "$work"/dl/[Dd]jango-"$django".tar.gz)" -C "$work"
  [ -d "$work/django-$django" ] || mv "$work/Django-$django" "$work/django-$django"
fi
tree="$work/django-$django"
(cd "$root" && cargo build --release -q)
bin="$root/target/release/reroute"

# A made-up but realistic migration: django.utils.encoding is merged into
# django.utils.text, and force_str is renamed on the way.
cat > "$work/encoding.toml" <<'TOML'
description = "django.utils.encoding merged into django.utils.text (made up for the benchmark: to_str does not exist, so apply runs with --no-target-check)"
[[move]]
from = "django.utils.encoding"
to = "django.utils.text"
[[move]]
from = "django.utils.encoding.force_str"
to = "django.utils.text.to_str"
strings = true
TOML

files=$(find "$tree" -name '*.py' | wc -l)
cd "$tree"
set +e
"$bin" check --codemods "$work/encoding.toml" . > "$work/check.txt"
set -e
refs=$(tail -n 1 "$work/check.txt")
cp -r "$tree" "$work/applied" 2>/dev/null || true
(cd "$work/applied" && "$bin" apply --no-target-check --codemods "$work/encoding.toml" . > "$work/apply.txt" || true)
parse_fail=$(cd "$work/applied" && python3 - <<'PY'
import ast, pathlib, subprocess
bad = 0
for path in pathlib.Path('.').rglob('*.py'):
    try:
        ast.parse(path.read_bytes())
    except SyntaxError:
        orig = pathlib.Path('..', 'django-5.1.4', path).read_bytes()
        try:
            ast.parse(orig)
            bad += 1
        except SyntaxError:
            pass
print(bad)
PY
)
second=$(cd "$work/applied" && "$bin" apply --no-target-check --codemods "$work/encoding.toml" . | tail -n 1)
rm -rf "$work/applied"

hyperfine --warmup 1 --runs "$runs" --ignore-failure --export-markdown "$work/hyperfine.md" \
  -n "rg -l (find files naming the module)" "rg -l 'django\.utils\.encoding|from django\.utils import.*encoding|force_str' ." \
  -n "reroute check (find + parse + plan)" "$bin check --codemods $work/encoding.toml . > /dev/null" \
  -n "reroute diff (full rewrite, dry run)" "$bin diff --codemods $work/encoding.toml . > /dev/null 2>&1" \
  -n "ruff check --select UP035 (parse every file)" "ruff check --no-cache --select UP035 --target-version py38 --exit-zero -q ." \
  > /dev/null

{
  echo "# reroute benchmark"
  echo
  echo "Command: \`bench/run.sh\` ($(date -u +%Y-%m-%d), $(nproc) cores, reroute $(git -C "$root" rev-parse --short HEAD), ripgrep $(rg --version | head -1 | cut -d' ' -f2), ruff $ruff)."
  echo
  echo "Corpus: Django $django sdist, $files Python files. Migration: \`bench/run.sh\`'s made-up"
  echo "\`django.utils.encoding -> django.utils.text\` (+ \`force_str -> to_str\`)."
  echo
  echo "- check: $refs"
  echo "- apply: $(tail -n 1 "$work/apply.txt")"
  echo "- files that parsed before and not after apply (CPython ast): $parse_fail"
  echo "- second apply: $second"
  echo
  cat "$work/hyperfine.md"
} > "$here/results.md"
cat "$here/results.md"
