# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render a Helm chart release offline, validate it the way the cluster would, and write it only when it changed.

The pieces of the chatbot.platform.helm_render module, kept free of AnsibleModule so they can be unit tested:
where the chart comes from (a local chart, an archive in an offline folder, or the public repository), the
`helm template` command line, parsing and redacting the output, strict validation of core kinds with
kubernetes-validate and of custom resources against their CRDs, and the text written to disk.
"""

from __future__ import annotations

import functools
import io
import os
import re
import tarfile

from ansible_collections.chatbot.platform.plugins.module_utils._k8s import crd_schemas
from ansible_collections.chatbot.platform.plugins.module_utils._k8s.crd_schemas import yaml

HAS_YAML = crd_schemas.HAS_YAML

try:
    from kubernetes_validate import utils as kubernetes_validate

    HAS_KUBERNETES_VALIDATE = True
except ImportError:  # pragma: no cover - reported by the module
    HAS_KUBERNETES_VALIDATE = False
else:
    # kubernetes-validate parses its schema files again for every document it validates, the shared
    # _definitions.json (about 1 MB) among them: half the validation time of a release. The files never change
    # while a process runs, so each is parsed once (the parsed schemas are only read, never changed).
    if not hasattr(kubernetes_validate.schema_contents, "cache_info"):
        kubernetes_validate.schema_contents = functools.lru_cache(maxsize=None)(kubernetes_validate.schema_contents)

REDACTED = "REDACTED-by-chatbot.platform"
# Kinds whose caBundle fields carry certificates helm generates anew on every render (genCA).
_CA_BUNDLE_KINDS = {"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "APIService", "CustomResourceDefinition"}
_VERSION = re.compile(r"^v?(\d+)\.(\d+)(\.\d+)?$")
_SOURCE = re.compile(r"^# Source: (.+)$", re.MULTILINE)


class RenderError(Exception):
    """A one-line, user-facing reason the release cannot be rendered."""


def kube_minor(version):
    """'1.36', 'v1.36' or '1.36.2' -> '1.36'; anything else is a RenderError."""
    match = _VERSION.match(str(version).strip())
    if not match:
        raise RenderError(f"kube_version {version!r} is not a Kubernetes version such as 1.36")
    return f"{match.group(1)}.{match.group(2)}"


def _chart_yaml_of_archive(path):
    with tarfile.open(path, "r:gz") as archive:
        for member in archive.getmembers():
            parts = member.name.split("/")
            if len(parts) == 2 and parts[1] == "Chart.yaml":
                return yaml.safe_load(archive.extractfile(member).read())
    raise RenderError(f"{path} is not a Helm chart archive (no <chart>/Chart.yaml inside)")


def chart_metadata(path):
    """Chart.yaml of a chart folder or packaged chart."""
    if os.path.isdir(path):
        chart_file = os.path.join(path, "Chart.yaml")
        if not os.path.isfile(chart_file):
            raise RenderError(f"{path} is not a Helm chart folder (no Chart.yaml)")
        with open(chart_file, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    try:
        return _chart_yaml_of_archive(path)
    except (tarfile.TarError, OSError) as exc:
        raise RenderError(f"{path} is not a readable Helm chart archive: {exc}") from None


def resolve_chart(chart_ref, chart_version, repo_url, archive_dir):
    """Where `helm template` takes the chart from.

    Returns (chart_argument, extra_arguments, source): a local chart folder or archive as given; else
    <archive_dir>/<chart_ref>-<chart_version>.tgz when archive_dir is an existing folder (the offline copies
    of the upstream packages; a version missing there is an error, never a silent download); else the
    public repository by name and version.
    """
    if os.path.sep in chart_ref or chart_ref.endswith(".tgz") or os.path.isdir(chart_ref):
        if not os.path.exists(chart_ref):
            raise RenderError(f"chart {chart_ref} does not exist")
        found = str(chart_metadata(chart_ref).get("version", ""))
        if chart_version and found != chart_version:
            raise RenderError(f"chart {chart_ref} is version {found}, not the pinned {chart_version}")
        return chart_ref, [], chart_ref
    if not chart_version:
        raise RenderError(f"chart {chart_ref} comes from a repository and needs a pinned chart_version")
    if archive_dir and os.path.isdir(archive_dir):
        archive = os.path.join(archive_dir, f"{chart_ref}-{chart_version}.tgz")
        if not os.path.isfile(archive):
            present = sorted(n[: -len(".tgz")] for n in os.listdir(archive_dir) if n.startswith(chart_ref + "-") and n.endswith(".tgz"))
            held = ", ".join(present) if present else "no version of it"
            raise RenderError(
                f"chart {chart_ref} version {chart_version} is not in the offline chart folder {archive_dir} (it holds {held}); "
                "pin a version that is there, or point the chart folder elsewhere to pull from the public repository"
            )
        found = str(chart_metadata(archive).get("version", ""))
        if found != chart_version:
            raise RenderError(f"{archive} holds version {found}, not {chart_version}")
        return archive, [], archive
    if not repo_url:
        raise RenderError(f"chart {chart_ref} {chart_version}: no offline chart folder and no chart_repo_url to pull it from")
    return chart_ref, ["--repo", repo_url, "--version", chart_version], f"{repo_url} ({chart_ref} {chart_version})"


def template_command(helm, release_name, namespace, chart_argument, extra, values_file, kube_version, api_versions, include_crds):
    command = [helm, "template", release_name, chart_argument, "--namespace", namespace, "--kube-version", kube_version]
    command += extra
    command += ["--values", values_file]
    for api in api_versions:
        command += ["--api-versions", api]
    if include_crds:
        command.append("--include-crds")
    return command


def split_output(text):
    """helm template output -> list of (source template, document), empty documents dropped."""
    documents = []
    for chunk in re.split(r"^---[ \t]*$", text, flags=re.MULTILINE):
        if not chunk.strip():
            continue
        try:
            doc = crd_schemas.safe_load(chunk)
        except yaml.YAMLError as exc:
            raise RenderError(f"helm produced a document that is not YAML: {str(exc).splitlines()[0]}") from None
        if doc is None:
            continue
        if not isinstance(doc, dict) or "kind" not in doc or "apiVersion" not in doc:
            raise RenderError("helm produced a document without apiVersion and kind")
        source = _SOURCE.search(chunk)
        source = source.group(1) if source else ""
        # A v1 List is a wrapper the API never stores: helm and kubectl create its items one by one.
        if doc["kind"] == "List" and doc["apiVersion"] == "v1":
            for item in doc.get("items") or []:
                if not isinstance(item, dict) or "kind" not in item or "apiVersion" not in item:
                    raise RenderError(f"{source or 'helm output'}: a List item has no apiVersion and kind")
                documents.append((source, item))
            continue
        documents.append((source, doc))
    return documents


def resource_id(doc, default_namespace):
    meta = doc.get("metadata") or {}
    namespace = meta.get("namespace")
    if namespace is None and not _cluster_scoped(doc):
        namespace = default_namespace
    name = meta.get("name", "?")
    return f"{doc['kind']}/{namespace}/{name}" if namespace else f"{doc['kind']}/{name}"


# Kinds without a namespace: the platform's charts render these (and nothing else cluster-scoped).
_CLUSTER_SCOPED = frozenset(
    [
        "Namespace",
        "Node",
        "PersistentVolume",
        "StorageClass",
        "CSIDriver",
        "CSINode",
        "VolumeAttachment",
        "ClusterRole",
        "ClusterRoleBinding",
        "CustomResourceDefinition",
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "APIService",
        "PriorityClass",
        "RuntimeClass",
        "IngressClass",
        "IngressClassParams",
        "ClusterSecretStore",
        "ClusterExternalSecret",
        "ClusterPushSecret",
        "ClusterGenerator",
        "FlowSchema",
        "PriorityLevelConfiguration",
    ]
)


def _cluster_scoped(doc):
    return doc.get("kind") in _CLUSTER_SCOPED


def redact(doc):
    """Drop material helm generates anew on each render or that is secret: Secret values, webhook CA bundles.

    Returns the number of values replaced. Keys stay, so readers (and tests) see what the Secret holds.
    """
    replaced = 0
    kind = doc.get("kind")
    if kind == "Secret":
        for field in ("data", "stringData"):
            values = doc.get(field)
            if isinstance(values, dict):
                for key in values:
                    values[key] = REDACTED
                    replaced += 1
    elif kind in _CA_BUNDLE_KINDS:
        for holder in _ca_bundle_holders(doc):
            if holder.get("caBundle"):
                holder["caBundle"] = REDACTED
                replaced += 1
    return replaced


def _ca_bundle_holders(doc):
    kind = doc.get("kind")
    spec = doc.get("spec") or {}
    if kind in ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"):
        return [w.get("clientConfig") or {} for w in doc.get("webhooks") or []]
    if kind == "APIService":
        return [spec]
    if kind == "CustomResourceDefinition":
        webhook = ((spec.get("conversion") or {}).get("webhook") or {}).get("clientConfig")
        return [webhook] if isinstance(webhook, dict) else []
    return []


def validate_documents(documents, kube_version, store, default_namespace):
    """Strict validation: core kinds with kubernetes-validate at kube_version, custom resources with their CRDs.

    CRDs rendered in this release are added to the store first, so a chart's own custom resources are checked
    against the CRD version the chart installs (and against the schema sources as well).
    """
    for source, doc in documents:
        if doc.get("kind") == "CustomResourceDefinition":
            store.add_document(doc, f"this release ({source or 'crds/'})")
    errors = []
    for _source, doc in documents:
        ident = resource_id(doc, default_namespace)
        if crd_schemas.is_custom(doc):
            errors.extend(store.errors(doc))
            continue
        try:
            kubernetes_validate.validate(doc, kube_version, strict=True)
        except kubernetes_validate.VersionNotSupportedError:
            raise RenderError(
                f"kubernetes-validate has no schemas for Kubernetes {kube_version}; "
                f"it knows {kubernetes_validate.all_versions()[0]} to {kubernetes_validate.latest_version()}"
            ) from None
        except kubernetes_validate.SchemaNotFoundError:
            errors.append(f"{ident}: {doc['apiVersion']} {doc['kind']} does not exist in Kubernetes {kube_version}")
        except kubernetes_validate.ValidationError as exc:
            where = "/".join(str(p) for p in exc.path) or "(root)"
            errors.append(f"{ident}: {where}: {exc.message}")
    return errors


def _dumper():
    """libyaml's safe dumper when available (ten times faster on the large CRDs charts ship)."""
    return getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def manifest_text(documents, header):
    """The text written to manifests.yaml: a header comment, then each document with its template's path."""
    out = io.StringIO()
    out.write(header.rstrip("\n") + "\n")
    for source, doc in documents:
        out.write("---\n")
        if source:
            out.write(f"# Source: {source}\n")
        out.write(yaml.dump(doc, Dumper=_dumper(), sort_keys=False, default_flow_style=False, width=1000))
    return out.getvalue()


def values_text(values, header):
    body = yaml.dump(values or {}, Dumper=_dumper(), sort_keys=True, default_flow_style=False, width=1000)
    return header.rstrip("\n") + "\n" + body
