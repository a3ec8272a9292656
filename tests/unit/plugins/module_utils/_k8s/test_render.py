# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure parts of helm_render: versions, chart sources, output parsing, redaction and validation."""

from __future__ import annotations

import io
import tarfile

import pytest
import yaml

from ansible_collections.chatbot.platform.plugins.module_utils._k8s import crd_schemas, render


@pytest.mark.parametrize(("given", "minor"), [("1.36", "1.36"), ("v1.36", "1.36"), ("1.36.2", "1.36"), (" 1.29 ", "1.29")])
def test_kube_minor_accepts_the_usual_spellings(given, minor):
    assert render.kube_minor(given) == minor


@pytest.mark.parametrize("given", ["", "1", "one.two", "1.36-eks", "v1.36.2.1", None])
def test_kube_minor_rejects_anything_else(given):
    with pytest.raises(render.RenderError, match="is not a Kubernetes version"):
        render.kube_minor(given)


def _archive(folder, name, version):
    data = yaml.safe_dump({"apiVersion": "v2", "name": name, "version": version}).encode()
    path = folder / f"{name}-{version}.tgz"
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo(f"{name}/Chart.yaml")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return path


def test_archive_folder_wins_over_the_repository(tmp_path):
    path = _archive(tmp_path, "metrics-server", "3.13.1")
    assert render.resolve_chart("metrics-server", "3.13.1", "https://example/charts", str(tmp_path)) == (str(path), [], str(path))


def test_version_missing_in_the_archive_folder_names_what_is_there(tmp_path):
    _archive(tmp_path, "metrics-server", "3.13.1")
    _archive(tmp_path, "metrics-server-extra", "1.0.0")
    with pytest.raises(render.RenderError) as err:
        render.resolve_chart("metrics-server", "3.14.0", "https://example/charts", str(tmp_path))
    message = str(err.value)
    assert "metrics-server version 3.14.0 is not in the offline chart folder" in message
    assert "it holds metrics-server-3.13.1, metrics-server-extra-1.0.0" in message


def test_archive_whose_chart_disagrees_with_its_name_is_refused(tmp_path):
    good = _archive(tmp_path, "x", "2.0.0")
    good.rename(tmp_path / "x-1.0.0.tgz")
    with pytest.raises(render.RenderError, match=r"holds version 2\.0\.0, not 1\.0\.0"):
        render.resolve_chart("x", "1.0.0", None, str(tmp_path))


def test_repository_chart_without_a_folder_goes_to_the_repository(tmp_path):
    chart, extra, source = render.resolve_chart("external-secrets", "2.9.0", "https://charts.external-secrets.io", str(tmp_path / "absent"))
    assert chart == "external-secrets"
    assert extra == ["--repo", "https://charts.external-secrets.io", "--version", "2.9.0"]
    assert source == "https://charts.external-secrets.io (external-secrets 2.9.0)"


def test_template_command_pins_kube_version_and_values_file():
    command = render.template_command("helm", "r", "ns", "chart.tgz", [], "/tmp/v.yaml", "1.36", ["monitoring.coreos.com/v1"], True)
    assert command == [
        "helm", "template", "r", "chart.tgz", "--namespace", "ns", "--kube-version", "1.36",
        "--values", "/tmp/v.yaml", "--api-versions", "monitoring.coreos.com/v1", "--include-crds",
    ]  # fmt: skip


HELM_OUTPUT = """---
# Source: c/templates/list.yaml
apiVersion: v1
kind: List
items:
  - apiVersion: networking.k8s.io/v1
    kind: IngressClass
    metadata: {name: alb}
    spec: {controller: ingress.k8s.aws/alb}
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: cm}
---
# Source: c/templates/empty.yaml
---
# Source: c/templates/secret.yaml
apiVersion: v1
kind: Secret
metadata: {name: s}
data: {key: c2VjcmV0}
"""


def test_split_output_expands_lists_and_drops_empty_documents():
    docs = render.split_output(HELM_OUTPUT)
    assert [(source, doc["kind"]) for source, doc in docs] == [
        ("c/templates/list.yaml", "IngressClass"),
        ("c/templates/list.yaml", "ConfigMap"),
        ("c/templates/secret.yaml", "Secret"),
    ]


@pytest.mark.parametrize("text", ["key: [unclosed", "- a list\n- not a resource", "metadata: {name: x}"])
def test_split_output_refuses_what_is_not_a_resource(text):
    with pytest.raises(render.RenderError):
        render.split_output(text)


def test_redact_replaces_secret_values_and_ca_bundles_but_keeps_keys():
    secret = {"kind": "Secret", "data": {"a": "YQ==", "b": "Yg=="}, "stringData": {"c": "plain"}}
    webhook = {"kind": "ValidatingWebhookConfiguration", "webhooks": [{"clientConfig": {"caBundle": "Q0E="}}, {"clientConfig": {"url": "https://x"}}]}
    api = {"kind": "APIService", "spec": {"caBundle": "Q0E=", "service": {"name": "m"}}}
    crd = {"kind": "CustomResourceDefinition", "spec": {"conversion": {"webhook": {"clientConfig": {"caBundle": "Q0E="}}}}}
    config = {"kind": "ConfigMap", "data": {"a": "visible"}}
    assert [render.redact(d) for d in (secret, webhook, api, crd, config)] == [3, 1, 1, 1, 0]
    assert secret["data"] == {"a": render.REDACTED, "b": render.REDACTED} and secret["stringData"] == {"c": render.REDACTED}
    assert webhook["webhooks"][0]["clientConfig"]["caBundle"] == render.REDACTED and "caBundle" not in webhook["webhooks"][1]["clientConfig"]
    assert api["spec"]["caBundle"] == render.REDACTED
    assert crd["spec"]["conversion"]["webhook"]["clientConfig"]["caBundle"] == render.REDACTED
    assert config["data"] == {"a": "visible"}


def test_resource_ids_name_the_namespace_unless_cluster_scoped():
    assert render.resource_id({"kind": "Deployment", "metadata": {"name": "d"}}, "ns") == "Deployment/ns/d"
    assert render.resource_id({"kind": "Deployment", "metadata": {"name": "d", "namespace": "other"}}, "ns") == "Deployment/other/d"
    assert render.resource_id({"kind": "StorageClass", "metadata": {"name": "gp3"}}, "ns") == "StorageClass/gp3"


def test_validation_reports_unknown_fields_removed_kinds_and_custom_resources_without_crds():
    docs = [
        ("a", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "ok"}, "data": {"k": "v"}}),
        ("b", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "bad"}, "datta": {}}),
        ("c", {"apiVersion": "policy/v1beta1", "kind": "PodDisruptionBudget", "metadata": {"name": "old"}, "spec": {}}),
        ("d", {"apiVersion": "example.io/v1", "kind": "Widget", "metadata": {"name": "w"}}),
    ]
    errors = render.validate_documents(docs, "1.36", crd_schemas.SchemaStore([]), "ns")
    assert len(errors) == 3
    assert errors[0].startswith("ConfigMap/ns/bad: (root): Additional properties are not allowed ('datta'")
    assert errors[1] == "PodDisruptionBudget/ns/old: policy/v1beta1 PodDisruptionBudget does not exist in Kubernetes 1.36"
    assert errors[2].startswith("Widget/w: no CRD schema for example.io/v1 Widget")
    # The schemas are parsed once per process: a second pass over the same kinds finds the same problems.
    assert render.validate_documents(docs, "1.36", crd_schemas.SchemaStore([]), "ns") == errors
    assert render.kubernetes_validate.schema_contents.cache_info().hits > 0


def test_manifest_text_is_stable_and_keeps_the_template_paths():
    docs = render.split_output(HELM_OUTPUT)
    text = render.manifest_text(docs, "# header")
    assert text == render.manifest_text(render.split_output(HELM_OUTPUT), "# header")
    assert text.startswith("# header\n---\n# Source: c/templates/list.yaml\napiVersion: networking.k8s.io/v1\n")
    assert [d["kind"] for d in yaml.safe_load_all(text)] == ["IngressClass", "ConfigMap", "Secret"]


def test_values_text_sorts_keys():
    assert render.values_text({"b": 1, "a": {"d": 2, "c": 3}}, "# v") == "# v\na:\n  c: 3\n  d: 2\nb: 1\n"
