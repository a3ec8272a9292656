"""Validate custom resources in rendered manifests against upstream CRD schemas, offline.

kubernetes-validate checks the core kinds and only warns on custom resources; this script closes
that gap with the collection's own validator (plugins/module_utils/_k8s/crd_schemas.py, also used by
the chatbot.platform.helm_render module). It checks each document of the given files whose
apiVersion/kind a CustomResourceDefinition in the schema folder (default ../shared/crd-schemas
beside the project) defines, the way an API server with strict field validation would: unknown
fields are errors unless the schema preserves unknown fields.

Exit status: 0 when every custom resource is valid, 1 on invalid resources or custom resources
with no schema here, 2 on usage errors. Without the schema folder it says so and exits 0 only
with --allow-missing-schemas (what the chart checks pass: the folder is optional on a machine).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SCHEMA_DIR = ROOT.parent / "shared" / "crd-schemas"

_spec = importlib.util.spec_from_file_location("crd_schemas", ROOT / "plugins" / "module_utils" / "_k8s" / "crd_schemas.py")
crd_schemas = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(crd_schemas)


def check_file(path: Path, store) -> list[str]:
    errors = []
    for doc in crd_schemas.safe_load_all(path.read_text()):
        if doc and crd_schemas.is_custom(doc):
            errors.extend(f"{path}: {line}" for line in store.errors(doc))
    return errors


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--schemas", type=Path, default=DEFAULT_SCHEMA_DIR, help="folder of CRD manifests (default: %(default)s)")
    parser.add_argument("--allow-missing-schemas", action="store_true", help="exit 0 (with a warning) when the folder does not exist")
    args = parser.parse_args(argv)
    if not args.schemas.is_dir():
        print(f"crd-schemas: WARNING - {args.schemas} does not exist; custom resources were NOT validated")
        return 0 if args.allow_missing_schemas else 1
    store = crd_schemas.SchemaStore([args.schemas])
    errors = [e for f in args.files for e in check_file(f, store)]
    for line in errors:
        print(f"crd-schemas: {line}")
    if errors:
        return 1
    print(f"crd-schemas: {len(args.files)} file(s) valid against the CRDs in {args.schemas}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
