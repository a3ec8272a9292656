"""Apply terraform/stacks/bootstrap (the state bucket and its key) with the local inventory's values against
moto server, lint the policies it renders, and check the bucket policy that keeps state on the state key.

moto evaluates bucket policies without their conditions, so the local inventory does not attach the policy
(platform_bootstrap_state_attach_bucket_policy: false); the document is still rendered by
aws_iam_policy_document and checked here. That every state write names the key is checked end to end by
tests/functional/terraform_stack and playbooks/verify_bootstrap.yml (molecule, make demo).
"""

from __future__ import annotations

import json
import shutil

import pytest
from iam_lint import assert_policies_pass
from tf_helpers import ROOT, aws_client, copy_stack, inventory_stack_vars, module_env, terraform

STACK = ROOT / "terraform" / "stacks" / "bootstrap"

pytestmark = pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")


@pytest.fixture(scope="module")
def applied(moto_url, tmp_path_factory):
    env = module_env(moto_url, tmp_path_factory.mktemp("tfdata"))
    workdir = copy_stack(STACK, tmp_path_factory.mktemp("bootstrap") / "root")
    # what playbooks/bootstrap.yml passes: platform_bootstrap_state_<x> -> state_<x>, and the bucket name
    values = inventory_stack_vars("local", "bootstrap", "platform_bootstrap_", set())
    values.update(state_bucket_name="chatbot-local-tfstate", s3_use_path_style=True)
    (workdir / "local.auto.tfvars.json").write_text(json.dumps(values))
    terraform(env, workdir, "init", "-input=false", "-no-color")
    terraform(env, workdir, "apply", "-auto-approve", "-input=false", "-no-color", timeout=300)
    state = json.loads(terraform(env, workdir, "show", "-json", "-no-color").stdout)
    outputs = {k: v["value"] for k, v in json.loads(terraform(env, workdir, "output", "-json", "-no-color").stdout).items()}
    return env, workdir, state, outputs


def _bucket_policy(state: dict) -> dict:
    """The bucket policy modules/bucket renders for the state bucket (its TLS rules merged with state_backend's)."""
    modules = list(state["values"]["root_module"]["child_modules"])
    while modules:
        module = modules.pop()
        modules.extend(module.get("child_modules", []))
        for resource in module.get("resources", []):
            if resource["address"] == "module.state_backend.module.bucket.data.aws_iam_policy_document.this":
                return {s["Sid"]: s for s in json.loads(resource["values"]["json"])["Statement"]}
    raise AssertionError("the state bucket's policy document is not in the state")


def test_the_bucket_defaults_to_the_state_key(applied):
    env, _workdir, _state, outputs = applied
    rule = aws_client("s3", env).get_bucket_encryption(Bucket=outputs["state_bucket_name"])["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": outputs["state_kms_key_arn"]}
    assert outputs["backend_config"]["kms_key_id"] == outputs["state_kms_key_arn"]


def test_the_state_history_rules(applied):
    env, _workdir, _state, outputs = applied
    rules = aws_client("s3", env).get_bucket_lifecycle_configuration(Bucket=outputs["state_bucket_name"])["Rules"]
    assert len(rules) == 1 and rules[0]["Status"] == "Enabled", rules
    assert rules[0]["NoncurrentVersionExpiration"]["NoncurrentDays"] == 90
    assert rules[0]["Expiration"] == {"ExpiredObjectDeleteMarker": True}
    assert rules[0]["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 7}
    key = aws_client("kms", env).get_key_rotation_status(KeyId=outputs["state_kms_key_arn"])
    assert key["KeyRotationEnabled"] is True


def test_the_bucket_policy_refuses_state_writes_off_the_state_key(applied):
    _env, _workdir, state, outputs = applied
    statements = _bucket_policy(state)
    objects = f"arn:aws:s3:::{outputs['state_bucket_name']}/*"
    for sid in ("DenyStateWritesNotOnKms", "DenyStateWritesWithAnotherKey", "DenyStateWritesOnTheAwsManagedKey", "DenyStateWritesWithCustomerKeys"):
        assert statements[sid]["Effect"] == "Deny" and statements[sid]["Action"] == "s3:PutObject" and statements[sid]["Resource"] == objects, sid
    assert {"DenyInsecureTransport", "DenyTLSBelow12"} <= set(statements)
    assert statements["DenyStateWritesNotOnKms"]["Condition"] == {"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": "aws:kms"}}
    assert statements["DenyStateWritesWithAnotherKey"]["Condition"] == {
        "ArnNotEqualsIfExists": {"s3:x-amz-server-side-encryption-aws-kms-key-id": outputs["state_kms_key_arn"]}
    }
    assert statements["DenyStateWritesOnTheAwsManagedKey"]["Condition"] == {
        "StringEquals": {"s3:x-amz-server-side-encryption": "aws:kms"},
        "Null": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "true"},
    }


def test_every_rendered_policy_passes_the_iam_linter(applied):
    _env, _workdir, state, _outputs = applied
    assert assert_policies_pass([state], "bootstrap") >= 2


def test_second_plan_is_empty(applied):
    env, workdir, _state, _outputs = applied
    result = terraform(env, workdir, "plan", "-detailed-exitcode", "-input=false", "-no-color", check=False)
    assert result.returncode == 0, f"second plan is not empty (exit {result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"
