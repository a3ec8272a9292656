#!/usr/bin/env bash
# make molecule: every scenario under molecule/ against fresh local services on their own ports
# (so a running demo is never touched), stopped again at the end.
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
export PLATFORM_MOTO_PORT=${MOLECULE_MOTO_PORT:-4610}
export PLATFORM_ATLAS_PORT=${MOLECULE_ATLAS_PORT:-4620}
rm -rf build/molecule
python scripts/local_services.py stop >/dev/null
# The cluster_addons scenario applies the platform stack, which attaches AWS managed policies (EKS cluster and
# node roles, CSI drivers): moto must know them.
MOTO_IAM_LOAD_MANAGED_POLICIES=true python scripts/local_services.py start
trap 'python scripts/local_services.py stop' EXIT
eval "$(python scripts/local_services.py env)"
for scenario in "${scenarios[@]}"; do
  echo "molecule: scenario $scenario"
  molecule test -s "$scenario"
done
echo "molecule: ${#scenarios[@]} scenario(s) converged, idempotent and verified: ${scenarios[*]}"
