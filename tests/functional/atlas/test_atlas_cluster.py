"""atlas_cluster and atlas_cluster_info against the emulator: lifecycle, waiting, diff, validation."""

from __future__ import annotations

BASE = {
    "name": "chatbot-dev",
    "region": "eu-west-1",
    "instance_size": "M10",
    "disk_size_gb": 10,
    "mongodb_major_version": "8.0",
    "backup_enabled": True,
    "tags": {"environment": "dev"},
    "wait_timeout": 30,
}


def _cluster_args(project, **extra):
    args = dict(BASE, project_id=project)
    args.update(extra)
    return args


def test_create_waits_for_idle_and_returns_connection_strings(atlas, project):
    result = atlas.run("atlas_cluster", _cluster_args(project), diff=True)
    assert result["changed"] is True, result
    assert result["cluster"]["state_name"] == "IDLE"
    assert result["cluster"]["mongodb_major_version"] == "8.0"
    spec = result["cluster"]["replication_specs"][0]["region_configs"][0]
    assert spec["region_name"] == "EU_WEST_1"
    assert spec["electable_specs"]["instance_size"] == "M10"
    assert result["connection_strings"]["standard_srv"].startswith("mongodb+srv://chatbot-dev.")
    assert [(w["method"], w["path"]) for w in atlas.writes()] == [("POST", f"/api/atlas/v2/groups/{project}/clusters")]
    polls = [r for r in atlas.emulator.request_log() if r["method"] == "GET" and r["path"].endswith("/clusters/chatbot-dev")]
    assert len(polls) >= 2  # one lookup before creating, then polling until IDLE


def test_second_run_is_a_noop_without_writes(atlas, project):
    atlas.run("atlas_cluster", _cluster_args(project))
    atlas.emulator.clear_requests()
    again = atlas.run("atlas_cluster", _cluster_args(project))
    assert again["changed"] is False
    assert again["changed_fields"] == []
    assert atlas.writes() == []


def test_update_sends_only_changed_fields(atlas, project):
    atlas.run("atlas_cluster", _cluster_args(project))
    atlas.emulator.clear_requests()
    result = atlas.run("atlas_cluster", _cluster_args(project, instance_size="M30", tags={"environment": "dev", "tier": "db"}), diff=True)
    assert result["changed"] is True
    assert result["changed_fields"] == ["replicationSpecs", "tags"]
    assert result["cluster"]["state_name"] == "IDLE"
    assert result["cluster"]["replication_specs"][0]["region_configs"][0]["electable_specs"]["instance_size"] == "M30"
    before = result["diff"]["before"]["replication_specs"][0]["region_configs"][0]["electable_specs"]["instance_size"]
    after = result["diff"]["after"]["replication_specs"][0]["region_configs"][0]["electable_specs"]["instance_size"]
    assert (before, after) == ("M10", "M30")
    writes = atlas.writes()
    assert [w["method"] for w in writes] == ["PATCH"]
    states = [c["stateName"] for c in atlas.emulator.snapshot()["clusters"]]
    assert states == ["IDLE"]


def test_check_mode_create_and_update_make_no_writes(atlas, project):
    result = atlas.run("atlas_cluster", _cluster_args(project), check=True, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"] == {}
    assert atlas.writes() == []
    atlas.run("atlas_cluster", _cluster_args(project))
    atlas.emulator.clear_requests()
    result = atlas.run("atlas_cluster", _cluster_args(project, backup_enabled=False), check=True)
    assert result["changed"] is True
    assert result["changed_fields"] == ["backupEnabled"]
    assert atlas.writes() == []
    assert atlas.emulator.snapshot()["clusters"][0]["backupEnabled"] is True


def test_auto_scaled_size_is_not_fought(atlas, project):
    scaling = {"compute_enabled": True, "compute_scale_down_enabled": True, "compute_min_instance_size": "M10", "compute_max_instance_size": "M40"}
    atlas.run("atlas_cluster", _cluster_args(project, auto_scaling=scaling))
    # Atlas scales the cluster up on its own.
    with atlas.emulator.lock:
        cluster = next(iter(atlas.emulator.state.clusters.values()))
        cluster["replicationSpecs"][0]["regionConfigs"][0]["electableSpecs"]["instanceSize"] = "M20"
    atlas.emulator.clear_requests()
    result = atlas.run("atlas_cluster", _cluster_args(project, auto_scaling=scaling))
    assert result["changed"] is False
    assert atlas.writes() == []


def test_delete_waits_until_gone_and_respects_termination_protection(atlas, project):
    atlas.run("atlas_cluster", _cluster_args(project, termination_protection_enabled=True))
    refused = atlas.run("atlas_cluster", {"project_id": project, "name": "chatbot-dev", "state": "absent"})
    assert refused["failed"] is True
    assert "termination protection" in refused["msg"]
    atlas.run("atlas_cluster", _cluster_args(project, termination_protection_enabled=False))
    atlas.emulator.clear_requests()
    deleted = atlas.run("atlas_cluster", {"project_id": project, "name": "chatbot-dev", "state": "absent", "wait_timeout": 30})
    assert deleted["changed"] is True
    assert [w["method"] for w in atlas.writes()] == ["DELETE"]
    assert atlas.emulator.snapshot()["clusters"] == []
    again = atlas.run("atlas_cluster", {"project_id": project, "name": "chatbot-dev", "state": "absent"})
    assert again["changed"] is False


def test_project_name_and_info(atlas, project):
    atlas.run("atlas_cluster", _cluster_args(project, wait=False))
    info = atlas.run("atlas_cluster_info", {"project_name": "chatbot-test", "name": "chatbot-dev"})
    assert [c["name"] for c in info["clusters"]] == ["chatbot-dev"]
    listing = atlas.run("atlas_cluster_info", {"project_id": project})
    assert len(listing["clusters"]) == 1
    missing = atlas.run("atlas_cluster_info", {"project_id": project, "name": "nope"})
    assert missing["clusters"] == []


def test_multi_region_replication_specs(atlas, project):
    specs = [
        {
            "region_configs": [
                {"provider_name": "AWS", "region_name": "EU_WEST_1", "priority": 7, "electable_specs": {"instance_size": "M30", "node_count": 3}},
                {"provider_name": "AWS", "region_name": "EU_CENTRAL_1", "priority": 6, "electable_specs": {"instance_size": "M30", "node_count": 2}},
            ]
        }
    ]
    args = {"project_id": project, "name": "chatbot-dr", "replication_specs": specs, "wait_timeout": 30}
    created = atlas.run("atlas_cluster", args)
    assert created["changed"] is True
    assert [c["region_name"] for c in created["cluster"]["replication_specs"][0]["region_configs"]] == ["EU_WEST_1", "EU_CENTRAL_1"]
    atlas.emulator.clear_requests()
    assert atlas.run("atlas_cluster", args)["changed"] is False
    assert atlas.writes() == []


def test_unknown_instance_size_fails_in_one_line(atlas, project):
    bad = atlas.run("atlas_cluster", _cluster_args(project, instance_size="XL"))
    assert bad["failed"] is True
    assert "instance_size 'XL' is not an Atlas instance size" in bad["msg"]
    assert "\n" not in bad["msg"] and "Traceback" not in bad["msg"]
    # Well-formed but not a size the specification lists for AWS: refused before any request.
    bad = atlas.run("atlas_cluster", _cluster_args(project, instance_size="M15"))
    assert bad["failed"] is True
    assert "instance_size 'M15' is not an Atlas instance size of AWS" in bad["msg"]
    assert "\n" not in bad["msg"]
    assert atlas.writes() == []


def test_create_without_shape_fails(atlas, project):
    bad = atlas.run("atlas_cluster", {"project_id": project, "name": "x"})
    assert bad["failed"] is True
    assert "needs region and instance_size" in bad["msg"]


def test_existing_sharded_cluster_keeps_its_type_when_unset(atlas, project):
    atlas.run("atlas_cluster", _cluster_args(project, cluster_type="SHARDED"))
    atlas.emulator.clear_requests()
    result = atlas.run("atlas_cluster", _cluster_args(project))
    assert result["changed"] is False
    assert result["cluster"]["cluster_type"] == "SHARDED"
    assert atlas.writes() == []
