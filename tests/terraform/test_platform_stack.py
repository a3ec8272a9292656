"""Plan terraform/stacks/platform (mocked provider) with the dev, staging and prod inventory values.

The stack variables are rendered from inventories/<env>/group_vars/all/platform.yml the way the platform
step passes them (platform_stack_<x> -> variable <x>, platform_eks_version -> kubernetes_version), then
`terraform test -filter=tests/environment.tftest.hcl -var-file` runs the stack's environment plan against
each set (the stack's other test file covers switches and data services with fixed values, once, in the
terraform stage).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from tf_helpers import ROOT, inventory_stack_vars, tf_env

STACK = ROOT / "terraform" / "stacks" / "platform"
PREFIX = "platform_stack_"
NOT_STACK_VARS = {"platform_stack_enabled"}

pytestmark = pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")


def stack_vars(env: str) -> dict:
    return inventory_stack_vars(env, "platform", PREFIX, NOT_STACK_VARS, from_main={"kubernetes_version": "platform_eks_version"})


@pytest.fixture(scope="module")
def initialised_stack(tmp_path_factory):
    env_dir = tmp_path_factory.mktemp("platform-stack")
    env = tf_env({"TF_DATA_DIR": str(env_dir / "tfdata"), "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1", "PATH": os.environ["PATH"]})
    result = subprocess.run(
        ["terraform", f"-chdir={STACK}", "init", "-backend=false", "-input=false", "-no-color"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return env, env_dir


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_stack_plans_with_inventory_values(initialised_stack, environment):
    env, env_dir = initialised_stack
    var_file = env_dir / f"{environment}.tfvars.json"
    var_file.write_text(json.dumps(stack_vars(environment)))
    result = subprocess.run(
        ["terraform", f"-chdir={STACK}", "test", "-filter=tests/environment.tftest.hcl", f"-var-file={var_file}", "-no-color"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "1 passed, 0 failed" in result.stdout


def test_environments_are_sized_differently():
    dev, staging, prod = (stack_vars(e) for e in ("dev", "staging", "prod"))
    assert dev["nat_gateway_mode"] == "single"
    assert staging["nat_gateway_mode"] == prod["nat_gateway_mode"] == "per_az"
    assert dev["node_groups"]["general"]["capacity_type"] == "SPOT"
    assert prod["node_groups"]["general"]["capacity_type"] == "ON_DEMAND"
    assert prod["node_groups"]["general"]["min_size"] >= 3, "prod keeps a general node in every zone"
    assert prod["node_groups"]["ml"]["min_size"] >= 2, "prod keeps two ML nodes for the backend replicas"
    assert dev["node_groups"]["general"]["max_size"] < prod["node_groups"]["general"]["max_size"]
    assert len({dev["vpc_cidr"], staging["vpc_cidr"], prod["vpc_cidr"]}) == 3, "environment VPCs must not overlap"
    for values in (dev, staging, prod):
        assert values["node_groups"]["ml"]["taints"] == [{"key": "workload", "value": "ml", "effect": "NO_SCHEDULE"}]
        assert values["endpoint_public_access_cidrs"] == [] or "0.0.0.0/0" not in values["endpoint_public_access_cidrs"]
    assert dev["redis"]["num_cache_clusters"] == 1, "dev runs one cache node (no failover)"
    assert prod["redis"]["num_cache_clusters"] >= 2, "prod needs a replica for Multi-AZ failover"
    assert "mongodb" in dev["app_secrets"]["secrets"], "dev's in-cluster MongoDB credentials live in Secrets Manager"
    assert prod["efs"]["backup"] is True, "the production model store is backed up"
    assert not any(v["documentdb"]["enabled"] for v in (dev, staging, prod)), "Atlas is the database; DocumentDB is opt-in"
    for values in (staging, prod):
        assert "mongodb" not in values["app_secrets"]["secrets"], "the Atlas step owns <name>/<env>/mongodb there"


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_the_ansible_controller_can_reach_the_api(environment):
    """Steps 6-9 talk to the API from AWX or CI: either the public endpoint admits the controller's egress
    CIDRs or the private endpoint admits its network (docs/infrastructure.md, API endpoint access)."""
    values = stack_vars(environment)
    public = values["endpoint_public_access_cidrs"]
    private = values.get("endpoint_private_access_cidrs", []) + values.get("endpoint_private_access_security_group_ids", [])
    assert public or private, f"{environment}: nothing can reach the private-only API endpoint"
    assert all(not cidr.endswith("/0") for cidr in public + values.get("endpoint_private_access_cidrs", []))


@pytest.mark.parametrize("environment", ["local", "dev", "staging", "prod"])
def test_addon_builds_are_pinned_for_the_cluster_version(environment):
    values = stack_vars(environment)
    versions = values["addon_versions"]
    assert set(versions) == {"coredns", "kube-proxy", "vpc-cni", "aws-ebs-csi-driver", "aws-efs-csi-driver"}
    assert versions["kube-proxy"].startswith(f"v{values['kubernetes_version']}."), "kube-proxy is built per Kubernetes minor"
    assert versions["coredns"] is not None
