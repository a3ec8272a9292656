#!/usr/bin/env bash
# make lint: ansible-lint (production profile, offline), yamllint, ruff check and ruff format --check.
set -euo pipefail
cd "${PLATFORM_ROOT:?run through make}"
echo "lint: ansible-lint --offline (profile production)"
ansible-lint --offline
echo "lint: yamllint --strict"
yamllint --strict .
echo "lint: ruff check"
ruff check .
echo "lint: ruff format --check"
ruff format --check .
echo "lint: passed"
