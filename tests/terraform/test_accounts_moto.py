"""Apply the accounts step's stacks with the local inventory's values against moto server.

terraform/stacks/organization, then terraform/stacks/security with its outputs, then
terraform/stacks/account_baseline once per account (one state each), as playbooks/accounts.yml runs
them (platform_organization_<x>, platform_security_<x>, platform_account_baseline_<x> -> variable <x>),
with a local backend instead of S3. boto3 then checks the organisation, OUs, accounts, SCP
attachments, permission sets and assignments, the central logging and every account's baseline, and
second plans must be empty. moto's gaps (inventories/local organization.yml) are the only differences
from the management inventory.
"""

from __future__ import annotations

import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest
from iam_lint import assert_policies_pass
from tf_helpers import ROOT, aws_client, copy_stack, inventory_stack_vars, module_env, terraform

STACK = ROOT / "terraform" / "stacks" / "organization"
PREFIX = "platform_organization_"
NOT_STACK_VARS = {"platform_organization_enabled", "platform_organization_limitations"}

pytestmark = pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")


def local_vars() -> dict:
    return {**inventory_stack_vars("local", "organization", PREFIX, NOT_STACK_VARS), "s3_use_path_style": True}


@pytest.fixture(scope="module")
def applied(moto_url_with_aws_managed_policies, tmp_path_factory):
    # The security stack, applied on the same server below, attaches an AWS managed policy.
    env = module_env(moto_url_with_aws_managed_policies, tmp_path_factory.mktemp("tfdata"))
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


# ---- terraform/stacks/security, applied after the organisation with its outputs (as accounts.yml does) ----

SECURITY_STACK = ROOT / "terraform" / "stacks" / "security"
SECURITY_PREFIX = "platform_security_"


@pytest.fixture(scope="module")
def security_applied(applied, tmp_path_factory):
    env, _org_workdir, org_values, org_outputs = applied
    env = {**env, "TF_DATA_DIR": str(tmp_path_factory.mktemp("tfdata-security"))}
    workdir = copy_stack(SECURITY_STACK, tmp_path_factory.mktemp("security") / "root")
    values = {
        **inventory_stack_vars("local", "organization", SECURITY_PREFIX, {"platform_security_enabled"}),
        "s3_use_path_style": True,
        # what playbooks/accounts.yml passes from the organization stack
        "organization_id": org_outputs["organization_id"],
        "organization_root_id": org_outputs["root_id"],
        "account_ids": {**org_outputs["account_ids"], "management": org_outputs["management_account_id"]},
        "approved_regions": org_values["approved_regions"],
    }
    (workdir / "local.auto.tfvars.json").write_text(json.dumps(values))
    terraform(env, workdir, "init", "-input=false", "-no-color")
    terraform(env, workdir, "apply", "-auto-approve", "-input=false", "-no-color", timeout=420)
    outputs = {k: v["value"] for k, v in json.loads(terraform(env, workdir, "output", "-json", "-no-color").stdout).items()}
    return env, workdir, values, outputs


def test_organization_trail_writes_into_the_log_archive(security_applied):
    env, _workdir, values, outputs = security_applied
    trail = aws_client("cloudtrail", env).describe_trails(trailNameList=[outputs["trail_arn"]])["trailList"][0]
    assert trail["IsOrganizationTrail"] and trail["IsMultiRegionTrail"] and trail["LogFileValidationEnabled"]
    assert trail["IncludeGlobalServiceEvents"]
    assert trail["S3BucketName"] == values["cloudtrail_bucket_name"]
    log_archive = values["account_ids"]["log_archive"]
    assert trail["KmsKeyId"] == outputs["log_key_arn"] and f":{log_archive}:" in trail["KmsKeyId"], "encrypted with the log archive key"
    assert aws_client("cloudtrail", env).get_trail_status(Name=outputs["trail_arn"])["IsLogging"]


def test_log_archive_buckets_are_locked_and_admit_only_their_service(security_applied):
    env, _workdir, values, outputs = security_applied
    s3 = aws_client("s3", env, values["account_ids"]["log_archive"])
    trail_bucket, config_bucket = values["cloudtrail_bucket_name"], values["config_bucket_name"]

    lock = s3.get_object_lock_configuration(Bucket=trail_bucket)["ObjectLockConfiguration"]
    retention = lock["Rule"]["DefaultRetention"]
    assert (retention["Mode"], retention["Days"]) == (values["log_object_lock"]["mode"], values["log_object_lock"]["days"])
    rule = s3.get_bucket_lifecycle_configuration(Bucket=trail_bucket)["Rules"][0]
    assert {t["StorageClass"] for t in rule["Transitions"]} == {"GLACIER"}

    trail_policy = json.loads(s3.get_bucket_policy(Bucket=trail_bucket)["Policy"])
    writes = [st for st in trail_policy["Statement"] if st["Effect"] == "Allow"]
    assert {st["Principal"]["Service"] for st in writes} == {"cloudtrail.amazonaws.com"}
    assert all(st["Condition"]["StringEquals"]["aws:SourceArn"] == outputs["trail_arn"] for st in writes)

    config_policy = json.loads(s3.get_bucket_policy(Bucket=config_bucket)["Policy"])
    prefixes = {st["Condition"]["StringEquals"]["aws:SourceAccount"]: st["Resource"] for st in config_policy["Statement"] if st.get("Action") == "s3:PutObject"}
    assert prefixes == {i: f"arn:aws:s3:::{config_bucket}/AWSLogs/{i}/Config/*" for i in values["account_ids"].values()}

    encryption = s3.get_bucket_encryption(Bucket=config_bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert encryption["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"] == outputs["log_key_arn"]


def test_scp_protects_the_buckets_the_security_stack_made(applied, security_applied):
    env, _workdir, _values, _outputs = applied
    org = aws_client("organizations", env)
    policy = next(p for p in org.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"] if p["Name"].endswith("protect-platform"))
    content = org.describe_policy(PolicyId=policy["Id"])["Policy"]["Content"]
    for bucket in security_applied[3]["log_buckets"].values():
        assert f"arn:aws:s3:::{bucket}" in content, bucket


def test_security_account_runs_guardduty_and_the_config_aggregator(security_applied):
    env, _workdir, values, outputs = security_applied
    security = values["account_ids"]["security"]
    guardduty = aws_client("guardduty", env, security)
    assert outputs["guardduty_detector_id"] in guardduty.list_detectors()["DetectorIds"]
    aggregator = aws_client("config", env, security).describe_configuration_aggregators()["ConfigurationAggregators"][0]
    assert aggregator["ConfigurationAggregatorArn"] == outputs["config_aggregator_arn"]
    assert sorted(aggregator["OrganizationAggregationSource"]["AwsRegions"]) == sorted(values["approved_regions"])


def test_security_alarms_watch_the_organization_trail(security_applied):
    env, _workdir, _values, outputs = security_applied
    filters = {f["filterName"]: f for f in aws_client("logs", env).describe_metric_filters(logGroupName="/aws/cloudtrail/chatbot-org-trail")["metricFilters"]}
    assert "AWSReservedSSO_BreakGlass_" in filters["chatbot-org-break-glass-sign-in"]["filterPattern"]
    alarms = aws_client("cloudwatch", env).describe_alarms(AlarmNames=list(outputs["alarm_names"].values()))["MetricAlarms"]
    assert len(alarms) == len(outputs["alarm_names"]) == 7
    assert all(a["AlarmActions"] == [outputs["security_alerts_topic_arn"]] for a in alarms)


def test_security_second_plan_is_empty(security_applied):
    env, workdir, _values, _outputs = security_applied
    result = terraform(env, workdir, "plan", "-detailed-exitcode", "-input=false", "-no-color", check=False)
    assert result.returncode == 0, f"second plan is not empty (exit {result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"


# ---- terraform/stacks/account_baseline, once per account with the security stack's outputs (as accounts.yml loops) ----

BASELINE_STACK = ROOT / "terraform" / "stacks" / "account_baseline"
BASELINE_PREFIX = "platform_account_baseline_"


def _baseline_env(env: dict, account_key: str) -> dict:
    # One state per account, like the playbook's state key per account: a local workspace each.
    return {**env, "TF_WORKSPACE": account_key}


@pytest.fixture(scope="module")
def baselines_applied(applied, security_applied, tmp_path_factory):
    _env, _org_workdir, _org_values, org_outputs = applied
    env, _workdir, _security_values, security_outputs = security_applied
    env = {**env, "TF_DATA_DIR": str(tmp_path_factory.mktemp("tfdata-account-baseline"))}
    workdir = copy_stack(BASELINE_STACK, tmp_path_factory.mktemp("account_baseline") / "root")
    common = {**inventory_stack_vars("local", "organization", BASELINE_PREFIX, set()), "s3_use_path_style": True}
    management = org_outputs["management_account_id"]
    accounts = {**org_outputs["account_ids"], "management": management}
    values = {
        key: {
            **common,
            # what playbooks/accounts.yml passes for each account
            "account_key": key,
            "account_id": account_id,
            "management_account_id": management,
            "config_bucket_name": security_outputs["log_buckets"]["config"],
            "config_kms_key_arn": security_outputs["log_key_arn"],
        }
        for key, account_id in accounts.items()
    }
    terraform(env, workdir, "init", "-input=false", "-no-color")
    for key in values:
        (workdir / f"{key}.tfvars.json").write_text(json.dumps(values[key]))
        terraform(env, workdir, "workspace", "new", "-no-color", key)

    def apply(key: str) -> dict:
        account_env = _baseline_env(env, key)
        terraform(account_env, workdir, "apply", "-auto-approve", "-input=false", "-no-color", f"-var-file={key}.tfvars.json", timeout=300)
        output = json.loads(terraform(account_env, workdir, "output", "-json", "-no-color").stdout)
        return {k: v["value"] for k, v in output.items()}

    with ThreadPoolExecutor(max_workers=4) as pool:
        outputs = dict(zip(values, pool.map(apply, values)))
    return env, workdir, values, outputs, security_outputs


def test_every_account_has_the_baseline(baselines_applied):
    env, _workdir, values, outputs, security_outputs = baselines_applied
    assert {key: out["account_id"] for key, out in outputs.items()} == {key: v["account_id"] for key, v in values.items()}
    assert len({out["account_id"] for out in outputs.values()}) == len(outputs), "every account is a different moto account"
    for key, account in values.items():
        account_id = account["account_id"]
        iam = aws_client("iam", env, account_id)
        password = iam.get_account_password_policy()["PasswordPolicy"]
        assert password["MinimumPasswordLength"] >= 14 and password["RequireSymbols"] and password["PasswordReusePrevention"] == 24, key
        config = aws_client("config", env, account_id)
        recorder = config.describe_configuration_recorders()["ConfigurationRecorders"][0]
        assert recorder["recordingGroup"]["allSupported"], key
        expected_frequency = "DAILY" if key in account["config_daily_accounts"] else "CONTINUOUS"
        assert outputs[key]["config_recording_frequency"] == expected_frequency, key
        assert config.describe_configuration_recorder_status()["ConfigurationRecordersStatus"][0]["recording"], key
        channel = config.describe_delivery_channels()["DeliveryChannels"][0]
        assert (channel["s3BucketName"], channel["s3KmsKeyArn"]) == (security_outputs["log_buckets"]["config"], security_outputs["log_key_arn"]), key
        assert aws_client("ec2", env, account_id).get_ebs_encryption_by_default()["EbsEncryptionByDefault"], key
    assert outputs["sandbox"]["config_recording_frequency"] == "DAILY" and outputs["prod"]["config_recording_frequency"] == "CONTINUOUS"


def test_the_config_bucket_admits_every_baselined_account(security_applied, baselines_applied):
    env, _workdir, values, _outputs, security_outputs = baselines_applied
    s3 = aws_client("s3", env, security_applied[2]["account_ids"]["log_archive"])
    config_bucket = security_outputs["log_buckets"]["config"]
    policy = json.loads(s3.get_bucket_policy(Bucket=config_bucket)["Policy"])
    writers = {st["Condition"]["StringEquals"]["aws:SourceAccount"] for st in policy["Statement"] if st.get("Action") == "s3:PutObject"}
    assert writers == {v["account_id"] for v in values.values()}, "the security stack's account list and the baseline loop cover the same accounts"


def test_account_baseline_second_plans_are_empty(baselines_applied):
    env, workdir, values, _outputs, _security_outputs = baselines_applied

    def plan(key: str):
        args = ("plan", "-detailed-exitcode", "-input=false", "-no-color", f"-var-file={key}.tfvars.json")
        return key, terraform(_baseline_env(env, key), workdir, *args, check=False)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(plan, values))
    for key, result in results:
        assert result.returncode == 0, f"{key}: second plan is not empty (exit {result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}"


@pytest.mark.parametrize("inventory", ["management", "local"])
def test_every_inventory_setting_is_a_variable_of_its_stack(inventory):
    """A misspelt platform_security_<x> or platform_account_baseline_<x> would only be a Terraform warning."""
    for stack, prefix, switches in ((SECURITY_STACK, SECURITY_PREFIX, {"platform_security_enabled"}), (BASELINE_STACK, BASELINE_PREFIX, set())):
        declared = set(re.findall(r'^variable "(\w+)"', (stack / "variables.tf").read_text(), re.M))
        settings = inventory_stack_vars(inventory, "organization", prefix, switches)
        assert set(settings) - declared == set(), f"{inventory}: {prefix}<x> without a variable in {stack.name}"


def test_every_rendered_policy_passes_the_iam_linter(applied, security_applied):
    """SCPs, permission set policies, trust, key and bucket policies of the organisation and security stacks, as applied."""
    states = [json.loads(terraform(stack[0], stack[1], "show", "-json", "-no-color").stdout) for stack in (applied, security_applied)]
    assert assert_policies_pass(states, "accounts") > 0
