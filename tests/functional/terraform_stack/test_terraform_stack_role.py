"""roles/terraform_stack against moto: apply only on change, idempotence, check mode, outputs, and
the guards against destroying anything without terraform_stack_allow_destroy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import boto3
import pytest
from module_runner import playbook_failures

ROOT = Path(__file__).resolve().parents[3]

# A small stack that follows the stack contract (docs/terraform.md) with its S3 backend, and one resource
# whose identity changes with an input, so a new value forces a replacement (a destroy). The resource is
# Terraform's built-in terraform_data: the role's behaviour (plan, guards, apply, state, outputs) is the
# same as with any provider, and no Terraform command has to start the AWS provider, whose schema alone
# costs about 9 s per command here. The stacks' own resources are applied to moto in tests/terraform.
STACK = {
    "versions.tf": """
        terraform {
          required_version = ">= 1.10"
          backend "s3" {}
        }
    """,
    "variables.tf": """
        variable "name" { type = string }
        variable "environment" { type = string }
        variable "region" { type = string }
        variable "tags" { type = map(string) }
        variable "s3_use_path_style" { type = bool }
        variable "purpose" { type = string }
    """,
    "main.tf": """
        resource "terraform_data" "probe" {
          input            = "/${var.name}/${var.environment}/${var.purpose}"
          triggers_replace = var.purpose
        }
        output "parameter_name" { value = terraform_data.probe.output }
    """,
}

PLAYBOOK = """
- name: Run the probe stack
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Run the stack
      ansible.builtin.include_role:
        name: chatbot.platform.terraform_stack
      vars:
        terraform_stack_name: probe
        terraform_stack_source_dir: "{{ probe_dir }}"
        terraform_stack_vars:
          purpose: "{{ purpose }}"
    - name: Report the outputs
      ansible.builtin.debug:
        var: platform_outputs
"""


@pytest.fixture
def probe(tmp_path, aws_env):
    stack_dir = tmp_path / "stack"
    stack_dir.mkdir()
    for name, body in STACK.items():
        (stack_dir / name).write_text(textwrap.dedent(body))
    (tmp_path / "play.yml").write_text(PLAYBOOK)
    bucket = f"probe-{uuid.uuid4().hex[:12]}"
    clients = {
        name: boto3.client(
            name,
            endpoint_url=aws_env["AWS_ENDPOINT_URL"],
            region_name="eu-west-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        for name in ("s3", "kms")
    }
    clients["s3"].create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    # As terraform/modules/state_backend makes it: a state key with the alias alias/<bucket>, the bucket's default.
    key_arn = clients["kms"].create_key(Description="state")["KeyMetadata"]["Arn"]
    clients["kms"].create_alias(AliasName=f"alias/{bucket}", TargetKeyId=key_arn)
    default = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}
    clients["s3"].put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": default}]})
    env = {k: v for k, v in aws_env.items() if k not in ("AWS_ENDPOINT_URL", "TF_DATA_DIR")}
    env.update(
        ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
        ANSIBLE_COLLECTIONS_PATH=str(ROOT / "build" / "collections"),
        ANSIBLE_STDOUT_CALLBACK="ansible.posix.json",
        ANSIBLE_LOAD_CALLBACK_PLUGINS="1",
    )
    base_vars = {
        "ansible_python_interpreter": sys.executable,
        "probe_dir": str(stack_dir),
        "platform_name": "chatbot",
        "platform_env": "dev",
        "platform_region": "eu-west-1",
        "platform_tags": {"Project": "chatbot", "cost-center": "platform"},
        "platform_work_dir": str(tmp_path / "work"),
        "platform_state_bucket": bucket,
        "platform_aws_endpoint_url": aws_env["AWS_ENDPOINT_URL"],
    }

    def run(purpose, *extra_args, **extra_vars):
        variables = {**base_vars, "purpose": purpose, **extra_vars}
        cmd = [str(Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "ansible-playbook"), "-i", "localhost,", "-c", "local"]
        cmd += ["-e", json.dumps(variables), *extra_args, str(tmp_path / "play.yml")]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False, cwd=tmp_path)
        try:
            report = json.loads(proc.stdout)
        except json.JSONDecodeError:
            pytest.fail(f"ansible-playbook did not print JSON:\n{proc.stdout}\n{proc.stderr}")
        return proc.returncode, report

    def parameters():
        """The probe resources recorded in the stack's state in the bucket (what Terraform manages)."""
        try:
            body = clients["s3"].get_object(Bucket=bucket, Key="chatbot/dev/probe.tfstate")["Body"].read()
        except clients["s3"].exceptions.NoSuchKey:
            return []
        state = json.loads(body)
        return sorted(i["attributes"]["input"]["value"] for r in state["resources"] if r["type"] == "terraform_data" for i in r["instances"])

    return {
        "run": run,
        "parameters": parameters,
        "bucket": bucket,
        "s3": clients["s3"],
        "key_arn": key_arn,
        "kms": clients["kms"],
        "play": tmp_path / "play.yml",
    }


def changed(report):
    return report["stats"]["localhost"]["changed"]


def outputs(report):
    for play in report["plays"]:
        for task in play["tasks"]:
            result = task["hosts"].get("localhost", {})
            if "platform_outputs" in result:
                return result["platform_outputs"]
    return None


# Every ansible-playbook run below costs several Terraform commands (init, validate twice, plan, show,
# apply): the behaviours of one stack's life are checked in one test, step by step, on one state (about
# half the runs that separate tests would need). Each assertion names its step.


def test_life_of_a_stack_apply_outputs_check_mode_replace_and_destroy(probe):
    # Check mode plans and reports the change without applying it.
    rc, report = probe["run"]("jobs", "--check")
    assert rc == 0, playbook_failures(report)
    assert changed(report) >= 1, "a plan with changes must be reported as changed in check mode"
    assert probe["parameters"]() == [], "check mode applied something"

    # Apply once, then nothing changes; the outputs are published both times.
    rc, report = probe["run"]("jobs")
    assert rc == 0, playbook_failures(report)
    assert changed(report) >= 1
    assert probe["parameters"]() == ["/chatbot/dev/jobs"]
    assert outputs(report) == {"probe": {"parameter_name": "/chatbot/dev/jobs"}}
    state = probe["s3"].list_objects_v2(Bucket=probe["bucket"])["Contents"]
    assert [o["Key"] for o in state] == ["chatbot/dev/probe.tfstate"]
    rc, report = probe["run"]("jobs")
    assert rc == 0, playbook_failures(report)
    assert changed(report) == 0, "second run"
    assert outputs(report) == {"probe": {"parameter_name": "/chatbot/dev/jobs"}}, "second run"

    # The state is written with the state key: the S3 backend sends SSE-S3 (AES256) on every PUT unless
    # kms_key_id is set, overriding the bucket's KMS default; moto records what the request asked for, as S3 does.
    head = probe["s3"].head_object(Bucket=probe["bucket"], Key="chatbot/dev/probe.tfstate")
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"] == probe["key_arn"]

    # Outputs mode (a step run on its own, one AWX job per step): reads what the apply left and changes
    # nothing, even when the inputs would now plan a replacement.
    rc, report = probe["run"]("other", terraform_stack_state="outputs")
    assert rc == 0, playbook_failures(report)
    assert changed(report) == 0, "outputs mode"
    assert outputs(report) == {"probe": {"parameter_name": "/chatbot/dev/jobs"}}, "outputs mode"

    # A plan that replaces (destroys) a resource needs the flag.
    rc, report = probe["run"]("second")
    assert rc != 0
    assert any("destroy" in msg for msg in playbook_failures(report))
    assert probe["parameters"]() == ["/chatbot/dev/jobs"], "a refused plan changed something"
    rc, report = probe["run"]("second", terraform_stack_allow_destroy=True)
    assert rc == 0, playbook_failures(report)
    assert probe["parameters"]() == ["/chatbot/dev/second"]

    # Destroying the stack needs the flag too.
    rc, report = probe["run"]("second", terraform_stack_state="absent")
    assert rc != 0
    assert any("terraform_stack_allow_destroy=true" in msg for msg in playbook_failures(report))
    assert probe["parameters"]() == ["/chatbot/dev/second"], "a refused destroy removed something"
    rc, report = probe["run"]("second", terraform_stack_state="absent", terraform_stack_allow_destroy=True)
    assert rc == 0, playbook_failures(report)
    assert probe["parameters"]() == []


def test_a_missing_state_key_stops_the_run_before_terraform(probe):
    probe["kms"].delete_alias(AliasName=f"alias/{probe['bucket']}")
    rc, report = probe["run"]("unkeyed")
    assert rc != 0
    assert any("Run the bootstrap step first" in msg for msg in playbook_failures(report))
    assert probe["s3"].list_objects_v2(Bucket=probe["bucket"]).get("KeyCount") == 0, "nothing may be written without the key"


# The loop of playbooks/accounts.yml (one stack, one apply per account), on the probe stack.
INSTANCES_PLAYBOOK = """
- name: Run the probe stack once per instance
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Run the stack
      ansible.builtin.include_role:
        name: chatbot.platform.terraform_stack
      vars:
        terraform_stack_name: probe
        terraform_stack_instance: "{{ item }}"
        terraform_stack_source_dir: "{{ probe_dir }}"
        terraform_stack_vars:
          purpose: "{{ purpose }}-{{ item }}"
      loop: [alpha, beta]
    - name: Report the outputs
      ansible.builtin.debug:
        var: platform_outputs
"""


def test_instances_of_one_stack_keep_their_own_state_and_outputs(probe):
    probe["play"].write_text(INSTANCES_PLAYBOOK)
    rc, report = probe["run"]("jobs")
    assert rc == 0, playbook_failures(report)
    assert outputs(report) == {"probe": {"alpha": {"parameter_name": "/chatbot/dev/jobs-alpha"}, "beta": {"parameter_name": "/chatbot/dev/jobs-beta"}}}
    keys = sorted(o["Key"] for o in probe["s3"].list_objects_v2(Bucket=probe["bucket"])["Contents"])
    assert keys == ["chatbot/dev/probe-alpha.tfstate", "chatbot/dev/probe-beta.tfstate"]
    rc, report = probe["run"]("jobs")
    assert rc == 0, playbook_failures(report)
    assert changed(report) == 0, "second run of both instances"
