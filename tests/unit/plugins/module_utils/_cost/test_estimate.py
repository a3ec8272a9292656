"""The cost estimate's arithmetic against the real inventories and price file, changed one fact at a time.

Each test copies inventories/ into a temporary folder, changes one value the way a user would edit the YAML, and
checks that the report moves by what the price file says that change costs (expected amounts are computed here from
the price file, so a new price never needs a test edit) or fails with one clear line.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from ansible_collections.chatbot.platform.plugins.module_utils._cost import estimate, facts, report
from ansible_collections.chatbot.platform.plugins.module_utils._cost.prices import CostError, Prices
from ansible_collections.chatbot.platform.plugins.modules.cost_estimate import run

ROOT = Path(__file__).resolve().parents[5]
PRICE_FILE = ROOT / "playbooks" / "files" / "cost_prices.yml"
ENVIRONMENTS = ("local", "dev", "staging", "prod")


@pytest.fixture(name="price_data")
def fixture_price_data():
    return yaml.safe_load(PRICE_FILE.read_text())


@pytest.fixture(name="tree")
def fixture_tree(tmp_path):
    shutil.copytree(ROOT / "inventories", tmp_path / "inventories")
    return tmp_path


def edit(tree, env, topic, change):
    path = tree / "inventories" / env / "group_vars" / "all" / (topic + ".yml")
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def estimate_tree(tree, price_file=PRICE_FILE, check_mode=False, **extra):
    params = {
        "inventories": [str(tree / "inventories" / env) for env in ENVIRONMENTS],
        "estate_inventory": str(tree / "inventories" / "management"),
        "price_file": str(price_file),
        "chart_dir": str(ROOT / "charts" / "chatbot"),
        "usage": {},
        "reference": {"label": "public", "source": "brief", "low": 700, "high": 750},
        "dest": str(tree / "out"),
        "update_docs": [],
    }
    params.update(extra)
    return run(params, check_mode)


def env_result(result, env):
    return next(e for e in result["environments"] if e["environment"] == env)


def test_one_more_prod_general_node_costs_one_node(tree, price_data):
    before = estimate_tree(tree)
    group = yaml.safe_load((tree / "inventories/prod/group_vars/all/platform.yml").read_text())["platform_stack_node_groups"]["general"]
    edit(tree, "prod", "platform", lambda d: d["platform_stack_node_groups"]["general"].update(desired_size=group["desired_size"] + 1))
    after = estimate_tree(tree)

    hours = price_data["hours_per_month"]
    instance = price_data["ec2_instances"][group["instance_types"][0]]
    node = instance["usd"] * hours + 50 * price_data["services"]["ebs_gp3_gb_month"]["usd"]
    runtime = instance["vcpu"] * price_data["services"]["guardduty_runtime_vcpu_month"]["usd"]
    assert env_result(after, "prod")["total"] - env_result(before, "prod")["total"] == pytest.approx(node + runtime, abs=0.02)
    assert after["total"] - before["total"] == pytest.approx(node + runtime, abs=0.02)
    # max_size did not change, so neither does the ceiling; the other environments are untouched.
    assert env_result(after, "prod")["total_max"] == env_result(before, "prod")["total_max"]
    assert env_result(after, "staging")["total"] == env_result(before, "staging")["total"]


def test_single_nat_gateway_in_prod_saves_two_gateways_and_their_addresses(tree, price_data):
    before = estimate_tree(tree)
    edit(tree, "prod", "platform", lambda d: d.update(platform_stack_nat_gateway_mode="single"))
    after = estimate_tree(tree)

    services = price_data["services"]
    saved = 2 * (services["nat_gateway_hour"]["usd"] + services["public_ipv4_hour"]["usd"]) * price_data["hours_per_month"]
    assert env_result(before, "prod")["total"] - env_result(after, "prod")["total"] == pytest.approx(saved, abs=0.02)
    assert env_result(after, "prod")["by_category"]["network"] < env_result(before, "prod")["by_category"]["network"]


def test_spot_is_priced_at_the_cheapest_listed_type_and_the_assumed_fraction(tree, price_data):
    result = estimate_tree(tree, usage={"spot_price_fraction": 0.5})
    line = next(x for x in env_result(result, "dev")["lines"] if x["item"].startswith("node group general:") and "Spot" in x["item"])
    group = yaml.safe_load((ROOT / "inventories/dev/group_vars/all/platform.yml").read_text())["platform_stack_node_groups"]["general"]
    cheapest = min(price_data["ec2_instances"][t]["usd"] for t in group["instance_types"])
    assert line["monthly"] == pytest.approx(cheapest * price_data["hours_per_month"] * 0.5 * group["desired_size"], abs=0.01)
    assert line["usage"] == "spot_price_fraction"


@pytest.mark.parametrize(
    ("env", "topic", "change", "table", "name"),
    [
        ("prod", "platform", lambda d: d["platform_stack_node_groups"]["ml"].update(instance_types=["c5.xlarge", "x9.huge"]), "ec2_instances", "x9.huge"),
        ("staging", "platform", lambda d: d["platform_stack_redis"].update(node_type="cache.x9.huge"), "elasticache_nodes", "cache.x9.huge"),
        ("prod", "atlas", lambda d: d.update(atlas_cluster_instance_size="M99"), "atlas_tiers", "M99"),
        ("dev", "platform", lambda d: d["platform_stack_documentdb"].update(enabled=True, instance_class="db.x9.huge"), "documentdb_instances", "db.x9.huge"),
    ],
)
def test_an_unpriced_type_fails_with_one_line_naming_the_price_file(tree, env, topic, change, table, name):
    edit(tree, env, topic, change)
    with pytest.raises(CostError) as err:
        estimate_tree(tree)
    message = str(err.value)
    assert "\n" not in message
    assert str(PRICE_FILE) in message
    assert repr(name) in message and table in message
    assert not (tree / "out").exists(), "nothing is written when the estimate fails"


def test_a_templated_fact_is_refused(tree):
    edit(tree, "staging", "platform", lambda d: d["platform_stack_redis"].update(node_type="{{ redis_type }}"))
    with pytest.raises(CostError, match=r"platform_stack_redis\.node_type is a Jinja template"):
        estimate_tree(tree)


def test_unknown_usage_assumption_is_refused(tree):
    with pytest.raises(CostError, match="unknown usage assumption 'nat_gb'"):
        estimate_tree(tree, usage={"nat_gb": 10})


def test_switches_add_and_remove_their_lines(tree, price_data):
    before = estimate_tree(tree)
    edit(tree, "staging", "platform", lambda d: d["platform_stack_redis"].update(enabled=False))
    edit(tree, "prod", "platform", lambda d: d["platform_stack_documentdb"].update(enabled=True))
    edit(tree, "prod", "platform", lambda d: d["platform_stack_edge"].update(waf_enabled=False))
    after = estimate_tree(tree)
    assert env_result(after, "staging")["by_category"]["cache"] == 0
    hours = price_data["hours_per_month"]
    docdb = 3 * price_data["documentdb_instances"]["db.r6g.large"]["usd"] * hours
    assert env_result(after, "prod")["by_category"]["database"] - env_result(before, "prod")["by_category"]["database"] == pytest.approx(docdb, abs=0.02)
    assert env_result(after, "prod")["by_category"]["edge"] == 0


def test_longer_log_retention_costs_more_storage(tree, price_data):
    before = estimate_tree(tree)
    edit(tree, "dev", "platform", lambda d: d.update(platform_stack_log_retention_days=90))
    after = estimate_tree(tree)
    storage = price_data["services"]["cloudwatch_logs_storage_gb_month"]["usd"]
    expected = estimate.USAGE_DEFAULTS["log_ingest_gb"] * (90 - 30) / 30.0 * storage
    assert env_result(after, "dev")["by_category"]["logging"] - env_result(before, "dev")["by_category"]["logging"] == pytest.approx(expected, abs=0.02)


def test_emulated_and_disabled_inventories_are_listed_not_priced(tree):
    result = estimate_tree(tree)
    local = env_result(result, "local")
    assert local["priced"] is False and "emulated" in local["reason"] and local["lines"] == []
    edit(tree, "dev", "platform", lambda d: d.update(platform_stack_enabled=False))
    assert env_result(estimate_tree(tree), "dev")["priced"] is False


def test_check_mode_reports_without_writing(tree):
    result = estimate_tree(tree, check_mode=True)
    assert result["changed"] is True
    assert not (tree / "out").exists()
    estimate_tree(tree)
    again = estimate_tree(tree)
    assert again["changed"] is False and again["changed_files"] == []


def test_every_line_names_a_dated_price_with_a_source(tree):
    result = estimate_tree(tree)
    for env in [e for e in result["environments"] if e["priced"]] + [result["estate"]]:
        for line in env["lines"]:
            assert line["prices"], line
            for ref in line["prices"]:
                assert re.match(r"^\d{4}-\d{2}-\d{2}$", ref["as_of"]) and ref["source"].startswith("https://"), ref


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["services"]["eks_cluster"].pop("source"), "services.eks_cluster has no 'source'"),
        (lambda d: d["ec2_instances"]["t3.large"].update(as_of="last year"), "ec2_instances.t3.large.as_of must be a date"),
        (lambda d: d["ec2_instances"]["t3.large"].pop("vcpu"), "ec2_instances.t3.large has no 'vcpu'"),
        (lambda d: d.pop("hours_per_month"), "missing top-level key 'hours_per_month'"),
    ],
)
def test_a_malformed_price_file_is_refused(tmp_path, price_data, mutate, message):
    mutate(price_data)
    with pytest.raises(CostError, match=re.escape(message)):
        Prices(price_data, str(tmp_path / "prices.yml"))


def test_unknown_document_block_is_refused():
    text = "<!-- BEGIN cost_estimate:totals -->\nold\n<!-- END cost_estimate:totals -->\n"
    with pytest.raises(CostError, match="unknown generated block cost_estimate:totals"):
        report.replace_blocks(text, {"summary": "x\n"}, "doc.md")
    assert report.replace_blocks(text.replace("totals", "summary"), {"summary": "new\n"}, "doc.md") == text.replace("totals", "summary").replace("old", "new")


def _unquote(value):
    """python-hcl2 keeps the quotes of strings (and of keys)."""
    if isinstance(value, str) and len(value) > 1 and value[0] == value[-1] == '"':
        return value[1:-1]
    if isinstance(value, list):
        return [_unquote(v) for v in value]
    if isinstance(value, dict):
        return {_unquote(k): _unquote(v) for k, v in value.items()}
    return value


def _variables(path, hcl2):
    with open(path) as handle:
        return {_unquote(k): v for block in hcl2.load(handle)["variable"] for k, v in block.items()}


def _optional_defaults(type_expr):
    """The defaults of optional(<type>, <default>) attributes of an object type expression."""
    found = {}
    for key, value in re.findall(r"(\w+)\s*=\s*optional\(\w+(?:\(\w+\))?,\s*([^()]+?)\)", str(type_expr)):
        value = value.strip()
        found[key] = {"true": True, "false": False}.get(value, _unquote(value) if value.startswith('"') else (int(value) if value.isdigit() else value))
    return found


def test_stack_defaults_are_the_terraform_defaults():
    hcl2 = pytest.importorskip("hcl2", reason="python-hcl2 reads the stacks' variables.tf")
    for stack, defaults in facts.STACK_DEFAULTS.items():
        variables = _variables(ROOT / "terraform" / "stacks" / stack / "variables.tf", hcl2)
        for name, expected in defaults.items():
            assert name in variables, f"{stack}: no variable {name}"
            if name == "app_secrets":
                # Only the secret names are priced (one secret each).
                assert sorted(expected["secrets"]) == ["admin-oidc"] and "admin-oidc" in str(variables[name]["type"])
            elif isinstance(expected, dict):
                attributes = _optional_defaults(variables[name]["type"])
                for key, value in expected.items():
                    assert attributes.get(key) == value, f"{stack}.{name}.{key}: terraform {attributes.get(key)!r}, cost report {value!r}"
            else:
                actual = _unquote(variables[name].get("default"))
                assert actual == expected, f"{stack}.{name}: terraform {actual!r}, cost report {expected!r}"
    module = _variables(ROOT / "terraform" / "modules" / "security_baseline" / "variables.tf", hcl2)
    assert sorted(_unquote(module["guardduty_features"]["default"])) == facts.GUARDDUTY_MODULE_FEATURES
    eks = _optional_defaults(_variables(ROOT / "terraform" / "stacks" / "platform" / "variables.tf", hcl2)["node_groups"]["type"])
    for key, value in facts.NODE_GROUP_DEFAULTS.items():
        assert eks.get(key) == value, f"node_groups.{key}: terraform {eks.get(key)!r}, cost report {value!r}"


def test_kms_keys_per_environment_match_the_platform_stack():
    stack = "".join(p.read_text() for p in (ROOT / "terraform" / "stacks" / "platform").glob("*.tf"))
    used = set(re.findall(r'source\s*=\s*"\.\./\.\./modules/(\w+)"', stack))
    module_calls = len(re.findall(r'source\s*=\s*"\.\./\.\./modules/kms_key"', stack))
    inline = sum(
        len(re.findall(r'^resource "aws_kms_key"', (ROOT / "terraform" / "modules" / m / "main.tf").read_text(), re.M)) for m in used if m != "kms_key"
    )
    assert module_calls + inline == estimate.KMS_KEYS_PER_ENVIRONMENT


def test_price_file_vcpus_match_the_node_capacity_data():
    capacity = ROOT / "tests" / "charts" / "data" / "ec2-node-capacity.yaml"
    types = yaml.safe_load(capacity.read_text())["instance_types"]
    for name, entry in yaml.safe_load(PRICE_FILE.read_text())["ec2_instances"].items():
        if name in types:
            assert entry["vcpu"] == types[name]["vcpu"], name
