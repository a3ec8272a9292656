# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Atlas clusters in the advanced shape (replicationSpecs -> regionConfigs), resource version 2024-08-05."""

from __future__ import annotations

import copy
import re

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.client import VERSION_CLUSTERS, AtlasApiError, quote_path
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.common import (
    deep_merge,
    is_subset,
    normalize_region,
    strip_links,
    tags_to_dict,
    tags_to_list,
    to_snake,
)
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.waiters import wait_for

CLUSTER_NOT_FOUND_CODES = ("CLUSTER_NOT_FOUND",)
CLUSTER_EXISTS_CODES = ("DUPLICATE_CLUSTER_NAME", "CLUSTER_ALREADY_EXISTS")
INSTANCE_SIZE_PATTERN = re.compile(r"^(M[0-9]+|R[0-9]+)(_NVME|_LOW_CPU)?$")
CLUSTER_NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")
MAJOR_VERSION_PATTERN = re.compile(r"^[0-9]+\.[0-9]+$")
STABLE_STATE = "IDLE"


def cluster_path(project_id, name=None):
    path = f"/groups/{quote_path(project_id)}/clusters"
    if name is not None:
        path += "/" + quote_path(name)
    return path


def get_cluster(client, project_id, name):
    return client.get_or_none(cluster_path(project_id, name), VERSION_CLUSTERS)


def list_clusters(client, project_id):
    return client.paginate(cluster_path(project_id), VERSION_CLUSTERS)


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
    if not CLUSTER_NAME_PATTERN.match(params["name"]):
        problems.append("name {!r} must be 1-64 letters, digits or hyphens, starting with a letter or digit".format(params["name"]))
    if params.get("mongodb_major_version") and not MAJOR_VERSION_PATTERN.match(params["mongodb_major_version"]):
        problems.append("mongodb_major_version {!r} must look like 8.0".format(params["mongodb_major_version"]))
    sizes = []
    if params.get("instance_size"):
        sizes.append(("instance_size", params["instance_size"]))
    scaling = params.get("auto_scaling") or {}
    for key in ("compute_min_instance_size", "compute_max_instance_size"):
        if scaling.get(key):
            sizes.append(("auto_scaling." + key, scaling[key]))
    for i, spec in enumerate(params.get("replication_specs") or []):
        for j, cfg in enumerate(spec["region_configs"]):
            for key in ("electable_specs", "read_only_specs", "analytics_specs"):
                size = (cfg.get(key) or {}).get("instance_size")
                if size:
                    sizes.append((f"replication_specs[{i}].region_configs[{j}].{key}.instance_size", size))
            priority = cfg.get("priority")
            if priority is not None and not 0 <= priority <= 7:
                problems.append(f"replication_specs[{i}].region_configs[{j}].priority must be between 0 and 7")
    for where, size in sizes:
        if not INSTANCE_SIZE_PATTERN.match(size):
            problems.append(f"{where} {size!r} is not an Atlas instance size (for example M10, M30, R40, M40_NVME)")
    if params.get("disk_size_gb") is not None and params["disk_size_gb"] <= 0:
        problems.append("disk_size_gb must be greater than 0")
    if params.get("node_count") is not None and params["node_count"] not in (3, 5, 7):
        problems.append("node_count must be 3, 5 or 7 electable nodes, got {}".format(params["node_count"]))
    return problems


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
        return client.post(cluster_path(project_id), VERSION_CLUSTERS, body)
    except AtlasApiError as exc:
        if exc.error_code in CLUSTER_EXISTS_CODES:
            existing = get_cluster(client, project_id, body["name"])
            if existing is not None:
                return existing
        raise


def update_cluster(client, project_id, name, patch):
    return client.patch(cluster_path(project_id, name), VERSION_CLUSTERS, patch)


def delete_cluster(client, project_id, name):
    try:
        client.delete(cluster_path(project_id, name), VERSION_CLUSTERS)
    except AtlasApiError as exc:
        if exc.status == 404:
            return
        raise


def wait_for_idle(client, project_id, name, timeout, sleep=None, clock=None):
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
    )


def wait_for_deleted(client, project_id, name, timeout, sleep=None, clock=None):
    return wait_for(
        lambda: get_cluster(client, project_id, name),
        lambda c: c is None,
        timeout,
        f"cluster {name} to be deleted",
        sleep=sleep,
        clock=clock,
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
