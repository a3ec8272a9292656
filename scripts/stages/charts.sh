#!/usr/bin/env bash
# make charts: scripts/check_charts.py does helm lint --strict, renders every environment, ci/
# scenario and subchart alone into build/rendered/charts, validates them with kubernetes-validate
# and the CRD schemas; then pytest tests/charts asserts what the rendered manifests do.
set -euo pipefail
cd "${PLATFORM_ROOT:?run through make}"
if ! ls charts/*/Chart.yaml >/dev/null 2>&1; then
  echo "charts: no charts under charts/; nothing to check"
  exit 0
fi
python scripts/check_charts.py
scripts/stages/pytest_dir.sh tests/charts
