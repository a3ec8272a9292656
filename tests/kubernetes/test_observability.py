"""The observability step (playbooks/observability.yml) as rendered for every inventory, against the platform stack's
real outputs and the releases step 6 rendered into the same work folder.

helm_render already validated every resource strictly for the inventory's Kubernetes version and every custom
resource (Prometheus, Alertmanager, ServiceMonitor, PodMonitor, PrometheusRule, ExternalSecret) against its CRD;
these tests hold the rendered stack to the inventory (retention, storage class, replicas, budgets, alert routes,
SSO), to the Terraform outputs (Fluent Bit's role, service account and log group; the secrets the stack creates)
and to step 6 (the ClusterSecretStore, the storage class, the controllers whose metrics are scraped).
"""

from __future__ import annotations

import sys

import pytest
from conftest import ENVIRONMENTS, ROOT

sys.path.insert(0, str(ROOT / "build" / "collections"))
from ansible_collections.chatbot.platform.plugins.module_utils._k8s import pod_security

RELEASES = ["aws-for-fluent-bit", "kube-prometheus-stack"]
KPS = "kube-prometheus-stack"
FLUENT_BIT = "aws-for-fluent-bit"
REDACTED = "REDACTED-by-chatbot.platform"
# Workloads that cannot meet the restricted Pod Security Standard, with the upstream reason; the monitoring
# namespace is privileged for them (inventories/*/group_vars/all/kubernetes.yml, docs/observability.md).
PRIVILEGED_EXCEPTIONS = {
    "DaemonSet/kube-prometheus-stack-prometheus-node-exporter": "node-exporter reads the host: hostNetwork, hostPID and the root file system (hostPath)",
    "DaemonSet/aws-for-fluent-bit": "Fluent Bit tails the node's /var/log (hostPath) as root and keeps its read position there",
}


def pod_spec(doc: dict) -> dict:
    return doc["spec"]["template"]["spec"]


@pytest.fixture(params=ENVIRONMENTS)
def env(request, rendered):
    return rendered[request.param].of_step(RELEASES)


@pytest.fixture
def everything(env, rendered):
    """Every release of the same inventory as env, step 6's included."""
    return rendered[env.env]


def one(env, release, kind):
    found = [d for d in env.docs(release) if d["kind"] == kind]
    assert len(found) == 1, f"{env.env}: {len(found)} {kind} in {release}"
    return found[0]


def test_every_release_is_rendered(env):
    assert env.releases() == RELEASES


def test_prometheus_and_alertmanager_follow_the_inventory(env, everything):
    inv = env.inventory
    replicas = inv["observability_replicas"]
    assert replicas == {"local": 1, "dev": 1, "staging": 1, "prod": 2}[env.env]
    block = inv["platform_storage_classes"]["block"]
    # The class step 6 creates: EBS gp3.
    classes = {d["metadata"]["name"]: d for d in everything.docs("cluster-base") if d["kind"] == "StorageClass"}
    assert classes[block]["parameters"]["type"] == "gp3"

    prometheus = one(env, KPS, "Prometheus")["spec"]
    assert prometheus["replicas"] == replicas
    assert prometheus["retention"] == inv["observability_prometheus_retention"]
    assert prometheus["retentionSize"] == inv["observability_prometheus_retention_size"]
    claim = prometheus["storage"]["volumeClaimTemplate"]["spec"]
    assert claim["storageClassName"] == block
    assert claim["resources"]["requests"]["storage"] == inv["observability_prometheus_storage_size"]
    assert prometheus["externalLabels"]["environment"] == env.env
    # Every ServiceMonitor, PodMonitor and rule of the cluster, the chatbot chart's included.
    for selector in ("serviceMonitorSelector", "podMonitorSelector", "ruleSelector", "probeSelector"):
        assert prometheus[selector] == {}, (env.env, selector)
    assert prometheus["serviceMonitorNamespaceSelector"] == {} and prometheus["ruleNamespaceSelector"] == {}

    alertmanager = one(env, KPS, "Alertmanager")["spec"]
    assert alertmanager["replicas"] == replicas
    assert alertmanager["storage"]["volumeClaimTemplate"]["spec"]["storageClassName"] == block
    assert alertmanager["secrets"] == [inv.get("observability_secrets", {}).get("alertmanager", "alertmanager-receivers")]


def test_replicated_pods_have_disruption_budgets_that_allow_an_eviction(env):
    replicas = env.inventory["observability_replicas"]
    pdbs = {d["metadata"]["name"]: d["spec"] for d in env.docs(KPS) if d["kind"] == "PodDisruptionBudget"}
    if replicas > 1:
        assert set(pdbs) == {"kube-prometheus-stack-prometheus", "kube-prometheus-stack-alertmanager"}, env.env
        for name, spec in pdbs.items():
            assert spec["minAvailable"] < replicas, (env.env, name)
    else:
        assert pdbs == {}, f"{env.env}: a budget on a single copy blocks node drains"


def test_no_secret_value_is_rendered(env, platform_outputs):
    """Secrets come from Secrets Manager through ExternalSecrets; configuration only names the files they become."""
    for release in env.releases():
        text = (env.work_dir / "rendered" / release / "manifests.yaml").read_text() + (env.work_dir / "rendered" / release / "values.yaml").read_text()
        for marker in ("hooks.slack.com", "BEGIN RSA PRIVATE KEY", "LS0tLS1CRUdJTi", "adminPassword"):
            assert marker not in text, (env.env, release, marker)
        for doc in env.docs(release):
            if doc["kind"] == "Secret":
                assert set((doc.get("data") or {}).values()) <= {REDACTED} and not doc.get("stringData"), (env.env, release, doc["metadata"]["name"])
    values = env.values(KPS)
    config = values["alertmanager"]["config"]

    def walk(node, path=""):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for item in node:
                yield from walk(item, path)
        else:
            yield path, node

    leaves = dict(walk(config))
    for forbidden in ("api_url", "routing_key", "service_key", "auth_password", "smtp_auth_password", "slack_api_url"):
        assert not any(p.endswith("." + forbidden) for p in leaves), (env.env, forbidden, "inline credential in the Alertmanager configuration")
    assert "password" not in str(values["grafana"].get("adminPassword", "")).lower()


def test_external_secrets_read_what_the_stack_creates_through_the_step6_store(env, everything, platform_outputs):
    store = next(d for d in everything.docs("cluster-secret-store") if d["kind"] == "ClusterSecretStore")
    assert "monitoring" in store["spec"]["conditions"][0]["namespaces"]
    secrets = [d for d in env.docs(KPS) if d["kind"] == "ExternalSecret"]
    sso = bool(env.inventory["observability_grafana_sso"].get("issuer_url"))
    assert len(secrets) == (3 if sso else 2), env.env
    for es in secrets:
        spec = es["spec"]
        assert es["metadata"]["namespace"] == "monitoring"
        assert spec["secretStoreRef"] == {"kind": "ClusterSecretStore", "name": store["metadata"]["name"]}
        keys = [d["remoteRef"]["key"] for d in spec.get("data", [])] + [d["extract"]["key"] for d in spec.get("dataFrom", [])]
        assert keys, es["metadata"]["name"]
        for key in keys:
            # Keys are relative to the store's prefix; the platform stack created each secret container.
            assert key in platform_outputs["app_secret_arns"], (env.env, key)
    targets = {es["spec"]["target"]["name"] for es in secrets}
    grafana = env.values(KPS)["grafana"]
    assert grafana["admin"]["existingSecret"] in targets
    if sso:
        assert [s["name"] for s in grafana["envFromSecrets"]] == [env.inventory.get("observability_secrets", {}).get("grafana_oidc", "grafana-oidc")]
        assert {s["name"] for s in grafana["envFromSecrets"]} <= targets


def test_alert_routes_page_on_critical_and_use_the_mounted_receiver_files(env):
    inv = env.inventory["observability_alerting"]
    config = env.values(KPS)["alertmanager"]["config"]
    receivers = {r["name"]: r for r in config["receivers"]}
    routes = config["route"]["routes"]
    by_receiver = {r["receiver"]: r for r in routes}
    secret_dir = "/etc/alertmanager/secrets/" + env.inventory.get("observability_secrets", {}).get("alertmanager", "alertmanager-receivers") + "/"
    assert config["global"]["slack_api_url_file"].startswith(secret_dir)
    assert receivers["slack"]["slack_configs"][0]["channel"] == inv["slack_channel"]
    assert by_receiver["slack"]["matchers"] == ['severity =~ "critical|warning"']
    if inv["pagerduty_enabled"]:
        assert by_receiver["pagerduty"]["matchers"] == ['severity = "critical"'] and by_receiver["pagerduty"]["continue"] is True
        assert receivers["pagerduty"]["pagerduty_configs"][0]["routing_key_file"].startswith(secret_dir)
        assert routes.index(by_receiver["pagerduty"]) < routes.index(by_receiver["slack"]), "critical pages before it is posted"
    else:
        assert "pagerduty" not in receivers
    if inv.get("email_to"):
        assert receivers["email"]["email_configs"][0]["to"] == inv["email_to"]
        assert config["global"]["smtp_smarthost"] == inv["smtp_smarthost"]
    else:
        assert "email" not in receivers
    assert env.env != "prod" or inv["pagerduty_enabled"], "prod pages"


def test_grafana_signs_in_through_the_inventory_idp(env):
    sso = env.inventory["observability_grafana_sso"]
    ini = env.values(KPS)["grafana"]["grafana.ini"]
    if sso.get("issuer_url"):
        oauth = ini["auth.generic_oauth"]
        assert oauth["enabled"] is True and oauth["use_pkce"] is True
        for key in ("auth_url", "token_url", "api_url", "role_attribute_path"):
            assert oauth[key] == sso[key], (env.env, key)
        assert "client_secret" not in oauth and "client_id" not in oauth
        assert ini["server"]["root_url"] == env.inventory["observability_grafana_root_url"]
    else:
        assert "auth.generic_oauth" not in ini
    deployment = next(d for d in env.docs(KPS) if d["kind"] == "Deployment" and d["metadata"]["name"] == "kube-prometheus-stack-grafana")
    assert deployment["spec"]["replicas"] == 1
    sidecar = next(c for c in pod_spec(deployment)["containers"] if c["name"] == "grafana-sc-dashboard")
    envs = {e["name"]: e.get("value") for e in sidecar["env"]}
    assert envs["LABEL"] == "grafana_dashboard" and envs["LABEL_VALUE"] == "1" and envs["NAMESPACE"] == "ALL"
    dashboards = [d for d in env.docs(KPS) if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "platform-dashboards"]
    assert dashboards and dashboards[0]["metadata"]["labels"]["grafana_dashboard"] == "1"


def test_fluent_bit_runs_as_the_stack_role_and_writes_to_its_log_group(env, platform_outputs):
    account = platform_outputs["irsa_service_accounts"]["fluent_bit"]
    sa = next(d for d in env.docs(FLUENT_BIT) if d["kind"] == "ServiceAccount")
    assert sa["metadata"]["name"] == account["name"] and sa["metadata"]["namespace"] == account["namespace"]
    assert sa["metadata"]["annotations"]["eks.amazonaws.com/role-arn"] == platform_outputs["irsa_role_arns"]["fluent_bit"]
    daemonset = one(env, FLUENT_BIT, "DaemonSet")
    assert pod_spec(daemonset)["serviceAccountName"] == account["name"]
    config = "\n".join(one(env, FLUENT_BIT, "ConfigMap")["data"].values())
    output = config[config.index("cloudwatch_logs") :]
    settings = dict(line.split(None, 1) for line in output.splitlines()[1:] if line.strip() and not line.strip().startswith("["))
    assert settings["log_group_name"].strip() == platform_outputs["container_log_group_name"]
    assert settings["region"].strip() == platform_outputs["region"]
    # The role may not create groups or set retention: Terraform owns both.
    assert "auto_create_group" not in settings and "log_retention_days" not in settings
    assert pod_spec(daemonset)["tolerations"] == [{"operator": "Exists"}], "logs of every node, the ml nodes too"


def test_step6_controllers_are_scraped_where_they_expose_metrics(env, everything):
    values = env.values(KPS)["prometheus"]
    autoscaler = next(m for m in values["additionalServiceMonitors"] if m["name"] == "cluster-autoscaler")
    service = next(d for d in everything.docs("cluster-autoscaler") if d["kind"] == "Service")
    assert all(service["metadata"]["labels"].get(k) == v for k, v in autoscaler["selector"]["matchLabels"].items())
    assert service["metadata"]["namespace"] in autoscaler["namespaceSelector"]["matchNames"]
    assert autoscaler["endpoints"][0]["port"] in {p["name"] for p in service["spec"]["ports"]}
    deployment = next(d for d in everything.docs("cluster-autoscaler") if d["kind"] == "Deployment")
    assert "--emit-per-nodegroup-metrics=true" in pod_spec(deployment)["containers"][0]["command"], "NodeGroupAtMaxSize needs the per-group gauges"
    eso = next(m for m in values["additionalPodMonitors"] if m["name"] == "external-secrets")
    controller = next(d for d in everything.docs("external-secrets") if d["kind"] == "Deployment" and d["metadata"]["name"] == "external-secrets")
    labels = controller["spec"]["template"]["metadata"]["labels"]
    assert all(labels.get(k) == v for k, v in eso["selector"]["matchLabels"].items())
    assert eso["podMetricsEndpoints"][0]["port"] in {p.get("name") for c in pod_spec(controller)["containers"] for p in c.get("ports", [])}


def test_pods_are_restricted_except_the_node_agents(env):
    version = env.inventory["platform_eks_version"]
    seen = set()
    for release in env.releases():
        failing = pod_security.evaluate_manifest(env.docs(release), "restricted", version)
        for ident, violations in failing.items():
            kind, _namespace, name = ident.split("/", 2)
            matched = [k for k in PRIVILEGED_EXCEPTIONS if k == f"{kind}/{name}"]
            assert matched, f"{env.env}: {release}: {ident} is not restricted: {[str(v) for v in violations]}"
            seen.update(matched)
    assert seen == set(PRIVILEGED_EXCEPTIONS), f"{env.env}: exceptions no longer needed: {set(PRIVILEGED_EXCEPTIONS) - seen}"
    assert env.inventory["platform_namespaces"]["monitoring"] == "privileged"


def test_workloads_have_requests_memory_limits_and_deployments_run_on_general_nodes(env):
    for release in env.releases():
        for doc in env.docs(release):
            if doc["kind"] not in ("Deployment", "StatefulSet", "DaemonSet"):
                continue
            spec = pod_spec(doc)
            where = f"{env.env}: {release} {doc['kind']}/{doc['metadata']['name']}"
            if doc["kind"] != "DaemonSet":
                assert spec.get("nodeSelector") == env.inventory.get("observability_node_selector", {"workload": "general"}), where
            for container in spec["containers"]:
                resources = container.get("resources") or {}
                assert resources.get("requests", {}).get("memory") and resources.get("limits", {}).get("memory"), (where, container["name"])


def _cpu(quantity) -> float:
    text = str(quantity)
    return float(text[:-1]) / 1000 if text.endswith("m") else float(text)


def _bytes(quantity) -> float:
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
    text = str(quantity)
    for suffix, factor in units.items():
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * factor
    return float(text)


def test_node_agents_fit_the_daemonset_budget_beside_the_eks_ones(everything):
    """node-exporter and Fluent Bit run on every node; with EKS's own DaemonSets (aws-node with its network policy
    agent 50m, kube-proxy 100m, ebs-csi-node 10m/40Mi, as kubernetes.yml lists them) they must fit in
    platform_node_daemonset_requests, which the chart's node planning subtracts."""
    budget = everything.inventory["platform_node_daemonset_requests"]
    cpu, memory, pods = 0.160, 40 * 2**20, 4.0
    for _release, daemonset in everything.of_kind("DaemonSet"):
        pods += 1
        for container in pod_spec(daemonset)["containers"]:
            requests = (container.get("resources") or {}).get("requests") or {}
            cpu += _cpu(requests.get("cpu", 0))
            memory += _bytes(requests.get("memory", 0))
    assert cpu <= _cpu(budget["cpu"]) and memory <= _bytes(budget["memory"]) and pods <= budget["pods"], (everything.env, cpu, memory, pods)
