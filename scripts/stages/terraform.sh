#!/usr/bin/env bash
# make terraform: for every module and stack: fmt -check, init -backend=false against the provider
# mirror, validate, and `terraform test` when the folder has tests; then pytest tests/terraform
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

failed=()
checked=0
for dir in "$work"/terraform/modules/*/ "$work"/terraform/modules/*/modules/*/ "$work"/terraform/stacks/*/; do
  [ -d "$dir" ] || continue
  ls "$dir"*.tf >/dev/null 2>&1 || continue
  name=${dir#"$work"/}
  name=${name%/}
  checked=$((checked + 1))
  log="$dir/check.log"
  # A module that takes aliased providers (configuration_aliases) cannot be validated as a root
  # module without them: the copy gets empty provider blocks for those aliases (terraform test passes
  # its own mocks).
  aliases=$(sed -n 's/.*configuration_aliases *= *\[\(.*\)\].*/\1/p' "$dir"versions.tf 2>/dev/null | tr ',' '\n' | sed -n 's/^ *aws\.\([a-z_]*\) *$/\1/p')
  for alias in $aliases; do
    printf 'provider "aws" {\n  alias = "%s"\n}\n' "$alias" >>"$dir/zz_validate_provider_aliases.tf"
  done
  if ! terraform -chdir="$dir" init -backend=false -input=false -no-color >"$log" 2>&1; then
    echo "terraform: $name: init FAILED"; cat "$log"; failed+=("$name"); continue
  fi
  if ! terraform -chdir="$dir" validate -no-color >>"$log" 2>&1; then
    echo "terraform: $name: validate FAILED"; sed -n '/Error/,$p' "$log"; failed+=("$name"); continue
  fi
  if [ -d "$dir/tests" ] && ls "$dir"/tests/*.tftest.hcl >/dev/null 2>&1; then
    if terraform -chdir="$dir" test -no-color >"$dir/test.log" 2>&1; then
      echo "terraform: $name: valid; $(tail -1 "$dir/test.log")"
    else
      echo "terraform: $name: terraform test FAILED"; cat "$dir/test.log"; failed+=("$name"); continue
    fi
  else
    echo "terraform: $name: valid (no tests/ folder)"
  fi
done

if [ "$checked" -eq 0 ]; then
  echo "terraform: no modules or stacks under terraform/; nothing to check"
fi
if [ "${#failed[@]}" -gt 0 ]; then
  echo "terraform: FAILED in ${failed[*]}" >&2
  exit 1
fi
echo "terraform: $checked folders formatted, valid and tested"

if find tests/terraform -name 'test_*.py' -print -quit 2>/dev/null | grep -q .; then
  scripts/stages/pytest_dir.sh tests/terraform
else
  echo "terraform: no tests under tests/terraform; apply tests skipped"
fi
