#!/usr/bin/env bash
# make workflows: GitHub workflow files against the workflow schema bundled with check-jsonschema.
set -euo pipefail
cd "${PLATFORM_ROOT:?run through make}"
shopt -s nullglob
files=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ "${#files[@]}" -eq 0 ]; then
  echo "workflows: no files under .github/workflows; nothing to check"
  exit 0
fi
check-jsonschema --builtin-schema vendor.github-workflows "${files[@]}"
