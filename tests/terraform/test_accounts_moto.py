"""Apply terraform/stacks/organization with the local inventory's values against moto server.

The stack runs as the accounts step would (platform_organization_<x> -> variable <x>), with a local
backend instead of S3. boto3 then checks the organisation, OUs, accounts, SCP attachments, permission
sets and assignments, and a second plan must be empty. moto's gaps (inventories/local
organization.yml) are the only differences from the management inventory.
"""

from __future__ import annotations

import json
import shutil

import pytest
from tf_helpers import ROOT, aws_client, copy_stack, inventory_stack_vars, module_env, terraform

STACK = ROOT / "terraform" / "stacks" / "organization"
PREFIX = "platform_organization_"
NOT_STACK_VARS = {"platform_organization_enabled", "platform_organization_limitations"}

pytestmark = pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")


def local_vars() -> dict:
    return {**inventory_stack_vars("local", "organization", PREFIX, NOT_STACK_VARS), "s3_use_path_style": True}


@pytest.fixture(scope="module")
def applied(moto_url, tmp_path_factory):
    env = module_env(moto_url, tmp_path_factory.mktemp("tfdata"))
    workdir = copy_stack(STACK, tmp_path_factory.mktemp("organization") / "root")
    values = local_vars()
    (workdir / "local.auto.tfvars.json").write_text(json.dumps(values))
    terraform(env, workdir, "init", "-input=false", "-no-color")
    terraform(env, workdir, "apply", "-auto-approve", "-input=false", "-no-color", timeout=300)
    outputs = {k: v["value"] for k, v in json.loads(terraform(env, workdir, "output", "-json", "-no-color").stdout).items()}
    return env, workdir, values, outputs


def _ou_path(org, ou_id: str) -> str:
    names = []
    while not ou_id.startswith("r-"):
        names.append(org.describe_organizational_unit(OrganizationalUnitId=ou_id)["OrganizationalUnit"]["Name"])
        ou_id = org.list_parents(ChildId=ou_id)["Parents"][0]["Id"]
    return "/".join(reversed(names))


def test_accounts_sit_in_their_organizational_units(applied):
    env, _workdir, values, outputs = applied
    org = aws_client("organizations", env)
    assert org.describe_organization()["Organization"]["FeatureSet"] == "ALL"

    expected_paths = {
        "security": "Security",
        "infrastructure": "Infrastructure",
        "sandbox": "Sandbox",
        "nonprod": "Workloads/NonProd",
        "prod": "Workloads/Prod",
    }
    assert set(outputs["account_ids"]) == set(values["accounts"])
    for key, account in values["accounts"].items():
        account_id = outputs["account_ids"][key]
        described = org.describe_account(AccountId=account_id)["Account"]
        assert (described["Name"], described["Email"]) == (account["name"], account["email"])
        parent = org.list_parents(ChildId=account_id)["Parents"][0]["Id"]
        assert _ou_path(org, parent) == expected_paths[account["ou"]], key

    suspended = outputs["ou_ids"]["suspended"]
    assert _ou_path(org, suspended) == "Suspended"


def test_service_control_policies_are_attached_where_the_stack_says(applied):
    env, _workdir, _values, outputs = applied
    org = aws_client("organizations", env)
    root = outputs["root_id"]

    def attached(target: str) -> set[str]:
        return {p["Name"] for p in org.list_policies_for_target(TargetId=target, Filter="SERVICE_CONTROL_POLICY")["Policies"]}

    at_root = attached(root)
    for policy in ("deny-leave-organization", "protect-security-services", "region-restriction", "deny-root-user", "protect-platform"):
        assert any(name.endswith(policy) for name in at_root), (policy, at_root)
    assert any(n.endswith("deny-all") for n in attached(outputs["ou_ids"]["suspended"]))
    assert any(n.endswith("sandbox-cost") for n in attached(outputs["ou_ids"]["sandbox"]))
    for ou in ("workloads", "infrastructure"):
        assert any(n.endswith("deny-iam-users") for n in attached(outputs["ou_ids"][ou])), ou
    assert not any(n.endswith("sandbox-cost") for n in attached(outputs["ou_ids"]["workloads"])), "cost limits are sandbox-only"


def test_scp_content_denies_what_it_claims(applied):
    env, _workdir, values, _outputs = applied
    org = aws_client("organizations", env)
    policies = {p["Name"]: p["Id"] for p in org.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]}

    def document(suffix: str) -> dict:
        name = next(n for n in policies if n.endswith(suffix))
        content = org.describe_policy(PolicyId=policies[name])["Policy"]["Content"]
        assert len(content.encode()) <= 5120, f"{name} is over the SCP size limit"
        return json.loads(content)

    leave = document("deny-leave-organization")
    assert any(s["Effect"] == "Deny" and "organizations:LeaveOrganization" in s["Action"] for s in leave["Statement"])

    regions = document("region-restriction")
    deny = next(s for s in regions["Statement"] if s["Effect"] == "Deny")
    assert sorted(deny["Condition"]["StringNotEquals"]["aws:RequestedRegion"]) == sorted(values["approved_regions"])
    assert "iam:*" in deny["NotAction"], "global services stay usable"

    security = json.dumps(document("protect-security-services"))
    protected = (
        "cloudtrail:StopLogging",
        "guardduty:DeleteDetector",
        "config:StopConfigurationRecorder",
        "securityhub:DisableSecurityHub",
        "access-analyzer:DeleteAnalyzer",
    )
    for action in protected:
        assert action in security, action


def test_permission_sets_and_assignments_exist(applied):
    env, _workdir, _values, outputs = applied
    sso = aws_client("sso-admin", env)
    instance = sso.list_instances()["Instances"][0]["InstanceArn"]

    names = {}
    for arn in sso.list_permission_sets(InstanceArn=instance)["PermissionSets"]:
        described = sso.describe_permission_set(InstanceArn=instance, PermissionSetArn=arn)["PermissionSet"]
        names[described["Name"]] = described
    assert set(names) == {"PlatformAdmin", "Developer", "DeveloperReadOnly", "ReadOnly", "SecurityAudit", "BillingViewer", "BreakGlass"}
    assert names["BreakGlass"]["SessionDuration"] == "PT1H", "break-glass sessions are short"

    def arn(name: str) -> str:
        return names[name]["PermissionSetArn"]

    breakglass_inline = json.loads(sso.get_inline_policy_for_permission_set(InstanceArn=instance, PermissionSetArn=arn("BreakGlass"))["InlinePolicy"])
    assert breakglass_inline["Statement"][0]["Condition"] == {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}

    readonly_managed = sso.list_managed_policies_in_permission_set(InstanceArn=instance, PermissionSetArn=arn("DeveloperReadOnly"))["AttachedManagedPolicies"]
    assert {p["Name"] for p in readonly_managed} == {"ReadOnlyAccess"}

    prod = outputs["account_ids"]["prod"]
    assignments = sso.list_account_assignments(InstanceArn=instance, AccountId=prod, PermissionSetArn=arn("DeveloperReadOnly"))["AccountAssignments"]
    assert [a["PrincipalType"] for a in assignments] == ["GROUP"]
    developer_in_prod = sso.list_account_assignments(InstanceArn=instance, AccountId=prod, PermissionSetArn=arn("Developer"))["AccountAssignments"]
    assert developer_in_prod == [], "developers get no write access in prod"


def test_second_plan_is_empty(applied):
    env, workdir, _values, _outputs = applied
    result = terraform(env, workdir, "plan", "-detailed-exitcode", "-input=false", "-no-color", check=False)
    assert result.returncode == 0, f"second plan is not empty (exit {result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"
