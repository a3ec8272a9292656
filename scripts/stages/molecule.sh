#!/usr/bin/env bash
# make molecule: every scenario under molecule/, MOLECULE_JOBS (default 2) at a time, each against local
# services of its own on its own ports (so scenarios never see each other's state and a running demo is
# never touched), stopped again when the scenario ends. Each scenario's output goes to
# build/molecule-logs/<scenario>.log and is printed whole when it ends.
set -euo pipefail
cd "${PLATFORM_ROOT:?run through make}"
scenarios=()
for f in molecule/*/molecule.yml; do
  [ -e "$f" ] && scenarios+=("$(basename "$(dirname "$f")")")
done
if [ "${#scenarios[@]}" -eq 0 ]; then
  echo "molecule: no scenarios under molecule/; nothing to run"
  exit 0
fi
# Reference material a scenario cannot run without. The machine has no internet, so the upstream chart
# packages exist only in ../shared (never copied into the project); without them cluster_addons would try to
# download its charts and fail, so it is skipped, loudly, like the pytest tests that need the same folders.
declare -A needs=(
  [cluster_addons]="../shared/charts ../shared/crd-schemas"
)
skipped=()
# The longest scenario first, so it overlaps the others.
ordered=()
for s in cluster_addons "${scenarios[@]}"; do
  [[ " ${scenarios[*]} " == *" $s "* && " ${ordered[*]} " != *" $s "* && " ${skipped[*]} " != *" $s "* ]] || continue
  missing=()
  for dir in ${needs[$s]:-}; do
    [ -d "$dir" ] || missing+=("$dir")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "molecule: SKIPPED scenario $s: ${missing[*]} not on this machine (offline upstream material it renders with)"
    skipped+=("$s")
    continue
  fi
  ordered+=("$s")
done
moto_base=${MOLECULE_MOTO_PORT:-4610}
atlas_base=${MOLECULE_ATLAS_PORT:-4620}
jobs_max=${MOLECULE_JOBS:-2}
logs=build/molecule-logs
rm -rf build/molecule "$logs"
mkdir -p "$logs"

# run_scenario NAME INDEX: local services on base+INDEX ports, `molecule test`, services stopped.
run_scenario() {
  local name=$1 index=$2 rc=0
  export PLATFORM_MOTO_PORT=$((moto_base + index)) PLATFORM_ATLAS_PORT=$((atlas_base + index))
  python scripts/local_services.py stop >/dev/null
  # The platform stack (cluster_addons) attaches AWS managed policies: moto must know them.
  MOTO_IAM_LOAD_MANAGED_POLICIES=true python scripts/local_services.py start
  eval "$(python scripts/local_services.py env)"
  # A scenario's state (kept by molecule under ~/.ansible/tmp) survives a run that was stopped half-way, and its
  # `prepared: true` would skip prepare against the fresh services started above: start from no state.
  molecule reset -s "$name" >/dev/null 2>&1 || true
  molecule test -s "$name" || rc=$?
  python scripts/local_services.py stop >/dev/null
  if [ "$rc" -ne 0 ]; then
    # What moto refused or answered slowly (tests/emulators/moto/server.py logs those requests): tells a refusal from an
    # answer a client may have given up on and sent again.
    echo "molecule: $name failed; moto's refused and slow requests (last 40; build/local-services/moto-$PLATFORM_MOTO_PORT.log):"
    grep -h '^moto-request: ' "build/local-services/moto-$PLATFORM_MOTO_PORT.log" 2>/dev/null | tail -n 40 || true
  fi
  return "$rc"
}

declare -A pid_scenario=()
failed=()

# reap: wait for one running scenario, print its log, remember a failure.
reap() {
  local done_pid rc=0 name
  wait -n -p done_pid "${!pid_scenario[@]}" || rc=$?
  name=${pid_scenario[$done_pid]}
  unset "pid_scenario[$done_pid]"
  echo "==== molecule scenario $name (exit $rc) ===="
  cat "$logs/$name.log"
  [ "$rc" -eq 0 ] || failed+=("$name")
}

index=0
start=$(date +%s)
for scenario in "${ordered[@]}"; do
  while [ "${#pid_scenario[@]}" -ge "$jobs_max" ]; do reap; done
  run_scenario "$scenario" "$index" >"$logs/$scenario.log" 2>&1 &
  pid_scenario[$!]=$scenario
  index=$((index + 1))
done
while [ "${#pid_scenario[@]}" -gt 0 ]; do reap; done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "molecule: FAILED scenario(s): ${failed[*]}" >&2
  exit 1
fi
echo "molecule: ${#ordered[@]} scenario(s) converged, idempotent and verified in $(($(date +%s) - start))s: ${ordered[*]}${skipped[*]:+; skipped: ${skipped[*]}}"
