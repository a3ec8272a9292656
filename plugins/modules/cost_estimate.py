#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cost_estimate
short_description: Estimate the platform's monthly AWS and Atlas cost from the inventories and a pinned price file
version_added: 0.1.0
description:
  - Reads the facts each environment inventory sets (node groups and their sizes, NAT gateway mode, interface
    endpoints, Redis node type and count, Atlas tier and its auto-scaling ceiling, the DocumentDB switch, EFS backup,
    WAF, log retention) from C(group_vars/all/*.yml), the load balancers and in-cluster database volume the chatbot
    chart's C(values-<env>.yaml) asks for, and the organisation-wide security services (GuardDuty and its plans,
    AWS Config, Security Hub, IAM Access Analyzer) from the management inventory.
  - Prices them with one pinned price file (list prices, each with its date and source) and a few usage assumptions
    (O(usage)), and writes C(cost-report.md) and C(cost-report.json) into O(dest) with every line, the total per
    environment at the node groups' desired size and at their maximum, the estate, and the comparison with a
    O(reference) estimate.
  - An instance type, cache node type, DocumentDB class or Atlas tier the price file does not list fails the task
    with one line naming the price file to extend.
  - Where an inventory leaves a Terraform stack variable unset, the stack's default is priced.
  - O(update_docs) rewrites the generated blocks (C(<!-- BEGIN cost_estimate:NAME -->) to
    C(<!-- END cost_estimate:NAME -->)) of the given Markdown files, so documented figures come from the report.
  - Only plain inventory values are read; a priced fact written as a Jinja template fails the task.
author:
  - chatbot.platform maintainers (@chatbot-platform)
requirements:
  - PyYAML
options:
  inventories:
    description:
      - Inventory folders of the environments to price (each with C(group_vars/all/)), for example
        C(inventories/dev). An inventory whose C(platform_aws_endpoint_url) is set (the local one, on moto) or whose
        platform stack is off is listed as not priced.
    type: list
    elements: path
    required: true
  estate_inventory:
    description:
      - Inventory folder of the management account (C(platform_accounts), C(platform_organization_enabled),
        C(platform_security_*)). Without it the organisation-wide security services are not priced.
    type: path
  price_file:
    description: The pinned price table (YAML); see C(playbooks/files/cost_prices.yml) for its format.
    type: path
    required: true
  chart_dir:
    description:
      - Folder of the chatbot chart (C(values.yaml) and C(values-<env>.yaml)), read for the ALBs its Ingresses create
        and the in-cluster MongoDB volume. Without it load balancers are not priced.
    type: path
  usage:
    description:
      - Usage assumptions that override the defaults, by name (for example C(nat_data_gb), C(log_ingest_gb),
        C(spot_price_fraction)). The report lists every assumption with its value; an unknown name fails.
    type: dict
    default: {}
  reference:
    description:
      - A published estimate to compare with, C(low) and C(high) in USD per month, with C(label) and C(source).
        The report splits its own total into what that estimate covers (EKS, Atlas, Redis, SQS, S3) and the rest.
    type: dict
  dest:
    description: Folder that receives C(cost-report.md) and C(cost-report.json); created when missing.
    type: path
    required: true
  update_docs:
    description: Markdown files whose generated C(cost_estimate) blocks are rewritten from the report.
    type: list
    elements: path
    default: []
attributes:
  check_mode:
    support: full
    description: Computes the report and says which files would change without writing them.
  diff_mode:
    support: none
    description: The files are reported by name (RV(changed_files)), not as a diff.
"""

EXAMPLES = r"""
- name: Price dev, staging and prod and refresh the figures in the architecture document
  chatbot.platform.cost_estimate:
    inventories:
      - inventories/dev
      - inventories/staging
      - inventories/prod
    estate_inventory: inventories/management
    price_file: playbooks/files/cost_prices.yml
    chart_dir: charts/chatbot
    usage:
      nat_data_gb: 200
    reference: {label: Public estimate, source: the brief's sample answer, low: 700, high: 750}
    dest: build/cost
    update_docs:
      - docs/architecture.md
"""

RETURN = r"""
total:
  description: Monthly total of every priced environment and the estate, at the node groups' desired sizes.
  returned: always
  type: float
  sample: 2261.4
total_max:
  description: The same at the node groups' maximum sizes and the Atlas auto-scaling ceilings.
  returned: always
  type: float
environments:
  description: Per environment, C(priced), C(total), C(total_max), C(by_category), C(lines) and C(notes).
  returned: always
  type: list
  elements: dict
estate:
  description: The organisation-wide lines (security services per account, ECR), with the same keys.
  returned: always
  type: dict
comparison:
  description: The report's total split into what O(reference) covers and what it leaves out.
  returned: when O(reference) is given
  type: dict
files:
  description: Every file the report consists of (the two reports and the documents in O(update_docs)).
  returned: always
  type: list
  elements: str
changed_files:
  description: The files written, or in check mode the files that would be written, because their content differs.
  returned: always
  type: list
  elements: str
"""

import json
import os

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.chatbot.platform.plugins.module_utils._cost import estimate, facts, report
from ansible_collections.chatbot.platform.plugins.module_utils._cost.prices import CostError, Prices

try:
    import yaml

    HAS_YAML = True
except ImportError:
    HAS_YAML = False


def run(params, check_mode=False):
    """Compute the report and write what changed; returns the module result. Raises CostError."""
    with open(params["price_file"]) as handle:
        prices = Prices(yaml.safe_load(handle), params["price_file"])
    usage = estimate.merge_usage(params.get("usage"))
    estate = None
    if params.get("estate_inventory"):
        estate = facts.estate_facts(facts.load_inventory(params["estate_inventory"], yaml), params["estate_inventory"])
    env_facts = [facts.environment_facts(facts.load_inventory(path, yaml), path) for path in params["inventories"]]
    environments = []
    for item in env_facts:
        chart = (
            facts.chart_facts(params["chart_dir"], item["environment"], yaml)
            if params.get("chart_dir") and item["platform_enabled"] and not item["emulated"]
            else None
        )
        environments.append(estimate.estimate_environment(item, prices, usage, chart, estate))
    estate_result = estimate.estimate_estate(estate, env_facts, prices, usage)
    reference = params.get("reference")
    if reference is not None:
        for key in ("low", "high"):
            if not isinstance(reference.get(key), (int, float)):
                raise CostError(f"reference.{key} must be a number (USD per month)")
    result = report.build_report(prices, usage, environments, estate_result, reference)
    blocks = report.render_blocks(result)

    outputs = {
        os.path.join(params["dest"], "cost-report.json"): json.dumps(result, indent=2, sort_keys=True) + "\n",
        os.path.join(params["dest"], "cost-report.md"): report.render_markdown(result),
    }
    for path in params.get("update_docs") or []:
        with open(path) as handle:
            text = handle.read()
        if not report.document_blocks(text):
            raise CostError(f"{path} has no cost_estimate block to update")
        outputs[path] = report.replace_blocks(text, blocks, path)

    changed_files = []
    for path, content in outputs.items():
        current = None
        if os.path.exists(path):
            with open(path) as handle:
                current = handle.read()
        if current != content:
            changed_files.append(path)
            if not check_mode:
                folder = os.path.dirname(path)
                if folder and not os.path.isdir(folder):
                    os.makedirs(folder)
                with open(path, "w") as handle:
                    handle.write(content)
    return {
        "changed": bool(changed_files),
        "files": sorted(outputs),
        "changed_files": sorted(changed_files),
        "total": result["total"],
        "total_max": result["total_max"],
        "environments": result["environments"],
        "estate": result["estate"],
        "comparison": result.get("comparison"),
    }


def main():
    module = AnsibleModule(
        argument_spec=dict(
            inventories=dict(type="list", elements="path", required=True),
            estate_inventory=dict(type="path"),
            price_file=dict(type="path", required=True),
            chart_dir=dict(type="path"),
            usage=dict(type="dict", default={}),
            reference=dict(type="dict"),
            dest=dict(type="path", required=True),
            update_docs=dict(type="list", elements="path", default=[]),
        ),
        supports_check_mode=True,
    )
    if not HAS_YAML:
        module.fail_json(msg=missing_required_lib("PyYAML"))
    try:
        result = run(module.params, module.check_mode)
    except CostError as exc:
        module.fail_json(msg=str(exc))
    except OSError as exc:
        module.fail_json(msg=f"cost report: {exc}")
    module.exit_json(**result)


if __name__ == "__main__":
    main()
