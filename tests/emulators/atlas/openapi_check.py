# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check Atlas Admin API traffic against MongoDB's published OpenAPI description of the API.

The specification lives beside the project (``../shared/atlas-openapi/atlas-admin-v2.yaml``) and is never
copied into it. ``SpecValidator`` finds the operation of a request by method and path template, and checks

* requests: the path and query parameters, the ``Accept`` version (the operation must list it) and the body
  against the request schema of the ``Content-Type`` version;
* responses: the status is one the operation declares (errors may also be the API-wide 401/406/410/5xx
  answers), the body against the schema of the version served, error bodies against ``ApiError``, and
  ``writeOnly`` properties (passwords) never come back.

Schemas are validated with ``openapi-schema-validator`` (OpenAPI 3.0 dialect, discriminators honoured).
Five places where the published document contradicts the API it describes are adjusted before use,
each listed in ``SPEC_ADJUSTMENTS`` with its reason; everything else is taken as published.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import urllib.parse
from pathlib import Path

import yaml
from openapi_schema_validator import OAS30ReadValidator, OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

ROOT = Path(__file__).resolve().parents[3]
SPEC_DIR = ROOT.parent / "shared" / "atlas-openapi"
SPEC_FILE = SPEC_DIR / "atlas-admin-v2.yaml"
CACHE_DIR = ROOT / "build" / "atlas-openapi"
API_PREFIX = "/api/atlas/v2"
SPEC_URI = "urn:atlas-admin-v2"
MEDIA = re.compile(r"application/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+json")
# Answers any operation may give besides the ones it lists: bad versions (406/410), rate limiting and
# gateway/server trouble (429/5xx), authentication (401).
UNICODE_CLASS = re.compile(r"\[\\p\{L\}\\p\{N\}([^\]]*)\]")
API_WIDE_ERRORS = frozenset((401, 406, 410, 429, 500, 502, 503, 504))

SPEC_ADJUSTMENTS = (
    "ECMA-262 Unicode property escapes (a class [\\p{L}\\p{N}...] of letters, digits and more) become Python's "
    "(?:[^\\W_]|[...]), since Python's re has no \\p{...}",
    "a subtype that lists its discriminated base in allOf gets the base's properties without the discriminator, "
    "which would otherwise send validation round the base and the subtype forever",
    "oneOf without a discriminator becomes anyOf: the document lists overlapping alternatives (the hardware specs "
    "of AWS, Azure and GCP all accept M10) under oneOf, which no value could satisfy",
    "a schema declared `type: object` whose alternatives are all string enumerations (region names per provider, "
    "BaseCloudProviderInstanceSize) is the string enumeration of their union, without the readOnly the document "
    "puts on the auto-scaling bounds a client sets",
    "readOnly is not enforced on requests: the document marks whole request schemas readOnly "
    "(DedicatedHardwareSpec20240805 for readOnlySpecs/analyticsSpecs), so only responses are checked for writeOnly",
)


def spec_available():
    return SPEC_FILE.is_file()


def skip_reason():
    return f"the Atlas Admin API specification is not at {SPEC_FILE} (see ../shared/README.md); traffic is not validated"


def load_spec(path=SPEC_FILE):
    """The specification as a dict; a JSON copy keyed by the file's hash under build/ makes later loads fast."""
    raw = Path(path).read_bytes()
    digest = hashlib.sha256(raw).hexdigest()[:16]
    cache = CACHE_DIR / f"{digest}.json"
    if cache.is_file():
        return json.loads(cache.read_text(encoding="utf-8"))
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spec = yaml.load(raw, Loader=loader)  # noqa: S506 - CSafeLoader or SafeLoader
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(spec), encoding="utf-8")
    tmp.replace(cache)
    return spec


def _adjust(node):
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            node["pattern"] = UNICODE_CLASS.sub(r"(?:[^\\W_]|[\1])", node["pattern"])
        alternatives = node.get("oneOf") or node.get("anyOf")
        if node.get("type") == "object" and alternatives and all(isinstance(a, dict) and "enum" in a for a in alternatives):
            union = []
            for branch in alternatives:
                union.extend(v for v in branch["enum"] if v not in union)
            for key in ("oneOf", "anyOf", "readOnly"):
                node.pop(key, None)
            node.update(type="string", enum=union)
        if "oneOf" in node and "discriminator" not in node:
            node["anyOf"] = node.pop("oneOf")
        for value in node.values():
            _adjust(value)
    elif isinstance(node, list):
        for value in node:
            _adjust(value)


def _flatten_polymorphic_bases(spec):
    """A subtype that repeats its discriminated base in allOf gets the base's own properties only.

    Otherwise base -> discriminator -> subtype -> allOf base -> discriminator ... never ends.
    """
    schemas = spec["components"]["schemas"]
    for name, schema in list(schemas.items()):
        if "discriminator" not in schema:
            continue
        base_ref = "#/components/schemas/" + name
        plain = {k: v for k, v in schema.items() if k not in ("discriminator", "oneOf", "anyOf")}
        for target in (schema["discriminator"].get("mapping") or {}).values():
            sub = schemas.get(target.rsplit("/", 1)[-1])
            if sub and "allOf" in sub:
                sub["allOf"] = [plain if part.get("$ref") == base_ref else part for part in sub["allOf"]]


def adjusted(spec):
    spec = copy.deepcopy(spec)
    _flatten_polymorphic_bases(spec)
    _adjust(spec)
    return spec


class Operation:
    def __init__(self, method, template, op, path_params):
        self.method = method
        self.template = template
        self.op = op
        self.operation_id = op.get("operationId")
        self.params = {(p["in"], p["name"]): p for p in path_params + op.get("parameters", [])}
        segments = template[len(API_PREFIX) :].strip("/").split("/")
        self.literals = sum(1 for s in segments if not s.startswith("{"))
        self.segments = segments

    def match(self, segments):
        if len(segments) != len(self.segments):
            return None
        values = {}
        for want, got in zip(self.segments, segments):
            if want.startswith("{"):
                if not got:
                    return None
                values[want[1:-1]] = got
            elif want != got:
                return None
        return values

    def versions(self):
        out = set()
        for content in [(self.op.get("requestBody") or {}).get("content") or {}] + [
            (r.get("content") or {}) for s, r in self.op["responses"].items() if str(s).startswith("2")
        ]:
            for media in content:
                m = MEDIA.fullmatch(media)
                if m:
                    out.add(m.group(1))
        return out


class SpecValidator:
    """Validates one request/response pair at a time; returns a list of readable problems (empty when fine)."""

    def __init__(self, spec=None):
        raw = spec if spec is not None else load_spec()
        self.spec = adjusted(raw)
        resource = Resource.from_contents(self.spec, default_specification=DRAFT4)
        self.registry = Registry().with_resource(SPEC_URI, resource)
        self.operations = []
        for template, item in self.spec["paths"].items():
            common = [self._deref(p) for p in item.get("parameters", [])]
            for method, op in item.items():
                if method in ("get", "post", "put", "patch", "delete") and isinstance(op, dict):
                    op = dict(op, parameters=[self._deref(p) for p in op.get("parameters", [])])
                    self.operations.append(Operation(method.upper(), template, op, common))
        self.operations.sort(key=lambda o: -o.literals)
        self._validators = {}

    def _deref(self, node):
        while isinstance(node, dict) and "$ref" in node:
            node = self._pointer(node["$ref"])
        return node

    def _pointer(self, ref):
        node = self.spec
        for part in ref.lstrip("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def _validator(self, schema, read):
        key = (json.dumps(schema, sort_keys=True), read)
        if key not in self._validators:
            rooted = _rebase(schema)
            cls = OAS30ReadValidator if read else OAS30Validator
            self._validators[key] = cls(rooted, registry=self.registry)
        return self._validators[key]

    def _schema_errors(self, schema, instance, where, read=False):
        errors = sorted(self._validator(schema, read).iter_errors(instance), key=lambda e: list(e.absolute_path))
        out = []
        for err in errors:
            location = "/".join(str(p) for p in err.absolute_path) or "(root)"
            line = f"{where} at {location}: {_short(err.message)}"
            if line not in out:
                out.append(line)
        return out[:5]

    def find(self, method, raw_path):
        path = urllib.parse.urlsplit(raw_path).path
        if not path.startswith(API_PREFIX + "/"):
            return None, None
        segments = [urllib.parse.unquote(s) for s in path[len(API_PREFIX) :].strip("/").split("/")]
        for op in self.operations:
            if op.method != method:
                continue
            values = op.match(segments)
            if values is not None:
                return op, values
        return None, None

    def check_request(self, method, raw_path, headers, body):
        """Problems with a request as the real API would see them (empty list when it is acceptable)."""
        op, values = self.find(method, raw_path)
        if op is None:
            return [f"{method} {raw_path}: no operation of the specification has this method and path"]
        name = f"{op.operation_id} ({method} {urllib.parse.urlsplit(raw_path).path})"
        problems = []
        for key, value in values.items():
            param = op.params.get(("path", key))
            if param is not None:
                problems += self._schema_errors(param.get("schema", {}), value, f"{name} path parameter {key}")
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(raw_path).query, keep_blank_values=True)
        for key, items in query.items():
            param = op.params.get(("query", key))
            if param is None:
                problems.append(f"{name}: query parameter {key} is not defined for this operation")
                continue
            problems += self._schema_errors(param.get("schema", {}), _query_typed(items[-1], param.get("schema", {})), f"{name} query parameter {key}")
        accept = MEDIA.search(headers.get("Accept") or headers.get("accept") or "")
        versions = op.versions()
        if not accept:
            problems.append(f"{name}: Accept names no application/vnd.atlas.<date>+json version")
        elif accept.group(1) not in versions:
            problems.append(f"{name}: version {accept.group(1)} is not one the specification lists ({', '.join(sorted(versions))})")
        request_body = op.op.get("requestBody")
        if body is None or body == b"":
            if request_body and request_body.get("required"):
                problems.append(f"{name}: the request body is required")
            return problems
        if not request_body:
            problems.append(f"{name}: this operation takes no request body")
            return problems
        ctype = headers.get("Content-Type") or headers.get("content-type") or ""
        media = MEDIA.search(ctype)
        content = request_body.get("content", {})
        key = f"application/vnd.atlas.{media.group(1)}+json" if media else None
        if key not in content:
            problems.append(f"{name}: Content-Type {ctype!r} is not one of {sorted(content)}")
            return problems
        try:
            instance = json.loads(body) if isinstance(body, (bytes, str)) else body
        except ValueError:
            return [*problems, f"{name}: the request body is not JSON"]
        problems += self._schema_errors(content[key]["schema"], instance, f"{name} request body")
        return problems

    def check_response(self, method, raw_path, status, headers, body):
        op, _values = self.find(method, raw_path)
        if op is None:
            return []
        name = f"{op.operation_id} ({method} {urllib.parse.urlsplit(raw_path).path}) answer {status}"
        responses = op.op["responses"]
        declared = responses.get(str(status))
        if declared is None and status not in API_WIDE_ERRORS:
            return [f"{name}: the specification declares no {status} answer for this operation"]
        declared = self._deref(declared) if declared else {}
        ctype = (headers.get("Content-Type") or headers.get("content-type") or "").split(";")[0].strip()
        try:
            instance = json.loads(body) if body else None
        except ValueError:
            return [f"{name}: the body is not JSON"]
        problems = []
        if status >= 400:
            if instance is not None:
                problems += self._schema_errors({"$ref": "#/components/schemas/ApiError"}, instance, f"{name} error body", read=True)
            return problems
        content = declared.get("content") or {}
        if instance is None:
            if any((c or {}).get("schema") for c in content.values()):
                problems.append(f"{name}: the specification describes a body, none was sent")
            return problems
        media = content.get(ctype)
        if media is None:
            return [f"{name}: Content-Type {ctype!r} is not one of {sorted(content)}"]
        if media.get("schema"):
            problems += self._schema_errors(media["schema"], instance, f"{name} body", read=True)
        return problems


def _rebase(schema):
    """Point local references at the specification resource so a sub-schema validates on its own."""
    if isinstance(schema, dict):
        return {k: (SPEC_URI + v if k == "$ref" and v.startswith("#") else _rebase(v)) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_rebase(v) for v in schema]
    return schema


def _query_typed(value, schema):
    kind = schema.get("type")
    if kind == "integer":
        try:
            return int(value)
        except ValueError:
            return value
    if kind == "boolean":
        return {"true": True, "false": False}.get(value, value)
    return value


def _short(text, limit=300):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + "..."
