#!/usr/bin/env bash
# make ci-dry-run: the image pipeline's AWS half against moto (scripts/ci_dry_run.py): start moto on loopback as
# make demo does, run the dry run, stop what was started.
set -euo pipefail
cd "${PLATFORM_ROOT:?run through make}"
# A server left running by an earlier run holds that run's state: start afresh.
python scripts/local_services.py stop
python scripts/local_services.py start
trap 'python scripts/local_services.py stop' EXIT
eval "$(python scripts/local_services.py env)"
python scripts/ci_dry_run.py --endpoint "$PLATFORM_AWS_ENDPOINT_URL" "$@"
