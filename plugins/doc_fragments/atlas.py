# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Connection and authentication options shared by every chatbot.platform.atlas_* module.
    DOCUMENTATION = r"""
options:
  base_url:
    description:
      - Base URL of the Atlas Administration API, without the C(/api/atlas/v2) path.
      - When not set, the E(MONGODB_ATLAS_BASE_URL) environment variable is used, and when that is unset
        too, C(https://cloud.mongodb.com).
      - Point it at the project's Atlas Admin API emulator for local runs and tests.
    type: str
  client_id:
    description:
      - Client ID of an Atlas service account (OAuth 2.0 client credentials). Recommended over API keys.
      - When not set, the E(MONGODB_ATLAS_CLIENT_ID) environment variable is used.
      - The module asks C(/api/oauth/token) for an access token, caches it for the run and refreshes it
        before it expires, so long waits keep working.
      - When both a service account and an API key are configured, the service account is used.
    type: str
  client_secret:
    description:
      - Secret of the Atlas service account given in O(client_id).
      - When not set, the E(MONGODB_ATLAS_CLIENT_SECRET) environment variable is used.
    type: str
  public_key:
    description:
      - Public key of an Atlas programmatic API key (legacy authentication with HTTP Digest).
      - When not set, the E(MONGODB_ATLAS_PUBLIC_KEY) environment variable is used.
    type: str
  private_key:
    description:
      - Private key of the Atlas API key given in O(public_key).
      - When not set, the E(MONGODB_ATLAS_PRIVATE_KEY) environment variable is used.
    type: str
  timeout:
    description:
      - Seconds to wait for one HTTP answer before the attempt counts as failed and is retried.
    type: int
    default: 30
  max_retries:
    description:
      - How many times a request is retried after HTTP 429, HTTP 5xx or a dropped connection.
      - Retries back off exponentially with jitter (0.5 s doubling to at most 20 s) and honour a
        C(Retry-After) header.
    type: int
    default: 5
  validate_certs:
    description:
      - Verify the TLS certificate of the Atlas API. Only turn off against a test endpoint.
    type: bool
    default: true
notes:
  - Credentials never appear in module output or logs; O(client_secret) and O(private_key) are marked no_log.
  - Requests use the versioned media type C(application/vnd.atlas.YYYY-MM-DD+json) of each resource.
"""

    PROJECT = r"""
options:
  project_id:
    description:
      - ID of the Atlas project (group) to work in.
      - Exactly one of O(project_id) and O(project_name) is required.
    type: str
  project_name:
    description:
      - Name of the Atlas project to work in; it is looked up with C(GET /groups/byName/{name}).
    type: str
"""
