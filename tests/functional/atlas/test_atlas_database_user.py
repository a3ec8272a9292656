"""atlas_database_user and atlas_database_user_info against the emulator."""

from __future__ import annotations

import json

ROLES = [{"role_name": "readWrite", "database_name": "iky"}, {"role_name": "readWrite", "database_name": "chatbot"}]
SECRET = "s3cret-Passw0rd-for-tests"


def _user(project, **extra):
    args = {"project_id": project, "username": "chatbot-app", "password": SECRET, "roles": ROLES}
    args.update(extra)
    return args


def test_scram_user_lifecycle(atlas, project):
    created = atlas.run("atlas_database_user", _user(project), diff=True)
    assert created["changed"] is True
    assert created["password_updated"] is True
    assert created["user"]["database_name"] == "admin"
    assert sorted(r["database_name"] for r in created["user"]["roles"]) == ["chatbot", "iky"]
    assert SECRET not in json.dumps(created)
    assert [w["method"] for w in atlas.writes()] == ["POST"]

    atlas.emulator.clear_requests()
    # Same roles in another order, password only on create: nothing to do.
    again = atlas.run("atlas_database_user", _user(project, roles=list(reversed(ROLES))))
    assert again["changed"] is False
    assert atlas.writes() == []

    updated = atlas.run("atlas_database_user", _user(project, roles=[*ROLES, {"role_name": "read", "database_name": "analytics"}]), diff=True)
    assert updated["changed"] is True
    assert updated["password_updated"] is False
    assert len(updated["user"]["roles"]) == 3
    assert len(updated["diff"]["before"]["roles"]) == 2
    patch = atlas.writes()[-1]
    assert patch["method"] == "PATCH"
    assert patch["path"].endswith("/databaseUsers/admin/chatbot-app")

    atlas.emulator.clear_requests()
    deleted = atlas.run("atlas_database_user", {"project_id": project, "username": "chatbot-app", "state": "absent"})
    assert deleted["changed"] is True
    assert [w["method"] for w in atlas.writes()] == ["DELETE"]
    assert atlas.run("atlas_database_user_info", {"project_id": project})["users"] == []


def test_update_password_always_sends_the_password(atlas, project):
    atlas.run("atlas_database_user", _user(project))
    before = next(iter(atlas.emulator.state.users.values()))["_password_hash"]
    atlas.emulator.clear_requests()
    result = atlas.run("atlas_database_user", _user(project, password="another-Passw0rd", update_password="always"))
    assert result["changed"] is True
    assert result["password_updated"] is True
    assert [w["method"] for w in atlas.writes()] == ["PATCH"]
    assert next(iter(atlas.emulator.state.users.values()))["_password_hash"] != before


def test_aws_iam_role_user_uses_external_database(atlas, project):
    arn = "arn:aws:iam::123456789012:role/chatbot-dev-backend"
    args = {"project_id": project, "username": arn, "auth_type": "aws_iam_role", "roles": [{"role_name": "readWrite", "database_name": "chatbot"}]}
    created = atlas.run("atlas_database_user", args)
    assert created["changed"] is True
    assert created["user"]["database_name"] == "$external"
    assert created["user"]["aws_iam_type"] == "ROLE"
    info = atlas.run("atlas_database_user_info", {"project_id": project, "username": arn, "auth_type": "aws_iam_role"})
    assert info["users"][0]["username"] == arn
    atlas.emulator.clear_requests()
    assert atlas.run("atlas_database_user", args)["changed"] is False
    assert atlas.writes() == []


def test_x509_managed_user(atlas, project):
    args = {"project_id": project, "username": "CN=chatbot-batch", "auth_type": "x509_managed", "roles": [{"role_name": "read", "database_name": "chatbot"}]}
    created = atlas.run("atlas_database_user", args)
    assert created["user"]["x509_type"] == "MANAGED"
    assert created["user"]["database_name"] == "$external"


def test_check_mode_and_scopes(atlas, project):
    result = atlas.run("atlas_database_user", _user(project, scopes=[{"name": "chatbot-dev"}]), check=True, diff=True)
    assert result["changed"] is True
    assert SECRET not in json.dumps(result)
    assert atlas.writes() == []
    atlas.run("atlas_database_user", _user(project, scopes=[{"name": "chatbot-dev"}]))
    info = atlas.run("atlas_database_user_info", {"project_id": project, "username": "chatbot-app"})
    assert info["users"][0]["scopes"] == [{"name": "chatbot-dev", "type": "CLUSTER"}]


def test_bad_input_fails_in_one_line(atlas, project):
    missing_password = atlas.run("atlas_database_user", {"project_id": project, "username": "u", "roles": ROLES})
    assert missing_password["failed"] is True
    assert missing_password["msg"] == "password is required to create the scram user u"
    bad_arn = atlas.run("atlas_database_user", {"project_id": project, "username": "someone", "auth_type": "aws_iam_user", "roles": ROLES})
    assert bad_arn["failed"] is True
    assert "must be an IAM ARN" in bad_arn["msg"] and "\n" not in bad_arn["msg"]
    assert atlas.writes() == []
