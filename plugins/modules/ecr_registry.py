#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ecr_registry
short_description: Manage Amazon ECR registry settings (replication, scanning, pull-through cache)
version_added: 0.1.0
description:
  - Manages the settings of the private registry of the calling account in one region.
    There is one registry per account and region, so the module has no C(state) option; each group of
    settings is managed only when its option is given.
  - Replication rules copy images to other regions and accounts. The destination account must allow
    it with a registry policy.
  - Scanning configuration chooses basic or enhanced (Amazon Inspector) scanning and which repositories
    are scanned on push or continuously.
  - Pull-through cache rules let clusters pull public images (for example from ECR Public or
    registry.k8s.io) through this registry.
  - Settings are compared without regard to order. Every option is checked before the first call.
    Every call is retried with jittered back-off on throttling, HTTP 5xx and connection failures, within a
    time budget of about 20 seconds per call.
author:
  - chatbot.platform maintainers (@chatbot-platform)
options:
  replication_rules:
    description:
      - The complete list of replication rules (ECR allows up to 10). An empty list removes replication.
      - Not managed when omitted.
    type: list
    elements: dict
    suboptions:
      destinations:
        description:
          - Where to replicate (up to 25 destinations per rule).
        type: list
        elements: dict
        required: true
        suboptions:
          region:
            description:
              - Destination region.
            type: str
            required: true
          registry_id:
            description:
              - Destination account. Defaults to this account (cross-region replication).
            type: str
      repository_prefixes:
        description:
          - Only replicate repositories whose name starts with one of these prefixes. All repositories when omitted.
        type: list
        elements: str
  scanning:
    description:
      - Registry scanning configuration. Not managed when omitted.
    type: dict
    suboptions:
      scan_type:
        description:
          - V(BASIC) (Clair-based, per scan) or V(ENHANCED) (Amazon Inspector, continuous).
        type: str
        choices: [BASIC, ENHANCED]
        required: true
      rules:
        description:
          - Which repositories are scanned and how often. At most one rule per frequency.
          - An empty list (the default) scans nothing automatically.
        type: list
        elements: dict
        default: []
        suboptions:
          scan_frequency:
            description:
              - V(SCAN_ON_PUSH), V(CONTINUOUS_SCAN) (enhanced only) or V(MANUAL).
            type: str
            choices: [SCAN_ON_PUSH, CONTINUOUS_SCAN, MANUAL]
            required: true
          repository_filters:
            description:
              - Repository name filters; C(*) matches any run of characters, V(*) alone matches every repository.
            type: list
            elements: str
            required: true
  pull_through_cache_rules:
    description:
      - Pull-through cache rules, identified by O(pull_through_cache_rules[].prefix). Not managed when omitted.
      - A rule whose upstream changes is replaced (deleted and created again); a new credential or
        role ARN is updated in place.
    type: list
    elements: dict
    suboptions:
      prefix:
        description:
          - Repository prefix in this registry, for example V(ecr-public) or V(k8s).
        type: str
        required: true
      upstream_registry_url:
        description:
          - Upstream registry URL, for example V(public.ecr.aws) or V(registry.k8s.io).
        type: str
        required: true
      upstream_registry:
        description:
          - Upstream registry type, when ECR cannot infer it from the URL.
        type: str
        choices: [ecr, ecr-public, quay, k8s, docker-hub, github-container-registry, azure-container-registry, gitlab-container-registry, chainguard]
      upstream_repository_prefix:
        description:
          - Repository prefix in the upstream registry (ECR to ECR caching only).
        type: str
      credential_arn:
        description:
          - ARN of the Secrets Manager secret with the upstream credentials (its name must start with C(ecr-pullthroughcache/)).
        type: str
      custom_role_arn:
        description:
          - IAM role ECR assumes to reach an upstream ECR registry in another account.
        type: str
  purge_pull_through_cache_rules:
    description:
      - Delete pull-through cache rules that are not listed in O(pull_through_cache_rules).
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
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
- name: Scan chatbot images on push and replicate them to the DR region
  chatbot.platform.ecr_registry:
    scanning:
      scan_type: BASIC
      rules:
        - scan_frequency: SCAN_ON_PUSH
          repository_filters: ["chatbot/*"]
    replication_rules:
      - destinations:
          - region: eu-central-1
        repository_prefixes: [chatbot/]

- name: Cache public base images
  chatbot.platform.ecr_registry:
    pull_through_cache_rules:
      - prefix: ecr-public
        upstream_registry_url: public.ecr.aws
      - prefix: k8s
        upstream_registry_url: registry.k8s.io
    purge_pull_through_cache_rules: true
"""

RETURN = r"""
registry:
  description: The managed registry settings after the change (in check mode, as they would be).
  returned: always
  type: dict
  contains:
    registry_id:
      description: Registry (account) ID, when replication was managed.
      type: str
    replication_rules:
      description: Replication rules, when managed.
      type: list
      elements: dict
      sample: [{destinations: [{region: eu-central-1, registry_id: "111122223333"}], repository_prefixes: [chatbot/]}]
    scanning:
      description: Scanning configuration, when managed.
      type: dict
      sample: {scan_type: BASIC, rules: [{scan_frequency: SCAN_ON_PUSH, repository_filters: ["chatbot/*"]}]}
    pull_through_cache_rules:
      description: Pull-through cache rules by prefix, when managed.
      type: dict
changes:
  description: What was (or would be) changed, one short line each.
  returned: always
  type: list
  elements: str
  sample: ["put replication configuration", "create pull-through cache rule k8s"]
"""

import copy

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.chatbot.platform.plugins.module_utils._ecr import registry as reg
from ansible_collections.chatbot.platform.plugins.module_utils._ecr.common import EcrApi, EcrError, connection_argument_spec


def manage_replication(module, api, before, after, actions):
    described = reg.get_registry(api)
    registry_id = described["registryId"]
    current = reg.replication_from_api(described.get("replicationConfiguration"))
    desired = reg.replication_from_params(module.params["replication_rules"], registry_id, module.region)
    before.update(registry_id=registry_id, replication_rules=current)
    after.update(registry_id=registry_id, replication_rules=desired)
    if sorted(map(repr, current)) != sorted(map(repr, desired)):
        actions.append(("put replication configuration", lambda: reg.put_replication(api, desired)))


def manage_scanning(module, api, before, after, actions):
    desired = reg.scanning_from_params(module.params["scanning"])
    current = reg.get_scanning(api)
    before["scanning"], after["scanning"] = current, desired
    if current != desired:
        actions.append((f"put scanning configuration ({desired['scan_type']})", lambda: reg.put_scanning(api, desired)))


def manage_cache_rules(module, api, before, after, actions):
    current = reg.list_cache_rules(api)
    wanted = {rule["prefix"]: rule for rule in module.params["pull_through_cache_rules"]}
    before["pull_through_cache_rules"] = copy.deepcopy(current)
    result = copy.deepcopy(current)
    for prefix, rule in wanted.items():
        have = current.get(prefix)
        view = {key: rule.get(key) for key, _api_key in reg.CACHE_FIELDS}
        if have is None:

            def create(rule=rule, prefix=prefix):
                result[prefix]["created_at"] = reg.create_cache_rule(api, rule)

            actions.append((f"create pull-through cache rule {prefix}", create))
            result[prefix] = dict(view, created_at=None)
            continue
        differences = reg.cache_rule_differences(have, rule)
        if not differences:
            continue
        merged = dict(have, **{k: v for k, v in view.items() if v is not None})
        if all(key in reg.CACHE_UPDATABLE for key in differences):
            actions.append((f"update pull-through cache rule {prefix} ({', '.join(differences)})", lambda rule=rule: reg.update_cache_rule(api, rule)))
        else:

            def replace(rule=rule, prefix=prefix):
                reg.delete_cache_rule(api, prefix)
                result[prefix]["created_at"] = reg.create_cache_rule(api, rule)

            actions.append((f"replace pull-through cache rule {prefix} ({', '.join(differences)} cannot be updated in place)", replace))
            merged["created_at"] = None
        result[prefix] = merged
    if module.params["purge_pull_through_cache_rules"]:
        for prefix in sorted(set(current) - set(wanted)):
            actions.append((f"delete pull-through cache rule {prefix}", lambda prefix=prefix: reg.delete_cache_rule(api, prefix)))
            result.pop(prefix)
    after["pull_through_cache_rules"] = result


def validate(module):
    """Every option checked before the first call, so bad input fails at once and never waits on retries."""
    params = module.params
    if params["replication_rules"] is not None:
        reg.validate_replication(params["replication_rules"], module.region)
    if params["scanning"] is not None:
        reg.scanning_from_params(params["scanning"])
    if params["pull_through_cache_rules"] is not None:
        reg.validate_cache_rules(params["pull_through_cache_rules"])


def run(module, api):
    params = module.params
    validate(module)
    before, after, actions = {}, {}, []
    if params["replication_rules"] is not None:
        manage_replication(module, api, before, after, actions)
    if params["scanning"] is not None:
        manage_scanning(module, api, before, after, actions)
    if params["pull_through_cache_rules"] is not None:
        manage_cache_rules(module, api, before, after, actions)
    if actions and not module.check_mode:
        # The result comes from what the writes answered; nothing is read back.
        for _description, action in actions:
            action()
    result = {"changed": bool(actions), "registry": after, "changes": [description for description, _action in actions]}
    if module._diff:
        result["diff"] = {"before": before, "after": after}
    return result


def main():
    argument_spec = dict(
        replication_rules=dict(
            type="list",
            elements="dict",
            options=dict(
                destinations=dict(
                    type="list",
                    elements="dict",
                    required=True,
                    options=dict(region=dict(type="str", required=True), registry_id=dict(type="str")),
                ),
                repository_prefixes=dict(type="list", elements="str"),
            ),
        ),
        scanning=dict(
            type="dict",
            options=dict(
                scan_type=dict(type="str", choices=["BASIC", "ENHANCED"], required=True),
                rules=dict(
                    type="list",
                    elements="dict",
                    default=[],
                    options=dict(
                        scan_frequency=dict(type="str", choices=list(reg.SCAN_FREQUENCIES), required=True),
                        repository_filters=dict(type="list", elements="str", required=True),
                    ),
                ),
            ),
        ),
        pull_through_cache_rules=dict(
            type="list",
            elements="dict",
            options=dict(
                prefix=dict(type="str", required=True),
                upstream_registry_url=dict(type="str", required=True),
                upstream_registry=dict(type="str", choices=list(reg.UPSTREAM_REGISTRIES)),
                upstream_repository_prefix=dict(type="str"),
                credential_arn=dict(type="str", no_log=False),
                custom_role_arn=dict(type="str"),
            ),
        ),
        purge_pull_through_cache_rules=dict(type="bool", default=False),
    )
    argument_spec.update(connection_argument_spec())
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_one_of=[["replication_rules", "scanning", "pull_through_cache_rules"]],
    )
    try:
        result = run(module, EcrApi(module))
    except EcrError as exc:
        module.fail_json(msg=str(exc), **exc.extra)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
