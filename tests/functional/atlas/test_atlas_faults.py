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


# ---------------------------------------------------------------- every write under every fault (issue 21)
# A fault schedule hits the first write of each step (create, update, delete) of one module with one kind of
# fault. 502 and 504 are answered after the write took effect (a gateway lost the answer); drop_after closes the
# connection after it took effect; the others are answered before anything happened. Each step must end with
# exactly the object(s) asked for, in the asked-for state.
FAULTS = (429, 500, 502, 503, 504, "drop_before", "drop_after")
VPCE = "vpce-0a1b2c3d4e5f60718"


def _rules(fault, writes):
    return [{"method": method, "path": path, "fault": fault, "after_write": fault in (502, 504)} for method, path in writes]


def _project_steps(atlas, org_id):
    args = {"name": "p-faults", "org_id": org_id}
    return (
        [("POST", "^/groups$"), ("PATCH", "^/groups/[0-9a-f]{24}$"), ("DELETE", "^/groups/[0-9a-f]{24}$")],
        [
            (
                "atlas_project",
                dict(args, tags={"v": "1"}),
                lambda s: [(p["name"], p["tags"]) for p in s["projects"]] == [("p-faults", [{"key": "v", "value": "1"}])],
            ),
            (
                "atlas_project",
                dict(args, tags={"v": "2"}),
                lambda s: [(p["name"], p["tags"]) for p in s["projects"]] == [("p-faults", [{"key": "v", "value": "2"}])],
            ),
            ("atlas_project", {"name": "p-faults", "state": "absent"}, lambda s: s["projects"] == []),
        ],
    )


def _cluster_steps(pid):
    args = {"project_id": pid, "name": "c1", "region": "EU_WEST_1", "wait_timeout": 1800}

    def sizes(state):
        return [(c["name"], c["stateName"], c["replicationSpecs"][0]["regionConfigs"][0]["electableSpecs"]["instanceSize"]) for c in state["clusters"]]

    return (
        [("POST", "/clusters$"), ("PATCH", "/clusters/c1$"), ("DELETE", "/clusters/c1$")],
        [
            ("atlas_cluster", dict(args, instance_size="M10"), lambda s: sizes(s) == [("c1", "IDLE", "M10")]),
            ("atlas_cluster", dict(args, instance_size="M20"), lambda s: sizes(s) == [("c1", "IDLE", "M20")]),
            ("atlas_cluster", {"project_id": pid, "name": "c1", "state": "absent", "wait_timeout": 1800}, lambda s: s["clusters"] == []),
        ],
    )


def _user_steps(pid):
    args = {"project_id": pid, "username": "app", "password": "Passw0rd-faults"}

    def roles(state):
        return [(u["username"], sorted(r["databaseName"] for r in u["roles"])) for u in state["users"]]

    return (
        [("POST", "/databaseUsers$"), ("PATCH", "/databaseUsers/"), ("DELETE", "/databaseUsers/")],
        [
            ("atlas_database_user", dict(args, roles=ROLES[:1]), lambda s: roles(s) == [("app", ["iky"])]),
            ("atlas_database_user", dict(args, roles=ROLES), lambda s: roles(s) == [("app", ["chatbot", "iky"])]),
            ("atlas_database_user", {"project_id": pid, "username": "app", "state": "absent"}, lambda s: s["users"] == []),
        ],
    )


def _access_steps(pid):
    entries = [{"ip_address": "203.0.113.10", "comment": "a"}, {"cidr_block": "2001:db8::/48", "comment": "b"}]

    def listed(state):
        return sorted((e["cidrBlock"], e["comment"]) for e in state["access"].get(pid, []))

    return (
        [("POST", "/accessList$"), ("DELETE", "/accessList/")],
        [
            ("atlas_access_list", {"project_id": pid, "entries": entries}, lambda s: listed(s) == [("2001:db8:0:0:0:0:0:0/48", "b"), ("203.0.113.10/32", "a")]),
            (
                "atlas_access_list",
                {"project_id": pid, "entries": [dict(entries[0], comment="a2")], "purge": True},
                lambda s: listed(s) == [("203.0.113.10/32", "a2")],
            ),
            ("atlas_access_list", {"project_id": pid, "entries": [{"ip_address": "203.0.113.10"}], "state": "absent"}, lambda s: listed(s) == []),
        ],
    )


def _endpoint_steps(pid):
    args = {"project_id": pid, "region": "eu-west-1", "wait_timeout": 1800}

    def services(state):
        return [(s["regionName"], s["status"], s["interfaceEndpoints"]) for s in state["services"]]

    return (
        [("POST", "/endpointService$"), ("POST", "/endpoint$"), ("DELETE", "/endpoint/"), ("DELETE", "/endpointService/[0-9a-f]{24}$")],
        [
            ("atlas_private_endpoint", args, lambda s: services(s) == [("EU_WEST_1", "AVAILABLE", [])]),
            ("atlas_private_endpoint", dict(args, interface_endpoint_id=VPCE), lambda s: services(s) == [("EU_WEST_1", "AVAILABLE", [VPCE])]),
            ("atlas_private_endpoint", dict(args, state="absent"), lambda s: s["services"] == []),
        ],
    )


@pytest.mark.parametrize("fault", FAULTS, ids=str)
@pytest.mark.parametrize("resource", ["project", "cluster", "database_user", "access_list", "private_endpoint"])
def test_create_update_delete_under_every_fault(atlas, org_id, project, resource, fault):
    if resource == "project":
        writes, steps = _project_steps(atlas, org_id)
    else:
        writes, steps = {"cluster": _cluster_steps, "database_user": _user_steps, "access_list": _access_steps, "private_endpoint": _endpoint_steps}[resource](
            project
        )
    atlas.emulator.set_fault_schedule(_rules(fault, writes))
    for module, args, expected in steps:
        result = atlas.run(module, args)
        assert not result.get("failed"), (module, fault, result)
        state = atlas.emulator.snapshot()
        if resource == "project":
            state["projects"] = [p for p in state["projects"] if p["name"] != "chatbot-test"]
        assert expected(state), (module, args, fault, state)
    injected = [r["fault"] for r in atlas.emulator.request_log() if r["fault"]]
    assert len(injected) == len(writes), injected  # every write step met its fault exactly once
