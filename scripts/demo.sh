#!/usr/bin/env bash
# make demo: start moto server (and the Atlas emulator when present) on loopback, run site.yml on
# the local inventory twice, require the second run to change nothing, verify what was built
# through the AWS API, and stop what was started. DEMO_KEEP_SERVICES=1 leaves the servers running
# for a look around (stop them with `python scripts/local_services.py stop`).
set -euo pipefail
cd "${PLATFORM_ROOT:?run through make}"
# Servers left running by an earlier DEMO_KEEP_SERVICES=1 run hold that run's state: start afresh.
python scripts/local_services.py stop
python scripts/local_services.py start
if [ "${DEMO_KEEP_SERVICES:-0}" != 1 ]; then
  trap 'python scripts/local_services.py stop' EXIT
fi
eval "$(python scripts/local_services.py env)"
# moto keeps everything in memory, so every demo starts from an empty account: clear what the
# previous demo left in the work folder (local Terraform data, rendered manifests).
rm -rf build/local
mkdir -p build/local
echo "demo: first run of playbooks/site.yml on inventories/local"
ansible-playbook -i inventories/local playbooks/site.yml "$@"
echo "demo: second run, which must report changed=0"
ansible-playbook -i inventories/local playbooks/site.yml "$@" | tee build/local/second-run.log
recap=$(sed -n '/PLAY RECAP/,$p' build/local/second-run.log)
if ! grep -Eq 'changed=0 ' <<<"$recap" || grep -Eq 'changed=[1-9]' <<<"$recap"; then
  echo "demo: FAILED - the second run changed something:" >&2
  echo "$recap" >&2
  exit 1
fi
echo "demo: the second run reported changed=0 (log: build/local/second-run.log)"
echo "demo: verifying the state bucket through the AWS API"
ansible-playbook -i inventories/local playbooks/verify_bootstrap.yml
echo "demo: done"
if [ "${DEMO_KEEP_SERVICES:-0}" = 1 ]; then
  echo "demo: servers left running; environment for the AWS CLI or boto3:"
  python scripts/local_services.py env
fi
