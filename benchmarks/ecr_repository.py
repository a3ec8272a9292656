"""How many API calls chatbot.platform.ecr_repository makes, next to community.aws.ecs_ecr on the same settings.

    .venv/bin/python benchmarks/ecr_repository.py [--repositories 10]

Starts moto in this process on a free loopback port and runs both modules in-process with a botocore event
hook that counts every API call:

- the anchor: the settings both modules support (immutable tags, scan on push, AES256, a lifecycle policy and
  a repository policy), first run and no-op, for ours (targets: first run <= 5 calls, no-op <= 3 reads) and
  for community.aws.ecs_ecr (printed for comparison; no target);
- the platform's own settings (roles/ecr: exclusion filters, a KMS key given by alias, structured lifecycle
  rules, pull accounts, tags): first run and no-op, ours only (ecs_ecr has no tags or exclusion filters);
- a loop over N repositories (default 10) with the anchor settings: the calls must be N times those of one
  repository, with no per-run overhead beyond that; the wall time per repository is printed too.

Also checks that a no-op makes no write call and that the peer's no-op leaves the same repository behind.
Exits non-zero when a target is exceeded or the loop does not scale linearly; the tests never time anything.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import boto3
from ecr_bench import REGION, Meter, check_targets, moto_endpoint, run_module

OURS = "chatbot.platform.plugins.modules.ecr_repository"
PEER = "community.aws.plugins.modules.ecs_ecr"
WRITE_PREFIXES = ("Create", "Put", "Set", "Delete", "Tag", "Untag")
LIFECYCLE = {
    "rules": [
        {
            "rulePriority": 1,
            "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14},
            "action": {"type": "expire"},
        }
    ]
}
POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "CrossAccountPull",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
            "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        }
    ],
}


def anchor_ours(name):
    return {
        "name": name,
        "image_tag_mutability": "immutable",
        "scan_on_push": True,
        "encryption": {"type": "AES256"},
        "lifecycle_policy": LIFECYCLE,
        "policy": POLICY,
    }


def anchor_peer(name):
    # No encryption_configuration: ecs_ecr fails with encryption_type AES256 (it sends kmsKey: null, which botocore
    # refuses), and AES256 is what ECR uses when none is given, so both end with the same encryption.
    return {
        "name": name,
        "image_tag_mutability": "immutable",
        "scan_on_push": True,
        "lifecycle_policy": json.dumps(LIFECYCLE),
        "policy": json.dumps(POLICY),
    }


def platform_settings(name):
    """What roles/ecr passes for each repository (defaults of roles/ecr/defaults/main.yml)."""
    return {
        "name": name,
        "image_tag_mutability": "immutable_with_exclusion",
        "image_tag_mutability_exclusion_filters": ["latest", "dev", "staging", "prod"],
        "scan_on_push": True,
        "encryption": {"type": "KMS", "kms_key": "alias/bench-ecr"},
        "lifecycle_rules": [
            {"tag_status": "tagged", "tag_prefixes": ["prod-"], "max_image_count": 1000},
            {"tag_status": "tagged", "tag_prefixes": ["staging-"], "max_image_count": 100},
            {"tag_status": "tagged", "tag_prefixes": ["dev-"], "max_image_count": 50},
            {"tag_status": "untagged", "max_age_days": 14},
        ],
        "pull_account_ids": ["111111111111", "222222222222", "333333333333"],
        "tags": {"project": "chatbot", "Name": name},
    }


def writes(calls):
    return [call for call in calls if call.startswith(WRITE_PREFIXES)]


def first_and_noop(module, endpoint, meter, args):
    first, first_calls = run_module(module, endpoint, meter, args)
    again, again_calls = run_module(module, endpoint, meter, args)
    if not first.get("changed") or again.get("changed") or writes(again_calls):
        raise SystemExit(f"{module}: expected a change then a no-op without writes, got {first.get('changed')}, {again.get('changed')}, {again_calls}")
    return first_calls, again_calls


def describe(ecr, name):
    repo = ecr.describe_repositories(repositoryNames=[name])["repositories"][0]
    return {
        "mutability": repo["imageTagMutability"],
        "scan_on_push": repo["imageScanningConfiguration"]["scanOnPush"],
        "encryption": repo["encryptionConfiguration"]["encryptionType"],
        "lifecycle": json.loads(ecr.get_lifecycle_policy(repositoryName=name)["lifecyclePolicyText"]),
        "policy": json.loads(ecr.get_repository_policy(repositoryName=name)["policyText"]),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repositories", type=int, default=10, help="repositories in the loop (default 10)")
    args = parser.parse_args()

    meter = Meter()
    meter.install()
    with moto_endpoint() as endpoint:
        ecr = boto3.client("ecr", endpoint_url=endpoint, region_name=REGION)
        kms = boto3.client("kms", endpoint_url=endpoint, region_name=REGION)
        kms.create_alias(AliasName="alias/bench-ecr", TargetKeyId=kms.create_key()["KeyMetadata"]["KeyId"])

        ours_first, ours_noop = first_and_noop(OURS, endpoint, meter, anchor_ours("bench/ours"))
        peer_first, peer_noop = first_and_noop(PEER, endpoint, meter, anchor_peer("bench/peer"))
        platform_first, platform_noop = first_and_noop(OURS, endpoint, meter, platform_settings("bench/platform"))
        same_result = describe(ecr, "bench/ours") == describe(ecr, "bench/peer")

        loop_first, loop_noop = [], []
        started = time.perf_counter()
        for index in range(args.repositories):
            loop_first += run_module(OURS, endpoint, meter, anchor_ours(f"bench/loop-{index}"))[1]
        first_seconds = time.perf_counter() - started
        started = time.perf_counter()
        for index in range(args.repositories):
            loop_noop += run_module(OURS, endpoint, meter, anchor_ours(f"bench/loop-{index}"))[1]
        noop_seconds = time.perf_counter() - started

    print(f"ecr_repository and community.aws.ecs_ecr against moto {endpoint}")
    print()
    print("Anchor settings (immutable, scan on push, AES256, lifecycle policy, repository policy):")
    over = check_targets(
        [
            ("ecr_repository first run", ours_first, 5),
            ("ecr_repository no-op", ours_noop, 3),
        ]
    )
    print(f"{'community.aws.ecs_ecr first run':<31} {len(peer_first):>5}  (peer): {', '.join(peer_first)}")
    print(f"{'community.aws.ecs_ecr no-op':<31} {len(peer_noop):>5}  (peer): {', '.join(peer_noop)}")
    print(f"both leave the same repository settings behind: {same_result}")
    print()
    print("The platform's own settings (roles/ecr: exclusion filters, KMS alias, lifecycle rules, pull accounts, tags):")
    print(f"  first run {len(platform_first)}: {', '.join(platform_first)}")
    print(f"  no-op     {len(platform_noop)}: {', '.join(platform_noop)}")
    print()
    n = args.repositories
    linear = len(loop_first) == n * len(ours_first) and len(loop_noop) == n * len(ours_noop)
    print(f"{n} repositories in one loop (anchor settings):")
    for label, calls, single, seconds in (("first runs", loop_first, ours_first, first_seconds), ("no-ops", loop_noop, ours_noop, noop_seconds)):
        same = len(calls) == n * len(single)
        print(f"  {label:<10} {len(calls)} calls (= {n} x {len(single)}: {same}), {seconds / n * 1000:.0f} ms per repository")
    print()
    failed = bool(over) or not linear or not same_result
    if not linear:
        print("FAIL: the loop makes calls beyond those of each repository on its own")
    if not same_result:
        print("FAIL: the two modules left different settings behind, so the comparison is not like for like")
    print("FAIL: see above" if failed else "PASS: within the targets, linear in the number of repositories")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
