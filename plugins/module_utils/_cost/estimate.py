# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Monthly cost of each environment and of the account estate, from inventory facts, usage assumptions and prices.

Every line is either fixed by the inventory (a count times an hourly or monthly price) or scaled by a usage
assumption (named in the line, defaults in USAGE_DEFAULTS); nothing else enters a figure.
"""

from __future__ import annotations

import functools

from ansible_collections.chatbot.platform.plugins.module_utils._cost.prices import CostError

# Usage the inventories cannot know: per environment unless the name says per account. Each is printed with the report.
USAGE_DEFAULTS = {
    "spot_price_fraction": 0.35,
    "nat_data_gb": 50.0,
    "alb_lcu": 1.0,
    "efs_gb": 5.0,
    "s3_gb": 10.0,
    "sqs_million_requests": 1.0,
    "waf_million_requests": 2.0,
    "log_ingest_gb": 10.0,
    "guardduty_flow_dns_gb": 5.0,
    "guardduty_eks_audit_million_events": 1.0,
    "ecr_gb": 20.0,
    "config_items_per_account": 500.0,
    "securityhub_checks_per_account": 3000.0,
    "guardduty_cloudtrail_million_events_per_account": 0.2,
    "guardduty_s3_million_events_per_account": 0.5,
    "iam_principals_per_account": 40.0,
}
USAGE_DESCRIPTIONS = {
    "spot_price_fraction": "Spot price as a fraction of on-demand (Spot is not a list price)",
    "nat_data_gb": "GB per month through the NAT gateways (image pulls, Atlas traffic, external APIs)",
    "alb_lcu": "average load balancer capacity units per ALB",
    "efs_gb": "GB of trained models on EFS (Standard)",
    "s3_gb": "GB in the assets bucket",
    "sqs_million_requests": "million SQS requests per month",
    "waf_million_requests": "million requests inspected by WAF per month",
    "log_ingest_gb": "GB of CloudWatch Logs ingested per month (flow logs, control plane, WAF)",
    "guardduty_flow_dns_gb": "GB of VPC flow and DNS logs GuardDuty analyses per month",
    "guardduty_eks_audit_million_events": "million EKS audit events GuardDuty analyses per month",
    "ecr_gb": "GB of images in ECR (shared services), before replication",
    "config_items_per_account": "AWS Config configuration items recorded per account and month",
    "securityhub_checks_per_account": "Security Hub security checks per account and month",
    "guardduty_cloudtrail_million_events_per_account": "million CloudTrail management events per account and month",
    "guardduty_s3_million_events_per_account": "million S3 data events per account and month",
    "iam_principals_per_account": "IAM roles and users per account (unused-access analyzer)",
}
# What the public estimate covers (EKS + Atlas + Redis + SQS + S3), by report category.
REFERENCE_SCOPE = ("compute", "database", "cache", "messaging", "object_storage")
CATEGORIES = (
    ("compute", "EKS control plane, nodes, root volumes"),
    ("network", "NAT gateways, public IPv4, interface endpoints"),
    ("load_balancing", "Application Load Balancers"),
    ("database", "MongoDB (Atlas, DocumentDB or in-cluster volume)"),
    ("cache", "ElastiCache Redis"),
    ("messaging", "SQS"),
    ("object_storage", "S3"),
    ("model_storage", "model store (EFS and its backup, or a gp3 volume)"),
    ("edge", "WAF"),
    ("keys_secrets", "KMS keys, Secrets Manager"),
    ("logging", "CloudWatch Logs"),
    ("security", "GuardDuty, Config, Security Hub, Access Analyzer"),
    ("registry", "ECR"),
)
# Customer managed KMS keys one platform stack creates: data, edge-logs and ebs (modules/kms_key in the stack),
# the EKS secrets key (modules/eks) and the flow-log key (modules/network). A test counts them in terraform/.
KMS_KEYS_PER_ENVIRONMENT = 5
# WAF rules of modules/edge besides the optional SQLi group: rate limit, Known Bad Inputs, Common, IP reputation.
WAF_BASE_RULES = 4


def merge_usage(usage):
    merged = dict(USAGE_DEFAULTS)
    for key, value in (usage or {}).items():
        if key not in USAGE_DEFAULTS:
            raise CostError("unknown usage assumption {!r}; known: {}".format(key, ", ".join(sorted(USAGE_DEFAULTS))))
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise CostError(f"usage assumption {key!r} must be a non-negative number")
        merged[key] = float(value)
    return merged


class _Lines:
    def __init__(self, prices):
        self.prices = prices
        self.lines = []

    def add(self, category, item, monthly, refs, monthly_max=None, usage=None):
        self.lines.append(
            {
                "category": category,
                "item": item,
                "monthly": round(monthly, 2),
                "monthly_max": round(monthly if monthly_max is None else monthly_max, 2),
                "usage": usage,
                "prices": refs,
            }
        )


def _usd(prices, kind, name):
    return float((prices.service(name) if kind == "services" else prices.item(kind, name))["usd"])


def _node_group_lines(out, prices, usage, name, group):
    hours = prices.hours_per_month
    types = list(group["instance_types"])
    for instance_type in types:
        prices.item("ec2_instances", instance_type)
    spot = group["capacity_type"] == "SPOT"
    if spot:
        # Spot allocation (price-capacity-optimized) favours the cheaper pools: priced at the cheapest type.
        chosen = min(types, key=lambda t: _usd(prices, "ec2_instances", t))
        per_node = _usd(prices, "ec2_instances", chosen) * hours * usage["spot_price_fraction"]
        how = "Spot at {:.0f} % of on-demand".format(usage["spot_price_fraction"] * 100)
    else:
        # On-demand managed node groups launch the first listed type while it is available (prioritized).
        chosen = types[0]
        per_node = _usd(prices, "ec2_instances", chosen) * hours
        how = "on-demand"
    out.add(
        "compute",
        "node group {}: {}-{} x {} ({})".format(name, group["desired_size"], group["max_size"], chosen, how),
        per_node * group["desired_size"],
        [prices.ref("ec2_instances", chosen)],
        per_node * group["max_size"],
        "spot_price_fraction" if spot else None,
    )
    gp3 = _usd(prices, "services", "ebs_gp3_gb_month") * group["disk_size_gib"]
    out.add(
        "compute",
        "node group {}: root volumes {} GiB gp3 each".format(name, group["disk_size_gib"]),
        gp3 * group["desired_size"],
        [prices.ref("services", "ebs_gp3_gb_month")],
        gp3 * group["max_size"],
    )
    vcpu = int(prices.item("ec2_instances", chosen)["vcpu"])
    return vcpu * group["desired_size"], vcpu * group["max_size"]


def estimate_environment(facts, prices, usage, chart=None, estate=None):
    """Line items of one environment. chart: what the chatbot chart's values say about load balancers and the in-cluster database."""
    env = facts["environment"]
    if facts["emulated"]:
        return {"environment": env, "priced": False, "reason": "emulated (platform_aws_endpoint_url is set): no AWS charges", "lines": []}
    if not facts["platform_enabled"]:
        return {"environment": env, "priced": False, "reason": "the platform stack is off (platform_stack_enabled: false)", "lines": []}
    hours = prices.hours_per_month
    out = _Lines(prices)
    svc = functools.partial(_usd, prices, "services")
    ref = functools.partial(prices.ref, "services")
    notes = []

    out.add("compute", "EKS control plane (Kubernetes {})".format(facts["eks_version"]), svc("eks_cluster") * hours, [ref("eks_cluster")])
    vcpus = vcpus_max = 0
    for name in sorted(facts["node_groups"]):
        low, high = _node_group_lines(out, prices, usage, name, facts["node_groups"][name])
        vcpus += low
        vcpus_max += high
    if facts["node_detailed_monitoring"]:
        notes.append("EC2 detailed monitoring is on (platform_stack_node_detailed_monitoring) and not priced here.")

    nats = 1 if facts["nat_gateway_mode"] == "single" else facts["zones"]
    out.add("network", "NAT gateways: {} ({})".format(nats, facts["nat_gateway_mode"]), nats * svc("nat_gateway_hour") * hours, [ref("nat_gateway_hour")])
    out.add("network", f"NAT gateway public IPv4 addresses: {nats}", nats * svc("public_ipv4_hour") * hours, [ref("public_ipv4_hour")])
    out.add("network", "NAT data processing", usage["nat_data_gb"] * svc("nat_gateway_gb"), [ref("nat_gateway_gb")], usage="nat_data_gb")
    endpoints = len(facts["interface_endpoints"])
    if endpoints:
        out.add(
            "network",
            "interface endpoints: {} x {} zones ({})".format(endpoints, facts["zones"], ", ".join(facts["interface_endpoints"])),
            endpoints * facts["zones"] * svc("interface_endpoint_hour") * hours,
            [ref("interface_endpoint_hour")],
        )

    if chart is not None and chart["albs"]:
        for alb in chart["albs"]:
            out.add(
                "load_balancing",
                "ALB {}".format(alb["name"]),
                svc("alb_hour") * hours + usage["alb_lcu"] * svc("alb_lcu_hour") * hours,
                [ref("alb_hour"), ref("alb_lcu_hour")],
                usage="alb_lcu",
            )
            if alb["internet_facing"]:
                out.add(
                    "load_balancing",
                    "ALB {} public IPv4 addresses: {}".format(alb["name"], facts["zones"]),
                    facts["zones"] * svc("public_ipv4_hour") * hours,
                    [ref("public_ipv4_hour")],
                )
    elif chart is None:
        notes.append("No chart values given: the load balancers the chart's Ingresses create are not priced.")

    if facts["atlas_enabled"]:
        atlas = facts["atlas"]
        tier = prices.item("atlas_tiers", atlas["tier"])
        top = prices.item("atlas_tiers", atlas["max_tier"]) if atlas["max_tier"] else tier
        out.add(
            "database",
            "MongoDB Atlas {} (auto-scaling up to {})".format(atlas["tier"], atlas["max_tier"] or atlas["tier"]),
            float(tier["usd"]) * hours,
            [prices.ref("atlas_tiers", atlas["tier"])] + ([prices.ref("atlas_tiers", atlas["max_tier"])] if atlas["max_tier"] else []),
            float(top["usd"]) * hours,
        )
        if atlas["disk_size_gb"] and atlas["disk_size_gb"] > tier["included_storage_gb"]:
            notes.append(
                "Atlas disk {} GB exceeds the {} GB {} includes: Atlas bills the extra storage, not priced here.".format(
                    atlas["disk_size_gb"], tier["included_storage_gb"], atlas["tier"]
                )
            )
        if atlas["backup"]:
            notes.append("Atlas cloud backup snapshots are billed by Atlas per GB stored: not priced here.")
    if facts["documentdb"]["enabled"]:
        doc = facts["documentdb"]
        out.add(
            "database",
            "DocumentDB: {} x {}".format(doc["instance_count"], doc["instance_class"]),
            doc["instance_count"] * _usd(prices, "documentdb_instances", doc["instance_class"]) * hours,
            [prices.ref("documentdb_instances", doc["instance_class"])],
        )
        notes.append("DocumentDB storage and I/O are billed per GB and per million I/Os: not priced here.")
    if chart is not None and chart.get("mongodb_volume_gib"):
        out.add(
            "database",
            "in-cluster MongoDB volume: {} GiB gp3 (pods run on the general nodes)".format(chart["mongodb_volume_gib"]),
            chart["mongodb_volume_gib"] * svc("ebs_gp3_gb_month"),
            [ref("ebs_gp3_gb_month")],
        )

    redis = facts["redis"]
    if redis["enabled"]:
        out.add(
            "cache",
            "ElastiCache Redis: {} x {}".format(redis["num_cache_clusters"], redis["node_type"]),
            redis["num_cache_clusters"] * _usd(prices, "elasticache_nodes", redis["node_type"]) * hours,
            [prices.ref("elasticache_nodes", redis["node_type"])],
        )
    out.add(
        "messaging",
        "SQS backend queue and DLQ",
        usage["sqs_million_requests"] * svc("sqs_million_requests"),
        [ref("sqs_million_requests")],
        usage="sqs_million_requests",
    )
    out.add("object_storage", "S3 assets and access-log buckets", usage["s3_gb"] * svc("s3_standard_gb_month"), [ref("s3_standard_gb_month")], usage="s3_gb")
    volume = chart.get("model_volume") if chart else None
    models_class = facts["storage_classes"].get("models")
    if volume and volume["storage_class"] != models_class:
        # The backend keeps its models on a block volume (one replica): the EFS file system exists but stays empty.
        out.add(
            "model_storage",
            "backend model volume: {} GiB {} (the EFS model store stays empty)".format(volume["size_gib"], volume["storage_class"]),
            volume["size_gib"] * svc("ebs_gp3_gb_month"),
            [ref("ebs_gp3_gb_month")],
        )
    else:
        out.add("model_storage", "EFS model store (Standard)", usage["efs_gb"] * svc("efs_standard_gb_month"), [ref("efs_standard_gb_month")], usage="efs_gb")
        if facts["efs"]["backup"]:
            out.add(
                "model_storage",
                "AWS Backup of the model store",
                usage["efs_gb"] * svc("backup_efs_warm_gb_month"),
                [ref("backup_efs_warm_gb_month")],
                usage="efs_gb",
            )

    edge = facts["edge"]
    if edge["waf_enabled"]:
        rules = WAF_BASE_RULES + (1 if edge["waf_sqli_rules"] else 0)
        out.add(
            "edge",
            f"WAF web ACL with {rules} rules",
            svc("waf_web_acl_month") + rules * svc("waf_rule_month"),
            [ref("waf_web_acl_month"), ref("waf_rule_month")],
        )
        out.add(
            "edge", "WAF requests", usage["waf_million_requests"] * svc("waf_million_requests"), [ref("waf_million_requests")], usage="waf_million_requests"
        )

    out.add("keys_secrets", f"KMS customer managed keys: {KMS_KEYS_PER_ENVIRONMENT}", KMS_KEYS_PER_ENVIRONMENT * svc("kms_key_month"), [ref("kms_key_month")])
    secrets = list(facts["app_secrets"]) + (["redis"] if redis["enabled"] else []) + (["mongodb (Atlas step)"] if facts["atlas_enabled"] else [])
    out.add(
        "keys_secrets",
        "Secrets Manager secrets: {} ({})".format(len(secrets), ", ".join(secrets)),
        len(secrets) * svc("secrets_manager_secret_month"),
        [ref("secrets_manager_secret_month")],
    )

    retention_months = facts["log_retention_days"] / 30.0
    out.add(
        "logging",
        "CloudWatch Logs ingestion and storage ({} days retention)".format(facts["log_retention_days"]),
        usage["log_ingest_gb"] * (svc("cloudwatch_logs_ingest_gb") + retention_months * svc("cloudwatch_logs_storage_gb_month")),
        [ref("cloudwatch_logs_ingest_gb"), ref("cloudwatch_logs_storage_gb_month")],
        usage="log_ingest_gb",
    )

    if estate is not None and estate["security_enabled"] and estate["guardduty"]:
        features = estate["guardduty_features"]
        out.add(
            "security",
            "GuardDuty VPC flow and DNS log analysis",
            usage["guardduty_flow_dns_gb"] * svc("guardduty_flow_dns_gb"),
            [ref("guardduty_flow_dns_gb")],
            usage="guardduty_flow_dns_gb",
        )
        if "EKS_AUDIT_LOGS" in features:
            out.add(
                "security",
                "GuardDuty EKS audit log monitoring",
                usage["guardduty_eks_audit_million_events"] * svc("guardduty_eks_audit_million_events"),
                [ref("guardduty_eks_audit_million_events")],
                usage="guardduty_eks_audit_million_events",
            )
        if "RUNTIME_MONITORING" in features:
            rate = svc("guardduty_runtime_vcpu_month")
            out.add(
                "security",
                f"GuardDuty Runtime Monitoring: {vcpus}-{vcpus_max} node vCPUs",
                vcpus * rate,
                [ref("guardduty_runtime_vcpu_month")],
                vcpus_max * rate,
            )
    return _close({"environment": env, "priced": True, "lines": out.lines, "notes": notes})


def estimate_estate(estate, environments, prices, usage):
    """Organisation-wide lines: per-account security services and the shared ECR registry."""
    out = _Lines(prices)
    svc = functools.partial(_usd, prices, "services")
    ref = functools.partial(prices.ref, "services")
    notes = []
    accounts = estate["accounts"] if estate else []
    if estate and estate["security_enabled"]:
        daily = [a for a in accounts if a in estate["config_daily_accounts"]]
        continuous = len(accounts) - len(daily)
        items = usage["config_items_per_account"]
        out.add(
            "security",
            "AWS Config: {} accounts continuous, {} daily ({})".format(continuous, len(daily), ", ".join(daily) or "none"),
            items * (continuous * svc("config_item_continuous") + len(daily) * svc("config_item_periodic")),
            [ref("config_item_continuous"), ref("config_item_periodic")],
            usage="config_items_per_account",
        )

        def per_account(label, usage_key, price_key):
            """One line for a service priced per account: accounts x usage per account x unit price."""
            out.add(
                "security",
                f"{label}: {len(accounts)} accounts",
                len(accounts) * usage[usage_key] * svc(price_key),
                [ref(price_key)],
                usage=usage_key,
            )

        if estate["securityhub"]:
            per_account("Security Hub", "securityhub_checks_per_account", "securityhub_check")
        if estate["guardduty"]:
            per_account("GuardDuty CloudTrail analysis", "guardduty_cloudtrail_million_events_per_account", "guardduty_cloudtrail_million_events")
            if "S3_DATA_EVENTS" in estate["guardduty_features"]:
                per_account("GuardDuty S3 protection", "guardduty_s3_million_events_per_account", "guardduty_s3_million_events")
        if estate["unused_access_analyzer"]:
            per_account("IAM Access Analyzer unused access", "iam_principals_per_account", "access_analyzer_unused_principal_month")
        notes.append("CloudTrail: the organisation trail's first copy of management events is free; its S3 and log-group storage is not priced.")
    elif estate is not None:
        notes.append("The account estate's security stack is off (platform_organization_enabled / platform_security_enabled): not priced.")
    registries = [f for f in environments if f.get("ecr_enabled") and not f.get("emulated")]
    if registries:
        replicas = sorted({r for f in registries for r in f.get("ecr_replica_regions", [])})
        copies = 1 + len(replicas)
        out.add(
            "registry",
            "ECR in shared services: {} region(s){}".format(copies, " (replicas: {})".format(", ".join(replicas)) if replicas else ""),
            copies * usage["ecr_gb"] * svc("ecr_storage_gb_month"),
            [ref("ecr_storage_gb_month")],
            usage="ecr_gb",
        )
    return _close({"environment": "estate", "priced": True, "lines": out.lines, "notes": notes})


def _close(result):
    result["total"] = round(sum(line["monthly"] for line in result["lines"]), 2)
    result["total_max"] = round(sum(line["monthly_max"] for line in result["lines"]), 2)
    result["by_category"] = {c: round(sum(x["monthly"] for x in result["lines"] if x["category"] == c), 2) for c, dummy in CATEGORIES}
    return result
