"""playbooks/cost_report.yml run as a user runs it, and the documents that show its figures.

- The generated blocks of docs/architecture.md and docs/infrastructure.md equal the blocks of a fresh report, and
  neither document types a dollar amount outside them.
- Each environment's diagram in docs/architecture.md names exactly the AWS services its inventory and the chart's
  values make Terraform and the chart build: every service named is enabled there, and every enabled one is named.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ansible_collections.chatbot.platform.plugins.module_utils._cost import facts, report

ROOT = Path(__file__).resolve().parents[2]
DOCS = {"architecture": ROOT / "docs" / "architecture.md", "infrastructure": ROOT / "docs" / "infrastructure.md"}
EXPECTED_BLOCKS = {"architecture": {"summary", "comparison", "usage"}, "infrastructure": {"summary"}}
ENVIRONMENTS = ("dev", "staging", "prod")


@pytest.fixture(scope="module", name="playbook")
def fixture_playbook(tmp_path_factory):
    dest = tmp_path_factory.mktemp("cost")
    env = {
        **os.environ,
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    }
    cmd = [
        str(Path(sys.executable).parent / "ansible-playbook"),
        str(ROOT / "playbooks" / "cost_report.yml"),
        "-e",
        json.dumps({"cost_report_dest": str(dest)}),
    ]
    proc = subprocess.run(cmd, cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    return {"log": proc.stdout, "report": json.loads((dest / "cost-report.json").read_text()), "markdown": (dest / "cost-report.md").read_text()}


def test_the_report_prices_every_environment_and_the_estate(playbook):
    data = playbook["report"]
    priced = {e["environment"]: e for e in data["environments"] if e["priced"]}
    assert set(priced) == set(ENVIRONMENTS)
    assert [e["environment"] for e in data["environments"] if not e["priced"]] == ["local"]
    assert data["total"] == pytest.approx(sum(e["total"] for e in priced.values()) + data["estate"]["total"], abs=0.05)
    assert data["region"] == "us-east-1" and data["comparison"]["reference"]["low"] == 700
    assert "total {} USD per month".format(data["total"]) in " ".join(playbook["log"].split())
    assert "## Against the public estimate" in playbook["markdown"]


@pytest.mark.parametrize("doc", sorted(DOCS))
def test_document_figures_are_the_report(playbook, doc):
    text = DOCS[doc].read_text()
    written = report.document_blocks(text)
    assert set(written) == EXPECTED_BLOCKS[doc]
    fresh = report.render_blocks(playbook["report"])
    for name, content in written.items():
        assert content == fresh[name], (
            f"docs/{doc}.md block cost_estimate:{name} differs from the report: run ansible-playbook playbooks/cost_report.yml -e cost_report_update_docs=true"
        )


@pytest.mark.parametrize("doc", sorted(DOCS))
def test_no_dollar_amount_is_typed_outside_the_generated_blocks(doc):
    text = report.BLOCK.sub("", DOCS[doc].read_text())
    if doc == "infrastructure":
        text = text[text.index("## Cost drivers") : text.index("## DocumentDB")]
    typed = re.findall(r"(?:\$\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:USD|dollars)\b|≈\s?\d)", text)
    assert typed == [], f"docs/{doc}.md types cost figures outside a cost_estimate block: {typed}"


def _diagrams():
    text = DOCS["architecture"].read_text()
    found = {}
    for body in re.findall(r"```mermaid\n(.*?)```", text, re.S):
        match = re.match(r"%% environment: (\w+)\n", body)
        assert match, "every diagram starts with '%% environment: <env>'"
        found[match.group(1)] = body
    return found


def _expected_services(env):
    folder = str(ROOT / "inventories" / env)
    inventory = facts.load_inventory(folder, yaml)
    env_facts = facts.environment_facts(inventory, folder)
    chart = facts.chart_facts(str(ROOT / "charts" / "chatbot"), env, yaml)
    estate = facts.estate_facts(facts.load_inventory(str(ROOT / "inventories" / "management"), yaml), "management")
    edge = env_facts["edge"]
    volume = chart["model_volume"]
    on_efs = volume is not None and volume["storage_class"] == env_facts["storage_classes"]["models"]
    return {
        "EKS": True,
        "public ALB": any(a["internet_facing"] for a in chart["albs"]),
        "internal ALB": any(not a["internet_facing"] for a in chart["albs"]),
        "WAF": edge["waf_enabled"],
        "ACM": bool(edge.get("domain_name") and edge.get("hosted_zone_id")),
        "interface endpoints": bool(env_facts["interface_endpoints"]),
        "ElastiCache Redis": env_facts["redis"]["enabled"],
        "MongoDB Atlas": env_facts["atlas_enabled"],
        "DocumentDB": env_facts["documentdb"]["enabled"],
        "MongoDB StatefulSet": chart["mongodb_volume_gib"] > 0,
        "EFS": True,  # the platform stack builds the model store in every environment
        "EFS models": on_efs,
        "gp3 model volume": volume is not None and not on_efs,
        "AWS Backup": on_efs and env_facts["efs"]["backup"],
        "SQS": True,
        "S3": True,
        "Secrets Manager": True,
        "KMS": True,
        "ECR": env_facts["ecr_enabled"],
        "GuardDuty": estate["security_enabled"] and estate["guardduty"],
    }, env_facts


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_each_diagram_names_exactly_what_its_inventory_builds(env):
    diagrams = _diagrams()
    assert set(diagrams) == set(ENVIRONMENTS)
    body = diagrams[env]
    expected, env_facts = _expected_services(env)
    for service, enabled in expected.items():
        assert (service in body) == enabled, "{} diagram: {!r} is {} in the inventory but {} the diagram".format(
            env,
            service,
            "enabled" if enabled else "off",
            "missing from" if enabled else "named in",
        )
    nats = re.findall(r"NAT gateways? x(\d+)", body)
    assert nats == [str(1 if env_facts["nat_gateway_mode"] == "single" else env_facts["zones"])], f"{env} diagram: NAT gateways {nats}"
    groups = {name: (int(low), int(high)) for name, low, high in re.findall(r"(\w+) nodes (\d+)-(\d+)", body)}
    assert groups == {name: (g["min_size"], g["max_size"]) for name, g in env_facts["node_groups"].items()}
    assert ("Spot" in body) == any(g["capacity_type"] == "SPOT" for g in env_facts["node_groups"].values())
