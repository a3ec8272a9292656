"""Apply terraform/stacks/platform with the local inventory's values against moto server, as `make demo`
does (platform_stack_<x> -> variable <x>, a local backend instead of S3), check what it built with boto3,
lint every policy it rendered, and require an empty second plan.

What moto lacks is switched off by the local inventory (inventories/local/group_vars/all/platform.yml:
EKS add-ons and access entries, Redis, the DLQ's allow policy, bucket access logging, the EFS backup
policy); terraform test covers those with a mocked provider.
"""

from __future__ import annotations

import json
import shutil

import pytest
from iam_lint import assert_policies_pass
from tf_helpers import ROOT, aws_client, copy_stack, inventory_stack_vars, module_env, terraform

STACK = ROOT / "terraform" / "stacks" / "platform"

pytestmark = pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")


def local_vars() -> dict:
    values = inventory_stack_vars("local", "platform", "platform_stack_", {"platform_stack_enabled"}, from_main={"kubernetes_version": "platform_eks_version"})
    return {**values, "s3_use_path_style": True}


@pytest.fixture(scope="module")
def applied(moto_url_with_aws_managed_policies, tmp_path_factory):
    # The stack attaches AWS managed policies (EKS cluster and node, CNI, CSI drivers).
    env = module_env(moto_url_with_aws_managed_policies, tmp_path_factory.mktemp("tfdata"))
    workdir = copy_stack(STACK, tmp_path_factory.mktemp("platform") / "root")
    values = local_vars()
    (workdir / "local.auto.tfvars.json").write_text(json.dumps(values))
    terraform(env, workdir, "init", "-input=false", "-no-color")
    terraform(env, workdir, "apply", "-auto-approve", "-input=false", "-no-color", timeout=600)
    outputs = {k: v["value"] for k, v in json.loads(terraform(env, workdir, "output", "-json", "-no-color").stdout).items()}
    return env, workdir, values, outputs


def _statements(policy: str) -> dict:
    return {s["Sid"]: s for s in json.loads(policy)["Statement"]}


def test_cluster_outputs_are_real_values_for_the_addons_step(applied):
    env, _workdir, values, outputs = applied
    eks = aws_client("eks", env)
    cluster = eks.describe_cluster(name=outputs["cluster_name"])["cluster"]
    assert outputs["cluster_name"] == "chatbot-local-eks"
    assert outputs["cluster_endpoint"] == cluster["endpoint"] and outputs["cluster_endpoint"].startswith("https://")
    assert outputs["cluster_certificate_authority_data"] == cluster["certificateAuthority"]["data"]
    assert outputs["cluster_version"] == values["kubernetes_version"] == cluster["version"]
    assert cluster["accessConfig"]["authenticationMode"] == "API"
    assert cluster["encryptionConfig"][0]["resources"] == ["secrets"]
    assert cluster["resourcesVpcConfig"]["vpcId"] == outputs["vpc_id"]
    assert outputs["cluster_security_group_id"] == cluster["resourcesVpcConfig"]["clusterSecurityGroupId"]
    assert outputs["region"] == "eu-west-1"
    assert outputs["secrets_name_prefix"] == "chatbot/local/"
    assert outputs["addon_versions"] == {}, "the local inventory switches the add-ons off (moto has no add-on API)"

    issuer = cluster["identity"]["oidc"]["issuer"].removeprefix("https://")
    providers = [p["Arn"] for p in aws_client("iam", env).list_open_id_connect_providers()["OpenIDConnectProviderList"]]
    assert outputs["oidc_provider_arn"] in providers and outputs["oidc_provider_arn"].endswith(issuer)


def test_irsa_roles_trust_their_service_accounts_through_the_cluster_issuer(applied):
    env, _workdir, _values, outputs = applied
    iam = aws_client("iam", env)
    workloads = {"aws_load_balancer_controller", "cluster_autoscaler", "external_secrets", "ebs_csi", "efs_csi", "vpc_cni", "chatbot_backend", "fluent_bit"}
    assert set(outputs["irsa_role_arns"]) == workloads
    issuer = outputs["oidc_provider_arn"].split("oidc-provider/")[1]
    for key, arn in outputs["irsa_role_arns"].items():
        role = iam.get_role(RoleName=arn.split("/")[-1])["Role"]
        statement = role["AssumeRolePolicyDocument"]["Statement"][0]
        assert statement["Principal"] == {"Federated": outputs["oidc_provider_arn"]}, key
        conditions = {k: v for block in statement["Condition"].values() for k, v in block.items()}
        assert conditions[f"{issuer}:aud"] == "sts.amazonaws.com", key
    efs = iam.get_role(RoleName=outputs["irsa_role_arns"]["efs_csi"].split("/")[-1])["Role"]
    assert efs["AssumeRolePolicyDocument"]["Statement"][0]["Condition"]["StringLike"] == {f"{issuer}:sub": "system:serviceaccount:kube-system:efs-csi-*"}


def test_node_groups_match_the_inventory_and_boot_from_the_ebs_key(applied):
    env, _workdir, values, outputs = applied
    eks = aws_client("eks", env)
    ec2 = aws_client("ec2", env)
    for key, wanted in values["node_groups"].items():
        group = eks.describe_nodegroup(clusterName=outputs["cluster_name"], nodegroupName=key)["nodegroup"]
        out = outputs["node_groups"][key]
        assert group["instanceTypes"] == wanted["instance_types"] == out["instance_types"]
        assert group["scalingConfig"]["minSize"] == wanted["min_size"] == out["min_size"]
        assert group["scalingConfig"]["maxSize"] == wanted["max_size"] == out["max_size"]
        assert group["labels"] == {**wanted.get("labels", {}), "chatbot.platform/node-group": key} == out["labels"]
        assert [t["effect"] for t in group.get("taints", [])] == [t["effect"] for t in wanted.get("taints", [])]
        assert out["autoscaling_group_names"] == [g["name"] for g in group["resources"]["autoScalingGroups"]]
        template = group["launchTemplate"]
        versions = ec2.describe_launch_template_versions(LaunchTemplateId=template["id"], Versions=[template["version"]])["LaunchTemplateVersions"]
        data = versions[0]["LaunchTemplateData"]
        ebs = data["BlockDeviceMappings"][0]["Ebs"]
        assert ebs["Encrypted"] is True and ebs["KmsKeyId"] == outputs["ebs_kms_key_arn"], "root volumes use the customer managed EBS key"
        assert data["MetadataOptions"]["HttpTokens"] == "required"
        assert data["Monitoring"]["Enabled"] is False, "detailed monitoring is billed and off by default"
    assert outputs["node_groups"]["ml"]["taints"] == [{"key": "workload", "value": "ml", "effect": "NoSchedule"}]


def test_ebs_key_admits_the_auto_scaling_role_by_arn(applied):
    env, _workdir, _values, outputs = applied
    kms = aws_client("kms", env)
    policy = _statements(kms.get_key_policy(KeyId=outputs["ebs_kms_key_arn"], PolicyName="default")["Policy"])
    grant = policy["AutoScalingGrantsForVolumes"]
    assert grant["Condition"]["ArnEquals"]["aws:PrincipalArn"].endswith(":role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling")
    assert grant["Condition"]["Bool"] == {"kms:GrantIsForAWSResource": "true"}
    assert kms.get_key_rotation_status(KeyId=outputs["ebs_kms_key_arn"])["KeyRotationEnabled"] is True


def test_queue_is_encrypted_with_a_dead_letter_queue(applied):
    env, _workdir, values, outputs = applied
    sqs = aws_client("sqs", env)
    main = sqs.get_queue_attributes(QueueUrl=outputs["queue_url"], AttributeNames=["All"])["Attributes"]
    dlq = sqs.get_queue_attributes(QueueUrl=outputs["dead_letter_queue_url"], AttributeNames=["All"])["Attributes"]
    assert main["KmsMasterKeyId"] == dlq["KmsMasterKeyId"] == outputs["data_kms_key_arn"]
    assert json.loads(main["RedrivePolicy"]) == {"deadLetterTargetArn": dlq["QueueArn"], "maxReceiveCount": values["queue"]["max_receive_count"]}
    assert dlq["MessageRetentionPeriod"] == "1209600", "failed messages are kept the SQS maximum of 14 days"
    assert main["ReceiveMessageWaitTimeSeconds"] == "20", "long polling"
    for attributes in (main, dlq):
        assert _statements(attributes["Policy"])["DenyInsecureTransport"]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


@pytest.mark.parametrize("which", ["assets_bucket", "logs_bucket"])
def test_buckets_are_private_versioned_encrypted_and_tls_only(applied, which):
    env, _workdir, values, outputs = applied
    s3 = aws_client("s3", env)
    bucket = outputs[which]
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert block == {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}
    assert s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]

    sse = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    if which == "assets_bucket":
        assert sse["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": outputs["data_kms_key_arn"]}
        assert sse["BucketKeyEnabled"] is True
    else:
        assert sse["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}, "server access logs are only delivered to SSE-S3 buckets"

    statements = _statements(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    assert statements["DenyInsecureTransport"]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert statements["DenyTLSBelow12"]["Condition"] == {"NumericLessThan": {"s3:TlsVersion": "1.2"}}

    rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert [r["ID"] for r in rules] == ["retention"] and rules[0]["Status"] == "Enabled"
    assert rules[0]["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 7}
    if which == "logs_bucket":
        assert rules[0]["Expiration"] == {"Days": values["buckets"]["log_expiration_days"]}
        assert rules[0]["NoncurrentVersionExpiration"]["NoncurrentDays"] == 30
    else:
        assert "Expiration" not in rules[0], "assets are kept until the application deletes them"
        assert rules[0]["NoncurrentVersionExpiration"]["NoncurrentDays"] == values["buckets"]["noncurrent_version_expiration_days"]


def test_log_bucket_accepts_access_logs_only_from_the_assets_bucket_prefix(applied):
    env, _workdir, _values, outputs = applied
    statements = _statements(aws_client("s3", env).get_bucket_policy(Bucket=outputs["logs_bucket"])["Policy"])
    grant = statements["S3ServerAccessLogs0"]
    assert grant["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert grant["Resource"] == f"arn:aws:s3:::{outputs['logs_bucket']}/s3-access/{outputs['assets_bucket']}/*"
    assert grant["Condition"]["ArnLike"] == {"aws:SourceArn": f"arn:aws:s3:::{outputs['assets_bucket']}"}


def test_application_secrets_use_the_data_key_and_hold_no_value(applied):
    env, _workdir, values, outputs = applied
    sm = aws_client("secretsmanager", env)
    assert set(outputs["app_secret_arns"]) == set(values["app_secrets"]["secrets"]), "one container per secret the inventory lists"
    assert "admin-oidc" in outputs["app_secret_arns"]
    secret = sm.describe_secret(SecretId=outputs["app_secret_arns"]["admin-oidc"])
    assert secret["Name"] == "chatbot/local/admin-oidc"
    assert secret["KmsKeyId"] == outputs["data_kms_key_arn"]
    assert not secret.get("VersionIdsToStages"), "Terraform creates the container, never the value"


def test_efs_is_encrypted_and_mountable_only_from_the_cluster(applied):
    env, _workdir, _values, outputs = applied
    efs = aws_client("efs", env)
    ec2 = aws_client("ec2", env)
    fs = efs.describe_file_systems(FileSystemId=outputs["efs_file_system_id"])["FileSystems"][0]
    assert fs["Encrypted"] is True and fs["KmsKeyId"] == outputs["data_kms_key_arn"]
    assert fs["ThroughputMode"] == "elastic"

    targets = efs.describe_mount_targets(FileSystemId=outputs["efs_file_system_id"])["MountTargets"]
    assert sorted(t["SubnetId"] for t in targets) == sorted(outputs["private_subnet_ids"]), "one mount target per private subnet"
    groups = {g for t in targets for g in efs.describe_mount_target_security_groups(MountTargetId=t["MountTargetId"])["SecurityGroups"]}
    assert len(groups) == 1
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": list(groups)}])["SecurityGroupRules"]
    ingress = [r for r in rules if not r["IsEgress"]]
    assert [(r["IpProtocol"], r["FromPort"], r["ToPort"]) for r in ingress] == [("tcp", 2049, 2049)]
    assert ingress[0]["ReferencedGroupInfo"]["GroupId"] == outputs["cluster_security_group_id"], "NFS from the EKS cluster security group only"

    point = efs.describe_access_points(AccessPointId=outputs["efs_models_access_point_id"])["AccessPoints"][0]
    assert point["PosixUser"]["Uid"] == 10001
    assert point["RootDirectory"]["Path"] == "/models"
    assert point["RootDirectory"]["CreationInfo"]["Permissions"] == "0750"
    policy = _statements(efs.describe_file_system_policy(FileSystemId=outputs["efs_file_system_id"])["Policy"])
    assert policy["DenyInsecureTransport"]["Effect"] == "Deny"


def test_every_rendered_policy_passes_the_iam_linter(applied):
    env, workdir, _values, _outputs = applied
    state = json.loads(terraform(env, workdir, "show", "-json", "-no-color").stdout)
    assert assert_policies_pass([state], "platform") >= 40


def test_second_plan_is_empty(applied):
    """The emulator's answers that differ from AWS are corrected in tests/emulators/moto/server.py, so a
    second plan must be as empty as on AWS; `make demo` relies on it for changed=0."""
    env, workdir, _values, _outputs = applied
    result = terraform(env, workdir, "plan", "-detailed-exitcode", "-input=false", "-no-color", check=False)
    assert result.returncode == 0, f"second plan is not empty (exit {result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"
