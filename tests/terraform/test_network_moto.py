"""Apply terraform/modules/network against moto server, check what it built with boto3, re-plan for drift."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from iam_lint import assert_policies_pass
from tf_helpers import aws_client, copy_fixture, module_env, terraform

FIXTURE = Path(__file__).parent / "fixtures" / "network"

pytestmark = pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")


@pytest.fixture(scope="module")
def aws_env(moto_url, tmp_path_factory):
    """Like the shared aws_env, but one per module: the network is applied once and inspected by several tests."""
    return module_env(moto_url, tmp_path_factory.mktemp("tfdata"))


@pytest.fixture(scope="module")
def applied_network(aws_env, tmp_path_factory):
    env = aws_env
    workdir = copy_fixture(FIXTURE, tmp_path_factory.mktemp("network") / "root")
    terraform(env, workdir, "init", "-input=false", "-no-color")
    terraform(env, workdir, "apply", "-auto-approve", "-input=false", "-no-color")
    outputs = json.loads(terraform(env, workdir, "output", "-json", "-no-color").stdout)["network"]["value"]
    yield env, workdir, outputs, aws_client("ec2", aws_env)


def _tags(resource: dict) -> dict:
    return {t["Key"]: t["Value"] for t in resource.get("Tags", [])}


def test_network_resources_exist_with_expected_shape(applied_network, aws_env):
    _env, _workdir, outputs, ec2 = applied_network

    vpc = ec2.describe_vpcs(VpcIds=[outputs["vpc_id"]])["Vpcs"][0]
    assert vpc["CidrBlock"] == "10.40.0.0/16"
    assert _tags(vpc)["Name"] == "chatbot-test-vpc"
    assert _tags(vpc)["platform:stack"] == "network-test"

    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [outputs["vpc_id"]]}])["Subnets"]
    by_tier: dict[str, list] = {}
    for subnet in subnets:
        by_tier.setdefault(_tags(subnet).get("Tier"), []).append(subnet)
    assert {tier: len(items) for tier, items in by_tier.items()} == {"public": 3, "private": 3, "intra": 3}
    for tier in ("public", "private", "intra"):
        assert {s["AvailabilityZone"] for s in by_tier[tier]} == {"eu-west-1a", "eu-west-1b", "eu-west-1c"}
    assert all(_tags(s)["kubernetes.io/role/elb"] == "1" for s in by_tier["public"])
    assert all(_tags(s)["kubernetes.io/role/internal-elb"] == "1" for s in by_tier["private"])
    assert all(_tags(s)["k8s.io/cluster-autoscaler/chatbot-test-eks"] == "owned" for s in by_tier["private"])
    assert not any(s["MapPublicIpOnLaunch"] for s in by_tier["public"])

    nats = ec2.describe_nat_gateways(Filters=[{"Name": "vpc-id", "Values": [outputs["vpc_id"]]}])["NatGateways"]
    live = [n for n in nats if n["State"] != "deleted"]
    assert len(live) == 1, "single mode must create exactly one NAT gateway"
    assert live[0]["SubnetId"] in {s["SubnetId"] for s in by_tier["public"]}

    # Every private route table sends 0.0.0.0/0 through that NAT gateway; the intra table has no default route.
    tables = ec2.describe_route_tables(RouteTableIds=outputs["private_route_table_ids"])["RouteTables"]
    assert len(tables) == 3
    for table in tables:
        defaults = [r for r in table["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0"]
        assert [r.get("NatGatewayId") for r in defaults] == [live[0]["NatGatewayId"]]
    intra_tables = ec2.describe_route_tables(Filters=[{"Name": "association.subnet-id", "Values": outputs["intra_subnet_ids"]}])["RouteTables"]
    assert intra_tables and all(r.get("DestinationCidrBlock") != "0.0.0.0/0" for t in intra_tables for r in t["Routes"])

    endpoints = ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [outputs["vpc_id"]]}])["VpcEndpoints"]
    services = {e["ServiceName"]: e["VpcEndpointType"] for e in endpoints}
    assert services == {
        "com.amazonaws.eu-west-1.s3": "Gateway",
        "com.amazonaws.eu-west-1.sts": "Interface",
        "com.amazonaws.eu-west-1.logs": "Interface",
    }

    flow_logs = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [outputs["vpc_id"]]}])["FlowLogs"]
    assert len(flow_logs) == 1
    assert flow_logs[0]["TrafficType"] == "ALL"
    assert flow_logs[0]["LogDestinationType"] == "cloud-watch-logs"
    assert flow_logs[0].get("LogGroupName") == outputs["flow_log_group_name"] or flow_logs[0]["LogDestination"].endswith(
        f"log-group:{outputs['flow_log_group_name']}"
    )

    logs = aws_client("logs", aws_env)
    group = logs.describe_log_groups(logGroupNamePrefix=outputs["flow_log_group_name"])["logGroups"][0]
    assert group["retentionInDays"] == 365
    assert group["kmsKeyId"].startswith("arn:aws:kms:eu-west-1:")


def test_second_plan_shows_no_changes(applied_network):
    env, workdir, _outputs, _ec2 = applied_network
    result = terraform(env, workdir, "plan", "-detailed-exitcode", "-input=false", "-no-color", check=False)
    assert result.returncode == 0, f"second plan is not empty (exit {result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"


def test_every_rendered_policy_passes_the_iam_linter(applied_network):
    env, workdir, _outputs, _ec2 = applied_network
    state = json.loads(terraform(env, workdir, "show", "-json", "-no-color").stdout)
    assert assert_policies_pass([state], "network") > 0


def test_switching_to_nat_per_az_adds_two_gateways(applied_network):
    env, workdir, _outputs, _ec2 = applied_network
    terraform(env, workdir, "plan", "-input=false", "-no-color", "-var", "nat_gateway_mode=per_az", "-out=per_az.plan")
    shown = json.loads(terraform(env, workdir, "show", "-json", "per_az.plan").stdout)
    created = [c["address"] for c in shown["resource_changes"] if c["change"]["actions"] == ["create"]]
    assert sorted(a for a in created if ".aws_nat_gateway." in a) == [
        'module.network.aws_nat_gateway.this["eu-west-1b"]',
        'module.network.aws_nat_gateway.this["eu-west-1c"]',
    ]
