#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: atlas_access_list_info
short_description: Read the IP access list of a MongoDB Atlas project
version_added: 0.1.0
description:
  - Returns every entry (CIDR blocks, single addresses, AWS security groups) of a project's IP access list,
    reading all pages.
author:
  - chatbot.platform maintainers (@chatbot-platform)
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
- name: Show who may connect to the chatbot project
  chatbot.platform.atlas_access_list_info:
    project_name: chatbot-prod
  register: access
"""

RETURN = r"""
entries:
  description: Access list entries with snake_case keys.
  returned: always
  type: list
  elements: dict
  contains:
    cidr_block:
      description: CIDR block (single addresses appear as /32).
      type: str
    ip_address:
      description: Single address, when the entry is one.
      type: str
    aws_security_group:
      description: AWS security group id, when the entry is one.
      type: str
    comment:
      description: Comment.
      type: str
    delete_after_date:
      description: Expiry of a temporary entry (ISO 8601).
      type: str
"""

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.access_list import entry_result, list_entries
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.common import AtlasModule


def run(am):
    am.exit(changed=False, entries=[entry_result(e) for e in list_entries(am.client, am.project_id())])


def main():
    am = AtlasModule({}, with_project=True)
    am.run(run)


if __name__ == "__main__":
    main()
