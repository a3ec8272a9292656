"""Apply the data-service modules (kms_key, queue, bucket, app_secrets, efs) against moto server,
check what they built with boto3, and re-plan for drift.

What moto cannot take is left out of the fixture and listed in docs/infrastructure.md (redis, edge,
bucket access logging, the DLQ redrive allow policy, the EFS backup policy); terraform test covers
those with the mock provider.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tf_helpers import aws_client, copy_fixture, module_env, terraform

FIXTURE = Path(__file__).parent / "fixtures" / "data"

pytestmark = pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")


@pytest.fixture(scope="module")
def applied(moto_url, tmp_path_factory):
    env = module_env(moto_url, tmp_path_factory.mktemp("tfdata"))
    workdir = copy_fixture(FIXTURE, tmp_path_factory.mktemp("data") / "root")
    terraform(env, workdir, "init", "-input=false", "-no-color")
    terraform(env, workdir, "apply", "-auto-approve", "-input=false", "-no-color", timeout=420)
    outputs = json.loads(terraform(env, workdir, "output", "-json", "-no-color").stdout)["data"]["value"]
    return env, workdir, outputs


def _statements(policy: str) -> dict:
    return {s["Sid"]: s for s in json.loads(policy)["Statement"]}


def test_kms_key_rotates(applied):
    env, _workdir, outputs = applied
    kms = aws_client("kms", env)
    key_id = outputs["kms_key_arn"]
    assert kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is True
    aliases = [a["AliasName"] for a in kms.list_aliases(KeyId=key_id)["Aliases"]]
    assert aliases == ["alias/chatbot-test-data"]


def test_queue_is_encrypted_with_a_dead_letter_queue(applied):
    env, _workdir, outputs = applied
    sqs = aws_client("sqs", env)
    queue = outputs["queue"]
    main = sqs.get_queue_attributes(QueueUrl=queue["url"], AttributeNames=["All"])["Attributes"]
    dlq = sqs.get_queue_attributes(QueueUrl=queue["dlq_url"], AttributeNames=["All"])["Attributes"]

    assert main["KmsMasterKeyId"] == outputs["kms_key_arn"]
    assert dlq["KmsMasterKeyId"] == outputs["kms_key_arn"]
    assert json.loads(main["RedrivePolicy"]) == {"deadLetterTargetArn": queue["dlq_arn"], "maxReceiveCount": 3}
    assert dlq["MessageRetentionPeriod"] == "1209600", "failed messages are kept the SQS maximum of 14 days"
    assert main["ReceiveMessageWaitTimeSeconds"] == "20", "long polling"
    for attributes in (main, dlq):
        deny = _statements(attributes["Policy"])["DenyInsecureTransport"]
        assert deny["Effect"] == "Deny"
        assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


@pytest.mark.parametrize("which", ["assets", "logs"])
def test_buckets_are_private_versioned_encrypted_and_tls_only(applied, which):
    env, _workdir, outputs = applied
    s3 = aws_client("s3", env)
    bucket = outputs[which]

    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert block == {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}
    ownership = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    assert ownership == [{"ObjectOwnership": "BucketOwnerEnforced"}]

    sse = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    default = sse["ApplyServerSideEncryptionByDefault"]
    if which == "assets":
        assert default == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": outputs["kms_key_arn"]}
        assert sse["BucketKeyEnabled"] is True
    else:
        # server access logs are only delivered to SSE-S3 buckets
        assert default == {"SSEAlgorithm": "AES256"}

    statements = _statements(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    assert statements["DenyInsecureTransport"]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert statements["DenyTLSBelow12"]["Condition"] == {"NumericLessThan": {"s3:TlsVersion": "1.2"}}

    rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert [r["ID"] for r in rules] == ["retention"]
    assert rules[0]["Status"] == "Enabled"
    assert rules[0]["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 7}
    assert rules[0]["NoncurrentVersionExpiration"]["NoncurrentDays"] == 90
    if which == "logs":
        assert rules[0]["Expiration"] == {"Days": 365}
    else:
        assert "Expiration" not in rules[0], "assets are kept until the application deletes them"


def test_log_bucket_accepts_access_logs_only_from_the_assets_bucket_prefix(applied):
    env, _workdir, outputs = applied
    s3 = aws_client("s3", env)
    statements = _statements(s3.get_bucket_policy(Bucket=outputs["logs"])["Policy"])
    grant = statements["S3ServerAccessLogs0"]
    assert grant["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert grant["Resource"] == f"arn:aws:s3:::{outputs['logs']}/s3-access/{outputs['assets']}/*"
    assert grant["Condition"]["ArnLike"] == {"aws:SourceArn": f"arn:aws:s3:::{outputs['assets']}"}


def test_application_secrets_use_the_data_key_and_hold_no_value(applied):
    env, _workdir, outputs = applied
    sm = aws_client("secretsmanager", env)
    assert outputs["secrets"] == {"admin-oidc": "chatbot/test/admin-oidc"}
    secret = sm.describe_secret(SecretId="chatbot/test/admin-oidc")
    assert secret["KmsKeyId"] == outputs["kms_key_arn"]
    assert not secret.get("VersionIdsToStages"), "Terraform creates the container, never the value"


def test_efs_is_encrypted_and_mountable_only_from_the_nodes(applied):
    env, _workdir, outputs = applied
    efs_out = outputs["efs"]
    efs = aws_client("efs", env)
    ec2 = aws_client("ec2", env)

    fs = efs.describe_file_systems(FileSystemId=efs_out["file_system_id"])["FileSystems"][0]
    assert fs["Encrypted"] is True
    assert fs["KmsKeyId"] == outputs["kms_key_arn"]
    assert fs["ThroughputMode"] == "elastic"

    targets = efs.describe_mount_targets(FileSystemId=efs_out["file_system_id"])["MountTargets"]
    assert len(targets) == 2, "one mount target per private subnet"
    for target in targets:
        groups = efs.describe_mount_target_security_groups(MountTargetId=target["MountTargetId"])["SecurityGroups"]
        assert groups == [efs_out["security_group_id"]]

    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [efs_out["security_group_id"]]}])["SecurityGroupRules"]
    ingress = [r for r in rules if not r["IsEgress"]]
    assert [(r["IpProtocol"], r["FromPort"], r["ToPort"]) for r in ingress] == [("tcp", 2049, 2049)]
    assert "ReferencedGroupInfo" in ingress[0] and "CidrIpv4" not in ingress[0], "NFS from the node security group only"

    point = efs.describe_access_points(AccessPointId=efs_out["models_access_point_id"])["AccessPoints"][0]
    assert point["PosixUser"]["Uid"] == 10001
    assert point["RootDirectory"]["Path"] == "/models"
    assert point["RootDirectory"]["CreationInfo"]["Permissions"] == "0750"

    policy = _statements(efs.describe_file_system_policy(FileSystemId=efs_out["file_system_id"])["Policy"])
    assert policy["DenyInsecureTransport"]["Effect"] == "Deny"


def test_second_plan_changes_nothing(applied):
    """moto's own drift (security group rule descriptions, RedrivePolicy whitespace) is corrected in
    tests/emulators/moto/server.py, so nothing may remain."""
    env, workdir, _outputs = applied
    result = terraform(env, workdir, "plan", "-detailed-exitcode", "-input=false", "-no-color", check=False)
    assert result.returncode == 0, f"second plan is not empty (exit {result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"
