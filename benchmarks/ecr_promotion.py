"""How much a promotion by digest costs: API calls per scenario against their targets, and bytes on the wire,
for a 1-layer and a 50-layer image.

    .venv/bin/python benchmarks/ecr_promotion.py [--layers 1 50] [--layer-size 524288]

Starts moto in this process on a free loopback port, pushes an image layer by layer (real layer uploads, so
the registry holds the bytes), then runs chatbot.platform.ecr_image in-process with a botocore event hook that
counts every API call and the bytes of every request and response:

- one new tag (target: 3 calls: DescribeImages, BatchGetImage, PutImage);
- two new tags (target: 4: one more PutImage);
- a release tag and an environment pointer that moves from the previous image (target: 4);
- the same promotion again (target: 1, DescribeImages: every tag is already on the digest).

For comparison it prints what `docker pull` + `docker push` of the same image would transfer (the layers
twice). Exits non-zero when a scenario needs more calls than its target, when the number of calls depends on
the size of the image, or when a layer API is called. The targets are checked here, not in the tests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys

import boto3
from ecr_bench import REGION, Meter, check_targets, moto_endpoint, run_module

MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json"
LAYER_TYPE = "application/vnd.docker.image.rootfs.diff.tar.gzip"
MODULE = "chatbot.platform.plugins.modules.ecr_image"
LAYER_APIS = {"InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload", "GetDownloadUrlForLayer", "BatchCheckLayerAvailability"}
# (scenario, tags to promote to, target calls)
SCENARIOS = (
    ("promote to one new tag", ["rc-1.0.0"], 3),
    ("promote to two new tags", ["staging-1.0.0", "prod-1.0.0"], 4),
    ("release tag + moving pointer", ["staging-1.0.1", "staging"], 4),
    ("the same again (no-op)", ["staging-1.0.1", "staging"], 1),
)


def push_layered_image(ecr, repository, layers, layer_size, seed):
    """Upload ``layers`` distinct layers of ``layer_size`` bytes, then the manifest, the way a registry client does."""
    descriptors = []
    for index in range(layers):
        blob = hashlib.sha256(f"{seed}-{index}".encode()).digest() * (layer_size // 32 + 1)
        blob = blob[:layer_size]
        upload = ecr.initiate_layer_upload(repositoryName=repository)["uploadId"]
        ecr.upload_layer_part(repositoryName=repository, uploadId=upload, partFirstByte=0, partLastByte=len(blob) - 1, layerPartBlob=blob)
        digest = "sha256:" + hashlib.sha256(blob).hexdigest()
        ecr.complete_layer_upload(repositoryName=repository, uploadId=upload, layerDigests=[digest])
        descriptors.append({"mediaType": LAYER_TYPE, "size": len(blob), "digest": digest})
    config = {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1500, "digest": "sha256:" + hashlib.sha256(seed.encode()).hexdigest()}
    manifest = json.dumps({"schemaVersion": 2, "mediaType": MANIFEST_V2, "config": config, "layers": descriptors}, separators=(",", ":"))
    response = ecr.put_image(repositoryName=repository, imageManifest=manifest, imageManifestMediaType=MANIFEST_V2, imageTag="dev")
    return response["image"]["imageId"]["imageDigest"], sum(d["size"] for d in descriptors), len(manifest)


def human(size):
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


def measure(ecr, endpoint, meter, layers, layer_size):
    """Every scenario on a fresh repository holding an image of ``layers`` layers; one row per scenario."""
    repository = f"bench/layers-{layers}"
    ecr.create_repository(
        repositoryName=repository,
        imageTagMutability="IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters=[{"filter": "dev", "filterType": "WILDCARD"}, {"filter": "staging", "filterType": "WILDCARD"}],
    )
    rows = []
    for index, (scenario, tags, target) in enumerate(SCENARIOS):
        if scenario.startswith("release tag"):
            # The pointer already points to an earlier image, so promoting a new one moves it.
            previous, _size, _manifest = push_layered_image(ecr, repository, layers, layer_size, f"bench-{layers}-previous")
            run_module(MODULE, endpoint, meter, {"repository": repository, "digest": previous, "promote_tags": ["staging"]})
        if index == 0 or scenario.startswith("release tag"):
            digest, layer_bytes, manifest_bytes = push_layered_image(ecr, repository, layers, layer_size, f"bench-{layers}-{index}")
        result, calls = run_module(MODULE, endpoint, meter, {"repository": repository, "tag": "dev", "digest": digest, "promote_tags": tags})
        assert result["changed"] is (target > 1), (scenario, result)
        rows.append({"layers": layers, "scenario": scenario, "calls": calls, "target": target, "sent": meter.sent, "received": meter.received})
    return rows, layer_bytes, manifest_bytes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, nargs="+", default=[1, 50])
    parser.add_argument("--layer-size", type=int, default=512 * 1024, help="bytes per layer (default 512 KiB)")
    args = parser.parse_args()

    meter = Meter()
    meter.install()
    rows, sizes = [], {}
    with moto_endpoint() as endpoint:
        ecr = boto3.client("ecr", endpoint_url=endpoint, region_name=REGION)
        for layers in args.layers:
            measured, layer_bytes, manifest_bytes = measure(ecr, endpoint, meter, layers, args.layer_size)
            rows.extend(measured)
            sizes[layers] = (layer_bytes, manifest_bytes)

    print(f"Promotion by digest (layer size {human(args.layer_size)}), measured against moto {endpoint}")
    print(f"{'layers':>6} {'image size':>11} {'scenario':<30} {'calls':>5} {'target':>6} {'sent':>10} {'received':>10} {'docker pull+push':>17}")
    for row in rows:
        layer_bytes = sizes[row["layers"]][0]
        print(
            f"{row['layers']:>6} {human(layer_bytes):>11} {row['scenario']:<30} {len(row['calls']):>5} {row['target']:>6} "
            f"{human(row['sent']):>10} {human(row['received']):>10} {human(2 * layer_bytes):>17}"
        )
    print()
    failed = False
    for layers in args.layers:
        print(f"{layers} layer(s), manifest {human(sizes[layers][1])}:")
        over = check_targets([(row["scenario"], row["calls"], row["target"]) for row in rows if row["layers"] == layers])
        failed |= bool(over)
        print()
    used = sorted({call for row in rows for call in row["calls"]} & LAYER_APIS)
    if used:
        print(f"FAIL: the promotion used layer APIs: {', '.join(used)}")
        failed = True
    else:
        print("No layer API (InitiateLayerUpload, UploadLayerPart, GetDownloadUrlForLayer, ...) was called: only the manifest")
        print("moves, so the bytes grow with the manifest (about 160 bytes per layer), not with the size of the image.")
    for scenario, _tags, _target in SCENARIOS:
        counts = {len(row["calls"]) for row in rows if row["scenario"] == scenario}
        if len(counts) != 1:
            print(f"FAIL: {scenario}: the number of calls depends on the size of the image: {sorted(counts)}")
            failed = True
    if failed:
        print("FAIL: see above")
        return 1
    print("PASS: every scenario within its target, the same number of calls for every image size")
    return 0


if __name__ == "__main__":
    sys.exit(main())
