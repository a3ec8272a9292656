"""Validate custom resources in rendered manifests against upstream CRD schemas, offline.

kubernetes-validate checks the core kinds and only warns on custom resources; this script closes
that gap. It reads every CustomResourceDefinition under the schema folder (default
../shared/crd-schemas beside the project), then checks each document of the given files whose
apiVersion/kind one of them defines, the way an API server with strict field validation would:
unknown fields are errors unless the schema preserves unknown fields.

Exit status: 0 when every custom resource is valid, 1 on invalid resources or custom resources
with no schema here, 2 on usage errors. Without the schema folder it says so and exits 0 only
with --allow-missing-schemas (what the chart checks pass: the folder is optional on a machine).
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import yaml
from jsonschema import Draft7Validator

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SCHEMA_DIR = ROOT.parent / "shared" / "crd-schemas"
# API groups served by Kubernetes itself (checked by kubernetes-validate).
CORE_GROUPS = {
    "",
    "apps",
    "batch",
    "policy",
    "autoscaling",
    "networking.k8s.io",
    "rbac.authorization.k8s.io",
    "storage.k8s.io",
    "scheduling.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "certificates.k8s.io",
    "node.k8s.io",
    "events.k8s.io",
    "flowcontrol.apiserver.k8s.io",
    "resource.k8s.io",
}


def strict(schema):
    """An OpenAPI v3 structural schema as JSON Schema that rejects unknown fields and accepts nullable nulls."""
    node = copy.copy(schema)
    if "properties" in node:
        node["properties"] = {k: strict(v) for k, v in node["properties"].items()}
        if not node.get("x-kubernetes-preserve-unknown-fields") and "additionalProperties" not in node:
            node["additionalProperties"] = False
    if isinstance(node.get("additionalProperties"), dict):
        node["additionalProperties"] = strict(node["additionalProperties"])
    if isinstance(node.get("items"), dict):
        node["items"] = strict(node["items"])
    for key in ("allOf", "anyOf", "oneOf"):
        if key in node:
            node[key] = [strict(s) for s in node[key]]
    if node.get("nullable") and "type" in node:
        node["type"] = [node["type"], "null"]
    if node.get("x-kubernetes-int-or-string"):
        node.pop("type", None)
        node["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    return node


def load_schemas(folder: Path) -> dict[tuple[str, str], Draft7Validator]:
    validators = {}
    for path in sorted(folder.rglob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if not doc or doc.get("kind") != "CustomResourceDefinition":
                continue
            spec = doc["spec"]
            for version in spec["versions"]:
                if not version.get("served", True):
                    continue
                schema = strict(version["schema"]["openAPIV3Schema"])
                # metadata is validated by the API server itself, not by the CRD schema.
                schema.setdefault("properties", {})["metadata"] = {"type": "object"}
                validators[(f"{spec['group']}/{version['name']}", spec["names"]["kind"])] = Draft7Validator(schema)
    return validators


def check_file(path: Path, validators) -> list[str]:
    errors = []
    for doc in yaml.safe_load_all(path.read_text()):
        if not doc:
            continue
        api, kind = doc.get("apiVersion", ""), doc.get("kind", "")
        group = api.rpartition("/")[0] if "/" in api else ""
        name = f"{kind}/{doc.get('metadata', {}).get('name', '?')}"
        if group in CORE_GROUPS:
            continue
        validator = validators.get((api, kind))
        if validator is None:
            errors.append(f"{path}: {name}: no CRD schema for {api} {kind}")
            continue
        for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
            where = "/".join(str(p) for p in err.absolute_path) or "(root)"
            errors.append(f"{path}: {name} ({api}): {where}: {err.message}")
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
    validators = load_schemas(args.schemas)
    errors = [e for f in args.files for e in check_file(f, validators)]
    for line in errors:
        print(f"crd-schemas: {line}")
    if errors:
        return 1
    print(f"crd-schemas: {len(args.files)} file(s) valid against {len(validators)} CRD versions from {args.schemas}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
