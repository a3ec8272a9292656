"""Migration ordering and the NetworkPolicies between the components."""

from __future__ import annotations

from .conftest import MINIMAL, render


def test_prod_migration_is_a_pre_install_and_pre_upgrade_hook(envs):
    m = envs["prod"]
    (job,) = m.of("Job")
    ann = job["metadata"]["annotations"]
    assert ann["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert job["spec"]["template"]["spec"]["containers"][0]["command"] == ["python", "manage.py", "migrate"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    assert job["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/name"] == "backend-migrate"
    # The Secret the Job reads must exist before it: the ExternalSecret is an earlier hook.
    es = m.get("ExternalSecret", "chatbot-backend-mongodb")["metadata"]["annotations"]
    assert es["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert int(es["helm.sh/hook-weight"]) < int(ann["helm.sh/hook-weight"])


def test_migration_job_name_changes_with_the_image():
    def job_name(tag):
        (job,) = render(MINIMAL, sets={"backend.image.tag": tag}).of("Job")
        return job["metadata"]["name"]

    assert job_name("v1.0.0") == job_name("v1.0.0")
    assert job_name("v1.0.0") != job_name("v1.0.1")


def test_dev_migration_runs_between_the_database_and_the_api(envs):
    m = envs["dev"]
    (job,) = m.of("Job")
    ann = job["metadata"]["annotations"]
    assert "helm.sh/hook" not in ann
    assert ann["argocd.argoproj.io/hook"] == "Sync"
    wave = int(ann["argocd.argoproj.io/sync-wave"])
    assert int(m.get("StatefulSet", "chatbot-mongodb")["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"]) < wave
    assert int(m.get("Deployment", "chatbot-backend")["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"]) > wave


def selector(rule_peer):
    return rule_peer.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/name")


def test_network_policies(envs):
    m = envs["dev"]
    deny = m.get("NetworkPolicy", "chatbot-default-deny")["spec"]
    assert deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}

    fe = m.get("NetworkPolicy", "chatbot-frontend")["spec"]
    assert [selector(p) for p in fe["ingress"][0]["from"]] == ["gateway"]
    be = m.get("NetworkPolicy", "chatbot-backend")["spec"]
    assert [selector(p) for p in be["ingress"][0]["from"]] == ["gateway"]
    be_egress = {selector(p) for r in be["egress"] for p in r.get("to", [])}
    assert "mongodb" in be_egress
    assert not any("to" not in r for r in be["egress"]), "dev API pods get no open internet egress"

    gw = m.get("NetworkPolicy", "chatbot-gateway")["spec"]
    # The addresses themselves are checked against the inventory in test_platform_facts.py.
    assert [(r["ports"], len(r["from"])) for r in gw["ingress"]] == [
        ([{"port": "http", "protocol": "TCP"}], 3),
        ([{"port": "admin", "protocol": "TCP"}], 3),
        # Prometheus, for the stub_status and access-log exporters (the observability step).
        ([{"port": "metrics", "protocol": "TCP"}, {"port": "log-metrics", "protocol": "TCP"}], 1),
    ]
    assert gw["ingress"][2]["from"] == [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}]
    assert {selector(p) for r in gw["egress"] for p in r.get("to", [])} >= {"frontend", "backend"}
    to_backend = [r for r in gw["egress"] if any(selector(p) == "backend" for p in r.get("to", []))]
    assert [p["port"] for r in to_backend for p in r["ports"]] == [8080], "the backend pod port, not its Service port"

    db = m.get("NetworkPolicy", "chatbot-mongodb")["spec"]
    assert sorted(selector(p) for p in db["ingress"][0]["from"]) == ["backend", "backend-migrate"]
    assert db["egress"] == []

    mig = m.get("NetworkPolicy", "chatbot-backend-migrate")["spec"]
    assert mig["podSelector"]["matchLabels"]["app.kubernetes.io/name"] == "backend-migrate"
    https = [r for r in mig["egress"] if r.get("ports") == [{"port": 443, "protocol": "TCP"}]]
    assert len(https) == 1, "spaCy download"
    (internet,) = https[0]["to"]
    assert internet["ipBlock"]["cidr"] == "0.0.0.0/0" and "10.0.0.0/8" in internet["ipBlock"]["except"], "the internet, not the VPC"

    for policy in m.of("NetworkPolicy"):
        for rule in policy["spec"].get("egress", []):
            for peer in rule.get("to", []):
                if peer.get("namespaceSelector", {}).get("matchLabels", {}).get("kubernetes.io/metadata.name") == "kube-system":
                    assert {p["port"] for p in rule["ports"]} == {53}


def test_no_service_selects_the_migration_pods(envs):
    m = envs["prod"]
    (job,) = m.of("Job")
    labels = job["spec"]["template"]["metadata"]["labels"]
    for kind in ("Service", "PodDisruptionBudget"):
        for obj in m.of(kind):
            sel = obj["spec"]["selector"]
            sel = sel.get("matchLabels", sel)
            assert not all(labels.get(k) == v for k, v in sel.items()), f"{kind}/{obj['metadata']['name']} selects the migration pod"
