# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validate custom resources against the openAPIV3Schema of their CustomResourceDefinitions, offline.

An API server with strict field validation rejects unknown fields unless the schema preserves them,
checks types, enumerations, patterns and required fields. This module turns a CRD's structural
schema into a JSON Schema that does the same and checks documents with jsonschema.

Schemas come from CustomResourceDefinition documents: files or folders of YAML (for example
../shared/crd-schemas, laid out as <group>/<kind-lowercase>.yaml) and CRDs found in rendered
manifests (the CRDs a chart installs). Stdlib, PyYAML and jsonschema only: the module runs inside
Ansible modules and from scripts/validate_crds.py.
"""

from __future__ import annotations

import copy
import os

try:
    import yaml

    HAS_YAML = True
except ImportError:  # pragma: no cover - reported by the callers
    yaml = None
    HAS_YAML = False

try:
    from jsonschema import Draft7Validator

    HAS_JSONSCHEMA = True
except ImportError:  # pragma: no cover - reported by the callers
    HAS_JSONSCHEMA = False

# API groups Kubernetes serves itself: kubernetes-validate checks these kinds, not CRDs.
CORE_GROUPS = frozenset(
    {
        "",
        "admissionregistration.k8s.io",
        "apiextensions.k8s.io",
        "apiregistration.k8s.io",
        "apps",
        "autoscaling",
        "batch",
        "certificates.k8s.io",
        "coordination.k8s.io",
        "discovery.k8s.io",
        "events.k8s.io",
        "flowcontrol.apiserver.k8s.io",
        "networking.k8s.io",
        "node.k8s.io",
        "policy",
        "rbac.authorization.k8s.io",
        "resource.k8s.io",
        "scheduling.k8s.io",
        "storage.k8s.io",
    }
)


def _value_as_string(loader, node):
    return loader.construct_scalar(node)


if HAS_YAML:

    class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        """The safe loader, reading a bare "=" as the string "=" like the API server (YAML 1.2) does.

        YAML 1.1 resolves a plain "=" to its "value" type, which PyYAML's safe loaders refuse; upstream CRDs
        (kube-prometheus-stack's AlertmanagerConfig matchers) use it as an enum value.
        """

    _Loader.add_constructor("tag:yaml.org,2002:value", _value_as_string)


def yaml_loader():
    """The fastest safe loader available (libyaml's when PyYAML was built with it), "=" read as a string."""
    return _Loader


def safe_load(text):
    """yaml.safe_load with libyaml's safe loader when available (several times faster on large CRDs)."""
    return yaml.load(text, Loader=yaml_loader())


def safe_load_all(stream):
    """yaml.safe_load_all with libyaml's safe loader when available."""
    return yaml.load_all(stream, Loader=yaml_loader())


def api_group(api_version):
    return api_version.rpartition("/")[0] if "/" in api_version else ""


def is_custom(doc):
    return api_group(doc.get("apiVersion", "")) not in CORE_GROUPS


def strict(schema):
    """A CRD structural schema as JSON Schema that rejects unknown fields and accepts nullable nulls."""
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


class SchemaStore:
    """CRD schemas by (apiVersion, kind), loaded lazily from folders and files, plus CRD documents added directly.

    A folder laid out as <group>/<kind-lowercase>.yaml is read one file at a time, when a resource of that
    group and kind is checked; any other file is read only when the layout gives no answer.
    """

    def __init__(self, sources=()):
        self._sources = [os.fspath(s) for s in sources]
        self._schemas = {}  # (apiVersion, kind) -> list of (origin, raw schema)
        self._validators = {}
        self._read = set()
        self._scanned = False

    @property
    def sources(self):
        return list(self._sources)

    def add_document(self, doc, origin):
        """Register the served versions of a CustomResourceDefinition document."""
        if not isinstance(doc, dict) or doc.get("kind") != "CustomResourceDefinition":
            return 0
        spec = doc.get("spec") or {}
        group, kind = spec.get("group", ""), (spec.get("names") or {}).get("kind", "")
        added = 0
        for version in spec.get("versions") or []:
            if not version.get("served", True):
                continue
            schema = ((version.get("schema") or {}).get("openAPIV3Schema")) or {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
            key = (f"{group}/{version['name']}", kind)
            entries = self._schemas.setdefault(key, [])
            if all(known != origin for known, _schema in entries):
                entries.append((origin, schema))
                self._validators.pop(key, None)
                added += 1
        return added

    def _read_file(self, path):
        if path in self._read:
            return
        self._read.add(path)
        with open(path, encoding="utf-8") as handle:
            for doc in safe_load_all(handle):
                self.add_document(doc, path)

    def _files(self, source):
        if os.path.isfile(source):
            yield source
            return
        for root, _dirs, files in os.walk(source):
            for name in sorted(files):
                if name.endswith((".yaml", ".yml")):
                    yield os.path.join(root, name)

    def _load_for(self, api_version, kind):
        group = api_group(api_version)
        for source in self._sources:
            if os.path.isdir(source):
                guess = os.path.join(source, group, kind.lower() + ".yaml")
                if os.path.isfile(guess):
                    self._read_file(guess)
            elif os.path.isfile(source):
                self._read_file(source)
        if (api_version, kind) not in self._schemas and not self._scanned:
            self._scanned = True
            for source in self._sources:
                if os.path.isdir(source):
                    for path in self._files(source):
                        self._read_file(path)

    def validators(self, api_version, kind):
        """Validators for a kind, one per schema origin; empty when no CRD defines it."""
        key = (api_version, kind)
        if key not in self._schemas:
            self._load_for(api_version, kind)
        if key not in self._validators:
            validators = []
            for origin, schema in self._schemas.get(key, []):
                checked = strict(schema)
                # apiVersion, kind and metadata are implicit at the root of every resource; metadata is validated by
                # the API server itself, not by the CRD schema.
                root = checked.setdefault("properties", {})
                root["metadata"] = {"type": "object"}
                root.setdefault("apiVersion", {"type": "string"})
                root.setdefault("kind", {"type": "string"})
                validators.append((origin, Draft7Validator(checked)))
            self._validators[key] = validators
        return self._validators[key]

    def errors(self, doc):
        """Messages for a custom resource: schema violations, or that no CRD defines its kind."""
        api, kind = doc.get("apiVersion", ""), doc.get("kind", "")
        name = f"{kind}/{(doc.get('metadata') or {}).get('name', '?')}"
        validators = self.validators(api, kind)
        if not validators:
            return [f"{name}: no CRD schema for {api} {kind} (looked in {', '.join(self._sources) or 'no schema source'})"]
        errors = []
        for origin, validator in validators:
            for err in sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path]):
                where = "/".join(str(p) for p in err.absolute_path) or "(root)"
                errors.append(f"{name} ({api}, schema from {origin}): {where}: {err.message}")
        return errors
