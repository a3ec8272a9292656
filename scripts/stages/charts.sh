#!/usr/bin/env bash
# make charts: scripts/check_charts.py does helm lint --strict, renders every environment and ci/
# scenario, validates with kubernetes-validate and the CRD schemas, then runs pytest tests/charts.
set -euo pipefail
cd "${PLATFORM_ROOT:?run through make}"
if ! ls charts/*/Chart.yaml >/dev/null 2>&1; then
  echo "charts: no charts under charts/; nothing to check"
  exit 0
fi
exec python scripts/check_charts.py
