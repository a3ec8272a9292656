"""The ecr_* modules through `ansible` itself (AnsiballZ in a subprocess), configured from the environment."""

from __future__ import annotations

from ecr_helpers import push_image


def test_repository_and_promotion_through_ansiballz(ecr_runner, ecr):
    # No endpoint_url/region arguments: AWS_ENDPOINT_URL and AWS_REGION come from the environment like amazon.aws.
    created, _proc = ecr_runner.run_cli("ecr_repository", {"name": "cli/app", "pull_account_ids": ["111111111111"], "tags": {"via": "ansible"}})
    assert created["changed"] is True, created
    assert created["repository"]["uri"].endswith(".dkr.ecr.eu-west-1.amazonaws.com/cli/app")
    again, _proc = ecr_runner.run_cli(
        "ecr_repository", {"name": "cli/app", "pull_account_ids": ["111111111111"], "tags": {"via": "ansible"}}, check=True, diff=True
    )
    assert again["changed"] is False, again

    digest = push_image(ecr, "cli/app", "dev", "cli")
    promoted, _proc = ecr_runner.run_cli("ecr_image", {"repository": "cli/app", "tag": "dev", "digest": digest, "promote_tags": ["staging-1"]})
    assert promoted["changed"] is True, promoted
    assert promoted["image"]["tags"] == ["dev", "staging-1"]
    listed, _proc = ecr_runner.run_cli("ecr_image_info", {"repository": "cli/app", "image_tags": ["staging-1"]})
    assert [i["digest"] for i in listed["images"]] == [digest]


def test_failure_is_one_readable_line_through_ansiballz(ecr_runner):
    result, _proc = ecr_runner.run_cli("ecr_repository", {"name": "cli/bad", "policy": "{not json"})
    assert result["failed"] is True
    assert result["msg"].startswith("policy is not valid JSON:")
    # ansible-core 2.19 adds an "exception" key to every failure; it must not carry a Python traceback.
    assert "Traceback" not in result.get("module_stderr", "") and "Traceback" not in str(result.get("exception", ""))
