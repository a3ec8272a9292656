#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ecr_image
short_description: Resolve, gate and promote an Amazon ECR image by digest
version_added: 0.1.0
description:
  - Resolves an image tag to its digest, optionally waits for the vulnerability scan, applies a gate
    with per-severity thresholds and an allowlist whose entries expire, and promotes the image by
    pointing one or more new tags at the same digest.
  - Promotion reads the image manifest and where every target tag points with one C(BatchGetImage) and
    writes the manifest under each new tag with C(PutImage), passing the digest so ECR verifies it.
    Nothing is read after the writes. No layer is downloaded or uploaded, and the number of API calls
    does not depend on the size of the image (3 for one tag, 4 for two, 1 when every tag is in place).
  - A tag that already points to the digest is reported as unchanged. A tag that points to another
    image is moved when the repository allows it and fails with a clear message when the tag is
    immutable; in that case nothing is written.
  - Every call is retried on throttling, HTTP 5xx and connection failures within a time budget; a tag
    write whose answer was lost is recognised on the retry as done.
  - The gate runs before any tag is written, so an image that fails it is never promoted.
author:
  - chatbot.platform maintainers (@chatbot-platform)
options:
  repository:
    description:
      - Name of the repository that holds the image.
    type: str
    required: true
  registry_id:
    description:
      - ID of the registry (the 12-digit AWS account ID) that holds the repository. Defaults to the caller's account.
    type: str
  tag:
    description:
      - Tag of the image to work on. At least one of O(tag) and O(digest) is required.
    type: str
  digest:
    description:
      - Digest of the image, for example V(sha256:4a5b...). When given together with O(tag) the module
        fails unless the tag still points to this digest, which guards a promotion against a tag that
        moved after the image was tested.
    type: str
  promote_tags:
    description:
      - Tags to point at the image's digest, in the same repository.
    type: list
    elements: str
    default: []
  start_scan:
    description:
      - Start a basic scan when the image has no scan yet (for repositories without scan on push).
        Starting a scan is not reported as a change. Not done in check mode.
    type: bool
    default: false
  wait_for_scan:
    description:
      - Wait until the scan has finished (status C(COMPLETE) for basic scanning, C(ACTIVE) for enhanced
        scanning) before the gate and the promotion.
    type: bool
    default: false
  scan_timeout:
    description:
      - Seconds to wait for the scan with O(wait_for_scan=true), from V(0) to V(86400) (a day).
    type: int
    default: 900
  gate:
    description:
      - Fail when the image has more open findings of a severity than allowed. Requires a finished scan;
        set O(wait_for_scan=true) when the scan may still be running.
      - Enhanced scanning findings count only while their status is C(ACTIVE) (suppressed and closed ones do not).
    type: dict
    suboptions:
      max_findings:
        description:
          - Largest number of open findings allowed per severity, for example V(critical=0), V(high=0), V(medium=5).
          - Severities are C(critical), C(high), C(medium), C(low), C(informational), C(undefined) and
            C(untriaged) (any case). Severities not listed are not limited.
        type: dict
        default: {}
      allowlist:
        description:
          - Vulnerability IDs (for example CVE IDs) not counted by the gate until their expiry date.
        type: list
        elements: dict
        default: []
        suboptions:
          id:
            description:
              - Vulnerability ID as the scanner reports it.
            type: str
            required: true
          expires:
            description:
              - Last day (V(YYYY-MM-DD), UTC) on which the entry applies. From the next day the finding counts again
                and the module warns about the expired entry.
            type: str
            required: true
          reason:
            description:
              - Why the risk is accepted; returned with the gate summary.
            type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    description: Resolves, waits and evaluates the gate, and reports the tags it would write without writing them.
  diff_mode:
    support: full
    description: Shows, for each tag to promote, the digest it pointed to before and after.
"""

EXAMPLES = r"""
- name: Resolve what dev runs
  chatbot.platform.ecr_image:
    repository: chatbot/backend
    tag: dev
  register: dev_image

- name: Promote the tested digest to staging once the scan passes the gate
  chatbot.platform.ecr_image:
    repository: chatbot/backend
    tag: dev
    digest: "{{ dev_image.image.digest }}"
    promote_tags:
      - staging
      - "staging-{{ release }}"
    wait_for_scan: true
    scan_timeout: 600
    gate:
      max_findings:
        critical: 0
        high: 0
      allowlist:
        - id: CVE-2024-12345
          expires: "2026-03-31"
          reason: Not reachable, fixed upstream in the next base image
  register: promotion

- name: Show the findings summary
  ansible.builtin.debug:
    var: promotion.gate.counts
"""

RETURN = r"""
image:
  description: The image after the change (in check mode, as it is now).
  returned: always
  type: dict
  contains:
    digest:
      description: Image digest.
      type: str
      sample: sha256:9f2c0d5e7a1b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5
    tags:
      description: Tags that point to the image.
      type: list
      elements: str
    pushed_at:
      description: Push time (ISO 8601).
      type: str
    size_bytes:
      description: Compressed size of the image as ECR reports it.
      type: int
    manifest_media_type:
      description: Media type of the manifest.
      type: str
    scan_status:
      description: Scan status in the image details, when ECR reports one.
      type: str
    repository:
      description: Repository name.
      type: str
    registry_id:
      description: Registry ID.
      type: str
promoted:
  description: Tags written (or that would be written in check mode), with the digest each pointed to before.
  returned: always
  type: list
  elements: dict
  sample: [{tag: staging, previous_digest: "sha256:0d1e..."}, {tag: staging-1.4.0, previous_digest: null}]
unchanged_tags:
  description: Tags from O(promote_tags) that already pointed to the digest.
  returned: always
  type: list
  elements: str
scan:
  description: The scan status and findings summary.
  returned: when a scan was read (O(wait_for_scan), O(start_scan) or O(gate))
  type: dict
  contains:
    status:
      description: Scan status, for example C(COMPLETE) or C(ACTIVE).
      type: str
    description:
      description: Status description from ECR.
      type: str
    completed_at:
      description: When the scan finished (ISO 8601).
      type: str
    severity_counts:
      description: Finding counts per severity as ECR reports them (before the allowlist).
      type: dict
gate:
  description: Gate result. Also returned when the gate fails.
  returned: when O(gate) is set
  type: dict
  contains:
    passed:
      description: Whether the gate passed.
      type: bool
    counts:
      description: Open findings per severity, without allowlisted IDs.
      type: dict
      sample: {critical: 0, high: 1, medium: 3, low: 0, informational: 0, undefined: 0, untriaged: 0}
    max_findings:
      description: The thresholds applied.
      type: dict
    exceeded:
      description: Severities over their threshold, with the count and the maximum.
      type: dict
      sample: {high: {count: 1, max: 0}}
    allowlisted:
      description: IDs of findings left out because of a valid allowlist entry.
      type: list
      elements: str
    expired_allowlist:
      description: Allowlist entries past their expiry date (their findings count again).
      type: list
      elements: dict
    findings:
      description: Every open finding with its ID, severity, package, URI and whether it was allowlisted.
      type: list
      elements: dict
"""

import datetime

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.chatbot.platform.plugins.module_utils._ecr import images
from ansible_collections.chatbot.platform.plugins.module_utils._ecr import repositories as repos
from ansible_collections.chatbot.platform.plugins.module_utils._ecr.common import (
    DIGEST_RE,
    IMAGE_TAG_RE,
    EcrApi,
    EcrError,
    connection_argument_spec,
    validate_registry_id,
    validate_repository_name,
    warn,
)
from ansible_collections.chatbot.platform.plugins.module_utils._ecr.gate import (
    evaluate_gate,
    extract_findings,
    gate_failure_message,
    parse_allowlist,
    parse_thresholds,
)


def utc_today():
    return datetime.datetime.now(datetime.timezone.utc).date()


MAX_SCAN_TIMEOUT = 86400


def validate(params):
    validate_repository_name(params["repository"], "repository")
    validate_registry_id(params["registry_id"])
    for tag in [params["tag"], *params["promote_tags"]]:
        if tag is not None and not IMAGE_TAG_RE.match(tag):
            raise EcrError(f"{tag!r} is not a valid image tag (1-300 letters, digits, '_', '.', '-'; not starting with '.' or '-')")
    if params["digest"] is not None and not DIGEST_RE.match(params["digest"]):
        raise EcrError(f"digest {params['digest']!r} is not an image digest such as sha256:<64 hex characters>")
    if not 0 <= params["scan_timeout"] <= MAX_SCAN_TIMEOUT:
        raise EcrError(f"scan_timeout must be between 0 and {MAX_SCAN_TIMEOUT} seconds (a day), got {params['scan_timeout']}")
    if params["gate"] is not None:
        parse_thresholds(params["gate"]["max_findings"])
        parse_allowlist(params["gate"]["allowlist"], utc_today())


def read_scan(module, api, repository, registry_id, digest):
    params = module.params
    if params["wait_for_scan"]:
        return images.wait_for_scan(api, repository, registry_id, digest, params["scan_timeout"], start=params["start_scan"] and not module.check_mode)
    scan = images.get_scan(api, repository, registry_id, digest)
    if scan is None and params["start_scan"] and not module.check_mode:
        images.start_scan(api, repository, registry_id, digest)
        scan = images.get_scan(api, repository, registry_id, digest)
    return scan


def check_mutability(api, repository, registry_id, moving):
    repo = repos.get_repository(api, repository, registry_id)
    if repo is None:
        raise EcrError(f"repository {repository!r} was not found")
    filters = [f["filter"] for f in repo.get("imageTagMutabilityExclusionFilters") or []]
    for step in moving:
        if images.tag_is_immutable(repo.get("imageTagMutability"), filters, step["tag"]):
            raise EcrError(
                f"tag {step['tag']!r} in repository {repository!r} already points to {step['previous_digest']} and is immutable; promote to a new tag"
            )


def run(module, api):
    params = module.params
    repository, registry_id = params["repository"], params["registry_id"]
    validate(params)
    detail = images.describe_image(api, repository, registry_id, tag=params["tag"], digest=None if params["tag"] else params["digest"])
    if detail is None:
        raise EcrError(f"image {images.image_ref(repository, params['tag'], None if params['tag'] else params['digest'])} was not found")
    digest = detail["imageDigest"]
    if params["tag"] and params["digest"] and params["digest"] != digest:
        raise EcrError(f"tag {params['tag']!r} in {repository!r} points to {digest}, not to the expected {params['digest']}; refusing to continue")
    ref = images.image_ref(repository, digest=digest)
    result = {"changed": False, "promoted": [], "unchanged_tags": []}

    scan = None
    if params["wait_for_scan"] or params["start_scan"] or params["gate"] is not None:
        scan = read_scan(module, api, repository, registry_id, digest)
        if scan is not None:
            result["scan"] = {k: v for k, v in scan.items() if k != "findings_section"}
    if params["gate"] is not None:
        if scan is None or scan["status"] not in images.SCAN_DONE:
            status = scan["status"] if scan else "no scan"
            raise EcrError(f"the vulnerability gate needs a finished scan of {ref} (now: {status}); set wait_for_scan=true or start_scan=true")
        summary = evaluate_gate(extract_findings(scan["findings_section"]), params["gate"]["max_findings"], params["gate"]["allowlist"], utc_today())
        result["gate"] = summary
        for entry in summary["expired_allowlist"]:
            warn(module, f"allowlist entry {entry['id']} expired on {entry['expires']}; its findings count again")
        if not summary["passed"]:
            raise EcrError(gate_failure_message(summary, ref), gate=summary, scan=result.get("scan"), image=images.image_view(detail))

    current_tags = set(detail.get("imageTags") or [])
    wanted = list(dict.fromkeys(params["promote_tags"]))
    targets = [tag for tag in wanted if tag not in current_tags]
    plan = []
    if targets:
        # One read for the manifest and where every target tag points now; no read after the writes.
        manifest, media_type, previous = images.read_for_promotion(api, repository, registry_id, digest, targets)
        plan = [{"tag": tag, "previous_digest": previous[tag]} for tag in targets if previous[tag] != digest]
        moving = [step for step in plan if step["previous_digest"]]
        # ECR refuses to move an immutable tag, and a single moving tag is written first, so a refusal leaves
        # nothing written. Two or more moving tags (or check mode, which must predict) need the repository's
        # mutability settings first, so a refused second tag cannot leave the first one moved.
        if len(moving) > 1 or (moving and module.check_mode):
            check_mutability(api, repository, registry_id, moving)
    result["unchanged_tags"] = [tag for tag in wanted if tag not in {step["tag"] for step in plan}]

    if plan:
        result["changed"] = True
        result["promoted"] = plan
        if not module.check_mode:
            for step in sorted(plan, key=lambda step: step["previous_digest"] is None):
                images.put_tag(api, repository, registry_id, step["tag"], manifest, media_type, digest)
            # What the writes did is known from their answers: the image now carries the promoted tags too.
            detail = dict(detail, imageTags=sorted(current_tags | {step["tag"] for step in plan}))
    result["image"] = images.image_view(detail)
    if module._diff:
        result["diff"] = {
            "before": {"tags": {step["tag"]: step["previous_digest"] for step in plan}},
            "after": {"tags": {step["tag"]: digest for step in plan}},
        }
    return result


def main():
    argument_spec = dict(
        repository=dict(type="str", required=True),
        registry_id=dict(type="str"),
        tag=dict(type="str"),
        digest=dict(type="str"),
        promote_tags=dict(type="list", elements="str", default=[]),
        start_scan=dict(type="bool", default=False),
        wait_for_scan=dict(type="bool", default=False),
        scan_timeout=dict(type="int", default=900),
        gate=dict(
            type="dict",
            options=dict(
                max_findings=dict(type="dict", default={}),
                allowlist=dict(
                    type="list",
                    elements="dict",
                    default=[],
                    options=dict(
                        id=dict(type="str", required=True),
                        expires=dict(type="str", required=True),
                        reason=dict(type="str"),
                    ),
                ),
            ),
        ),
    )
    argument_spec.update(connection_argument_spec())
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True, required_one_of=[["tag", "digest"]])
    try:
        result = run(module, EcrApi(module))
    except EcrError as exc:
        module.fail_json(msg=str(exc), **exc.extra)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
