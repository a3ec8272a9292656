#!/usr/bin/env bash
# make security: checkov over terraform/, argocd/, .github/ and the rendered charts. Findings fail
# the stage; a suppression must sit next to the resource with its reason (checkov:skip=ID:reason).
set -euo pipefail
cd "${PLATFORM_ROOT:?run through make}"
checkov=${CHECKOV_BIN:-checkov}
export CKV_SKIP_PACKAGE_UPDATE_CHECK=true BC_SKIP_MAPPING=TRUE
run_checkov() {
  local label=$1
  shift
  echo "security: checkov $label"
  "$checkov" --skip-download --quiet --compact --output cli "$@"
}
run_checkov "terraform/ (terraform)" -d terraform --framework terraform
if [ -d argocd ] && find argocd -name '*.yaml' -print -quit | grep -q .; then
  run_checkov "argocd/ (kubernetes)" -d argocd --framework kubernetes
else
  echo "security: argocd/ has no manifests yet; nothing to check there"
fi
if [ -d .github ]; then
  run_checkov ".github/ (github_actions)" -d .github --framework github_actions
fi
if [ -f scripts/check_charts.py ] && ls charts/*/Chart.yaml >/dev/null 2>&1; then
  echo "security: checkov on the rendered charts"
  python scripts/check_charts.py --checkov
else
  echo "security: no charts yet; nothing to check there"
fi
echo "security: passed"
