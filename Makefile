# chatbot.platform: set-up, checks and the local demo. `make help` lists the targets.
# Every target installs what it needs: Python tools into .venv, checkov into .venv-checkov,
# helm and kubectl into .tools/bin (all git-ignored). Terraform must be on PATH.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

ROOT := $(CURDIR)
PYTHON ?= python3
VENV := $(ROOT)/.venv
CHECKOV_VENV := $(ROOT)/.venv-checkov
TOOLS := $(ROOT)/.tools
# The Terraform release the project is tested with; execution-environment.yml installs the same (tests/functional/awx).
TERRAFORM_VERSION := 1.11.4
# The provider mirror folder of the machine image (offline `terraform init`); override with TF_PLUGIN_MIRROR.
TF_PLUGIN_MIRROR ?= $(firstword $(wildcard /tf-plugins /opt/tf-plugins /usr/local/share/tf-plugins))

export PATH := $(TOOLS)/bin:$(VENV)/bin:$(PATH)
export ANSIBLE_CONFIG := $(ROOT)/ansible.cfg
export PLATFORM_ROOT := $(ROOT)
export CHECKOV_BIN := $(CHECKOV_VENV)/bin/checkov
ifneq ($(TF_PLUGIN_MIRROR),)
export TF_CLI_CONFIG_FILE := $(TOOLS)/terraformrc
endif

# Longest first: scripts/run_stages.sh runs STAGE_JOBS (default 2) stages at a time in this order. molecule leads:
# with ../shared its cluster_addons scenario (platform apply, steps 6-9 twice, tests/kubernetes) is the longest
# single job of the suite, so it starts at once beside terraform; functional takes the first slot they free.
STAGES := molecule terraform functional sanity build units lint charts security workflows changelog-lint

.PHONY: help setup tools test demo ci-dry-run $(STAGES) clean constraints ee-context ee-image

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | column -t -s $$'\t'

# --no-compile: pip would byte-compile every module of the ansible package (tens of thousands of files)
# up front; Python compiles what is imported, once, on first use.
$(VENV)/.installed: requirements/dev.txt requirements/constraints.txt
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --no-compile --disable-pip-version-check -r requirements/dev.txt -c requirements/constraints.txt
	@touch $@

$(CHECKOV_VENV)/.installed: requirements/checkov.txt requirements/checkov-constraints.txt
	@test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --no-compile --disable-pip-version-check -r requirements/checkov.txt -c requirements/checkov-constraints.txt
	@touch $@

$(TOOLS)/bin/helm: $(VENV)/.installed scripts/install_k8s_tools.py
	$(VENV)/bin/python scripts/install_k8s_tools.py $(TOOLS)/bin
	@touch $@

$(TOOLS)/terraformrc: Makefile
	@mkdir -p $(TOOLS)
	@if [ -n "$(TF_PLUGIN_MIRROR)" ]; then \
	  printf 'provider_installation {\n  filesystem_mirror {\n    path    = "%s"\n    include = ["registry.terraform.io/hashicorp/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n' "$(TF_PLUGIN_MIRROR)" > $@; \
	  echo "terraform: installing hashicorp/* providers from the mirror $(TF_PLUGIN_MIRROR)"; \
	else : > $@; fi

build/collections/ansible_collections/chatbot/platform:
	@mkdir -p $(dir $@)
	@ln -sfn ../../../.. $@

setup: ## Install every tool (idempotent; the two Python environments are built side by side)
	@$(MAKE) -j3 tools

tools: $(VENV)/.installed $(CHECKOV_VENV)/.installed $(TOOLS)/bin/helm $(TOOLS)/terraformrc build/collections/ansible_collections/chatbot/platform

test: setup ## Run every stage (STAGE_JOBS at a time), stop starting stages after a failure, print a summary
	@scripts/run_stages.sh $(STAGES)

lint: setup ## ansible-lint (production), yamllint, ruff
	@scripts/stages/lint.sh

sanity: setup ## ansible-test sanity on a staged copy of the collection
	@scripts/stages/ansible_test.sh sanity

units: setup ## ansible-test units (tests/unit)
	@scripts/stages/ansible_test.sh units

functional: setup ## pytest tests/functional: modules against moto and the Atlas emulator
	@PYTEST_WORKERS=$${PYTEST_WORKERS:-3} scripts/stages/pytest_dir.sh tests/functional

terraform: setup ## fmt, init, validate and terraform test for every module and stack; tests/terraform
	@scripts/stages/terraform.sh

charts: setup ## helm lint, render, kubernetes-validate, CRD schemas, tests/charts
	@scripts/stages/charts.sh

molecule: setup ## every molecule scenario against the local services
	@scripts/stages/molecule.sh

security: setup ## checkov over terraform/, charts/, argocd/, .github/
	@scripts/stages/security.sh

workflows: setup ## check-jsonschema on GitHub workflow files
	@scripts/stages/workflows.sh

changelog-lint: setup ## antsibull-changelog lint
	@cd $(ROOT) && antsibull-changelog lint && echo "changelog: fragments and config are valid"

build: setup ## build the collection tarball, install it and run its playbooks' syntax check
	@scripts/stages/build.sh

demo: setup ## site.yml on the local inventory (moto + Atlas emulator), twice: the second run must change nothing
	@scripts/demo.sh

ci-dry-run: setup ## The image pipeline's AWS half against moto: seeded manifests gated, deployed to dev and promoted to staging in a copy of the tree
	@scripts/ci_dry_run.sh

ee-context: setup ## The execution environment's build context (collection tarball + ansible-builder create) in build/ee/context
	@mkdir -p build/ee
	ansible-galaxy collection build --force --output-path build/ee .
	ansible-builder create -f execution-environment.yml --context build/ee/context

ee-image: ee-context ## Build the execution environment image (podman or docker; downloads from the internet)
	ansible-builder build -f execution-environment.yml --context build/ee/context

constraints: ## Re-resolve requirements/constraints.txt from requirements/dev.txt
	rm -rf build/constraints-venv && $(PYTHON) -m venv build/constraints-venv
	build/constraints-venv/bin/python -m pip install --quiet -r requirements/dev.txt
	build/constraints-venv/bin/python -m pip freeze --all | grep -v -E '^(pip|setuptools|wheel)==' > requirements/constraints.txt

clean: ## Remove build output (keeps the tool environments)
	rm -rf build tests/output
