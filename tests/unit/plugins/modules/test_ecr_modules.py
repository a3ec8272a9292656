# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module-level unit tests: bad input to the ecr_* modules fails in one line, before any AWS API call."""

from __future__ import annotations

import contextlib
import io
import json

import botocore.client
import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.chatbot.platform.plugins.modules import ecr_image, ecr_image_info, ecr_repository

CONN = {"region": "eu-west-1", "access_key": "AKIDEXAMPLE", "secret_key": "not-a-real-secret", "endpoint_url": "http://127.0.0.1:9"}


@pytest.fixture(autouse=True)
def no_aws_calls(monkeypatch):
    calls = []

    def make_api_call(self, operation_name, api_params):
        calls.append(operation_name)
        raise AssertionError(f"no AWS call expected, got {operation_name}")

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", make_api_call)
    return calls


def run(module, args):
    out = io.StringIO()
    with patch_module_args(dict(CONN, **args)), contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        module.main()
    text = out.getvalue()
    return json.loads(text[text.index("{") :])


@pytest.mark.parametrize(
    ("module", "args", "expected"),
    [
        (ecr_repository, {"name": "app", "policy": "{'Statement': []}"}, "policy is not valid JSON: Expecting property name enclosed in double quotes"),
        (
            ecr_repository,
            {"name": "app", "lifecycle_policy": {"rules": [{"rulePriority": 1, "selection": {"tagStatus": "tagged"}}]}},
            "needs exactly one of tag prefixes",
        ),
        (ecr_repository, {"name": "app", "lifecycle_rules": [{"tag_status": "any"}]}, "one of the following is required: max_image_count, max_age_days"),
        (
            ecr_repository,
            {"name": "app", "lifecycle_rules": [{"tag_status": "tagged", "tag_prefixes": ["v"], "tag_patterns": ["v*"], "max_image_count": 1}]},
            "mutually exclusive",
        ),
        (ecr_repository, {"name": "app", "policy": {}, "pull_account_ids": []}, "parameters are mutually exclusive: policy|pull_account_ids"),
        (ecr_repository, {"name": "app", "image_tag_mutability_exclusion_filters": ["x"]}, "missing parameter(s) required by"),
        (
            ecr_repository,
            {"name": "app", "image_tag_mutability": "immutable", "image_tag_mutability_exclusion_filters": ["x"]},
            "only apply to mutable_with_exclusion",
        ),
        (
            ecr_repository,
            {"name": "app", "image_tag_mutability": "mutable_with_exclusion", "image_tag_mutability_exclusion_filters": ["a b"]},
            "must be 1-128 letters",
        ),
        (ecr_repository, {"name": "app", "encryption": {"type": "AES256", "kms_key": "alias/x"}}, "encryption.kms_key only applies to the KMS"),
        (ecr_repository, {"name": "UPPER"}, "is not a valid repository name"),
        (ecr_image, {"repository": "app", "tag": "dev", "gate": {"max_findings": {"severe": 1}}}, "gate.max_findings has unknown severity 'severe'"),
        (ecr_image, {"repository": "app", "tag": "dev", "gate": {"allowlist": [{"id": "CVE-1", "expires": "soon"}]}}, "expires must be a date as YYYY-MM-DD"),
        (ecr_image, {"repository": "app", "tag": "dev", "gate": {"allowlist": [{"id": "CVE-1"}]}}, "missing required arguments: expires"),
        (ecr_image, {"repository": "app"}, "one of the following is required: tag, digest"),
        (ecr_image, {"repository": "app", "tag": "dev", "scan_timeout": -1}, "scan_timeout must be between 0 and 86400 seconds (a day), got -1"),
        (ecr_image_info, {"repository": "app", "max_results": 0}, "max_results must be 1 or more"),
    ],
)
def test_bad_input_is_rejected_before_any_request(module, args, expected, no_aws_calls):
    result = run(module, args)
    assert result["failed"] is True
    assert expected in result["msg"]
    assert "\n" not in result["msg"]
    assert no_aws_calls == []
