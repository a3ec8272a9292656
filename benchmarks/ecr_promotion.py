"""How much a promotion by digest costs: API calls and bytes on the wire, for a 1-layer and a 50-layer image.

    .venv/bin/python benchmarks/ecr_promotion.py [--layers 1 50] [--layer-size 524288]

Starts moto in this process on a free loopback port, pushes an image layer by layer (real layer uploads, so
the registry holds the bytes), then promotes it to two new tags with chatbot.platform.ecr_image, run in-process
with a botocore event hook that counts every API call and the bytes of every request and response. A second
promotion of the same tags shows the no-op cost. For comparison it prints what `docker pull` + `docker push` of
the same image would transfer (the layers twice). Exits non-zero if the number of calls depends on the layers.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import logging
import os
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "build" / "collections"))

import boto3  # noqa: E402
import botocore.session  # noqa: E402
from ansible.module_utils.testing import patch_module_args  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

from ansible_collections.chatbot.platform.plugins.modules import ecr_image  # noqa: E402

REGION = "eu-west-1"
MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json"
LAYER_TYPE = "application/vnd.docker.image.rootfs.diff.tar.gzip"


class Meter:
    """Counts API calls and request/response bytes of the clients the module creates."""

    def __init__(self):
        self.calls, self.sent, self.received, self.active = [], 0, 0, False

    def before_send(self, request, **_kwargs):
        if self.active:
            body = request.body or b""
            self.sent += len(body if isinstance(body, (bytes, bytearray)) else str(body).encode())

    def after_call(self, model, http_response, **_kwargs):
        if self.active:
            self.calls.append(model.name)
            self.received += len(http_response.content or b"")

    def install(self):
        original = botocore.session.Session.create_client
        meter = self

        def create_client(self, *args, **kwargs):
            client = original(self, *args, **kwargs)
            client.meta.events.register("before-send", meter.before_send)
            client.meta.events.register("after-call", meter.after_call)
            return client

        botocore.session.Session.create_client = create_client


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


def run_module(endpoint, meter, args):
    full = {"endpoint_url": endpoint, "region": REGION, "_ansible_check_mode": False, "_ansible_diff": False}
    full.update(args)
    out = io.StringIO()
    meter.calls, meter.sent, meter.received, meter.active = [], 0, 0, True
    try:
        with patch_module_args(full), contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
            ecr_image.main()
    finally:
        meter.active = False
    text = out.getvalue()
    result = json.loads(text[text.index("{") :])
    if result.get("failed"):
        raise SystemExit(f"promotion failed: {result['msg']}")
    return result


def human(size):
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, nargs="+", default=[1, 50])
    parser.add_argument("--layer-size", type=int, default=512 * 1024, help="bytes per layer (default 512 KiB)")
    args = parser.parse_args()

    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CA_BUNDLE"):
        os.environ.pop(name, None)
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION=REGION)  # noqa: S106 - moto's dummy credentials
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    meter = Meter()
    meter.install()
    ecr = boto3.client("ecr", endpoint_url=endpoint, region_name=REGION)
    rows, call_counts = [], set()
    try:
        for layers in args.layers:
            repository = f"bench/layers-{layers}"
            ecr.create_repository(
                repositoryName=repository,
                imageTagMutability="IMMUTABLE_WITH_EXCLUSION",
                imageTagMutabilityExclusionFilters=[{"filter": "dev", "filterType": "WILDCARD"}],
            )
            digest, layer_bytes, manifest_bytes = push_layered_image(ecr, repository, layers, args.layer_size, f"bench-{layers}")
            promote = {"repository": repository, "tag": "dev", "digest": digest, "promote_tags": ["staging-1.0.0", "prod-1.0.0"]}
            first = run_module(endpoint, meter, promote)
            assert first["changed"], first
            rows.append((layers, layer_bytes, manifest_bytes, "promote", list(meter.calls), meter.sent, meter.received))
            call_counts.add(len(meter.calls))
            second = run_module(endpoint, meter, promote)
            assert not second["changed"], second
            rows.append((layers, layer_bytes, manifest_bytes, "again (no-op)", list(meter.calls), meter.sent, meter.received))
    finally:
        server.stop()

    print(f"Promotion by digest to 2 new tags (layer size {human(args.layer_size)}), measured against moto {endpoint}")
    print(f"{'layers':>6} {'image size':>11} {'run':<14} {'API calls':>9} {'sent':>10} {'received':>10} {'docker pull+push':>17}")
    for layers, layer_bytes, _manifest, run, calls, sent, received in rows:
        print(f"{layers:>6} {human(layer_bytes):>11} {run:<14} {len(calls):>9} {human(sent):>10} {human(received):>10} {human(2 * layer_bytes):>17}")
    print()
    for layers, _lb, manifest_bytes, run, calls, _s, _r in rows:
        print(f"{layers:>3} layers, {run}: {', '.join(calls)} (manifest {human(manifest_bytes)})")
    print()
    layer_apis = {"InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload", "GetDownloadUrlForLayer", "BatchCheckLayerAvailability"}
    used = sorted({call for row in rows for call in row[4]} & layer_apis)
    if used:
        print(f"FAIL: the promotion used layer APIs: {', '.join(used)}")
        return 1
    print("No layer API (InitiateLayerUpload, UploadLayerPart, GetDownloadUrlForLayer, ...) was called: only the manifest")
    print("moves, so the bytes grow with the manifest (about 160 bytes per layer), not with the size of the image.")
    if len(call_counts) != 1:
        print(f"FAIL: the number of API calls per promotion depends on the image: {sorted(call_counts)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
