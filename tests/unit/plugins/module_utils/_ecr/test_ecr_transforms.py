# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure ECR helpers: lifecycle rules, policy comparison, tag mutability, errors and JSON input."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError, ReadTimeoutError

from ansible_collections.chatbot.platform.plugins.module_utils._ecr import common, images
from ansible_collections.chatbot.platform.plugins.module_utils._ecr.common import EcrError
from ansible_collections.chatbot.platform.plugins.module_utils._ecr.images import tag_is_immutable
from ansible_collections.chatbot.platform.plugins.module_utils._ecr.kms import is_key_arn
from ansible_collections.chatbot.platform.plugins.module_utils._ecr.lifecycle import (
    build_lifecycle_policy,
    lifecycle_policies_differ,
    validate_lifecycle_policy,
)
from ansible_collections.chatbot.platform.plugins.module_utils._ecr.policy import build_pull_policy, policies_differ, validate_policy_document


class FakeClient:
    """Answers each call with the next scripted answer (an exception is raised)."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.requests = []

    def __getattr__(self, operation):
        def method(**params):
            self.requests.append((operation, params))
            answer = self.answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer

        return method


def server_error(code, status=500):
    return ClientError({"Error": {"Code": code, "Message": "try again"}, "ResponseMetadata": {"HTTPStatusCode": status}}, "DescribeImages")


def fake_api(client):
    sleeps = []
    api = common.EcrApi(module=None, sleep=sleeps.append)
    api._clients["ecr"] = client  # pylint: disable=protected-access
    api.sleeps = sleeps
    return api


def rule(**kwargs):
    base = {"priority": None, "description": None, "tag_prefixes": None, "tag_patterns": None, "max_image_count": None, "max_age_days": None}
    base.update(kwargs)
    return base


class TestLifecycleRules:
    def test_builds_the_ecr_document_with_positional_priorities(self):
        doc = build_lifecycle_policy(
            [
                rule(tag_status="untagged", max_age_days=14, description="old untagged"),
                rule(tag_status="tagged", tag_patterns=["release-*"], max_image_count=30),
                rule(tag_status="any", max_image_count=200),
            ]
        )
        assert doc == {
            "rules": [
                {
                    "rulePriority": 1,
                    "description": "old untagged",
                    "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14},
                    "action": {"type": "expire"},
                },
                {
                    "rulePriority": 2,
                    "selection": {"tagStatus": "tagged", "tagPatternList": ["release-*"], "countType": "imageCountMoreThan", "countNumber": 30},
                    "action": {"type": "expire"},
                },
                {"rulePriority": 3, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 200}, "action": {"type": "expire"}},
            ]
        }

    def test_explicit_priorities_are_kept(self):
        doc = build_lifecycle_policy(
            [rule(priority=10, tag_status="tagged", tag_prefixes=["v"], max_image_count=5), rule(priority=5, tag_status="untagged", max_age_days=1)]
        )
        assert [r["rulePriority"] for r in doc["rules"]] == [10, 5]

    @pytest.mark.parametrize(
        ("rules", "message"),
        [
            ([rule(tag_status="tagged", max_image_count=3)], "needs exactly one of tag prefixes (tagPrefixList) or tag patterns"),
            ([rule(tag_status="untagged", tag_prefixes=["v"], max_image_count=3)], "only apply to rules for tagged images, not 'untagged'"),
            ([rule(tag_status="any")], "lifecycle_rules[0] needs exactly one of max_image_count or max_age_days"),
            ([rule(tag_status="any", max_image_count=0)], "countNumber must be an integer of 1 or more, got 0"),
            (
                [rule(tag_status="any", max_image_count=1), rule(tag_status="untagged", max_age_days=3)],
                "the rule for tag status 'any' (priority 1) must have the highest",
            ),
            (
                [rule(priority=2, tag_status="untagged", max_age_days=1), rule(priority=2, tag_status="any", max_image_count=1)],
                "rulePriority 2 is used by more than one rule",
            ),
            ([rule(tag_status="tagged", tag_patterns=["a*b*c*d*e*"], max_image_count=1)], "has more than 4 wildcards"),
            ([rule(tag_status="sometimes", max_image_count=1)], "tag_status must be one of tagged, untagged, any"),
        ],
    )
    def test_malformed_rules_fail_in_one_readable_line(self, rules, message):
        with pytest.raises(EcrError) as err:
            build_lifecycle_policy(rules)
        assert message in str(err.value)
        assert "\n" not in str(err.value)

    @pytest.mark.parametrize(
        ("document", "message"),
        [
            ({}, "must be an object with a non-empty 'rules' list"),
            ({"rules": [{"rulePriority": "1", "selection": {}, "action": {}}]}, "rulePriority must be an integer of 1 or more, got '1'"),
            (
                {
                    "rules": [
                        {"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "sinceImagePushed", "countNumber": 3}, "action": {"type": "expire"}}
                    ]
                },
                "needs countUnit 'days'",
            ),
            (
                {
                    "rules": [
                        {
                            "rulePriority": 1,
                            "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 3},
                            "action": {"type": "delete"},
                        }
                    ]
                },
                "action.type must be one of",
            ),
        ],
    )
    def test_raw_documents_are_validated_too(self, document, message):
        with pytest.raises(EcrError, match=None) as err:
            validate_lifecycle_policy(document)
        assert message in str(err.value)

    def test_comparison_ignores_key_order_rule_order_and_prefix_order(self):
        current = json.loads(
            '{"rules":[{"rulePriority":2,"selection":{"tagStatus":"tagged","tagPrefixList":["b","a"],"countType":"imageCountMoreThan","countNumber":3},'
            '"action":{"type":"expire"}},{"action":{"type":"expire"},"selection":{"countNumber":1,"countUnit":"days","countType":"sinceImagePushed",'
            '"tagStatus":"untagged"},"rulePriority":1}]}'
        )
        desired = build_lifecycle_policy([rule(tag_status="untagged", max_age_days=1), rule(tag_status="tagged", tag_prefixes=["a", "b"], max_image_count=3)])
        assert lifecycle_policies_differ(current, desired) is False
        desired["rules"][1]["selection"]["countNumber"] = 4
        assert lifecycle_policies_differ(current, desired) is True
        assert lifecycle_policies_differ(None, None) is False
        assert lifecycle_policies_differ(current, None) is True


class TestPolicies:
    def test_pull_policy_grants_pull_only_to_each_account_root(self):
        policy = build_pull_policy(["222222222222", "111111111111", "222222222222"], "aws-cn")
        statement = policy["Statement"][0]
        assert statement["Principal"]["AWS"] == ["arn:aws-cn:iam::111111111111:root", "arn:aws-cn:iam::222222222222:root"]
        assert statement["Action"] == ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        assert not any("Put" in a or "Upload" in a for a in statement["Action"])
        assert build_pull_policy([]) is None

    def test_pull_policy_rejects_bad_account_ids(self):
        with pytest.raises(EcrError, match="'1234' is not a 12-digit AWS account ID"):
            build_pull_policy(["1234"])

    def test_semantically_equal_policies_do_not_differ(self):
        built = build_pull_policy(["111111111111", "222222222222"])
        written = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "CrossAccountPull",
                    "Effect": "Allow",
                    "Principal": {"AWS": ["222222222222", "arn:aws:iam::111111111111:root"]},
                    "Action": ["ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "ecr:BatchCheckLayerAvailability"],
                }
            ],
        }
        assert policies_differ(built, written) is False
        written["Statement"][0]["Action"].append("ecr:PutImage")
        assert policies_differ(built, written) is True
        assert policies_differ(None, built) is True
        assert policies_differ(None, None) is False

    @pytest.mark.parametrize(
        ("document", "message"),
        [
            ([], "policy must be a JSON object"),
            ({"Version": "2012-10-17"}, "needs a 'Statement'"),
            ({"Statement": [{"Effect": "Maybe", "Action": "ecr:*"}]}, "Effect must be 'Allow' or 'Deny'"),
            ({"Statement": {"Effect": "Allow"}}, "has no Action"),
        ],
    )
    def test_policy_validation(self, document, message):
        with pytest.raises(EcrError) as err:
            validate_policy_document(document)
        assert message in str(err.value)


class TestCommon:
    def test_json_documents(self):
        assert common.load_json_document('{"a": 1}', "policy") == {"a": 1}
        assert common.load_json_document({"a": 1}, "policy") == {"a": 1}
        assert common.load_json_document("  ", "policy") == {}
        with pytest.raises(EcrError, match=r"^policy is not valid JSON: Expecting"):
            common.load_json_document("{nope", "policy")
        with pytest.raises(EcrError, match="must be a JSON object or a JSON string, got int"):
            common.load_json_document(3, "policy")

    def test_aws_errors_become_one_line(self):
        err = ClientError({"Error": {"Code": "RepositoryNotFoundException", "Message": "The repository\nwas not found"}}, "DescribeRepositories")
        assert (
            common.describe_aws_error(err, "describe repository 'x'")
            == "describe repository 'x' failed: RepositoryNotFoundException: The repository was not found"
        )
        html = ClientError(
            {"Error": {"Code": "502", "Message": "<html><body>Bad gateway</body></html>"}, "ResponseMetadata": {"HTTPStatusCode": 502}}, "PutImage"
        )
        assert common.describe_aws_error(html, "tag") == "tag failed: 502: HTTP 502 from the ECR endpoint"
        conn = EndpointConnectionError(endpoint_url="http://127.0.0.1:1")
        assert common.describe_aws_error(conn, "list") == 'list failed: Could not connect to the endpoint URL: "http://127.0.0.1:1"'

    @pytest.mark.parametrize(
        ("code", "status"),
        [
            ("ThrottlingException", 400),
            ("TooManyRequestsException", 429),
            ("ServerException", 500),
            ("InternalFailure", 500),  # a 5xx whose code was never on any list
            ("ServiceUnavailableException", 503),
            ("502", 502),
            ("SomethingNew", 599),
            ("SlowDown", None),
        ],
    )
    def test_throttling_and_every_5xx_are_retried(self, code, status):
        response = {"Error": {"Code": code, "Message": "try again"}}
        if status is not None:
            response["ResponseMetadata"] = {"HTTPStatusCode": status}
        assert common.is_retryable(ClientError(response, "DescribeImages"))

    @pytest.mark.parametrize(
        ("code", "status"),
        [
            ("RepositoryNotFoundException", 400),
            ("ImageTagAlreadyExistsException", 400),
            ("AccessDeniedException", 400),
            ("LimitExceededException", 400),
            ("ValidationException", None),
        ],
    )
    def test_client_errors_are_not_retried(self, code, status):
        response = {"Error": {"Code": code, "Message": "no"}}
        if status is not None:
            response["ResponseMetadata"] = {"HTTPStatusCode": status}
        assert not common.is_retryable(ClientError(response, "DescribeImages"))

    def test_connection_failures_are_retried(self):
        assert common.is_retryable(EndpointConnectionError(endpoint_url="http://127.0.0.1:1"))
        assert common.is_retryable(ReadTimeoutError(endpoint_url="http://127.0.0.1:1"))
        assert not common.is_retryable(NoCredentialsError())

    def test_waits_grow_and_stay_within_the_budget(self):
        waits = list(common.retry_delays(attempts=10, delay=0.25, max_delay=5.0, budget=20.0, rand=lambda: 1.0))
        assert waits[:5] == [0.25, 0.5, 1.0, 2.0, 4.0]
        assert max(waits) == 5.0
        assert sum(waits) <= 20.0
        assert len(waits) < 9  # the budget, not the attempts, ends it
        assert len(list(common.retry_delays(attempts=3, delay=0.25, max_delay=5.0, budget=20.0, rand=lambda: 1.0))) == 2

    def test_call_retries_then_gives_up_in_one_line(self, monkeypatch):
        monkeypatch.setattr(common, "RETRY_ATTEMPTS", 3)
        client = FakeClient([server_error("InternalFailure")] * 5)
        api = fake_api(client)
        with pytest.raises(EcrError, match=r"^describe it failed: InternalFailure: try again$") as caught:
            api.call("describe_images", "describe it", repositoryName="x")
        assert len(client.requests) == 3
        assert caught.value.retried is True
        assert api.sleeps and all(wait >= 0 for wait in api.sleeps)

    def test_call_recovers_and_does_not_retry_client_errors(self):
        client = FakeClient([server_error("ServiceUnavailable", 503), {"imageDetails": []}])
        api = fake_api(client)
        assert api.call("describe_images", "describe it") == {"imageDetails": []}
        assert len(client.requests) == 2
        denied = FakeClient([ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}, "ResponseMetadata": {"HTTPStatusCode": 400}}, "X")])
        with pytest.raises(EcrError, match="AccessDeniedException") as caught:
            fake_api(denied).call("describe_images", "describe it")
        assert len(denied.requests) == 1 and caught.value.retried is False

    def test_missing_after_a_lost_answer_is_success(self):
        gone = ClientError({"Error": {"Code": "RepositoryNotFoundException", "Message": "gone"}, "ResponseMetadata": {"HTTPStatusCode": 400}}, "X")
        client = FakeClient([server_error("InternalFailure"), gone])
        assert fake_api(client).call("delete_repository", "delete", missing=("RepositoryNotFoundException",), repositoryName="x") is None

    def test_wildcards(self):
        assert common.wildcard_match("dev-*", "dev-abc")
        assert not common.wildcard_match("dev-*", "prod-dev-abc")
        assert common.wildcard_match("v*.*", "v1.2")
        assert common.wildcard_match("a.b", "a.b") and not common.wildcard_match("a.b", "axb")

    def test_write_operations(self):
        assert common.is_write_operation("PutImage") and common.is_write_operation("StartImageScan") and common.is_write_operation("UntagResource")
        assert (
            not common.is_write_operation("DescribeImages")
            and not common.is_write_operation("BatchGetImage")
            and not common.is_write_operation("GetLifecyclePolicy")
        )

    def test_partitions(self):
        assert common.partition_for_region("eu-west-1") == "aws"
        assert common.partition_for_region("cn-north-1") == "aws-cn"
        assert common.partition_for_region("us-gov-west-1") == "aws-us-gov"


@pytest.mark.parametrize(
    ("mutability", "filters", "tag", "immutable"),
    [
        ("IMMUTABLE", [], "prod", True),
        ("MUTABLE", [], "prod", False),
        ("IMMUTABLE_WITH_EXCLUSION", ["latest", "dev-*"], "dev-42", False),
        ("IMMUTABLE_WITH_EXCLUSION", ["latest", "dev-*"], "v1.0.0", True),
        ("MUTABLE_WITH_EXCLUSION", ["v*"], "v1.0.0", True),
        ("MUTABLE_WITH_EXCLUSION", ["v*"], "edge", False),
        (None, None, "anything", False),
    ],
)
def test_tag_mutability(mutability, filters, tag, immutable):
    assert tag_is_immutable(mutability, filters, tag) is immutable


def test_key_arns_need_no_lookup():
    assert is_key_arn("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    assert not is_key_arn("arn:aws:kms:eu-west-1:111122223333:alias/ecr")
    assert not is_key_arn("alias/ecr")
    assert not is_key_arn("1234abcd-12ab-34cd-56ef-1234567890ab")


class TestReadForPromotion:
    """One BatchGetImage answers for the manifest and every target tag, in ECR's shape and in moto's."""

    SOURCE = "sha256:" + "a" * 64
    OTHER = "sha256:" + "b" * 64

    def image(self, digest, tag=None):
        image_id = {"imageDigest": digest}
        if tag:
            image_id["imageTag"] = tag
        return {"imageId": image_id, "imageManifest": f"manifest of {digest}", "imageManifestMediaType": "application/vnd.oci.image.manifest.v1+json"}

    def read(self, answer, tags):
        client = FakeClient([answer])
        result = images.read_for_promotion(fake_api(client), "app", None, self.SOURCE, tags)
        operation, params = client.requests[0]
        assert operation == "batch_get_image"
        assert params["imageIds"] == [{"imageDigest": self.SOURCE}] + [{"imageTag": tag} for tag in tags]
        return result

    def test_ecr_echoes_each_tag_asked_for(self):
        # ECR's order need not match the request when every answer names its tag.
        answer = {
            "images": [self.image(self.OTHER, "prod"), self.image(self.SOURCE)],
            "failures": [{"imageId": {"imageTag": "prod-1.0.0"}, "failureCode": "ImageNotFound", "failureReason": "Requested image not found"}],
        }
        manifest, media_type, current = self.read(answer, ["prod-1.0.0", "prod"])
        assert manifest == f"manifest of {self.SOURCE}"
        assert media_type == "application/vnd.oci.image.manifest.v1+json"
        assert current == {"prod-1.0.0": None, "prod": self.OTHER}

    def test_moto_answers_in_request_order_with_another_tag_of_the_image(self):
        # moto echoes the image's own last tag, not the tag asked for: the position tells them apart.
        answer = {"images": [self.image(self.SOURCE, "dev"), self.image(self.OTHER, "latest"), self.image(self.OTHER, "latest")], "failures": []}
        _manifest, _media_type, current = self.read(answer, ["staging", "latest"])
        assert current == {"staging": self.OTHER, "latest": self.OTHER}

    def test_other_failures_and_a_missing_source_fail_in_one_line(self):
        answer = {
            "images": [],
            "failures": [
                {"imageId": {"imageDigest": self.SOURCE}, "failureCode": "ImageNotFound", "failureReason": "Requested image not found"},
                {"imageId": {"imageTag": "v1"}, "failureCode": "ImageNotFound", "failureReason": "Requested image not found"},
            ],
        }
        with pytest.raises(EcrError, match=r"^could not read the manifest of app@sha256:a+: sha256:a+: ImageNotFound: Requested image not found$"):
            self.read(answer, ["v1"])
        kms = {"images": [self.image(self.SOURCE)], "failures": [{"imageId": {"imageTag": "v1"}, "failureCode": "KmsError", "failureReason": "key disabled"}]}
        with pytest.raises(EcrError, match="v1: KmsError: key disabled"):
            self.read(kms, ["v1"])
