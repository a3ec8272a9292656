# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the Atlas transformations and waiters (no HTTP)."""

from __future__ import annotations

import datetime
import re

import pytest

from ansible_collections.chatbot.platform.plugins.module_utils._atlas import access_list, clusters, database_users, private_endpoints, spec_facts
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
    # IPv6 goes out with all eight groups: the only form the specification's cidrBlock/ipAddress patterns accept.
    assert access_list.normalize_entry({"cidr_block": "2001:db8::/32", "comment": "v6"}, 0) == (
        "2001:db8::/32",
        {"cidrBlock": "2001:db8:0:0:0:0:0:0/32", "comment": "v6"},
    )
    now = datetime.datetime(2029, 12, 30, tzinfo=datetime.timezone.utc)
    _key, body = access_list.normalize_entry({"cidr_block": "10.0.0.0/8", "delete_after_date": "2030-01-02"}, 0, now=now)
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


# ---------------------------------------------------------------- held against the specification (issue 21)
def test_instance_sizes_and_regions_come_from_the_specification_per_provider():
    # GEN_2 sizes are real sizes; M7 is no provider's size; M90 exists on Azure only.
    assert clusters.validate_params(_cluster_params(instance_size="M30_GEN_2")) == []
    assert "'M7' is not an Atlas instance size of AWS" in clusters.validate_params(_cluster_params(instance_size="M7"))[0]
    assert "'M90' is not an Atlas instance size of AWS" in clusters.validate_params(_cluster_params(instance_size="M90"))[0]
    assert clusters.validate_params(_cluster_params(provider_name="AZURE", region="EUROPE_WEST", instance_size="M90")) == []
    assert "'EU_WEST_9' is not an Atlas region of AWS" in clusters.validate_params(_cluster_params(region="eu-west-9"))[0]
    scaling = {"compute_min_instance_size": "M10", "compute_max_instance_size": "M700"}
    assert "auto_scaling.compute_max_instance_size 'M700'" in clusters.validate_params(_cluster_params(auto_scaling=scaling))[0]
    assert set(spec_facts.INSTANCE_SIZES) == {"AWS", "AZURE", "GCP"}


def test_major_version_moves_one_step_up_or_down_to_a_pinned_fcv():
    assert clusters.check_major_version_change({"mongoDBMajorVersion": "7.0"}, "8.0") is None
    assert "one major version at a time" in clusters.check_major_version_change({"mongoDBMajorVersion": "6.0"}, "8.0")
    assert "cannot go down from 8.0 to 7.0" in clusters.check_major_version_change({"mongoDBMajorVersion": "8.0"}, "7.0")
    pinned = {"mongoDBMajorVersion": "8.0", "featureCompatibilityVersion": "7.0", "featureCompatibilityVersionExpirationDate": "2030-01-01T00:00:00Z"}
    assert clusters.check_major_version_change(pinned, "7.0") is None
    assert clusters.check_major_version_change(pinned, "6.0") is not None


def test_paused_cluster_is_resumed_alone_before_other_changes():
    bodies, problem = clusters.split_for_pause({"paused": False, "backupEnabled": True}, {"paused": True})
    assert (bodies, problem) == ([{"paused": False}, {"backupEnabled": True}], None)
    bodies, problem = clusters.split_for_pause({"backupEnabled": True}, {"paused": True})
    assert bodies == [] and "set paused: false to apply backupEnabled" in problem
    assert clusters.split_for_pause({"paused": True, "tags": []}, {"paused": False}) == ([{"tags": []}, {"paused": True}], None)
    assert clusters.split_for_pause({"tags": []}, {"paused": False}) == ([{"tags": []}], None)


def test_database_user_patch_carries_the_fields_the_specification_requires():
    desired = {"username": "app", "databaseName": "admin", "roles": [{"roleName": "read", "databaseName": "x"}]}
    body = database_users.patch_body(desired, {"roles": []}, {"description": "d"}, "p1")
    assert body == {"description": "d", "databaseName": "admin", "groupId": "p1", "roles": desired["roles"], "username": "app"}
    assert set(spec_facts.DATABASE_USER_REQUIRED) <= set(body)
    # roles not managed: the ones Atlas has are sent back unchanged
    body = database_users.patch_body({"username": "app", "databaseName": "admin"}, {"roles": [{"roleName": "r", "databaseName": "y"}]}, {}, "p1")
    assert body["roles"] == [{"roleName": "r", "databaseName": "y"}]
    assert "STREAM" in database_users.SCOPE_TYPES


def test_access_list_expiry_is_at_most_a_week_ahead_and_forms_follow_the_specification():
    now = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
    access_list.normalize_entry({"ip_address": "203.0.113.1", "delete_after_date": "2030-01-08T00:00:00Z"}, 0, now=now)
    for late in ("2030-01-08T00:00:01Z", "2031-01-01", "2029-12-31"):
        with pytest.raises(ValueError, match="at most one week ahead"):
            access_list.normalize_entry({"ip_address": "203.0.113.1", "delete_after_date": late}, 0, now=now)
    with pytest.raises(ValueError, match="does not accept delete_after_date on a security group"):
        access_list.normalize_entry({"aws_security_group": "sg-0123456789abcdef0", "delete_after_date": "2030-01-02"}, 0, now=now)
    key, body = access_list.normalize_entry({"aws_security_group": "123456789012/sg-0123456789abcdef0"}, 0)
    assert body == {"awsSecurityGroup": "123456789012/sg-0123456789abcdef0"}
    key, body = access_list.normalize_entry({"ip_address": "2001:DB8::1"}, 0)
    assert (key, body) == ("2001:db8::1/128", {"ipAddress": "2001:db8:0:0:0:0:0:1"})
    assert re.search(spec_facts.ACCESS_LIST_IP_ADDRESS_PATTERN, body["ipAddress"])
    assert access_list.entry_path_value({"cidrBlock": "2001:db8::/48"}) == "2001:db8:0:0:0:0:0:0/48"
    assert access_list.entry_path_value({"ipAddress": "2001:db8::1", "cidrBlock": "2001:db8::1/128"}) == "2001:db8:0:0:0:0:0:1"
    with pytest.raises(ValueError, match=f"longer than the {spec_facts.ACCESS_LIST_COMMENT_MAX_LENGTH} characters"):
        access_list.normalize_entry({"ip_address": "203.0.113.1", "comment": "x" * (spec_facts.ACCESS_LIST_COMMENT_MAX_LENGTH + 1)}, 0)


def test_interface_endpoint_ids_are_vpce_and_17_hex_digits():
    assert private_endpoints.VPC_ENDPOINT_PATTERN.match("vpce-0a1b2c3d4e5f60718")
    assert not private_endpoints.VPC_ENDPOINT_PATTERN.match("vpce-0a1b2c3d")
    assert not private_endpoints.VPC_ENDPOINT_PATTERN.match("vpce-0a1b2c3d4e5f607189")


def test_waiter_schedule_fits_the_operation_and_honours_retry_after():
    now = [0.0]
    polls = []

    def sleep(seconds):
        now[0] += seconds

    def fetch():
        polls.append(now[0])
        return {"stateName": "IDLE" if now[0] >= 300 else "CREATING"}

    wait_for(fetch, lambda c: c["stateName"] == "IDLE", 3600, "cluster", sleep=sleep, clock=lambda: now[0], schedule="create", first_poll_now=False)
    assert polls == [2.0, 10.0, 120.0, 150.0, 180.0, 210.0, 240.0, 270.0, 300.0]  # a fixed 30 s poller makes 10 calls

    now[0], polls[:] = 0.0, []
    hints = iter([None, 40.0, None, None, None])
    wait_for(fetch, lambda c: c["stateName"] == "IDLE" or now[0] >= 60, 3600, "cluster", sleep=sleep, clock=lambda: now[0],
             schedule="update", hint=lambda: next(hints), first_poll_now=False)  # fmt: skip
    assert polls[:3] == [5.0, 12.5, 52.5]  # the 40 s Retry-After replaced the 11.25 s interval
    assert clusters.wait_kind({"tags": []}) == "update_settings"
    assert clusters.wait_kind({"tags": [], "replicationSpecs": []}) == "update"
