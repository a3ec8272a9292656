"""Injected faults: 30% of API calls answer 429/500/503 or drop the connection; runs still converge."""

from __future__ import annotations

import pytest

ROLES = [{"role_name": "readWrite", "database_name": "iky"}, {"role_name": "readWrite", "database_name": "chatbot"}]


def _provision(atlas, org_id):
    project = atlas.run("atlas_project", {"name": "chatbot-faults", "org_id": org_id, "max_retries": 8})
    assert not project.get("failed"), project
    pid = project["project"]["id"]
    steps = [
        ("atlas_cluster", {"project_id": pid, "name": "chatbot", "region": "EU_WEST_1", "instance_size": "M10", "wait_timeout": 60}),
        ("atlas_database_user", {"project_id": pid, "username": "chatbot-app", "password": "Passw0rd-faults", "roles": ROLES}),
        ("atlas_access_list", {"project_id": pid, "entries": [{"ip_address": "203.0.113.10"}, {"cidr_block": "10.20.0.0/16"}]}),
    ]
    results = [project]
    for module, args in steps:
        result = atlas.run(module, dict(args, max_retries=8))
        assert not result.get("failed"), result
        results.append(result)
    return results


@pytest.mark.parametrize("seed", [7, 21])
def test_provisioning_converges_with_30_percent_faults(atlas, org_id, seed):
    atlas.emulator.set_faults(rate=0.3, statuses=[429, 500, 503], drop=True, retry_after="0", seed=seed)
    _provision(atlas, org_id)
    log = atlas.emulator.request_log()
    assert any(r["fault"] for r in log), "no fault was injected"
    assert any(r["fault"] in ("drop_before", "drop_after") for r in log)

    # Exactly one of each object.
    state = atlas.emulator.snapshot()
    assert [p["name"] for p in state["projects"]] == ["chatbot-faults"]
    assert [c["name"] for c in state["clusters"]] == ["chatbot"]
    assert [u["username"] for u in state["users"]] == ["chatbot-app"]
    assert sorted(e["cidrBlock"] for e in next(iter(state["access"].values()))) == ["10.20.0.0/16", "203.0.113.10/32"]

    # A second run, still under faults, changes nothing and writes nothing.
    atlas.emulator.clear_requests()
    again = _provision(atlas, org_id)
    assert [r["changed"] for r in again] == [False, False, False, False]
    assert atlas.emulator.write_requests() == []


def test_retries_are_bounded(atlas, org_id):
    atlas.emulator.set_faults(rate=1.0, statuses=[503])
    result = atlas.run("atlas_project_info", {"max_retries": 2})
    assert result["failed"] is True
    assert "HTTP 503" in result["msg"]
    api_calls = [r for r in atlas.emulator.request_log() if r["path"].startswith("/api/atlas/v2")]
    token_calls = [r for r in atlas.emulator.request_log() if r["path"] == "/api/oauth/token"]
    assert len(token_calls) == 3  # the token request itself is retried twice, then the module gives up
    assert api_calls == []
