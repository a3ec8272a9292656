"""Bad values fail at render time with a message that says what to change."""

from __future__ import annotations

import re

import pytest

from .conftest import CHART, MINIMAL, RenderError, render


@pytest.mark.parametrize(
    ("sets", "message"),
    [
        ({"backend.replicas": 2}, "additional properties 'replicas' not allowed"),
        ({"frontend.replicas": 2}, "additional properties 'replicas' not allowed"),
        ({"gateway.config.clientMaxBodysize": "5m"}, "additional properties 'clientMaxBodysize' not allowed"),
        ({"ingress.admin.exposure": "open"}, "/ingress/admin/exposure"),
        ({"ingres": {"enabled": False}}, "additional properties 'ingres' not allowed"),
        ({"backend.image.tag": "latest"}, "/image/tag"),
        ({"backend.config.applicationEnv": "production"}, "/config/applicationEnv"),
        ({"backend.image.digest": "sha256:abc"}, "/image/digest"),
        ({"backend.persistence.accessMode": "RWX"}, "/persistence/accessMode"),
    ],
)
def test_schema_rejects(sets, message):
    with pytest.raises(RenderError, match=re.escape(message)):
        render(MINIMAL, sets=sets)


def test_backend_hpa_refused_on_a_readwriteonce_volume():
    with pytest.raises(RenderError, match=r"needs a shared model volume.*ReadWriteMany"):
        render(MINIMAL, sets={"backend.autoscaling.enabled": True})


def test_backend_hpa_refused_without_a_volume():
    with pytest.raises(RenderError, match=r"persistence disabled \(emptyDir\)"):
        render(MINIMAL, sets={"backend.autoscaling.enabled": True, "backend.persistence.enabled": False})


def test_backend_replicas_refused_on_a_readwriteonce_volume():
    with pytest.raises(RenderError, match=r"replicaCount=3 needs a shared model volume"):
        render(MINIMAL, sets={"backend.replicaCount": 3})


def test_backend_hpa_allowed_on_efs():
    m = render(CHART / "ci" / "autoscaling-efs-values.yaml")
    hpa = m.get("HorizontalPodAutoscaler", "chatbot-backend")
    assert hpa["spec"]["maxReplicas"] == 10
    deploy = m.get("Deployment", "chatbot-backend")
    assert deploy["spec"]["strategy"]["type"] == "RollingUpdate"
    image = deploy["spec"]["template"]["spec"]["containers"][0]["image"]
    assert image.endswith("@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")


def test_database_secret_is_required():
    with pytest.raises(RenderError, match=r"existingSecret.name .* or backend.database.externalSecret.enabled is required"):
        render(CHART / "ci" / "minimal-values.yaml", sets={"backend.database.existingSecret.name": ""})


def test_existing_database_secret_and_key_are_used():
    m = render(CHART / "ci" / "admin-none-values.yaml")
    env = {e["name"]: e for e in m.get("Deployment", "chatbot-backend")["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["MONGODB_HOST"]["valueFrom"]["secretKeyRef"] == {"name": "chatbot-mongodb-uri", "key": "connection"}
    assert not m.of("ExternalSecret")


def test_mongodb_never_generates_a_password():
    with pytest.raises(RenderError, match=r"never generates or stores a database password"):
        render(MINIMAL, sets={"mongodb.enabled": True})


def test_service_monitor_needs_the_exporter():
    with pytest.raises(RenderError, match=r"needs gateway.metrics.enabled"):
        render(MINIMAL, sets={"gateway.metrics.serviceMonitor.enabled": True})


def test_gateway_pods_roll_when_the_config_changes():
    def checksum(**sets):
        m = render(MINIMAL, sets=sets)
        return m.get("Deployment", "chatbot-gateway")["spec"]["template"]["metadata"]["annotations"]["checksum/config"]

    assert checksum() == checksum()
    assert checksum() != checksum(**{"gateway.config.clientMaxBodySize": "50m"})


@pytest.mark.parametrize("sub", ["frontend", "backend", "gateway", "mongodb"])
def test_each_subchart_renders_alone(sub):
    chart = CHART / "charts" / sub
    m = render(chart / "ci" / "standalone-values.yaml", chart=chart)
    workloads = m.of("Deployment") + m.of("StatefulSet")
    assert [w["metadata"]["name"] for w in workloads] == [f"chatbot-{sub}"]
    assert m.get("NetworkPolicy", f"chatbot-{sub}")
