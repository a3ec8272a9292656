"""Today's bootstrap and platform stacks planned against states the previous module layout wrote.

modules/state_backend now composes modules/bucket and modules/kms_key, and modules/network and modules/eks
compose modules/kms_key, behind `moved` blocks. The states in fixtures/legacy_state (see its README) were
written by the code before that change; a plan of today's code on them (-refresh=false: the state is the
truth, moto only answers the data sources) must move every object to its new address and create, destroy
or replace nothing. The in-place updates it may propose are listed here, each with its reason; it may create the objects the stack
gained after the recording.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from tf_helpers import ROOT, aws_client, copy_stack, inventory_stack_vars, module_env, terraform

LEGACY = Path(__file__).parent / "fixtures" / "legacy_state"

pytestmark = pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")

# What the composed modules render differently from the blocks they replace; none of it touches data.
EXPECTED_UPDATES = {
    "bootstrap": {
        # One lifecycle rule (modules/bucket's "retention") with the same expirations instead of two rules.
        "module.state_backend.module.bucket.aws_s3_bucket_lifecycle_configuration.this",
    },
    "platform": {
        # Key policy statement ids are modules/kms_key's (AccountRootFullAccess, CloudWatchLogsOfTheseGroups).
        "module.network.module.flow_log_key.aws_kms_key.this",
        "module.eks.module.cluster_key.aws_kms_key.this",
    },
}


def stack_values(stack: str) -> dict:
    """The variables test_bootstrap_moto.py and test_platform_moto.py apply the stacks with."""
    if stack == "bootstrap":
        values = inventory_stack_vars("local", "bootstrap", "platform_bootstrap_", set())
        values["state_bucket_name"] = "chatbot-local-tfstate"
    else:
        main = {"kubernetes_version": "platform_eks_version"}
        values = inventory_stack_vars("local", "platform", "platform_stack_", {"platform_stack_enabled"}, from_main=main)
    return {**values, "s3_use_path_style": True}


def legacy_state(stack: str, env: dict) -> str:
    text = gzip.decompress((LEGACY / f"{stack}.tfstate.gz").read_bytes()).decode()
    # modules/eks reads its VPC (data "aws_vpc"): give it one with the recorded CIDR under the recorded id.
    for resource in json.loads(text)["resources"]:
        if resource["type"] == "aws_vpc" and resource["mode"] == "managed":
            recorded = resource["instances"][0]["attributes"]
            vpc = aws_client("ec2", env).create_vpc(CidrBlock=recorded["cidr_block"])["Vpc"]
            text = text.replace(recorded["id"], vpc["VpcId"])
    return text


@pytest.mark.parametrize("stack", ["bootstrap", "platform"])
def test_legacy_state_plans_without_replacement(stack, moto_url, tmp_path):
    env = module_env(moto_url, tmp_path / "tfdata")
    workdir = copy_stack(ROOT / "terraform" / "stacks" / stack, tmp_path / "root")
    (workdir / "local.auto.tfvars.json").write_text(json.dumps(stack_values(stack)))
    (workdir / "terraform.tfstate").write_text(legacy_state(stack, env))
    terraform(env, workdir, "init", "-input=false", "-no-color")
    terraform(env, workdir, "plan", "-refresh=false", "-input=false", "-no-color", "-out=legacy.tfplan", timeout=300)
    plan = json.loads(terraform(env, workdir, "show", "-json", "legacy.tfplan").stdout)

    changes = [c for c in plan.get("resource_changes", []) if c["mode"] == "managed"]
    # Nothing recorded is destroyed or replaced. Creates are objects added to the stack since the recording (a
    # `moved` block that missed would show as a delete of the old address as well).
    churn = {c["address"]: c["change"]["actions"] for c in changes if "delete" in c["change"]["actions"]}
    assert not churn, f"{stack}: objects the plan would destroy or replace: {churn}"
    moved = {c["previous_address"]: c["address"] for c in changes if "previous_address" in c}
    assert moved, f"{stack}: the moved blocks carried nothing over"
    updates = {c["address"] for c in changes if c["change"]["actions"] == ["update"]}
    assert updates == EXPECTED_UPDATES[stack], f"{stack}: unexpected in-place updates {sorted(updates ^ EXPECTED_UPDATES[stack])}"
