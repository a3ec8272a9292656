# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pinned price table of the cost report: loading, validation and look-ups that name the file when a price is missing."""

from __future__ import annotations

import re


class CostError(Exception):
    """A one-line, user-facing reason why the estimate cannot be made."""


# Tables of priced items by kind, and what each entry must carry besides usd, as_of and source.
ITEM_TABLES = {
    "ec2_instances": ("EC2 instance type", ("vcpu",)),
    "elasticache_nodes": ("ElastiCache node type", ()),
    "documentdb_instances": ("DocumentDB instance class", ()),
    "atlas_tiers": ("Atlas cluster tier", ("included_storage_gb",)),
}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Prices:
    """A validated price file. Every look-up of an absent item raises CostError naming the file to extend."""

    def __init__(self, data, path):
        self.path = path
        if not isinstance(data, dict):
            raise CostError(f"price file {path}: expected a mapping at the top")
        for key in ("region", "currency", "hours_per_month", "services"):
            if key not in data:
                raise CostError(f"price file {path}: missing top-level key {key!r}")
        self.region = data["region"]
        self.currency = data["currency"]
        self.hours_per_month = float(data["hours_per_month"])
        self.services = data["services"] or {}
        self.tables = {name: data.get(name) or {} for name in ITEM_TABLES}
        for name, entry in self.services.items():
            self._check_entry("services." + name, entry, ("unit",))
        for table, (_dummy, extra) in ITEM_TABLES.items():
            for name, entry in self.tables[table].items():
                self._check_entry(f"{table}.{name}", entry, extra)

    def _check_entry(self, where, entry, extra):
        if not isinstance(entry, dict):
            raise CostError(f"price file {self.path}: {where} must be a mapping")
        for key in ("usd", "as_of", "source", *tuple(extra)):
            if key not in entry:
                raise CostError(f"price file {self.path}: {where} has no {key!r}")
        if not isinstance(entry["usd"], (int, float)) or isinstance(entry["usd"], bool) or entry["usd"] < 0:
            raise CostError(f"price file {self.path}: {where}.usd must be a non-negative number")
        if not DATE.match(str(entry["as_of"])):
            raise CostError(f"price file {self.path}: {where}.as_of must be a date (YYYY-MM-DD)")
        if not str(entry["source"]).startswith("https://"):
            raise CostError(f"price file {self.path}: {where}.source must be an https:// address")

    def service(self, name):
        """The entry of a service price (a mapping with usd, unit, as_of, source)."""
        try:
            return self.services[name]
        except KeyError:
            raise CostError(f"no price for {name!r} in {self.path}: add it under services with usd, unit, as_of and source") from None

    def item(self, table, name):
        """The entry of an instance type, node type, instance class or Atlas tier."""
        label = ITEM_TABLES[table][0]
        try:
            return self.tables[table][name]
        except KeyError:
            raise CostError(
                "unknown {} {!r}: no price in {}; add it under {} with usd, as_of and source{}".format(
                    label, name, self.path, table, "".join(", " + k for k in ITEM_TABLES[table][1])
                )
            ) from None

    def ref(self, kind, name):
        """Where a price came from, as the report prints it."""
        entry = self.service(name) if kind == "services" else self.item(kind, name)
        return {"price": f"{kind}.{name}", "as_of": str(entry["as_of"]), "source": entry["source"]}
