from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.chatbot.platform.plugins.filter.platform import FilterModule, missing_outputs, resource_name, tf_output_values, tf_state_key


def test_resource_name_follows_naming_rule():
    assert resource_name("eks", "chatbot", "prod") == "chatbot-prod-eks"
    assert resource_name("tfstate", "chatbot", "local") == "chatbot-local-tfstate"


@pytest.mark.parametrize(
    ("purpose", "name", "env"),
    [("EKS", "chatbot", "prod"), ("eks", "chat_bot", "prod"), ("eks", "chatbot", ""), ("-eks", "chatbot", "dev"), ("eks", None, "dev")],
)
def test_resource_name_rejects_invalid_parts(purpose, name, env):
    with pytest.raises(AnsibleFilterError, match="must be lower-case"):
        resource_name(purpose, name, env)


def test_resource_name_enforces_length_limit():
    assert resource_name("cache", "chatbot", "staging", max_length=40) == "chatbot-staging-cache"
    with pytest.raises(AnsibleFilterError, match="longer than the limit of 20"):
        resource_name("redis-replication-group", "chatbot", "staging", max_length=20)


def test_tf_output_values_keeps_values_and_types():
    outputs = {
        "bucket": {"value": "chatbot-dev-tfstate", "type": "string", "sensitive": False},
        "config": {"value": {"encrypt": True}, "type": ["object", {"encrypt": "bool"}], "sensitive": False},
        "token": {"value": "s3cr3t", "type": "string", "sensitive": True},
    }
    assert tf_output_values(outputs) == {"bucket": "chatbot-dev-tfstate", "config": {"encrypt": True}, "token": "s3cr3t"}
    assert "token" not in tf_output_values(outputs, include_sensitive=False)
    assert tf_output_values(None) == {}


@pytest.mark.parametrize("bad", [["a"], {"bucket": "no-value-wrapper"}, {"bucket": {"type": "string"}}])
def test_tf_output_values_rejects_other_shapes(bad):
    with pytest.raises(AnsibleFilterError):
        tf_output_values(bad)


def test_tf_state_key():
    assert tf_state_key("platform", "chatbot", "prod") == "chatbot/prod/platform.tfstate"
    assert tf_state_key("cluster_addons", "chatbot", "dev") == "chatbot/dev/cluster_addons.tfstate"
    with pytest.raises(AnsibleFilterError):
        tf_state_key("../evil", "chatbot", "prod")


def test_filters_are_registered():
    assert set(FilterModule().filters()) == {"missing_outputs", "module_drift", "resource_name", "tf_output_values", "tf_plan_drift", "tf_state_key"}


def test_missing_outputs_names_absent_and_empty_values_in_order():
    outputs = {"cluster_name": "chatbot-dev-eks", "vpc_id": "", "subnets": [], "roles": {"lbc": "arn:aws:iam::1:role/x", "eso": None}, "tags": {}}
    required = ["vpc_id", "cluster_name", "subnets", "roles.lbc", "roles.eso", "roles.absent", "tags", "efs_id"]
    assert missing_outputs(outputs, required) == ["vpc_id", "subnets", "roles.eso", "roles.absent", "tags", "efs_id"]
    assert missing_outputs(None, ["cluster_name"]) == ["cluster_name"]
    assert missing_outputs({"cluster_name": "x"}, ["cluster_name.deeper"]) == ["cluster_name.deeper"]
    assert missing_outputs({"count": 0, "flag": False}, ["count", "flag"]) == []


@pytest.mark.parametrize(("outputs", "required"), [(["not", "a", "mapping"], ["x"]), ({}, "cluster_name"), ({}, None)])
def test_missing_outputs_rejects_bad_arguments(outputs, required):
    with pytest.raises(AnsibleFilterError, match="missing_outputs"):
        missing_outputs(outputs, required)


def test_tf_plan_drift_reports_drift_and_changes_without_values():
    from ansible_collections.chatbot.platform.plugins.filter.platform import tf_plan_drift

    plan = {
        "format_version": "1.2",
        "resource_drift": [
            {
                "address": "module.state.aws_s3_bucket.this",
                "change": {
                    "actions": ["update"],
                    "before": {"bucket": "b", "tags": {"a": "1"}, "versioning": [{"enabled": True}]},
                    "after": {"bucket": "b", "tags": {"a": "2"}, "versioning": [{"enabled": False}]},
                },
            },
            {"address": "aws_kms_key.state", "change": {"actions": ["update"], "before": {"policy": "x"}, "after": {"policy": "y"}}},
        ],
        "relevant_attributes": [{"resource": "module.state.aws_s3_bucket.this", "attribute": ["tags"]}, {"resource": "aws_kms_key.other", "attribute": []}],
        "resource_changes": [
            {"address": "module.state.aws_s3_bucket.this", "change": {"actions": ["update"], "before": {"tags": {"a": "2"}}, "after": {"tags": {"a": "1"}}}},
            {"address": "data.aws_caller_identity.current", "change": {"actions": ["read"]}},
            {"address": "aws_kms_key.state", "change": {"actions": ["no-op"], "before": {}, "after": {}}},
        ],
        "output_changes": {"bucket": {"actions": ["no-op"]}, "arn": {"actions": ["create"]}},
    }
    assert tf_plan_drift(plan) == {
        "drift": [{"address": "module.state.aws_s3_bucket.this", "actions": ["update"], "attributes": ["tags"]}],
        "changes": [
            {"address": "module.state.aws_s3_bucket.this", "actions": ["update"], "attributes": ["tags"]},
            {"address": "output.arn", "actions": ["create"], "attributes": []},
        ],
    }
    assert "1" not in str(tf_plan_drift(plan)["drift"])
    assert tf_plan_drift({"format_version": "1.2"}) == {"drift": [], "changes": []}
    with pytest.raises(AnsibleFilterError, match="format_version"):
        tf_plan_drift({"resource_changes": []})


def test_module_drift_lists_changed_results_with_their_attributes():
    from ansible_collections.chatbot.platform.plugins.filter.platform import module_drift

    loop = {
        "results": [
            {"changed": False, "_ansible_item_label": "chatbot/frontend"},
            {
                "changed": True,
                "_ansible_item_label": "chatbot/backend",
                "diff": {"before": {"scan_on_push": False, "tags": {}}, "after": {"scan_on_push": True, "tags": {}}},
            },
            {"skipped": True, "changed": False},
        ]
    }
    single = {"changed": True, "invocation": {"module_args": {"name": "chatbot-prod"}}}
    assert module_drift([loop, single, {"skipped": True}], "ecr") == [
        {"source": "ecr", "object": "chatbot/backend", "actions": ["update"], "attributes": ["scan_on_push"]},
        {"source": "ecr", "object": "chatbot-prod", "actions": ["update"], "attributes": []},
    ]
    assert module_drift(None, "atlas") == []
    with pytest.raises(AnsibleFilterError, match="registered module results"):
        module_drift(["text"], "ecr")
