#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: atlas_database_user
short_description: Manage MongoDB Atlas database users (SCRAM, AWS IAM, X.509)
version_added: 0.1.0
description:
  - Creates, updates or deletes a database user of an Atlas project through the Atlas Administration API v2
    (database users resource version 2023-01-01).
  - The authentication database follows from O(auth_type) (C(admin) for SCRAM, C($external) for AWS IAM and
    X.509), so it is never hard-coded to C(admin).
  - Roles can span several databases; their order does not matter when comparing.
author:
  - chatbot.platform maintainers (@chatbot-platform)
options:
  username:
    description:
      - User name. For AWS IAM users it is the ARN of the IAM user or role; for X.509 customer-managed
        certificates the subject distinguished name.
    type: str
    required: true
  auth_type:
    description:
      - How the user authenticates.
      - V(scram) uses a password; V(aws_iam_user) and V(aws_iam_role) an IAM identity; V(x509_managed) a
        certificate Atlas issues; V(x509_customer) a certificate from the customer's CA.
    type: str
    choices: [scram, aws_iam_user, aws_iam_role, x509_managed, x509_customer]
    default: scram
  password:
    description:
      - Password of a V(scram) user. Required when such a user is created. Never logged or returned.
    type: str
  update_password:
    description:
      - V(on_create) sets the password only when the user is created, so repeated runs change nothing.
      - V(always) sends the password on every run and reports a change, because Atlas never returns the
        password to compare with. Use it to rotate a password.
    type: str
    choices: [always, on_create]
    default: on_create
  roles:
    description:
      - Roles of the user. Required when the user is created; when set, the user ends up with exactly these roles.
    type: list
    elements: dict
    suboptions:
      role_name:
        description: Role, for example V(readWrite), V(read), V(dbAdmin) or V(atlasAdmin).
        type: str
        required: true
      database_name:
        description: Database the role applies to (V(admin) for cluster-wide roles).
        type: str
        required: true
      collection_name:
        description: Collection the role is limited to.
        type: str
  scopes:
    description:
      - Clusters, data lakes or stream processing instances the user may reach. All of the project when unset or empty.
    type: list
    elements: dict
    suboptions:
      name:
        description: Cluster, data lake or stream processing instance name.
        type: str
        required: true
      type:
        description: Kind of resource (the scope types of the Atlas specification).
        type: str
        choices: [CLUSTER, DATA_LAKE, STREAM]
        default: CLUSTER
  labels:
    description:
      - Labels (key/value) on the user. Not managed when unset.
    type: dict
  description:
    description:
      - Free-text description of the user. Not managed when unset.
    type: str
  state:
    description:
      - V(present) creates or updates the user; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - chatbot.platform.atlas
  - chatbot.platform.atlas.project
attributes:
  check_mode:
    support: full
    description: Reports what would change without calling any write endpoint.
  diff_mode:
    support: full
    description: Shows the user before and after, without the password.
"""

EXAMPLES = r"""
- name: Application user of the chatbot, readWrite on its main database and on chatbot
  chatbot.platform.atlas_database_user:
    project_id: "{{ project.project.id }}"
    username: chatbot-app
    password: "{{ lookup('ansible.builtin.env', 'CHATBOT_DB_PASSWORD') }}"
    roles:
      - {role_name: readWrite, database_name: iky}
      - {role_name: readWrite, database_name: chatbot}
    scopes:
      - {name: chatbot-prod, type: CLUSTER}
  no_log: true

- name: Let the EKS workload role in with AWS IAM authentication
  chatbot.platform.atlas_database_user:
    project_id: "{{ project.project.id }}"
    username: arn:aws:iam::123456789012:role/chatbot-prod-backend
    auth_type: aws_iam_role
    roles:
      - {role_name: readWrite, database_name: chatbot}

- name: Rotate a password
  chatbot.platform.atlas_database_user:
    project_id: "{{ project.project.id }}"
    username: chatbot-app
    password: "{{ new_password }}"
    update_password: always
  no_log: true
"""

RETURN = r"""
user:
  description: The user after the change, without the password (empty when absent).
  returned: always
  type: dict
  contains:
    username:
      description: User name.
      type: str
    database_name:
      description: Authentication database (C(admin) or C($external)).
      type: str
    roles:
      description: Roles (role_name, database_name, collection_name).
      type: list
      elements: dict
    scopes:
      description: Scopes (name, type).
      type: list
      elements: dict
    aws_iam_type:
      description: C(NONE), C(USER) or C(ROLE).
      type: str
    x509_type:
      description: C(NONE), C(MANAGED) or C(CUSTOMER).
      type: str
    labels:
      description: Labels as a dictionary.
      type: dict
password_updated:
  description: Whether the password was (or in check mode would be) sent.
  returned: always
  type: bool
"""

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.common import AtlasModule
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.database_users import (
    SCOPE_TYPES,
    auth_database,
    compute_update,
    create_user,
    delete_user,
    desired_body,
    diff_view,
    get_user,
    patch_body,
    update_user,
    user_result,
    validate_params,
)


def run(am):
    params = am.params
    client = am.client
    problems = validate_params(params)
    if problems:
        am.fail("invalid database user options: " + "; ".join(problems))
    project_id = am.project_id()
    database_name = auth_database(params["auth_type"])
    username = params["username"]
    current = get_user(client, project_id, database_name, username)

    if params["state"] == "absent":
        if current is None:
            am.exit(changed=False, user={}, password_updated=False)
        if not am.check_mode:
            delete_user(client, project_id, database_name, username)
        am.exit(changed=True, user={}, password_updated=False, diff=dict(before=diff_view(current), after={}))

    desired = desired_body(params)
    if current is None:
        if params["auth_type"] == "scram" and not params["password"]:
            am.fail(f"password is required to create the scram user {username}")
        if not params["roles"]:
            am.fail(f"roles are required to create the user {username}")
        body = dict(desired, groupId=project_id)
        if params["password"]:
            body["password"] = params["password"]
        if am.check_mode:
            am.exit(changed=True, user=user_result(desired), password_updated=bool(params["password"]), diff=dict(before={}, after=diff_view(desired)))
        created = create_user(client, project_id, body)
        am.exit(changed=True, user=user_result(created), password_updated=bool(params["password"]), diff=dict(before={}, after=diff_view(created)))

    patch = compute_update(desired, current)
    rotate = params["update_password"] == "always"  # noqa: S105 - compares an option value
    send_password = params["auth_type"] == "scram" and bool(params["password"]) and rotate
    if send_password:
        patch["password"] = params["password"]
    if not patch:
        am.exit(changed=False, user=user_result(current), password_updated=False)
    preview = dict(current, **{k: v for k, v in patch.items() if k != "password"})
    if am.check_mode:
        am.exit(changed=True, user=user_result(preview), password_updated=send_password, diff=dict(before=diff_view(current), after=diff_view(preview)))
    body = patch_body(desired, current, patch, project_id)
    updated = update_user(client, project_id, database_name, username, body) or preview
    am.exit(changed=True, user=user_result(updated), password_updated=send_password, diff=dict(before=diff_view(current), after=diff_view(updated)))


def main():
    am = AtlasModule(
        dict(
            username=dict(type="str", required=True),
            auth_type=dict(type="str", choices=["scram", "aws_iam_user", "aws_iam_role", "x509_managed", "x509_customer"], default="scram"),
            password=dict(type="str", no_log=True),
            update_password=dict(type="str", choices=["always", "on_create"], default="on_create", no_log=False),
            roles=dict(
                type="list",
                elements="dict",
                options=dict(role_name=dict(type="str", required=True), database_name=dict(type="str", required=True), collection_name=dict(type="str")),
            ),
            scopes=dict(
                type="list",
                elements="dict",
                options=dict(name=dict(type="str", required=True), type=dict(type="str", choices=list(SCOPE_TYPES), default="CLUSTER")),
            ),
            labels=dict(type="dict"),
            description=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        with_project=True,
    )
    am.run(run)


if __name__ == "__main__":
    main()
