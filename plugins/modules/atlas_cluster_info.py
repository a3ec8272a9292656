#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: atlas_cluster_info
short_description: Read MongoDB Atlas clusters and their connection strings
version_added: 0.1.0
description:
  - Reads one cluster by name, or every cluster of a project (all pages), in the advanced cluster shape
    (clusters resource version 2024-08-05).
author:
  - chatbot.platform maintainers (@chatbot-platform)
options:
  name:
    description:
      - Name of the cluster to read. All clusters of the project when unset.
    type: str
extends_documentation_fragment:
  - chatbot.platform.atlas
  - chatbot.platform.atlas.project
attributes:
  check_mode:
    support: full
    description: Read-only module.
  diff_mode:
    support: none
    description: Nothing changes.
"""

EXAMPLES = r"""
- name: Read the chatbot cluster
  chatbot.platform.atlas_cluster_info:
    project_name: chatbot-prod
    name: chatbot-prod
  register: info

- name: Show its SRV connection string
  ansible.builtin.debug:
    msg: "{{ info.clusters[0].connection_strings.standard_srv }}"
"""

RETURN = r"""
clusters:
  description: Matching clusters with snake_case keys; empty when the named cluster does not exist.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Cluster name.
      type: str
    state_name:
      description: Lifecycle state.
      type: str
      sample: IDLE
    replication_specs:
      description: Advanced shape as returned by Atlas.
      type: list
      elements: dict
    tags:
      description: Tags as a dictionary.
      type: dict
    connection_strings:
      description: Connection strings (standard, standard_srv, private, private_srv, private_endpoint).
      type: dict
"""

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.clusters import cluster_result, get_cluster, list_clusters
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.common import AtlasModule


def run(am):
    project_id = am.project_id()
    if am.params["name"]:
        found = get_cluster(am.client, project_id, am.params["name"])
        clusters = [found] if found else []
    else:
        clusters = list_clusters(am.client, project_id)
    am.exit(changed=False, clusters=[cluster_result(c) for c in clusters])


def main():
    am = AtlasModule(dict(name=dict(type="str")), with_project=True)
    am.run(run)


if __name__ == "__main__":
    main()
