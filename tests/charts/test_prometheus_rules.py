"""The chatbot chart's alerts and dashboards, checked by Prometheus's own tool.

The PrometheusRule is rendered from charts/chatbot (as the environments' values render it) and handed to
`promtool check rules` (syntax, PromQL, templates) and `promtool test rules` with
tests/charts/prometheus/chatbot-alerts.test.yml, where each alert fires on synthetic series and stays silent on
others. Every PromQL expression of the dashboards is parsed by promtool as well (as a recording rule), never by a
regex. promtool is Debian's `prometheus` package: scripts/stages/charts.sh installs it; missing, these tests fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from .conftest import CHART, MINIMAL, OUTPUTS, ROOT, render

UNIT_TESTS = Path(__file__).parent / "prometheus" / "chatbot-alerts.test.yml"
DOC = ROOT / "docs" / "observability.md"
ON = {"monitoring": {"rules": {"enabled": True}, "dashboards": {"enabled": True}}}
# Grafana's built-in and dashboard variables, replaced by values of their type before parsing.
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$__interval": "1m", "$__range": "1h"}


@pytest.fixture(scope="module")
def promtool() -> str:
    found = os.environ.get("PROMTOOL_BIN") or shutil.which("promtool")
    if not found:
        pytest.fail("promtool is not installed: scripts/stages/charts.sh installs Debian's prometheus package (apt-get install prometheus)")
    return found


def run(promtool: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([promtool, *args], cwd=str(cwd), capture_output=True, text=True, check=False, timeout=120)


def rule_groups(manifests) -> list[dict]:
    rules = manifests.of("PrometheusRule")
    assert len(rules) == 1, [r["metadata"]["name"] for r in rules]
    return rules[0]["spec"]["groups"]


def write_rules(path: Path, groups: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({"groups": groups}, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def minimal():
    """Release chatbot in namespace chatbot with the chart's default thresholds (what the unit tests expect)."""
    return render(MINIMAL, sets=ON)


@pytest.fixture(scope="module")
def environments():
    return {env: render(CHART / f"values-{env}.yaml", OUTPUTS) for env in ("dev", "staging", "prod")}


def alert_names(groups) -> list[str]:
    return [rule["alert"] for group in groups for rule in group["rules"] if "alert" in rule]


def test_rules_pass_promtool_check_and_unit_tests(minimal, promtool, tmp_path):
    write_rules(tmp_path / "chatbot-alerts.rules.yml", rule_groups(minimal))
    shutil.copy(UNIT_TESTS, tmp_path / UNIT_TESTS.name)
    checked = run(promtool, "check", "rules", "chatbot-alerts.rules.yml", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = run(promtool, "test", "rules", UNIT_TESTS.name, cwd=tmp_path)
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_a_wrong_expectation_fails_the_unit_tests(minimal, promtool, tmp_path):
    """The unit tests compare what fires: a threshold moved in the chart breaks them."""
    groups = rule_groups(render(MINIMAL, sets={**ON, "monitoring": {**ON["monitoring"], "rules": {"enabled": True, "gateway5xxRatio": 0.2}}}))
    write_rules(tmp_path / "chatbot-alerts.rules.yml", groups)
    shutil.copy(UNIT_TESTS, tmp_path / UNIT_TESTS.name)
    tested = run(promtool, "test", "rules", UNIT_TESTS.name, cwd=tmp_path)
    assert tested.returncode != 0 and "ChatbotGateway5xxRatioHigh" in tested.stdout + tested.stderr


def test_every_alert_has_a_firing_and_a_silent_unit_test(minimal):
    spec = yaml.safe_load(UNIT_TESTS.read_text())
    fires, silent = set(), set()
    for case in spec["tests"]:
        for check in case.get("alert_rule_test", []):
            (fires if check.get("exp_alerts") else silent).add(check["alertname"])
    names = set(alert_names(rule_groups(minimal)))
    assert names == fires, f"alerts without a firing test: {names - fires}; tests of unknown alerts: {fires - names}"
    assert names == silent, f"alerts without a silent test: {names - silent}"


def test_the_required_alerts_exist_with_severity_and_runbook(minimal):
    groups = rule_groups(minimal)
    required = {
        "ChatbotGateway5xxRatioHigh",
        "ChatbotGatewayLatencyP95High",
        "ChatbotTargetDown",
        "ChatbotPodCrashLooping",
        "ChatbotHPAAtMaxReplicas",
        "ChatbotVolumeFillingUp",
        "ChatbotExternalSecretNotSynced",
        "ChatbotArgoCDAppDegraded",
        "ChatbotArgoCDAppOutOfSync",
        "NodeGroupAtMaxSize",
    }
    assert required <= set(alert_names(groups))
    anchors = doc_anchors()
    for group in groups:
        for rule in group["rules"]:
            assert rule["labels"]["severity"] in ("critical", "warning"), rule["alert"]
            url = rule["annotations"]["runbook_url"]
            page, _sep, anchor = url.partition("#")
            assert page.endswith("/docs/observability.md"), url
            assert anchor in anchors, f"{rule['alert']}: runbook anchor #{anchor} is not a heading of docs/observability.md"


def doc_anchors() -> set[str]:
    """GitHub's heading anchors of docs/observability.md (lower case, punctuation dropped, spaces to dashes)."""
    anchors = set()
    for line in DOC.read_text().splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return anchors


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_environment_rules_pass_promtool(environments, env, promtool, tmp_path):
    """What Argo CD renders for each environment: the rule and the dashboard are on, and promtool accepts them."""
    manifests = environments[env]
    write_rules(tmp_path / "rules.yml", rule_groups(manifests))
    checked = run(promtool, "check", "rules", "rules.yml", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    gateway = manifests.get("ServiceMonitor", "chatbot-gateway")
    assert {e["port"] for e in gateway["spec"]["endpoints"]} == {"metrics", "access-log-metrics"}
    assert dashboards(manifests), f"{env}: no dashboard ConfigMap"


def dashboards(manifests) -> dict[str, dict]:
    found = {}
    for config_map in manifests.of("ConfigMap"):
        if (config_map["metadata"].get("labels") or {}).get("grafana_dashboard") == "1":
            for key, text in config_map["data"].items():
                found[key] = json.loads(text)
    return found


def dashboard_expressions(dashboard: dict) -> list[str]:
    exprs = []
    for panel in dashboard.get("panels", []):
        for target in panel.get("targets", []):
            if target.get("expr"):
                exprs.append(target["expr"])
    for variable in dashboard.get("templating", {}).get("list", []):
        query = variable.get("query")
        if isinstance(query, dict):
            query = query.get("query")
        if variable.get("type") == "query" and query:
            match = re.fullmatch(r"label_values\((.*),\s*\w+\)", query.strip(), re.S)
            exprs.append(match.group(1) if match else query)
    return exprs


def substitute(expr: str, dashboard: dict) -> str:
    for name, value in GRAFANA_VARIABLES.items():
        expr = expr.replace(name, value)
    for variable in dashboard.get("templating", {}).get("list", []):
        expr = expr.replace("$" + variable["name"], "placeholder")
    return expr


def check_dashboard_queries(dashboards: dict[str, dict], promtool: str, work: Path) -> subprocess.CompletedProcess:
    rules = []
    for name, dashboard in dashboards.items():
        for index, expr in enumerate(dashboard_expressions(dashboard)):
            rules.append({"record": f"dashboard:{re.sub(r'[^a-z0-9]', '_', name.lower())}:{index}", "expr": substitute(expr, dashboard)})
    assert rules, "no PromQL expressions found in the dashboards"
    write_rules(work / "dashboards.yml", [{"name": "dashboards", "rules": rules}])
    return run(promtool, "check", "rules", "dashboards.yml", cwd=work)


def test_chart_dashboard_expressions_parse(minimal, promtool, tmp_path):
    found = dashboards(minimal)
    assert set(found) == {"chatbot-overview.json"}
    checked = check_dashboard_queries(found, promtool, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    panels = {p["title"] for p in found["chatbot-overview.json"]["panels"]}
    for wanted in ("Requests per second", "5xx ratio", "p95 latency", "Replicas", "CPU by pod"):
        assert wanted in panels, panels


def test_a_broken_expression_fails_the_dashboard_check(promtool, tmp_path):
    broken = {"panels": [{"targets": [{"expr": "sum(rate(up[5m])"}]}]}
    assert check_dashboard_queries({"broken.json": broken}, promtool, tmp_path).returncode != 0


def test_platform_dashboard_expressions_parse(promtool, tmp_path):
    """The platform overview the observability step provisions (roles/observability/files/dashboards)."""
    folder = ROOT / "roles" / "observability" / "files" / "dashboards"
    found = {path.name: json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))}
    assert set(found) == {"platform-overview.json"}
    checked = check_dashboard_queries(found, promtool, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # kube-prometheus-stack passes its extraManifests through tpl: a Go template action in the JSON would break it.
    assert "{{" not in (folder / "platform-overview.json").read_text()
