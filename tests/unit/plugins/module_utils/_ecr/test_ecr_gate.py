# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The vulnerability gate: thresholds, allowlist expiry, finding extraction and the scan waiter."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.chatbot.platform.plugins.module_utils._ecr import images
from ansible_collections.chatbot.platform.plugins.module_utils._ecr.common import EcrError
from ansible_collections.chatbot.platform.plugins.module_utils._ecr.gate import (
    evaluate_gate,
    extract_findings,
    gate_failure_message,
    parse_allowlist,
    parse_thresholds,
)

TODAY = datetime.date(2026, 6, 15)


def basic(cve, severity):
    return {"name": cve, "severity": severity, "attributes": [{"key": "package_name", "value": "zlib"}, {"key": "package_version", "value": "1.2"}]}


def test_thresholds_accept_any_case_and_reject_unknown_severities():
    assert parse_thresholds({"critical": 0, "High": "2"}) == {"CRITICAL": 0, "HIGH": 2}
    with pytest.raises(
        EcrError, match=r"^gate.max_findings has unknown severity 'urgent'; use one of critical, high, medium, low, informational, undefined, untriaged$"
    ):
        parse_thresholds({"urgent": 0})
    for bad in (-1, "many", 1.5, True):
        with pytest.raises(EcrError, match="must be a whole number of findings"):
            parse_thresholds({"high": bad})
    with pytest.raises(EcrError, match="lists severity high more than once"):
        parse_thresholds({"high": 1, "HIGH": 2})


def test_allowlist_entries_expire_after_their_day():
    active, expired = parse_allowlist(
        [
            {"id": "CVE-1", "expires": "2026-06-15", "reason": "last day"},
            {"id": "cve-2", "expires": "2026-06-14"},
            {"id": "CVE-3", "expires": datetime.date(2027, 1, 1)},
        ],
        TODAY,
    )
    assert sorted(active) == ["CVE-1", "CVE-3"]
    assert expired == [{"id": "cve-2", "expires": "2026-06-14", "reason": ""}]


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([{"id": "CVE-1"}], "gate.allowlist[0].expires is required"),
        ([{"id": "", "expires": "2026-01-01"}], "gate.allowlist[0].id is required"),
        ([{"id": "CVE-1", "expires": "31/12/2026"}], "gate.allowlist[0].expires must be a date as YYYY-MM-DD, got '31/12/2026'"),
        ([{"id": "CVE-1", "expires": "2026-01-01"}, {"id": "cve-1", "expires": "2026-01-01"}], "lists cve-1 more than once"),
        (["CVE-1"], "gate.allowlist[0] must be a dictionary"),
    ],
)
def test_bad_allowlist_entries(entries, message):
    with pytest.raises(EcrError) as err:
        parse_allowlist(entries, TODAY)
    assert message in str(err.value)


def test_extracts_basic_and_enhanced_findings():
    findings = extract_findings(
        {
            "findings": [basic("CVE-A", "high")],
            "enhancedFindings": [
                {
                    "severity": "CRITICAL",
                    "status": "SUPPRESSED",
                    "packageVulnerabilityDetails": {
                        "vulnerabilityId": "CVE-B",
                        "sourceUrl": "https://x",
                        "vulnerablePackages": [{"name": "glibc", "version": "2"}],
                    },
                },
                {"severity": "MEDIUM", "title": "GHSA-1"},
            ],
        }
    )
    assert findings == [
        {"id": "CVE-A", "severity": "HIGH", "status": "ACTIVE", "package_name": "zlib", "package_version": "1.2", "uri": None},
        {"id": "CVE-B", "severity": "CRITICAL", "status": "SUPPRESSED", "package_name": "glibc", "package_version": "2", "uri": "https://x"},
        {"id": "GHSA-1", "severity": "MEDIUM", "status": "ACTIVE", "package_name": None, "package_version": None, "uri": None},
    ]


def test_gate_counts_open_findings_without_allowlisted_ids():
    findings = extract_findings({"findings": [basic("CVE-1", "CRITICAL"), basic("CVE-2", "HIGH"), basic("CVE-2", "HIGH"), basic("CVE-3", "LOW")]})
    summary = evaluate_gate(findings, {"critical": 0, "high": 1}, [{"id": "CVE-1", "expires": "2026-12-31"}], TODAY)
    assert summary["counts"]["critical"] == 0
    assert summary["counts"]["high"] == 2
    assert summary["passed"] is False
    assert summary["exceeded"] == {"high": {"count": 2, "max": 1}}
    assert summary["allowlisted"] == ["CVE-1"]
    assert [f["allowlisted"] for f in summary["findings"]] == [True, False, False, False]


def test_gate_at_threshold_passes_and_unlisted_severities_are_unlimited():
    findings = extract_findings({"findings": [basic("CVE-2", "HIGH")] + [basic(f"CVE-L{i}", "LOW") for i in range(50)]})
    assert evaluate_gate(findings, {"high": 1}, [], TODAY)["passed"] is True
    assert evaluate_gate(findings, {"high": 0}, [], TODAY)["passed"] is False


def test_expired_entry_counts_again_and_is_named_in_the_message():
    findings = extract_findings({"findings": [basic("CVE-9", "CRITICAL")]})
    summary = evaluate_gate(findings, {"critical": 0}, [{"id": "CVE-9", "expires": "2026-06-01"}], TODAY)
    assert summary["passed"] is False
    assert gate_failure_message(summary, "repo@sha256:abc") == (
        "vulnerability gate failed for repo@sha256:abc: 1 critical (max 0); expired allowlist entries no longer apply: CVE-9 (expired 2026-06-01)"
    )


def test_suppressed_enhanced_findings_do_not_count():
    findings = extract_findings(
        {"enhancedFindings": [{"severity": "CRITICAL", "status": "CLOSED", "packageVulnerabilityDetails": {"vulnerabilityId": "CVE-X"}}]}
    )
    summary = evaluate_gate(findings, {"critical": 0}, [], TODAY)
    assert summary["passed"] is True and summary["findings"] == []


class FakeScanApi:
    """Serves DescribeImageScanFindings pages from a script and records StartImageScan."""

    def __init__(self, script):
        self.script = list(script)
        self.started = 0

    def call(self, operation, action, missing=(), client=None, **params):
        if operation == "start_image_scan":
            self.started += 1
            return {}
        assert operation == "describe_image_scan_findings"
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        return step(params) if callable(step) else step


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def page(status, findings=(), token=None):
    response = {"imageScanStatus": {"status": status}, "imageScanFindings": {"findings": list(findings), "findingSeverityCounts": {"HIGH": len(findings)}}}
    if token:
        response["nextToken"] = token
    return response


def test_waiter_polls_until_complete():
    api = FakeScanApi([page("IN_PROGRESS"), page("IN_PROGRESS"), page("COMPLETE", [basic("CVE-1", "HIGH")])])
    clock = FakeClock()
    scan = images.wait_for_scan(api, "r", None, "sha256:" + "a" * 64, 60, clock=clock, sleep=clock.sleep)
    assert scan["status"] == "COMPLETE"
    assert clock.sleeps == [images.SCAN_POLL_INTERVAL, images.SCAN_POLL_INTERVAL]


def test_waiter_starts_a_missing_scan_once_when_asked():
    api = FakeScanApi([None, page("COMPLETE")])
    clock = FakeClock()
    assert images.wait_for_scan(api, "r", None, "sha256:" + "a" * 64, 60, start=True, clock=clock, sleep=clock.sleep)["status"] == "COMPLETE"
    assert api.started == 1


def test_waiter_times_out_with_a_clear_message():
    clock = FakeClock()
    with pytest.raises(EcrError, match=r"^no scan of r@sha256:a+ appeared within 12s; enable scan on push or set start_scan=true$"):
        images.wait_for_scan(FakeScanApi([None]), "r", None, "sha256:" + "a" * 64, 12, clock=clock, sleep=clock.sleep)
    assert clock.now == pytest.approx(12, abs=0.1)


def test_waiter_reports_a_failed_scan():
    clock = FakeClock()
    with pytest.raises(EcrError, match="ended with status FAILED"):
        images.wait_for_scan(FakeScanApi([page("FAILED")]), "r", None, "sha256:" + "a" * 64, 60, clock=clock, sleep=clock.sleep)


def test_all_finding_pages_are_read():
    pages = {None: page("COMPLETE", [basic("CVE-1", "HIGH")], token="t2"), "t2": page("COMPLETE", [basic("CVE-2", "LOW")])}
    api = FakeScanApi([lambda params: pages[params.get("nextToken")]])
    scan = images.get_scan(api, "r", None, "sha256:" + "a" * 64)
    assert [f["name"] for f in scan["findings_section"]["findings"]] == ["CVE-1", "CVE-2"]
