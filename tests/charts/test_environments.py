"""What dev, staging and prod get from charts/chatbot with their values files."""

from __future__ import annotations

import pytest

ENVS = ("dev", "staging", "prod")


def containers(spec):
    return spec.get("initContainers", []) + spec["containers"]


def env_of(container):
    return {e["name"]: e for e in container.get("env", [])}


@pytest.mark.parametrize("env", ENVS)
def test_every_pod_is_restricted(envs, env):
    owners = []
    for owner, spec in envs[env].pod_specs():
        owners.append(owner)
        pod = spec["securityContext"]
        assert pod["runAsNonRoot"] is True, owner
        assert pod["runAsUser"] > 0, owner
        assert pod["seccompProfile"]["type"] == "RuntimeDefault", owner
        assert spec["automountServiceAccountToken"] is False, owner
        for c in containers(spec):
            sc = c["securityContext"]
            assert sc["allowPrivilegeEscalation"] is False, (owner, c["name"])
            assert sc["capabilities"]["drop"] == ["ALL"], (owner, c["name"])
            assert sc["readOnlyRootFilesystem"] is True, (owner, c["name"])
            assert "add" not in sc["capabilities"], (owner, c["name"])
            assert c["resources"]["requests"]["cpu"] and c["resources"]["requests"]["memory"], (owner, c["name"])
            assert c["resources"]["limits"]["memory"], (owner, c["name"])
    assert any(o.startswith("Deployment/chatbot-backend") for o in owners)


@pytest.mark.parametrize("env", ENVS)
def test_images_are_pinned(envs, env):
    for owner, spec in envs[env].pod_specs():
        for c in containers(spec):
            image = c["image"]
            assert "@sha256:" in image or (":" in image.rsplit("/", 1)[-1] and not image.endswith(":latest")), (owner, image)


@pytest.mark.parametrize("env", ENVS)
def test_long_running_containers_have_probes(envs, env):
    for d in envs[env].of("Deployment") + envs[env].of("StatefulSet"):
        for c in d["spec"]["template"]["spec"]["containers"]:
            assert "readinessProbe" in c and "livenessProbe" in c, (d["metadata"]["name"], c["name"])


@pytest.mark.parametrize("env", ENVS)
def test_ports_and_routing(envs, env):
    m = envs[env]
    fe = m.get("Deployment", "chatbot-frontend")["spec"]["template"]["spec"]["containers"][0]
    assert fe["ports"][0]["containerPort"] == 3000
    assert env_of(fe)["PORT"]["value"] == "3000"
    assert env_of(fe)["HOSTNAME"]["value"] == "0.0.0.0"  # noqa: S104 - the pod must listen on its own address

    be = m.get("Deployment", "chatbot-backend")["spec"]["template"]["spec"]["containers"][0]
    assert be["ports"][0]["containerPort"] == 8080
    assert be["command"][:2] == ["fastapi", "run"]
    assert be["command"][be["command"].index("--port") + 1] == "8080"
    assert be["command"][be["command"].index("--root-path") + 1] == "/api"
    svc = m.get("Service", "chatbot-backend")["spec"]["ports"][0]
    assert (svc["port"], svc["targetPort"]) == (80, "http")

    conf = m.get("ConfigMap", "chatbot-gateway")["data"]["default.conf"]
    assert "set $frontend_upstream http://chatbot-frontend.chatbot.svc.cluster.local:3000;" in conf
    assert "set $backend_upstream http://chatbot-backend.chatbot.svc.cluster.local:80;" in conf
    assert "rewrite ^/api/(.*)$ /$1 break;" in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert "client_max_body_size 20m;" in conf
    assert "resolver kube-dns.kube-system.svc.cluster.local" in conf
    for header in ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Strict-Transport-Security"):
        assert f"add_header {header}" in conf
    gw = m.get("Deployment", "chatbot-gateway")
    assert gw["spec"]["template"]["metadata"]["annotations"]["checksum/config"]


@pytest.mark.parametrize("env", ENVS)
def test_backend_environment(envs, env):
    m = envs[env]
    for name in ("chatbot-backend",):
        spec = m.get("Deployment", name)["spec"]["template"]["spec"]
        c = spec["containers"][0]
        e = env_of(c)
        assert e["APPLICATION_ENV"]["value"] in ("Development", "Testing", "Production")
        assert e["SPACY_LANG_MODEL"]["value"] == "en_core_web_md"
        assert e["MONGODB_HOST"]["valueFrom"]["secretKeyRef"] == {"name": "chatbot-backend-mongodb", "key": "uri"}
        assert e["MONGODB_DATABASE"]["value"]
        mounts = {v["name"]: v["mountPath"] for v in c["volumeMounts"]}
        assert mounts["models"] == e["MODELS_DIR"]["value"]
        volumes = {v["name"]: v for v in spec["volumes"]}
        assert volumes["models"]["persistentVolumeClaim"]["claimName"] == "chatbot-backend-models"
    secret = m.get("ExternalSecret", "chatbot-backend-mongodb")
    # The key under the ClusterSecretStore prefix chatbot/<env>/ (test_platform_facts checks the full name).
    assert secret["spec"]["data"][0]["remoteRef"] == {"key": "mongodb", "property": "uri"}


@pytest.mark.parametrize("env", ENVS)
def test_backend_probes_cover_the_spacy_load(envs, env):
    c = envs[env].get("Deployment", "chatbot-backend")["spec"]["template"]["spec"]["containers"][0]
    for probe in ("startupProbe", "readinessProbe"):
        assert c[probe]["httpGet"] == {"path": "/ready", "port": "http"}
    startup = c["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 300


@pytest.mark.parametrize("env", ENVS)
def test_backend_and_migration_run_on_the_ml_nodes(envs, env):
    m = envs[env]
    job = m.of("Job")[0]
    for spec in (m.get("Deployment", "chatbot-backend")["spec"]["template"]["spec"], job["spec"]["template"]["spec"]):
        assert spec["nodeSelector"] == {"workload": "ml"}
        assert {"key": "workload", "operator": "Equal", "value": "ml", "effect": "NoSchedule"} in spec["tolerations"]
    for name in ("chatbot-frontend", "chatbot-gateway"):
        spec = m.get("Deployment", name)["spec"]["template"]["spec"]
        assert "tolerations" not in spec, name


@pytest.mark.parametrize("env", ENVS)
def test_backend_service_account_has_the_irsa_role(envs, env):
    sa = envs[env].get("ServiceAccount", "chatbot-backend")
    account = {"dev": "222222222222", "staging": "333333333333", "prod": "444444444444"}[env]
    assert sa["metadata"]["annotations"]["eks.amazonaws.com/role-arn"] == f"arn:aws:iam::{account}:role/chatbot-{env}-chatbot-backend"


def test_dev_is_small_with_in_cluster_mongodb(envs):
    m = envs["dev"]
    for name in ("chatbot-frontend", "chatbot-backend", "chatbot-gateway"):
        assert m.get("Deployment", name)["spec"]["replicas"] == 1
    assert not m.of("HorizontalPodAutoscaler")
    assert not m.of("PodDisruptionBudget"), "a budget over one pod would block node drains"
    sts = m.get("StatefulSet", "chatbot-mongodb")
    c = sts["spec"]["template"]["spec"]["containers"][0]
    assert c["image"].startswith("mongo:")
    assert "--auth" in c["args"]
    assert env_of(c)["MONGO_INITDB_ROOT_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == "chatbot-mongodb-auth"
    assert sts["spec"]["volumeClaimTemplates"][0]["spec"]["accessModes"] == ["ReadWriteOnce"]
    pvc = m.get("PersistentVolumeClaim", "chatbot-backend-models")
    assert pvc["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert m.get("Deployment", "chatbot-backend")["spec"]["strategy"]["type"] == "Recreate"


@pytest.mark.parametrize("env", ("staging", "prod"))
def test_shared_environments_use_atlas_and_efs(envs, env):
    m = envs[env]
    assert not m.of("StatefulSet"), "no in-cluster database outside dev"
    pvc = m.get("PersistentVolumeClaim", "chatbot-backend-models")
    assert pvc["spec"]["accessModes"] == ["ReadWriteMany"]
    assert pvc["spec"]["storageClassName"] == "efs-models"
    policy = m.get("NetworkPolicy", "chatbot-backend")
    db_rules = [r for r in policy["spec"]["egress"] if any("ipBlock" in t for t in r.get("to", []))]
    assert [p["port"] for r in db_rules for p in r["ports"]] == [27017], "Atlas's public SRV route only (no HTTPS egress for the API)"


def test_staging_runs_two_of_everything(envs):
    for name in ("chatbot-frontend", "chatbot-backend", "chatbot-gateway"):
        assert envs["staging"].get("Deployment", name)["spec"]["replicas"] == 2
        assert envs["staging"].get("PodDisruptionBudget", name)["spec"]["minAvailable"] == 1


def test_prod_autoscales_from_three(envs):
    m = envs["prod"]
    hpas = {h["metadata"]["name"]: h["spec"] for h in m.of("HorizontalPodAutoscaler")}
    assert set(hpas) == {"chatbot-frontend", "chatbot-backend", "chatbot-gateway"}
    # The backend's maximum is what the ml node group holds (test_platform_facts.test_backend_fits_the_ml_node_group).
    assert {name: spec["maxReplicas"] for name, spec in hpas.items()} == {"chatbot-frontend": 10, "chatbot-gateway": 10, "chatbot-backend": 8}
    for name, spec in hpas.items():
        assert spec["minReplicas"] >= 3, name
        assert {x["resource"]["name"] for x in spec["metrics"]} == {"cpu", "memory"}, name
        assert spec["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        assert "replicas" not in m.get("Deployment", name)["spec"], "the HPA owns the replica count"
        assert m.get("PodDisruptionBudget", name)
    zone = m.get("Deployment", "chatbot-frontend")["spec"]["template"]["spec"]["topologySpreadConstraints"][0]
    assert zone["topologyKey"] == "topology.kubernetes.io/zone" and zone["whenUnsatisfiable"] == "DoNotSchedule"


@pytest.mark.parametrize("env", ("staging", "prod"))
def test_gateway_metrics_are_scraped(envs, env):
    m = envs[env]
    sm = m.get("ServiceMonitor", "chatbot-gateway")
    assert sm["spec"]["endpoints"][0]["port"] == "metrics"
    assert sm["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    ports = {p["name"] for p in m.get("Service", "chatbot-gateway")["spec"]["ports"]}
    assert "metrics" in ports
    assert "stub_status" in m.get("ConfigMap", "chatbot-gateway")["data"]["default.conf"]
