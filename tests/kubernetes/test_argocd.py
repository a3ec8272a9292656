"""ArgoCD (step 7) as rendered for every inventory, with the platform stack's real outputs.

The upstream argo-cd chart 10.1.1 renders with the role's values into <work>/rendered/argocd/ (validated strictly
by the step itself). These tests read what landed where the chart's programs read it: the Deployments and
StatefulSets (HA facts), argocd-cm (URL, admin account, Dex SAML connector, health checks), argocd-rbac-cm,
argocd-cmd-params-cm (sharding, TLS on the ALB), argocd-notifications-cm (services, templates, triggers), the
Ingress and its gRPC Service, the ExternalSecrets, and compare them with the inventory and the outputs.
"""

from __future__ import annotations

import sys

import pytest
import yaml
from conftest import ENVIRONMENTS, ROOT

sys.path.insert(0, str(ROOT / "build" / "collections"))
from ansible_collections.chatbot.platform.plugins.module_utils._k8s import pod_security

RELEASE = "argocd"
NAMESPACE = "argocd"
TRIGGERS = {"on-sync-failed", "on-health-degraded", "on-deployed"}
SERVICES = {"service.slack", "service.webhook.email-relay"}


ROLE_DEFAULTS = yaml.safe_load((ROOT / "roles" / "argocd" / "defaults" / "main.yml").read_text())


def setting(env, name: str):
    """An argocd_* input as the role sees it: the inventory's value, else the role's default."""
    return env.inventory.get(name, ROLE_DEFAULTS[name])


@pytest.fixture(params=ENVIRONMENTS)
def env(request, rendered):
    return rendered[request.param].of_step([RELEASE])


def docs(env) -> list[dict]:
    return [d for d in env.docs(RELEASE) if d["kind"] != "CustomResourceDefinition"]


def config_map(env, name: str) -> dict:
    return env.get(RELEASE, "ConfigMap", name)["data"]


def workloads(env) -> dict[str, dict]:
    return {f"{d['kind']}/{d['metadata']['name']}": d for d in docs(env) if d["kind"] in ("Deployment", "StatefulSet")}


def pod_spec(doc: dict) -> dict:
    return doc["spec"]["template"]["spec"]


def hpa_min(env, name: str) -> int | None:
    found = [d for d in docs(env) if d["kind"] == "HorizontalPodAutoscaler" and d["spec"]["scaleTargetRef"]["name"] == name]
    return found[0]["spec"]["minReplicas"] if found else None


def replicas(env, doc: dict) -> int:
    return hpa_min(env, doc["metadata"]["name"]) or doc["spec"].get("replicas", 1)


def test_the_pinned_upstream_chart_is_rendered(env):
    assert RELEASE in env.releases()
    ours = [d["metadata"].get("labels", {}) for d in docs(env)]
    labels = {lab.get("helm.sh/chart") for lab in ours if lab.get("app.kubernetes.io/part-of") == "argocd"}
    assert labels == {"argo-cd-10.1.1"}, labels
    assert all(d["metadata"].get("namespace") in (None, NAMESPACE) for d in docs(env) if d["kind"] not in ("ClusterRole", "ClusterRoleBinding"))
    crds = {d["metadata"]["name"] for d in env.docs(RELEASE) if d["kind"] == "CustomResourceDefinition"}
    assert crds == {"applications.argoproj.io", "applicationsets.argoproj.io", "appprojects.argoproj.io"}


def test_prod_is_highly_available_as_the_chart_documents(env):
    if not env.inventory["argocd_ha"]:
        pytest.skip(f"{env.env} runs single replicas (test_single_replicas_outside_prod)")
    assert env.env == "prod"
    found = workloads(env)
    # redis-ha instead of the single Redis: 3 Redis servers with sentinels and 3 HAProxies, one per node.
    assert "Deployment/argocd-redis" not in found
    assert found["StatefulSet/argocd-redis-ha-server"]["spec"]["replicas"] == 3
    assert found["Deployment/argocd-redis-ha-haproxy"]["spec"]["replicas"] == 3
    assert config_map(env, "argocd-cmd-params-cm")["redis.server"] == "argocd-redis-ha-haproxy:6379"
    # Application controller shards: the StatefulSet and ARGOCD_CONTROLLER_REPLICAS agree, the algorithm is the inventory's.
    controller = found["StatefulSet/argocd-application-controller"]
    assert controller["spec"]["replicas"] == env.inventory["argocd_controller_replicas"] >= 2
    container_env = {e["name"]: e.get("value") for e in pod_spec(controller)["containers"][0].get("env", [])}
    assert container_env["ARGOCD_CONTROLLER_REPLICAS"] == str(env.inventory["argocd_controller_replicas"])
    assert config_map(env, "argocd-cmd-params-cm")["controller.sharding.algorithm"] == "consistent-hashing"
    # API and repo servers behind HPAs with 2 or more replicas, 2 or more ApplicationSet controllers.
    for name, bounds in (("argocd-server", env.inventory["argocd_server_replicas"]), ("argocd-repo-server", env.inventory["argocd_repo_server_replicas"])):
        hpa = next(d for d in docs(env) if d["kind"] == "HorizontalPodAutoscaler" and d["spec"]["scaleTargetRef"]["name"] == name)
        assert hpa["spec"]["minReplicas"] == bounds["min"] >= 2 and hpa["spec"]["maxReplicas"] == bounds["max"], name
    assert found["Deployment/argocd-applicationset-controller"]["spec"]["replicas"] == env.inventory["argocd_applicationset_replicas"] >= 2
    # One Redis and one HAProxy per node: the node groups the pods may run on start with 3 nodes or more.
    selector = setting(env, "argocd_node_selector")
    groups = env.inventory["platform_stack_node_groups"].values()
    assert sum(g["min_size"] for g in groups if selector.items() <= g.get("labels", {}).items()) >= 3


def _covering(pdbs: list[dict], workload: dict) -> list[dict]:
    labels = workload["spec"]["template"]["metadata"].get("labels", {})
    return [p for p in pdbs if p["spec"]["selector"].get("matchLabels") and all(labels.get(k) == v for k, v in p["spec"]["selector"]["matchLabels"].items())]


def test_every_replicated_component_has_a_disruption_budget_that_allows_drains(env):
    pdbs = [d for d in docs(env) if d["kind"] == "PodDisruptionBudget"]
    for name, workload in workloads(env).items():
        count = replicas(env, workload)
        covering = _covering(pdbs, workload)
        if count > 1:
            assert covering, f"{env.env}: {name} ({count} replicas) has no PodDisruptionBudget"
        for pdb in covering:
            assert pdb["spec"].get("maxUnavailable") == 1 or 0 < pdb["spec"].get("minAvailable", 0) < count, (env.env, name, pdb["spec"])
    if env.env == "prod":
        assert len(pdbs) >= 6, [p["metadata"]["name"] for p in pdbs]


def test_single_replicas_outside_prod(env):
    if env.inventory["argocd_ha"]:
        pytest.skip("prod is highly available")
    for name, workload in workloads(env).items():
        assert replicas(env, workload) == 1, (env.env, name)
    assert not [d for d in docs(env) if d["kind"] in ("HorizontalPodAutoscaler", "PodDisruptionBudget")], env.env
    assert "Deployment/argocd-redis" in workloads(env)


def test_every_pod_meets_the_restricted_standard_of_the_argocd_namespace(env):
    assert env.inventory["platform_namespaces"][NAMESPACE] == "restricted"
    version = env.inventory["platform_eks_version"]
    checked = [d for d in env.docs(RELEASE) if pod_security.workload_pods(d)]
    assert len(checked) >= 7, (env.env, len(checked))
    assert not pod_security.evaluate_manifest(env.docs(RELEASE), "restricted", version), env.env


def test_workloads_have_requests_memory_limits_and_run_on_general_nodes(env):
    for name, workload in workloads(env).items():
        spec = pod_spec(workload)
        # The chart's global selector (kubernetes.io/os: linux) stays; ours is added to it.
        assert setting(env, "argocd_node_selector").items() <= (spec.get("nodeSelector") or {}).items(), (env.env, name)
        for container in spec["containers"] + spec.get("initContainers", []):
            resources = container.get("resources") or {}
            assert resources.get("requests", {}).get("cpu") and resources.get("requests", {}).get("memory"), (env.env, name, container["name"])
            assert resources.get("limits", {}).get("memory"), (env.env, name, container["name"])


def test_argocd_cm_has_the_url_sso_and_no_admin(env):
    cm = config_map(env, "argocd-cm")
    url = f"https://{env.inventory['argocd_hostname']}"
    assert cm["url"] == url
    assert cm["admin.enabled"] == "false", "the local admin account is off while SSO is on"
    assert cm["users.anonymous.enabled"] == "false"
    assert cm["accounts.ci"] == "apiKey"
    dex = yaml.safe_load(cm["dex.config"])
    (connector,) = dex["connectors"]
    assert connector["type"] == "saml"
    config = connector["config"]
    assert config["redirectURI"] == config["entityIssuer"] == f"{url}/api/dex/callback"
    # Both come from the Secret argocd-sso that External Secrets writes ($<secret>:<key>, resolved by ArgoCD).
    assert config["ssoURL"] == "$argocd-sso:ssoURL" and config["caData"] == "$argocd-sso:caData"
    assert config["groupsAttr"] == "groups" and config["usernameAttr"] == config["emailAttr"] == "email"
    assert config_map(env, "argocd-cmd-params-cm")["server.insecure"] == "true", "TLS ends on the ALB"
    assert "Deployment/argocd-dex-server" in workloads(env)


def test_rbac_lands_in_argocd_rbac_cm(env):
    cm = config_map(env, "argocd-rbac-cm")
    assert cm["policy.default"] == "role:readonly"
    assert cm["policy.matchMode"] == "glob"
    assert "groups" in yaml.safe_load(cm["scopes"])
    rules = {line.strip() for line in cm["policy.csv"].splitlines()}
    ids, roles = env.inventory["argocd_rbac_group_ids"], env.inventory["argocd_rbac_group_roles"]
    for group, role in roles.items():
        assert f"g, {ids[group]}, role:{role}" in rules, (env.env, group)
    assert "g, ci, role:ci" in rules
    assert "p, role:ci, applications, sync, chatbot-dev/*, allow" in rules
    assert not [r for r in rules if r.startswith("p, role:developer") and "chatbot-prod/" in r and ", sync," in r]


def test_notifications_services_templates_and_triggers(env):
    cm = config_map(env, "argocd-notifications-cm")
    assert set(cm) >= SERVICES, sorted(cm)
    assert yaml.safe_load(cm["service.slack"]) == {"token": "$slack-token"}
    relay = yaml.safe_load(cm["service.webhook.email-relay"])
    assert relay["url"] == env.inventory["argocd_notifications_email_relay_url"]
    assert {"name": "Authorization", "value": "Bearer $email-relay-token"} in relay["headers"]
    triggers = {k.removeprefix("trigger."): yaml.safe_load(v) for k, v in cm.items() if k.startswith("trigger.")}
    assert set(triggers) == TRIGGERS
    templates = {k.removeprefix("template."): yaml.safe_load(v) for k, v in cm.items() if k.startswith("template.")}
    for name, conditions in triggers.items():
        for condition in conditions:
            for template in condition["send"]:
                assert template in templates, (name, template)
                assert {"slack", "webhook", "message"} <= set(templates[template]) and "email-relay" in templates[template]["webhook"]
    assert cm["context"].strip() == f"argocdUrl: https://{env.inventory['argocd_hostname']}"


def _external_secrets(env) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs(env) if d["kind"] == "ExternalSecret"}


def test_credentials_come_from_secrets_manager_through_the_step_6_store(env, platform_outputs):
    store = next(d for d in env.docs("cluster-secret-store") if d["kind"] == "ClusterSecretStore")
    found = _external_secrets(env)
    expected = {"argocd-sso", "argocd-notifications-secret"} | ({"argocd-repo-gitops"} if env.inventory.get("platform_gitops_repo_url") else set())
    assert set(found) == expected, sorted(found)
    assert NAMESPACE in store["spec"]["conditions"][0]["namespaces"]
    for name, external in found.items():
        spec = external["spec"]
        assert spec["secretStoreRef"] == {"kind": "ClusterSecretStore", "name": store["metadata"]["name"]}
        assert spec["target"]["name"] == name
        assert spec["target"]["template"]["metadata"]["labels"]["app.kubernetes.io/part-of"] == "argocd", "ArgoCD reads $<secret>:<key> only from its own"
        for item in spec["data"]:
            # Remote keys are relative to the store's prefix; the platform stack made each container.
            assert item["remoteRef"]["key"] in platform_outputs["app_secret_arns"], (env.env, name, item)
            assert not item["remoteRef"]["key"].startswith(platform_outputs["secrets_name_prefix"])
    assert {i["secretKey"] for i in found["argocd-sso"]["spec"]["data"]} == {"ssoURL", "caData"}
    assert {i["secretKey"] for i in found["argocd-notifications-secret"]["spec"]["data"]} == {"slack-token", "email-relay-token"}
    # The notifications controller reads argocd-notifications-secret: External Secrets owns it, the chart does not write it.
    assert not [d for d in docs(env) if d["kind"] == "Secret" and d["metadata"]["name"] == "argocd-notifications-secret"]


def test_repository_credentials_come_from_secrets_manager(env):
    url = env.inventory.get("platform_gitops_repo_url")
    if not url:
        pytest.skip("no platform_gitops_repo_url in this inventory (gitops.yml of step 8)")
    repo = _external_secrets(env)["argocd-repo-gitops"]["spec"]
    template = repo["target"]["template"]
    assert template["metadata"]["labels"]["argocd.argoproj.io/secret-type"] == "repository"
    assert template["data"]["url"] == url and template["data"]["type"] == "git"
    assert template["data"]["password"] == "{{ .password }}", "ESO fills the value; nothing secret in the manifest"
    assert not [d for d in docs(env) if d["kind"] == "Secret" and "repository" in str(d["metadata"].get("labels", {}))]


def test_no_secret_values_are_rendered(env):
    for doc in env.docs(RELEASE):
        if doc["kind"] == "Secret":
            assert set((doc.get("data") or {}).values()) <= {"REDACTED-by-chatbot.platform"}, (env.env, doc["metadata"]["name"])
            assert not doc.get("stringData"), (env.env, doc["metadata"]["name"])
    values = yaml.safe_load((env.work_dir / "rendered" / RELEASE / "values.yaml").read_text())
    assert values["configs"]["repositories"] == {} and values["configs"]["credentialTemplates"] == {}
    assert values["notifications"]["secret"]["create"] is False
    assert not values["configs"]["secret"].get("argocdServerAdminPassword")


def test_ingress_is_https_through_the_alb_with_the_stack_certificate(env, platform_outputs):
    ingresses = [d for d in docs(env) if d["kind"] == "Ingress"]
    if env.env == "local":
        # moto's stack has no certificate: no Ingress, and the run summary says why.
        assert platform_outputs.get("certificate_arn") is None and not ingresses
        if "(rendered by the molecule converge)" not in env.log:
            # (A molecule converge's output is not handed to the suite; tests/functional/kubernetes checks the message.)
            assert "argocd: no Ingress rendered" in env.log
        return
    (ingress,) = ingresses
    annotations = ingress["metadata"]["annotations"]
    certificate = annotations["alb.ingress.kubernetes.io/certificate-arn"]
    assert certificate.startswith(f"arn:aws:acm:{platform_outputs['region']}:{env.inventory['platform_accounts'][env.env]}:certificate/")
    assert yaml.safe_load(annotations["alb.ingress.kubernetes.io/listen-ports"]) == [{"HTTP": 80}, {"HTTPS": 443}]
    assert annotations["alb.ingress.kubernetes.io/ssl-redirect"] == "443"
    assert annotations["alb.ingress.kubernetes.io/scheme"] == env.inventory["argocd_ingress_scheme"]
    assert annotations["alb.ingress.kubernetes.io/target-type"] == "ip"
    assert ingress["spec"]["ingressClassName"] == "alb"
    (rule,) = ingress["spec"]["rules"]
    assert rule["host"] == env.inventory["argocd_hostname"]
    # The CLI's gRPC: a rule on Content-Type application/grpc to argocd-server-grpc, whose target group speaks gRPC.
    backends = [p["backend"]["service"]["name"] for p in rule["http"]["paths"]]
    assert backends == ["argocd-server-grpc", "argocd-server"]
    condition = yaml.safe_load(annotations["alb.ingress.kubernetes.io/conditions.argocd-server-grpc"])
    assert condition[0]["httpHeaderConfig"] == {"httpHeaderName": "Content-Type", "values": ["application/grpc"]}
    grpc = env.get(RELEASE, "Service", "argocd-server-grpc")
    assert grpc["metadata"]["annotations"]["alb.ingress.kubernetes.io/backend-protocol-version"] == "GRPC"
    assert grpc["spec"]["type"] == "ClusterIP"
    # The host name is a name of the certificate the stack requests.
    edge = env.inventory["platform_stack_edge"]
    assert env.inventory["argocd_hostname"] in [edge["domain_name"], *edge.get("subject_alternative_names", [])]


def _health(script: str, obj: dict) -> dict:
    """Run an argocd-cm health script the way ArgoCD does (Lua 5.1, the resource as the global obj)."""
    lua51 = pytest.importorskip("lupa.lua51")
    lua = lua51.LuaRuntime(unpack_returned_tuples=True)
    lua.globals().obj = lua.table_from(obj, recursive=True)
    result = lua.execute(script)
    return dict(result.items())


def test_external_secret_health_check_runs_in_lua(env):
    cm = config_map(env, "argocd-cm")
    script = cm["resource.customizations.health.external-secrets.io_ExternalSecret"]
    ready = {"status": {"conditions": [{"type": "Ready", "status": "True", "reason": "SecretSynced", "message": "Secret was synced"}]}}
    failed = {"status": {"conditions": [{"type": "Ready", "status": "False", "reason": "SecretSyncedError", "message": "could not get secret"}]}}
    assert _health(script, ready) == {"status": "Healthy", "message": "Secret was synced"}
    assert _health(script, failed)["status"] == "Degraded"
    assert _health(script, {"spec": {}})["status"] == "Progressing"
    for kind in ("SecretStore", "ClusterSecretStore"):
        assert _health(cm[f"resource.customizations.health.external-secrets.io_{kind}"], ready)["status"] == "Healthy"
