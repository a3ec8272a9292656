# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cost report as data, as Markdown, and as the generated blocks of docs/architecture.md and docs/infrastructure.md.

A generated block sits between <!-- BEGIN cost_estimate:<name> --> and <!-- END cost_estimate:<name> --> lines; the
module rewrites it (update_docs) and the tests fail when a document's block differs from a fresh render.
"""

from __future__ import annotations

import re

from ansible_collections.chatbot.platform.plugins.module_utils._cost.estimate import CATEGORIES, REFERENCE_SCOPE, USAGE_DESCRIPTIONS
from ansible_collections.chatbot.platform.plugins.module_utils._cost.prices import CostError

BLOCK = re.compile(r"(<!-- BEGIN cost_estimate:([a-z_]+) -->\n)(.*?)(<!-- END cost_estimate:\2 -->)", re.S)


def build_report(prices, usage, environments, estate, reference):
    priced = [e for e in environments if e["priced"]]
    total = round(sum(e["total"] for e in priced) + estate["total"], 2)
    total_max = round(sum(e["total_max"] for e in priced) + estate["total_max"], 2)
    report = {
        "region": prices.region,
        "currency": prices.currency,
        "hours_per_month": prices.hours_per_month,
        "price_file": prices.path,
        "usage": usage,
        "environments": environments,
        "estate": estate,
        "total": total,
        "total_max": total_max,
    }
    if reference:
        in_scope = round(sum(e["by_category"][c] for e in priced for c in REFERENCE_SCOPE), 2)
        report["comparison"] = {
            "reference": reference,
            "scope": list(REFERENCE_SCOPE),
            "environments": [e["environment"] for e in priced],
            "in_scope": in_scope,
            "out_of_scope": round(total - in_scope, 2),
            "rows": [
                {
                    "category": c,
                    "in_reference": c in REFERENCE_SCOPE,
                    "monthly": round(sum(e["by_category"][c] for e in priced) + estate["by_category"][c], 2),
                }
                for c, dummy in CATEGORIES
            ],
        }
    return report


def _usd(value):
    return f"{value:,.0f}"


def _cat_label(category):
    return dict(CATEGORIES)[category]


def render_blocks(report):
    """The generated document blocks by name."""
    priced = [e for e in report["environments"] if e["priced"]]
    names = [e["environment"] for e in priced]
    blocks = {}

    rows = ["| | " + " | ".join(names) + " | estate | all |", "|---|" + "---:|" * (len(names) + 2)]
    for category, label in CATEGORIES:
        cells = [e["by_category"][category] for e in priced] + [report["estate"]["by_category"][category]]
        if not any(cells):
            continue
        rows.append("| {} | {} | {} |".format(label, " | ".join(_usd(c) for c in cells), _usd(sum(cells))))
    rows.append(
        "| **per month** | {} | **{}** | **{}** |".format(
            " | ".join("**{}**".format(_usd(e["total"])) for e in priced), _usd(report["estate"]["total"]), _usd(report["total"])
        )
    )
    rows.append(
        "| at the node groups' and Atlas tiers' maximum | {} | {} | {} |".format(
            " | ".join(_usd(e["total_max"]) for e in priced), _usd(report["estate"]["total_max"]), _usd(report["total_max"])
        )
    )
    blocks["summary"] = "\n".join(rows) + "\n"

    lines = []
    for env in [*priced, report["estate"]]:
        lines.append("**{}** ({} USD per month, {} at maximum scale)\n".format(env["environment"], _usd(env["total"]), _usd(env["total_max"])))
        lines.append("| line | per month | at max | basis |")
        lines.append("|---|---:|---:|---|")
        for line in env["lines"]:
            basis = "usage: `{}`".format(line["usage"]) if line["usage"] else "inventory"
            lines.append("| {} | {:.2f} | {:.2f} | {} |".format(line["item"], line["monthly"], line["monthly_max"], basis))
        for note in env.get("notes") or []:
            lines.append("")
            lines.append("- " + note)
        lines.append("")
    for env in report["environments"]:
        if not env["priced"]:
            lines.append("**{}**: not priced, {}.\n".format(env["environment"], env["reason"]))
    blocks["lines"] = "\n".join(lines)

    if "comparison" in report:
        comp = report["comparison"]
        ref = comp["reference"]
        rows = [
            "| line | in the public estimate | {} | estate | this report |".format(" | ".join(names)),
            "|---|---|" + "---:|" * (len(names) + 2),
        ]
        for row in comp["rows"]:
            if row["monthly"]:
                cells = [e["by_category"][row["category"]] for e in priced] + [report["estate"]["by_category"][row["category"]]]
                rows.append(
                    "| {} | {} | {} | {} |".format(
                        _cat_label(row["category"]), "yes" if row["in_reference"] else "no", " | ".join(_usd(c) for c in cells), _usd(row["monthly"])
                    )
                )
        covered = [sum(e["by_category"][c] for c in comp["scope"]) for e in priced]
        rows.append(
            "| **what the public estimate covers** | **{}-{}** | {} | 0 | **{}** |".format(
                _usd(ref["low"]), _usd(ref["high"]), " | ".join(_usd(c) for c in covered), _usd(comp["in_scope"])
            )
        )
        rows.append(
            "| **what it leaves out** | - | {} | {} | **{}** |".format(
                " | ".join(_usd(e["total"] - c) for e, c in zip(priced, covered)), _usd(report["estate"]["total"]), _usd(comp["out_of_scope"])
            )
        )
        rows.append(
            "| **total** | {}-{} | {} | {} | **{}** |".format(
                _usd(ref["low"]), _usd(ref["high"]), " | ".join(_usd(e["total"]) for e in priced), _usd(report["estate"]["total"]), _usd(report["total"])
            )
        )
        blocks["comparison"] = "\n".join(rows) + "\n"

    usage_rows = ["| assumption | value | meaning |", "|---|---:|---|"]
    for key in sorted(report["usage"]):
        usage_rows.append("| `{}` | {:g} | {} |".format(key, report["usage"][key], USAGE_DESCRIPTIONS[key]))
    blocks["usage"] = "\n".join(usage_rows) + "\n"
    return blocks


def render_markdown(report):
    blocks = render_blocks(report)
    parts = [
        "# Monthly cost estimate",
        "",
        "Generated by chatbot.platform.cost_estimate from the inventories and `{}` ({} list prices, {}, {:g} hours a month; "
        "on-demand, no free tier or commitment discounts). Data transfer out of AWS is not included.".format(
            report["price_file"], report["region"], report["currency"], report["hours_per_month"]
        ),
        "",
        "## Per environment",
        "",
        blocks["summary"],
        "## Lines",
        "",
        blocks["lines"],
        "## Usage assumptions",
        "",
        blocks["usage"],
    ]
    if "comparison" in blocks:
        ref = report["comparison"]["reference"]
        parts += ["## Against the public estimate", "", "{} ({}).".format(ref.get("label", "reference"), ref.get("source", "")), "", blocks["comparison"]]
    return "\n".join(parts)


def replace_blocks(text, blocks, path):
    """Rewrite every generated block of a document; an unknown block name is an error."""

    def sub(match):
        name = match.group(2)
        if name not in blocks:
            raise CostError("{}: unknown generated block cost_estimate:{} (known: {})".format(path, name, ", ".join(sorted(blocks))))
        return match.group(1) + blocks[name] + match.group(4)

    return BLOCK.sub(sub, text)


def document_blocks(text):
    """The generated blocks a document holds, by name, as written."""
    return {m.group(2): m.group(3) for m in BLOCK.finditer(text)}
