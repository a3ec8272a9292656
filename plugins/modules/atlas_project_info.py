#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: atlas_project_info
short_description: Read MongoDB Atlas projects
version_added: 0.1.0
description:
  - Looks up one Atlas project by name or ID, or lists every project the credentials can see
    (all pages are read).
author:
  - chatbot.platform maintainers (@chatbot-platform)
options:
  name:
    description:
      - Name of the project to read. Mutually exclusive with O(id).
    type: str
  id:
    description:
      - ID of the project to read. Mutually exclusive with O(name).
    type: str
extends_documentation_fragment:
  - chatbot.platform.atlas
attributes:
  check_mode:
    support: full
    description: Read-only module.
  diff_mode:
    support: none
    description: Nothing changes.
"""

EXAMPLES = r"""
- name: Find the project id of chatbot-prod
  chatbot.platform.atlas_project_info:
    name: chatbot-prod
  register: found

- name: List every project
  chatbot.platform.atlas_project_info:
  register: all_projects
"""

RETURN = r"""
projects:
  description: Matching projects; empty when a named project does not exist.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Project ID.
      type: str
    name:
      description: Project name.
      type: str
    org_id:
      description: Organization ID.
      type: str
    cluster_count:
      description: Number of clusters.
      type: int
    tags:
      description: Project tags as a dictionary.
      type: dict
"""

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.common import AtlasModule
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.projects import get_project_by_id, get_project_by_name, list_projects, project_result


def run(am):
    if am.params["name"]:
        found = get_project_by_name(am.client, am.params["name"])
        projects = [found] if found else []
    elif am.params["id"]:
        found = get_project_by_id(am.client, am.params["id"])
        projects = [found] if found else []
    else:
        projects = list_projects(am.client)
    am.exit(changed=False, projects=[project_result(p) for p in projects])


def main():
    am = AtlasModule(dict(name=dict(type="str"), id=dict(type="str")), mutually_exclusive=[["name", "id"]])
    am.run(run)


if __name__ == "__main__":
    main()
