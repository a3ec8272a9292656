# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Atlas database users: SCRAM, AWS IAM and X.509."""

from __future__ import annotations

import re

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.client import AtlasApiError
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.common import strip_links, to_snake
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.spec_facts import (
    DATABASE_USER_PASSWORD_MIN_LENGTH,
    DATABASE_USER_REQUIRED,
    DATABASE_USER_SCOPE_NAME_PATTERN,
    DATABASE_USER_SCOPE_TYPES,
    DATABASE_USER_USERNAME_MAX_LENGTH,
)

# 404 answers that mean "no such user"; any other 404 (GROUP_NOT_FOUND for a mistyped project) is an error.
USER_NOT_FOUND_CODES = ("USERNAME_NOT_FOUND", "USER_NOT_FOUND")
SCOPE_TYPES = DATABASE_USER_SCOPE_TYPES
SCOPE_NAME_PATTERN = re.compile(DATABASE_USER_SCOPE_NAME_PATTERN)
USER_EXISTS_CODES = ("USER_ALREADY_EXISTS", "DUPLICATE_DATABASE_USER")
IAM_ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:iam::[0-9]{12}:(user|role)/.+$")

# auth_type option -> (authentication database, API fields that select the mechanism)
AUTH_TYPES = {
    "scram": ("admin", {"awsIAMType": "NONE", "x509Type": "NONE", "ldapAuthType": "NONE"}),
    "aws_iam_user": ("$external", {"awsIAMType": "USER", "x509Type": "NONE", "ldapAuthType": "NONE"}),
    "aws_iam_role": ("$external", {"awsIAMType": "ROLE", "x509Type": "NONE", "ldapAuthType": "NONE"}),
    "x509_managed": ("$external", {"awsIAMType": "NONE", "x509Type": "MANAGED", "ldapAuthType": "NONE"}),
    "x509_customer": ("$external", {"awsIAMType": "NONE", "x509Type": "CUSTOMER", "ldapAuthType": "NONE"}),
}
ROLE_NAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def get_user(client, project_id, database_name, username):
    return client.call_or_none("getGroupDatabaseUser", USER_NOT_FOUND_CODES, groupId=project_id, databaseName=database_name, username=username)


def list_users(client, project_id):
    return client.call_all("listGroupDatabaseUsers", groupId=project_id)


def auth_database(auth_type):
    return AUTH_TYPES[auth_type][0]


def validate_params(params):
    problems = []
    auth_type = params["auth_type"]
    username = params["username"]
    if not username.strip():
        problems.append("username must not be empty")
    if len(username) > DATABASE_USER_USERNAME_MAX_LENGTH:
        problems.append(f"username is longer than the {DATABASE_USER_USERNAME_MAX_LENGTH} characters Atlas accepts")
    if auth_type == "scram" and params.get("password") and len(params["password"]) < DATABASE_USER_PASSWORD_MIN_LENGTH:
        problems.append(f"password must be at least {DATABASE_USER_PASSWORD_MIN_LENGTH} characters")
    if auth_type.startswith("aws_iam") and not IAM_ARN_PATTERN.match(username):
        problems.append(f"username for {auth_type} must be an IAM ARN such as arn:aws:iam::123456789012:role/app, got {username!r}")
    if auth_type != "scram" and params.get("password"):
        problems.append("password is only used with auth_type=scram")
    for i, role in enumerate(params.get("roles") or []):
        if not ROLE_NAME_PATTERN.match(role["role_name"]):
            problems.append("roles[{}].role_name {!r} is not a MongoDB role name".format(i, role["role_name"]))
        if not role["database_name"].strip():
            problems.append(f"roles[{i}].database_name must not be empty")
    for i, scope in enumerate(params.get("scopes") or []):
        if not SCOPE_NAME_PATTERN.match(scope["name"]):
            problems.append("scopes[{}].name {!r} is not a cluster, data lake or stream processing name".format(i, scope["name"]))
    return problems


def roles_to_api(roles):
    out = []
    for role in roles or []:
        item = {"roleName": role["role_name"], "databaseName": role["database_name"]}
        if role.get("collection_name"):
            item["collectionName"] = role["collection_name"]
        out.append(item)
    return out


def _role_key(role):
    return (role.get("roleName"), role.get("databaseName"), role.get("collectionName") or "")


def _scope_key(scope):
    return (scope.get("name"), scope.get("type"))


def desired_body(params):
    database_name, mechanism = AUTH_TYPES[params["auth_type"]]
    body = {"username": params["username"], "databaseName": database_name}
    body.update(mechanism)
    if params.get("roles") is not None:
        body["roles"] = roles_to_api(params["roles"])
    if params.get("scopes") is not None:
        body["scopes"] = [{"name": s["name"], "type": s["type"]} for s in params["scopes"]]
    if params.get("labels") is not None:
        body["labels"] = [{"key": k, "value": str(v)} for k, v in sorted(params["labels"].items())]
    if params.get("description") is not None:
        body["description"] = params["description"]
    return body


def compute_update(desired, current):
    """Fields of ``desired`` that differ from ``current`` (order of roles/scopes/labels does not matter)."""
    patch = {}
    if "roles" in desired and sorted(map(_role_key, desired["roles"])) != sorted(map(_role_key, current.get("roles") or [])):
        patch["roles"] = desired["roles"]
    if "scopes" in desired and sorted(map(_scope_key, desired["scopes"])) != sorted(map(_scope_key, current.get("scopes") or [])):
        patch["scopes"] = desired["scopes"]
    if "labels" in desired:
        want = {(lbl["key"], lbl["value"]) for lbl in desired["labels"]}
        have = {(lbl.get("key"), lbl.get("value")) for lbl in current.get("labels") or []}
        if want != have:
            patch["labels"] = desired["labels"]
    if "description" in desired and (desired["description"] or "") != (current.get("description") or ""):
        patch["description"] = desired["description"]
    for key in ("awsIAMType", "x509Type", "ldapAuthType"):
        if desired.get(key, "NONE") != current.get(key, "NONE"):
            patch[key] = desired[key]
    return patch


def patch_body(desired, current, patch, project_id):
    """The PATCH body: the changed fields plus what the specification requires of every database user body.

    CloudDatabaseUser requires databaseName, groupId, roles and username; roles are the desired ones when they
    are managed, otherwise the ones Atlas has (so sending them changes nothing).
    """
    body = dict(patch)
    filler = {
        "databaseName": desired["databaseName"],
        "groupId": project_id,
        "roles": desired.get("roles", current.get("roles") or []),
        "username": desired["username"],
    }
    for key in DATABASE_USER_REQUIRED:
        body.setdefault(key, filler[key])
    return body


def create_user(client, project_id, body):
    try:
        return client.call("createGroupDatabaseUser", body, groupId=project_id)
    except AtlasApiError as exc:
        if exc.error_code in USER_EXISTS_CODES:
            existing = get_user(client, project_id, body["databaseName"], body["username"])
            if existing is not None:
                return existing
        raise


def update_user(client, project_id, database_name, username, body):
    return client.call("updateGroupDatabaseUser", body, groupId=project_id, databaseName=database_name, username=username)


def delete_user(client, project_id, database_name, username):
    try:
        client.call("deleteGroupDatabaseUser", groupId=project_id, databaseName=database_name, username=username)
    except AtlasApiError as exc:
        if exc.status == 404 and exc.error_code in USER_NOT_FOUND_CODES:
            return
        raise


def diff_view(user):
    if not user:
        return {}
    view = {k: v for k, v in strip_links(user).items() if k != "password"}
    view["roles"] = sorted(view.get("roles") or [], key=_role_key)
    return to_snake(view)


def user_result(user):
    if not user:
        return {}
    data = {k: v for k, v in strip_links(user).items() if k != "password"}
    labels = {lbl.get("key"): lbl.get("value") for lbl in data.pop("labels", None) or []}
    result = to_snake(data)
    result["labels"] = labels
    return result
