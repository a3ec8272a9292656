"""Every assumption the chart makes about the platform, checked against the inventory the Terraform and Atlas
steps read (platform_facts: Ansible's inventory loader and templating, the network module's address plan,
the node capacity table). A value in values-<env>.yaml that restates a platform fact fails here as soon as
the two differ: storage classes and the backend's uid/gid, database names, egress and ingress addresses,
the route to the database, and what the ml node group can hold.
"""

from __future__ import annotations

import ipaddress

import pytest

from .platform_facts import inventory, node_shape, pods_per_node, quantity, subnet_cidrs

ENVS = ("dev", "staging", "prod")
# Databases the upstream code (release v1.0.0-alpha.10) names itself: app/bot/memory/memory_saver_mongo.py
# and app/admin/chatlogs/store.py use client["chatbot"] whatever MONGODB_DATABASE says.
UPSTREAM_FIXED_DATABASES = {"chatbot"}


def env_vars(container):
    return {e["name"]: e.get("value") for e in container.get("env", [])}


def backend(manifests):
    return manifests.get("Deployment", "chatbot-backend")


def claims(manifests):
    """(owner, storageClassName or None, access modes) of every volume claim the chart renders."""
    for pvc in manifests.of("PersistentVolumeClaim"):
        yield f"PersistentVolumeClaim/{pvc['metadata']['name']}", pvc["spec"].get("storageClassName"), pvc["spec"]["accessModes"]
    for sts in manifests.of("StatefulSet"):
        for tpl in sts["spec"].get("volumeClaimTemplates", []):
            yield f"StatefulSet/{sts['metadata']['name']}/{tpl['metadata']['name']}", tpl["spec"].get("storageClassName"), tpl["spec"]["accessModes"]


@pytest.mark.parametrize("env", ENVS)
def test_storage_classes_are_the_ones_the_platform_creates(envs, env):
    classes = inventory(env)["platform_storage_classes"]
    found = list(claims(envs[env]))
    assert found, "the chart renders volume claims in every environment"
    for owner, storage_class, modes in found:
        # No storageClassName takes the cluster's default class, which the add-ons step makes the block class.
        storage_class = storage_class or classes["block"]
        assert storage_class in classes.values(), f"{owner} uses StorageClass {storage_class!r}; the cluster add-ons step creates only {classes}"
        if "ReadWriteMany" in modes:
            assert storage_class == classes["models"], f"{owner} is ReadWriteMany: only the EFS class {classes['models']} offers it"


@pytest.mark.parametrize("env", ENVS)
def test_backend_runs_as_the_owner_of_the_model_store(envs, env):
    inv = inventory(env)
    pods = [backend(envs[env]), *envs[env].of("Job")]
    for workload in pods:
        ctx = workload["spec"]["template"]["spec"]["securityContext"]
        got = (ctx["runAsUser"], ctx["runAsGroup"], ctx.get("fsGroup"))
        want = (inv["platform_backend_uid"], inv["platform_backend_gid"], inv["platform_backend_gid"])
        assert got == want, f"{workload['metadata']['name']}: runAsUser/runAsGroup/fsGroup {got}, the EFS access points belong to {want}"


@pytest.mark.parametrize("env", ENVS)
def test_database_names_match_the_atlas_user(envs, env):
    inv = inventory(env)
    m = envs[env]
    workloads = [backend(m), *m.of("Job")]
    names = {env_vars(w["spec"]["template"]["spec"]["containers"][0])["MONGODB_DATABASE"] for w in workloads}
    assert names == {inv["platform_database_name"]}, f"MONGODB_DATABASE {names}; the inventory's platform_database_name is {inv['platform_database_name']!r}"
    assert set(inv["platform_database_extra_names"]) >= UPSTREAM_FIXED_DATABASES, "the databases upstream hard-codes belong in platform_database_extra_names"
    # What the Atlas step grants (roles/atlas/tasks: readWrite on [atlas_database_name] + atlas_database_extra_names).
    granted = {inv["atlas_database_name"], *inv["atlas_database_extra_names"]}
    needed = names | UPSTREAM_FIXED_DATABASES
    if inv.get("atlas_enabled"):
        assert needed <= granted, f"the Atlas user gets readWrite on {sorted(granted)}, the backend writes {sorted(needed)}"
    assert inv["atlas_database_name"] == inv["platform_database_name"], "the connection string names the database the backend uses"


def store_prefix(inv: dict) -> str:
    """The prefix the platform's ClusterSecretStore prepends to every key (the platform stack's output
    secrets_name_prefix, `<platform_name>/<platform_env>/`: docs/cluster-addons.md; tests/kubernetes compares the
    rendered store with the real output)."""
    return f"{inv['platform_name']}/{inv['platform_env']}/"


def secret_names_written(inv: dict) -> set[str]:
    """Secrets Manager names the platform writes for an environment: the platform stack's app secrets and, where
    Atlas is on, the Atlas step's connection string."""
    written = {store_prefix(inv) + key for key in inv["platform_stack_app_secrets"]["secrets"]}
    if inv.get("atlas_enabled"):
        written.add(inv["atlas_secret_name"])
    return written


@pytest.mark.parametrize("env", ENVS)
def test_database_secret_is_the_one_the_platform_writes(envs, env):
    inv = inventory(env)
    key = envs[env].get("ExternalSecret", "chatbot-backend-mongodb")["spec"]["data"][0]["remoteRef"]["key"]
    if inv.get("atlas_enabled"):
        assert store_prefix(inv) + key == inv["atlas_secret_name"], "the Atlas step writes the connection string there"
    else:
        assert key == "mongodb" and "mongodb" in inv["platform_stack_app_secrets"]["secrets"]


@pytest.mark.parametrize("env", ENVS)
def test_every_external_secret_reads_a_secret_the_platform_writes(envs, env):
    """The ClusterSecretStore prepends its prefix to the key: a key that spells the prefix again names a secret
    nobody writes (and the store's role may not read)."""
    inv = inventory(env)
    written = secret_names_written(inv)
    found = envs[env].of("ExternalSecret")
    assert found, f"{env}: the chart renders no ExternalSecret"
    for doc in found:
        assert doc["spec"]["secretStoreRef"] == {"kind": "ClusterSecretStore", "name": "aws-secrets-manager"}, doc["metadata"]["name"]
        keys = [d["remoteRef"]["key"] for d in doc["spec"].get("data", [])] + [d["extract"]["key"] for d in doc["spec"].get("dataFrom", []) if "extract" in d]
        for key in keys:
            assert not key.startswith(store_prefix(inv)), f"{env}: {doc['metadata']['name']} repeats the store's prefix in {key}"
            assert store_prefix(inv) + key in written, f"{env}: {doc['metadata']['name']} reads {store_prefix(inv) + key}, which nothing writes ({sorted(written)})"


def database_rules(policy):
    """Egress rules of a backend policy other than DNS."""
    return [r for r in policy["spec"]["egress"] if not any("namespaceSelector" in p for p in r.get("to", []))]


@pytest.mark.parametrize("env", ENVS)
def test_database_egress_matches_the_atlas_route(envs, env):
    """The inventory decides the route (atlas_enabled, atlas_connection_use_private_endpoint); the backend's and
    the migration's egress must allow that route and nothing wider."""
    inv = inventory(env)
    m = envs[env]
    vpc = ipaddress.ip_network(inv["platform_stack_vpc_cidr"])
    if not inv.get("atlas_enabled"):
        route = "inCluster"
    elif inv["atlas_connection_use_private_endpoint"]:
        route = "privateEndpoint"
    else:
        route = "public"
    for name in ("chatbot-backend", "chatbot-backend-migrate"):
        db = [r for r in database_rules(m.get("NetworkPolicy", name)) if {p["port"] for p in r["ports"]} != {443}]
        assert len(db) == 1, f"{name}: one database rule, got {db}"
        (rule,) = db
        if route == "inCluster":
            assert m.of("StatefulSet"), "atlas_enabled is false: the chart must bring its own MongoDB"
            assert rule["to"] == [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": "mongodb", "app.kubernetes.io/instance": "chatbot"}}}]
            assert rule["ports"] == [{"port": 27017, "protocol": "TCP"}]
        elif route == "public":
            (peer,) = rule["to"]
            block = peer["ipBlock"]
            assert block["cidr"] == "0.0.0.0/0"
            assert any(vpc.subnet_of(ipaddress.ip_network(c)) for c in block["except"]), f"{name}: the public route must not reach into the VPC {vpc}"
            assert any(ipaddress.ip_address("169.254.169.254") in ipaddress.ip_network(c) for c in block["except"]), "nor the metadata service"
            assert rule["ports"] == [{"port": 27017, "protocol": "TCP"}], "Atlas replica sets listen on 27017"
            access_list = str(inv.raw["atlas_access_list_ip_addresses"])
            assert "nat_public_ips" in access_list, "the public route needs the NAT gateways' addresses on the Atlas access list"
        else:
            private = [ipaddress.ip_network(c) for c in subnet_cidrs(str(vpc), "private")]
            for peer in rule["to"]:
                address = ipaddress.ip_network(peer["ipBlock"]["cidr"])
                assert address.prefixlen == 32 and any(address.subnet_of(s) for s in private), f"{name}: {address} is not one endpoint address"
    assert not m.of("StatefulSet") or route == "inCluster", "an in-cluster MongoDB next to Atlas"


@pytest.mark.parametrize("env", ENVS)
def test_gateway_admits_only_the_load_balancers(envs, env):
    """Public listener: the public subnets (internet-facing ALB, target-type ip). Admin listener: the subnets of
    the load balancer that carries the admin paths: the same public ALB (exposure public), the internal ALB in
    the private subnets (exposure internal), none (exposure none)."""
    inv = inventory(env)
    m = envs[env]
    vpc = inv["platform_stack_vpc_cidr"]
    public, private = subnet_cidrs(vpc, "public"), subnet_cidrs(vpc, "private")
    exposure = {"public": public, "internal": private, "none": []}
    admin_ingress = [i for i in m.of("Ingress") if i["metadata"]["name"] == "chatbot-admin"]
    scheme = admin_ingress[0]["metadata"]["annotations"]["alb.ingress.kubernetes.io/scheme"] if admin_ingress else None
    admin_sources = {"internet-facing": exposure["public"], "internal": exposure["internal"], None: exposure["none"]}[scheme]

    policy = m.get("NetworkPolicy", "chatbot-gateway")["spec"]["ingress"]
    listeners = [rule for rule in policy if rule["ports"][0]["port"] in ("http", "admin")]
    assert all(len(rule["ports"]) == 1 for rule in listeners)
    by_port = {rule["ports"][0]["port"]: [p["ipBlock"]["cidr"] for p in rule.get("from", [])] for rule in listeners}
    assert by_port["http"] == public, f"public listener admits {by_port['http']}; the internet-facing ALB sits in {public}"
    assert by_port.get("admin", []) == admin_sources, f"admin listener admits {by_port.get('admin')}; the admin load balancer sits in {admin_sources}"
    conf = m.get("ConfigMap", "chatbot-gateway")["data"]["default.conf"]
    trusted = [line.split()[1].rstrip(";") for line in conf.splitlines() if line.strip().startswith("set_real_ip_from")]
    assert sorted(trusted) == sorted(set(public + admin_sources)), "nginx believes X-Forwarded-For from the load balancers only"


@pytest.mark.parametrize("env", ENVS)
def test_backend_trusts_forwarded_headers_from_the_gateway_pods_only(envs, env):
    inv = inventory(env)
    container = backend(envs[env])["spec"]["template"]["spec"]["containers"][0]
    trusted = env_vars(container).get("FORWARDED_ALLOW_IPS")
    assert trusted, "without FORWARDED_ALLOW_IPS uvicorn trusts only 127.0.0.1 and FastAPI's redirects say http://"
    pod_subnets = subnet_cidrs(inv["platform_stack_vpc_cidr"], "private")
    assert trusted.split(",") == pod_subnets, f"FORWARDED_ALLOW_IPS {trusted}; the gateway's pods take addresses from {pod_subnets}"
    ingress = envs[env].get("NetworkPolicy", "chatbot-backend")["spec"]["ingress"]
    assert [p["podSelector"]["matchLabels"]["app.kubernetes.io/name"] for r in ingress for p in r["from"]] == ["gateway"], "only the gateway reaches the API"


def ml_workloads(manifests, labels: dict, taints: list):
    """Pod templates that schedule on the node group: they select its labels and tolerate its taints."""
    effects = {"NO_SCHEDULE": "NoSchedule", "NO_EXECUTE": "NoExecute", "PREFER_NO_SCHEDULE": "PreferNoSchedule"}
    needed = [{"key": t["key"], "operator": "Equal", "value": t["value"], "effect": effects[t["effect"]]} for t in taints]
    for kind in ("Deployment", "Job", "StatefulSet"):
        for w in manifests.of(kind):
            spec = w["spec"]["template"]["spec"]
            selector = spec.get("nodeSelector", {})
            if selector and all(labels.get(k) == v for k, v in selector.items()):
                missing = [t for t in needed if t not in spec.get("tolerations", [])]
                assert not missing, f"{kind}/{w['metadata']['name']} selects the ml nodes without tolerating {missing}"
                yield w


def requests_of(workload):
    containers = workload["spec"]["template"]["spec"]["containers"]
    cpu = sum(quantity(c["resources"]["requests"]["cpu"], "m") for c in containers)
    memory = sum(quantity(c["resources"]["requests"]["memory"], "Mi") for c in containers)
    return cpu, memory


@pytest.mark.parametrize("env", ENVS)
def test_backend_fits_the_ml_node_group(envs, env):
    """The most backend pods the chart can ask for (the HPA's maximum, or the replicas) plus one more (the
    rolling update's surge pod, or the migration Job that runs while the old pods still serve) must fit on the
    ml node group at max_size, on its smallest instance type, after the kubelet's reservations and the
    DaemonSet budget (docs/chatbot-chart.md#node-capacity)."""
    inv = inventory(env)
    m = envs[env]
    group = inv["platform_stack_node_groups"]["ml"]
    on_ml = list(ml_workloads(m, group["labels"], group.get("taints", [])))
    api = backend(m)
    assert api in on_ml, "the backend runs on the ml node group"
    hpas = [h for h in m.of("HorizontalPodAutoscaler") if h["spec"]["scaleTargetRef"]["name"] == "chatbot-backend"]
    most = hpas[0]["spec"]["maxReplicas"] if hpas else api["spec"]["replicas"]
    cpu, memory = requests_of(api)
    for job in (w for w in on_ml if w["kind"] == "Job"):
        job_cpu, job_memory = requests_of(job)
        assert job_cpu <= cpu and job_memory <= memory, "the migration Job must fit where a backend pod fits"
    assert all(w is api or w["kind"] == "Job" for w in on_ml), "capacity is planned for the backend and its Job only"

    shapes = [node_shape(t, inv["platform_node_daemonset_requests"]) for t in group["instance_types"]]
    per_node = min(pods_per_node(s, cpu, memory) for s in shapes)
    capacity = per_node * group["max_size"]
    arithmetic = "\n".join(s.explanation + f" -> {pods_per_node(s, cpu, memory)} pods of {cpu:g}m/{memory:g}Mi" for s in shapes)
    assert most + 1 <= capacity, (
        f"{env}: up to {most} backend pods + 1 (surge or migration) need {most + 1} slots; the ml group holds "
        f"{per_node} per node x max_size {group['max_size']} = {capacity}\n{arithmetic}"
    )
    if hpas:
        assert hpas[0]["spec"]["minReplicas"] + 1 <= capacity
