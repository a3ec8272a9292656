#!/usr/bin/env bash
# make build: the collection as users get it. Builds the tarball, installs it into an empty
# collections path, and checks that the installed copy is complete: playbooks run by FQCN
# (syntax check), roles find the Terraform stacks they ship, plugins' docs render.
set -euo pipefail
cd "${PLATFORM_ROOT:?run through make}"
out=build/dist
rm -rf "$out" build/installed
mkdir -p "$out"
# Steps that act as a user run without this checkout's ansible.cfg.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '[defaults]\n' > "$tmp/ansible.cfg"
ansible-galaxy collection build --force --output-path "$out" . >/dev/null
tarball=$(ls "$out"/chatbot-platform-*.tar.gz)
echo "build: $tarball ($(du -h "$tarball" | cut -f1))"
ANSIBLE_CONFIG="$tmp/ansible.cfg" ansible-galaxy collection install --force --offline --no-deps -p build/installed "$tarball" >/dev/null 2>&1
installed=build/installed/ansible_collections/chatbot/platform
# What must ship: stacks the roles run, and no build or test output.
# The cluster add-ons role installs the platform's own charts from the collection's charts/ folder.
for path in terraform/stacks/bootstrap/versions.tf terraform/modules/state_backend/main.tf roles/terraform_stack/tasks/main.yml playbooks/site.yml \
  charts/cluster-base/Chart.yaml charts/cluster-secret-store/Chart.yaml roles/cluster_addons/templates/values/cluster-base.yaml.j2; do
  [ -f "$installed/$path" ] || { echo "build: FAILED - $path is missing from the installed collection" >&2; exit 1; }
done
for path in .venv .tools build tests/output; do
  [ ! -e "$installed/$path" ] || { echo "build: FAILED - $path must not ship" >&2; exit 1; }
done
# Run from a folder without this checkout's ansible.cfg, with only the installed copy (and the
# collections bundled with ansible) on the collections path.
cp -r inventories "$tmp/"
export ANSIBLE_CONFIG="$tmp/ansible.cfg"
export ANSIBLE_COLLECTIONS_PATH="$PLATFORM_ROOT/build/installed"
(
  cd "$tmp"
  # One ansible-playbook run checks every playbook (each start costs seconds of CPU); it stops at the first
  # that fails and names it.
  names=()
  for playbook in "$PLATFORM_ROOT"/playbooks/*.yml; do
    names+=("chatbot.platform.$(basename "$playbook" .yml)")
  done
  ansible-playbook -i inventories/local "${names[@]}" --syntax-check >/dev/null
  echo "build: ${names[*]} pass --syntax-check from the installed collection"
  ansible-doc -t filter chatbot.platform.resource_name >/dev/null
  ansible-doc -t role chatbot.platform.terraform_stack >/dev/null
  ansible-doc -t role chatbot.platform.cluster_addons >/dev/null
  ansible-doc -t module chatbot.platform.helm_render >/dev/null
)
# The installed roles must find the Terraform they ship: plan the bootstrap stack (check mode)
# from the installed copy against a moto server of its own.
export PLATFORM_MOTO_PORT=${BUILD_MOTO_PORT:-4630} PLATFORM_ATLAS_PORT=${BUILD_ATLAS_PORT:-4640}
MOTO_IAM_LOAD_MANAGED_POLICIES=false python scripts/local_services.py start >/dev/null
trap 'python scripts/local_services.py stop >/dev/null; rm -rf "$tmp"' EXIT
(
  eval "$(python scripts/local_services.py env)"
  cd "$tmp"
  ansible-playbook -i inventories/local chatbot.platform.bootstrap --check -e "platform_work_dir=$tmp/work" > "$tmp/check.log" 2>&1 \
    || { cat "$tmp/check.log"; echo "build: FAILED - chatbot.platform.bootstrap --check from the installed collection" >&2; exit 1; }
  grep -q "changed: \[localhost\]" "$tmp/check.log" \
    || { cat "$tmp/check.log"; echo "build: FAILED - the check-mode plan of the bootstrap stack showed no changes" >&2; exit 1; }
  echo "build: chatbot.platform.bootstrap plans the shipped stack from the installed collection (check mode)"
)
echo "build: the installed collection is complete"
