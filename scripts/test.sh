#!/usr/bin/env bash
# Install everything the tests need (Python packages, Debian Chromium) and run them all:
# lint, types, unit, build and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi

# axe-core (accessibility rules, injected into Chromium by tests/browser/test_a11y_axe.py) from the
# npm registry, at the version pinned by tests/browser/axe/package-lock.json; offline afterwards.
if [ ! -f tests/browser/axe/node_modules/axe-core/axe.min.js ]; then
  npm ci --prefix tests/browser/axe --no-audit --no-fund --silent
fi

python3 -m ruff check generator tests bench
python3 -m ruff format --check generator tests bench
python3 -m mypy
# In parallel (pytest-xdist), one test process per CPU, at most 4: each takes a contiguous
# share of the tests (so a module's fixtures are mostly made once) and steals from the
# others' queues when idle. Every test runs, as it would serially; pass -n 0 to run them in one process.
# Two runs: the browser tests leave threads in their process (their web servers, and
# Playwright's asyncio-waitpid watcher, which outlives the browser), and a build forks its
# workers only in a process where no other thread runs (generator/parallel.py: can_fork), so a
# test of the forked paths after a browser test in the same process would test the serial ones.
# (Exit status 5: arguments that select no test of one of the two runs.)
run() { python3 -m pytest -q -p no:cacheprovider -n auto --maxprocesses 4 --dist worksteal "$@" || [ $? -eq 5 ]; }
run -m "not browser" "$@"
run -m browser "$@"
