# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecr_registry pull-through cache rules against botocore's Stubber (moto does not implement this API).

The Stubber checks every request against the ECR service model and fails on any call not listed, in order.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json

import boto3
import pytest
from ansible.module_utils.testing import patch_module_args
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.chatbot.platform.plugins.modules import ecr_registry

CREATED = datetime.datetime(2026, 1, 2, tzinfo=datetime.timezone.utc)
SECRET = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecr-pullthroughcache/dockerhub-AbCdEf"


def existing(prefix, url, **extra):
    rule = {"ecrRepositoryPrefix": prefix, "upstreamRegistryUrl": url, "registryId": "111122223333", "createdAt": CREATED}
    rule.update(extra)
    return rule


@pytest.fixture
def stub(monkeypatch):
    client = boto3.client("ecr", region_name="eu-west-1", aws_access_key_id="a", aws_secret_access_key="b")
    stubber = Stubber(client)

    def fake_client(self, service, **_kwargs):
        assert service == "ecr"
        return client

    monkeypatch.setattr(AnsibleAWSModule, "client", fake_client)
    with stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def run(args, check=False, diff=False):
    full = {"region": "eu-west-1", "_ansible_check_mode": check, "_ansible_diff": diff}
    full.update(args)
    out = io.StringIO()
    with patch_module_args(full), contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        ecr_registry.main()
    text = out.getvalue()
    return json.loads(text[text.index("{") :])


RULES = [
    {"prefix": "ecr-public", "upstream_registry_url": "public.ecr.aws"},
    {"prefix": "docker-hub", "upstream_registry_url": "registry-1.docker.io", "credential_arn": SECRET},
]


def test_creates_missing_rules_and_leaves_matching_ones(stub):
    stub.add_response(
        "describe_pull_through_cache_rules", {"pullThroughCacheRules": [existing("ecr-public", "public.ecr.aws", upstreamRegistry="ecr-public")]}, {}
    )
    stub.add_response(
        "create_pull_through_cache_rule",
        {"ecrRepositoryPrefix": "docker-hub", "createdAt": CREATED},
        {"ecrRepositoryPrefix": "docker-hub", "upstreamRegistryUrl": "registry-1.docker.io", "credentialArn": SECRET},
    )
    result = run({"pull_through_cache_rules": RULES})
    assert result["changed"] is True, result
    assert result["changes"] == ["create pull-through cache rule docker-hub"]
    # Built from the create's answer (no list call after the write: the Stubber would refuse it).
    assert result["registry"]["pull_through_cache_rules"]["docker-hub"] == {
        "prefix": "docker-hub",
        "upstream_registry_url": "registry-1.docker.io",
        "upstream_registry": None,
        "upstream_repository_prefix": None,
        "credential_arn": SECRET,
        "custom_role_arn": None,
        "created_at": CREATED.isoformat(),
    }
    assert sorted(result["registry"]["pull_through_cache_rules"]) == ["docker-hub", "ecr-public"]


def test_matching_rules_make_no_write_call(stub):
    stub.add_response(
        "describe_pull_through_cache_rules",
        {"pullThroughCacheRules": [existing("ecr-public", "public.ecr.aws"), existing("docker-hub", "registry-1.docker.io", credentialArn=SECRET)]},
        {},
    )
    result = run({"pull_through_cache_rules": RULES})
    assert result["changed"] is False
    assert result["changes"] == []


def test_credential_is_updated_in_place_and_a_new_upstream_replaces_the_rule(stub):
    old_secret = SECRET.replace("AbCdEf", "OldOld")
    stub.add_response(
        "describe_pull_through_cache_rules",
        {
            "pullThroughCacheRules": [
                existing("ecr-public", "old.example.com"),
                existing("docker-hub", "registry-1.docker.io", credentialArn=old_secret),
                existing("quay", "quay.io"),
            ]
        },
        {},
    )
    stub.add_response("update_pull_through_cache_rule", {}, {"ecrRepositoryPrefix": "docker-hub", "credentialArn": SECRET})
    stub.add_response("delete_pull_through_cache_rule", {}, {"ecrRepositoryPrefix": "ecr-public"})
    stub.add_response("create_pull_through_cache_rule", {}, {"ecrRepositoryPrefix": "ecr-public", "upstreamRegistryUrl": "public.ecr.aws"})
    stub.add_response("delete_pull_through_cache_rule", {}, {"ecrRepositoryPrefix": "quay"})
    result = run({"pull_through_cache_rules": list(reversed(RULES)), "purge_pull_through_cache_rules": True}, diff=True)
    assert result["changed"] is True
    assert result["changes"] == [
        "update pull-through cache rule docker-hub (credential_arn)",
        "replace pull-through cache rule ecr-public (upstream_registry_url cannot be updated in place)",
        "delete pull-through cache rule quay",
    ]
    assert "quay" in result["diff"]["before"]["pull_through_cache_rules"]
    assert "quay" not in result["diff"]["after"]["pull_through_cache_rules"]


def test_check_mode_only_reads(stub):
    stub.add_response("describe_pull_through_cache_rules", {"pullThroughCacheRules": [existing("quay", "quay.io")]}, {})
    result = run({"pull_through_cache_rules": RULES, "purge_pull_through_cache_rules": True}, check=True, diff=True)
    assert result["changed"] is True
    assert result["changes"] == [
        "create pull-through cache rule ecr-public",
        "create pull-through cache rule docker-hub",
        "delete pull-through cache rule quay",
    ]
    assert sorted(result["diff"]["after"]["pull_through_cache_rules"]) == ["docker-hub", "ecr-public"]


def test_duplicate_prefix_is_refused_before_any_call(stub):
    # No response queued: a list call would fail the test with the Stubber's own error.
    result = run({"pull_through_cache_rules": [RULES[0], RULES[0]]})
    assert result["failed"] is True
    assert result["msg"] == "pull_through_cache_rules lists prefix 'ecr-public' more than once"
