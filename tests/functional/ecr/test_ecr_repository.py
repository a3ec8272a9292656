"""ecr_repository against moto: every option through create, no-op, update, delete, check mode and diff."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from ecr_helpers import ACCOUNT_ID, push_image

NAME = "chatbot/frontend"
ENV_ACCOUNTS = ["111111111111", "222222222222", "333333333333"]


@pytest.fixture
def kms_key(kms):
    key = kms.create_key(Description="ecr")["KeyMetadata"]
    kms.create_alias(AliasName="alias/chatbot-ecr", TargetKeyId=key["KeyId"])
    return key


def full_args(**overrides):
    args = {
        "name": NAME,
        "image_tag_mutability": "immutable_with_exclusion",
        "image_tag_mutability_exclusion_filters": ["latest", "dev-*"],
        "scan_on_push": True,
        "encryption": {"type": "KMS", "kms_key": "alias/chatbot-ecr"},
        "tags": {"project": "chatbot", "owner": "platform"},
        "lifecycle_rules": [
            {"description": "untagged after a week", "tag_status": "untagged", "max_age_days": 7},
            {"description": "last 50 releases", "tag_status": "tagged", "tag_prefixes": ["v"], "max_image_count": 50},
            {"tag_status": "any", "max_image_count": 500},
        ],
        "pull_account_ids": ENV_ACCOUNTS,
    }
    args.update(overrides)
    return args


def describe(ecr, name=NAME):
    return ecr.describe_repositories(repositoryNames=[name])["repositories"][0]


def test_create_applies_every_option_and_second_run_makes_no_write_call(ecr_runner, ecr, kms_key, calls):
    result = ecr_runner.run("ecr_repository", full_args())
    assert result["changed"] is True, result
    repo = describe(ecr)
    assert repo["imageTagMutability"] == "IMMUTABLE_WITH_EXCLUSION"
    assert sorted(f["filter"] for f in repo["imageTagMutabilityExclusionFilters"]) == ["dev-*", "latest"]
    assert repo["imageScanningConfiguration"]["scanOnPush"] is True
    # The alias was resolved to the key ARN before creation, so what is stored is the ARN.
    assert repo["encryptionConfiguration"] == {"encryptionType": "KMS", "kmsKey": kms_key["Arn"]}
    tags = {t["Key"]: t["Value"] for t in ecr.list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"]}
    assert tags == {"project": "chatbot", "owner": "platform"}
    lifecycle = json.loads(ecr.get_lifecycle_policy(repositoryName=NAME)["lifecyclePolicyText"])
    assert [r["rulePriority"] for r in lifecycle["rules"]] == [1, 2, 3]
    assert lifecycle["rules"][0]["selection"] == {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 7}
    assert lifecycle["rules"][1]["selection"]["tagPrefixList"] == ["v"]
    policy = json.loads(ecr.get_repository_policy(repositoryName=NAME)["policyText"])
    statement = policy["Statement"][0]
    assert statement["Principal"]["AWS"] == [f"arn:aws:iam::{a}:root" for a in ENV_ACCOUNTS]
    assert set(statement["Action"]) == {"ecr:BatchGetImage", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer"}
    assert result["repository"]["uri"] == f"{ACCOUNT_ID}.dkr.ecr.eu-west-1.amazonaws.com/{NAME}"
    assert result["repository"]["arn"] == repo["repositoryArn"]

    calls.clear()
    again = ecr_runner.run("ecr_repository", full_args())
    assert again["changed"] is False, again
    assert calls.writes() == []
    assert calls.calls, "the hook must have seen the module's read calls"
    assert again["repository"] == result["repository"]


def test_check_mode_create_writes_nothing(ecr_runner, ecr, kms_key, calls):
    result = ecr_runner.run("ecr_repository", full_args(), check=True, diff=True)
    assert result["changed"] is True
    assert calls.writes() == []
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["image_tag_mutability"] == "immutable_with_exclusion"
    assert result["diff"]["after"]["encryption"]["kms_key"] == kms_key["Arn"]
    with pytest.raises(ClientError, match="RepositoryNotFoundException"):
        describe(ecr)


def test_secure_defaults_at_creation(ecr_runner, ecr):
    result = ecr_runner.run("ecr_repository", {"name": "chatbot/plain"})
    assert result["changed"] is True
    repo = describe(ecr, "chatbot/plain")
    assert repo["imageTagMutability"] == "IMMUTABLE"
    assert repo["imageScanningConfiguration"]["scanOnPush"] is True
    assert repo["encryptionConfiguration"]["encryptionType"] == "AES256"


def test_options_left_out_are_left_alone(ecr_runner, ecr, kms_key, calls):
    ecr_runner.run("ecr_repository", full_args())
    calls.clear()
    result = ecr_runner.run("ecr_repository", {"name": NAME, "tags": {"project": "chatbot", "owner": "platform"}})
    assert result["changed"] is False
    assert calls.writes() == []
    repo = describe(ecr)
    assert repo["imageTagMutability"] == "IMMUTABLE_WITH_EXCLUSION"
    assert repo["imageScanningConfiguration"]["scanOnPush"] is True
    ecr.get_lifecycle_policy(repositoryName=NAME)
    ecr.get_repository_policy(repositoryName=NAME)


def test_update_each_setting_with_diff_and_check_mode(ecr_runner, ecr, kms_key, calls):
    ecr_runner.run("ecr_repository", full_args())
    changes = {
        "image_tag_mutability": "immutable",
        "image_tag_mutability_exclusion_filters": None,
        "scan_on_push": False,
        "tags": {"project": "chatbot", "cost-centre": "ml"},
        "lifecycle_rules": [{"tag_status": "untagged", "max_age_days": 3}],
        "pull_account_ids": ENV_ACCOUNTS[:1],
    }
    args = full_args(**changes)
    args = {k: v for k, v in args.items() if v is not None}

    calls.clear()
    preview = ecr_runner.run("ecr_repository", args, check=True, diff=True)
    assert preview["changed"] is True
    assert calls.writes() == []
    assert preview["diff"]["before"]["scan_on_push"] is True
    assert preview["diff"]["after"]["scan_on_push"] is False
    assert preview["diff"]["after"]["tags"] == {"project": "chatbot", "cost-centre": "ml"}
    assert describe(ecr)["imageTagMutability"] == "IMMUTABLE_WITH_EXCLUSION"

    calls.clear()
    result = ecr_runner.run("ecr_repository", args, diff=True)
    assert result["changed"] is True
    assert sorted(w.split(":")[1] for w in calls.writes()) == [
        "PutImageScanningConfiguration",
        "PutImageTagMutability",
        "PutLifecyclePolicy",
        "SetRepositoryPolicy",
        "TagResource",
        "UntagResource",
    ]
    repo = describe(ecr)
    assert repo["imageTagMutability"] == "IMMUTABLE"
    assert repo["imageScanningConfiguration"]["scanOnPush"] is False
    tags = {t["Key"]: t["Value"] for t in ecr.list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"]}
    assert tags == {"project": "chatbot", "cost-centre": "ml"}
    assert len(json.loads(ecr.get_lifecycle_policy(repositoryName=NAME)["lifecyclePolicyText"])["rules"]) == 1
    policy = json.loads(ecr.get_repository_policy(repositoryName=NAME)["policyText"])
    assert policy["Statement"][0]["Principal"]["AWS"] == "arn:aws:iam::111111111111:root"
    assert result["diff"]["after"] == {k: result["repository"][k] for k in result["diff"]["after"]}

    calls.clear()
    assert ecr_runner.run("ecr_repository", args)["changed"] is False
    assert calls.writes() == []


def test_tags_without_purge_only_add(ecr_runner, ecr):
    ecr_runner.run("ecr_repository", {"name": NAME, "tags": {"a": "1"}})
    result = ecr_runner.run("ecr_repository", {"name": NAME, "tags": {"b": "2"}, "purge_tags": False})
    assert result["changed"] is True
    assert result["repository"]["tags"] == {"a": "1", "b": "2"}


def test_policies_are_compared_by_meaning(ecr_runner, ecr, calls):
    ecr_runner.run("ecr_repository", {"name": NAME, "pull_account_ids": ["111111111111", "222222222222"]})
    # Same grant written differently: account IDs instead of root ARNs, other order, a string for the Sid-less statement.
    equivalent = {
        "Statement": {
            "Sid": "CrossAccountPull",
            "Effect": "Allow",
            "Principal": {"AWS": ["222222222222", "arn:aws:iam::111111111111:root"]},
            "Action": ["ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "ecr:BatchCheckLayerAvailability"],
        },
        "Version": "2012-10-17",
    }
    calls.clear()
    assert ecr_runner.run("ecr_repository", {"name": NAME, "policy": json.dumps(equivalent, indent=4)})["changed"] is False
    assert calls.writes() == []
    lifecycle_text = (
        '{"rules":[{"action":{"type":"expire"},"selection":{"countType":"imageCountMoreThan","countNumber":5,"tagStatus":"any"},"rulePriority":1}]}'
    )
    assert ecr_runner.run("ecr_repository", {"name": NAME, "lifecycle_policy": lifecycle_text})["changed"] is True
    calls.clear()
    reordered = {
        "rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countNumber": 5, "countType": "imageCountMoreThan"}, "action": {"type": "expire"}}]
    }
    assert ecr_runner.run("ecr_repository", {"name": NAME, "lifecycle_policy": reordered})["changed"] is False
    assert calls.writes() == []


def test_empty_values_remove_policies(ecr_runner, ecr):
    ecr_runner.run("ecr_repository", {"name": NAME, "pull_account_ids": ENV_ACCOUNTS, "lifecycle_rules": [{"tag_status": "any", "max_image_count": 9}]})
    result = ecr_runner.run("ecr_repository", {"name": NAME, "pull_account_ids": [], "lifecycle_policy": ""}, diff=True)
    assert result["changed"] is True
    assert result["repository"]["policy"] is None
    assert result["repository"]["lifecycle_policy"] is None
    with pytest.raises(ClientError, match="RepositoryPolicyNotFoundException"):
        ecr.get_repository_policy(repositoryName=NAME)
    with pytest.raises(ClientError, match="LifecyclePolicyNotFoundException"):
        ecr.get_lifecycle_policy(repositoryName=NAME)
    assert ecr_runner.run("ecr_repository", {"name": NAME, "pull_account_ids": [], "lifecycle_rules": []})["changed"] is False


def test_encryption_change_fails_clearly_and_alias_matches_arn(ecr_runner, ecr, kms, kms_key, calls):
    ecr_runner.run("ecr_repository", full_args())
    calls.clear()
    # The key ARN and the key ID name the same key as the alias: no change.
    assert ecr_runner.run("ecr_repository", {"name": NAME, "encryption": {"type": "KMS", "kms_key": kms_key["Arn"]}})["changed"] is False
    assert ecr_runner.run("ecr_repository", {"name": NAME, "encryption": {"type": "KMS", "kms_key": kms_key["KeyId"]}})["changed"] is False
    other = kms.create_key()["KeyMetadata"]
    result = ecr_runner.run("ecr_repository", {"name": NAME, "encryption": {"type": "KMS", "kms_key": other["KeyId"]}})
    assert result["failed"] is True
    assert "cannot change the encryption of an existing repository" in result["msg"]
    assert other["Arn"] in result["msg"]
    result = ecr_runner.run("ecr_repository", {"name": NAME, "encryption": {"type": "AES256"}}, check=True)
    assert result["failed"] is True and "is encrypted with KMS" in result["msg"]
    assert calls.writes() == []
    missing = ecr_runner.run("ecr_repository", {"name": "chatbot/other", "encryption": {"type": "KMS", "kms_key": "alias/missing"}})
    assert missing["failed"] is True and "KMS key 'alias/missing' was not found" in missing["msg"]
    # In check mode the key may be one an earlier (pretended) task would create: predicted, with a warning.
    preview = ecr_runner.run("ecr_repository", {"name": "chatbot/other", "encryption": {"type": "KMS", "kms_key": "alias/missing"}}, check=True)
    assert preview["changed"] is True and preview["repository"]["encryption"] == {"type": "KMS", "kms_key": "alias/missing"}
    assert "KMS key 'alias/missing' does not exist yet" in json.dumps(preview["warnings"])
    assert "deprecations" not in preview


def test_delete_is_guarded_when_images_remain(ecr_runner, ecr, calls):
    ecr_runner.run("ecr_repository", {"name": NAME})
    push_image(ecr, NAME, "v1", "delete-guard")
    calls.clear()
    refused = ecr_runner.run("ecr_repository", {"name": NAME, "state": "absent"})
    assert refused["failed"] is True
    assert "still holds 1 image(s); set force_delete=true" in refused["msg"]
    assert calls.writes() == []
    preview = ecr_runner.run("ecr_repository", {"name": NAME, "state": "absent", "force_delete": True}, check=True, diff=True)
    assert preview["changed"] is True and preview["diff"]["after"] == {}
    describe(ecr)
    deleted = ecr_runner.run("ecr_repository", {"name": NAME, "state": "absent", "force_delete": True})
    assert deleted["changed"] is True
    with pytest.raises(ClientError, match="RepositoryNotFoundException"):
        describe(ecr)
    assert ecr_runner.run("ecr_repository", {"name": NAME, "state": "absent"})["changed"] is False


def test_empty_repository_deletes_without_force(ecr_runner, ecr):
    ecr_runner.run("ecr_repository", {"name": NAME})
    assert ecr_runner.run("ecr_repository", {"name": NAME, "state": "absent"})["changed"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"policy": "{not json"}, "policy is not valid JSON"),
        ({"lifecycle_policy": "[1, 2"}, "lifecycle_policy is not valid JSON"),
        ({"lifecycle_rules": [{"tag_status": "tagged", "max_image_count": 3}]}, "needs exactly one of tag prefixes"),
        ({"image_tag_mutability": "immutable_with_exclusion"}, "needs image_tag_mutability_exclusion_filters"),
        ({"pull_account_ids": ["12345"]}, "'12345' is not a 12-digit AWS account ID"),
        ({"name": "Chatbot/UPPER"}, "is not a valid repository name"),
    ],
)
def test_bad_input_fails_in_one_line_without_writing(ecr_runner, calls, args, message):
    result = ecr_runner.run("ecr_repository", dict({"name": NAME}, **args))
    assert result["failed"] is True
    assert message in result["msg"]
    assert "\n" not in result["msg"]
    assert calls.writes() == []
