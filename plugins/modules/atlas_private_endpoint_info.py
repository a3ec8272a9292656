#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: atlas_private_endpoint_info
short_description: Read MongoDB Atlas private endpoint services and their interface endpoints
version_added: 0.1.0
description:
  - Lists the private endpoint services of a project for a cloud provider, optionally only the one in a region,
    with the status of every interface endpoint registered with them.
author:
  - chatbot.platform maintainers (@chatbot-platform)
options:
  provider_name:
    description:
      - Cloud provider.
    type: str
    choices: [AWS]
    default: AWS
  region:
    description:
      - Only the service in this region (V(EU_WEST_1) or V(eu-west-1)).
    type: str
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
- name: Show the PrivateLink service name to create the VPC endpoint for
  chatbot.platform.atlas_private_endpoint_info:
    project_name: chatbot-prod
    region: eu-west-1
  register: pe_info
"""

RETURN = r"""
endpoint_services:
  description: Endpoint services with snake_case keys.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Endpoint service ID.
      type: str
    region_name:
      description: Atlas region.
      type: str
    status:
      description: Service status.
      type: str
    endpoint_service_name:
      description: AWS PrivateLink service name.
      type: str
    interface_endpoints:
      description: IDs of the registered interface endpoints.
      type: list
      elements: str
    endpoints:
      description: Every registered interface endpoint with its C(connection_status).
      type: list
      elements: dict
"""

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.common import AtlasModule, normalize_region
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.private_endpoints import endpoint_result, get_endpoint, list_services, service_result


def run(am):
    project_id = am.project_id()
    provider = am.params["provider_name"]
    services = list_services(am.client, project_id, provider)
    if am.params["region"]:
        wanted = normalize_region(am.params["region"])
        services = [s for s in services if normalize_region(s.get("regionName")) == wanted]
    result = []
    for service in services:
        item = service_result(service)
        endpoints = []
        for endpoint_id in service.get("interfaceEndpoints") or []:
            endpoint = get_endpoint(am.client, project_id, provider, service["id"], endpoint_id)
            if endpoint is not None:
                endpoints.append(endpoint_result(endpoint))
        item["endpoints"] = endpoints
        result.append(item)
    am.exit(changed=False, endpoint_services=result)


def main():
    am = AtlasModule(dict(provider_name=dict(type="str", choices=["AWS"], default="AWS"), region=dict(type="str")), with_project=True)
    am.run(run)


if __name__ == "__main__":
    main()
