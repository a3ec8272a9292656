#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: atlas_database_user_info
short_description: Read MongoDB Atlas database users
version_added: 0.1.0
description:
  - Reads one database user, or every database user of a project (all pages). Passwords are never returned by Atlas.
author:
  - chatbot.platform maintainers (@chatbot-platform)
options:
  username:
    description:
      - User to read. All users of the project when unset.
    type: str
  auth_type:
    description:
      - Authentication type of O(username); selects the authentication database (C(admin) or C($external)).
    type: str
    choices: [scram, aws_iam_user, aws_iam_role, x509_managed, x509_customer]
    default: scram
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
- name: List the database users of the chatbot project
  chatbot.platform.atlas_database_user_info:
    project_name: chatbot-prod
  register: users
"""

RETURN = r"""
users:
  description: Matching users with snake_case keys; empty when the named user does not exist.
  returned: always
  type: list
  elements: dict
  contains:
    username:
      description: User name.
      type: str
    database_name:
      description: Authentication database.
      type: str
    roles:
      description: Roles (role_name, database_name, collection_name).
      type: list
      elements: dict
    labels:
      description: Labels as a dictionary.
      type: dict
"""

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.common import AtlasModule
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.database_users import auth_database, get_user, list_users, user_result


def run(am):
    project_id = am.project_id()
    if am.params["username"]:
        found = get_user(am.client, project_id, auth_database(am.params["auth_type"]), am.params["username"])
        users = [found] if found else []
    else:
        users = list_users(am.client, project_id)
    am.exit(changed=False, users=[user_result(u) for u in users])


def main():
    am = AtlasModule(
        dict(
            username=dict(type="str"),
            auth_type=dict(type="str", choices=["scram", "aws_iam_user", "aws_iam_role", "x509_managed", "x509_customer"], default="scram"),
        ),
        with_project=True,
    )
    am.run(run)


if __name__ == "__main__":
    main()
