"""The cluster add-ons as rendered for every inventory, held against the platform stack's real outputs.

Each test reads what the step wrote under <work>/rendered/<release>/ and compares it with the Terraform
outputs (role ARNs, service accounts, VPC, EFS, node group tags, cluster version, secret prefix) and the
inventory (region, namespaces, storage classes, uid/gid, replicas): the facts two layers share must agree.
"""

from __future__ import annotations

import re
import sys

import pytest
import yaml
from conftest import ENVIRONMENTS, ROOT

sys.path.insert(0, str(ROOT / "build" / "collections"))
from ansible_collections.chatbot.platform.plugins.module_utils._k8s import pod_security

RELEASES = ["aws-load-balancer-controller", "cluster-autoscaler", "cluster-base", "cluster-secret-store", "external-secrets", "metrics-server"]
WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob")
# Releases of later steps rendered into the same work folder (step 8: tests/kubernetes/test_gitops.py).


def pod_spec(doc: dict) -> dict:
    spec = doc["spec"]
    if doc["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec["template"]["spec"]


def args_of(container: dict) -> list[str]:
    return [str(a) for a in (container.get("command") or []) + (container.get("args") or [])]


@pytest.fixture(params=ENVIRONMENTS)
def env(request, rendered):
    # Later steps render into the same work folder; these tests check step 6's releases.
    return rendered[request.param].of_step(RELEASES)


def test_every_release_is_rendered(env):
    assert env.releases() == RELEASES, "each add-on release is rendered"


def test_service_accounts_carry_the_roles_the_stack_made(env, platform_outputs):
    accounts = platform_outputs["irsa_service_accounts"]
    roles = platform_outputs["irsa_role_arns"]
    for release, key in (
        ("aws-load-balancer-controller", "aws_load_balancer_controller"),
        ("cluster-autoscaler", "cluster_autoscaler"),
        ("external-secrets", "external_secrets"),
    ):
        sa = env.get(release, "ServiceAccount", accounts[key]["name"])
        assert sa["metadata"]["namespace"] == accounts[key]["namespace"], (env.env, release)
        assert sa["metadata"]["annotations"]["eks.amazonaws.com/role-arn"] == roles[key], (env.env, release)
        # The controller's pods run as that service account.
        deployments = [d for d in env.docs(release) if d["kind"] == "Deployment" and pod_spec(d).get("serviceAccountName") == accounts[key]["name"]]
        assert deployments, (env.env, release, "no Deployment runs as the IRSA service account")


def test_load_balancer_controller_targets_the_stack_cluster_and_vpc(env, platform_outputs):
    deployment = env.get("aws-load-balancer-controller", "Deployment", "aws-load-balancer-controller")
    args = args_of(pod_spec(deployment)["containers"][0])
    assert f"--cluster-name={platform_outputs['cluster_name']}" in args
    assert f"--aws-vpc-id={platform_outputs['vpc_id']}" in args
    assert f"--aws-region={platform_outputs['region']}" in args
    assert platform_outputs["region"] == env.inventory["platform_region"] or env.env != "local"
    ingress_class = env.get("aws-load-balancer-controller", "IngressClass", "alb")
    assert ingress_class["metadata"]["annotations"]["ingressclass.kubernetes.io/is-default-class"] == "true"


def test_autoscaler_discovers_exactly_the_node_groups_of_the_stack(env, platform_outputs):
    deployment = next(d for d in env.docs("cluster-autoscaler") if d["kind"] == "Deployment")
    args = args_of(pod_spec(deployment)["containers"][0])
    discovery = [a for a in args if a.startswith("--node-group-auto-discovery=")]
    assert len(discovery) == 1, args
    tags = discovery[0].removeprefix("--node-group-auto-discovery=asg:tag=").split(",")
    assert sorted(tags) == sorted(["k8s.io/cluster-autoscaler/enabled", f"k8s.io/cluster-autoscaler/{platform_outputs['cluster_name']}"])
    assert sorted(tags) == sorted(platform_outputs["autoscaler_discovery_tags"])
    assert platform_outputs["node_groups"], "the stack has node groups"
    for group, node_group in platform_outputs["node_groups"].items():
        missing = {k: v for k, v in platform_outputs["autoscaler_discovery_tags"].items() if node_group["tags"].get(k) != v}
        assert not missing, f"node group {group} lacks the discovery tag(s) {missing}"
    assert "--balance-similar-node-groups=true" in args
    assert "--expander=least-waste" in args
    assert "--cloud-provider=aws" in args


def test_autoscaler_image_matches_the_cluster_minor(env, platform_outputs):
    deployment = next(d for d in env.docs("cluster-autoscaler") if d["kind"] == "Deployment")
    image = pod_spec(deployment)["containers"][0]["image"]
    match = re.fullmatch(r"registry\.k8s\.io/autoscaling/cluster-autoscaler:v(\d+)\.(\d+)\.\d+", image)
    assert match, image
    cluster_minor = ".".join(str(platform_outputs["cluster_version"]).split(".")[:2])
    assert f"{match.group(1)}.{match.group(2)}" == cluster_minor


def test_secret_store_reads_only_the_environment_prefix_in_its_region(env, platform_outputs):
    store = env.get("cluster-secret-store", "ClusterSecretStore", "aws-secrets-manager")
    aws = store["spec"]["provider"]["aws"]
    assert aws["service"] == "SecretsManager"
    assert aws["region"] == platform_outputs["region"]
    assert aws["prefix"] == platform_outputs["secrets_name_prefix"]
    account = platform_outputs["irsa_service_accounts"]["external_secrets"]
    assert aws["auth"]["jwt"]["serviceAccountRef"] == {"name": account["name"], "namespace": account["namespace"]}
    allowed = store["spec"]["conditions"][0]["namespaces"]
    assert sorted(allowed) == sorted(n for n in env.inventory["platform_namespaces"] if n != account["namespace"])


def test_namespaces_enforce_the_inventory_levels(env):
    namespaces = {d["metadata"]["name"]: d for d in env.docs("cluster-base") if d["kind"] == "Namespace"}
    assert set(namespaces) == set(env.inventory["platform_namespaces"])
    for name, level in env.inventory["platform_namespaces"].items():
        labels = namespaces[name]["metadata"]["labels"]
        assert labels["pod-security.kubernetes.io/enforce"] == level
        assert labels["pod-security.kubernetes.io/enforce-version"] == f"v{env.inventory['platform_eks_version']}"
        assert labels["pod-security.kubernetes.io/warn"] == level
        assert namespaces[name]["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"


def test_storage_classes_are_the_inventory_names_on_the_stack_file_system(env, platform_outputs):
    classes = {d["metadata"]["name"]: d for d in env.docs("cluster-base") if d["kind"] == "StorageClass"}
    names = env.inventory["platform_storage_classes"]
    assert set(classes) == {names["block"], names["models"]}
    block, models = classes[names["block"]], classes[names["models"]]
    defaults = [n for n, c in classes.items() if c["metadata"].get("annotations", {}).get("storageclass.kubernetes.io/is-default-class") == "true"]
    assert defaults == [names["block"]]
    assert block["provisioner"] == "ebs.csi.aws.com" and block["parameters"]["type"] == "gp3" and block["parameters"]["encrypted"] == "true"
    assert block["volumeBindingMode"] == "WaitForFirstConsumer"
    assert models["provisioner"] == "efs.csi.aws.com"
    assert models["parameters"]["fileSystemId"] == platform_outputs["efs_file_system_id"]
    assert models["parameters"]["provisioningMode"] == "efs-ap"
    assert models["parameters"]["uid"] == str(env.inventory["platform_backend_uid"])
    assert models["parameters"]["gid"] == str(env.inventory["platform_backend_gid"])
    assert models["reclaimPolicy"] == "Retain"


def test_workloads_have_requests_memory_limits_and_run_on_general_nodes(env):
    for release, doc in env.all_docs():
        if doc["kind"] not in WORKLOAD_KINDS:
            continue
        spec = pod_spec(doc)
        where = f"{env.env}: {release} {doc['kind']}/{doc['metadata']['name']}"
        assert spec.get("nodeSelector") == {"workload": "general"}, where
        for container in spec["containers"]:
            resources = container.get("resources") or {}
            assert resources.get("requests", {}).get("cpu") and resources.get("requests", {}).get("memory"), (where, container["name"])
            assert resources.get("limits", {}).get("memory"), (where, container["name"])
            assert container.get("readinessProbe") or container.get("livenessProbe"), (where, container["name"], "no probe")


def _selects(pdb: dict, deployment: dict) -> bool:
    wanted = pdb["spec"]["selector"].get("matchLabels", {})
    labels = deployment["spec"]["template"]["metadata"].get("labels", {})
    same_namespace = pdb["metadata"].get("namespace", "") in ("", deployment["metadata"].get("namespace", ""))
    return bool(wanted) and same_namespace and all(labels.get(k) == v for k, v in wanted.items())


def test_replicated_controllers_have_disruption_budgets_and_single_ones_do_not_block_drains(env):
    replicas = env.inventory["cluster_addons_replicas"]
    expected = {"dev": 1, "local": 1, "staging": 2, "prod": 2}[env.env]
    assert replicas == expected
    pdbs = [doc for _release, doc in env.of_kind("PodDisruptionBudget")]
    for release, deployment in env.of_kind("Deployment"):
        count = deployment["spec"].get("replicas", 1)
        covering = [p for p in pdbs if _selects(p, deployment)]
        where = f"{env.env}: {release} Deployment/{deployment['metadata']['name']} ({count} replicas)"
        if release == "cluster-autoscaler":
            assert count == 1, where
        else:
            assert count == replicas, where
        if count > 1:
            assert covering, f"{where} has no PodDisruptionBudget"
            assert all(p["spec"].get("maxUnavailable") == 1 or p["spec"].get("minAvailable") == 1 for p in covering), where
        for pdb in covering:
            # A budget must always leave room for one eviction, or node drains and scale-down stall.
            if "minAvailable" in pdb["spec"]:
                assert pdb["spec"]["minAvailable"] < count, f"{where}: {pdb['metadata']['name']} allows no eviction"


def test_no_secret_material_is_written(env):
    for release in env.releases():
        for doc in env.docs(release):
            if doc["kind"] == "Secret":
                assert set((doc.get("data") or {}).values()) <= {"REDACTED-by-chatbot.platform"}, (env.env, release)
            for webhook in doc.get("webhooks") or []:
                assert webhook["clientConfig"].get("caBundle") in (None, "REDACTED-by-chatbot.platform"), (env.env, release)
        text = (env.work_dir / "rendered" / release / "manifests.yaml").read_text()
        assert "BEGIN RSA PRIVATE KEY" not in text and "LS0tLS1CRUdJTi" not in text, (env.env, release)


def test_kubeconfig_authenticates_through_aws_eks_get_token(env, platform_outputs):
    config = yaml.safe_load((env.work_dir / "kubeconfig").read_text())
    assert config["clusters"][0]["cluster"] == {
        "server": platform_outputs["cluster_endpoint"],
        "certificate-authority-data": platform_outputs["cluster_certificate_authority_data"],
    }
    user = config["users"][0]["user"]
    assert set(user) == {"exec"}, "no token, password or client key in the kubeconfig"
    assert user["exec"]["command"] == "aws"
    assert user["exec"]["args"][:6] == ["--region", platform_outputs["region"], "eks", "get-token", "--cluster-name", platform_outputs["cluster_name"]]
    assert (env.work_dir / "kubeconfig").stat().st_mode & 0o077 == 0


def test_every_workload_meets_the_restricted_standard(env):
    """Every add-on pod passes restricted at the cluster's version, in kube-system (which enforces nothing) too.

    The upstream defaults of the load balancer controller and cluster-autoscaler do not (no seccomp profile,
    capabilities kept); the role's values close that, and an exception would have to be listed here with
    the upstream reason.
    """
    exceptions: dict[str, str] = {}
    version = env.inventory["platform_eks_version"]
    checked = 0
    for release in env.releases():
        docs = env.docs(release)
        checked += sum(1 for d in docs if pod_security.workload_pods(d))
        failing = pod_security.evaluate_manifest(docs, "restricted", version)
        unexpected = {k: [str(v) for v in vs] for k, vs in failing.items() if k not in exceptions}
        assert not unexpected, f"{env.env}: {release}: {unexpected}"
    assert checked == 6, f"{env.env}: {checked} workloads (load balancer controller, metrics-server, autoscaler, External Secrets x3)"


def test_namespaced_workloads_would_be_admitted_by_their_namespace(env):
    levels = env.inventory["platform_namespaces"]
    for release in env.releases():
        for doc in env.docs(release):
            namespace = doc.get("metadata", {}).get("namespace")
            if namespace in levels and pod_security.workload_pods(doc):
                assert not pod_security.evaluate_manifest([doc], levels[namespace], env.inventory["platform_eks_version"]), (env.env, release)


def _cpu(quantity) -> float:
    text = str(quantity)
    return float(text[:-1]) / 1000 if text.endswith("m") else float(text)


def _bytes(quantity) -> float:
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "K": 10**3, "M": 10**6, "G": 10**9}
    text = str(quantity)
    for suffix, factor in units.items():
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * factor
    return float(text)


def test_daemonsets_stay_within_the_node_budget_the_chart_plans_with(env):
    """What the add-ons run on every node must fit in platform_node_daemonset_requests (the chart sizes the
    ml nodes on allocatable minus that budget, docs/chatbot-chart.md#node-capacity)."""
    budget = env.inventory["platform_node_daemonset_requests"]
    cpu = memory = pods = 0.0
    for _release, daemonset in env.of_kind("DaemonSet"):
        pods += 1
        for container in pod_spec(daemonset)["containers"]:
            requests = (container.get("resources") or {}).get("requests") or {}
            cpu += _cpu(requests.get("cpu", 0))
            memory += _bytes(requests.get("memory", 0))
    assert cpu <= _cpu(budget["cpu"]) and memory <= _bytes(budget["memory"]) and pods <= budget["pods"], (env.env, cpu, memory, pods)
