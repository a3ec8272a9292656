"""The ECR modules converge under a seeded schedule of faults: throttling, 5xx before the request reached
the service, and 5xx after the service applied it (the answer lost).

One scenario is the ECR step and a promotion: registry scanning and replication (ecr_registry), a fully
configured repository (ecr_repository), an image gated and promoted to a release tag and the environment
pointer, then a second image promoted so the pointer moves (ecr_image); then the same tasks again, which
must change nothing, and a listing (ecr_image_info). It runs once without faults and then 20 times with
faults, each run from scratch in a region of its own (so no moto reset is needed between runs), in-process,
with two seeded schedules at once: one applied by botocore event hooks (API level), one by an HTTP proxy
in front of moto (HTTP level), about 16 % each so that 30 % of the requests fail. Every run must succeed,
report what the fault-free run reports and leave the same state. A deterministic test loses the first
answer of each kind of write at each level (including DeleteRepository), and playbooks/promote.yml runs
through the proxy too (test_ecr_playbooks.py).
"""

from __future__ import annotations

import contextlib
import json

import boto3
import botocore.session
import pytest
from ecr_helpers import push_image
from faults import KINDS, ApiFaults, FaultProxy, FaultSchedule

from ansible_collections.chatbot.platform.plugins.module_utils._ecr.common import is_write_operation

RUNS = int(__import__("os").environ.get("ECR_FAULT_RUNS", "20"))
RATE = 0.3  # of all requests, across both levels
LEVEL_RATE = 1 - (1 - RATE) ** 0.5  # each level's share: about 16 %
REPLICA_REGION = "sa-east-1"
# Regions other than the tests' default and the replica: one per run, the first for the fault-free run.
RUN_REGIONS = [
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "eu-south-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "ap-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-east-1",
    "me-south-1",
    "af-south-1",
    "eu-central-2",
    "il-central-1",
]
REPO = "chatbot/backend"
ALIAS = "alias/chatbot-ecr"
MOTO_SAMPLE_FINDING = "CVE-9999-9999"  # what moto reports for any scanned image (see docs/modules/ecr.md)
LOST_WRITES_TO_COVER = {"CreateRepository", "PutImage", "StartImageScan"}


def scenario(run, region, endpoint, ecr):
    """The ECR step and two promotions; returns every result, first round and second round."""

    def module(name, args, **kwargs):
        result = run(name, dict(args, region=region, endpoint_url=endpoint), **kwargs)
        assert not result.get("failed"), (name, result.get("msg"))
        assert "exception" not in result and "module_stderr" not in result, result
        return result

    registry = {
        "scanning": {"scan_type": "BASIC", "rules": [{"scan_frequency": "SCAN_ON_PUSH", "repository_filters": ["chatbot/*"]}]},
        "replication_rules": [{"destinations": [{"region": REPLICA_REGION}], "repository_prefixes": ["chatbot/"]}],
    }
    repository = {
        "name": REPO,
        "image_tag_mutability": "immutable_with_exclusion",
        "image_tag_mutability_exclusion_filters": ["dev", "staging", "latest"],
        "scan_on_push": True,
        "encryption": {"type": "KMS", "kms_key": ALIAS},
        "lifecycle_rules": [
            {"tag_status": "tagged", "tag_prefixes": ["staging-"], "max_image_count": 100},
            {"tag_status": "untagged", "max_age_days": 14},
        ],
        "pull_account_ids": ["111111111111", "222222222222"],
        "tags": {"project": "chatbot", "Name": REPO},
    }
    gate = {"max_findings": {"critical": 0, "high": 0}, "allowlist": [{"id": MOTO_SAMPLE_FINDING, "expires": "2999-12-31"}]}
    first = [module("ecr_registry", registry), module("ecr_repository", repository)]
    push_image(ecr, REPO, "dev", f"faults-{region}-1")
    promote = {"repository": REPO, "tag": "dev", "start_scan": True, "wait_for_scan": True, "scan_timeout": 30, "gate": gate}
    first.append(module("ecr_image", dict(promote, promote_tags=["staging-1.0.0", "staging"])))
    push_image(ecr, REPO, "dev", f"faults-{region}-2")
    first.append(module("ecr_image", dict(promote, promote_tags=["staging-1.0.1", "staging"])))
    again = [
        module("ecr_registry", registry),
        module("ecr_repository", repository),
        module("ecr_image", dict(promote, promote_tags=["staging-1.0.1", "staging"])),
        module("ecr_image_info", {"repository": REPO, "tag_status": "tagged"}),
    ]
    return first, again


def snapshot(endpoint, region):
    """Everything the scenario manages in one region, with the region and the per-region key made neutral."""
    ecr = boto3.client("ecr", endpoint_url=endpoint, region_name=region)
    kms = boto3.client("kms", endpoint_url=endpoint, region_name=region)
    repos = {}
    for repo in ecr.describe_repositories()["repositories"]:
        name = repo["repositoryName"]
        encryption = dict(repo["encryptionConfiguration"])
        encryption["kmsKey"] = encryption.get("kmsKey") == kms.describe_key(KeyId=ALIAS)["KeyMetadata"]["Arn"]
        images = ecr.describe_images(repositoryName=name)["imageDetails"]
        repos[name] = {
            "mutability": repo["imageTagMutability"],
            "filters": sorted(f["filter"] for f in repo.get("imageTagMutabilityExclusionFilters") or []),
            "scan_on_push": repo["imageScanningConfiguration"]["scanOnPush"],
            "encryption": encryption,
            "tags": ecr.list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"],
            "lifecycle": json.loads(ecr.get_lifecycle_policy(repositoryName=name)["lifecyclePolicyText"]),
            "policy": json.loads(ecr.get_repository_policy(repositoryName=name)["policyText"]),
            "images": sorted(sorted(i.get("imageTags") or []) for i in images),
            "scanned": sorted((i.get("imageScanStatus") or {}).get("status", "none") for i in images),
        }
    state = {
        "repositories": repos,
        "replication": ecr.describe_registry()["replicationConfiguration"],
        "scanning": ecr.get_registry_scanning_configuration()["scanningConfiguration"],
    }
    return json.loads(json.dumps(state, default=str).replace(region, "<region>"))


VARYING_KEYS = {"invocation", "arn", "uri", "created_at", "pushed_at", "scan_completed_at", "completed_at", "last_pulled_at", "kms_key"}


def comparable(results):
    """Results without what differs between regions and runs (ARNs, URIs, key ARNs, times, image digests)."""
    digests = {image["digest"] for result in results for image in [*result.get("images", []), result.get("image") or {"digest": None}]}

    def walk(node):
        if isinstance(node, dict):
            return {key: "<varies>" if key in VARYING_KEYS and value is not None else walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(value) for value in node]
        return "<digest>" if node in digests else node

    neutral = walk(results)
    for result in neutral:
        if "images" in result:  # newest first; images pushed within the same second come in digest order
            result["images"].sort(key=lambda image: image["tags"])
    return neutral


@pytest.fixture
def faulty_clients(monkeypatch):
    """Every client the modules create gets the hooks of ``holder.faults`` (an ApiFaults) when it is set."""

    class Holder:
        faults = None

    holder = Holder()
    original = botocore.session.Session.create_client

    def create_client(self, *args, **kwargs):
        client = original(self, *args, **kwargs)
        if holder.faults is not None:
            holder.faults.register(client)
        return client

    monkeypatch.setattr(botocore.session.Session, "create_client", create_client)
    return holder


def prepare_region(endpoint, region):
    kms = boto3.client("kms", endpoint_url=endpoint, region_name=region)
    kms.create_alias(AliasName=ALIAS, TargetKeyId=kms.create_key(Description="ecr")["KeyMetadata"]["KeyId"])
    return boto3.client("ecr", endpoint_url=endpoint, region_name=region)


def reference(ecr_runner, endpoint):
    region = RUN_REGIONS[0]
    first, again = scenario(ecr_runner.run, region, endpoint, prepare_region(endpoint, region))
    assert [r["changed"] for r in first] == [True] * 4
    assert [r["changed"] for r in again] == [False] * 4
    return comparable(first), comparable(again), snapshot(endpoint, region)


def run_faulted(ecr_runner, moto_endpoint, faulty_clients, expected):
    """RUNS runs from scratch, each with an API-level and an HTTP-level schedule of its own; one outcome per run."""
    outcomes, schedules = [], []
    for index in range(RUNS):
        region = RUN_REGIONS[index + 1]
        ecr = prepare_region(moto_endpoint, region)
        api, http = FaultSchedule(seed=2 * index, rate=LEVEL_RATE), FaultSchedule(seed=2 * index + 1, rate=LEVEL_RATE)
        schedules.append((api, http))
        faulty_clients.faults = ApiFaults(api)
        try:
            with FaultProxy(moto_endpoint, http) as proxy:
                first, again = scenario(ecr_runner.run, region, proxy.url, ecr)
        except AssertionError as exc:
            outcomes.append(f"failed: {exc}")
            continue
        finally:
            faulty_clients.faults = None
        outcome = "converged"
        got = (comparable(first), comparable(again), snapshot(moto_endpoint, region))
        for part, have, want in zip(("first round", "second round", "final state"), got, expected):
            if have != want:
                outcome = f"{part} diverged from the fault-free run: {_difference(have, want)}"
                break
        outcomes.append(outcome)
    return outcomes, schedules


def _difference(have, want, path=""):
    """The first place where two JSON-like values differ, as one short line."""
    if isinstance(have, dict) and isinstance(want, dict):
        for key in sorted(set(have) | set(want), key=str):
            if have.get(key) != want.get(key):
                return _difference(have.get(key), want.get(key), f"{path}.{key}")
    if isinstance(have, list) and isinstance(want, list) and len(have) == len(want):
        for index, (a, b) in enumerate(zip(have, want)):
            if a != b:
                return _difference(a, b, f"{path}[{index}]")
    return f"{path or '<top>'}: {have!r} != {want!r}"


def test_twenty_runs_converge_under_api_and_http_level_faults(ecr_runner, moto_endpoint, faulty_clients):
    expected = reference(ecr_runner, moto_endpoint)
    outcomes, schedules = run_faulted(ecr_runner, moto_endpoint, faulty_clients, expected)
    failures = [f"run {index}: {outcome}" for index, outcome in enumerate(outcomes) if outcome != "converged"]
    assert not failures, failures
    assert len(outcomes) == RUNS
    # The schedules really hit the modules at both levels, with every kind of fault, and lost the answers of
    # the writes that matter (the deterministic test below covers each of those at each level as well).
    for level, level_schedules in (("API", [api for api, _http in schedules]), ("HTTP", [http for _api, http in schedules])):
        assert set().union(*(s.kinds_seen() for s in level_schedules)) == set(KINDS), level
        assert sum(sum(s.injected.values()) for s in level_schedules) > RUNS * 5, level
    lost = set().union(*(s.lost_writes(is_write_operation) for pair in schedules for s in pair))
    assert lost >= LOST_WRITES_TO_COVER, lost


@pytest.mark.parametrize("level", ["api", "http"])
def test_lost_answers_of_each_write_are_adopted(ecr_runner, moto_endpoint, faulty_clients, ecr, level):
    """Deterministic: the first answer of every write is lost (the write took effect), at each level."""
    writes = {"CreateRepository", "PutLifecyclePolicy", "SetRepositoryPolicy", "PutImage", "StartImageScan", "DeleteRepository"}
    schedule = FaultSchedule(seed=0, rate=1.0, kinds=("after",), only=writes)
    schedule.decide = _first_attempt_only(schedule.decide)
    endpoint = moto_endpoint
    with contextlib.ExitStack() as stack:
        if level == "api":
            faulty_clients.faults = ApiFaults(schedule)
        else:
            endpoint = stack.enter_context(FaultProxy(moto_endpoint, schedule)).url
        created = ecr_runner.run(
            "ecr_repository",
            {
                "name": "lost/answers",
                "endpoint_url": endpoint,
                "pull_account_ids": ["111111111111"],
                "lifecycle_rules": [{"tag_status": "any", "max_image_count": 5}],
            },
        )
        assert created["changed"] is True and not created.get("failed"), created
        push_image(ecr, "lost/answers", "dev", "lost")
        gate = {"max_findings": {"critical": 0}}
        promote = {
            "repository": "lost/answers",
            "endpoint_url": endpoint,
            "tag": "dev",
            "start_scan": True,
            "wait_for_scan": True,
            "scan_timeout": 30,
            "gate": gate,
        }
        promoted = ecr_runner.run("ecr_image", dict(promote, promote_tags=["v1"]))
        assert promoted["changed"] is True and not promoted.get("failed"), promoted
        assert promoted["image"]["tags"] == ["dev", "v1"]
        deleted = ecr_runner.run("ecr_repository", {"name": "lost/answers", "endpoint_url": endpoint, "state": "absent", "force_delete": True})
        assert deleted["changed"] is True and not deleted.get("failed"), deleted
    faulty_clients.faults = None
    assert {op for (_kind, op) in schedule.injected} >= {"CreateRepository", "PutImage", "StartImageScan", "DeleteRepository"}
    assert ecr.describe_repositories()["repositories"] == []


def _first_attempt_only(decide):
    seen = set()

    def once(operation):
        kind = decide(operation)
        if kind is None or operation in seen:
            return None
        seen.add(operation)
        return kind

    return once
