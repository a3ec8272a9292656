# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory facts the cost report prices, read from inventories/<env>/group_vars/all/*.yml.

Only plain values are read: a fact the report uses that is a Jinja template is refused, because the report would
price the template's text. Where an inventory leaves a Terraform stack variable unset, the stack's default applies;
STACK_DEFAULTS restates those defaults and tests/unit/plugins/module_utils/_cost/test_estimate.py compares them with
terraform/stacks/*/variables.tf, so the two cannot drift apart.
"""

from __future__ import annotations

import copy
import os

from ansible_collections.chatbot.platform.plugins.module_utils._cost.prices import CostError

# Defaults of the Terraform variables the report reads (stack variable name -> default), as in variables.tf.
STACK_DEFAULTS = {
    "platform": {
        "nat_gateway_mode": "per_az",
        "interface_endpoints": ["ecr.api", "ecr.dkr", "sts", "logs"],
        "log_retention_days": 365,
        "availability_zones": None,
        "node_detailed_monitoring": False,
        "redis": {"enabled": True, "node_type": "cache.t4g.small", "num_cache_clusters": 1},
        "documentdb": {"enabled": False, "instance_class": "db.t4g.medium", "instance_count": 1},
        "efs": {"backup": True},
        "edge": {"waf_enabled": True, "waf_sqli_rules": False, "log_retention_days": 365},
        "app_secrets": {"secrets": {"admin-oidc": "OIDC client of the admin authentication"}},
    },
    "account_baseline": {
        "config_daily_accounts": ["sandbox"],
    },
    "security": {
        "enable_unused_access_analyzer": False,
        "enable_securityhub": True,
        "enable_guardduty_organization": True,
        "guardduty_features": None,
    },
}
# GuardDuty protection plans of terraform/modules/security_baseline when the stack passes guardduty_features = null.
GUARDDUTY_MODULE_FEATURES = ["EKS_AUDIT_LOGS", "RUNTIME_MONITORING", "S3_DATA_EVENTS"]
# Node group attributes the eks module defaults (terraform/stacks/platform/variables.tf, node_groups).
NODE_GROUP_DEFAULTS = {"capacity_type": "ON_DEMAND", "disk_size_gib": 50}


def load_inventory(inventory_dir, yaml_module):
    """Merge group_vars/all/*.yml of one inventory the way Ansible does for the all group (file name order, later wins)."""
    folder = os.path.join(inventory_dir, "group_vars", "all")
    if not os.path.isdir(folder):
        raise CostError(f"inventory {inventory_dir} has no group_vars/all folder")
    merged = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith((".yml", ".yaml")):
            continue
        with open(os.path.join(folder, name)) as handle:
            data = yaml_module.safe_load(handle) or {}
        if not isinstance(data, dict):
            raise CostError(f"{os.path.join(folder, name)}: expected a mapping of variables")
        merged.update(data)
    return merged


def _plain(value, where):
    """Refuse a templated value anywhere inside a fact the report prices."""
    if isinstance(value, str) and ("{{" in value or "{%" in value):
        raise CostError(f"{where} is a Jinja template ({value}): the cost report reads plain inventory values only")
    if isinstance(value, dict):
        for key, item in value.items():
            _plain(item, f"{where}.{key}")
    if isinstance(value, list):
        for index, item in enumerate(value):
            _plain(item, f"{where}[{index}]")
    return value


def _stack_var(inventory, prefix, stack, name):
    """An inventory's <prefix><name> (platform_stack_, platform_security_, platform_account_baseline_) merged over the stack default."""
    default = copy.deepcopy(STACK_DEFAULTS[stack][name])
    key = prefix + name
    if key not in inventory:
        return default
    value = _plain(inventory[key], key)
    if isinstance(default, dict) and isinstance(value, dict):
        default.update(value)
        return default
    return value


def environment_facts(inventory, inventory_dir):
    """The priced facts of one environment inventory (dev, staging, prod, local), defaults applied."""
    env = inventory.get("platform_env")
    if not env:
        raise CostError(f"inventory {inventory_dir} does not set platform_env")
    p = "platform_stack_"
    facts = {
        "environment": env,
        "inventory": inventory_dir,
        "region": inventory.get("platform_region"),
        "emulated": bool(inventory.get("platform_aws_endpoint_url")),
        # The same defaults as the playbooks' when: conditions (platform.yml, atlas.yml, ecr.yml).
        "platform_enabled": bool(inventory.get(p + "enabled", True)),
        "eks_version": str(inventory.get("platform_eks_version", "")),
        "atlas_enabled": bool(inventory.get("atlas_enabled", False)),
        "ecr_enabled": bool(inventory.get("ecr_enabled", True)),
        "ecr_replica_regions": sorted(
            {d["region"] for rule in inventory.get("ecr_registry_replication_rules") or [] for d in rule.get("destinations") or [] if "region" in d}
        ),
    }
    if not facts["platform_enabled"]:
        return facts
    node_groups = _plain(inventory.get(p + "node_groups") or {}, p + "node_groups")
    if not node_groups:
        raise CostError(f"inventory {inventory_dir} enables the platform stack but defines no {p}node_groups")
    groups = {}
    for name, group in node_groups.items():
        merged = dict(NODE_GROUP_DEFAULTS)
        merged.update(group)
        for key in ("instance_types", "min_size", "max_size", "desired_size"):
            if key not in merged:
                raise CostError(f"inventory {inventory_dir}: {p}node_groups.{name} has no {key}")
        groups[name] = merged
    zones = _stack_var(inventory, p, "platform", "availability_zones")
    facts.update(
        {
            "zones": len(zones) if zones else 3,
            "nat_gateway_mode": _stack_var(inventory, p, "platform", "nat_gateway_mode"),
            "interface_endpoints": list(_stack_var(inventory, p, "platform", "interface_endpoints")),
            "log_retention_days": int(_stack_var(inventory, p, "platform", "log_retention_days")),
            "node_detailed_monitoring": bool(_stack_var(inventory, p, "platform", "node_detailed_monitoring")),
            "node_groups": groups,
            "redis": _stack_var(inventory, p, "platform", "redis"),
            "documentdb": _stack_var(inventory, p, "platform", "documentdb"),
            "efs": _stack_var(inventory, p, "platform", "efs"),
            "edge": _stack_var(inventory, p, "platform", "edge"),
            "storage_classes": _plain(inventory.get("platform_storage_classes") or {}, "platform_storage_classes"),
            "app_secrets": sorted(_stack_var(inventory, p, "platform", "app_secrets")["secrets"]),
        }
    )
    if facts["nat_gateway_mode"] not in ("single", "per_az"):
        raise CostError("inventory {}: {}nat_gateway_mode must be single or per_az, not {!r}".format(inventory_dir, p, facts["nat_gateway_mode"]))
    if facts["atlas_enabled"]:
        size = _plain(inventory.get("atlas_cluster_instance_size"), "atlas_cluster_instance_size")
        if not size:
            raise CostError(f"inventory {inventory_dir} enables Atlas but sets no atlas_cluster_instance_size")
        scaling = _plain(inventory.get("atlas_cluster_auto_scaling") or {}, "atlas_cluster_auto_scaling")
        facts["atlas"] = {
            "tier": size,
            "max_tier": scaling.get("compute_max_instance_size") if scaling.get("compute_enabled") else None,
            "disk_size_gb": inventory.get("atlas_cluster_disk_size_gb"),
            "backup": bool(inventory.get("atlas_cluster_backup_enabled", False)),
        }
    return facts


def estate_facts(inventory, inventory_dir):
    """The priced facts of the management inventory: the accounts and the organisation-wide security services."""
    accounts = _plain(inventory.get("platform_accounts") or {}, "platform_accounts")
    enabled = bool(inventory.get("platform_organization_enabled", False)) and bool(inventory.get("platform_security_enabled", False))
    s = "platform_security_"
    features = _stack_var(inventory, s, "security", "guardduty_features")
    return {
        "inventory": inventory_dir,
        "security_enabled": enabled,
        "accounts": sorted(accounts),
        "unused_access_analyzer": bool(_stack_var(inventory, s, "security", "enable_unused_access_analyzer")),
        # The per-account baseline stack (applied once per account by playbooks/accounts.yml) records Config.
        "config_daily_accounts": sorted(_stack_var(inventory, "platform_account_baseline_", "account_baseline", "config_daily_accounts")),
        "securityhub": bool(_stack_var(inventory, s, "security", "enable_securityhub")),
        "guardduty": bool(_stack_var(inventory, s, "security", "enable_guardduty_organization")),
        "guardduty_features": sorted(features) if features is not None else list(GUARDDUTY_MODULE_FEATURES),
    }


def _deep_merge(base, over):
    result = dict(base)
    for key, value in over.items():
        result[key] = _deep_merge(result[key], value) if isinstance(result.get(key), dict) and isinstance(value, dict) else value
    return result


def _gib(size):
    text = str(size)
    for suffix, factor in (("Gi", 1), ("Ti", 1024)):
        if text.endswith(suffix):
            return int(float(text[: -len(suffix)]) * factor)
    raise CostError(f"volume size {size!r}: expected Gi or Ti")


def chart_facts(chart_dir, env, yaml_module):
    """Load balancers and the in-cluster database volume that charts/chatbot's values.yaml + values-<env>.yaml ask for."""
    values = {}
    for name in ("values.yaml", f"values-{env}.yaml"):
        path = os.path.join(chart_dir, name)
        if not os.path.isfile(path):
            raise CostError(f"chart values {path} not found")
        with open(path) as handle:
            values = _deep_merge(values, yaml_module.safe_load(handle) or {})
    ingress = values.get("ingress") or {}
    albs = []
    if ingress.get("enabled") and ingress.get("controller", "alb") == "alb":
        albs.append({"name": "public ({})".format((ingress.get("alb") or {}).get("groupName", "ingress group")), "internet_facing": True})
        if (ingress.get("admin") or {}).get("exposure") == "internal":
            albs.append({"name": "internal admin ({})".format((ingress.get("alb") or {}).get("internalGroupName", "internal group")), "internet_facing": False})
    mongodb = values.get("mongodb") or {}
    volume = 0
    if mongodb.get("enabled"):
        size = (mongodb.get("persistence") or {}).get("size")
        if not size:
            raise CostError(f"chart values of {env} enable mongodb without mongodb.persistence.size")
        volume = _gib(size)
    backend = ((values.get("backend") or {}).get("persistence")) or {}
    model_volume = None
    if backend.get("enabled", True) and backend.get("storageClass"):
        model_volume = {"storage_class": backend["storageClass"], "size_gib": _gib(backend.get("size", "0Gi"))}
    return {"albs": albs, "mongodb_volume_gib": volume, "model_volume": model_volume}
