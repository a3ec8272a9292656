# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Registry-level settings: replication, scanning configuration and pull-through cache rules."""

from __future__ import annotations

import re

from ansible_collections.chatbot.platform.plugins.module_utils._ecr.common import ACCOUNT_ID_RE, REGION_RE, EcrError, iso_time, validate_registry_id

SCAN_FREQUENCIES = ("SCAN_ON_PUSH", "CONTINUOUS_SCAN", "MANUAL")
UPSTREAM_REGISTRIES = (
    "ecr",
    "ecr-public",
    "quay",
    "k8s",
    "docker-hub",
    "github-container-registry",
    "azure-container-registry",
    "gitlab-container-registry",
    "chainguard",
)


MAX_REPLICATION_RULES = 10
MAX_REPLICATION_DESTINATIONS = 25
MAX_REPLICATION_FILTERS = 100
# ECR's RepositoryFilter value for replication: a repository name prefix, 2-256 characters.
REPLICATION_PREFIX_RE = re.compile(r"^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$")
CACHE_PREFIX_RE = re.compile(r"^(?=.{2,30}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*)(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$")
UPSTREAM_URL_RE = re.compile(r"^(?=.{1,255}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+(?::\d{1,5})?$")
CREDENTIAL_ARN_RE = re.compile(r"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:ecr-pullthroughcache/[A-Za-z0-9/_+=.@-]+$")
ROLE_ARN_RE = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[A-Za-z0-9/_+=,.@-]{1,512}$")
# Upstreams that ECR reaches only with credentials from Secrets Manager, and their well-known URLs.
UPSTREAMS_NEEDING_CREDENTIALS = ("docker-hub", "github-container-registry", "azure-container-registry", "gitlab-container-registry")
KNOWN_UPSTREAM_URLS = {
    "registry-1.docker.io": "docker-hub",
    "ghcr.io": "github-container-registry",
    "registry.gitlab.com": "gitlab-container-registry",
    "public.ecr.aws": "ecr-public",
    "quay.io": "quay",
    "registry.k8s.io": "k8s",
}
PRIVATE_ECR_URL_RE = re.compile(r"^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$")


# Replication ---------------------------------------------------------------------------------------------------


def validate_replication(rules, own_region):
    """Everything about the replication rules that can be checked without a call, one line each."""
    if len(rules) > MAX_REPLICATION_RULES:
        raise EcrError(f"replication_rules has {len(rules)} rules; ECR allows at most {MAX_REPLICATION_RULES}")
    for index, rule in enumerate(rules):
        where = f"replication_rules[{index}]"
        destinations = rule["destinations"] or []
        if not 1 <= len(destinations) <= MAX_REPLICATION_DESTINATIONS:
            raise EcrError(f"{where}.destinations needs 1 to {MAX_REPLICATION_DESTINATIONS} destinations, got {len(destinations)}")
        seen = set()
        for d_index, dest in enumerate(destinations):
            d_where = f"{where}.destinations[{d_index}]"
            if not REGION_RE.match(dest["region"]):
                raise EcrError(f"{d_where}.region {dest['region']!r} is not an AWS region such as eu-central-1")
            validate_registry_id(dest.get("registry_id"), f"{d_where}.registry_id")
            if dest.get("registry_id") is None and dest["region"] == own_region:
                raise EcrError(f"{d_where} is this registry itself (this account in {own_region}); replicate to another region or account")
            key = (dest["region"], dest.get("registry_id"))
            if key in seen:
                raise EcrError(f"{d_where} repeats an earlier destination of the same rule")
            seen.add(key)
        prefixes = rule.get("repository_prefixes") or []
        if len(prefixes) > MAX_REPLICATION_FILTERS:
            raise EcrError(f"{where}.repository_prefixes has {len(prefixes)} prefixes; ECR allows at most {MAX_REPLICATION_FILTERS}")
        for prefix in prefixes:
            if not REPLICATION_PREFIX_RE.match(prefix):
                raise EcrError(f"{where}.repository_prefixes: {prefix!r} must be 2-256 lowercase letters, digits, '.', '_', '-' and '/'")


def replication_from_api(configuration):
    """API replication rules -> the module's shape, sorted so that comparison ignores order."""
    rules = []
    for rule in (configuration or {}).get("rules") or []:
        rules.append(
            {
                "destinations": sorted(
                    ({"region": d["region"], "registry_id": d["registryId"]} for d in rule.get("destinations") or []),
                    key=lambda d: (d["region"], d["registry_id"]),
                ),
                "repository_prefixes": sorted(f["filter"] for f in rule.get("repositoryFilters") or []),
            }
        )
    return rules


def replication_from_params(rules, own_registry_id, own_region):
    normalized = []
    for index, rule in enumerate(rules):
        destinations = []
        for d_index, dest in enumerate(rule["destinations"]):
            registry_id = dest.get("registry_id") or own_registry_id
            if not ACCOUNT_ID_RE.match(str(registry_id)):
                raise EcrError(f"replication_rules[{index}].destinations[{d_index}].registry_id {registry_id!r} is not a 12-digit account ID")
            if dest["region"] == own_region and registry_id == own_registry_id:
                where = f"replication_rules[{index}].destinations[{d_index}]"
                raise EcrError(f"{where} is this registry itself ({registry_id} in {own_region}); replicate to another region or account")
            destinations.append({"region": dest["region"], "registry_id": str(registry_id)})
        if not destinations:
            raise EcrError(f"replication_rules[{index}].destinations needs at least one destination")
        normalized.append(
            {
                "destinations": sorted(destinations, key=lambda d: (d["region"], d["registry_id"])),
                "repository_prefixes": sorted(rule.get("repository_prefixes") or []),
            }
        )
    return normalized


def replication_to_api(rules):
    api_rules = []
    for rule in rules:
        entry = {"destinations": [{"region": d["region"], "registryId": d["registry_id"]} for d in rule["destinations"]]}
        if rule["repository_prefixes"]:
            entry["repositoryFilters"] = [{"filter": p, "filterType": "PREFIX_MATCH"} for p in rule["repository_prefixes"]]
        api_rules.append(entry)
    return {"rules": api_rules}


def get_registry(api):
    return api.call("describe_registry", "describe the registry")


def put_replication(api, rules):
    api.call("put_replication_configuration", "put the replication configuration", replicationConfiguration=replication_to_api(rules))


# Scanning ------------------------------------------------------------------------------------------------------

_SCAN_FILTER_CHARS = re.compile(r"^[a-z0-9*._/-]{1,255}$")
_SCAN_FILTER_DOUBLE_SEPARATOR = re.compile(r"[._/-]{2}")


def valid_scan_filter(value):
    """ECR's repository filter syntax for scanning rules (lowercase names, '*' wildcards, single separators)."""
    return (
        _SCAN_FILTER_CHARS.match(value) is not None
        and value[0] not in "._/-"
        and value[-1] not in "._/-"
        and _SCAN_FILTER_DOUBLE_SEPARATOR.search(value) is None
    )


def scanning_from_api(configuration):
    configuration = configuration or {}
    return {
        "scan_type": configuration.get("scanType") or "BASIC",
        "rules": sorted(
            (
                {"scan_frequency": r["scanFrequency"], "repository_filters": sorted(f["filter"] for f in r.get("repositoryFilters") or [])}
                for r in configuration.get("rules") or []
            ),
            key=lambda r: r["scan_frequency"],
        ),
    }


def scanning_from_params(scanning):
    rules = []
    seen = set()
    for index, rule in enumerate(scanning.get("rules") or []):
        frequency = rule["scan_frequency"]
        if frequency in seen:
            raise EcrError(f"scanning.rules: scan frequency {frequency} appears in more than one rule; put all its filters in one rule")
        seen.add(frequency)
        if scanning["scan_type"] == "BASIC" and frequency == "CONTINUOUS_SCAN":
            raise EcrError(f"scanning.rules[{index}]: CONTINUOUS_SCAN needs scan_type ENHANCED")
        filters = rule.get("repository_filters") or []
        if not filters:
            raise EcrError(f"scanning.rules[{index}].repository_filters needs at least one filter (use '*' for every repository)")
        for value in filters:
            if not valid_scan_filter(value):
                raise EcrError(
                    f"scanning.rules[{index}].repository_filters: {value!r} must be lowercase letters, digits and '*', separated by single '.', '_', '-' or '/'"
                )
        rules.append({"scan_frequency": frequency, "repository_filters": sorted(set(filters))})
    return {"scan_type": scanning["scan_type"], "rules": sorted(rules, key=lambda r: r["scan_frequency"])}


def get_scanning(api):
    response = api.call("get_registry_scanning_configuration", "read the registry scanning configuration")
    return scanning_from_api(response.get("scanningConfiguration"))


def put_scanning(api, scanning):
    rules = [
        {"scanFrequency": r["scan_frequency"], "repositoryFilters": [{"filter": f, "filterType": "WILDCARD"} for f in r["repository_filters"]]}
        for r in scanning["rules"]
    ]
    api.call("put_registry_scanning_configuration", "put the registry scanning configuration", scanType=scanning["scan_type"], rules=rules)


# Pull-through cache --------------------------------------------------------------------------------------------

CACHE_FIELDS = (
    ("prefix", "ecrRepositoryPrefix"),
    ("upstream_registry_url", "upstreamRegistryUrl"),
    ("upstream_registry", "upstreamRegistry"),
    ("upstream_repository_prefix", "upstreamRepositoryPrefix"),
    ("credential_arn", "credentialArn"),
    ("custom_role_arn", "customRoleArn"),
)
# What UpdatePullThroughCacheRule can change; anything else needs the rule to be replaced.
CACHE_UPDATABLE = ("credential_arn", "custom_role_arn")


def cache_rule_from_api(rule):
    view = {ours: rule.get(theirs) for ours, theirs in CACHE_FIELDS}
    view["created_at"] = iso_time(rule.get("createdAt"))
    return view


def list_cache_rules(api):
    rules = api.paginate("describe_pull_through_cache_rules", "pullThroughCacheRules", "list pull-through cache rules")
    return {r["ecrRepositoryPrefix"]: cache_rule_from_api(r) for r in rules or []}


def cache_rule_differences(current, desired):
    """Keys whose desired value (when given) differs from the current rule."""
    return [key for key, _api_key in CACHE_FIELDS if key != "prefix" and desired.get(key) is not None and desired.get(key) != current.get(key)]


def upstream_type(rule):
    """The upstream registry type as given, or as ECR infers it from a well-known URL (None when unknown)."""
    if rule.get("upstream_registry"):
        return rule["upstream_registry"]
    url = rule["upstream_registry_url"]
    if PRIVATE_ECR_URL_RE.match(url):
        return "ecr"
    if url.endswith(".azurecr.io"):
        return "azure-container-registry"
    return KNOWN_UPSTREAM_URLS.get(url)


def validate_cache_rules(rules):
    """Prefixes unique, every field well-formed and only the combinations ECR accepts; no call needed."""
    seen = set()
    for index, rule in enumerate(rules):
        where = f"pull_through_cache_rules[{index}]"
        prefix = rule["prefix"]
        if prefix in seen:
            raise EcrError(f"pull_through_cache_rules lists prefix {prefix!r} more than once")
        seen.add(prefix)
        if not CACHE_PREFIX_RE.match(prefix):
            raise EcrError(f"{where}.prefix {prefix!r} must be 2-30 lowercase letters, digits and single '.', '_', '-' or '/' separators")
        if not UPSTREAM_URL_RE.match(rule["upstream_registry_url"]):
            raise EcrError(
                f"{where}.upstream_registry_url {rule['upstream_registry_url']!r} must be a registry host name such as public.ecr.aws (no scheme, no path)"
            )
        if rule.get("credential_arn") is not None and not CREDENTIAL_ARN_RE.match(rule["credential_arn"]):
            raise EcrError(f"{where}.credential_arn must be the ARN of a Secrets Manager secret whose name starts with ecr-pullthroughcache/")
        if rule.get("custom_role_arn") is not None and not ROLE_ARN_RE.match(rule["custom_role_arn"]):
            raise EcrError(f"{where}.custom_role_arn {rule['custom_role_arn']!r} is not an IAM role ARN")
        kind = upstream_type(rule)
        if rule.get("upstream_repository_prefix") is not None and not CACHE_PREFIX_RE.match(rule["upstream_repository_prefix"]):
            raise EcrError(f"{where}.upstream_repository_prefix must be 2-30 lowercase letters, digits and single '.', '_', '-' or '/' separators")
        for option in ("upstream_repository_prefix", "custom_role_arn"):
            if rule.get(option) is not None and kind not in ("ecr", None):
                raise EcrError(f"{where}.{option} applies only to an ECR upstream (private ECR to ECR caching), not to {kind}")
        if kind in UPSTREAMS_NEEDING_CREDENTIALS and not rule.get("credential_arn"):
            raise EcrError(f"{where}: the {kind} upstream needs credential_arn (a Secrets Manager secret named ecr-pullthroughcache/...)")


def create_cache_rule(api, rule):
    params = {theirs: rule[ours] for ours, theirs in CACHE_FIELDS if rule.get(ours) is not None}
    try:
        response = api.call("create_pull_through_cache_rule", f"create pull-through cache rule {rule['prefix']!r}", **params)
    except EcrError as exc:
        # Already there after a retry: the earlier attempt created it and its answer was lost.
        if exc.extra.get("error_code") != "PullThroughCacheRuleAlreadyExistsException" or not exc.retried:
            raise
        return None
    return iso_time(response.get("createdAt"))


def update_cache_rule(api, rule):
    params = {theirs: rule[ours] for ours, theirs in CACHE_FIELDS if ours in ("prefix", *CACHE_UPDATABLE) and rule.get(ours) is not None}
    api.call("update_pull_through_cache_rule", f"update pull-through cache rule {rule['prefix']!r}", **params)


def delete_cache_rule(api, prefix):
    api.call(
        "delete_pull_through_cache_rule",
        f"delete pull-through cache rule {prefix!r}",
        missing=("PullThroughCacheRuleNotFoundException",),
        ecrRepositoryPrefix=prefix,
    )
