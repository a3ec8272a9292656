"""IAM and SCP lint of the policy documents Terraform rendered, with parliament's IAM action database.

Every test under tests/terraform that applies a stack or a fixture to moto calls `assert_policies_pass`
on the applied state (`terraform show -json`): each string attribute of each resource and data source
that parses as a JSON policy (a "Statement" key) is checked by parliament (duo-labs/parliament, which
ships AWS's service authorization reference: services, actions, resource types, condition keys). What
fails: unknown services and actions, actions without a service prefix, malformed ARNs, condition keys
an action does not support, mismatched condition operators and malformed documents. parliament's
design advice (Resource "*" where a narrower one exists) is not a failure here; checkov reviews that.

A role's trust policy has no Resource element (its resource is the role); parliament stops at such a
statement as malformed, so the lint hands it the statement with Resource "*" to check its actions,
principals and condition keys.

Findings parliament gets wrong are listed, each with its reason, in iam_lint_allowlist.yml next to this
file; an entry that no longer matches anything in the states of its scopes fails too, so the list
cannot rot.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

ALLOWLIST = Path(__file__).with_name("iam_lint_allowlist.yml")

# parliament issues that are advice on policy design rather than errors AWS would reject or ignore.
ADVICE = {"RESOURCE_STAR", "RESOURCE_EFFECTIVELY_STAR"}


def rendered_policies(state: dict) -> dict[str, dict]:
    """{"<address>.<attribute path>": policy} for every policy document in a `terraform show -json` state
    (aws_iam_policy_document's minified_json repeats its json and is skipped)."""
    found: dict[str, dict] = {}

    def walk(value, path: str) -> None:
        if path.endswith(".minified_json"):
            return
        if isinstance(value, str) and '"Statement"' in value:
            try:
                document = json.loads(value)
            except ValueError:
                return
            if isinstance(document, dict) and "Statement" in document:
                found[path] = document
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")

    def visit(module: dict) -> None:
        for resource in module.get("resources", []):
            walk(resource.get("values", {}), resource["address"])
        for child in module.get("child_modules", []):
            visit(child)

    visit(state.get("values", {}).get("root_module", {}))
    return found


def _glob(pattern: str, text: str) -> bool:
    """Whole-text match where * stands for any characters and everything else is literal."""
    return re.fullmatch(".*".join(re.escape(part) for part in pattern.split("*")), text, flags=re.DOTALL) is not None


def _as_linted(document: dict) -> dict:
    """The document parliament sees: trust statements (principal, sts actions, no Resource) get Resource "*"."""
    statements = document.get("Statement")
    if not isinstance(statements, list):
        statements = [statements]
    linted = []
    for statement in statements:
        actions = statement.get("Action", []) if isinstance(statement, dict) else []
        actions = [actions] if isinstance(actions, str) else actions
        is_trust = (
            isinstance(statement, dict)
            and "Principal" in statement
            and not {"Resource", "NotResource"} & set(statement)
            and actions
            and all(a.startswith("sts:") for a in actions)
        )
        linted.append({**statement, "Resource": "*"} if is_trust else statement)
    return {**document, "Statement": linted}


def _findings(document: dict) -> list[tuple[str, str]]:
    import parliament

    policy = parliament.analyze_policy_string(json.dumps(_as_linted(document)), include_community_auditors=False)
    result = []
    for finding in policy.findings:
        parliament.enhance_finding(finding)
        if finding.issue in ADVICE:
            continue
        detail = finding.detail if isinstance(finding.detail, str) else json.dumps(finding.detail, sort_keys=True)
        if (finding.issue, detail) not in result:
            result.append((finding.issue, detail))
    return result


def _allowlist() -> list[dict]:
    entries = yaml.safe_load(ALLOWLIST.read_text()) or []
    for entry in entries:
        missing = {"scopes", "address", "issue", "detail", "reason"} - set(entry)
        if missing or not str(entry.get("reason", "")).strip() or not isinstance(entry["scopes"], list):
            raise AssertionError(f"{ALLOWLIST.name}: every entry needs scopes (a list), address, issue, detail and a reason: {entry}")
    return entries


def lint(states: list[dict], allowlist: list[dict] | None = None) -> tuple[list[str], list[dict], int]:
    """(unexpected findings, allowlist entries that matched, number of documents checked) over the states."""
    entries = _allowlist() if allowlist is None else allowlist
    used: list[dict] = []
    problems = []
    policies = {}
    for state in states:
        policies.update(rendered_policies(state))
    cache: dict[str, list[tuple[str, str]]] = {}
    for address, document in sorted(policies.items()):
        key = json.dumps(document, sort_keys=True)
        if key not in cache:
            cache[key] = _findings(document)
        for issue, detail in cache[key]:
            match = [e for e in entries if _glob(e["address"], address) and e["issue"] == issue and _glob(e["detail"], detail)]
            if match:
                used.extend(m for m in match if m not in used)
            else:
                problems.append(f"{address}: {issue}: {detail}")
    return problems, used, len(policies)


def assert_policies_pass(states: list[dict], scope: str) -> int:
    """Fail with every finding parliament reports on the policies of the states (`terraform show -json` of
    one lint run); returns how many documents were checked. Allowlist entries whose scopes name this scope
    must have matched something in these states."""
    entries = [e for e in _allowlist() if scope in e["scopes"]]
    problems, used, count = lint(states, entries)
    assert count > 0, "no policy documents found in the state: the lint would pass vacuously"
    assert not problems, "parliament (IAM action database) rejects rendered policies:\n  " + "\n  ".join(problems)
    stale = [e for e in entries if e not in used]
    assert not stale, f"{ALLOWLIST.name} entries for {scope} no longer match any finding; remove them: {stale}"
    return count
