"""The S3 backend settings roles/terraform_stack passes (encrypt, use_lockfile) give working state
storage and locking without a DynamoDB table."""

from __future__ import annotations

import json

import boto3
import pytest

STACK = """
terraform {
  required_version = ">= 1.10"
  backend "s3" {}
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.100, < 6.0" }
  }
}
output "stamp" { value = "state-test" }
"""


@pytest.fixture
def s3(aws_env):
    return boto3.client(
        "s3",
        endpoint_url=aws_env["AWS_ENDPOINT_URL"],
        region_name="eu-west-1",
        aws_access_key_id=aws_env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=aws_env["AWS_SECRET_ACCESS_KEY"],
    )


@pytest.fixture
def stack(tmp_path, s3, terraform):
    bucket = f"state-lock-{tmp_path.name.lower().replace('_', '-')[-30:]}"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    workdir = tmp_path / "stack"
    workdir.mkdir()
    (workdir / "main.tf").write_text(STACK)
    key = "chatbot/local/locktest.tfstate"
    settings = {"bucket": bucket, "key": key, "region": "eu-west-1", "encrypt": "true", "use_lockfile": "true", "use_path_style": "true"}
    backend = [f"-backend-config={k}={v}" for k, v in settings.items()]
    terraform(workdir, "init", "-input=false", *backend)
    return {"dir": workdir, "bucket": bucket, "key": key}


def test_state_is_written_to_the_bucket_and_lock_released(stack, s3, terraform):
    terraform(stack["dir"], "apply", "-auto-approve", "-input=false")
    body = s3.get_object(Bucket=stack["bucket"], Key=stack["key"])["Body"].read()
    assert json.loads(body)["outputs"]["stamp"]["value"] == "state-test"
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=stack["bucket"]).get("Contents", [])]
    assert stack["key"] + ".tflock" not in keys, "the lock object must be removed after the run"


def test_a_held_lock_blocks_a_second_run(stack, s3, terraform):
    terraform(stack["dir"], "apply", "-auto-approve", "-input=false")
    lock = {"ID": "a1b2c3", "Operation": "OperationTypeApply", "Who": "someone@elsewhere", "Version": "1.11.4"}
    lock.update({"Created": "2026-01-01T00:00:00Z", "Path": stack["key"]})
    s3.put_object(Bucket=stack["bucket"], Key=stack["key"] + ".tflock", Body=json.dumps(lock).encode())
    blocked = terraform(stack["dir"], "plan", "-input=false", "-lock-timeout=2s", check=False)
    assert blocked.returncode != 0
    assert "Error acquiring the state lock" in blocked.stderr
    assert "someone@elsewhere" in blocked.stderr

    s3.delete_object(Bucket=stack["bucket"], Key=stack["key"] + ".tflock")
    assert terraform(stack["dir"], "plan", "-input=false", "-detailed-exitcode", check=False).returncode == 0
