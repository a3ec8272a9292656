"""Helpers shared by the ECR functional tests: moto's own API (reset, recorder, seeded scan findings) and image pushes.

Kept out of conftest.py so test modules import them by a name no other test folder uses.
"""

from __future__ import annotations

import hashlib
import json
import urllib.request

REGION = "eu-west-1"
ACCOUNT_ID = "123456789012"  # moto's default account
MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json"
LAYER_TYPE = "application/vnd.docker.image.rootfs.diff.tar.gzip"


def moto_api(endpoint, path, payload=None):
    data = json.dumps(payload or {}).encode()
    request = urllib.request.Request(f"{endpoint}/moto-api/{path}", data=data, method="POST", headers={"Content-Type": "application/json"})  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        return response.status


def start_recording(endpoint):
    moto_api(endpoint, "recorder/reset-recording")
    moto_api(endpoint, "recorder/start-recording")


def recorded_operations(endpoint):
    """Operations (service:Operation) moto received since start_recording, read from its JSON protocol target header."""
    with urllib.request.urlopen(f"{endpoint}/moto-api/recorder/download-recording", timeout=10) as response:  # noqa: S310 - loopback
        lines = response.read().decode().splitlines()
    operations = []
    for line in lines:
        headers = {k.lower(): v for k, v in json.loads(line)["headers"].items()}
        target = headers.get("x-amz-target")
        if target:
            prefix, operation = target.split(".", 1)
            operations.append(("ecr" if prefix.startswith("AmazonEC2ContainerRegistry") else "kms" if prefix == "TrentService" else prefix) + ":" + operation)
    return operations


def image_manifest(seed: str, layers: int = 1, layer_size: int = 1024) -> str:
    """A Docker v2 manifest whose layers are distinct per seed (moto derives the digest from the layer digests)."""
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": MANIFEST_V2,
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": 1500,
                "digest": "sha256:" + hashlib.sha256(f"{seed}-config".encode()).hexdigest(),
            },
            "layers": [
                {"mediaType": LAYER_TYPE, "size": layer_size, "digest": "sha256:" + hashlib.sha256(f"{seed}-layer-{i}".encode()).hexdigest()}
                for i in range(layers)
            ],
        },
        separators=(",", ":"),
    )


def push_image(client, repository, tag, seed, layers=1):
    """Register an image manifest under a tag the way a registry client's final step does; returns the digest."""
    response = client.put_image(repositoryName=repository, imageManifest=image_manifest(seed, layers), imageManifestMediaType=MANIFEST_V2, imageTag=tag)
    return response["image"]["imageId"]["imageDigest"]


def seed_scan_findings(endpoint, repository, digest, findings=None, enhanced=None, status="COMPLETE"):
    """Queue the exact DescribeImageScanFindings response moto returns for this image (moto's documented API)."""
    scan = {"findingSeverityCounts": {}}
    for finding in findings or []:
        scan["findingSeverityCounts"][finding["severity"]] = scan["findingSeverityCounts"].get(finding["severity"], 0) + 1
    if findings is not None:
        scan["findings"] = findings
    if enhanced is not None:
        scan["enhancedFindings"] = enhanced
    result = {
        "registryId": ACCOUNT_ID,
        "repositoryName": repository,
        "imageId": {"imageDigest": digest},
        "imageScanStatus": {"status": status, "description": f"seeded by the test: {status}"},
        "imageScanFindings": scan,
    }
    moto_api(endpoint, "static/ecr/scan-finding-results", {"results": [result], "region": REGION})
