"""playbooks/ecr.yml and playbooks/promote.yml with the local inventory, as real ansible-playbook runs against moto.

API calls are counted from moto's request recorder (the playbooks run in subprocesses). The first run of each
playbook that changes something goes through tests/functional/ecr/faults.py's HTTP proxy with a seeded schedule
of ECR faults (30 %: throttling, 5xx before the request reached moto, 5xx after moto applied it), and the runs
after it check that the state is the one a fault-free run leaves.
"""

from __future__ import annotations

import json

import pytest
from ecr_helpers import REGION, push_image, recorded_operations, seed_scan_findings, start_recording
from faults import KINDS, FaultProxy, FaultSchedule
from module_runner import playbook_failures, run_playbook

from ansible_collections.chatbot.platform.plugins.module_utils._ecr.common import is_write_operation

REPOS = ["chatbot/frontend", "chatbot/backend", "chatbot/gateway"]


def faulted_playbook(endpoint, name, seed, *extra):
    """Run a playbook through the fault proxy (ECR requests only); check that faults of every kind were injected."""
    schedule = FaultSchedule(seed=seed, rate=0.3)
    with FaultProxy(endpoint, schedule, services=("ecr",)) as proxy:
        stats, data, proc = playbook(proxy.url, name, *extra)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert schedule.kinds_seen() == set(KINDS), schedule.injected
    return stats, data, proc


def playbook(endpoint, name, *extra):
    env = {
        "PLATFORM_AWS_ENDPOINT_URL": endpoint,
        # Until meta/runtime.yml lists the ecr_* modules in the aws action group, module_defaults for
        # group/chatbot.platform.aws do not reach them; the standard variable keeps them on moto meanwhile.
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_REGION": REGION,
    }
    # The CI stack that ecr.yml also applies (Terraform, with a state bucket) is tested in tests/terraform/test_ci_moto.py.
    data, proc = run_playbook(name, "-e", "platform_ci_enabled=false", *extra, env=env)
    return data["stats"]["localhost"], data, proc


def test_ecr_step_twice_second_run_changes_nothing_and_writes_nothing(ecr_runner, ecr, kms):
    endpoint = ecr_runner.endpoint
    stats, data, proc = faulted_playbook(endpoint, "ecr.yml", 1)
    assert stats["failures"] == 0, playbook_failures(data) or proc.stderr
    assert stats["changed"] > 0
    key_arn = kms.describe_key(KeyId="alias/chatbot-local-ecr")["KeyMetadata"]["Arn"]
    for name in REPOS:
        repo = ecr.describe_repositories(repositoryNames=[name])["repositories"][0]
        assert repo["imageTagMutability"] == "IMMUTABLE_WITH_EXCLUSION"
        assert repo["encryptionConfiguration"] == {"encryptionType": "KMS", "kmsKey": key_arn}
        assert repo["imageScanningConfiguration"]["scanOnPush"] is True
        rules = json.loads(ecr.get_lifecycle_policy(repositoryName=name)["lifecyclePolicyText"])["rules"]
        assert [r["selection"].get("tagPrefixList") for r in rules] == [["prod-"], ["staging-"], ["dev-"], None]
        policy = json.loads(ecr.get_repository_policy(repositoryName=name)["policyText"])
        assert policy["Statement"][0]["Principal"]["AWS"] == "arn:aws:iam::123456789012:root"
    scanning = ecr.get_registry_scanning_configuration()["scanningConfiguration"]
    assert scanning["rules"][0]["repositoryFilters"] == [{"filter": "chatbot/*", "filterType": "WILDCARD"}]

    start_recording(endpoint)
    stats, data, proc = playbook(endpoint, "ecr.yml")
    operations = recorded_operations(endpoint)
    assert stats["failures"] == 0, playbook_failures(data)
    assert stats["changed"] == 0
    assert [op for op in operations if is_write_operation(op.split(":")[1])] == []
    assert sum(op.startswith("ecr:") for op in operations) >= len(REPOS) * 4, operations


def test_promote_gates_every_image_then_tags_all_or_nothing(ecr_runner, ecr):
    endpoint = ecr_runner.endpoint
    stats, data, _proc = playbook(endpoint, "ecr.yml")
    assert stats["failures"] == 0, playbook_failures(data)
    digests = {name.split("/")[1]: push_image(ecr, name, "dev", f"promote-{name}") for name in REPOS}
    # backend gets a seeded critical finding: the gate fails for it, and no repository is tagged.
    ecr.start_image_scan(repositoryName="chatbot/backend", imageId={"imageDigest": digests["backend"]})
    critical = {"name": "CVE-2026-0001", "severity": "CRITICAL", "uri": "https://nvd.nist.gov/vuln/detail/CVE-2026-0001", "attributes": []}
    seed_scan_findings(endpoint, "chatbot/backend", digests["backend"], findings=[critical])
    extra = ["-e", "ecr_promote_target_env=staging", "-e", "ecr_promote_version=1.0.0"]
    stats, data, _proc = playbook(endpoint, "promote.yml", *extra)
    assert stats["failures"] == 1
    assert any("vulnerability gate failed for chatbot/backend@" in m and "1 critical (max 0)" in m for m in playbook_failures(data)), playbook_failures(data)
    for name in REPOS:
        tags = {i.get("imageTag") for i in ecr.list_images(repositoryName=name)["imageIds"]}
        assert tags == {"dev"}, (name, tags)

    # A fixed backend build (no seeded finding: moto answers with its fixed sample finding, allowlisted in the
    # local inventory) passes, and every image gets staging-1.0.0 and the staging pointer.
    digests["backend"] = push_image(ecr, "chatbot/backend", "dev", "promote-backend-fixed")
    stats, data, _proc = faulted_playbook(endpoint, "promote.yml", 2, *extra)
    assert stats["failures"] == 0, playbook_failures(data)
    assert stats["changed"] == 1  # the tagging task (one loop over the three repositories)
    for short, digest in digests.items():
        for tag in ("staging-1.0.0", "staging"):
            assert ecr.describe_images(repositoryName=f"chatbot/{short}", imageIds=[{"imageTag": tag}])["imageDetails"][0]["imageDigest"] == digest

    start_recording(endpoint)
    stats, data, _proc = playbook(endpoint, "promote.yml", *extra)
    assert stats["failures"] == 0 and stats["changed"] == 0
    assert [op for op in recorded_operations(endpoint) if is_write_operation(op.split(":")[1])] == []


@pytest.mark.parametrize("target", ["dev", "qa"])
def test_promote_refuses_a_bad_target(ecr_runner, target):
    stats, data, _proc = playbook(ecr_runner.endpoint, "promote.yml", "-e", f"ecr_promote_target_env={target}", "-e", "ecr_promote_version=1.0.0")
    assert stats["failures"] == 1
    assert any("ecr_promote_target_env" in m for m in playbook_failures(data)), playbook_failures(data)
