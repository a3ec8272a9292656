# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the Atlas transformations and waiters (no HTTP)."""

from __future__ import annotations

import pytest

from ansible_collections.chatbot.platform.plugins.module_utils._atlas import access_list, clusters, database_users
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.client import AtlasWaitTimeout
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.common import is_subset, normalize_region, to_snake
from ansible_collections.chatbot.platform.plugins.module_utils._atlas.waiters import poll_intervals, wait_for


def _cluster_params(**extra):
    params = {
        "name": "chatbot",
        "cluster_type": "REPLICASET",
        "provider_name": "AWS",
        "region": "eu-west-1",
        "instance_size": "M10",
        "node_count": 3,
        "disk_size_gb": None,
        "auto_scaling": None,
        "replication_specs": None,
        "mongodb_major_version": None,
        "backup_enabled": None,
        "pit_enabled": None,
        "termination_protection_enabled": None,
        "paused": None,
        "tags": None,
    }
    params.update(extra)
    return params


def test_simple_shape_becomes_advanced_replication_specs():
    body = clusters.desired_body(_cluster_params(tags={"env": "dev"}, backup_enabled=True))
    assert body["replicationSpecs"] == [
        {"regionConfigs": [{"providerName": "AWS", "regionName": "EU_WEST_1", "priority": 7, "electableSpecs": {"instanceSize": "M10", "nodeCount": 3}}]}
    ]
    assert body["tags"] == [{"key": "env", "value": "dev"}]
    assert body["backupEnabled"] is True
    assert "mongoDBMajorVersion" not in body  # unset options are not managed


def test_compute_update_only_sends_differences():
    desired = clusters.desired_body(_cluster_params(instance_size="M30", backup_enabled=True))
    current = {
        "name": "chatbot",
        "clusterType": "REPLICASET",
        "backupEnabled": True,
        "replicationSpecs": [
            {
                "id": "s1",
                "zoneId": "z1",
                "regionConfigs": [
                    {
                        "providerName": "AWS",
                        "regionName": "EU_WEST_1",
                        "priority": 7,
                        "electableSpecs": {"instanceSize": "M10", "nodeCount": 3, "diskSizeGB": 10.0},
                    }
                ],
            }
        ],
    }
    patch, fields = clusters.compute_update(desired, current)
    assert fields == ["replicationSpecs"]
    spec = patch["replicationSpecs"][0]
    assert spec["id"] == "s1"  # existing ids are kept
    assert spec["regionConfigs"][0]["electableSpecs"] == {"instanceSize": "M30", "nodeCount": 3, "diskSizeGB": 10.0}
    same, fields = clusters.compute_update(clusters.desired_body(_cluster_params(backup_enabled=True)), current)
    assert same == {} and fields == []


def test_validate_cluster_params():
    assert clusters.validate_params(_cluster_params()) == []
    problems = clusters.validate_params(_cluster_params(name="bad_name!", instance_size="huge", node_count=4, mongodb_major_version="eight"))
    assert len(problems) == 4
    assert any("instance_size 'huge'" in p for p in problems)


def test_subset_comparison_treats_ints_and_floats_alike_but_not_bools():
    assert is_subset({"a": 10, "b": [{"c": 1}]}, {"a": 10.0, "b": [{"c": 1, "d": 2}], "e": 3})
    assert not is_subset({"a": True}, {"a": 1})
    assert not is_subset({"b": [{"c": 1}]}, {"b": [{"c": 1}, {"c": 2}]})


def test_snake_case_and_regions():
    assert to_snake({"mongoDBMajorVersion": "8.0", "diskSizeGB": 10, "awsIAMType": "ROLE"}) == {
        "mongodb_major_version": "8.0",
        "disk_size_gb": 10,
        "aws_iam_type": "ROLE",
    }
    assert normalize_region("eu-west-1") == "EU_WEST_1"


def test_access_list_entries_normalise():
    assert access_list.normalize_entry({"ip_address": "203.0.113.1"}, 0) == ("203.0.113.1/32", {"ipAddress": "203.0.113.1"})
    assert access_list.normalize_entry({"cidr_block": "2001:db8::/32", "comment": "v6"}, 0) == (
        "2001:db8::/32",
        {"cidrBlock": "2001:db8::/32", "comment": "v6"},
    )
    _key, body = access_list.normalize_entry({"cidr_block": "10.0.0.0/8", "delete_after_date": "2030-01-02"}, 0)
    assert body["deleteAfterDate"] == "2030-01-02T00:00:00Z"
    with pytest.raises(ValueError, match="has host bits set"):
        access_list.normalize_entry({"cidr_block": "10.0.0.1/8"}, 3)
    with pytest.raises(ValueError, match=r"entries\[1\]\.cidr_block '10.0.0.0' is not in CIDR notation"):
        access_list.normalize_entry({"cidr_block": "10.0.0.0"}, 1)
    assert access_list.entry_key({"cidrBlock": "203.0.113.1/32", "ipAddress": "203.0.113.1"}) == "203.0.113.1/32"
    assert access_list.entry_path_value({"cidrBlock": "203.0.113.1/32"}) == "203.0.113.1"


def test_database_user_roles_compare_without_order():
    desired = database_users.desired_body(
        {
            "username": "app",
            "auth_type": "scram",
            "roles": [{"role_name": "readWrite", "database_name": "a", "collection_name": None}, {"role_name": "read", "database_name": "b"}],
            "scopes": None,
            "labels": None,
            "description": None,
        }
    )
    assert desired["databaseName"] == "admin"
    current = {"roles": [{"roleName": "read", "databaseName": "b"}, {"roleName": "readWrite", "databaseName": "a"}], "awsIAMType": "NONE", "x509Type": "NONE"}
    assert database_users.compute_update(desired, current) == {}
    current["roles"] = current["roles"][:1]
    assert list(database_users.compute_update(desired, current)) == ["roles"]


def test_poll_intervals_start_short_and_back_off():
    gen = poll_intervals(initial=1.0, factor=1.5, maximum=4.0)
    assert [next(gen) for _step in range(6)] == [1.0, 1.5, 2.25, 3.375, 4.0, 4.0]


def test_wait_for_returns_when_done_and_times_out_with_last_state():
    now = [0.0]
    states = iter(["CREATING", "CREATING", "IDLE"])

    def sleep(seconds):
        now[0] += seconds

    result = wait_for(lambda: {"stateName": next(states)}, lambda c: c["stateName"] == "IDLE", 60, "cluster", sleep=sleep, clock=lambda: now[0])
    assert result == {"stateName": "IDLE"}
    assert now[0] == 2.5  # slept 1.0 then 1.5

    now[0] = 0.0
    with pytest.raises(AtlasWaitTimeout, match=r"timed out after 5s waiting for cluster \(last state: UPDATING\)"):
        wait_for(lambda: {"stateName": "UPDATING"}, lambda c: False, 5, "cluster", sleep=sleep, clock=lambda: now[0])
