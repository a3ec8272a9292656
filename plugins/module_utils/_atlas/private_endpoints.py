# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Atlas private endpoint services (one per cloud region) and the interface endpoints registered with them."""

from __future__ import annotations

import re

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.client import VERSION_PRIVATE_ENDPOINTS, AtlasApiError, quote_path
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.common import normalize_region, strip_links, to_snake
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.waiters import wait_for

VPC_ENDPOINT_PATTERN = re.compile(r"^vpce-[0-9a-f]{8,17}$")
SERVICE_EXISTS_CODES = ("PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION",)
ENDPOINT_EXISTS_CODES = ("PRIVATE_ENDPOINT_ALREADY_EXISTS", "INTERFACE_ENDPOINT_ALREADY_EXISTS")
SERVICE_FAILED = ("FAILED",)
ENDPOINT_FAILED = ("REJECTED", "FAILED")


def service_base(project_id, provider):
    return f"/groups/{quote_path(project_id)}/privateEndpoint/{quote_path(provider)}/endpointService"


def list_services(client, project_id, provider):
    data = client.get(service_base(project_id, provider), VERSION_PRIVATE_ENDPOINTS)
    if isinstance(data, dict):
        return data.get("results") or []
    return data or []


def find_service(client, project_id, provider, region):
    wanted = normalize_region(region)
    for service in list_services(client, project_id, provider):
        if normalize_region(service.get("regionName")) == wanted and service.get("status") != "DELETING":
            return service
    return None


def get_service(client, project_id, provider, service_id):
    return client.get_or_none(service_base(project_id, provider) + "/" + quote_path(service_id), VERSION_PRIVATE_ENDPOINTS)


def create_service(client, project_id, provider, region):
    body = {"providerName": provider, "region": normalize_region(region)}
    try:
        return client.post(f"/groups/{quote_path(project_id)}/privateEndpoint/endpointService", VERSION_PRIVATE_ENDPOINTS, body)
    except AtlasApiError as exc:
        if exc.error_code in SERVICE_EXISTS_CODES:
            existing = find_service(client, project_id, provider, region)
            if existing is not None:
                return existing
        raise


def delete_service(client, project_id, provider, service_id):
    try:
        client.delete(service_base(project_id, provider) + "/" + quote_path(service_id), VERSION_PRIVATE_ENDPOINTS)
    except AtlasApiError as exc:
        if exc.status == 404:
            return
        raise


def endpoint_path(project_id, provider, service_id, endpoint_id=None):
    path = service_base(project_id, provider) + "/" + quote_path(service_id) + "/endpoint"
    if endpoint_id is not None:
        path += "/" + quote_path(endpoint_id)
    return path


def get_endpoint(client, project_id, provider, service_id, endpoint_id):
    return client.get_or_none(endpoint_path(project_id, provider, service_id, endpoint_id), VERSION_PRIVATE_ENDPOINTS)


def create_endpoint(client, project_id, provider, service_id, endpoint_id):
    try:
        return client.post(endpoint_path(project_id, provider, service_id), VERSION_PRIVATE_ENDPOINTS, {"id": endpoint_id})
    except AtlasApiError as exc:
        if exc.error_code in ENDPOINT_EXISTS_CODES:
            existing = get_endpoint(client, project_id, provider, service_id, endpoint_id)
            if existing is not None:
                return existing
        raise


def delete_endpoint(client, project_id, provider, service_id, endpoint_id):
    try:
        client.delete(endpoint_path(project_id, provider, service_id, endpoint_id), VERSION_PRIVATE_ENDPOINTS)
    except AtlasApiError as exc:
        if exc.status == 404:
            return
        raise


def wait_service_available(client, project_id, provider, service_id, timeout):
    return wait_for(
        lambda: get_service(client, project_id, provider, service_id),
        lambda s: s is not None and s.get("status") == "AVAILABLE",
        timeout,
        f"private endpoint service {service_id} to become AVAILABLE",
        failed=lambda s: "service is gone" if s is None else (s.get("errorMessage") or s.get("status") if s.get("status") in SERVICE_FAILED else None),
    )


def wait_service_deleted(client, project_id, provider, service_id, timeout):
    return wait_for(
        lambda: get_service(client, project_id, provider, service_id),
        lambda s: s is None,
        timeout,
        f"private endpoint service {service_id} to be deleted",
    )


def wait_endpoint_available(client, project_id, provider, service_id, endpoint_id, timeout):
    def failed(endpoint):
        if endpoint is None:
            return f"endpoint {endpoint_id} is no longer registered"
        if endpoint.get("connectionStatus") in ENDPOINT_FAILED:
            return "{}: {}".format(endpoint.get("connectionStatus"), endpoint.get("errorMessage") or "no detail")
        return None

    return wait_for(
        lambda: get_endpoint(client, project_id, provider, service_id, endpoint_id),
        lambda e: e is not None and e.get("connectionStatus") == "AVAILABLE",
        timeout,
        f"interface endpoint {endpoint_id} to become AVAILABLE",
        failed=failed,
    )


def wait_endpoint_deleted(client, project_id, provider, service_id, endpoint_id, timeout):
    return wait_for(
        lambda: get_endpoint(client, project_id, provider, service_id, endpoint_id),
        lambda e: e is None,
        timeout,
        f"interface endpoint {endpoint_id} to be deleted",
    )


def service_result(service):
    if not service:
        return {}
    return to_snake(strip_links(service))


def endpoint_result(endpoint):
    if not endpoint:
        return {}
    return to_snake(strip_links(endpoint))
