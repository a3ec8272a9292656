"""Terraform runs against moto server for the tests under tests/terraform."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import boto3
import jinja2
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
REGION = "eu-west-1"


def _render(value, context):
    if isinstance(value, str) and "{{" in value:
        # Inventory strings rendered into Terraform variables, not HTML: no autoescaping.
        templar = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)  # noqa: S701
        return templar.from_string(value).render(context)
    if isinstance(value, list):
        return [_render(v, context) for v in value]
    if isinstance(value, dict):
        return {k: _render(v, context) for k, v in value.items()}
    return value


def inventory_stack_vars(inventory: str, topic: str, prefix: str, not_stack_vars: set[str], from_main: dict[str, str] | None = None) -> dict:
    """A stack's variables from inventories/<inventory>/group_vars/all, the way its playbook passes them:
    every <prefix><x> in <topic>.yml becomes <x> (rendered against main.yml and the topic file), plus
    name, environment, region and tags from main.yml (what roles/terraform_stack adds) and, as strings,
    the main.yml values named in from_main (stack variable -> inventory variable)."""
    group_vars = ROOT / "inventories" / inventory / "group_vars" / "all"
    main = yaml.safe_load((group_vars / "main.yml").read_text())
    topic_vars = yaml.safe_load((group_vars / f"{topic}.yml").read_text())
    context = {**main, **topic_vars}
    values = {k[len(prefix) :]: _render(v, context) for k, v in topic_vars.items() if k.startswith(prefix) and k not in not_stack_vars}
    values.update(
        name=main["platform_name"],
        environment=main["platform_env"],
        region=main["platform_region"],
        tags={k: str(v) for k, v in main["platform_tags"].items()},
    )
    values.update({name: str(main[key]) for name, key in (from_main or {}).items()})
    return values


def tf_env(env: dict) -> dict:
    """The environment with the provider mirror's CLI config when the caller's is missing."""
    env = dict(env)
    cli_config = env.get("TF_CLI_CONFIG_FILE")
    if not cli_config or not Path(cli_config).is_file():
        local = ROOT / ".tools" / "terraformrc"
        if local.is_file():
            env["TF_CLI_CONFIG_FILE"] = str(local)
    return env


def terraform(env: dict, workdir: Path, *args: str, check: bool = True, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run terraform in workdir; fail the test with its output when it fails (or hangs past the timeout)."""
    try:
        result = subprocess.run(["terraform", f"-chdir={workdir}", *args], env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"terraform {' '.join(args)} did not finish in {timeout}s:\n{exc.stdout}\n{exc.stderr}")
    if check and result.returncode != 0:
        pytest.fail(f"terraform {' '.join(args)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result


def module_env(moto_url: str, data_dir: Path) -> dict:
    """AWS and Terraform settings for one module-scoped apply against moto."""
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "TF_DATA_DIR": str(data_dir),
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
        "CHECKPOINT_DISABLE": "1",
    }
    for name in ("AWS_CA_BUNDLE", "AWS_PROFILE", "PLATFORM_AWS_ENDPOINT_URL"):
        env.pop(name, None)
    return tf_env(env)


def copy_fixture(fixture: Path, dest: Path) -> Path:
    """Copy a fixture root and point its relative module sources at this checkout, through a link to
    terraform/modules next to it (a relative path, so the modules' own ../<module> sources resolve too)."""
    shutil.copytree(fixture, dest)
    (dest / "modules").symlink_to(ROOT / "terraform" / "modules", target_is_directory=True)
    main = dest / "main.tf"
    main.write_text(main.read_text().replace("../../../../terraform/modules/", "./modules/"))
    return dest


def aws_client(service: str, env: dict, account_id: str | None = None):
    """A boto3 client on the emulator with the run's credentials or, given account_id, in that member
    account through OrganizationAccountAccessRole (as the security stack's aliases and the account_baseline stack's provider reach it)."""
    credentials = {"aws_access_key_id": env["AWS_ACCESS_KEY_ID"], "aws_secret_access_key": env["AWS_SECRET_ACCESS_KEY"]}
    if account_id is not None:
        role = f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole"
        assumed = aws_client("sts", env).assume_role(RoleArn=role, RoleSessionName="pytest")["Credentials"]
        credentials = {
            "aws_access_key_id": assumed["AccessKeyId"],
            "aws_secret_access_key": assumed["SecretAccessKey"],
            "aws_session_token": assumed["SessionToken"],
        }
    return boto3.client(service, endpoint_url=env["AWS_ENDPOINT_URL"], region_name=REGION, **credentials)


def copy_stack(stack: Path, dest: Path) -> Path:
    """Copy a stack's own .tf files to dest/stacks/<stack> with a local backend (override file), next to a
    link to terraform/modules, so the stack's relative module sources (and theirs) resolve as in the tree."""
    dest.mkdir(parents=True)
    (dest / "modules").symlink_to(ROOT / "terraform" / "modules", target_is_directory=True)
    workdir = dest / "stacks" / stack.name
    workdir.mkdir(parents=True)
    for tf in stack.glob("*.tf"):
        shutil.copy(tf, workdir / tf.name)
    (workdir / "backend_override.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    return workdir
