#!/usr/bin/env bash
# Runs pytest on one test folder with the collection importable (build/collections), or says
# in one line that the folder has no tests. pytest's exit code 5 (no tests collected) is a pass
# only in that case; any other non-zero code fails the stage.
set -euo pipefail
cd "${PLATFORM_ROOT:?run through make}"
dir=${1:?usage: pytest_dir.sh DIR [pytest args]}
shift
if ! find "$dir" -name 'test_*.py' -print -quit 2>/dev/null | grep -q .; then
  echo "pytest: no tests under $dir; nothing to run"
  exit 0
fi
export PYTHONPATH="$PWD/build/collections${PYTHONPATH:+:$PYTHONPATH}"
workers=${PYTEST_WORKERS:-2}
exec python -m pytest "$dir" -p no:cacheprovider -n "$workers" --durations=15 "$@"
