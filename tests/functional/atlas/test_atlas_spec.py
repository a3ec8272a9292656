"""The modules and the emulator held against the published Atlas Admin API specification (issue 21).

Traffic of every test is validated against ../shared/atlas-openapi by conftest.py; these tests add the
cases that need a particular emulator state (a date past a version's sunset, a paused cluster, an
estimate for totalCount) or a particular input (a mistyped project, IPv6, a STREAM scope).
"""

from __future__ import annotations

import datetime
import subprocess
import sys

import atlas_openapi_check as openapi_check
import pytest
from module_runner import ROOT

CLUSTER = {"name": "c1", "region": "EU_WEST_1", "instance_size": "M10", "mongodb_major_version": "7.0", "wait_timeout": 900}


@pytest.mark.skipif(not openapi_check.spec_available(), reason=openapi_check.skip_reason())
def test_spec_facts_are_derived_from_the_current_specification():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "atlas_spec_facts.py"), "--check"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_cluster_lifecycle_after_the_2024_08_05_sunset(atlas, project):
    # 2027-03-02: version 2024-08-05 of create/update answers 410; delete never had it.
    atlas.emulator.clock.today = datetime.date(2027, 3, 2)
    created = atlas.run("atlas_cluster", dict(CLUSTER, project_id=project))
    assert created["changed"] is True, created
    updated = atlas.run("atlas_cluster", dict(CLUSTER, project_id=project, instance_size="M20"))
    assert updated["changed"] is True, updated
    deleted = atlas.run("atlas_cluster", {"project_id": project, "name": "c1", "state": "absent", "wait_timeout": 900})
    assert deleted["changed"] is True, deleted
    assert atlas.emulator.snapshot()["clusters"] == []
    accepts = [r["status"] for r in atlas.emulator.request_log() if r["path"].startswith("/api/atlas/v2")]
    assert 410 not in accepts and 406 not in accepts


def test_the_emulator_answers_410_past_a_sunset(atlas, project):
    atlas.expect_spec_violations()
    atlas.emulator.clock.today = datetime.date(2027, 7, 1)
    # getGroupCluster 2023-02-01 was sunset on 2027-07-01
    client = _client(atlas)
    with pytest.raises(Exception, match="HTTP 410 VERSION_GONE"):
        client.request("GET", f"/groups/{project}/clusters/c1", "2023-02-01")
    with pytest.raises(Exception, match="HTTP 406 INVALID_VERSION_DATE"):
        client.request("DELETE", f"/groups/{project}/clusters/c1", "2024-08-05")


@pytest.mark.parametrize(
    ("module", "args"),
    [
        ("atlas_cluster", {"name": "c1", "state": "absent"}),
        ("atlas_database_user", {"username": "app", "state": "absent"}),
        ("atlas_cluster_info", {"name": "c1"}),
    ],
)
def test_a_mistyped_project_id_is_an_error_not_absent(atlas, project, module, args):
    result = atlas.run(module, dict(args, project_id="5f1b2c3d4e5f6a7b8c9d0eff"))
    assert result.get("failed") is True, result
    assert "GROUP_NOT_FOUND" in result["msg"]


def test_paging_reads_past_an_underestimated_total_count(atlas, project):
    atlas.emulator.configure(total_count_error=-400)
    entries = [{"cidr_block": f"10.{i // 256}.{i % 256}.0/24"} for i in range(520)]
    atlas.run("atlas_access_list", {"project_id": project, "entries": entries})
    info = atlas.run("atlas_access_list_info", {"project_id": project})
    assert len(info["entries"]) == 520


def test_paused_cluster_is_resumed_before_other_changes(atlas, project):
    atlas.run("atlas_cluster", dict(CLUSTER, project_id=project))
    assert atlas.run("atlas_cluster", dict(CLUSTER, project_id=project, paused=True))["changed"] is True
    refused = atlas.run("atlas_cluster", dict(CLUSTER, project_id=project, backup_enabled=True))
    assert refused["failed"] is True and "is paused" in refused["msg"]
    atlas.emulator.clear_requests()
    resumed = atlas.run("atlas_cluster", dict(CLUSTER, project_id=project, paused=False, backup_enabled=True))
    assert resumed["changed"] is True, resumed
    patches = [w for w in atlas.writes() if w["method"] == "PATCH"]
    assert len(patches) == 2
    cluster = atlas.emulator.snapshot()["clusters"][0]
    assert (cluster["paused"], cluster["backupEnabled"], cluster["stateName"]) == (False, True, "IDLE")


def test_major_version_skips_are_refused_before_any_request(atlas, project):
    atlas.run("atlas_cluster", dict(CLUSTER, project_id=project, mongodb_major_version="6.0"))
    atlas.emulator.clear_requests()
    result = atlas.run("atlas_cluster", dict(CLUSTER, project_id=project, mongodb_major_version="8.0"))
    assert result["failed"] is True and "one major version at a time" in result["msg"]
    assert atlas.writes() == []
    assert atlas.run("atlas_cluster", dict(CLUSTER, project_id=project, mongodb_major_version="7.0"))["changed"] is True


def test_repairing_cluster_is_waited_for(atlas, project):
    atlas.run("atlas_cluster", dict(CLUSTER, project_id=project))
    atlas.emulator.set_cluster_state(project, "c1", "REPAIRING", 120)
    result = atlas.run("atlas_cluster", dict(CLUSTER, project_id=project))
    assert result["changed"] is False and result["cluster"]["state_name"] == "IDLE"


def test_stream_scope_ipv6_and_account_prefixed_security_group(atlas, project):
    user = {"project_id": project, "username": "app", "password": "Passw0rd-stream", "roles": [{"role_name": "read", "database_name": "x"}]}
    created = atlas.run("atlas_database_user", dict(user, scopes=[{"name": "chatbot-stream", "type": "STREAM"}]))
    assert created["user"]["scopes"] == [{"name": "chatbot-stream", "type": "STREAM"}]
    entries = [{"ip_address": "2001:db8::1"}, {"cidr_block": "2001:db8:1::/48"}, {"aws_security_group": "123456789012/sg-0123456789abcdef0"}]
    added = atlas.run("atlas_access_list", {"project_id": project, "entries": entries})
    assert added["added"] == ["123456789012/sg-0123456789abcdef0", "2001:db8:1::/48", "2001:db8::1/128"], added
    atlas.emulator.clear_requests()
    assert atlas.run("atlas_access_list", {"project_id": project, "entries": entries})["changed"] is False
    removed = atlas.run("atlas_access_list", {"project_id": project, "entries": entries[:2], "state": "absent"})
    assert removed["removed"] == ["2001:db8:1::/48", "2001:db8::1/128"]
    assert [w["path"].rsplit("/", 1)[1] for w in atlas.writes()] == ["2001%3Adb8%3A1%3A0%3A0%3A0%3A0%3A0%2F48", "2001%3Adb8%3A0%3A0%3A0%3A0%3A0%3A1"]


def test_service_waiting_for_user_ends_the_service_wait(atlas, project):
    atlas.emulator.configure(service_waits_for_user=True)
    result = atlas.run("atlas_private_endpoint", {"project_id": project, "region": "eu-west-1", "wait_timeout": 600})
    assert result["endpoint_service"]["status"] == "WAITING_FOR_USER", result


def test_rate_limit_headers_and_retry_after(atlas, project):
    atlas.emulator.set_fault_schedule([{"method": "GET", "path": "/clusters$", "fault": 429}, {"method": "GET", "path": "/clusters$", "nth": 2, "fault": 503}])
    client = _client(atlas)
    seen = []
    original = client._transport

    def recording(method, url, headers, body, timeout, validate_certs):
        answer = original(method, url, headers, body, timeout, validate_certs)
        seen.append(answer[:2])
        return answer

    client._transport = recording
    client.call_all("listGroupClusters", groupId=project)
    statuses = [s for s, _h in seen]
    assert statuses[-3:] == [429, 503, 200]
    for status, headers in seen[-3:]:
        assert {"ratelimit-limit", "ratelimit-remaining"} <= set(headers)
        assert ("retry-after" in headers) == (status in (429, 503))


def _client(atlas):
    from ansible_collections.chatbot.platform.plugins.module_utils._atlas.client import AtlasClient

    return AtlasClient(base_url=atlas.emulator.base_url, sleep=atlas.emulator.clock.sleep, token_cache={}, **atlas.auth)
