"""ecr_image against moto: resolution, promotion by digest, immutable conflicts, scans and the vulnerability gate.

Scan findings are seeded through moto's documented API (POST /moto-api/static/ecr/scan-finding-results), which
queues the exact DescribeImageScanFindings response moto returns for an image. moto does not scan on push, so
each test starts the scan itself (boto3 start_image_scan, or the module's start_scan option) before reading it;
without a seeded response moto answers with a fixed sample finding (one HIGH, CVE-9999-9999).
"""

from __future__ import annotations

import datetime
import json

import pytest
from ecr_helpers import push_image, seed_scan_findings

REPO = "chatbot/backend"


@pytest.fixture
def repo(ecr_runner, calls):
    ecr_runner.run(
        "ecr_repository", {"name": REPO, "image_tag_mutability": "immutable_with_exclusion", "image_tag_mutability_exclusion_filters": ["dev", "latest"]}
    )
    calls.clear()
    return REPO


def finding(cve, severity):
    return {"name": cve, "severity": severity, "uri": f"https://nvd.nist.gov/vuln/detail/{cve}", "attributes": [{"key": "package_name", "value": "openssl"}]}


def test_resolves_a_tag_to_its_digest_without_writing(ecr_runner, ecr, repo, calls):
    digest = push_image(ecr, repo, "dev", "resolve")
    result = ecr_runner.run("ecr_image", {"repository": repo, "tag": "dev"})
    assert result["changed"] is False
    assert result["image"]["digest"] == digest
    assert result["image"]["tags"] == ["dev"]
    assert calls.writes() == []
    missing = ecr_runner.run("ecr_image", {"repository": repo, "tag": "nope"})
    assert missing["failed"] is True and missing["msg"] == f"image {repo}:nope was not found"


def test_promotion_twice_is_changed_once_and_moves_no_layers(ecr_runner, ecr, repo, calls):
    digest = push_image(ecr, repo, "dev", "promote", layers=5)
    args = {"repository": repo, "tag": "dev", "digest": digest, "promote_tags": ["staging-1.0.0", "v1.0.0"]}
    first = ecr_runner.run("ecr_image", args, diff=True)
    assert first["changed"] is True, first
    assert first["promoted"] == [{"tag": "staging-1.0.0", "previous_digest": None}, {"tag": "v1.0.0", "previous_digest": None}]
    assert first["diff"]["after"] == {"tags": {"staging-1.0.0": digest, "v1.0.0": digest}}
    assert first["image"]["tags"] == ["dev", "staging-1.0.0", "v1.0.0"]
    assert calls.count("PutImage") == 2
    assert calls.count("BatchGetImage") == 1
    layer_calls = {"InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload", "GetDownloadUrlForLayer", "BatchCheckLayerAvailability"}
    assert not [c for c in calls.calls if c.split(":")[1] in layer_calls]
    for tag in ("staging-1.0.0", "v1.0.0"):
        assert ecr.describe_images(repositoryName=repo, imageIds=[{"imageTag": tag}])["imageDetails"][0]["imageDigest"] == digest

    calls.clear()
    second = ecr_runner.run("ecr_image", args)
    assert second["changed"] is False
    assert second["unchanged_tags"] == ["staging-1.0.0", "v1.0.0"]
    assert calls.writes() == []


def test_check_mode_promotion_writes_nothing(ecr_runner, ecr, repo, calls):
    digest = push_image(ecr, repo, "dev", "check")
    result = ecr_runner.run("ecr_image", {"repository": repo, "digest": digest, "promote_tags": ["staging-2"]}, check=True, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"] == {"tags": {"staging-2": None}}
    assert calls.writes() == []
    assert ecr.list_images(repositoryName=repo)["imageIds"] == [{"imageDigest": digest, "imageTag": "dev"}]


def test_immutable_tag_pointing_elsewhere_refuses_the_whole_promotion(ecr_runner, ecr, repo, calls):
    old = push_image(ecr, repo, "dev", "old")
    ecr_runner.run("ecr_image", {"repository": repo, "digest": old, "promote_tags": ["prod-1"]})
    new = push_image(ecr, repo, "dev", "new")
    message = f"tag 'prod-1' in repository '{repo}' already points to {old} and is immutable; promote to a new tag"
    # Check mode predicts the refusal from the repository's mutability settings without writing.
    calls.clear()
    preview = ecr_runner.run("ecr_image", {"repository": repo, "tag": "dev", "promote_tags": ["prod-2", "prod-1"]}, check=True)
    assert preview["failed"] is True and preview["msg"] == message
    assert calls.writes() == []
    # A real run writes the one moving tag first; ECR refuses it, so prod-2 is never attempted.
    calls.clear()
    result = ecr_runner.run("ecr_image", {"repository": repo, "tag": "dev", "promote_tags": ["prod-2", "prod-1"]})
    assert result["failed"] is True
    assert result["msg"] == message
    assert calls.writes() == ["ecr:PutImage"]
    assert ecr.describe_images(repositoryName=repo, imageIds=[{"imageTag": "prod-1"}])["imageDetails"][0]["imageDigest"] == old
    # prod-2 was not written either: the whole promotion is refused
    assert {i.get("imageTag") for i in ecr.list_images(repositoryName=repo)["imageIds"]} == {"dev", "prod-1"}
    assert new != old


def test_two_moving_tags_are_checked_before_any_write(ecr_runner, ecr, repo, calls):
    old = push_image(ecr, repo, "dev", "two-old")
    ecr_runner.run("ecr_image", {"repository": repo, "digest": old, "promote_tags": ["latest", "prod-7"]})
    push_image(ecr, repo, "dev", "two-new")
    calls.clear()
    # latest may move (an exclusion filter), prod-7 may not: nothing is written, not even latest.
    result = ecr_runner.run("ecr_image", {"repository": repo, "tag": "dev", "promote_tags": ["latest", "prod-7"]})
    assert result["failed"] is True and "tag 'prod-7'" in result["msg"] and "is immutable" in result["msg"]
    assert calls.writes() == []
    assert ecr.describe_images(repositoryName=repo, imageIds=[{"imageTag": "latest"}])["imageDetails"][0]["imageDigest"] == old


def test_excluded_tag_moves_and_reports_previous_digest(ecr_runner, ecr, repo):
    old = push_image(ecr, repo, "v1", "first")
    ecr_runner.run("ecr_image", {"repository": repo, "digest": old, "promote_tags": ["latest"]})
    new = push_image(ecr, repo, "v2", "second")
    result = ecr_runner.run("ecr_image", {"repository": repo, "tag": "v2", "promote_tags": ["latest"]}, diff=True)
    assert result["changed"] is True
    assert result["promoted"] == [{"tag": "latest", "previous_digest": old}]
    assert result["diff"]["before"] == {"tags": {"latest": old}}
    assert ecr.describe_images(repositoryName=repo, imageIds=[{"imageTag": "latest"}])["imageDetails"][0]["imageDigest"] == new


def test_tag_that_moved_after_testing_is_refused(ecr_runner, ecr, repo, calls):
    tested = push_image(ecr, repo, "v1", "tested")
    push_image(ecr, repo, "dev", "moved-on")
    result = ecr_runner.run("ecr_image", {"repository": repo, "tag": "dev", "digest": tested, "promote_tags": ["prod-9"]})
    assert result["failed"] is True
    assert f"not to the expected {tested}" in result["msg"]
    assert calls.writes() == []


def test_gate_passes_with_allowlisted_finding_and_then_promotes(ecr_runner, ecr, repo):
    digest = push_image(ecr, repo, "dev", "gate-pass")
    ecr.start_image_scan(repositoryName=repo, imageId={"imageDigest": digest})
    seed_scan_findings(
        ecr_runner.endpoint, repo, digest, findings=[finding("CVE-2024-0001", "HIGH"), finding("CVE-2024-0002", "MEDIUM"), finding("CVE-2024-0003", "LOW")]
    )
    tomorrow = (datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=1)).isoformat()
    gate = {"max_findings": {"critical": 0, "HIGH": 0, "medium": 1}, "allowlist": [{"id": "CVE-2024-0001", "expires": tomorrow, "reason": "not reachable"}]}
    result = ecr_runner.run(
        "ecr_image", {"repository": repo, "digest": digest, "wait_for_scan": True, "scan_timeout": 5, "gate": gate, "promote_tags": ["staging-3"]}
    )
    assert result["changed"] is True, result
    assert result["gate"]["passed"] is True
    assert result["gate"]["counts"]["high"] == 0
    assert result["gate"]["counts"]["medium"] == 1
    assert result["gate"]["counts"]["low"] == 1
    assert result["gate"]["allowlisted"] == ["CVE-2024-0001"]
    assert result["scan"]["status"] == "COMPLETE"
    assert result["scan"]["severity_counts"] == {"high": 1, "medium": 1, "low": 1}
    assert ecr.describe_images(repositoryName=repo, imageIds=[{"imageTag": "staging-3"}])["imageDetails"][0]["imageDigest"] == digest


def test_gate_fails_on_expired_allowlist_entry_and_promotes_nothing(ecr_runner, ecr, repo, calls):
    digest = push_image(ecr, repo, "dev", "gate-fail")
    ecr.start_image_scan(repositoryName=repo, imageId={"imageDigest": digest})
    seed_scan_findings(ecr_runner.endpoint, repo, digest, findings=[finding("CVE-2023-1111", "CRITICAL"), finding("CVE-2023-2222", "HIGH")])
    yesterday = (datetime.datetime.now(datetime.timezone.utc).date() - datetime.timedelta(days=1)).isoformat()
    gate = {"max_findings": {"critical": 0, "high": 0}, "allowlist": [{"id": "CVE-2023-1111", "expires": yesterday}]}
    calls.clear()
    result = ecr_runner.run("ecr_image", {"repository": repo, "digest": digest, "gate": gate, "promote_tags": ["prod-3"]})
    assert result["failed"] is True
    assert result["msg"] == (
        f"vulnerability gate failed for {repo}@{digest}: 1 critical (max 0), 1 high (max 0); "
        f"expired allowlist entries no longer apply: CVE-2023-1111 (expired {yesterday})"
    )
    assert result["gate"]["passed"] is False
    assert result["gate"]["exceeded"] == {"critical": {"count": 1, "max": 0}, "high": {"count": 1, "max": 0}}
    assert f"allowlist entry CVE-2023-1111 expired on {yesterday}; its findings count again" in json.dumps(result["warnings"])
    assert calls.writes() == []
    assert {i.get("imageTag") for i in ecr.list_images(repositoryName=repo)["imageIds"]} == {"dev"}


def test_enhanced_findings_count_only_while_active(ecr_runner, ecr, repo):
    digest = push_image(ecr, repo, "dev", "enhanced")
    ecr.start_image_scan(repositoryName=repo, imageId={"imageDigest": digest})
    enhanced = [
        {"severity": "CRITICAL", "status": "SUPPRESSED", "packageVulnerabilityDetails": {"vulnerabilityId": "CVE-2025-0001"}},
        {
            "severity": "HIGH",
            "status": "ACTIVE",
            "packageVulnerabilityDetails": {"vulnerabilityId": "CVE-2025-0002", "vulnerablePackages": [{"name": "glibc", "version": "2.36"}]},
        },
        {"severity": "UNTRIAGED", "status": "ACTIVE", "packageVulnerabilityDetails": {"vulnerabilityId": "GHSA-xxxx"}},
    ]
    seed_scan_findings(ecr_runner.endpoint, repo, digest, enhanced=enhanced, status="ACTIVE")
    result = ecr_runner.run("ecr_image", {"repository": repo, "digest": digest, "gate": {"max_findings": {"critical": 0, "high": 1, "untriaged": 0}}})
    assert result["failed"] is True
    assert result["gate"]["exceeded"] == {"untriaged": {"count": 1, "max": 0}}
    assert result["gate"]["counts"]["critical"] == 0
    assert [f["package_name"] for f in result["gate"]["findings"] if f["id"] == "CVE-2025-0002"] == ["glibc"]


def test_start_scan_then_gate(ecr_runner, ecr, repo, calls):
    digest = push_image(ecr, repo, "dev", "start-scan")
    no_scan = ecr_runner.run("ecr_image", {"repository": repo, "digest": digest, "gate": {"max_findings": {"high": 0}}})
    assert no_scan["failed"] is True
    assert "needs a finished scan" in no_scan["msg"] and "now: no scan" in no_scan["msg"]
    seed_scan_findings(ecr_runner.endpoint, repo, digest, findings=[finding("CVE-2024-7777", "LOW")])
    calls.clear()
    result = ecr_runner.run(
        "ecr_image", {"repository": repo, "digest": digest, "start_scan": True, "wait_for_scan": True, "scan_timeout": 5, "gate": {"max_findings": {"high": 0}}}
    )
    assert result["changed"] is False and result["gate"]["passed"] is True, result
    assert calls.count("StartImageScan") == 1
    assert result["gate"]["counts"]["low"] == 1


def test_wait_times_out_on_a_scan_that_never_finishes(ecr_runner, ecr, repo):
    digest = push_image(ecr, repo, "dev", "slow-scan")
    ecr.start_image_scan(repositoryName=repo, imageId={"imageDigest": digest})
    seed_scan_findings(ecr_runner.endpoint, repo, digest, findings=[], status="IN_PROGRESS")
    result = ecr_runner.run("ecr_image", {"repository": repo, "digest": digest, "wait_for_scan": True, "scan_timeout": 1, "promote_tags": ["prod-4"]})
    assert result["failed"] is True
    assert result["msg"] == f"scan of {repo}@{digest} is still IN_PROGRESS after 1s; raise scan_timeout or try again later"


def test_failed_scan_is_reported(ecr_runner, ecr, repo):
    digest = push_image(ecr, repo, "dev", "bad-scan")
    ecr.start_image_scan(repositoryName=repo, imageId={"imageDigest": digest})
    seed_scan_findings(ecr_runner.endpoint, repo, digest, findings=[], status="UNSUPPORTED_IMAGE")
    result = ecr_runner.run("ecr_image", {"repository": repo, "digest": digest, "wait_for_scan": True, "scan_timeout": 5})
    assert result["failed"] is True
    assert "ended with status UNSUPPORTED_IMAGE" in result["msg"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"gate": {"max_findings": {"severe": 0}}}, "gate.max_findings has unknown severity 'severe'; use one of critical, high"),
        ({"gate": {"max_findings": {"high": -1}}}, "gate.max_findings.high must be a whole number of findings of 0 or more"),
        ({"gate": {"allowlist": [{"id": "CVE-1", "expires": "next week"}]}}, "gate.allowlist[0].expires must be a date as YYYY-MM-DD"),
        ({"promote_tags": ["-bad"]}, "'-bad' is not a valid image tag"),
        ({"digest": "sha256:xyz"}, "is not an image digest"),
    ],
)
def test_bad_input_fails_in_one_line_before_any_call(ecr_runner, calls, extra, message):
    args = dict({"repository": REPO, "tag": "dev"}, **extra)
    result = ecr_runner.run("ecr_image", args)
    assert result["failed"] is True
    assert message in result["msg"]
    assert "\n" not in result["msg"]
    assert calls.calls == []
