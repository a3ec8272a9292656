"""The checks behind `make test` must fail on broken input, not only pass on good input.

Each test breaks a copy of a real file of this repository the way a careless edit would and runs
the same tool invocation the stage scripts use.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin"


def run(cmd, cwd, env=None):
    return subprocess.run(cmd, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, check=False)


@pytest.fixture
def module_copy(tmp_path):
    """A copy of terraform/; the kms_key module (the state bucket's key among others) is the one broken."""
    shutil.copytree(ROOT / "terraform", tmp_path / "terraform", ignore=shutil.ignore_patterns(".terraform", "*.lock.hcl"))
    return tmp_path / "terraform" / "modules" / "kms_key"


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")
def test_terraform_test_rejects_a_misspelt_argument(module_copy):
    # The stage runs no separate `terraform validate` where a folder has tests: `terraform test` must
    # refuse the configuration by itself.
    main = module_copy / "main.tf"
    main.write_text(main.read_text().replace("enable_key_rotation", "enable_key_rotaton", 1))
    assert run(["terraform", "init", "-backend=false", "-input=false", "-no-color"], module_copy).returncode == 0
    result = run(["terraform", "test", "-no-color"], module_copy)
    assert result.returncode != 0
    assert "enable_key_rotaton" in result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")
def test_terraform_test_catches_a_weakened_resource(module_copy):
    main = module_copy / "main.tf"
    main.write_text(main.read_text().replace("enable_key_rotation     = true", "enable_key_rotation     = false", 1))
    assert run(["terraform", "init", "-backend=false", "-input=false", "-no-color"], module_copy).returncode == 0
    result = run(["terraform", "test", "-no-color"], module_copy)
    assert result.returncode != 0
    assert "The key must rotate and keep the 30-day deletion window." in result.stdout + result.stderr


def test_yamllint_rejects_a_broken_inventory(tmp_path):
    broken = tmp_path / "main.yml"
    text = (ROOT / "inventories" / "dev" / "group_vars" / "all" / "main.yml").read_text()
    broken.write_text(text.replace("platform_region: eu-west-1", "platform_region: eu-west-1\n  platform_region: again", 1))
    result = run([str(VENV_BIN / "yamllint"), "-c", str(ROOT / ".yamllint"), "--strict", str(broken)], tmp_path)
    assert result.returncode != 0
    assert "syntax error" in result.stdout or "error" in result.stdout


def test_argument_spec_rejects_a_wrong_role_input(tmp_path):
    playbook = tmp_path / "play.yml"
    playbook.write_text(
        "- hosts: localhost\n"
        "  gather_facts: false\n"
        "  tasks:\n"
        "    - ansible.builtin.include_role:\n"
        "        name: chatbot.platform.terraform_stack\n"
        "      vars:\n"
        "        terraform_stack_name: bootstrap\n"
        "        terraform_stack_state: gone\n"
    )
    result = run(
        [
            *(str(VENV_BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook)),
            *("-e", f"platform_work_dir={tmp_path} platform_name=chatbot platform_env=dev platform_region=eu-west-1"),
            *("-e", "platform_state_bucket=chatbot-dev-tfstate"),
        ],
        tmp_path,
        env={"ANSIBLE_COLLECTIONS_PATH": str(ROOT / "build" / "collections"), "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg")},
    )
    assert result.returncode != 0
    assert re.search(r"terraform_stack_state.*(present|planned|absent)", result.stdout + result.stderr)


def test_ansible_doc_fails_on_a_broken_plugin_doc(tmp_path):
    collection = tmp_path / "ansible_collections" / "chatbot" / "platform"
    shutil.copytree(ROOT / "plugins" / "filter", collection / "plugins" / "filter")
    shutil.copy(ROOT / "galaxy.yml", collection / "galaxy.yml")
    doc = collection / "plugins" / "filter" / "resource_name.yml"
    doc.write_text(doc.read_text().replace("  options:\n", "  options:\n   broken: [\n", 1))
    result = run(
        [str(VENV_BIN / "ansible-doc"), "-t", "filter", "chatbot.platform.resource_name"],
        tmp_path,
        env={"ANSIBLE_COLLECTIONS_PATH": str(tmp_path), "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg")},
    )
    assert result.returncode != 0
