#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: atlas_private_endpoint
short_description: Manage MongoDB Atlas private endpoint services and AWS interface endpoints
version_added: 0.1.0
description:
  - Makes sure an Atlas private endpoint service exists in a region (one per project, provider and region) and,
    when O(interface_endpoint_id) is given, registers that AWS interface VPC endpoint with it, through the Atlas
    Administration API v2 (private endpoint resource version 2023-01-01).
  - Typical flow on AWS, run this module with O(wait=true) to get RV(endpoint_service.endpoint_service_name),
    create the interface VPC endpoint for that service name with C(amazon.aws.ec2_vpc_endpoint), then run the
    module again with O(interface_endpoint_id) to register it and wait for C(AVAILABLE).
author:
  - chatbot.platform maintainers (@chatbot-platform)
options:
  provider_name:
    description:
      - Cloud provider. Only AWS is supported.
    type: str
    choices: [AWS]
    default: AWS
  region:
    description:
      - Region of the endpoint service, in Atlas form (V(EU_WEST_1)) or AWS form (V(eu-west-1)).
    type: str
    required: true
  interface_endpoint_id:
    description:
      - ID of the AWS interface VPC endpoint (V(vpce-...)) to register with (or, with O(state=absent), remove from)
        the endpoint service.
    type: str
  state:
    description:
      - V(present) creates the service and registers the endpoint.
      - V(absent) with O(interface_endpoint_id) removes only that endpoint; without it, removes every registered
        endpoint and then the service.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description:
      - Wait for the service (and endpoint) to become C(AVAILABLE), or to be gone after removal. A service that
        reports C(WAITING_FOR_USER) (Atlas waits for the interface endpoint) also ends the wait for the service.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait when O(wait=true).
    type: int
    default: 1800
extends_documentation_fragment:
  - chatbot.platform.atlas
  - chatbot.platform.atlas.project
attributes:
  check_mode:
    support: full
    description: Reports what would change without calling any write endpoint.
  diff_mode:
    support: full
    description: Shows the service and endpoint before and after.
"""

EXAMPLES = r"""
- name: Endpoint service in eu-west-1
  chatbot.platform.atlas_private_endpoint:
    project_id: "{{ project.project.id }}"
    region: eu-west-1
  register: pe

- name: Interface endpoint in the VPC
  amazon.aws.ec2_vpc_endpoint:
    vpc_id: "{{ vpc_id }}"
    vpc_endpoint_type: Interface
    service: "{{ pe.endpoint_service.endpoint_service_name }}"
    vpc_endpoint_subnets: "{{ private_subnet_ids }}"
    vpc_endpoint_security_groups: ["{{ atlas_sg_id }}"]
  register: vpce

- name: Register it with Atlas and wait until it is AVAILABLE
  chatbot.platform.atlas_private_endpoint:
    project_id: "{{ project.project.id }}"
    region: eu-west-1
    interface_endpoint_id: "{{ vpce.result.vpc_endpoint_id }}"
"""

RETURN = r"""
endpoint_service:
  description: The endpoint service (empty when absent).
  returned: always
  type: dict
  contains:
    id:
      description: Endpoint service ID.
      type: str
    region_name:
      description: Atlas region.
      type: str
    status:
      description: C(INITIATING), C(AVAILABLE), C(WAITING_FOR_USER), C(FAILED) or C(DELETING).
      type: str
    endpoint_service_name:
      description: AWS PrivateLink service name to create the interface endpoint for.
      type: str
      sample: com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0
    interface_endpoints:
      description: IDs of the interface endpoints registered with the service.
      type: list
      elements: str
endpoint:
  description: The registered interface endpoint (empty when none was requested or it was removed).
  returned: always
  type: dict
  contains:
    interface_endpoint_id:
      description: AWS interface VPC endpoint ID.
      type: str
    connection_status:
      description: C(NONE), C(PENDING_ACCEPTANCE), C(PENDING), C(AVAILABLE), C(REJECTED) or C(DELETING).
      type: str
"""

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.common import AtlasModule, normalize_region
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.private_endpoints import (
    SERVICE_READY,
    VPC_ENDPOINT_PATTERN,
    create_endpoint,
    create_service,
    delete_endpoint,
    delete_service,
    endpoint_result,
    find_service,
    get_endpoint,
    get_service,
    service_result,
    wait_endpoint_available,
    wait_endpoint_deleted,
    wait_service_available,
    wait_service_deleted,
)


def _absent(am, project_id, provider, service):
    params = am.params
    endpoint_id = params["interface_endpoint_id"]
    if service is None:
        am.exit(changed=False, endpoint_service={}, endpoint={})
    if endpoint_id:
        endpoint = get_endpoint(am.client, project_id, provider, service["id"], endpoint_id)
        if endpoint is None or (endpoint.get("connectionStatus") == "DELETING" and not params["wait"]):
            am.exit(changed=False, endpoint_service=service_result(service), endpoint={})
        changed = endpoint.get("connectionStatus") != "DELETING"
        if not am.check_mode:
            if changed:
                delete_endpoint(am.client, project_id, provider, service["id"], endpoint_id)
            if params["wait"]:
                wait_endpoint_deleted(am.client, project_id, provider, service["id"], endpoint_id, params["wait_timeout"])
        am.exit(changed=changed, endpoint_service=service_result(service), endpoint={}, diff=dict(before=endpoint_result(endpoint), after={}))
    if not am.check_mode:
        for registered in service.get("interfaceEndpoints") or []:
            delete_endpoint(am.client, project_id, provider, service["id"], registered)
            wait_endpoint_deleted(am.client, project_id, provider, service["id"], registered, params["wait_timeout"])
        delete_service(am.client, project_id, provider, service["id"])
        if params["wait"]:
            wait_service_deleted(am.client, project_id, provider, service["id"], params["wait_timeout"])
    am.exit(changed=True, endpoint_service={}, endpoint={}, diff=dict(before=service_result(service), after={}))


def run(am):
    params = am.params
    provider = params["provider_name"]
    endpoint_id = params["interface_endpoint_id"]
    if endpoint_id is not None and not VPC_ENDPOINT_PATTERN.match(endpoint_id):
        am.fail(f"interface_endpoint_id {endpoint_id!r} is not an AWS VPC endpoint id such as vpce-0123456789abcdef0")
    if not params["region"].strip():
        am.fail("region must not be empty")
    project_id = am.project_id()
    service = find_service(am.client, project_id, provider, params["region"])
    if params["state"] == "absent":
        _absent(am, project_id, provider, service)

    changed = False
    before = {"endpoint_service": service_result(service), "endpoint": {}}
    if service is None:
        changed = True
        if am.check_mode:
            preview = {"region_name": normalize_region(params["region"]), "cloud_provider": provider, "status": "INITIATING"}
            endpoint = {"interface_endpoint_id": endpoint_id, "connection_status": "PENDING_ACCEPTANCE"} if endpoint_id else {}
            am.exit(
                changed=True, endpoint_service=preview, endpoint=endpoint, diff=dict(before=before, after={"endpoint_service": preview, "endpoint": endpoint})
            )
        service = create_service(am.client, project_id, provider, params["region"])
    if params["wait"] and service.get("status") not in SERVICE_READY and not am.check_mode:
        service = wait_service_available(am.client, project_id, provider, service["id"], params["wait_timeout"])

    endpoint = None
    if endpoint_id:
        endpoint = get_endpoint(am.client, project_id, provider, service["id"], endpoint_id)
        before["endpoint"] = endpoint_result(endpoint)
        if endpoint is None:
            changed = True
            if am.check_mode:
                preview = {"interface_endpoint_id": endpoint_id, "connection_status": "PENDING_ACCEPTANCE"}
                am.exit(
                    changed=True,
                    endpoint_service=service_result(service),
                    endpoint=preview,
                    diff=dict(before=before, after={"endpoint_service": service_result(service), "endpoint": preview}),
                )
            endpoint = create_endpoint(am.client, project_id, provider, service["id"], endpoint_id)
        if params["wait"] and endpoint.get("connectionStatus") != "AVAILABLE" and not am.check_mode:
            endpoint = wait_endpoint_available(am.client, project_id, provider, service["id"], endpoint_id, params["wait_timeout"])
        if changed and not am.check_mode:
            service = get_service(am.client, project_id, provider, service["id"]) or service
    after = {"endpoint_service": service_result(service), "endpoint": endpoint_result(endpoint)}
    am.exit(changed=changed, endpoint_service=after["endpoint_service"], endpoint=after["endpoint"], diff=dict(before=before, after=after))


def main():
    am = AtlasModule(
        dict(
            provider_name=dict(type="str", choices=["AWS"], default="AWS"),
            region=dict(type="str", required=True),
            interface_endpoint_id=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            wait=dict(type="bool", default=True),
            wait_timeout=dict(type="int", default=1800),
        ),
        with_project=True,
    )
    am.run(run)


if __name__ == "__main__":
    main()
