"""atlas_access_list and atlas_access_list_info against the emulator."""

from __future__ import annotations

import datetime

ENTRIES = [
    {"ip_address": "203.0.113.10", "comment": "NAT a"},
    {"cidr_block": "10.20.0.0/16", "comment": "VPC"},
    {"aws_security_group": "sg-0123456789abcdef0", "comment": "backend pods"},
]


def test_add_noop_update_purge(atlas, project):
    created = atlas.run("atlas_access_list", {"project_id": project, "entries": ENTRIES}, diff=True)
    assert created["changed"] is True
    assert created["added"] == ["10.20.0.0/16", "203.0.113.10/32", "sg-0123456789abcdef0"]
    assert [w["method"] for w in atlas.writes()] == ["POST"]  # one request for all entries
    assert {e.get("comment") for e in created["entries"]} == {"NAT a", "VPC", "backend pods"}

    atlas.emulator.clear_requests()
    again = atlas.run("atlas_access_list", {"project_id": project, "entries": ENTRIES})
    assert again["changed"] is False
    assert atlas.writes() == []

    changed = [dict(ENTRIES[0], comment="NAT a (eu-west-1a)"), ENTRIES[1]]
    result = atlas.run("atlas_access_list", {"project_id": project, "entries": changed, "purge": True}, diff=True)
    assert result["changed"] is True
    assert result["updated"] == ["203.0.113.10/32"]
    assert result["removed"] == ["sg-0123456789abcdef0"]
    assert result["diff"]["before"]["203.0.113.10/32"]["comment"] == "NAT a"
    assert result["diff"]["after"]["203.0.113.10/32"]["comment"] == "NAT a (eu-west-1a)"
    methods = sorted(w["method"] for w in atlas.writes())
    assert methods == ["DELETE", "POST"]
    info = atlas.run("atlas_access_list_info", {"project_id": project})
    assert sorted(e["cidr_block"] for e in info["entries"] if e.get("cidr_block")) == ["10.20.0.0/16", "203.0.113.10/32"]


def test_cidr_32_and_ip_are_the_same_entry(atlas, project):
    atlas.run("atlas_access_list", {"project_id": project, "entries": [{"ip_address": "198.51.100.7"}]})
    atlas.emulator.clear_requests()
    result = atlas.run("atlas_access_list", {"project_id": project, "entries": [{"cidr_block": "198.51.100.7/32"}]})
    assert result["changed"] is False
    assert atlas.writes() == []


def test_absent_and_expiry(atlas, project):
    soon = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    entries = [{"cidr_block": "192.0.2.0/24", "comment": "support", "delete_after_date": soon}]
    atlas.run("atlas_access_list", {"project_id": project, "entries": entries})
    atlas.emulator.clear_requests()
    assert atlas.run("atlas_access_list", {"project_id": project, "entries": entries})["changed"] is False
    removed = atlas.run("atlas_access_list", {"project_id": project, "entries": [{"cidr_block": "192.0.2.0/24"}], "state": "absent"})
    assert removed["changed"] is True
    assert removed["removed"] == ["192.0.2.0/24"]
    delete = atlas.writes()[-1]
    assert delete["method"] == "DELETE" and delete["path"].endswith("/accessList/192.0.2.0%2F24")
    assert atlas.run("atlas_access_list_info", {"project_id": project})["entries"] == []


def test_check_mode(atlas, project):
    result = atlas.run("atlas_access_list", {"project_id": project, "entries": ENTRIES}, check=True, diff=True)
    assert result["changed"] is True
    assert len(result["diff"]["after"]) == 3
    assert atlas.writes() == []


def test_malformed_cidr_fails_in_one_line(atlas, project):
    for entry, expected in (
        ({"cidr_block": "10.0.0.1/16"}, "entries[0].cidr_block '10.0.0.1/16' is not a valid CIDR block: 10.0.0.1/16 has host bits set"),
        ({"cidr_block": "10.0.0.0/33"}, "entries[0].cidr_block '10.0.0.0/33' is not a valid CIDR block"),
        ({"ip_address": "300.1.1.1"}, "entries[0].ip_address '300.1.1.1' is not a valid IP address"),
        ({"aws_security_group": "group-1"}, "entries[0].aws_security_group 'group-1' is not a security group id"),
    ):
        result = atlas.run("atlas_access_list", {"project_id": project, "entries": [entry]})
        assert result["failed"] is True
        assert result["msg"].startswith(expected), result["msg"]
        assert "\n" not in result["msg"]
    both = atlas.run("atlas_access_list", {"project_id": project, "entries": [{"cidr_block": "10.0.0.0/8", "ip_address": "10.0.0.1"}]})
    assert both["failed"] is True
    assert "mutually exclusive" in both["msg"]
    assert atlas.writes() == []
