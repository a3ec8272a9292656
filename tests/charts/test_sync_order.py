"""Creation order on a fresh install, as Helm and as Argo CD run the rendered chart.

Helm creates pre-install hooks by weight (waiting for each Job) before any ordinary resource. Argo CD maps
Helm hooks to its own (https://argo-cd.readthedocs.io/en/stable/user-guide/helm/#helm-hooks): pre-install
and pre-upgrade become PreSync, post-install and post-upgrade PostSync, the hook weight becomes the sync
wave; then it runs PreSync, Sync and PostSync, each wave by wave, waiting for a wave to be healthy before
the next. A Job must find everything it needs already there, and a volume claim must be in its pod's wave:
a WaitForFirstConsumer claim stays Pending (Argo CD: Progressing) until that pod exists.
"""

from __future__ import annotations

import pytest

from .conftest import CHART, Manifests, render

PHASES = ("PreSync", "Sync", "PostSync")
HELM_TO_ARGO = {"pre-install": "PreSync", "pre-upgrade": "PreSync", "post-install": "PostSync", "post-upgrade": "PostSync"}


def annotations(obj) -> dict:
    return obj["metadata"].get("annotations") or {}


def helm_hooks(obj) -> set[str]:
    return {h.strip() for h in annotations(obj).get("helm.sh/hook", "").split(",") if h.strip()}


def argo_order(obj) -> tuple[int, int]:
    """(phase, wave) under Argo CD."""
    ann = annotations(obj)
    phase = ann.get("argocd.argoproj.io/hook")
    if phase is None:
        mapped = {HELM_TO_ARGO[h] for h in helm_hooks(obj) if h in HELM_TO_ARGO}
        assert len(mapped) <= 1, f"{obj['kind']}/{obj['metadata']['name']} maps to several Argo CD phases: {mapped}"
        phase = mapped.pop() if mapped else "Sync"
    wave = ann.get("argocd.argoproj.io/sync-wave", ann.get("helm.sh/hook-weight", "0") if helm_hooks(obj) else "0")
    return PHASES.index(phase), int(wave)


def helm_install_order(obj) -> tuple[int, int]:
    """(0, weight) for a pre-install hook, (1, 0) for an ordinary resource: `helm install` creates hooks first."""
    if "pre-install" in helm_hooks(obj):
        return 0, int(annotations(obj).get("helm.sh/hook-weight", "0"))
    return 1, 0


def needs(job, manifests: Manifests):
    """What the chart renders that the Job's pod needs to start and to reach the database: its ServiceAccount,
    the Secrets it reads (created by ExternalSecrets), ConfigMaps and claims it mounts, and the NetworkPolicies
    that select it by label (they open its egress under the namespace's default deny)."""
    spec = job["spec"]["template"]["spec"]
    labels = job["spec"]["template"]["metadata"]["labels"]
    by_secret = {es["spec"]["target"].get("name", es["metadata"]["name"]): es for es in manifests.of("ExternalSecret")}
    account = spec.get("serviceAccountName", "default")
    if account != "default":
        found = [sa for sa in manifests.of("ServiceAccount") if sa["metadata"]["name"] == account]
        assert found, f"Job {job['metadata']['name']} runs as ServiceAccount {account}, which the chart does not create"
        yield found[0]
    secrets = set()
    for c in spec.get("initContainers", []) + spec["containers"]:
        secrets |= {e["valueFrom"]["secretKeyRef"]["name"] for e in c.get("env", []) if "secretKeyRef" in e.get("valueFrom", {})}
        secrets |= {e["secretRef"]["name"] for e in c.get("envFrom", []) if "secretRef" in e}
    secrets |= {v["secret"]["secretName"] for v in spec.get("volumes", []) if "secret" in v}
    for name in sorted(secrets):
        if name in by_secret:
            yield by_secret[name]
        else:
            yield from (s for s in manifests.of("Secret") if s["metadata"]["name"] == name)
    for v in spec.get("volumes", []):
        if "persistentVolumeClaim" in v:
            yield from (p for p in manifests.of("PersistentVolumeClaim") if p["metadata"]["name"] == v["persistentVolumeClaim"]["claimName"])
        if "configMap" in v:
            yield from (c for c in manifests.of("ConfigMap") if c["metadata"]["name"] == v["configMap"]["name"])
    for policy in manifests.of("NetworkPolicy"):
        selector = policy["spec"]["podSelector"].get("matchLabels", {})
        if selector and all(labels.get(k) == v for k, v in selector.items()):
            yield policy


def name(obj):
    return f"{obj['kind']}/{obj['metadata']['name']}"


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_migration_finds_what_it_needs_on_a_fresh_install(envs, env):
    m = envs[env]
    (job,) = m.of("Job")
    deps = list(needs(job, m))
    assert any(d["kind"] == "ServiceAccount" for d in deps), "the migration needs a ServiceAccount of its own"
    for dep in deps:
        assert argo_order(dep) < argo_order(job), f"Argo CD: {name(dep)} {argo_order(dep)} comes no earlier than {name(job)} {argo_order(job)} (phase, wave)"
        if helm_hooks(job):
            assert helm_install_order(dep) < helm_install_order(job), f"helm install: {name(dep)} is created after the pre-install hook {name(job)}"
            assert "hook-succeeded" not in annotations(dep).get("helm.sh/hook-delete-policy", ""), f"{name(dep)} would be deleted before the Job runs"
            assert helm_hooks(dep) >= helm_hooks(job), f"{name(dep)} must be recreated on every event the Job runs on"
        else:
            assert not helm_hooks(dep), f"{name(dep)} is a Helm hook but the Job is not: the Job would start without it"


def test_migration_service_account_has_no_token_and_no_role(envs):
    for env in ("dev", "prod"):
        (job,) = envs[env].of("Job")
        account = job["spec"]["template"]["spec"]["serviceAccountName"]
        sa = envs[env].get("ServiceAccount", account)
        assert account != "chatbot-backend", "the API's account is an ordinary resource, created after the hooks"
        assert sa["automountServiceAccountToken"] is False
        assert "eks.amazonaws.com/role-arn" not in annotations(sa), "the migration calls no AWS API"


@pytest.fixture(scope="module")
def every_render(envs):
    cases = {f"env-{env}": m for env, m in envs.items()}
    for values in sorted((CHART / "ci").glob("*-values.yaml")):
        cases[f"ci-{values.name}"] = render(values)
    return cases


def test_every_volume_claim_is_in_its_consumers_wave(every_render):
    checked = 0
    for case, m in every_render.items():
        for pvc in m.of("PersistentVolumeClaim"):
            consumers = [
                w
                for kind in ("Deployment", "StatefulSet", "Job")
                for w in m.of(kind)
                if any(v.get("persistentVolumeClaim", {}).get("claimName") == pvc["metadata"]["name"] for v in w["spec"]["template"]["spec"].get("volumes", []))
            ]
            assert consumers, f"{case}: {name(pvc)} has no consumer"
            for w in consumers:
                assert argo_order(pvc) == argo_order(w), f"{case}: {name(pvc)} is in (phase, wave) {argo_order(pvc)}, its consumer {name(w)} in {argo_order(w)}"
                checked += 1
    assert checked >= 3


def test_sync_wave_mode_orders_database_migration_and_api(envs):
    m = envs["dev"]
    (job,) = m.of("Job")
    database = argo_order(m.get("StatefulSet", "chatbot-mongodb"))
    assert database < argo_order(job) < argo_order(m.get("Deployment", "chatbot-backend"))


def test_a_wave_on_the_deployment_alone_is_refused():
    from .conftest import MINIMAL, RenderError

    with pytest.raises(RenderError, match=r"set backend.syncWave"):
        render(MINIMAL, sets={"backend.deploymentAnnotations": {"argocd.argoproj.io/sync-wave": "1"}})
    with pytest.raises(RenderError, match=r"backend.syncWave must be a later wave"):
        render(MINIMAL, sets={"backend.migrate.mode": "syncWave", "backend.syncWave": "0"})


NAMESPACE_LEVEL = ("ServiceAccount", "ConfigMap", "Service", "NetworkPolicy", "ExternalSecret")


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_components_sync_in_the_platform_order(envs, env):
    """What the namespace holds for the components and the ExternalSecrets first, the migration before the API (a PreSync
    hook; dev: a Sync hook after its in-cluster database), then backend, frontend, gateway and Ingresses, each a later wave;
    what reports health from a component's pods (HPA, PDB, volume claim) in that component's wave."""
    m = envs[env]
    deployments = {c: argo_order(m.get("Deployment", f"chatbot-{c}")) for c in ("backend", "frontend", "gateway")}
    ingresses = {argo_order(i) for i in m.of("Ingress")}
    assert len(ingresses) == 1, f"{env}: the Ingresses are in several waves {ingresses}"
    (ingress,) = ingresses
    assert deployments["backend"] < deployments["frontend"] < deployments["gateway"] < ingress, f"{env}: {deployments}, Ingress {ingress}"
    (job,) = m.of("Job")
    if env == "dev":
        assert argo_order(job)[0] == PHASES.index("Sync"), "dev migrates after its in-cluster database, which a PreSync hook would precede"
        assert argo_order(m.get("StatefulSet", "chatbot-mongodb")) < argo_order(job)
    else:
        assert argo_order(job)[0] == PHASES.index("PreSync"), f"{env}: the migration is a PreSync hook"
    assert argo_order(job) < deployments["backend"]
    for kind in NAMESPACE_LEVEL:
        for obj in m.of(kind):
            if helm_hooks(obj) or annotations(obj).get("argocd.argoproj.io/hook"):
                continue  # what the migration hook needs comes with it, before it (test_migration_finds_what_it_needs...)
            assert argo_order(obj) < deployments["backend"], f"{env}: {name(obj)} {argo_order(obj)} is not before the backend {deployments['backend']}"
    for es in m.of("ExternalSecret"):
        assert argo_order(es) < deployments["backend"], f"{env}: {name(es)} comes after the backend"
    for kind in ("HorizontalPodAutoscaler", "PodDisruptionBudget"):
        for obj in m.of(kind):
            target = obj["spec"]["scaleTargetRef"]["name"] if kind == "HorizontalPodAutoscaler" else obj["metadata"]["name"]
            workload = m.get("Deployment", target)
            assert argo_order(obj) == argo_order(workload), f"{env}: {name(obj)} {argo_order(obj)} is not in {name(workload)}'s wave {argo_order(workload)}"
