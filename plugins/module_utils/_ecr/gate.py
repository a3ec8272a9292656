# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The vulnerability gate: findings from a scan, per-severity thresholds, an allowlist whose entries expire."""

from __future__ import annotations

import datetime

from ansible_collections.chatbot.platform.plugins.module_utils._ecr.common import EcrError

# Severities ECR reports: basic scanning uses the first six, enhanced scanning (Amazon Inspector) adds UNTRIAGED.
SEVERITIES = ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED", "UNTRIAGED")
# Enhanced findings carry a status; only ACTIVE ones are open. Basic findings have no status and are all open.
OPEN_STATUSES = ("ACTIVE",)


def parse_thresholds(thresholds, option="gate.max_findings"):
    """{'critical': 0, 'High': 2} -> {'CRITICAL': 0, 'HIGH': 2}; unknown severities and bad numbers fail."""
    parsed = {}
    for key, value in (thresholds or {}).items():
        severity = str(key).strip().upper()
        if severity not in SEVERITIES:
            raise EcrError(f"{option} has unknown severity {key!r}; use one of {', '.join(s.lower() for s in SEVERITIES)}")
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise EcrError(f"{option}.{key} must be a whole number of findings, got {value!r}") from None
        if isinstance(value, bool) or number < 0 or (isinstance(value, float) and value != number):
            raise EcrError(f"{option}.{key} must be a whole number of findings of 0 or more, got {value!r}")
        if severity in parsed:
            raise EcrError(f"{option} lists severity {severity.lower()} more than once")
        parsed[severity] = number
    return parsed


def parse_date(value, where):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.datetime.strptime(str(value).strip(), "%Y-%m-%d").date()
    except ValueError:
        raise EcrError(f"{where} must be a date as YYYY-MM-DD, got {value!r}") from None


def parse_allowlist(entries, today, option="gate.allowlist"):
    """Split the allowlist into entries still valid today and expired ones (expiry day itself still counts as valid)."""
    active, expired, seen = {}, [], set()
    for index, entry in enumerate(entries or []):
        where = f"{option}[{index}]"
        if not isinstance(entry, dict):
            raise EcrError(f"{where} must be a dictionary with id and expires")
        vuln_id = str(entry.get("id") or "").strip()
        if not vuln_id:
            raise EcrError(f"{where}.id is required (a vulnerability ID such as CVE-2024-12345)")
        if vuln_id.upper() in seen:
            raise EcrError(f"{option} lists {vuln_id} more than once")
        seen.add(vuln_id.upper())
        if entry.get("expires") in (None, ""):
            raise EcrError(f"{where}.expires is required: every allowlisted vulnerability needs an expiry date")
        expires = parse_date(entry["expires"], f"{where}.expires")
        record = {"id": vuln_id, "expires": expires.isoformat(), "reason": entry.get("reason") or ""}
        if expires >= today:
            active[vuln_id.upper()] = record
        else:
            expired.append(record)
    return active, expired


def _attributes(finding):
    return {a.get("key"): a.get("value") for a in finding.get("attributes") or [] if isinstance(a, dict)}


def extract_findings(scan_findings):
    """Basic ('findings') and enhanced ('enhancedFindings') scan results in one shape."""
    results = []
    for finding in scan_findings.get("findings") or []:
        attrs = _attributes(finding)
        results.append(
            {
                "id": finding.get("name") or "",
                "severity": (finding.get("severity") or "UNDEFINED").upper(),
                "status": "ACTIVE",
                "package_name": attrs.get("package_name"),
                "package_version": attrs.get("package_version"),
                "uri": finding.get("uri"),
            }
        )
    for finding in scan_findings.get("enhancedFindings") or []:
        details = finding.get("packageVulnerabilityDetails") or {}
        packages = details.get("vulnerablePackages") or [{}]
        results.append(
            {
                "id": details.get("vulnerabilityId") or finding.get("title") or finding.get("findingArn") or "",
                "severity": (finding.get("severity") or "UNDEFINED").upper(),
                "status": (finding.get("status") or "ACTIVE").upper(),
                "package_name": packages[0].get("name"),
                "package_version": packages[0].get("version"),
                "uri": details.get("sourceUrl"),
            }
        )
    return results


def evaluate_gate(findings, thresholds, allowlist, today):
    """Count open findings per severity, leaving out allowlisted IDs, and compare with the thresholds.

    Returns a summary dict; ``passed`` is False when any severity with a threshold has more findings than it allows.
    """
    active, expired = parse_allowlist(allowlist, today)
    limits = parse_thresholds(thresholds)
    counts = dict.fromkeys(SEVERITIES, 0)
    allowlisted, reported = [], []
    for finding in findings:
        if finding["status"] not in OPEN_STATUSES:
            continue
        entry = active.get(finding["id"].upper())
        item = dict(finding, allowlisted=entry is not None)
        reported.append(item)
        if entry is not None:
            if finding["id"] not in allowlisted:
                allowlisted.append(finding["id"])
            continue
        counts[finding["severity"] if finding["severity"] in counts else "UNDEFINED"] += 1
    exceeded = {sev.lower(): {"count": counts[sev], "max": limit} for sev, limit in limits.items() if counts[sev] > limit}
    return {
        "passed": not exceeded,
        "counts": {sev.lower(): n for sev, n in counts.items()},
        "max_findings": {sev.lower(): n for sev, n in limits.items()},
        "exceeded": exceeded,
        "allowlisted": sorted(allowlisted),
        "expired_allowlist": expired,
        "findings": reported,
    }


def gate_failure_message(summary, image_ref):
    parts = [f"{count['count']} {sev} (max {count['max']})" for sev, count in summary["exceeded"].items()]
    message = f"vulnerability gate failed for {image_ref}: " + ", ".join(parts)
    if summary["expired_allowlist"]:
        message += "; expired allowlist entries no longer apply: " + ", ".join(f"{e['id']} (expired {e['expires']})" for e in summary["expired_allowlist"])
    return message
