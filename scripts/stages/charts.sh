#!/usr/bin/env bash
# make charts: scripts/check_charts.py does helm lint --strict, renders every environment, ci/
# scenario and subchart alone into build/rendered/charts, validates them with kubernetes-validate
# and the CRD schemas; then pytest tests/charts asserts what the rendered manifests do. The gateway
# test runs the rendered nginx configuration with a real nginx: Debian's `nginx` package, installed
# here when it is missing (apt-get as root, or through passwordless sudo). The alert rule tests need promtool:
# Debian's `prometheus` package, installed the same way.
set -euo pipefail
cd "${PLATFORM_ROOT:?run through make}"
if ! ls charts/*/Chart.yaml >/dev/null 2>&1; then
  echo "charts: no charts under charts/; nothing to check"
  exit 0
fi

find_nginx() {
  command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true
}
NGINX_BIN=$(find_nginx)
if [ -z "$NGINX_BIN" ]; then
  echo "charts: nginx is missing; installing the Debian package nginx for the gateway routing test"
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    echo "charts: FAILED - nginx is not installed and this user cannot install it (needs root or passwordless sudo): apt-get install nginx" >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "charts: FAILED - nginx is not installed and there is no apt-get to install it; install nginx and put it on PATH" >&2
    exit 1
  fi
  # RUNLEVEL=1 keeps invoke-rc.d from starting a system nginx on port 80 after the install.
  if ! { "${as_root[@]}" apt-get update -qq \
    && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends nginx >/dev/null; }; then
    echo "charts: FAILED - apt-get install nginx did not succeed" >&2
    exit 1
  fi
  NGINX_BIN=$(find_nginx)
  if [ -z "$NGINX_BIN" ]; then
    echo "charts: FAILED - the nginx package installed no nginx binary" >&2
    exit 1
  fi
fi
export NGINX_BIN
echo "charts: $("$NGINX_BIN" -v 2>&1) ($NGINX_BIN)"

# promtool checks and unit-tests the chatbot chart's alerts and parses every dashboard query
# (tests/charts/test_prometheus_rules.py): Debian's `prometheus` package ships it.
find_promtool() {
  command -v promtool 2>/dev/null || { [ -x /usr/bin/promtool ] && echo /usr/bin/promtool; } || true
}
PROMTOOL_BIN=$(find_promtool)
if [ -z "$PROMTOOL_BIN" ]; then
  echo "charts: promtool is missing; installing the Debian package prometheus for the alert rule tests"
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    echo "charts: FAILED - promtool is not installed and this user cannot install it (needs root or passwordless sudo): apt-get install prometheus" >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "charts: FAILED - promtool is not installed and there is no apt-get to install it; install Prometheus's promtool and put it on PATH" >&2
    exit 1
  fi
  # RUNLEVEL=1 keeps invoke-rc.d from starting a system Prometheus after the install.
  if ! { "${as_root[@]}" apt-get update -qq \
    && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends prometheus >/dev/null; }; then
    echo "charts: FAILED - apt-get install prometheus did not succeed" >&2
    exit 1
  fi
  PROMTOOL_BIN=$(find_promtool)
  if [ -z "$PROMTOOL_BIN" ]; then
    echo "charts: FAILED - the prometheus package installed no promtool binary" >&2
    exit 1
  fi
fi
export PROMTOOL_BIN
echo "charts: $("$PROMTOOL_BIN" --version 2>&1 | head -1) ($PROMTOOL_BIN)"

python scripts/check_charts.py
# The platform's own small charts (cluster add-ons step): rendered with real values and validated by
# tests/kubernetes; here helm lint --strict with the values the step gives them, and their guards.
kube_version=$(python -c 'import yaml; print(yaml.safe_load(open("inventories/prod/group_vars/all/main.yml"))["platform_eks_version"])')
helm lint --strict charts/cluster-base --kube-version "$kube_version" \
  --set namespaces.chatbot=restricted --set storageClasses.models.fileSystemId=fs-0123456789abcdef0 >/dev/null
helm lint --strict charts/cluster-secret-store --kube-version "$kube_version" --set 'namespaces={chatbot}' >/dev/null
if helm template x charts/cluster-secret-store --set-json 'namespaces=[]' >/dev/null 2>&1 \
  || helm template x charts/cluster-secret-store --set 'namespaces={}' >/dev/null 2>&1 \
  || helm template x charts/cluster-secret-store --set 'namespaces={chatbot}' --set prefix=chatbot/dev >/dev/null 2>&1 \
  || helm template x charts/cluster-base --set namespaces.chatbot=strict >/dev/null 2>&1; then
  echo "charts: FAILED - a guard of cluster-base or cluster-secret-store let a bad value through" >&2
  exit 1
fi
echo "charts: cluster-base and cluster-secret-store lint clean and refuse an empty namespace list, an open prefix and an unknown level"
scripts/stages/pytest_dir.sh tests/charts
