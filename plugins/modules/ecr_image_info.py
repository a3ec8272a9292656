#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ecr_image_info
short_description: List the images of an Amazon ECR repository
version_added: 0.1.0
description:
  - Lists images with their tags, digest, push time, size and scan status, newest first.
  - Filters apply together (an image must match all of them).
author:
  - chatbot.platform maintainers (@chatbot-platform)
options:
  repository:
    description:
      - Name of the repository.
    type: str
    required: true
  registry_id:
    description:
      - ID of the registry (the 12-digit AWS account ID) that holds the repository. Defaults to the caller's account.
    type: str
  tag_status:
    description:
      - Only tagged, only untagged, or all images.
    type: str
    choices: [tagged, untagged, any]
    default: any
  image_tags:
    description:
      - Only images that carry at least one of these tags.
    type: list
    elements: str
  image_digests:
    description:
      - Only images with one of these digests.
    type: list
    elements: str
  tag_patterns:
    description:
      - Only images with a tag matching one of these wildcard patterns (C(*) matches any run of characters).
    type: list
    elements: str
  pushed_within_days:
    description:
      - Only images pushed within this many days, from V(0) to V(36500).
    type: int
  max_results:
    description:
      - Return at most this many images (the newest). All when omitted.
    type: int
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: The module only reads.
  diff_mode:
    support: none
    description: Nothing changes, so there is nothing to show.
"""

EXAMPLES = r"""
- name: Release images of the backend
  chatbot.platform.ecr_image_info:
    repository: chatbot/backend
    tag_patterns: ["v*"]
  register: releases

- name: Untagged images older than the lifecycle rule should have removed
  chatbot.platform.ecr_image_info:
    repository: chatbot/frontend
    tag_status: untagged
  register: untagged

- name: Where does prod point?
  chatbot.platform.ecr_image_info:
    repository: chatbot/frontend
    image_tags: [prod]
  register: prod
"""

RETURN = r"""
images:
  description: Matching images, newest push first.
  returned: always
  type: list
  elements: dict
  contains:
    digest:
      description: Image digest.
      type: str
    tags:
      description: Tags of the image (sorted).
      type: list
      elements: str
    pushed_at:
      description: Push time (ISO 8601).
      type: str
    size_bytes:
      description: Image size as ECR reports it.
      type: int
    manifest_media_type:
      description: Media type of the manifest.
      type: str
    artifact_media_type:
      description: Artifact media type, when ECR reports one.
      type: str
    last_pulled_at:
      description: Last recorded pull time, when ECR reports one.
      type: str
    scan_status:
      description: Scan status, for example C(COMPLETE), C(ACTIVE) or C(IN_PROGRESS); null when not scanned.
      type: str
    scan_completed_at:
      description: When the last scan finished.
      type: str
    scan_severity_counts:
      description: Finding counts per severity from the last scan.
      type: dict
    repository:
      description: Repository name.
      type: str
    registry_id:
      description: Registry ID.
      type: str
"""

import datetime

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.chatbot.platform.plugins.module_utils._ecr import images
from ansible_collections.chatbot.platform.plugins.module_utils._ecr.common import (
    DIGEST_RE,
    IMAGE_TAG_RE,
    WILDCARD_FILTER_RE,
    EcrApi,
    EcrError,
    connection_argument_spec,
    validate_registry_id,
    validate_repository_name,
    wildcard_match,
)

MAX_PUSHED_WITHIN_DAYS = 36500


def validate(params):
    """Every option checked before any call, one line each."""
    validate_repository_name(params["repository"], "repository")
    validate_registry_id(params["registry_id"])
    for tag in params["image_tags"] or []:
        if not IMAGE_TAG_RE.match(tag):
            raise EcrError(f"image_tags: {tag!r} is not a valid image tag (1-300 letters, digits, '_', '.', '-'; not starting with '.' or '-')")
    for digest in params["image_digests"] or []:
        if not DIGEST_RE.match(digest):
            raise EcrError(f"image_digests: {digest!r} is not an image digest such as sha256:<64 hex characters>")
    for pattern in params["tag_patterns"] or []:
        if not WILDCARD_FILTER_RE.match(pattern):
            raise EcrError(f"tag_patterns: {pattern!r} must be 1-128 letters, digits, '.', '_', '-' or '*'")
    days = params["pushed_within_days"]
    if days is not None and not 0 <= days <= MAX_PUSHED_WITHIN_DAYS:
        raise EcrError(f"pushed_within_days must be between 0 and {MAX_PUSHED_WITHIN_DAYS} (100 years), got {days}")
    if params["max_results"] is not None and params["max_results"] < 1:
        raise EcrError(f"max_results must be 1 or more, got {params['max_results']}")


def matches(view, params, now):
    tags = view["tags"]
    if params["tag_status"] == "tagged" and not tags:
        return False
    if params["tag_status"] == "untagged" and tags:
        return False
    if params["image_tags"] is not None and not set(tags) & set(params["image_tags"]):
        return False
    if params["image_digests"] is not None and view["digest"] not in params["image_digests"]:
        return False
    if params["tag_patterns"] is not None and not any(wildcard_match(p, t) for p in params["tag_patterns"] for t in tags):
        return False
    if params["pushed_within_days"] is not None and view["pushed_at"]:
        pushed = datetime.datetime.fromisoformat(view["pushed_at"])
        if pushed.tzinfo is None:
            pushed = pushed.replace(tzinfo=datetime.timezone.utc)
        if now - pushed > datetime.timedelta(days=params["pushed_within_days"]):
            return False
    return True


def main():
    argument_spec = dict(
        repository=dict(type="str", required=True),
        registry_id=dict(type="str"),
        tag_status=dict(type="str", choices=["tagged", "untagged", "any"], default="any"),
        image_tags=dict(type="list", elements="str"),
        image_digests=dict(type="list", elements="str"),
        tag_patterns=dict(type="list", elements="str"),
        pushed_within_days=dict(type="int"),
        max_results=dict(type="int"),
    )
    argument_spec.update(connection_argument_spec())
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    try:
        validate(params)
        api = EcrApi(module)
        api_status = None if params["tag_status"] == "any" else params["tag_status"].upper()
        details = images.list_image_details(api, params["repository"], params["registry_id"], api_status)
    except EcrError as exc:
        module.fail_json(msg=str(exc), **exc.extra)
    now = datetime.datetime.now(datetime.timezone.utc)
    views = [images.image_view(d) for d in details]
    views = [v for v in views if matches(v, params, now)]
    views.sort(key=lambda v: (v["pushed_at"] or "", v["digest"] or ""), reverse=True)
    if params["max_results"] is not None:
        views = views[: params["max_results"]]
    module.exit_json(changed=False, images=views)


if __name__ == "__main__":
    main()
