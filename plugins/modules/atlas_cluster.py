#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: atlas_cluster
short_description: Create, update or delete a MongoDB Atlas cluster (advanced cluster shape)
version_added: 0.1.0
description:
  - Manages a dedicated Atlas cluster through the Atlas Administration API v2 clusters resource in the advanced
    shape C(replicationSpecs) -> C(regionConfigs) (create and update send version 2024-10-23, reads 2024-08-05,
    delete 2023-02-01, the versions the specification lists as current for each operation).
  - Creates the cluster when missing, sends only the fields that differ from what Atlas reports, and deletes it.
  - Only options that are set are managed; options left unset keep whatever Atlas has.
  - With O(wait=true) the module polls until the cluster reports C(IDLE) (or is gone after deletion), on a
    schedule chosen for the operation (see docs/modules/atlas.md).
  - Instance sizes and region names are checked against the lists the Atlas specification gives for the provider
    before any request is sent.
  - For a single-region cluster use O(region), O(instance_size), O(node_count) and O(auto_scaling);
    for several regions or shards use O(replication_specs) instead.
  - When compute auto-scaling is enabled, the instance size Atlas scaled to is kept and not reported as a change.
author:
  - chatbot.platform maintainers (@chatbot-platform)
options:
  name:
    description:
      - Cluster name (letters, digits and hyphens, at most 64 characters).
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the cluster; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  cluster_type:
    description:
      - Topology of the cluster. When unset, a new cluster is a V(REPLICASET) and an existing one keeps its type.
    type: str
    choices: [REPLICASET, SHARDED, GEOSHARDED]
  provider_name:
    description:
      - Cloud provider of the single region given in O(region).
    type: str
    choices: [AWS, GCP, AZURE]
    default: AWS
  region:
    description:
      - Atlas region of a single-region cluster, for example V(EU_WEST_1). The AWS form V(eu-west-1) is accepted.
      - Mutually exclusive with O(replication_specs).
    type: str
  instance_size:
    description:
      - Instance size of the electable nodes, for example V(M10), V(M30), V(R40), V(M40_NVME) or V(M30_GEN_2); the
        sizes the Atlas specification lists for O(provider_name).
      - Required with O(region) when the cluster is created.
    type: str
  node_count:
    description:
      - Number of electable nodes in O(region).
    type: int
    default: 3
  disk_size_gb:
    description:
      - Storage per node in GB. Not managed when unset.
    type: float
  auto_scaling:
    description:
      - Auto-scaling of the single region given in O(region).
    type: dict
    suboptions:
      compute_enabled:
        description: Scale the instance size up automatically.
        type: bool
      compute_scale_down_enabled:
        description: Also scale the instance size down.
        type: bool
      compute_min_instance_size:
        description: Smallest size auto-scaling may choose.
        type: str
      compute_max_instance_size:
        description: Largest size auto-scaling may choose.
        type: str
      disk_gb_enabled:
        description: Grow storage automatically.
        type: bool
  replication_specs:
    description:
      - Full advanced cluster shape, one item per shard or zone. Mutually exclusive with O(region).
    type: list
    elements: dict
    suboptions:
      zone_name:
        description: Zone name (global clusters).
        type: str
      region_configs:
        description: Regions of this shard or zone, highest priority first.
        type: list
        elements: dict
        required: true
        suboptions:
          provider_name:
            description: Cloud provider.
            type: str
            choices: [AWS, GCP, AZURE]
            required: true
          region_name:
            description: Atlas region name, for example V(EU_WEST_1).
            type: str
            required: true
          priority:
            description: Election priority, 7 for the preferred region down to 0 for read-only regions.
            type: int
          electable_specs:
            description: Electable nodes.
            type: dict
            suboptions:
              instance_size:
                description: Instance size.
                type: str
              node_count:
                description: Number of nodes.
                type: int
              disk_size_gb:
                description: Storage per node in GB.
                type: float
          read_only_specs:
            description: Read-only nodes.
            type: dict
            suboptions:
              instance_size:
                description: Instance size.
                type: str
              node_count:
                description: Number of nodes.
                type: int
              disk_size_gb:
                description: Storage per node in GB.
                type: float
          analytics_specs:
            description: Analytics nodes.
            type: dict
            suboptions:
              instance_size:
                description: Instance size.
                type: str
              node_count:
                description: Number of nodes.
                type: int
              disk_size_gb:
                description: Storage per node in GB.
                type: float
          auto_scaling:
            description: Auto-scaling of this region.
            type: dict
            suboptions:
              compute_enabled:
                description: Scale the instance size up automatically.
                type: bool
              compute_scale_down_enabled:
                description: Also scale down.
                type: bool
              compute_min_instance_size:
                description: Smallest size.
                type: str
              compute_max_instance_size:
                description: Largest size.
                type: str
              disk_gb_enabled:
                description: Grow storage automatically.
                type: bool
  mongodb_major_version:
    description:
      - MongoDB major version, for example V(8.0). Not managed when unset.
      - Atlas upgrades one major version at a time (V(7.0) to V(8.0), not V(6.0) to V(8.0)) and downgrades only to the
        version the feature compatibility version is pinned to; other changes fail before any request.
    type: str
  backup_enabled:
    description:
      - Cloud backups. Not managed when unset.
    type: bool
  pit_enabled:
    description:
      - Continuous cloud backup (point-in-time restore). Not managed when unset.
    type: bool
  termination_protection_enabled:
    description:
      - Refuse deletion while set. Not managed when unset.
      - To delete a protected cluster, first run with V(false).
    type: bool
  paused:
    description:
      - Pause or resume the cluster. Not managed when unset.
      - A paused cluster accepts nothing but resuming. With V(false) and other changes, the module resumes it,
        waits for C(IDLE) and then applies the rest. Changes to a paused cluster without V(false) fail.
      - With V(true) and other changes, the changes are applied first and the cluster paused after them.
    type: bool
  tags:
    description:
      - Cluster tags (key/value); when set, the cluster ends up with exactly these tags.
    type: dict
  wait:
    description:
      - Wait until the cluster is C(IDLE) after a create or update, or gone after a delete.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait when O(wait=true). New clusters usually take 7 to 15 minutes.
    type: int
    default: 3600
extends_documentation_fragment:
  - chatbot.platform.atlas
  - chatbot.platform.atlas.project
attributes:
  check_mode:
    support: full
    description: Reports what would change without calling any write endpoint.
  diff_mode:
    support: full
    description: Shows the managed fields before and after.
"""

EXAMPLES = r"""
- name: Production cluster for the chatbot, three nodes in eu-west-1 with auto-scaling
  chatbot.platform.atlas_cluster:
    project_id: "{{ project.project.id }}"
    name: chatbot-prod
    region: EU_WEST_1
    instance_size: M30
    disk_size_gb: 40
    auto_scaling:
      compute_enabled: true
      compute_scale_down_enabled: true
      compute_min_instance_size: M30
      compute_max_instance_size: M60
      disk_gb_enabled: true
    mongodb_major_version: "8.0"
    backup_enabled: true
    termination_protection_enabled: true
    tags:
      environment: prod
  register: cluster

- name: Two-region replica set
  chatbot.platform.atlas_cluster:
    project_name: chatbot-prod
    name: chatbot-dr
    replication_specs:
      - region_configs:
          - provider_name: AWS
            region_name: EU_WEST_1
            priority: 7
            electable_specs: {instance_size: M30, node_count: 3}
          - provider_name: AWS
            region_name: EU_CENTRAL_1
            priority: 6
            electable_specs: {instance_size: M30, node_count: 2}

- name: Delete a cluster without waiting
  chatbot.platform.atlas_cluster:
    project_id: "{{ project.project.id }}"
    name: chatbot-old
    state: absent
    wait: false
"""

RETURN = r"""
cluster:
  description: The cluster as Atlas reports it after the change, with snake_case keys (empty when absent).
  returned: always
  type: dict
  contains:
    id:
      description: Cluster ID.
      type: str
    name:
      description: Cluster name.
      type: str
    state_name:
      description: Lifecycle state (CREATING, UPDATING, IDLE, DELETING, REPAIRING).
      type: str
      sample: IDLE
    cluster_type:
      description: Topology.
      type: str
    mongodb_major_version:
      description: MongoDB major version.
      type: str
    replication_specs:
      description: Advanced shape as returned by Atlas.
      type: list
      elements: dict
    tags:
      description: Cluster tags as a dictionary.
      type: dict
    connection_strings:
      description: Same as the top-level RV(connection_strings).
      type: dict
connection_strings:
  description: Connection strings of the cluster (without credentials).
  returned: when the cluster exists
  type: dict
  contains:
    standard:
      description: C(mongodb://) string over the public internet.
      type: str
    standard_srv:
      description: C(mongodb+srv://) string over the public internet.
      type: str
    private:
      description: String over VPC peering, when configured.
      type: str
    private_srv:
      description: SRV string over VPC peering, when configured.
      type: str
    private_endpoint:
      description: One item per private endpoint connection.
      type: list
      elements: dict
      contains:
        connection_string:
          description: C(mongodb://) string through the endpoint.
          type: str
        srv_connection_string:
          description: C(mongodb+srv://) string through the endpoint.
          type: str
        type:
          description: C(MONGOD) or C(MONGOS).
          type: str
        endpoints:
          description: Interface endpoints used (endpoint_id, provider_name, region).
          type: list
          elements: dict
changed_fields:
  description: Top-level API fields that were (or in check mode would be) sent in the update.
  returned: always
  type: list
  elements: str
  sample: [replicationSpecs, tags]
"""

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.clusters import (
    check_major_version_change,
    cluster_result,
    compute_update,
    connection_strings,
    create_cluster,
    delete_cluster,
    desired_body,
    diff_view,
    get_cluster,
    replication_specs_from_params,
    split_for_pause,
    update_cluster,
    validate_params,
    wait_for_deleted,
    wait_for_idle,
    wait_kind,
)
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.common import AtlasModule, to_snake

HARDWARE_SPEC = dict(instance_size=dict(type="str"), node_count=dict(type="int"), disk_size_gb=dict(type="float"))
AUTO_SCALING_SPEC = dict(
    compute_enabled=dict(type="bool"),
    compute_scale_down_enabled=dict(type="bool"),
    compute_min_instance_size=dict(type="str"),
    compute_max_instance_size=dict(type="str"),
    disk_gb_enabled=dict(type="bool"),
)


def run(am):
    params = am.params
    client = am.client
    problems = validate_params(params)
    if params["state"] == "present" and params.get("instance_size") and not params.get("region"):
        problems.append("instance_size needs region (or use replication_specs)")
    if problems:
        am.fail("invalid cluster options: " + "; ".join(problems))
    project_id = am.project_id()
    name = params["name"]
    current = get_cluster(client, project_id, name)

    if params["state"] == "absent":
        if current is None:
            am.exit(changed=False, cluster={}, changed_fields=[])
        if current.get("stateName") == "DELETING":
            changed = False
        else:
            changed = True
            if current.get("terminationProtectionEnabled"):
                am.fail(f"cluster {name} has termination protection enabled; set termination_protection_enabled=false first")
        if not am.check_mode:
            if changed:
                delete_cluster(client, project_id, name)
            if params["wait"]:
                wait_for_deleted(client, project_id, name, params["wait_timeout"], just_deleted=changed)
        am.exit(changed=changed, cluster={}, changed_fields=[], diff=dict(before=diff_view(current, ["name", "stateName"]), after={}))

    desired = desired_body(params)
    if current is None:
        if replication_specs_from_params(params) is None:
            am.fail(f"creating cluster {name} needs region and instance_size, or replication_specs")
        desired.setdefault("clusterType", "REPLICASET")
        if am.check_mode:
            am.exit(changed=True, cluster=to_snake(desired), changed_fields=sorted(desired), diff=dict(before={}, after=to_snake(desired)))
        created = create_cluster(client, project_id, desired)
        if params["wait"] and created.get("stateName") != "IDLE":
            created = wait_for_idle(client, project_id, name, params["wait_timeout"], kind="create")
        result = cluster_result(created)
        am.exit(
            changed=True,
            cluster=result,
            connection_strings=connection_strings(created),
            changed_fields=sorted(desired),
            diff=dict(before={}, after=diff_view(created, sorted(desired))),
        )

    patch, changed_fields = compute_update(desired, current)
    managed = sorted(k for k in desired if k != "name")
    if not patch:
        after = current
        if params["wait"] and current.get("stateName") != "IDLE" and not am.check_mode:
            after = wait_for_idle(client, project_id, name, params["wait_timeout"])
        am.exit(changed=False, cluster=cluster_result(after), connection_strings=connection_strings(after), changed_fields=[])
    problem = check_major_version_change(current, patch.get("mongoDBMajorVersion"))
    if problem:
        am.fail(f"cluster {name}: {problem}")
    bodies, problem = split_for_pause(patch, current)
    if problem:
        am.fail(f"cluster {name} {problem}")
    before_view = diff_view(current, managed)
    if am.check_mode:
        preview = dict(current, **patch)
        am.exit(
            changed=True,
            cluster=cluster_result(preview),
            connection_strings=connection_strings(current),
            changed_fields=changed_fields,
            diff=dict(before=before_view, after=diff_view(preview, managed)),
        )
    updated = current
    for index, body in enumerate(bodies):
        updated = update_cluster(client, project_id, name, body) or dict(updated, **body)
        # Resuming must finish before Atlas takes the other changes; the last step waits only when asked to.
        if params["wait"] or index < len(bodies) - 1:
            updated = wait_for_idle(client, project_id, name, params["wait_timeout"], kind=wait_kind(body))
    am.exit(
        changed=True,
        cluster=cluster_result(updated),
        connection_strings=connection_strings(updated),
        changed_fields=changed_fields,
        diff=dict(before=before_view, after=diff_view(updated, managed)),
    )


def main():
    region_config = dict(
        provider_name=dict(type="str", choices=["AWS", "GCP", "AZURE"], required=True),
        region_name=dict(type="str", required=True),
        priority=dict(type="int"),
        electable_specs=dict(type="dict", options=HARDWARE_SPEC),
        read_only_specs=dict(type="dict", options=HARDWARE_SPEC),
        analytics_specs=dict(type="dict", options=HARDWARE_SPEC),
        auto_scaling=dict(type="dict", options=AUTO_SCALING_SPEC),
    )
    am = AtlasModule(
        dict(
            name=dict(type="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            cluster_type=dict(type="str", choices=["REPLICASET", "SHARDED", "GEOSHARDED"]),
            provider_name=dict(type="str", choices=["AWS", "GCP", "AZURE"], default="AWS"),
            region=dict(type="str"),
            instance_size=dict(type="str"),
            node_count=dict(type="int", default=3),
            disk_size_gb=dict(type="float"),
            auto_scaling=dict(type="dict", options=AUTO_SCALING_SPEC),
            replication_specs=dict(
                type="list",
                elements="dict",
                options=dict(zone_name=dict(type="str"), region_configs=dict(type="list", elements="dict", required=True, options=region_config)),
            ),
            mongodb_major_version=dict(type="str"),
            backup_enabled=dict(type="bool"),
            pit_enabled=dict(type="bool"),
            termination_protection_enabled=dict(type="bool"),
            paused=dict(type="bool"),
            tags=dict(type="dict"),
            wait=dict(type="bool", default=True),
            wait_timeout=dict(type="int", default=3600),
        ),
        with_project=True,
        mutually_exclusive=[["replication_specs", "region"], ["replication_specs", "instance_size"], ["replication_specs", "auto_scaling"]],
    )
    am.run(run)


if __name__ == "__main__":
    main()
