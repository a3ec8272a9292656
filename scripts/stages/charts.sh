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

# find_tool NAME: the binary NAME on PATH or in /usr/sbin, /usr/bin (Debian puts nginx in /usr/sbin); empty if none.
find_tool() {
  command -v "$1" 2>/dev/null || { for dir in /usr/sbin /usr/bin; do [ -x "$dir/$1" ] && echo "$dir/$1" && break; done; } || true
}

# The tools the tests run, each with the Debian package that ships it: nginx for the gateway routing test,
# promtool (package prometheus) for the alert rule tests and the dashboard queries
# (tests/charts/test_prometheus_rules.py). What is missing is installed in one apt-get run, as root or through
# passwordless sudo; the stage fails, naming the package, when it cannot.
declare -A package_of=([nginx]=nginx [promtool]=prometheus)
missing=()
for tool in nginx promtool; do
  [ -n "$(find_tool "$tool")" ] || missing+=("${package_of[$tool]}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "charts: installing the Debian package(s) ${missing[*]} for the tests that run them"
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    echo "charts: FAILED - ${missing[*]} not installed and this user cannot install them (needs root or passwordless sudo): apt-get install ${missing[*]}" >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "charts: FAILED - ${missing[*]} not installed and there is no apt-get to install them; install them and put nginx and promtool on PATH" >&2
    exit 1
  fi
  # RUNLEVEL=1 keeps invoke-rc.d from starting a system nginx on port 80 or a system Prometheus after the install.
  if ! { "${as_root[@]}" apt-get update -qq \
    && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
    echo "charts: FAILED - apt-get install ${missing[*]} did not succeed" >&2
    exit 1
  fi
fi
NGINX_BIN=$(find_tool nginx)
PROMTOOL_BIN=$(find_tool promtool)
if [ -z "$NGINX_BIN" ] || [ -z "$PROMTOOL_BIN" ]; then
  echo "charts: FAILED - no nginx or no promtool binary after installing ${missing[*]:-nothing}" >&2
  exit 1
fi
export NGINX_BIN PROMTOOL_BIN
echo "charts: $("$NGINX_BIN" -v 2>&1) ($NGINX_BIN)"
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
