# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Atlas private endpoint services (one per cloud region) and the interface endpoints registered with them."""

from __future__ import annotations

import re

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.client import AtlasApiError
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.common import normalize_region, strip_links, to_snake
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.spec_facts import AWS_INTERFACE_ENDPOINT_ID_PATTERN
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.waiters import wait_for

# "vpce-" and 17 hexadecimal digits, as the specification's CreateAWSEndpointRequest says.
VPC_ENDPOINT_PATTERN = re.compile(AWS_INTERFACE_ENDPOINT_ID_PATTERN)
SERVICE_NOT_FOUND_CODES = ("PRIVATE_ENDPOINT_SERVICE_NOT_FOUND",)
ENDPOINT_NOT_FOUND_CODES = ("PRIVATE_ENDPOINT_NOT_FOUND", "INTERFACE_ENDPOINT_NOT_FOUND")
SERVICE_EXISTS_CODES = ("PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION",)
ENDPOINT_EXISTS_CODES = ("PRIVATE_ENDPOINT_ALREADY_EXISTS", "INTERFACE_ENDPOINT_ALREADY_EXISTS")
SERVICE_FAILED = ("FAILED",)
ENDPOINT_FAILED = ("REJECTED", "FAILED")


def list_services(client, project_id, provider):
    data = client.call("listGroupPrivateEndpointEndpointService", groupId=project_id, cloudProvider=provider)
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
    return client.call_or_none(
        "getGroupPrivateEndpointEndpointService", SERVICE_NOT_FOUND_CODES, groupId=project_id, cloudProvider=provider, endpointServiceId=service_id
    )


def create_service(client, project_id, provider, region):
    body = {"providerName": provider, "region": normalize_region(region)}
    try:
        return client.call("createGroupPrivateEndpointEndpointService", body, groupId=project_id)
    except AtlasApiError as exc:
        if exc.error_code in SERVICE_EXISTS_CODES:
            existing = find_service(client, project_id, provider, region)
            if existing is not None:
                return existing
        raise


def delete_service(client, project_id, provider, service_id):
    try:
        client.call("deleteGroupPrivateEndpointEndpointService", groupId=project_id, cloudProvider=provider, endpointServiceId=service_id)
    except AtlasApiError as exc:
        if exc.status == 404 and exc.error_code in SERVICE_NOT_FOUND_CODES:
            return
        raise


def _endpoint_ids(project_id, provider, service_id, endpoint_id=None):
    ids = {"groupId": project_id, "cloudProvider": provider, "endpointServiceId": service_id}
    if endpoint_id is not None:
        ids["endpointId"] = endpoint_id
    return ids


def get_endpoint(client, project_id, provider, service_id, endpoint_id):
    ids = _endpoint_ids(project_id, provider, service_id, endpoint_id)
    return client.call_or_none("getGroupPrivateEndpointEndpointServiceEndpoint", ENDPOINT_NOT_FOUND_CODES, **ids)


def create_endpoint(client, project_id, provider, service_id, endpoint_id):
    # cloudProvider is the discriminator of the specification's CreateEndpointRequest.
    body = {"cloudProvider": provider, "id": endpoint_id}
    try:
        return client.call("createGroupPrivateEndpointEndpointServiceEndpoint", body, **_endpoint_ids(project_id, provider, service_id))
    except AtlasApiError as exc:
        if exc.error_code in ENDPOINT_EXISTS_CODES:
            existing = get_endpoint(client, project_id, provider, service_id, endpoint_id)
            if existing is not None:
                return existing
        raise


def delete_endpoint(client, project_id, provider, service_id, endpoint_id):
    try:
        client.call("deleteGroupPrivateEndpointEndpointServiceEndpoint", **_endpoint_ids(project_id, provider, service_id, endpoint_id))
    except AtlasApiError as exc:
        if exc.status == 404 and exc.error_code in ENDPOINT_NOT_FOUND_CODES:
            return
        raise


# WAITING_FOR_USER: Atlas has done its part and waits for the user's side (the interface endpoint); waiting
# longer would not change it, so the wait ends there too.
SERVICE_READY = ("AVAILABLE", "WAITING_FOR_USER")


def wait_service_available(client, project_id, provider, service_id, timeout):
    return wait_for(
        lambda: get_service(client, project_id, provider, service_id),
        lambda s: s is not None and s.get("status") in SERVICE_READY,
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
