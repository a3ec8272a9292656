# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Atlas projects (the API calls them groups)."""

from __future__ import annotations

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.client import VERSION_PROJECTS, AtlasApiError, quote_path
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.common import strip_links, tags_to_dict, to_snake

PROJECT_NOT_FOUND_CODES = ("GROUP_NAME_NOT_FOUND", "GROUP_NOT_FOUND", "RESOURCE_NOT_FOUND", "NOT_IN_GROUP")
PROJECT_EXISTS_CODES = ("GROUP_ALREADY_EXISTS", "DUPLICATE_GROUP_NAME")


def get_project_by_name(client, name):
    return client.get_or_none("/groups/byName/" + quote_path(name), VERSION_PROJECTS)


def get_project_by_id(client, project_id):
    return client.get_or_none("/groups/" + quote_path(project_id), VERSION_PROJECTS)


def list_projects(client):
    return client.paginate("/groups", VERSION_PROJECTS)


def create_project(client, name, org_id, tags=None, with_default_alerts_settings=True):
    body = {"name": name, "orgId": org_id, "withDefaultAlertsSettings": with_default_alerts_settings}
    if tags is not None:
        body["tags"] = [{"key": k, "value": v} for k, v in sorted(tags.items())]
    try:
        return client.post("/groups", VERSION_PROJECTS, body)
    except AtlasApiError as exc:
        # A retried POST whose first attempt went through answers "already exists": read what is there.
        if exc.error_code in PROJECT_EXISTS_CODES:
            existing = get_project_by_name(client, name)
            if existing is not None and existing.get("orgId") == org_id:
                return existing
        raise


def update_project(client, project_id, body):
    return client.patch("/groups/" + quote_path(project_id), VERSION_PROJECTS, body)


def delete_project(client, project_id):
    try:
        client.delete("/groups/" + quote_path(project_id), VERSION_PROJECTS)
    except AtlasApiError as exc:
        if exc.status == 404:
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
