"""Verify the ECR objects the chatbot.platform.ecr role created, straight through boto3.

Exits non-zero with one line per problem; prints one line per verified repository otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys

import boto3


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint-url")
    parser.add_argument("--region", required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--kms-alias", required=True)
    parser.add_argument("--pull-account", required=True)
    parser.add_argument("names", nargs="+")
    args = parser.parse_args()

    session = boto3.session.Session(region_name=args.region)
    ecr = session.client("ecr", endpoint_url=args.endpoint_url or None)
    kms = session.client("kms", endpoint_url=args.endpoint_url or None)
    problems = []

    key = kms.describe_key(KeyId=args.kms_alias)["KeyMetadata"]
    if not kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"]:
        problems.append(f"KMS key {args.kms_alias} has rotation off")

    for name in args.names:
        full = f"{args.prefix}/{name}"
        repos = ecr.describe_repositories(repositoryNames=[full])["repositories"]
        if not repos:
            problems.append(f"{full}: missing")
            continue
        repo = repos[0]
        if repo["imageTagMutability"] != "IMMUTABLE_WITH_EXCLUSION":
            problems.append(f"{full}: tag mutability is {repo['imageTagMutability']}")
        if sorted(f["filter"] for f in repo.get("imageTagMutabilityExclusionFilters", [])) != ["dev", "latest", "prod", "staging"]:
            problems.append(f"{full}: unexpected exclusion filters {repo.get('imageTagMutabilityExclusionFilters')}")
        if not repo["imageScanningConfiguration"]["scanOnPush"]:
            problems.append(f"{full}: scan on push is off")
        if repo["encryptionConfiguration"] != {"encryptionType": "KMS", "kmsKey": key["Arn"]}:
            problems.append(f"{full}: encryption is {repo['encryptionConfiguration']}, expected KMS with {key['Arn']}")
        rules = json.loads(ecr.get_lifecycle_policy(repositoryName=full)["lifecyclePolicyText"])["rules"]
        if [r["selection"].get("tagPrefixList") for r in sorted(rules, key=lambda r: r["rulePriority"])] != [["prod-"], ["staging-"], ["dev-"], None]:
            problems.append(f"{full}: unexpected lifecycle rules {rules}")
        policy = json.loads(ecr.get_repository_policy(repositoryName=full)["policyText"])
        statement = policy["Statement"][0]
        principals = statement["Principal"]["AWS"]
        principals = [principals] if isinstance(principals, str) else principals
        if f"arn:aws:iam::{args.pull_account}:root" not in principals or any("Put" in a or "Upload" in a for a in statement["Action"]):
            problems.append(f"{full}: pull policy does not grant read-only access to {args.pull_account}: {statement}")
        tags = {t["Key"]: t["Value"] for t in ecr.list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"]}
        if tags.get("Name") != full or tags.get("Project") != "chatbot":
            problems.append(f"{full}: tags are {tags}")
        print(f"ok {full} {repo['repositoryUri']}")

    scanning = ecr.get_registry_scanning_configuration()["scanningConfiguration"]
    filters = [f["filter"] for rule in scanning.get("rules", []) for f in rule.get("repositoryFilters", [])]
    if f"{args.prefix}/*" not in filters:
        problems.append(f"registry scanning rules do not cover {args.prefix}/*: {scanning}")
    else:
        print(f"ok registry scanning {scanning['scanType']} covers {args.prefix}/*")

    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
