"""ecr_registry against moto: replication and scanning configuration.

moto 5.2 does not implement the pull-through cache API (it answers 500), so those rules are covered by unit
tests with botocore's Stubber (tests/unit/plugins/modules/test_ecr_registry_cache.py) instead.
"""

from __future__ import annotations

from ecr_helpers import ACCOUNT_ID

REPLICATION = [{"destinations": [{"region": "eu-central-1"}, {"region": "eu-west-1", "registry_id": "444455556666"}], "repository_prefixes": ["chatbot/"]}]
SCANNING = {
    "scan_type": "ENHANCED",
    "rules": [{"scan_frequency": "CONTINUOUS_SCAN", "repository_filters": ["chatbot/*"]}, {"scan_frequency": "SCAN_ON_PUSH", "repository_filters": ["*"]}],
}


def test_replication_create_noop_update_remove(ecr_runner, ecr, calls):
    preview = ecr_runner.run("ecr_registry", {"replication_rules": REPLICATION}, check=True, diff=True)
    assert preview["changed"] is True and calls.writes() == []
    assert preview["diff"]["before"]["replication_rules"] == []
    assert ecr.describe_registry()["replicationConfiguration"]["rules"] == []

    created = ecr_runner.run("ecr_registry", {"replication_rules": REPLICATION})
    assert created["changed"] is True
    rule = ecr.describe_registry()["replicationConfiguration"]["rules"][0]
    assert sorted((d["region"], d["registryId"]) for d in rule["destinations"]) == [("eu-central-1", ACCOUNT_ID), ("eu-west-1", "444455556666")]
    assert rule["repositoryFilters"] == [{"filter": "chatbot/", "filterType": "PREFIX_MATCH"}]

    calls.clear()
    reordered = [{"destinations": list(reversed(REPLICATION[0]["destinations"])), "repository_prefixes": ["chatbot/"]}]
    assert ecr_runner.run("ecr_registry", {"replication_rules": reordered})["changed"] is False
    assert calls.writes() == []

    removed = ecr_runner.run("ecr_registry", {"replication_rules": []}, diff=True)
    assert removed["changed"] is True and removed["diff"]["after"]["replication_rules"] == []
    assert ecr.describe_registry()["replicationConfiguration"]["rules"] == []


def test_replication_to_itself_is_refused(ecr_runner, calls):
    result = ecr_runner.run("ecr_registry", {"replication_rules": [{"destinations": [{"region": "eu-west-1"}]}]})
    assert result["failed"] is True
    assert "is this registry itself" in result["msg"]
    assert calls.writes() == []


def test_scanning_configuration(ecr_runner, ecr, calls):
    result = ecr_runner.run("ecr_registry", {"scanning": SCANNING}, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["scanning"] == {"scan_type": "BASIC", "rules": []}
    config = ecr.get_registry_scanning_configuration()["scanningConfiguration"]
    assert config["scanType"] == "ENHANCED"
    assert {r["scanFrequency"]: [f["filter"] for f in r["repositoryFilters"]] for r in config["rules"]} == {
        "CONTINUOUS_SCAN": ["chatbot/*"],
        "SCAN_ON_PUSH": ["*"],
    }

    calls.clear()
    again = ecr_runner.run("ecr_registry", {"scanning": {"scan_type": "ENHANCED", "rules": list(reversed(SCANNING["rules"]))}})
    assert again["changed"] is False and calls.writes() == []

    basic = ecr_runner.run(
        "ecr_registry", {"scanning": {"scan_type": "BASIC", "rules": [{"scan_frequency": "SCAN_ON_PUSH", "repository_filters": ["chatbot/*"]}]}}
    )
    assert basic["changed"] is True
    assert ecr.get_registry_scanning_configuration()["scanningConfiguration"]["scanType"] == "BASIC"


def test_bad_scanning_rules_fail_in_one_line(ecr_runner, calls):
    continuous = ecr_runner.run(
        "ecr_registry", {"scanning": {"scan_type": "BASIC", "rules": [{"scan_frequency": "CONTINUOUS_SCAN", "repository_filters": ["*"]}]}}
    )
    assert continuous["failed"] is True and continuous["msg"] == "scanning.rules[0]: CONTINUOUS_SCAN needs scan_type ENHANCED"
    twice = ecr_runner.run(
        "ecr_registry",
        {
            "scanning": {
                "scan_type": "BASIC",
                "rules": [{"scan_frequency": "SCAN_ON_PUSH", "repository_filters": ["a"]}, {"scan_frequency": "SCAN_ON_PUSH", "repository_filters": ["b"]}],
            }
        },
    )
    assert twice["failed"] is True and "appears in more than one rule" in twice["msg"]
    assert calls.writes() == []
