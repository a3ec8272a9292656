#!/usr/bin/env bash
# make terraform: for every module and stack: fmt -check, init -backend=false against the provider
# mirror, validate, and `terraform test` when the folder has tests; beside them pytest tests/terraform
# (plan/apply against moto). Runs on a copy under build/terraform-check so .terraform folders and
# lock files never land in the source tree.
set -euo pipefail
cd "${PLATFORM_ROOT:?run through make}"

if ! command -v terraform >/dev/null 2>&1; then
  echo "terraform: FAILED - the terraform binary is not on PATH; nothing was checked" >&2
  exit 1
fi
if [ -z "${TF_CLI_CONFIG_FILE:-}" ] || [ ! -s "${TF_CLI_CONFIG_FILE}" ]; then
  echo "terraform: WARNING - no provider mirror configured (TF_PLUGIN_MIRROR); terraform init will try the registry"
fi
echo "terraform: $(terraform version | head -1)"

echo "terraform: fmt -check -recursive terraform/"
if ! terraform fmt -check -recursive -diff terraform/; then
  echo "terraform: FAILED - files above need 'terraform fmt'" >&2
  exit 1
fi

work=build/terraform-check
rm -rf "$work"
mkdir -p "$work"
cp -r terraform "$work/"
find "$work" \( -name .terraform -o -name '.terraform.lock.hcl' -o -name '*.tfstate*' -o -name '*_override.tf' \) -prune -exec rm -rf {} +
# One plugin cache for every folder: the mirror is linked, not copied, and schemas load once.
export TF_PLUGIN_CACHE_DIR="$PWD/build/terraform-plugin-cache"
export TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE=true
mkdir -p "$TF_PLUGIN_CACHE_DIR"
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1

# check_folder DIR: init, validate and `terraform test` one module or stack; prints one result line
# and returns non-zero on failure (the logs stay in DIR).
check_folder() {
  local dir=$1 name log alias aliases
  name=${dir#"$work"/}
  name=${name%/}
  log="$dir/check.log"
  # A module that takes aliased providers (configuration_aliases) cannot be validated as a root
  # module without them: the copy gets empty provider blocks for those aliases (terraform test passes
  # its own mocks).
  aliases=$(sed -n 's/.*configuration_aliases *= *\[\(.*\)\].*/\1/p' "$dir"versions.tf 2>/dev/null | tr ',' '\n' | sed -n 's/^ *aws\.\([a-z_]*\) *$/\1/p')
  for alias in $aliases; do
    printf 'provider "aws" {\n  alias = "%s"\n}\n' "$alias" >>"$dir/zz_validate_provider_aliases.tf"
  done
  if ! terraform -chdir="$dir" init -backend=false -input=false -no-color >"$log" 2>&1; then
    echo "terraform: $name: init FAILED"; cat "$log"; return 1
  fi
  # `terraform test` validates the whole configuration (every resource, whatever its count) before its
  # first run, so a folder with tests skips the separate validate: each of them loads the AWS provider's
  # schema, about 10 s of CPU.
  if [ -d "$dir/tests" ] && ls "$dir"/tests/*.tftest.hcl >/dev/null 2>&1; then
    if terraform -chdir="$dir" test -no-color >"$dir/test.log" 2>&1; then
      echo "terraform: $name: valid; $(tail -1 "$dir/test.log")"
    else
      echo "terraform: $name: terraform test FAILED"; cat "$dir/test.log"; return 1
    fi
  elif terraform -chdir="$dir" validate -no-color >>"$log" 2>&1; then
    echo "terraform: $name: valid (no tests/ folder)"
  else
    echo "terraform: $name: validate FAILED"; sed -n '/Error/,$p' "$log"; return 1
  fi
}

# Folders are independent (own copy, shared read-only plugin cache): check TERRAFORM_JOBS of them at
# a time (default: the number of CPUs). Each job writes its report to a file, printed whole when it
# ends, so reports never interleave; a failed folder leaves a marker the summary below counts.
jobs_max=${TERRAFORM_JOBS:-$(nproc)}
results="$work/results"
mkdir -p "$results"
checked=0

# pytest tests/terraform (plan/apply against moto) runs beside the folder checks: its applies spend most of
# their time waiting on the AWS provider's polling (KMS, EKS and node group waiters), the folder checks are
# CPU-bound, so together they fill the machine instead of taking turns. It starts once the first folder has
# filled the plugin cache. Its output goes to a log printed whole after the folder reports.
apply_log="$work/pytest.log"
apply_rc="$work/pytest.rc"
apply_pid=""
start_apply_tests() {
  if find tests/terraform -name 'test_*.py' -print -quit 2>/dev/null | grep -q .; then
    # --dist loadscope: a test module's applied stack (a module-scoped fixture) is built by one worker,
    # not once per worker. Four workers by default: an apply against moto spends about half its time
    # waiting on the AWS provider's polling, so the applies overlap instead of queueing.
    (
      rc=0
      PYTEST_WORKERS=${TERRAFORM_PYTEST_WORKERS:-4} scripts/stages/pytest_dir.sh tests/terraform --dist loadscope >"$apply_log" 2>&1 || rc=$?
      echo "$rc" >"$apply_rc"
    ) &
    apply_pid=$!
  else
    echo "terraform: no tests under tests/terraform; apply tests skipped" >"$apply_log"
    echo 0 >"$apply_rc"
  fi
}
for dir in "$work"/terraform/modules/*/ "$work"/terraform/modules/*/modules/*/ "$work"/terraform/stacks/*/; do
  [ -d "$dir" ] || continue
  ls "$dir"*.tf >/dev/null 2>&1 || continue
  checked=$((checked + 1))
  # The apply tests' job does not take a folder slot.
  while [ "$(jobs -rp | grep -cvx "${apply_pid:-none}")" -ge "$jobs_max" ]; do wait -n || true; done
  report="$results/$(printf '%03d' "$checked")"
  (
    if ! check_folder "$dir" >"$report.log" 2>&1; then
      name=${dir#"$work"/}
      echo "${name%/}" >"$report.failed"
    fi
    cat "$report.log"
  ) &
  # Terraform's plugin cache is not safe for concurrent installs: the first folder fills it alone
  # (a clean clone starts with an empty cache), the others then only link from it.
  if [ "$checked" -eq 1 ]; then
    wait
    start_apply_tests
  fi
done
[ -n "$apply_pid" ] || [ -s "$apply_rc" ] || start_apply_tests
# Every folder job, then the apply tests.
for pid in $(jobs -rp); do
  [ "$pid" = "$apply_pid" ] || wait "$pid" || true
done
failed=()
for marker in "$results"/*.failed; do
  [ -e "$marker" ] || continue
  failed+=("$(cat "$marker")")
done

if [ "$checked" -eq 0 ]; then
  echo "terraform: no modules or stacks under terraform/; nothing to check"
fi
echo "terraform: $checked folders checked ($jobs_max at a time); waiting for pytest tests/terraform"
[ -z "$apply_pid" ] || wait "$apply_pid" || true
cat "$apply_log"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "terraform: FAILED in ${failed[*]}" >&2
  exit 1
fi
echo "terraform: $checked folders formatted, valid and tested"
if [ "$(cat "$apply_rc" 2>/dev/null || echo 1)" != 0 ]; then
  echo "terraform: FAILED - pytest tests/terraform (above)" >&2
  exit 1
fi
