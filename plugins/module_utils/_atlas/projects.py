# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Atlas projects (the API calls them groups)."""

from __future__ import annotations

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.client import AtlasApiError
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.common import strip_links, tags_to_dict, to_snake

# 404 answers that mean "no such project"; any other 404 is an error.
PROJECT_NOT_FOUND_CODES = ("GROUP_NAME_NOT_FOUND", "GROUP_NOT_FOUND")
PROJECT_EXISTS_CODES = ("GROUP_ALREADY_EXISTS", "DUPLICATE_GROUP_NAME")


def get_project_by_name(client, name):
    return client.call_or_none("getGroupByName", PROJECT_NOT_FOUND_CODES, groupName=name)


def get_project_by_id(client, project_id):
    return client.call_or_none("getGroup", PROJECT_NOT_FOUND_CODES, groupId=project_id)


def list_projects(client):
    return client.call_all("listGroups")


def create_project(client, name, org_id, tags=None, with_default_alerts_settings=True):
    body = {"name": name, "orgId": org_id, "withDefaultAlertsSettings": with_default_alerts_settings}
    if tags is not None:
        body["tags"] = [{"key": k, "value": v} for k, v in sorted(tags.items())]
    try:
        return client.call("createGroup", body)
    except AtlasApiError as exc:
        # A retried POST whose first attempt went through answers "already exists": read what is there.
        if exc.error_code in PROJECT_EXISTS_CODES:
            existing = get_project_by_name(client, name)
            if existing is not None and existing.get("orgId") == org_id:
                return existing
        raise


def update_project(client, project_id, body):
    return client.call("updateGroup", body, groupId=project_id)


def delete_project(client, project_id):
    try:
        client.call("deleteGroup", groupId=project_id)
    except AtlasApiError as exc:
        if exc.status == 404 and exc.error_code in PROJECT_NOT_FOUND_CODES:
            return
        raise


def project_result(project):
    """Module-facing shape: snake_case keys, tags as a dict."""
    if project is None:
        return {}
    data = strip_links(project)
    tags = tags_to_dict(data.pop("tags", None))
    result = to_snake(data)
    result["tags"] = tags
    return result
