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


def get_manifest(api, repository, registry_id, digest):
    """The manifest (exact text and media type) of the image with this digest."""
    response = api.call(
        "batch_get_image",
        f"read the manifest of {image_ref(repository, digest=digest)}",
        repositoryName=repository,
        imageIds=[{"imageDigest": digest}],
        acceptedMediaTypes=ACCEPTED_MEDIA_TYPES,
        **registry_kwargs(registry_id),
    )
    for image in response.get("images") or []:
        if image.get("imageId", {}).get("imageDigest") == digest and image.get("imageManifest"):
            return image["imageManifest"], image.get("imageManifestMediaType")
    reasons = "; ".join(f"{f.get('failureCode')}: {f.get('failureReason')}" for f in response.get("failures") or [])
    raise EcrError(f"could not read the manifest of {image_ref(repository, digest=digest)}: {reasons or 'no image returned'}")


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
    """Point ``tag`` at the image with ``digest`` by writing its manifest again: no layer moves."""
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
    api.call(
        "start_image_scan",
        f"start a scan of {image_ref(repository, digest=digest)}",
        repositoryName=repository,
        imageId={"imageDigest": digest},
        **registry_kwargs(registry_id),
    )


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
