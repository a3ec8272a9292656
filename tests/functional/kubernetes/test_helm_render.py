"""chatbot.platform.helm_render with the real helm binary, the upstream chart packages and CRD schemas.

A small chart is written for each test (its templates switched by values) so each check can be made to
fail on purpose: unknown fields, a custom resource its CRD rejects, a kind no CRD defines, a chart version
the offline folder does not hold. Upstream packages in ../shared/charts show the redaction and the
idempotence on real charts that generate certificates on every render.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from module_runner import run_cli, run_in_process

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared"
CHARTS = SHARED / "charts"
CRDS = SHARED / "crd-schemas"
HELM = shutil.which("helm") or str(ROOT / ".tools" / "bin" / "helm")

needs_shared_charts = pytest.mark.skipif(not CHARTS.is_dir(), reason="../shared/charts (the offline upstream packages) is not on this machine")
needs_crds = pytest.mark.skipif(not CRDS.is_dir(), reason="../shared/crd-schemas is not on this machine")

SAMPLE = {
    "Chart.yaml": "apiVersion: v2\nname: sample\nversion: 1.2.3\ntype: application\n",
    "values.yaml": "\n".join(
        [
            "replicas: 1",
            "image: registry.example/app:1.0.0",
            "containerExtra: {}",
            "podExtra: {}",
            "secret: true",
            "store: false",
            "storeExtra: {}",
            "gadget: false",
        ]
    ),
    "templates/deployment.yaml": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: sample
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: {app: sample}
  template:
    metadata:
      labels: {app: sample}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile: {type: RuntimeDefault}
      {{- with .Values.podExtra }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
      containers:
        - name: app
          image: {{ .Values.image }}
          securityContext:
            allowPrivilegeEscalation: false
            capabilities: {drop: [ALL]}
            {{- with .Values.containerExtra }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
""",
    "templates/secret.yaml": """{{- if .Values.secret }}
apiVersion: v1
kind: Secret
metadata:
  name: sample
type: Opaque
data:
  token: {{ randAlphaNum 24 | b64enc }}
stringData:
  plain: {{ randAlphaNum 12 }}
{{- end }}
""",
    "templates/store.yaml": """{{- if .Values.store }}
apiVersion: external-secrets.io/v1
kind: SecretStore
metadata:
  name: sample
spec:
  provider:
    aws:
      service: SecretsManager
      region: eu-west-1
  {{- with .Values.storeExtra }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- end }}
""",
    "templates/gadget.yaml": """{{- if .Values.gadget }}
apiVersion: gadgets.example.io/v1
kind: Gadget
metadata:
  name: sample
spec: {}
{{- end }}
""",
}


@pytest.fixture
def sample_chart(tmp_path):
    chart = tmp_path / "sample"
    for name, text in SAMPLE.items():
        (chart / name).parent.mkdir(parents=True, exist_ok=True)
        (chart / name).write_text(text)
    return chart


def args(dest, chart, **extra):
    base = {
        "release_name": "sample",
        "release_namespace": "apps",
        "chart_ref": str(chart),
        "dest": str(dest),
        "kube_version": "1.36",
        "binary_path": HELM,
        "crd_schema_sources": [str(CRDS)],
    }
    base.update(extra)
    return base


def documents(path):
    return [d for d in yaml.safe_load_all(Path(path).read_text()) if d]


def test_renders_writes_and_is_idempotent(sample_chart, tmp_path):
    dest = tmp_path / "out"
    first = run_in_process("helm_render", args(dest, sample_chart, values={"replicas": 2}))
    assert first["changed"] is True, first
    assert first["resources"] == ["Secret/apps/sample", "Deployment/apps/sample"]
    docs = documents(first["manifest_path"])
    assert [d["kind"] for d in docs] == ["Secret", "Deployment"]
    assert docs[1]["spec"]["replicas"] == 2
    assert yaml.safe_load((dest / "values.yaml").read_text()) == {"replicas": 2}
    # randAlphaNum makes new Secret values on every render: they are redacted, so nothing changes.
    second = run_in_process("helm_render", args(dest, sample_chart, values={"replicas": 2}))
    assert second["changed"] is False, second
    assert second["redacted"] == 2


def test_secret_values_never_reach_the_disk(sample_chart, tmp_path):
    result = run_in_process("helm_render", args(tmp_path / "out", sample_chart))
    secret = documents(result["manifest_path"])[0]
    assert secret["data"] == {"token": "REDACTED-by-chatbot.platform"}
    assert secret["stringData"] == {"plain": "REDACTED-by-chatbot.platform"}


def test_check_mode_and_diff_write_nothing(sample_chart, tmp_path):
    dest = tmp_path / "out"
    run_in_process("helm_render", args(dest, sample_chart))
    before = (dest / "manifests.yaml").read_text()
    result = run_in_process("helm_render", args(dest, sample_chart, values={"replicas": 3}), check=True, diff=True)
    assert result["changed"] is True
    assert (dest / "manifests.yaml").read_text() == before
    manifest_diff = next(d for d in result["diff"] if d["after_header"].endswith("manifests.yaml"))
    assert "replicas: 1" in manifest_diff["before"] and "replicas: 3" in manifest_diff["after"]
    fresh = tmp_path / "never"
    run_in_process("helm_render", args(fresh, sample_chart), check=True)
    assert not fresh.exists()


def test_unknown_field_fails_strict_validation_and_writes_nothing(sample_chart, tmp_path):
    dest = tmp_path / "out"
    result = run_in_process("helm_render", args(dest, sample_chart, values={"containerExtra": {"runAsNonRoots": True}}))
    assert result["failed"] is True
    assert "Deployment/apps/sample" in result["msg"] and "runAsNonRoots" in result["msg"], result["msg"]
    assert "\n" not in result["msg"]
    assert not dest.exists()


def test_kind_removed_from_the_target_version_fails(sample_chart, tmp_path):
    (sample_chart / "templates" / "old.yaml").write_text(
        "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: old}\nspec: {maxUnavailable: 1}\n"
    )
    result = run_in_process("helm_render", args(tmp_path / "out", sample_chart))
    assert result["failed"] is True
    assert "policy/v1beta1 PodDisruptionBudget does not exist in Kubernetes 1.36" in result["msg"]


@needs_crds
def test_custom_resource_is_checked_against_its_crd(sample_chart, tmp_path):
    ok = run_in_process("helm_render", args(tmp_path / "ok", sample_chart, values={"store": True}))
    assert ok["changed"] is True and "SecretStore/apps/sample" in ok["resources"], ok
    bad = run_in_process("helm_render", args(tmp_path / "bad", sample_chart, values={"store": True, "storeExtra": {"refreshIntervall": 5}}))
    assert bad["failed"] is True
    assert "SecretStore/sample" in bad["msg"] and "refreshIntervall" in bad["msg"], bad["msg"]
    wrong_enum = run_in_process(
        "helm_render", args(tmp_path / "enum", sample_chart, values={"store": True, "storeExtra": {"provider": {"aws": {"service": "Vault", "region": "x"}}}})
    )
    assert wrong_enum["failed"] is True and "Vault" in wrong_enum["msg"]


def test_custom_resource_without_a_crd_fails(sample_chart, tmp_path):
    result = run_in_process("helm_render", args(tmp_path / "out", sample_chart, values={"gadget": True}))
    assert result["failed"] is True
    assert "no CRD schema for gadgets.example.io/v1 Gadget" in result["msg"]


def test_crd_in_the_release_validates_its_own_resources(sample_chart, tmp_path):
    (sample_chart / "crds").mkdir()
    (sample_chart / "crds" / "gadget.yaml").write_text(
        """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.gadgets.example.io}
spec:
  group: gadgets.example.io
  names: {kind: Gadget, plural: gadgets, singular: gadget, listKind: GadgetList}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, properties: {size: {type: integer}}}
"""
    )
    ok = run_in_process("helm_render", args(tmp_path / "out", sample_chart, values={"gadget": True}, crd_schema_sources=[]))
    assert ok["changed"] is True and ok["resources"][0] == "CustomResourceDefinition/gadgets.gadgets.example.io", ok
    without_crds = run_in_process("helm_render", args(tmp_path / "out2", sample_chart, values={"gadget": True}, include_crds=False, crd_schema_sources=[]))
    assert without_crds["failed"] is True and "no CRD schema" in without_crds["msg"]


def test_local_chart_version_must_match_the_pin(sample_chart, tmp_path):
    result = run_in_process("helm_render", args(tmp_path / "out", sample_chart, chart_version="1.2.4"))
    assert result["failed"] is True
    assert result["msg"] == f"helm_render: chart {sample_chart} is version 1.2.3, not the pinned 1.2.4"


@needs_shared_charts
def test_version_missing_from_the_offline_folder_is_one_clear_error(tmp_path):
    dest = tmp_path / "out"
    result = run_in_process(
        "helm_render",
        args(
            dest,
            "metrics-server",
            chart_ref="metrics-server",
            chart_version="3.99.0",
            chart_repo_url="https://kubernetes-sigs.github.io/metrics-server/",
            chart_archive_dir=str(CHARTS),
        ),
    )
    assert result["failed"] is True
    assert "chart metrics-server version 3.99.0 is not in the offline chart folder" in result["msg"]
    assert "metrics-server-3.13.1" in result["msg"] and "\n" not in result["msg"]
    assert not dest.exists()


@needs_shared_charts
def test_upstream_chart_with_generated_certificates_is_idempotent(tmp_path):
    dest = tmp_path / "lbc"
    lbc = args(
        dest,
        "aws-load-balancer-controller",
        release_name="aws-load-balancer-controller",
        release_namespace="kube-system",
        chart_ref="aws-load-balancer-controller",
        chart_version="3.5.0",
        chart_archive_dir=str(CHARTS),
        values={"clusterName": "chatbot-test-eks"},
    )
    first = run_in_process("helm_render", lbc)
    assert first["changed"] is True, first
    assert first["chart_source"] == str(CHARTS / "aws-load-balancer-controller-3.5.0.tgz")
    docs = documents(dest / "manifests.yaml")
    webhooks = [d for d in docs if d["kind"].endswith("WebhookConfiguration")]
    assert webhooks and all(w["clientConfig"]["caBundle"] == "REDACTED-by-chatbot.platform" for d in webhooks for w in d["webhooks"])
    tls = next(d for d in docs if d["kind"] == "Secret")
    assert set(tls["data"]) == {"ca.crt", "tls.crt", "tls.key"} and set(tls["data"].values()) == {"REDACTED-by-chatbot.platform"}
    # The chart's CRDs (crds/) and the IngressClass pair the chart wraps in a v1 List are rendered one by one.
    kinds = {d["kind"] for d in docs}
    assert {"CustomResourceDefinition", "IngressClassParams", "IngressClass"} <= kinds and "List" not in kinds
    assert run_in_process("helm_render", lbc)["changed"] is False


@needs_shared_charts
def test_helm_errors_come_back_as_one_line(tmp_path):
    result = run_in_process(
        "helm_render",
        args(tmp_path / "out", "x", release_name="lbc", chart_ref="aws-load-balancer-controller", chart_version="3.5.0", chart_archive_dir=str(CHARTS)),
    )
    assert result["failed"] is True
    assert "helm template of lbc" in result["msg"] and "clusterName" in result["msg"], result["msg"]
    assert "\n" not in result["msg"]


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"kube_version": "banana"}, "kube_version 'banana' is not a Kubernetes version such as 1.36"),
        ({"kube_version": "1.99"}, "kubernetes-validate has no schemas for Kubernetes 1.99"),
        ({"binary_path": "/nonexistent/helm"}, "the helm binary /nonexistent/helm was not found"),
        ({"chart_ref": "no-such-chart", "chart_version": ""}, "chart no-such-chart comes from a repository and needs a pinned chart_version"),
        ({"chart_ref": "no-such-chart", "chart_version": "1.0.0"}, "no offline chart folder and no chart_repo_url"),
        ({"chart_ref": "/nonexistent/chart"}, "chart /nonexistent/chart does not exist"),
    ],
)
def test_bad_input_is_one_clear_line(sample_chart, tmp_path, override, expected):
    result = run_in_process("helm_render", args(tmp_path / "out", sample_chart, **override))
    assert result["failed"] is True
    assert expected in result["msg"], result["msg"]
    assert "Traceback" not in str(result) and "\n" not in result["msg"]


def test_through_ansible_with_an_unknown_option(sample_chart, tmp_path):
    result, proc = run_cli("helm_render", dict(args(tmp_path / "out", sample_chart), chart_verison="1.2.3"))
    assert result.get("failed") is True, proc.stdout
    assert "chart_verison" in result["msg"]
    good, _proc = run_cli("helm_render", args(tmp_path / "out", sample_chart), diff=True)
    assert good["changed"] is True and os.path.isfile(good["manifest_path"])


def test_pod_security_level_of_the_namespace_is_enforced(sample_chart, tmp_path):
    dest = tmp_path / "out"
    ok = run_in_process("helm_render", args(dest, sample_chart, pod_security_level="restricted"))
    assert ok["changed"] is True and ok["pod_security"] == {}, ok
    privileged = {"containerExtra": {"privileged": True}}
    refused = run_in_process("helm_render", args(tmp_path / "refused", sample_chart, values=privileged, pod_security_level="baseline"))
    assert refused["failed"] is True
    assert "violates the baseline Pod Security Standard its namespace apps enforces: Deployment/apps/sample: privileged" in refused["msg"]
    assert not (tmp_path / "refused").exists()
    # Without enforcement the release renders, and the restricted report names what would be refused.
    allowed = run_in_process(
        "helm_render", args(tmp_path / "allowed", sample_chart, values={"podExtra": {"hostNetwork": True}}, pod_security_level="privileged")
    )
    assert allowed["changed"] is True
    assert [v.split(":")[0] for v in allowed["pod_security"]["Deployment/apps/sample"]] == ["hostNamespaces"]
