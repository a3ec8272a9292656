#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ecr_repository
short_description: Create, update or delete an Amazon ECR repository and its settings
version_added: 0.1.0
description:
  - Manages one private Amazon ECR repository with its tags, image tag mutability (including exclusion
    filters), scan on push, encryption, lifecycle policy and repository policy.
  - Options that are left out are left alone on an existing repository. In particular an omitted
    O(image_tag_mutability) never turns an immutable repository back into a mutable one.
  - Lifecycle and repository policies are compared by meaning, not by text, so key order, spacing,
    one-element lists and account IDs written as root ARNs do not cause an update.
  - Encryption cannot be changed once a repository exists. A request for different encryption fails
    with a message that says so instead of passing silently. KMS keys given as an alias or key ID are
    resolved to the key ARN before they are compared.
  - Only the settings that are given are read, and nothing is read back after a write; the result is
    built from the answers of the writes.
  - Every call is retried with jittered back-off on throttling, HTTP 5xx and connection failures, within
    a time budget. A create whose answer was lost is not an error on the retry; the repository that
    attempt created is adopted and brought in line like any existing one.
author:
  - chatbot.platform maintainers (@chatbot-platform)
options:
  name:
    description:
      - Name of the repository, for example V(chatbot/frontend).
    type: str
    required: true
    aliases: [repository_name]
  registry_id:
    description:
      - ID of the registry (the 12-digit AWS account ID) that holds the repository. Defaults to the caller's account.
      - ECR creates repositories only in the caller's own registry, so a missing repository with another
        account's O(registry_id) fails with a message instead of being created.
    type: str
  state:
    description:
      - V(present) creates the repository when missing and brings the given settings in line.
      - V(absent) deletes it. A repository that still holds images is only deleted with O(force_delete=true).
    type: str
    choices: [present, absent]
    default: present
  image_tag_mutability:
    description:
      - Whether tags can be moved to another image once pushed.
      - V(immutable_with_exclusion) keeps every tag immutable except those matching
        O(image_tag_mutability_exclusion_filters); V(mutable_with_exclusion) is the reverse.
      - When the repository is created and this option is omitted it is created V(immutable)
        (secure by default). On an existing repository an omitted value is left alone.
    type: str
    choices: [mutable, immutable, mutable_with_exclusion, immutable_with_exclusion]
  image_tag_mutability_exclusion_filters:
    description:
      - Tag filters (1 to 5) that are the exception to O(image_tag_mutability). C(*) matches any
        run of characters, for example V(latest) or V(dev-*).
      - Required with the C(*_with_exclusion) choices and not allowed with the others.
    type: list
    elements: str
  scan_on_push:
    description:
      - Scan each image for vulnerabilities when it is pushed (basic scanning).
      - When the repository is created and this option is omitted, scan on push is enabled.
      - With enhanced scanning enabled on the registry (M(chatbot.platform.ecr_registry)) the registry
        rules decide instead.
    type: bool
  encryption:
    description:
      - Encryption at rest. Only applied at creation; ECR cannot change it later, so a different
        value on an existing repository fails.
      - When omitted, a new repository uses AES256 and an existing one is not checked.
    type: dict
    suboptions:
      type:
        description:
          - V(AES256) (S3-managed keys), V(KMS) or V(KMS_DSSE) (dual-layer).
        type: str
        choices: [AES256, KMS, KMS_DSSE]
        required: true
      kms_key:
        description:
          - KMS key as key ID, key ARN, V(alias/<name>) or alias ARN. Resolved to the key ARN.
          - When omitted with a KMS type, ECR uses the AWS managed key C(aws/ecr) and only the type is compared.
        type: str
  lifecycle_policy:
    description:
      - Lifecycle policy as a JSON string or a dictionary in the ECR format (an object with a C(rules) list).
      - An empty string or empty dictionary removes the lifecycle policy.
      - Mutually exclusive with O(lifecycle_rules).
    type: raw
  lifecycle_rules:
    description:
      - Lifecycle policy written as a list of rules; the module builds and validates the policy.
      - An empty list removes the lifecycle policy.
      - Mutually exclusive with O(lifecycle_policy).
    type: list
    elements: dict
    suboptions:
      priority:
        description:
          - Rule priority; lower numbers are evaluated first. Defaults to the position in the list (1, 2, ...).
          - The rule with O(lifecycle_rules[].tag_status=any) must have the highest priority number.
        type: int
      description:
        description:
          - Free-text description stored with the rule.
        type: str
      tag_status:
        description:
          - Which images the rule looks at.
        type: str
        choices: [tagged, untagged, any]
        required: true
      tag_prefixes:
        description:
          - With V(tagged), images with a tag starting with one of these prefixes.
        type: list
        elements: str
      tag_patterns:
        description:
          - With V(tagged), images with a tag matching one of these wildcard patterns (up to four C(*) each).
        type: list
        elements: str
      max_image_count:
        description:
          - Keep this many of the most recent matching images and expire the rest.
        type: int
      max_age_days:
        description:
          - Expire matching images pushed more than this many days ago.
        type: int
  policy:
    description:
      - Repository policy as a JSON string or a dictionary.
      - An empty string or empty dictionary removes the repository policy.
      - Mutually exclusive with O(pull_account_ids).
    type: raw
  pull_account_ids:
    description:
      - AWS account IDs that may pull (never push) images, for example the accounts of the dev,
        staging and prod clusters. The module writes a repository policy with one C(CrossAccountPull)
        statement granting C(ecr:BatchGetImage), C(ecr:BatchCheckLayerAvailability) and
        C(ecr:GetDownloadUrlForLayer) to the root principal of each account.
      - An empty list removes the repository policy.
      - Mutually exclusive with O(policy).
    type: list
    elements: str
  force_delete:
    description:
      - With O(state=absent), delete the repository even when it still holds images (they are deleted too).
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: Reports what would change without calling any write operation.
  diff_mode:
    support: full
    description: Shows the managed settings before and after.
"""

EXAMPLES = r"""
- name: Repository for the chatbot frontend, pulled by the environment accounts
  chatbot.platform.ecr_repository:
    name: chatbot/frontend
    image_tag_mutability: immutable_with_exclusion
    image_tag_mutability_exclusion_filters: [latest]
    scan_on_push: true
    encryption:
      type: KMS
      kms_key: alias/chatbot-ecr
    lifecycle_rules:
      - description: Drop untagged images after a week
        tag_status: untagged
        max_age_days: 7
      - description: Keep the last 50 release builds
        tag_status: tagged
        tag_prefixes: [v]
        max_image_count: 50
    pull_account_ids:
      - "111111111111"
      - "222222222222"
    tags:
      project: chatbot
  register: frontend

- name: Show where to push
  ansible.builtin.debug:
    msg: "{{ frontend.repository.uri }}"

- name: Lifecycle policy given as JSON, against a local endpoint
  chatbot.platform.ecr_repository:
    name: scratch
    endpoint_url: http://127.0.0.1:4566
    lifecycle_policy: "{{ lookup('ansible.builtin.file', 'lifecycle.json') }}"

- name: Delete a repository together with its images
  chatbot.platform.ecr_repository:
    name: scratch
    state: absent
    force_delete: true
"""

RETURN = r"""
repository:
  description: The repository after the change (in check mode, as it would be). Empty when absent.
  returned: always
  type: dict
  contains:
    name:
      description: Repository name.
      type: str
      sample: chatbot/frontend
    arn:
      description: Repository ARN. Null when the repository would be created in check mode.
      type: str
      sample: arn:aws:ecr:eu-west-1:111122223333:repository/chatbot/frontend
    uri:
      description: Repository URI to push to and pull from. Null when the repository would be created in check mode.
      type: str
      sample: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/chatbot/frontend
    registry_id:
      description: Registry (account) ID.
      type: str
    created_at:
      description: Creation time (ISO 8601).
      type: str
    image_tag_mutability:
      description: Tag mutability.
      type: str
      sample: immutable_with_exclusion
    image_tag_mutability_exclusion_filters:
      description: Wildcard filters excepted from the mutability setting.
      type: list
      elements: str
      sample: [latest]
    scan_on_push:
      description: Whether images are scanned on push.
      type: bool
    encryption:
      description: Encryption type and, for KMS, the key ARN.
      type: dict
      sample: {type: KMS, kms_key: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}
    tags:
      description:
        - Repository tags. Only when O(tags) is given; the module does not read what it does not manage.
      type: dict
    lifecycle_policy:
      description:
        - Lifecycle policy document, or null when there is none. Only when O(lifecycle_policy) or O(lifecycle_rules) is given.
      type: dict
    policy:
      description:
        - Repository policy document, or null when there is none. Only when O(policy) or O(pull_account_ids) is given.
      type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags
from ansible_collections.chatbot.platform.plugins.module_utils._ecr import repositories as repos
from ansible_collections.chatbot.platform.plugins.module_utils._ecr.common import (
    WILDCARD_FILTER_RE,
    EcrApi,
    EcrError,
    connection_argument_spec,
    load_json_document,
    partition_for_region,
    validate_registry_id,
    validate_repository_name,
    validate_tags,
    warn,
)
from ansible_collections.chatbot.platform.plugins.module_utils._ecr.kms import resolve_kms_key, validate_key_reference
from ansible_collections.chatbot.platform.plugins.module_utils._ecr.lifecycle import (
    build_lifecycle_policy,
    lifecycle_policies_differ,
    validate_lifecycle_policy,
)
from ansible_collections.chatbot.platform.plugins.module_utils._ecr.policy import build_pull_policy, policies_differ, validate_policy_document

NOT_MANAGED = object()
MANAGED_KEYS = (
    "image_tag_mutability",
    "image_tag_mutability_exclusion_filters",
    "scan_on_push",
    "encryption",
    "tags",
    "lifecycle_policy",
    "policy",
)


def desired_lifecycle(params):
    if params["lifecycle_rules"] is not None:
        return build_lifecycle_policy(params["lifecycle_rules"]) if params["lifecycle_rules"] else None
    if params["lifecycle_policy"] is not None:
        document = load_json_document(params["lifecycle_policy"], "lifecycle_policy")
        return validate_lifecycle_policy(document) if document else None
    return NOT_MANAGED


def desired_policy(params, region):
    if params["pull_account_ids"] is not None:
        return build_pull_policy(params["pull_account_ids"], partition_for_region(region))
    if params["policy"] is not None:
        document = load_json_document(params["policy"], "policy")
        return validate_policy_document(document) if document else None
    return NOT_MANAGED


def validate_mutability(params):
    mutability = params["image_tag_mutability"]
    filters = params["image_tag_mutability_exclusion_filters"]
    if mutability is None:
        return None, None
    if mutability.endswith("_with_exclusion"):
        if not filters:
            raise EcrError(f"image_tag_mutability={mutability} needs image_tag_mutability_exclusion_filters (1 to 5 tag filters)")
        if len(filters) > 5:
            raise EcrError(f"image_tag_mutability_exclusion_filters allows at most 5 filters, got {len(filters)}")
        for value in filters:
            if not WILDCARD_FILTER_RE.match(value):
                raise EcrError(f"image_tag_mutability_exclusion_filters: {value!r} must be 1-128 letters, digits, '.', '_', '-' or '*'")
        return mutability, sorted(set(filters))
    if filters:
        raise EcrError(f"image_tag_mutability_exclusion_filters only apply to mutable_with_exclusion or immutable_with_exclusion, not {mutability}")
    return mutability, []


def check_encryption(api, current, wanted, name, cache):
    """Fail when the requested encryption differs from what the repository has (ECR cannot change it)."""
    if wanted is None:
        return
    have_type = current["type"] or "AES256"
    want_arn = resolve_kms_key(api, wanted.get("kms_key"), cache)
    same = have_type == wanted["type"]
    if same and want_arn:
        same = resolve_kms_key(api, current.get("kms_key"), cache) == want_arn
    if not same:
        have = have_type + (f" with key {current.get('kms_key')}" if current.get("kms_key") else "")
        want = wanted["type"] + (f" with key {want_arn}" if want_arn else "")
        raise EcrError(
            f"repository {name!r} is encrypted with {have} but {want} was requested; ECR cannot change the encryption "
            "of an existing repository, so create a new repository (or delete this one) to change it"
        )


def managed_view(state):
    return {key: state.get(key) for key in MANAGED_KEYS} if state else {}


def ensure_present(module, api):
    params = module.params
    name, registry_id = params["name"], params["registry_id"]
    mutability, filters = validate_mutability(params)
    lifecycle = desired_lifecycle(params)
    policy = desired_policy(params, module.region)
    tags = validate_tags(params["tags"])
    encryption = params["encryption"]
    if encryption and encryption["type"] == "AES256" and encryption.get("kms_key"):
        raise EcrError("encryption.kms_key only applies to the KMS and KMS_DSSE encryption types")
    validate_key_reference((encryption or {}).get("kms_key"))
    # Tags, lifecycle policy and repository policy each cost a read: only the ones given are read (and returned).
    wanted = {"tags": NOT_MANAGED if tags is None else tags, "lifecycle_policy": lifecycle, "policy": policy}
    managed = [key for key, value in wanted.items() if value is not NOT_MANAGED]
    kms_cache = {}

    repo = repos.get_repository(api, name, registry_id)
    adopted = False
    if repo is None:
        if registry_id is not None and registry_id != api.caller_account():
            raise EcrError(
                f"repository {name!r} does not exist in registry {registry_id}, and ECR creates repositories only in the caller's own registry "
                f"({api.caller_account()}); leave registry_id out or run with credentials of account {registry_id}"
            )
        create_mutability = mutability or "immutable"
        create_encryption = None
        if encryption:
            try:
                kms_arn = resolve_kms_key(api, encryption.get("kms_key"), kms_cache)
            except EcrError:
                if not module.check_mode:
                    raise
                # A playbook may create the key in an earlier task that check mode only pretends to run.
                warn(module, f"KMS key {encryption.get('kms_key')!r} does not exist yet; a real run fails unless it is created first")
                kms_arn = encryption.get("kms_key")
            create_encryption = {"type": encryption["type"], "kms_key": kms_arn}
        scan_on_push = True if params["scan_on_push"] is None else params["scan_on_push"]
        predicted = {
            "name": name,
            "arn": None,
            "uri": None,
            "registry_id": registry_id,
            "created_at": None,
            "image_tag_mutability": create_mutability,
            "image_tag_mutability_exclusion_filters": filters or [],
            "scan_on_push": scan_on_push,
            "encryption": create_encryption or {"type": "AES256", "kms_key": None},
        }
        predicted.update({key: wanted[key] or ({} if key == "tags" else None) for key in managed})
        if module.check_mode:
            return True, None, predicted
        repo, adopted = repos.create_or_adopt_repository(api, name, registry_id, create_mutability, filters, scan_on_push, create_encryption, tags)
        if not adopted:
            if lifecycle not in (NOT_MANAGED, None):
                repos.put_lifecycle_policy(api, name, registry_id, lifecycle)
            if policy not in (NOT_MANAGED, None):
                repos.set_repository_policy(api, name, registry_id, policy)
            # Everything is known from what CreateRepository answered and what was written: no read after.
            created = repos.repository_view(repo)
            created.update({key: predicted[key] for key in managed})
            return True, None, created
        # Adopted (an earlier attempt whose answer was lost created it, or somebody else did): reconcile it.

    current = repos.repository_state(api, repo, managed)
    registry_id = current["registry_id"] or registry_id
    check_encryption(api, current["encryption"], encryption, name, kms_cache)
    after = dict(current)
    actions = []

    if mutability is not None and (mutability, filters) != (current["image_tag_mutability"], sorted(current["image_tag_mutability_exclusion_filters"])):
        actions.append(lambda: repos.put_mutability(api, name, registry_id, mutability, filters))
        after.update(image_tag_mutability=mutability, image_tag_mutability_exclusion_filters=filters)

    if params["scan_on_push"] is not None and params["scan_on_push"] != current["scan_on_push"]:
        actions.append(lambda: repos.put_scan_on_push(api, name, registry_id, params["scan_on_push"]))
        after["scan_on_push"] = params["scan_on_push"]

    if tags is not None:
        to_set, to_remove = compare_aws_tags(current["tags"], tags, params["purge_tags"])
        if to_set or to_remove:
            actions.append(lambda: repos.update_tags(api, current["arn"], to_set, to_remove))
            new_tags = {k: v for k, v in current["tags"].items() if k not in to_remove}
            new_tags.update(to_set)
            after["tags"] = new_tags

    if lifecycle is not NOT_MANAGED and lifecycle_policies_differ(current["lifecycle_policy"], lifecycle):
        if lifecycle is None:
            actions.append(lambda: repos.delete_lifecycle_policy(api, name, registry_id))
        else:
            actions.append(lambda: repos.put_lifecycle_policy(api, name, registry_id, lifecycle))
        after["lifecycle_policy"] = lifecycle

    if policy is not NOT_MANAGED and policies_differ(current["policy"], policy):
        if policy is None:
            actions.append(lambda: repos.delete_repository_policy(api, name, registry_id))
        else:
            actions.append(lambda: repos.set_repository_policy(api, name, registry_id, policy))
        after["policy"] = policy

    before = None if adopted else current
    if not actions:
        return adopted, before, current
    if module.check_mode:
        return True, before, after
    for action in actions:
        action()
    # The writes answered without error, so the repository is now as ``after`` says: no read after the writes.
    return True, before, after


def ensure_absent(module, api):
    name, registry_id = module.params["name"], module.params["registry_id"]
    repo = repos.get_repository(api, name, registry_id)
    if repo is None:
        return False, None, None
    current = repos.repository_view(repo)
    if not module.params["force_delete"]:
        images = repos.count_images(api, name, current["registry_id"])
        if images:
            raise EcrError(f"repository {name!r} still holds {images} image(s); set force_delete=true to delete it together with its images")
    if not module.check_mode:
        repos.delete_repository(api, name, current["registry_id"], module.params["force_delete"])
    return True, current, None


def main():
    argument_spec = dict(
        name=dict(type="str", required=True, aliases=["repository_name"]),
        registry_id=dict(type="str"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        image_tag_mutability=dict(type="str", choices=list(repos.MUTABILITY_CHOICES)),
        image_tag_mutability_exclusion_filters=dict(type="list", elements="str"),
        scan_on_push=dict(type="bool"),
        encryption=dict(
            type="dict",
            options=dict(
                type=dict(type="str", choices=list(repos.ENCRYPTION_TYPES), required=True),
                kms_key=dict(type="str", no_log=False),
            ),
        ),
        lifecycle_policy=dict(type="raw"),
        lifecycle_rules=dict(
            type="list",
            elements="dict",
            options=dict(
                priority=dict(type="int"),
                description=dict(type="str"),
                tag_status=dict(type="str", choices=["tagged", "untagged", "any"], required=True),
                tag_prefixes=dict(type="list", elements="str"),
                tag_patterns=dict(type="list", elements="str"),
                max_image_count=dict(type="int"),
                max_age_days=dict(type="int"),
            ),
            mutually_exclusive=[["max_image_count", "max_age_days"], ["tag_prefixes", "tag_patterns"]],
            required_one_of=[["max_image_count", "max_age_days"]],
        ),
        policy=dict(type="raw"),
        pull_account_ids=dict(type="list", elements="str"),
        force_delete=dict(type="bool", default=False),
    )
    argument_spec.update(connection_argument_spec())
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        mutually_exclusive=[["lifecycle_policy", "lifecycle_rules"], ["policy", "pull_account_ids"]],
        required_by={"image_tag_mutability_exclusion_filters": "image_tag_mutability"},
    )
    try:
        validate_repository_name(module.params["name"])
        validate_registry_id(module.params["registry_id"])
        api = EcrApi(module)
        if module.params["state"] == "present":
            changed, before, after = ensure_present(module, api)
        else:
            changed, before, after = ensure_absent(module, api)
    except EcrError as exc:
        module.fail_json(msg=str(exc), **exc.extra)
    result = {"changed": changed, "repository": after or {}}
    if module._diff:
        result["diff"] = {"before": managed_view(before), "after": managed_view(after)}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
