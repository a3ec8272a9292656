# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Images: tag and digest resolution, promotion by manifest (no layer transfer), scans and their waiter."""

from __future__ import annotations

import time

from ansible_collections.chatbot.platform.plugins.module_utils._ecr.common import EcrError, iso_time, registry_kwargs, wildcard_match

# Ask for the manifest exactly as it was pushed, whatever its format, so put_image stores the same bytes and digest.
ACCEPTED_MEDIA_TYPES = [
    "application/vnd.docker.distribution.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
]

SCAN_DONE = ("COMPLETE", "ACTIVE")
SCAN_RUNNING = ("IN_PROGRESS", "PENDING")
SCAN_POLL_INTERVAL = 5.0


def image_ref(repository, tag=None, digest=None):
    return f"{repository}@{digest}" if digest else f"{repository}:{tag}"


def describe_image(api, repository, registry_id, tag=None, digest=None):
    """The image detail for a tag or digest, or None when there is no such image."""
    image_id = {"imageDigest": digest} if digest else {"imageTag": tag}
    response = api.call(
        "describe_images",
        f"look up {image_ref(repository, tag, digest)}",
        missing=("ImageNotFoundException",),
        repositoryName=repository,
        imageIds=[image_id],
        **registry_kwargs(registry_id),
    )
    details = (response or {}).get("imageDetails") or []
    return details[0] if details else None


def list_image_details(api, repository, registry_id, tag_status=None):
    params = dict(repositoryName=repository, **registry_kwargs(registry_id))
    if tag_status:
        params["filter"] = {"tagStatus": tag_status}
    return api.paginate("describe_images", "imageDetails", f"list images of {repository!r}", **params)


def image_view(detail):
    """An image detail in the module's shape."""
    summary = detail.get("imageScanFindingsSummary") or {}
    return {
        "digest": detail.get("imageDigest"),
        "tags": sorted(detail.get("imageTags") or []),
        "pushed_at": iso_time(detail.get("imagePushedAt")),
        "size_bytes": detail.get("imageSizeInBytes"),
        "manifest_media_type": detail.get("imageManifestMediaType"),
        "artifact_media_type": detail.get("artifactMediaType"),
        "last_pulled_at": iso_time(detail.get("lastRecordedPullTime")),
        "scan_status": (detail.get("imageScanStatus") or {}).get("status"),
        "scan_completed_at": iso_time(summary.get("imageScanCompletedAt")),
        "scan_severity_counts": {k.lower(): v for k, v in (summary.get("findingSeverityCounts") or {}).items()},
        "repository": detail.get("repositoryName"),
        "registry_id": detail.get("registryId"),
    }


def read_for_promotion(api, repository, registry_id, digest, tags):
    """One BatchGetImage for the manifest of ``digest`` and the digest each of ``tags`` points to now.

    Returns (manifest, media type, {tag: current digest or None}). A tag that does not exist comes back
    from ECR as a failure entry (ImageNotFound), not as an error.
    """
    image_ids = [{"imageDigest": digest}] + [{"imageTag": tag} for tag in tags]
    response = api.call(
        "batch_get_image",
        f"read the manifest of {image_ref(repository, digest=digest)} and the tags {', '.join(tags)}",
        repositoryName=repository,
        imageIds=image_ids,
        acceptedMediaTypes=ACCEPTED_MEDIA_TYPES,
        **registry_kwargs(registry_id),
    )
    manifest = media_type = None
    current = dict.fromkeys(tags)
    images = response.get("images") or []
    failures = response.get("failures") or []
    missing = {(f.get("imageId") or {}).get("imageTag") for f in failures if f.get("failureCode") == "ImageNotFound"}
    # ECR answers in the order asked, one image per id found; moto does not echo the tag asked for, so the
    # position says which tag an answer belongs to, and an echoed tag (always true where given) overrides it.
    found = [image_id for image_id in image_ids if image_id.get("imageTag") not in missing]
    if len(found) == len(images):
        for image_id, image in zip(found, images):
            if "imageTag" in image_id:
                current[image_id["imageTag"]] = (image.get("imageId") or {}).get("imageDigest")
    for image in images:
        image_id = image.get("imageId") or {}
        if image_id.get("imageTag") in current:
            current[image_id["imageTag"]] = image_id.get("imageDigest")
        if image_id.get("imageDigest") == digest and image.get("imageManifest") and manifest is None:
            manifest, media_type = image["imageManifest"], image.get("imageManifestMediaType")
    problems = []
    for failure in failures:
        image_id = failure.get("imageId") or {}
        if image_id.get("imageTag") in current and failure.get("failureCode") == "ImageNotFound":
            continue
        problems.append(f"{image_id.get('imageTag') or image_id.get('imageDigest')}: {failure.get('failureCode')}: {failure.get('failureReason')}")
    unresolved = [tag for tag in tags if current[tag] is None and tag not in missing]
    if unresolved:
        problems.append(f"ECR's answer does not say where {', '.join(unresolved)} point(s)")
    if manifest is None or problems:
        raise EcrError(f"could not read the manifest of {image_ref(repository, digest=digest)}: {'; '.join(problems) or 'no image returned'}")
    return manifest, media_type, current


def tag_is_immutable(mutability, filters, tag):
    """Whether ECR refuses to move ``tag`` once it exists, given the repository's mutability settings."""
    mutability = (mutability or "mutable").lower()
    matches = any(wildcard_match(f, tag) for f in filters or [])
    if mutability == "immutable":
        return True
    if mutability == "immutable_with_exclusion":
        return not matches
    if mutability == "mutable_with_exclusion":
        return matches
    return False


def put_tag(api, repository, registry_id, tag, manifest, media_type, digest):
    """Point ``tag`` at the image with ``digest`` by writing its manifest again: no layer moves.

    Safe to repeat: when an earlier attempt took effect but its answer was lost, ECR answers the retry with
    ImageAlreadyExistsException, and a look at the tag shows it already points to ``digest``.
    """
    params = dict(repositoryName=repository, imageManifest=manifest, imageTag=tag, imageDigest=digest, **registry_kwargs(registry_id))
    if media_type:
        params["imageManifestMediaType"] = media_type
    try:
        response = api.call("put_image", f"tag {image_ref(repository, digest=digest)} as {tag!r}", **params)
    except EcrError as exc:
        if exc.extra.get("error_code") not in ("ImageTagAlreadyExistsException", "ImageAlreadyExistsException"):
            raise
        # Either the tag already points at this digest (a concurrent run got there first) or it is an immutable tag elsewhere.
        now = describe_image(api, repository, registry_id, tag=tag)
        if now and now.get("imageDigest") == digest:
            return digest
        where = now.get("imageDigest") if now else "another image"
        raise EcrError(f"tag {tag!r} in repository {repository!r} already points to {where} and is immutable; promote to a new tag") from None
    stored = response["image"]["imageId"].get("imageDigest")
    if stored != digest:
        raise EcrError(f"ECR stored tag {tag!r} as {stored} instead of {digest}; the manifest did not round-trip, check the image by hand")
    return stored


def get_scan(api, repository, registry_id, digest):
    """Scan status and all findings (every page) for the image, or None when it has never been scanned."""
    status, findings, enhanced, counts, completed = None, [], [], {}, None
    token = None
    while True:
        params = dict(repositoryName=repository, imageId={"imageDigest": digest}, **registry_kwargs(registry_id))
        if token:
            params["nextToken"] = token
        page = api.call(
            "describe_image_scan_findings",
            f"read scan findings of {image_ref(repository, digest=digest)}",
            missing=("ScanNotFoundException",),
            **params,
        )
        if page is None:
            return None
        status = status or page.get("imageScanStatus") or {}
        section = page.get("imageScanFindings") or {}
        findings.extend(section.get("findings") or [])
        enhanced.extend(section.get("enhancedFindings") or [])
        counts = counts or section.get("findingSeverityCounts") or {}
        completed = completed or section.get("imageScanCompletedAt")
        token = page.get("nextToken")
        if not token or status.get("status") not in SCAN_DONE:
            break
    return {
        "status": status.get("status"),
        "description": status.get("description"),
        "completed_at": iso_time(completed),
        "severity_counts": {k.lower(): v for k, v in counts.items()},
        "findings_section": {"findings": findings, "enhancedFindings": enhanced},
    }


def start_scan(api, repository, registry_id, digest):
    """Start a basic scan. Safe to repeat: ECR refuses a second scan of the same image within a day
    (LimitExceededException), which is what a retry after a lost answer gets, so that answer counts as started."""
    try:
        api.call(
            "start_image_scan",
            f"start a scan of {image_ref(repository, digest=digest)}",
            repositoryName=repository,
            imageId={"imageDigest": digest},
            **registry_kwargs(registry_id),
        )
    except EcrError as exc:
        if exc.extra.get("error_code") != "LimitExceededException" or not exc.retried:
            raise


def wait_for_scan(api, repository, registry_id, digest, timeout, start=False, clock=time.monotonic, sleep=time.sleep):
    """Poll until the scan is COMPLETE (basic) or ACTIVE (enhanced); fail on a scan error or after ``timeout`` seconds."""
    ref = image_ref(repository, digest=digest)
    deadline = clock() + timeout
    started = False
    while True:
        scan = get_scan(api, repository, registry_id, digest)
        if scan is None and start and not started:
            start_scan(api, repository, registry_id, digest)
            started = True
            continue
        if scan is not None and scan["status"] in SCAN_DONE:
            return scan
        if scan is not None and scan["status"] not in SCAN_RUNNING:
            raise EcrError(f"scan of {ref} ended with status {scan['status']}: {scan.get('description') or 'no description'}")
        if clock() >= deadline:
            if scan is None:
                raise EcrError(f"no scan of {ref} appeared within {timeout}s; enable scan on push or set start_scan=true")
            raise EcrError(f"scan of {ref} is still {scan['status']} after {timeout}s; raise scan_timeout or try again later")
        sleep(max(0.01, min(SCAN_POLL_INTERVAL, deadline - clock())))
