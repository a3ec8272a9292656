# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Derive the facts the Atlas modules and the emulator need from MongoDB's published Admin API v2 description.

The specification (``../shared/atlas-openapi/atlas-admin-v2.yaml``) is not copied into the project. This script
reads it and writes ``plugins/module_utils/_atlas/spec_facts.py``: the media-type versions (with sunset dates)
and success statuses of the operations the modules call, the instance sizes and regions per cloud provider, the
cluster and private endpoint states, database user enumerations and the access list patterns.

    python scripts/atlas_spec_facts.py            # regenerate after the specification changed
    python scripts/atlas_spec_facts.py --check    # exit 1 when the committed file is stale

tests/functional/atlas/test_atlas_spec.py runs the check whenever the specification folder exists.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = ROOT.parent / "shared" / "atlas-openapi" / "atlas-admin-v2.yaml"
OUTPUT = ROOT / "plugins" / "module_utils" / "_atlas" / "spec_facts.py"
API_PREFIX = "/api/atlas/v2"
MEDIA_PREFIX = "application/vnd.atlas."
PROVIDERS = ("AWS", "AZURE", "GCP")

# The operations the atlas_* modules call (operationId as the specification names them).
OPERATIONS = (
    "listGroups",
    "createGroup",
    "getGroup",
    "getGroupByName",
    "updateGroup",
    "deleteGroup",
    "listGroupClusters",
    "createGroupCluster",
    "getGroupCluster",
    "updateGroupCluster",
    "deleteGroupCluster",
    "listGroupDatabaseUsers",
    "createGroupDatabaseUser",
    "getGroupDatabaseUser",
    "updateGroupDatabaseUser",
    "deleteGroupDatabaseUser",
    "listGroupAccessListEntries",
    "createGroupAccessListEntry",
    "getGroupAccessListEntry",
    "deleteGroupAccessListEntry",
    "listGroupPrivateEndpointEndpointService",
    "createGroupPrivateEndpointEndpointService",
    "getGroupPrivateEndpointEndpointService",
    "deleteGroupPrivateEndpointEndpointService",
    "createGroupPrivateEndpointEndpointServiceEndpoint",
    "getGroupPrivateEndpointEndpointServiceEndpoint",
    "deleteGroupPrivateEndpointEndpointServiceEndpoint",
)

HEADER = '''# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Facts derived from MongoDB's Atlas Administration API v2 specification. GENERATED: do not edit.

Regenerate with ``python scripts/atlas_spec_facts.py`` after the specification in ../shared/atlas-openapi/
changes; tests/functional/atlas/test_atlas_spec.py fails while this file is stale.
"""

from __future__ import annotations
'''


def load_spec(path):
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, "rb") as handle:
        data = handle.read()
    return yaml.load(data, Loader=loader), hashlib.sha256(data).hexdigest()  # noqa: S506 - CSafeLoader or SafeLoader


def _version(media_type):
    if media_type.startswith(MEDIA_PREFIX) and media_type.endswith("+json"):
        return media_type[len(MEDIA_PREFIX) : -len("+json")]
    return None


def operations(spec):
    """operationId -> method, path (without /api/atlas/v2), success statuses, {version: sunset date or None}."""
    found = {}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict) or op.get("operationId") not in OPERATIONS:
                continue
            versions = {}
            contents = [((op.get("requestBody") or {}).get("content") or {})]
            statuses = []
            for status, response in op["responses"].items():
                if str(status).startswith("2"):
                    statuses.append(int(status))
                    contents.append(response.get("content") or {})
            for content in contents:
                for media_type, media in content.items():
                    version = _version(media_type)
                    if version is None:
                        continue
                    sunset = (media or {}).get("x-sunset")
                    if versions.get(version) is None:
                        versions[version] = str(sunset) if sunset else None
            found[op["operationId"]] = {
                "method": method.upper(),
                "path": path[len(API_PREFIX) :],
                "statuses": tuple(sorted(statuses)),
                "versions": dict(sorted(versions.items())),
            }
    missing = sorted(set(OPERATIONS) - set(found))
    if missing:
        raise SystemExit("the specification has no operation " + ", ".join(missing))
    return {name: found[name] for name in OPERATIONS}


def _schema(spec, name):
    return spec["components"]["schemas"][name]


def _titled_enums(schema):
    """{provider: enum} from a oneOf whose branches carry titles such as 'AWS Regions'."""
    out = {}
    for branch in schema["oneOf"]:
        title = branch.get("title", "").split()[0].upper()
        if title in PROVIDERS:
            out[title] = tuple(branch["enum"])
    return out


def instance_sizes(spec):
    names = {"AWS": "AWSHardwareSpec20240805", "AZURE": "AzureHardwareSpec20240805", "GCP": "GCPHardwareSpec20240805"}
    return {provider: tuple(_schema(spec, name)["properties"]["instanceSize"]["enum"]) for provider, name in names.items()}


def auto_scaling_sizes(spec):
    names = {"AWS": "AWSComputeAutoScaling", "AZURE": "AzureComputeAutoScalingRules", "GCP": "GCPComputeAutoScaling"}
    out = {}
    for provider, name in names.items():
        props = _schema(spec, name)["properties"]
        out[provider] = tuple(props["maxInstanceSize"]["enum"])
    return out


def regions(spec):
    return _titled_enums(_schema(spec, "CloudRegionConfig20240805")["properties"]["regionName"])


def _enum(spec, schema, prop):
    return tuple(_schema(spec, schema)["properties"][prop]["enum"])


def facts(spec, digest):
    user = _schema(spec, "CloudDatabaseUser")
    entry = _schema(spec, "NetworkPermissionEntry")["properties"]
    aws_endpoint = _schema(spec, "CreateAWSEndpointRequest")["allOf"][1]["properties"]["id"]
    cluster = _schema(spec, "ClusterDescription20240805")["properties"]
    entry_value = next(
        p for p in spec["paths"]["/api/atlas/v2/groups/{groupId}/accessList/{entryValue}"]["delete"]["parameters"] if p.get("name") == "entryValue"
    )
    return [
        ("SPEC_SHA256", digest, "SHA-256 of the specification file these facts were derived from."),
        ("OPERATIONS", operations(spec), "Operations the modules call: method, path, success statuses, media-type versions with sunset."),
        ("INSTANCE_SIZES", instance_sizes(spec), "Instance sizes of dedicated clusters per provider (hardware specs, 2024-08-05 shape)."),
        ("AUTO_SCALING_INSTANCE_SIZES", auto_scaling_sizes(spec), "Sizes compute auto-scaling may use as minimum or maximum per provider."),
        ("REGIONS", regions(spec), "Region names per provider."),
        ("CLUSTER_TYPES", tuple(cluster["clusterType"]["enum"]), None),
        ("CLUSTER_STATES", tuple(cluster["stateName"]["enum"]), None),
        ("CLUSTER_NAME_PATTERN", cluster["name"]["pattern"], None),
        ("ENDPOINT_SERVICE_STATES", _enum(spec, "EndpointService", "status"), None),
        ("AWS_INTERFACE_ENDPOINT_STATES", _enum(spec, "AWSInterfaceEndpoint", "connectionStatus"), None),
        ("AWS_INTERFACE_ENDPOINT_ID_PATTERN", aws_endpoint["pattern"], None),
        ("DATABASE_USER_REQUIRED", tuple(user["required"]), "Fields a database user body (POST and PATCH) must carry."),
        ("DATABASE_USER_DATABASES", tuple(user["properties"]["databaseName"]["enum"]), None),
        ("DATABASE_USER_SCOPE_TYPES", _enum(spec, "UserScope", "type"), None),
        ("DATABASE_USER_SCOPE_NAME_PATTERN", _schema(spec, "UserScope")["properties"]["name"]["pattern"], None),
        ("DATABASE_USER_BUILTIN_ROLES", tuple(r for r in _enum(spec, "DatabaseUserRole", "roleName") if not r.startswith("<")), None),
        ("DATABASE_USER_USERNAME_MAX_LENGTH", user["properties"]["username"]["maxLength"], None),
        ("DATABASE_USER_PASSWORD_MIN_LENGTH", user["properties"]["password"]["minLength"], None),
        ("ACCESS_LIST_IP_ADDRESS_PATTERN", entry["ipAddress"]["pattern"], None),
        ("ACCESS_LIST_CIDR_BLOCK_PATTERN", entry["cidrBlock"]["pattern"], None),
        ("ACCESS_LIST_SECURITY_GROUP_PATTERN", entry["awsSecurityGroup"]["pattern"], None),
        ("ACCESS_LIST_ENTRY_VALUE_PATTERN", entry_value["schema"]["pattern"], None),
        ("ACCESS_LIST_COMMENT_MAX_LENGTH", entry["comment"]["maxLength"], None),
    ]


def _literal(value, indent):
    """A Python literal that ruff format leaves alone (one item per line, trailing commas)."""
    pad = " " * (indent + 4)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = "".join(f"{pad}{_literal(k, indent + 4)}: {_literal(v, indent + 4)},\n" for k, v in value.items())
        return "{\n" + items + " " * indent + "}"
    if isinstance(value, tuple):
        if len(value) < 2:
            return "(" + "".join(_literal(v, indent) + "," for v in value) + ")"
        items = "".join(f"{pad}{_literal(v, indent + 4)},\n" for v in value)
        return "(\n" + items + " " * indent + ")"
    if isinstance(value, str):
        if len(value) > 100:
            chunks = [value[i : i + 100] for i in range(0, len(value), 100)]
            return "(\n" + "".join(f"{pad}{_literal(c, indent + 4)}\n" for c in chunks) + " " * indent + ")"
        text = repr(value)
        if text.startswith("'") and '"' not in value:
            text = '"' + text[1:-1].replace("\\'", "'") + '"'
        return text
    return repr(value)


def render(spec, digest):
    parts = [HEADER]
    for name, value, comment in facts(spec, digest):
        block = "\n"
        if comment:
            block += f"# {comment}\n"
        block += f"{name} = {_literal(value, 0)}\n"
        parts.append(block)
    # ruff (pinned in requirements/dev.txt) has the last word on layout, so `make lint` accepts the file.
    formatted = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(OUTPUT.relative_to(ROOT)), "-"],
        input="".join(parts),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return formatted.stdout


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help=f"specification file (default {DEFAULT_SPEC})")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="compare with the committed file instead of writing it")
    args = parser.parse_args(argv)
    if not args.spec.is_file():
        print(f"atlas spec facts: no specification at {args.spec}", file=sys.stderr)
        return 2
    spec, digest = load_spec(args.spec)
    text = render(spec, digest)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.is_file() else ""
        if current != text:
            diff = difflib.unified_diff(current.splitlines(), text.splitlines(), str(args.output), "derived", lineterm="", n=1)
            print("\n".join(list(diff)[:60]))
            print(f"atlas spec facts: {args.output} is stale; run python scripts/atlas_spec_facts.py", file=sys.stderr)
            return 1
        print(f"atlas spec facts: {args.output.relative_to(ROOT)} matches the specification")
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"atlas spec facts: wrote {args.output.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
