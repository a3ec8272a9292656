# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Repository reads and writes, and the transformation between the API shape and the module's shape."""

from __future__ import annotations

import json

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list, boto3_tag_list_to_ansible_dict
from ansible_collections.chatbot.platform.plugins.module_utils._ecr.common import EcrError, iso_time, registry_kwargs

MUTABILITY_CHOICES = ("mutable", "immutable", "mutable_with_exclusion", "immutable_with_exclusion")
ENCRYPTION_TYPES = ("AES256", "KMS", "KMS_DSSE")


def get_repository(api, name, registry_id=None):
    response = api.call(
        "describe_repositories",
        f"describe repository {name!r}",
        missing=("RepositoryNotFoundException",),
        repositoryNames=[name],
        **registry_kwargs(registry_id),
    )
    if not response or not response.get("repositories"):
        return None
    return response["repositories"][0]


def get_tags(api, arn):
    response = api.call("list_tags_for_resource", "list repository tags", resourceArn=arn)
    return boto3_tag_list_to_ansible_dict(response.get("tags") or [])


def get_lifecycle_policy(api, name, registry_id=None):
    response = api.call(
        "get_lifecycle_policy",
        f"read the lifecycle policy of {name!r}",
        missing=("LifecyclePolicyNotFoundException",),
        repositoryName=name,
        **registry_kwargs(registry_id),
    )
    if not response or not response.get("lifecyclePolicyText"):
        return None
    return json.loads(response["lifecyclePolicyText"])


def get_repository_policy(api, name, registry_id=None):
    response = api.call(
        "get_repository_policy",
        f"read the repository policy of {name!r}",
        missing=("RepositoryPolicyNotFoundException",),
        repositoryName=name,
        **registry_kwargs(registry_id),
    )
    if not response or not response.get("policyText"):
        return None
    return json.loads(response["policyText"])


OPTIONAL_SETTINGS = ("tags", "lifecycle_policy", "policy")


def repository_view(repo):
    """The settings DescribeRepositories (or CreateRepository) returns, in the module's own shape."""
    encryption = repo.get("encryptionConfiguration") or {"encryptionType": "AES256"}
    return {
        "name": repo["repositoryName"],
        "arn": repo["repositoryArn"],
        "uri": repo.get("repositoryUri"),
        "registry_id": repo.get("registryId"),
        "created_at": iso_time(repo.get("createdAt")),
        "image_tag_mutability": (repo.get("imageTagMutability") or "MUTABLE").lower(),
        "image_tag_mutability_exclusion_filters": [f["filter"] for f in repo.get("imageTagMutabilityExclusionFilters") or []],
        "scan_on_push": bool((repo.get("imageScanningConfiguration") or {}).get("scanOnPush")),
        "encryption": {"type": encryption.get("encryptionType"), "kms_key": encryption.get("kmsKey")},
    }


def repository_state(api, repo, read=OPTIONAL_SETTINGS):
    """The repository in the module's shape, with those of tags, lifecycle policy and policy named in ``read``.

    Each of the three costs a call of its own, so the module reads only the ones it manages.
    """
    state = repository_view(repo)
    if "tags" in read:
        state["tags"] = get_tags(api, repo["repositoryArn"])
    if "lifecycle_policy" in read:
        state["lifecycle_policy"] = get_lifecycle_policy(api, state["name"], state["registry_id"])
    if "policy" in read:
        state["policy"] = get_repository_policy(api, state["name"], state["registry_id"])
    return state


def mutability_request(mutability, filters):
    request = {"imageTagMutability": mutability.upper()}
    if filters:
        request["imageTagMutabilityExclusionFilters"] = [{"filterType": "WILDCARD", "filter": f} for f in filters]
    return request


def create_repository(api, name, registry_id, mutability, filters, scan_on_push, encryption, tags):
    params = dict(repositoryName=name, **registry_kwargs(registry_id))
    params.update(mutability_request(mutability, filters))
    params["imageScanningConfiguration"] = {"scanOnPush": bool(scan_on_push)}
    if encryption:
        params["encryptionConfiguration"] = {"encryptionType": encryption["type"]}
        if encryption.get("kms_key"):
            params["encryptionConfiguration"]["kmsKey"] = encryption["kms_key"]
    if tags:
        params["tags"] = ansible_dict_to_boto3_tag_list(tags)
    return api.call("create_repository", f"create repository {name!r}", **params)["repository"]


def create_or_adopt_repository(api, name, registry_id, *create_args):
    """Create the repository; returns (repository, adopted).

    When ECR answers RepositoryAlreadyExistsException (an earlier attempt whose answer was lost created it,
    or somebody else did in the meantime), the existing repository is read and returned with adopted=True,
    so the caller reconciles it like any existing repository instead of failing.
    """
    try:
        return create_repository(api, name, registry_id, *create_args), False
    except EcrError as exc:
        if exc.extra.get("error_code") != "RepositoryAlreadyExistsException":
            raise
        existing = get_repository(api, name, registry_id)
        if existing is None:
            raise
        return existing, True


def put_mutability(api, name, registry_id, mutability, filters):
    api.call(
        "put_image_tag_mutability",
        f"set image tag mutability of {name!r}",
        repositoryName=name,
        **registry_kwargs(registry_id),
        **mutability_request(mutability, filters),
    )


def put_scan_on_push(api, name, registry_id, scan_on_push):
    api.call(
        "put_image_scanning_configuration",
        f"set scan on push of {name!r}",
        repositoryName=name,
        imageScanningConfiguration={"scanOnPush": bool(scan_on_push)},
        **registry_kwargs(registry_id),
    )


def update_tags(api, arn, to_set, to_remove):
    if to_remove:
        api.call("untag_resource", "remove repository tags", resourceArn=arn, tagKeys=list(to_remove))
    if to_set:
        api.call("tag_resource", "tag repository", resourceArn=arn, tags=ansible_dict_to_boto3_tag_list(to_set))


def put_lifecycle_policy(api, name, registry_id, document):
    api.call(
        "put_lifecycle_policy",
        f"put the lifecycle policy of {name!r}",
        repositoryName=name,
        lifecyclePolicyText=json.dumps(document, sort_keys=True),
        **registry_kwargs(registry_id),
    )


def delete_lifecycle_policy(api, name, registry_id):
    api.call(
        "delete_lifecycle_policy",
        f"delete the lifecycle policy of {name!r}",
        missing=("LifecyclePolicyNotFoundException",),
        repositoryName=name,
        **registry_kwargs(registry_id),
    )


def set_repository_policy(api, name, registry_id, document):
    api.call(
        "set_repository_policy",
        f"set the repository policy of {name!r}",
        repositoryName=name,
        policyText=json.dumps(document, sort_keys=True),
        **registry_kwargs(registry_id),
    )


def delete_repository_policy(api, name, registry_id):
    api.call(
        "delete_repository_policy",
        f"delete the repository policy of {name!r}",
        missing=("RepositoryPolicyNotFoundException",),
        repositoryName=name,
        **registry_kwargs(registry_id),
    )


def count_images(api, name, registry_id, limit=1000):
    """How many images the repository holds (stops counting at ``limit``)."""
    response = api.call("list_images", f"list images of {name!r}", repositoryName=name, maxResults=limit, **registry_kwargs(registry_id))
    return len({i.get("imageDigest") for i in (response or {}).get("imageIds") or []})


def delete_repository(api, name, registry_id, force):
    # Not found: an earlier attempt whose answer was lost (or somebody else) deleted it already.
    api.call(
        "delete_repository",
        f"delete repository {name!r}",
        missing=("RepositoryNotFoundException",),
        repositoryName=name,
        force=bool(force),
        **registry_kwargs(registry_id),
    )
