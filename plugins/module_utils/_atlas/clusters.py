# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Atlas clusters in the advanced shape (replicationSpecs -> regionConfigs, the 2024-08-05 schema)."""

from __future__ import annotations

import copy
import re

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.client import AtlasApiError
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.common import (
    deep_merge,
    is_subset,
    normalize_region,
    strip_links,
    tags_to_dict,
    tags_to_list,
    to_snake,
)
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.spec_facts import (
    AUTO_SCALING_INSTANCE_SIZES,
    INSTANCE_SIZES,
    REGIONS,
)
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.spec_facts import (
    CLUSTER_NAME_PATTERN as SPEC_CLUSTER_NAME_PATTERN,
)
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.waiters import wait_for

CLUSTER_NOT_FOUND_CODES = ("CLUSTER_NOT_FOUND",)
CLUSTER_EXISTS_CODES = ("DUPLICATE_CLUSTER_NAME", "CLUSTER_ALREADY_EXISTS")
# The specification's name pattern; Atlas also limits names to 64 characters.
CLUSTER_NAME_PATTERN = re.compile(SPEC_CLUSTER_NAME_PATTERN)
CLUSTER_NAME_MAX_LENGTH = 64
MAJOR_VERSION_PATTERN = re.compile(r"^[0-9]+\.[0-9]+$")
STABLE_STATE = "IDLE"


def get_cluster(client, project_id, name):
    """The cluster, or None when Atlas says CLUSTER_NOT_FOUND (a missing project is an error, not "absent")."""
    return client.call_or_none("getGroupCluster", CLUSTER_NOT_FOUND_CODES, groupId=project_id, clusterName=name)


def list_clusters(client, project_id):
    return client.call_all("listGroupClusters", groupId=project_id)


def _hardware_spec(spec):
    if not spec:
        return None
    out = {}
    if spec.get("instance_size") is not None:
        out["instanceSize"] = spec["instance_size"]
    if spec.get("node_count") is not None:
        out["nodeCount"] = spec["node_count"]
    if spec.get("disk_size_gb") is not None:
        out["diskSizeGB"] = spec["disk_size_gb"]
    return out or None


def _auto_scaling(spec):
    if not spec:
        return None
    compute = {}
    if spec.get("compute_enabled") is not None:
        compute["enabled"] = spec["compute_enabled"]
    if spec.get("compute_scale_down_enabled") is not None:
        compute["scaleDownEnabled"] = spec["compute_scale_down_enabled"]
    if spec.get("compute_min_instance_size") is not None:
        compute["minInstanceSize"] = spec["compute_min_instance_size"]
    if spec.get("compute_max_instance_size") is not None:
        compute["maxInstanceSize"] = spec["compute_max_instance_size"]
    out = {}
    if compute:
        out["compute"] = compute
    if spec.get("disk_gb_enabled") is not None:
        out["diskGB"] = {"enabled": spec["disk_gb_enabled"]}
    return out or None


def _region_config(cfg):
    out = {
        "providerName": cfg["provider_name"],
        "regionName": normalize_region(cfg["region_name"]),
        "priority": cfg.get("priority") if cfg.get("priority") is not None else 7,
    }
    for key, api_key in (("electable_specs", "electableSpecs"), ("read_only_specs", "readOnlySpecs"), ("analytics_specs", "analyticsSpecs")):
        spec = _hardware_spec(cfg.get(key))
        if spec:
            out[api_key] = spec
    scaling = _auto_scaling(cfg.get("auto_scaling"))
    if scaling:
        out["autoScaling"] = scaling
    return out


def replication_specs_from_params(params):
    """Build the API replicationSpecs from either the simple options or replication_specs."""
    if params.get("replication_specs"):
        specs = []
        for spec in params["replication_specs"]:
            item = {"regionConfigs": [_region_config(cfg) for cfg in spec["region_configs"]]}
            if spec.get("zone_name"):
                item["zoneName"] = spec["zone_name"]
            specs.append(item)
        return specs
    if not params.get("region") or not params.get("instance_size"):
        return None
    cfg = {
        "provider_name": params["provider_name"],
        "region_name": params["region"],
        "priority": 7,
        "electable_specs": {"instance_size": params["instance_size"], "node_count": params["node_count"], "disk_size_gb": params.get("disk_size_gb")},
        "auto_scaling": params.get("auto_scaling"),
    }
    return [{"regionConfigs": [_region_config(cfg)]}]


def validate_params(params):
    """Return a list of readable problems with the requested cluster shape (empty when fine)."""
    problems = []
    if not CLUSTER_NAME_PATTERN.match(params["name"]) or len(params["name"]) > CLUSTER_NAME_MAX_LENGTH:
        problems.append("name {!r} must be 1-64 letters, digits or hyphens, starting with a letter or digit".format(params["name"]))
    if params.get("mongodb_major_version") and not MAJOR_VERSION_PATTERN.match(params["mongodb_major_version"]):
        problems.append("mongodb_major_version {!r} must look like 8.0".format(params["mongodb_major_version"]))
    # (where, provider, enumeration name, value): every size and region checked against the provider's list.
    checks = []
    provider = params.get("provider_name") or "AWS"
    if params.get("instance_size"):
        checks.append(("instance_size", provider, INSTANCE_SIZES, params["instance_size"]))
    if params.get("region"):
        checks.append(("region", provider, REGIONS, normalize_region(params["region"])))
    checks += _scaling_checks("auto_scaling", provider, params.get("auto_scaling"))
    for i, spec in enumerate(params.get("replication_specs") or []):
        for j, cfg in enumerate(spec["region_configs"]):
            where = f"replication_specs[{i}].region_configs[{j}]"
            cfg_provider = cfg["provider_name"]
            checks.append((where + ".region_name", cfg_provider, REGIONS, normalize_region(cfg["region_name"])))
            for key in ("electable_specs", "read_only_specs", "analytics_specs"):
                size = (cfg.get(key) or {}).get("instance_size")
                if size:
                    checks.append((f"{where}.{key}.instance_size", cfg_provider, INSTANCE_SIZES, size))
            checks += _scaling_checks(where + ".auto_scaling", cfg_provider, cfg.get("auto_scaling"))
            priority = cfg.get("priority")
            if priority is not None and not 0 <= priority <= 7:
                problems.append(f"{where}.priority must be between 0 and 7")
    for where, cloud, table, value in checks:
        allowed = table.get(cloud, ())
        if value not in allowed:
            what = "region" if table is REGIONS else "instance size"
            problems.append(f"{where} {value!r} is not an Atlas {what} of {cloud} (the API accepts {_examples(allowed)})")
    if params.get("disk_size_gb") is not None and params["disk_size_gb"] <= 0:
        problems.append("disk_size_gb must be greater than 0")
    if params.get("node_count") is not None and params["node_count"] not in (3, 5, 7):
        problems.append("node_count must be 3, 5 or 7 electable nodes, got {}".format(params["node_count"]))
    return problems


def _scaling_checks(where, provider, scaling):
    out = []
    for key in ("compute_min_instance_size", "compute_max_instance_size"):
        if (scaling or {}).get(key):
            out.append((f"{where}.{key}", provider, AUTO_SCALING_INSTANCE_SIZES, scaling[key]))
    return out


def _examples(allowed):
    shown = ", ".join(allowed[:8])
    return f"{shown}, ... ({len(allowed)} in all)" if len(allowed) > 8 else shown


def _major(version):
    return int(str(version).split(".", maxsplit=1)[0])


def check_major_version_change(current, wanted):
    """None when moving the cluster from its MongoDB major version to ``wanted`` is allowed, else why not.

    Atlas upgrades one major version at a time and downgrades one major version only while the feature
    compatibility version is pinned to the version below (the specification's mongoDBMajorVersion rules).
    """
    have = current.get("mongoDBMajorVersion")
    if not wanted or not have or wanted == have:
        return None
    step = _major(wanted) - _major(have)
    if step == 1:
        return None
    if step > 1:
        return (
            f"mongodb_major_version can only move up one major version at a time: the cluster runs {have}; "
            f"upgrade to the next major version first, then to {wanted}"
        )
    pinned = current.get("featureCompatibilityVersionExpirationDate") and str(current.get("featureCompatibilityVersion")) == wanted
    if step == -1 and pinned:
        return None
    return (
        f"mongodb_major_version cannot go down from {have} to {wanted}: Atlas only downgrades one major version, "
        f"and only while the feature compatibility version is pinned to {wanted}"
    )


def desired_body(params):
    """The cluster fields the user asked for, in API form. Unset options are left out (not managed)."""
    body = {"name": params["name"]}
    if params.get("cluster_type"):
        body["clusterType"] = params["cluster_type"]
    specs = replication_specs_from_params(params)
    if specs is not None:
        body["replicationSpecs"] = specs
    for option, key in (
        ("mongodb_major_version", "mongoDBMajorVersion"),
        ("backup_enabled", "backupEnabled"),
        ("pit_enabled", "pitEnabled"),
        ("termination_protection_enabled", "terminationProtectionEnabled"),
        ("paused", "paused"),
    ):
        if params.get(option) is not None:
            body[key] = params[option]
    if params.get("tags") is not None:
        body["tags"] = tags_to_list(params["tags"])
    return body


def _comparable_specs(desired_specs):
    """Drop instanceSize where compute auto-scaling owns it, so Atlas scaling is not fought on every run."""
    specs = copy.deepcopy(desired_specs)
    for spec in specs:
        for cfg in spec.get("regionConfigs", []):
            compute = (cfg.get("autoScaling") or {}).get("compute") or {}
            if compute.get("enabled"):
                for key in ("electableSpecs", "readOnlySpecs", "analyticsSpecs"):
                    if key in cfg:
                        cfg[key].pop("instanceSize", None)
    return specs


def compute_update(desired, current):
    """Return (patch body, list of changed top-level fields). Empty body means nothing to do."""
    patch = {}
    for key, value in desired.items():
        if key == "name":
            continue
        if key == "tags":
            if tags_to_dict(value) != tags_to_dict(current.get("tags")):
                patch["tags"] = value
            continue
        if key == "replicationSpecs":
            comparable = _comparable_specs(value)
            if not is_subset(comparable, current.get("replicationSpecs")):
                current_specs = current.get("replicationSpecs") or []
                if len(current_specs) == len(comparable):
                    patch["replicationSpecs"] = deep_merge(current_specs, comparable)
                else:
                    patch["replicationSpecs"] = value
                # The merge keeps sizes Atlas scaled to; sizes the user set where scaling is off still win.
                patch["replicationSpecs"] = _apply_explicit_sizes(patch["replicationSpecs"], value)
            continue
        if not is_subset(value, current.get(key)):
            patch[key] = value
    return patch, sorted(patch)


def _apply_explicit_sizes(merged, desired):
    for m_spec, d_spec in zip(merged, desired):
        for m_cfg, d_cfg in zip(m_spec.get("regionConfigs", []), d_spec.get("regionConfigs", [])):
            compute = (d_cfg.get("autoScaling") or {}).get("compute") or {}
            if compute.get("enabled"):
                continue
            for key in ("electableSpecs", "readOnlySpecs", "analyticsSpecs"):
                if key in d_cfg and "instanceSize" in d_cfg[key]:
                    m_cfg.setdefault(key, {})["instanceSize"] = d_cfg[key]["instanceSize"]
    return merged


def diff_view(cluster, keys):
    """The managed fields of a cluster, for the diff output."""
    if not cluster:
        return {}
    view = {}
    for key in keys:
        if key == "tags":
            view["tags"] = tags_to_dict(cluster.get("tags"))
        elif key in cluster:
            view[key] = strip_links(cluster[key])
    return to_snake(view)


def create_cluster(client, project_id, body):
    try:
        return client.call("createGroupCluster", body, groupId=project_id)
    except AtlasApiError as exc:
        if exc.error_code in CLUSTER_EXISTS_CODES:
            existing = get_cluster(client, project_id, body["name"])
            if existing is not None:
                return existing
        raise


def update_cluster(client, project_id, name, patch):
    return client.call("updateGroupCluster", patch, groupId=project_id, clusterName=name)


def split_for_pause(patch, current):
    """Order the PATCH requests Atlas accepts around pausing: a list of bodies to send one after another.

    A paused cluster accepts nothing but resuming, so resuming goes first (alone) and the rest after it;
    pausing goes last, after the other changes are applied. Returns (bodies, problem); problem is set when
    the change cannot be made without resuming.
    """
    rest = {k: v for k, v in patch.items() if k != "paused"}
    if current.get("paused"):
        if patch.get("paused") is False:
            return ([{"paused": False}, rest] if rest else [{"paused": False}]), None
        if rest:
            return [], "is paused and Atlas only accepts resuming it; set paused: false to apply " + ", ".join(sorted(rest))
        return [patch], None
    if patch.get("paused") is True and rest:
        return [rest, {"paused": True}], None
    return [patch], None


def delete_cluster(client, project_id, name):
    try:
        client.call("deleteGroupCluster", groupId=project_id, clusterName=name)
    except AtlasApiError as exc:
        if exc.status == 404 and exc.error_code in CLUSTER_NOT_FOUND_CODES:
            return
        raise


# Fields Atlas applies without a rolling change of the nodes; an update of only these polls on a short schedule.
SETTINGS_FIELDS = frozenset(("tags", "backupEnabled", "pitEnabled", "terminationProtectionEnabled", "labels"))


def wait_kind(patch):
    """The waiter schedule for an update that sent ``patch``."""
    return "update_settings" if patch and set(patch) <= SETTINGS_FIELDS else "update"


def wait_for_idle(client, project_id, name, timeout, sleep=None, clock=None, kind=None):
    """Poll until the cluster is IDLE; ``kind`` (create, update, update_settings) picks the schedule."""

    def fetch():
        return get_cluster(client, project_id, name)

    def failed(cluster):
        if cluster is None:
            return f"cluster {name} disappeared while waiting for IDLE"
        return None

    return wait_for(
        fetch,
        lambda c: c is not None and c.get("stateName") == STABLE_STATE,
        timeout,
        f"cluster {name} to become {STABLE_STATE}",
        failed=failed,
        sleep=sleep,
        clock=clock,
        schedule=kind or "default",
        hint=client.take_retry_after,
        first_poll_now=kind is None,
    )


def wait_for_deleted(client, project_id, name, timeout, sleep=None, clock=None, just_deleted=True):
    return wait_for(
        lambda: get_cluster(client, project_id, name),
        lambda c: c is None,
        timeout,
        f"cluster {name} to be deleted",
        sleep=sleep,
        clock=clock,
        schedule="delete" if just_deleted else "default",
        hint=client.take_retry_after,
        first_poll_now=not just_deleted,
    )


def connection_strings(cluster):
    """Module-facing connection strings, including one entry per private endpoint."""
    raw = (cluster or {}).get("connectionStrings") or {}
    result = {
        "standard": raw.get("standard"),
        "standard_srv": raw.get("standardSrv"),
        "private": raw.get("private"),
        "private_srv": raw.get("privateSrv"),
        "private_endpoint": [],
    }
    for entry in raw.get("privateEndpoint") or []:
        result["private_endpoint"].append(
            {
                "connection_string": entry.get("connectionString"),
                "srv_connection_string": entry.get("srvConnectionString"),
                "srv_shard_optimized_connection_string": entry.get("srvShardOptimizedConnectionString"),
                "type": entry.get("type"),
                "endpoints": [
                    {"endpoint_id": e.get("endpointId"), "provider_name": e.get("providerName"), "region": e.get("region")}
                    for e in entry.get("endpoints") or []
                ],
            }
        )
    return result


def cluster_result(cluster):
    if not cluster:
        return {}
    data = strip_links(cluster)
    tags = tags_to_dict(data.pop("tags", None))
    data.pop("connectionStrings", None)
    result = to_snake(data)
    result["tags"] = tags
    result["connection_strings"] = connection_strings(cluster)
    return result
