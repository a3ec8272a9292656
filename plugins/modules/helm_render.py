#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: helm_render
short_description: Render a Helm chart release to files and validate it strictly, offline
version_added: 0.2.0
description:
  - Runs C(helm template) for one release with the given values and Kubernetes version, validates every rendered
    document the way an API server with strict field validation would, and writes C(manifests.yaml) and
    C(values.yaml) into I(dest). Files whose content did not change are not rewritten, so a second run reports
    no change.
  - Core kinds are validated with kubernetes-validate against the schemas of I(kube_version); custom resources
    against the C(openAPIV3Schema) of their CustomResourceDefinitions, taken from the CRDs the release itself
    renders and from I(crd_schema_sources). A custom resource no CRD defines is an error.
  - The chart comes from a local chart folder or archive (I(chart_ref) is a path), from I(chart_archive_dir) when
    that folder exists (offline copies of the upstream packages, named C(<chart>-<version>.tgz); a pinned version
    missing there is an error), or else from I(chart_repo_url) by name and version.
  - Before writing, the values of every Secret and the C(caBundle) of webhook configurations, API services and
    CRD conversion webhooks are replaced by a marker, because helm generates new certificates on every render
    and nothing secret belongs on disk. The keys stay.
  - When I(pod_security_level) is set, every workload is evaluated against the Pod Security Standards of
    I(kube_version), as the namespace's C(pod-security.kubernetes.io/enforce) label would at admission; a violation
    of that level fails the task. The result always reports each workload's violations of the C(restricted) level.
  - This module renders; the chatbot.platform.helm_release role installs with M(kubernetes.core.helm) in apply mode.
author:
  - chatbot.platform maintainers (@chatbot-platform)
options:
  release_name:
    description: Name of the release (C(helm template) NAME).
    type: str
    required: true
  release_namespace:
    description: Namespace of the release.
    type: str
    required: true
  chart_ref:
    description:
      - Chart name in its repository (for example C(aws-load-balancer-controller)), or a path to a local chart folder or
        C(.tgz) archive.
    type: str
    required: true
  chart_version:
    description:
      - Pinned chart version. Required for repository charts; for a local chart it is checked against its C(Chart.yaml).
    type: str
  chart_repo_url:
    description: Public repository to pull a repository chart from when I(chart_archive_dir) does not exist.
    type: str
  chart_archive_dir:
    description:
      - Folder of packaged charts (C(<chart>-<version>.tgz)) used instead of the repository when it exists.
    type: path
  values:
    description: Release values.
    type: dict
    default: {}
  dest:
    description: Folder that receives C(manifests.yaml) and C(values.yaml); created when missing.
    type: path
    required: true
  kube_version:
    description: Kubernetes version to render and validate for (C(helm template --kube-version)), for example C(1.36).
    type: str
    required: true
  api_versions:
    description: Extra API versions the cluster serves, for charts that check C(.Capabilities.APIVersions).
    type: list
    elements: str
    default: []
  include_crds:
    description: Render the chart's C(crds/) folder too (Helm installs it on first install).
    type: bool
    default: true
  crd_schema_sources:
    description:
      - Files or folders of CustomResourceDefinition manifests to validate custom resources against (for example
        C(../shared/crd-schemas) or the rendered manifests of an earlier release). Paths that do not exist are skipped.
    type: list
    elements: path
    default: []
  pod_security_level:
    description:
      - Pod Security Standard the release's namespace enforces; a workload that violates it fails the task.
      - Omit for no enforcement (the C(restricted) report is still returned).
    type: str
    choices: [privileged, baseline, restricted]
  binary_path:
    description: The helm binary, a path or a name looked up on C(PATH).
    type: path
    default: helm
requirements:
  - helm 3 on the controller
  - PyYAML, jsonschema and kubernetes-validate (Python)
attributes:
  check_mode:
    support: full
    description: Renders and validates, and reports what would be written without writing.
  diff_mode:
    support: full
    description: Shows the changes to C(manifests.yaml) and C(values.yaml).
"""

EXAMPLES = r"""
- name: Render the AWS Load Balancer Controller for Kubernetes 1.36 from the offline chart folder
  chatbot.platform.helm_render:
    release_name: aws-load-balancer-controller
    release_namespace: kube-system
    chart_ref: aws-load-balancer-controller
    chart_version: 3.5.0
    chart_repo_url: https://aws.github.io/eks-charts
    chart_archive_dir: "{{ playbook_dir }}/../../shared/charts"
    values:
      clusterName: chatbot-dev-eks
    dest: build/dev/rendered/aws-load-balancer-controller
    kube_version: "1.36"
    crd_schema_sources:
      - "{{ playbook_dir }}/../../shared/crd-schemas"

- name: Render a chart of this collection and enforce the restricted Pod Security Standard
  chatbot.platform.helm_render:
    release_name: chatbot
    release_namespace: chatbot
    chart_ref: "{{ playbook_dir }}/../charts/chatbot"
    values: "{{ lookup('ansible.builtin.file', 'values-dev.yaml') | from_yaml }}"
    dest: build/dev/rendered/chatbot
    kube_version: "1.36"
    pod_security_level: restricted
"""

RETURN = r"""
manifest_path:
  description: Path of the rendered manifests.
  returned: success
  type: str
values_path:
  description: Path of the values the release was rendered with.
  returned: success
  type: str
chart_source:
  description: Where the chart came from (archive path, chart folder, or repository URL with name and version).
  returned: success
  type: str
resources:
  description: Rendered resources as C(Kind/namespace/name) (C(Kind/name) when cluster-scoped), in helm's order.
  returned: success
  type: list
  elements: str
redacted:
  description: How many Secret values and CA bundles were replaced by a marker before writing.
  returned: success
  type: int
pod_security:
  description: Workloads that do not meet the C(restricted) Pod Security Standard, with the failed checks.
  returned: success
  type: dict
  sample: {"Deployment/kube-system/aws-load-balancer-controller": ["seccompProfile: pod or containers must set RuntimeDefault"]}
"""

import os
import shutil
import tempfile

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.chatbot.platform.plugins.module_utils._k8s import crd_schemas, pod_security, render


def _pod_security(documents, level, kube_version, namespace):
    """The restricted-level report of every workload, and the violations of the level the namespace enforces."""
    docs = [doc for _source, doc in documents]
    version = render.kube_minor(kube_version)
    report = {}
    for ident, violations in pod_security.evaluate_manifest(docs, "restricted", version, namespace).items():
        report[ident] = [str(v) for v in violations]
    enforced = {}
    if level and level != "privileged":
        enforced = pod_security.evaluate_manifest(docs, level, version, namespace)
    return report, enforced


def _write_if_changed(module, path, text):
    """Write text to path atomically unless it already holds exactly that; returns (changed, before)."""
    before = None
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as handle:
            before = handle.read()
    if before == text:
        return False, before
    if not module.check_mode:
        folder = os.path.dirname(path)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".helm_render.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        module.atomic_move(tmp, path)
    return True, before


def main():
    module = AnsibleModule(
        argument_spec=dict(
            release_name=dict(type="str", required=True),
            release_namespace=dict(type="str", required=True),
            chart_ref=dict(type="str", required=True),
            chart_version=dict(type="str"),
            chart_repo_url=dict(type="str"),
            chart_archive_dir=dict(type="path"),
            values=dict(type="dict", default={}),
            dest=dict(type="path", required=True),
            kube_version=dict(type="str", required=True),
            api_versions=dict(type="list", elements="str", default=[]),
            include_crds=dict(type="bool", default=True),
            crd_schema_sources=dict(type="list", elements="path", default=[]),
            pod_security_level=dict(type="str", choices=["privileged", "baseline", "restricted"]),
            binary_path=dict(type="path", default="helm"),
        ),
        supports_check_mode=True,
    )
    for name, present in (("PyYAML", render.HAS_YAML), ("jsonschema", crd_schemas.HAS_JSONSCHEMA), ("kubernetes-validate", render.HAS_KUBERNETES_VALIDATE)):
        if not present:
            module.fail_json(msg=missing_required_lib(name))
    p = module.params
    binary = p["binary_path"]
    helm = binary if os.sep in binary else shutil.which(binary)
    if not helm or not os.path.isfile(helm) or not os.access(helm, os.X_OK):
        module.fail_json(msg=f"helm_render: the helm binary {binary} was not found or is not executable; install helm 3 on the controller")

    try:
        kube_version = render.kube_minor(p["kube_version"])
        chart_argument, extra, source = render.resolve_chart(p["chart_ref"], p["chart_version"], p["chart_repo_url"], p["chart_archive_dir"])
        with tempfile.TemporaryDirectory(prefix="helm_render.") as tmp:
            values_file = os.path.join(tmp, "values.yaml")
            with open(values_file, "w", encoding="utf-8") as handle:
                handle.write(render.values_text(p["values"], "# values"))
            command = render.template_command(
                helm, p["release_name"], p["release_namespace"], chart_argument, extra, values_file, kube_version, p["api_versions"], p["include_crds"]
            )
            rc, out, err = module.run_command(command, environ_update={"HELM_CACHE_HOME": os.path.join(tmp, "cache")})
        if rc != 0:
            first = next((line for line in err.splitlines() if line.strip()), f"exit status {rc}")
            raise render.RenderError(f"helm template of {p['release_name']} ({source}) failed: {first}")
        documents = render.split_output(out)
        sources = [s for s in p["crd_schema_sources"] if os.path.exists(s)]
        store = crd_schemas.SchemaStore(sources)
        errors = render.validate_documents(documents, kube_version, store, p["release_namespace"])
        if errors:
            shown = errors[:20] + ([f"... and {len(errors) - 20} more"] if len(errors) > 20 else [])
            module.fail_json(
                msg=f"helm_render: {len(errors)} invalid resource(s) in release {p['release_name']} for Kubernetes {kube_version}: {shown[0]}",
                errors=shown,
            )
        report, enforced = _pod_security(documents, p["pod_security_level"], kube_version, p["release_namespace"])
        if enforced:
            lines = [f"{ident}: {v}" for ident, violations in sorted(enforced.items()) for v in violations]
            module.fail_json(
                msg=f"helm_render: release {p['release_name']} violates the {p['pod_security_level']} Pod Security Standard "
                f"its namespace {p['release_namespace']} enforces: {lines[0]}",
                errors=lines,
            )
        redacted = sum(render.redact(doc) for _source, doc in documents)
    except render.RenderError as exc:
        module.fail_json(msg=f"helm_render: {exc}")
    except ValueError as exc:
        module.fail_json(msg=f"helm_render: {exc}")

    origin = p["chart_repo_url"] or p["chart_ref"]
    chart_label = f"{p['chart_ref']} {p['chart_version']}" if p["chart_version"] else os.path.basename(p["chart_ref"].rstrip("/"))
    header = (
        f"# Release {p['release_name']} in namespace {p['release_namespace']}: chart {chart_label} ({origin}),\n"
        f"# rendered by chatbot.platform.helm_render for Kubernetes {kube_version}. Secret values and CA bundles are redacted."
    )
    manifest = render.manifest_text(documents, header)
    values = render.values_text(p["values"], f"# Values of release {p['release_name']} (chart {chart_label}).")
    dest = p["dest"]
    if not module.check_mode:
        os.makedirs(dest, exist_ok=True)
    manifest_path = os.path.join(dest, "manifests.yaml")
    values_path = os.path.join(dest, "values.yaml")
    diffs = []
    changed = False
    for path, text in ((values_path, values), (manifest_path, manifest)):
        file_changed, before = _write_if_changed(module, path, text)
        changed = changed or file_changed
        if file_changed:
            diffs.append({"before_header": path, "after_header": path, "before": before or "", "after": text})
    module.exit_json(
        changed=changed,
        diff=diffs,
        manifest_path=manifest_path,
        values_path=values_path,
        chart_source=source,
        resources=[render.resource_id(doc, p["release_namespace"]) for _source, doc in documents],
        redacted=redacted,
        pod_security=report,
    )


if __name__ == "__main__":
    main()
