"""atlas_project and atlas_project_info against the emulator."""

from __future__ import annotations


def test_create_noop_update_delete(atlas, org_id):
    args = {"name": "chatbot-dev", "org_id": org_id, "tags": {"environment": "dev"}}
    created = atlas.run("atlas_project", args, diff=True)
    assert created["changed"] is True
    assert len(created["project"]["id"]) == 24
    assert created["project"]["tags"] == {"environment": "dev"}
    assert created["diff"]["before"] == {}
    assert [(w["method"], w["path"]) for w in atlas.writes()] == [("POST", "/api/atlas/v2/groups")]

    atlas.emulator.clear_requests()
    again = atlas.run("atlas_project", args)
    assert again["changed"] is False
    assert again["project"]["id"] == created["project"]["id"]
    assert atlas.writes() == []

    updated = atlas.run("atlas_project", dict(args, tags={"environment": "dev", "owner": "platform"}), diff=True)
    assert updated["changed"] is True
    assert updated["project"]["tags"] == {"environment": "dev", "owner": "platform"}
    assert updated["diff"]["before"]["tags"] == {"environment": "dev"}
    assert [w["method"] for w in atlas.writes()][-1] == "PATCH"

    info = atlas.run("atlas_project_info", {"name": "chatbot-dev"})
    assert info["projects"][0]["tags"] == {"environment": "dev", "owner": "platform"}

    atlas.emulator.clear_requests()
    deleted = atlas.run("atlas_project", {"name": "chatbot-dev", "state": "absent"})
    assert deleted["changed"] is True
    assert [w["method"] for w in atlas.writes()] == ["DELETE"]
    assert atlas.run("atlas_project_info", {"name": "chatbot-dev"})["projects"] == []
    assert atlas.run("atlas_project", {"name": "chatbot-dev", "state": "absent"})["changed"] is False


def test_check_mode_makes_no_write(atlas, org_id):
    result = atlas.run("atlas_project", {"name": "chatbot-check", "org_id": org_id}, check=True, diff=True)
    assert result["changed"] is True
    assert result["diff"]["after"]["name"] == "chatbot-check"
    assert atlas.writes() == []
    assert atlas.emulator.snapshot()["projects"] == []


def test_purge_tags_false_keeps_other_tags(atlas, org_id):
    atlas.run("atlas_project", {"name": "p", "org_id": org_id, "tags": {"a": "1"}})
    result = atlas.run("atlas_project", {"name": "p", "org_id": org_id, "tags": {"b": "2"}, "purge_tags": False})
    assert result["project"]["tags"] == {"a": "1", "b": "2"}


def test_info_lists_all_projects(atlas, org_id):
    for i in range(3):
        atlas.run("atlas_project", {"name": f"p{i}", "org_id": org_id})
    info = atlas.run("atlas_project_info", {})
    assert sorted(p["name"] for p in info["projects"]) == ["p0", "p1", "p2"]


def test_unknown_org_fails_readably(atlas, org_id):
    result = atlas.run("atlas_project", {"name": "p", "org_id": "000000000000000000000000"})
    assert result["failed"] is True
    assert "ORG_NOT_FOUND" in result["msg"]
    assert "\n" not in result["msg"]


def test_delete_with_clusters_is_refused(atlas, project):
    atlas.run("atlas_cluster", {"project_id": project, "name": "c1", "region": "EU_WEST_1", "instance_size": "M10", "wait": False})
    result = atlas.run("atlas_project", {"name": "chatbot-test", "state": "absent"})
    assert result["failed"] is True
    assert "CANNOT_CLOSE_GROUP_ACTIVE_ATLAS_CLUSTERS" in result["msg"]
