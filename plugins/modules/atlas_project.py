#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: atlas_project
short_description: Create, update or delete a MongoDB Atlas project
version_added: 0.1.0
description:
  - Manages an Atlas project (called a group in the API) by name within an organization,
    through the Atlas Administration API v2 (resource version 2023-01-01).
  - Returns the project ID that the other C(atlas_*) modules take as O(chatbot.platform.atlas_cluster#module:project_id).
author:
  - chatbot.platform maintainers (@chatbot-platform)
options:
  name:
    description:
      - Name of the project. Names are unique within an organization.
    type: str
    required: true
  org_id:
    description:
      - ID of the Atlas organization that owns the project.
      - Required with O(state=present). When given, an existing project found under another
        organization is reported as an error instead of being changed.
    type: str
  state:
    description:
      - V(present) creates the project when missing and updates its tags.
      - V(absent) deletes it. Atlas refuses to delete a project that still has clusters.
    type: str
    choices: [present, absent]
    default: present
  tags:
    description:
      - Tags (key/value pairs) on the project. Not managed when unset.
    type: dict
  purge_tags:
    description:
      - Remove tags that are not listed in O(tags). Only applies when O(tags) is set.
    type: bool
    default: true
  with_default_alerts_settings:
    description:
      - Create the project with the Atlas default alert settings. Only used at creation.
    type: bool
    default: true
extends_documentation_fragment:
  - chatbot.platform.atlas
attributes:
  check_mode:
    support: full
    description: Reports what would change without calling any write endpoint.
  diff_mode:
    support: full
    description: Shows the project before and after.
"""

EXAMPLES = r"""
- name: Ensure the chatbot project exists
  chatbot.platform.atlas_project:
    name: chatbot-prod
    org_id: "{{ atlas_org_id }}"
    tags:
      environment: prod
      owner: platform
  register: project

- name: Use the project id
  ansible.builtin.debug:
    msg: "{{ project.project.id }}"

- name: Delete a project (fails while it still has clusters)
  chatbot.platform.atlas_project:
    name: chatbot-sandbox
    state: absent
"""

RETURN = r"""
project:
  description: The project after the change (empty when absent).
  returned: always
  type: dict
  contains:
    id:
      description: Project ID (24 hexadecimal characters).
      type: str
      sample: 5f1b2c3d4e5f6a7b8c9d0e1f
    name:
      description: Project name.
      type: str
      sample: chatbot-prod
    org_id:
      description: Organization ID.
      type: str
    cluster_count:
      description: Number of clusters in the project.
      type: int
    created:
      description: Creation time (ISO 8601).
      type: str
    tags:
      description: Project tags as a dictionary.
      type: dict
      sample: {environment: prod}
"""

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.common import AtlasModule, tags_to_dict, tags_to_list
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.projects import (
    create_project,
    delete_project,
    get_project_by_name,
    project_result,
    update_project,
)


def run(am):
    params = am.params
    client = am.client
    name = params["name"].strip()
    if not name or len(name) > 64:
        am.fail("name must be 1 to 64 characters, got {!r}".format(params["name"]))
    current = get_project_by_name(client, name)
    if current is not None and params["org_id"] and current.get("orgId") != params["org_id"]:
        am.fail("project {!r} already exists in organization {}, not in {}".format(name, current.get("orgId"), params["org_id"]))

    if params["state"] == "absent":
        if current is None:
            am.exit(changed=False, project={})
        if not am.check_mode:
            delete_project(client, current["id"])
        am.exit(changed=True, project={}, diff=dict(before=project_result(current), after={}))

    if current is None:
        desired = {"name": name, "orgId": params["org_id"], "tags": tags_to_list(params["tags"])}
        if am.check_mode:
            am.exit(changed=True, project={"name": name, "org_id": params["org_id"], "tags": params["tags"] or {}}, diff=dict(before={}, after=desired))
        created = create_project(client, name, params["org_id"], params["tags"], params["with_default_alerts_settings"])
        am.exit(changed=True, project=project_result(created), diff=dict(before={}, after=project_result(created)))

    changed = False
    after = current
    if params["tags"] is not None:
        have = tags_to_dict(current.get("tags"))
        want = {str(k): str(v) for k, v in params["tags"].items()}
        if not params["purge_tags"]:
            want = dict(have, **want)
        if want != have:
            changed = True
            if am.check_mode:
                after = dict(current, tags=tags_to_list(want))
            else:
                after = update_project(client, current["id"], {"tags": tags_to_list(want)}) or dict(current, tags=tags_to_list(want))
    am.exit(changed=changed, project=project_result(after), diff=dict(before=project_result(current), after=project_result(after)))


def main():
    am = AtlasModule(
        dict(
            name=dict(type="str", required=True),
            org_id=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            tags=dict(type="dict"),
            purge_tags=dict(type="bool", default=True),
            with_default_alerts_settings=dict(type="bool", default=True),
        ),
        required_if=[["state", "present", ["org_id"]]],
    )
    am.run(run)


if __name__ == "__main__":
    main()
