# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module-level unit tests: argument validation fails fast, in one line, without any HTTP call."""

from __future__ import annotations

import contextlib
import io
import json

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.chatbot.platform.plugins.module_utils._atlas import client as atlas_client
from ansible_collections.chatbot.platform.plugins.modules import atlas_access_list, atlas_cluster, atlas_database_user, atlas_private_endpoint, atlas_project

CONN = {"base_url": "https://atlas.example.test", "client_id": "id", "client_secret": "very-secret-value"}


@pytest.fixture(autouse=True)
def no_http(monkeypatch):
    calls = []

    def transport(method, url, headers, body, timeout, validate_certs):
        calls.append((method, url))
        raise AssertionError("no HTTP call expected")

    monkeypatch.setattr(atlas_client, "_urllib_transport", transport)
    for name in ("MONGODB_ATLAS_CLIENT_ID", "MONGODB_ATLAS_CLIENT_SECRET", "MONGODB_ATLAS_PUBLIC_KEY", "MONGODB_ATLAS_PRIVATE_KEY"):
        monkeypatch.delenv(name, raising=False)
    return calls


def run(module, args):
    out = io.StringIO()
    with patch_module_args(args), contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        module.main()
    text = out.getvalue()
    return json.loads(text[text.index("{") :])


@pytest.mark.parametrize(
    ("module", "args", "expected"),
    [
        (atlas_cluster, {"project_id": "p", "name": "c", "region": "EU_WEST_1", "instance_size": "XL"}, "instance_size 'XL' is not an Atlas instance size"),
        (atlas_cluster, {"project_id": "p", "name": "bad name", "region": "EU_WEST_1", "instance_size": "M10"}, "name 'bad name' must be 1-64 letters"),
        (atlas_cluster, {"project_id": "p", "name": "c", "region": "EU_WEST_1", "replication_specs": []}, "parameters are mutually exclusive"),
        (atlas_access_list, {"project_id": "p", "entries": [{"cidr_block": "10.1.2.3/8"}]}, "entries[0].cidr_block '10.1.2.3/8' is not a valid CIDR block"),
        (atlas_access_list, {"project_id": "p", "entries": [{"ip_address": "1.2.3"}]}, "entries[0].ip_address '1.2.3' is not a valid IP address"),
        (atlas_database_user, {"project_id": "p", "username": "x", "auth_type": "aws_iam_role"}, "username for aws_iam_role must be an IAM ARN"),
        (atlas_private_endpoint, {"project_id": "p", "region": "eu-west-1", "interface_endpoint_id": "x"}, "interface_endpoint_id 'x' is not an AWS VPC"),
        (atlas_project, {"name": "p"}, "state is present but all of the following are missing: org_id"),
        (atlas_cluster, {"name": "c"}, "one of the following is required: project_id, project_name"),
    ],
)
def test_bad_input_is_rejected_before_any_request(module, args, expected, no_http):
    result = run(module, dict(CONN, **args))
    assert result["failed"] is True
    assert expected in result["msg"]
    assert "\n" not in result["msg"]
    assert no_http == []
    assert "very-secret-value" not in json.dumps(result)


def test_missing_credentials_are_reported(no_http):
    result = run(atlas_project, {"name": "p", "org_id": "o", "base_url": "https://atlas.example.test"})
    assert result["failed"] is True
    assert result["msg"].startswith("no Atlas credentials: set client_id and client_secret (or MONGODB_ATLAS_CLIENT_ID/MONGODB_ATLAS_CLIENT_SECRET)")


def test_half_a_credential_pair_is_rejected(no_http):
    result = run(atlas_project, {"name": "p", "org_id": "o", "public_key": "pub"})
    assert result["failed"] is True
    assert "parameters are required together: public_key, private_key" in result["msg"]
