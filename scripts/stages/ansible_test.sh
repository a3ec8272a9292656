#!/usr/bin/env bash
# make sanity / make units: ansible-test on a copy of the collection staged under
# build/ansible-test/ansible_collections/chatbot/platform (ansible-test needs that path and a git tree).
set -euo pipefail
cd "${PLATFORM_ROOT:?run through make}"
command_name=${1:?usage: ansible_test.sh sanity|units}

# Offline, ansible-test cannot download get-pip.py for the venvs it creates; this stand-in
# bootstraps pip from the interpreter's own ensurepip instead.
cache="$HOME/.ansible/test/cache"
if [ ! -s "$cache/get_pip_24_2.py" ]; then
  mkdir -p "$cache"
  cat > "$cache/get_pip_24_2.py" <<'PY'
"""Stand-in for get-pip.py installed by chatbot.platform's Makefile: bootstraps pip with ensurepip (offline)."""
import os
import subprocess
import sys

env = dict(os.environ)
env.pop("PIP_CONFIG_FILE", None)
subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"], env=env)
PY
fi

stage=build/ansible-test/ansible_collections/chatbot/platform
rm -rf "$stage"
mkdir -p "$stage"
# The tracked files plus new files git does not ignore, as they are in the working tree. Helm
# templates are left out: they are not YAML until rendered (ansible-test's yamllint would reject
# every one); `make charts` lints and renders them, and the charts' values files stay in the copy.
git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
  | grep -z -v -E '^charts/(.+/)?templates/' \
  | tar --null -T - -cf - | tar -xf - -C "$stage"
# The ECR modules extend amazon.aws doc fragments and import its module_utils: sanity needs that
# collection beside ours (it is bundled with the ansible package in .venv).
amazon_aws=$(python -c 'import ansible_collections.amazon.aws as m; print(list(m.__path__)[0])')
mkdir -p build/ansible-test/ansible_collections/amazon
rm -rf build/ansible-test/ansible_collections/amazon/aws
cp -r "$amazon_aws" build/ansible-test/ansible_collections/amazon/aws
(
  cd "$stage"
  git init -q
  git add -A
  case "$command_name" in
    sanity)
      ansible-test sanity --venv --python 3.11 --color no
      ;;
    units)
      if ! find tests/unit -name 'test_*.py' -print -quit | grep -q .; then
        echo "units: no unit tests under tests/unit; nothing to run"
        exit 0
      fi
      ansible-test units --local --python 3.11 --color no --requirements
      ;;
    *)
      echo "ansible_test.sh: unknown command $command_name" >&2
      exit 2
      ;;
  esac
)
