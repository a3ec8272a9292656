"""Modules run by `ansible` itself (AnsiballZ, separate process), with credentials from the environment."""

from __future__ import annotations

import atlas_emulator


def test_wrong_credential_fails_in_one_readable_line(atlas):
    result, proc = atlas.run_cli("atlas_project_info", {"client_secret": "wrong-secret"})
    assert result["failed"] is True
    assert result["msg"].startswith("Atlas refused the service account credentials (HTTP 401")
    assert "\n" not in result["msg"]
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "wrong-secret" not in proc.stdout


def test_wrong_api_key_fails_in_one_readable_line(atlas):
    args = {"base_url": atlas.emulator.base_url, "public_key": "localpub", "private_key": "nope"}
    result, _proc = atlas.run_cli("atlas_project_info", args, connection=False)
    assert result["failed"] is True
    assert "HTTP 401" in result["msg"] and "check the Atlas credentials" in result["msg"]
    assert "\n" not in result["msg"]


def test_digest_api_key_from_environment_creates_and_is_idempotent(atlas, org_id):
    env = {
        "MONGODB_ATLAS_PUBLIC_KEY": atlas_emulator.DEFAULT_PUBLIC_KEY,
        "MONGODB_ATLAS_PRIVATE_KEY": atlas_emulator.DEFAULT_PRIVATE_KEY,
        "MONGODB_ATLAS_BASE_URL": atlas.emulator.base_url,
    }
    args = {"name": "chatbot-cli", "org_id": org_id}
    created, _proc = atlas.run_cli("atlas_project", args, env=env, diff=True, connection=False)
    assert created["changed"] is True, created
    assert created["project"]["name"] == "chatbot-cli"
    assert atlas.emulator.request_log()[0]["status"] == 401  # the Digest challenge
    atlas.emulator.clear_requests()
    again, _proc = atlas.run_cli("atlas_project", args, env=env, connection=False)
    assert again["changed"] is False
    assert atlas.writes() == []


def test_malformed_cidr_through_ansible(atlas, project):
    result, proc = atlas.run_cli("atlas_access_list", {"project_id": project, "entries": [{"cidr_block": "10.0.0.0/40"}]})
    assert result["failed"] is True
    assert result["msg"].startswith("entries[0].cidr_block '10.0.0.0/40' is not a valid CIDR block")
    assert "Traceback" not in proc.stdout + proc.stderr


def test_password_is_not_logged(atlas, project):
    secret = "Very-Secret-Passw0rd"
    args = {"project_id": project, "username": "app", "password": secret, "roles": [{"role_name": "readWrite", "database_name": "chatbot"}]}
    result, proc = atlas.run_cli("atlas_database_user", args, diff=True)
    assert result["changed"] is True
    assert secret not in proc.stdout + proc.stderr
