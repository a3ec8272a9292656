# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The offline Pod Security evaluator: each check both ways, version gates, overrides, workloads, bad input."""

from __future__ import annotations

import copy
import dataclasses

import pytest

from ansible_collections.chatbot.platform.plugins.module_utils._k8s.pod_security import (
    LEVELS,
    NEWEST_VERSION,
    WORKLOAD_KINDS,
    Violation,
    check_ids,
    evaluate_manifest,
    evaluate_pod,
    workload_pods,
)

SUPPORTED = [f"1.{minor}" for minor in range(25, 38)] + ["latest"]


def container(name, **security):
    hardened = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}
    return {"name": name, "image": "registry.example/app:1", "securityContext": {**hardened, **security}}


def restricted_spec():
    """A pod that passes restricted at every version: what the chatbot chart renders, reduced."""
    return {
        "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
        "initContainers": [container("init")],
        "containers": [container("app")],
    }


def baseline_spec():
    return {"initContainers": [{"name": "init", "image": "x"}], "containers": [{"name": "app", "image": "x"}]}


def failing(spec, level="restricted", version="1.36", metadata=None):
    return [violation.check for violation in evaluate_pod(metadata, spec, level, version)]


def tweak(spec, change):
    spec = copy.deepcopy(spec)
    change(spec)
    return spec


def app_security(spec):
    return spec["containers"][0]["securityContext"]


# ----------------------------------------------------------------------------------------------------------
# Levels and versions


def test_levels_and_versions_are_checked_with_one_line_messages():
    assert LEVELS == ("privileged", "baseline", "restricted")
    for bad in ("Restricted", "", None, 3, "restricted "):
        with pytest.raises(ValueError, match=r"^unknown Pod Security level .*; use one of privileged, baseline, restricted$"):
            evaluate_pod(None, restricted_spec(), bad, "1.36")
    for bad in ("1.36.0", "2.0", "1.036", "", None, 1.36, "v1", "1.x", "Latest", " 1.36", "1.36\n"):
        with pytest.raises(ValueError, match=r"^Pod Security version .* is not '1.<minor>' \(such as '1.36'\) or 'latest'$") as raised:
            evaluate_pod(None, restricted_spec(), "baseline", bad)
        assert "\n" not in str(raised.value)


def test_privileged_allows_anything_but_still_checks_the_version():
    spec = tweak(baseline_spec(), lambda s: s.update(hostNetwork=True, volumes=[{"name": "v", "hostPath": {"path": "/"}}]))
    assert evaluate_pod(None, spec, "privileged", "1.36") == []
    with pytest.raises(ValueError, match=r"is not '1\.<minor>'"):
        evaluate_pod(None, spec, "privileged", "one")


def test_latest_and_future_versions_evaluate_like_the_newest_and_upstream_v_prefix_is_accepted():
    assert NEWEST_VERSION == "1.37"
    spec = tweak(restricted_spec(), lambda s: s["securityContext"].update(sysctls=[{"name": "net.ipv4.tcp_notsent_lowat", "value": "1"}]))
    assert failing(spec, version="1.36") == ["sysctls"]
    for version in ("1.37", "v1.37", "latest", "1.40", "1.1000"):
        assert failing(spec, version=version) == [], version
    assert check_ids("restricted", "latest") == check_ids("restricted", "1.99") == check_ids("restricted", "1.37")


@pytest.mark.parametrize("version", SUPPORTED)
def test_the_minimal_pods_pass_their_level_at_every_supported_version(version):
    assert failing(baseline_spec(), "baseline", version) == []
    assert failing(restricted_spec(), "restricted", version) == []
    assert set(failing(baseline_spec(), "restricted", version)) == {
        "allowPrivilegeEscalation",
        "capabilities_restricted",
        "runAsNonRoot",
        "seccompProfile_restricted",
    }


# The baseline checks of 1.0, in the order upstream runs them (sorted by id).
ORIGINAL_BASELINE = [
    "appArmorProfile",
    "capabilities_baseline",
    "hostNamespaces",
    "hostPathVolumes",
    "hostPorts",
    "privileged",
    "procMount",
    "seLinuxOptions",
    "seccompProfile_baseline",
    "sysctls",
    "windowsHostProcess",
]


def test_restricted_runs_the_restricted_form_in_place_of_the_baseline_one():
    assert check_ids("baseline", "1.36") == [*ORIGINAL_BASELINE[:5], "hostProbesAndHostLifecycle", *ORIGINAL_BASELINE[5:]]
    restricted = check_ids("restricted", "1.36")
    for replaced in ("capabilities_baseline", "hostPathVolumes", "procMount", "seccompProfile_baseline"):
        assert replaced not in restricted
    assert restricted[-7:] == [
        "allowPrivilegeEscalation",
        "capabilities_restricted",
        "procMount_restricted",
        "restrictedVolumes",
        "runAsNonRoot",
        "runAsUser",
        "seccompProfile_restricted",
    ]
    # procMount_restricted starts in 1.35; before it the baseline procMount check runs at restricted too.
    assert "procMount" in check_ids("restricted", "1.34")
    assert "procMount_restricted" not in check_ids("restricted", "1.34")
    # Before 1.22 restricted had no capabilities check of its own; before 1.19 none for seccomp.
    assert "capabilities_baseline" in check_ids("restricted", "1.21")
    assert "seccompProfile_baseline" in check_ids("restricted", "1.18")
    assert check_ids("privileged", "1.36") == []


@pytest.mark.parametrize(
    ("version", "added"),
    [
        ("1.8", "allowPrivilegeEscalation"),
        ("1.19", "seccompProfile_restricted"),
        ("1.22", "capabilities_restricted"),
        ("1.23", "runAsUser"),
        ("1.34", "hostProbesAndHostLifecycle"),
        ("1.35", "procMount_restricted"),
    ],
)
def test_checks_start_at_the_version_upstream_added_them(version, added):
    minor = int(version.split(".")[1])
    assert added in check_ids("restricted", version)
    assert added not in check_ids("restricted", f"1.{minor - 1}")


def test_the_oldest_versions_already_have_the_original_checks():
    assert check_ids("baseline", "1.0") == ORIGINAL_BASELINE
    assert check_ids("restricted", "1.0")[-2:] == ["restrictedVolumes", "runAsNonRoot"]


# ----------------------------------------------------------------------------------------------------------
# Baseline checks, each failing and passing


def _host_path(s):
    s["volumes"] = [{"name": "host", "hostPath": {"path": "/var/run"}}]


def _add_capability(name):
    return lambda s: app_security(s).update(capabilities={"drop": ["ALL"], "add": [name]})


BASELINE_CASES = [
    ("hostNamespaces", lambda s: s.update(hostNetwork=True), lambda s: s.update(hostNetwork=False, hostPID=False, hostIPC=False)),
    ("hostNamespaces", lambda s: s.update(hostIPC=True), None),
    ("privileged", lambda s: s["initContainers"][0]["securityContext"].update(privileged=True), lambda s: app_security(s).update(privileged=False)),
    ("capabilities_baseline", _add_capability("SYS_ADMIN"), None),
    ("capabilities_baseline", _add_capability("net_bind_service"), _add_capability("NET_BIND_SERVICE")),
    ("hostPathVolumes", _host_path, lambda s: s.update(volumes=[{"name": "scratch", "emptyDir": {}}])),
    (
        "hostPorts",
        lambda s: s["containers"][0].update(ports=[{"containerPort": 80, "hostPort": 8080}]),
        lambda s: s["containers"][0].update(ports=[{"containerPort": 80, "hostPort": 0}]),
    ),
    (
        "appArmorProfile",
        lambda s: s.setdefault("securityContext", {}).update(appArmorProfile={"type": "Unconfined"}),
        lambda s: s.setdefault("securityContext", {}).update(appArmorProfile={"type": "RuntimeDefault"}),
    ),
    (
        "appArmorProfile",
        lambda s: app_security(s).update(appArmorProfile={}),
        lambda s: app_security(s).update(appArmorProfile={"type": "Localhost", "localhostProfile": "p"}),
    ),
    (
        "seLinuxOptions",
        lambda s: app_security(s).update(seLinuxOptions={"type": "spc_t"}),
        lambda s: app_security(s).update(seLinuxOptions={"type": "container_t", "level": "s0:c1"}),
    ),
    (
        "seLinuxOptions",
        lambda s: s.setdefault("securityContext", {}).update(seLinuxOptions={"user": "system_u"}),
        lambda s: s.setdefault("securityContext", {}).update(seLinuxOptions={}),
    ),
    ("seLinuxOptions", lambda s: app_security(s).update(seLinuxOptions={"role": "sysadm_r"}), None),
    ("procMount", lambda s: app_security(s).update(procMount="Unmasked"), lambda s: app_security(s).update(procMount="Default")),
    (
        "seccompProfile_baseline",
        lambda s: app_security(s).update(seccompProfile={"type": "Unconfined"}),
        lambda s: app_security(s).update(seccompProfile={"type": "Localhost", "localhostProfile": "p.json"}),
    ),
    ("seccompProfile_baseline", lambda s: s.setdefault("securityContext", {}).update(seccompProfile={}), None),
    (
        "sysctls",
        lambda s: s.setdefault("securityContext", {}).update(sysctls=[{"name": "kernel.msgmax", "value": "1"}]),
        lambda s: s.setdefault("securityContext", {}).update(sysctls=[{"name": "net.ipv4.tcp_syncookies", "value": "1"}]),
    ),
    (
        "windowsHostProcess",
        lambda s: s.setdefault("securityContext", {}).update(windowsOptions={"hostProcess": True}),
        lambda s: s.setdefault("securityContext", {}).update(windowsOptions={"hostProcess": False}),
    ),
    ("windowsHostProcess", lambda s: app_security(s).update(windowsOptions={"hostProcess": True}), None),
    (
        "hostProbesAndHostLifecycle",
        lambda s: s["containers"][0].update(readinessProbe={"httpGet": {"host": "10.0.0.1", "port": 80}}),
        lambda s: s["containers"][0].update(readinessProbe={"httpGet": {"host": "", "port": 80}}),
    ),
    (
        "hostProbesAndHostLifecycle",
        lambda s: s["containers"][0].update(lifecycle={"preStop": {"tcpSocket": {"host": "node", "port": 1}}}),
        lambda s: s["containers"][0].update(lifecycle={"preStop": {"sleep": {"seconds": 5}}}),
    ),
]


# At restricted, a replaced baseline check is reported by the restricted check that replaces it.
REPLACED_AT_RESTRICTED = {
    "capabilities_baseline": "capabilities_restricted",
    "hostPathVolumes": "restrictedVolumes",
    "procMount": "procMount_restricted",
    "seccompProfile_baseline": "seccompProfile_restricted",
}


@pytest.mark.parametrize(("check", "breaks", "keeps"), BASELINE_CASES)
def test_baseline_check(check, breaks, keeps):
    for level in ("baseline", "restricted"):
        found = failing(tweak(restricted_spec(), breaks), level)
        assert found == [REPLACED_AT_RESTRICTED.get(check, check) if level == "restricted" else check], (level, found)
        if keeps is not None:
            assert failing(tweak(restricted_spec(), keeps), level) == []


def test_annotations_count_for_apparmor_and_only_before_1_19_for_seccomp():
    apparmor = {"annotations": {"container.apparmor.security.beta.kubernetes.io/app": "unconfined"}}
    assert failing(baseline_spec(), "baseline", "1.36", apparmor) == ["appArmorProfile"]
    for allowed in ("runtime/default", "localhost/custom", ""):
        metadata = {"annotations": {"container.apparmor.security.beta.kubernetes.io/app": allowed}}
        assert failing(baseline_spec(), "baseline", "1.36", metadata) == []
    seccomp = {"annotations": {"seccomp.security.alpha.kubernetes.io/pod": "unconfined", "container.seccomp.security.alpha.kubernetes.io/app": "unconfined"}}
    assert failing(baseline_spec(), "baseline", "1.18", seccomp) == ["seccompProfile_baseline"]
    assert failing(baseline_spec(), "baseline", "1.19", seccomp) == []
    (violation,) = evaluate_pod(seccomp, baseline_spec(), "baseline", "1.18")
    assert "seccomp.security.alpha.kubernetes.io/pod='unconfined'" in violation.detail


@pytest.mark.parametrize(
    ("sysctl", "allowed_from"),
    [
        ("net.ipv4.ip_unprivileged_port_start", "1.0"),
        ("net.ipv4.ip_local_reserved_ports", "1.27"),
        ("net.ipv4.tcp_keepalive_time", "1.29"),
        ("net.ipv4.tcp_fin_timeout", "1.29"),
        ("net.ipv4.tcp_keepalive_intvl", "1.29"),
        ("net.ipv4.tcp_keepalive_probes", "1.29"),
        ("net.ipv4.tcp_rmem", "1.32"),
        ("net.ipv4.tcp_wmem", "1.32"),
        ("net.ipv4.tcp_slow_start_after_idle", "1.37"),
        ("net.ipv4.tcp_notsent_lowat", "1.37"),
    ],
)
def test_each_sysctl_is_allowed_from_its_version_on(sysctl, allowed_from):
    spec = tweak(baseline_spec(), lambda s: s.update(securityContext={"sysctls": [{"name": sysctl, "value": "1"}]}))
    minor = int(allowed_from.split(".")[1])
    assert failing(spec, "baseline", allowed_from) == []
    assert failing(spec, "baseline", "latest") == []
    if minor:
        assert failing(spec, "baseline", f"1.{minor - 1}") == ["sysctls"]


def test_version_gates_of_the_newer_baseline_rules():
    probe = tweak(baseline_spec(), lambda s: s["containers"][0].update(livenessProbe={"tcpSocket": {"host": "169.254.169.254", "port": 80}}))
    assert failing(probe, "baseline", "1.33") == []
    assert failing(probe, "baseline", "1.34") == ["hostProbesAndHostLifecycle"]
    engine = tweak(baseline_spec(), lambda s: s.update(securityContext={"seLinuxOptions": {"type": "container_engine_t"}}))
    assert failing(engine, "baseline", "1.30") == ["seLinuxOptions"]
    assert failing(engine, "baseline", "1.31") == []


def test_unmasked_proc_in_a_user_namespace_passes_baseline_from_1_35_but_never_restricted():
    spec = tweak(restricted_spec(), lambda s: (s.update(hostUsers=False), app_security(s).update(procMount="Unmasked")))
    assert failing(spec, "baseline", "1.34") == ["procMount"]
    assert failing(spec, "baseline", "1.35") == []
    assert failing(spec, "restricted", "1.34") == ["procMount"]
    assert failing(spec, "restricted", "1.35") == ["procMount_restricted"]
    # hostUsers: true is no user namespace.
    spec["hostUsers"] = True
    assert failing(spec, "baseline", "1.35") == ["procMount"]


# ----------------------------------------------------------------------------------------------------------
# Restricted checks


def test_restricted_volumes_allow_the_inline_sources_and_a_volume_without_source_is_an_empty_dir():
    allowed = [
        {"name": "default"},  # defaulted to emptyDir by the API server
        {"name": "nulled", "emptyDir": None},
        {"name": "scratch", "emptyDir": {"medium": "Memory"}},
        {"name": "cm", "configMap": {"name": "c"}},
        {"name": "sec", "secret": {"secretName": "s"}},
        {"name": "pvc", "persistentVolumeClaim": {"claimName": "data"}},
        {"name": "token", "projected": {"sources": []}},
        {"name": "labels", "downwardAPI": {"items": []}},
        {"name": "csi", "csi": {"driver": "secrets-store.csi.k8s.io"}},
        {"name": "eph", "ephemeral": {"volumeClaimTemplate": {"spec": {}}}},
        {"name": "model", "image": {"reference": "registry.example/model:1"}},
    ]
    assert failing(tweak(restricted_spec(), lambda s: s.update(volumes=allowed))) == []
    for source in ("nfs", "awsElasticBlockStore", "gitRepo", "iscsi", "cephfs", "hostPath", "flexVolume", "portworxVolume"):
        spec = tweak(restricted_spec(), lambda s, source=source: s.update(volumes=[*allowed, {"name": "bad", source: {}}]))
        (violation,) = evaluate_pod(None, spec, "restricted", "1.36")
        assert violation.check == "restrictedVolumes"
        assert f'volume "bad" use "{source}"' in violation.detail
        assert failing(spec, "baseline") == (["hostPathVolumes"] if source == "hostPath" else [])


def test_allow_privilege_escalation_must_be_false_in_every_container():
    for value in (True, None):
        spec = tweak(restricted_spec(), lambda s, value=value: app_security(s).update(allowPrivilegeEscalation=value))
        assert failing(spec) == ["allowPrivilegeEscalation"]
    no_context = tweak(restricted_spec(), lambda s: s["initContainers"][0].pop("securityContext"))
    assert "allowPrivilegeEscalation" in failing(no_context)
    assert failing(restricted_spec(), version="1.8") == []
    # Only from 1.8 on.
    assert "allowPrivilegeEscalation" not in failing(no_context, version="1.7")


def test_run_as_non_root_container_settings_override_the_pod():
    def spec(pod_value, app_value=None, init_value=None):
        result = restricted_spec()
        result["securityContext"]["runAsNonRoot"] = pod_value
        if app_value is not None:
            app_security(result)["runAsNonRoot"] = app_value
        if init_value is not None:
            result["initContainers"][0]["securityContext"]["runAsNonRoot"] = init_value
        return result

    assert failing(spec(True)) == []
    assert failing(spec(True, app_value=False)) == ["runAsNonRoot"]
    assert failing(spec(None, app_value=True, init_value=True)) == []
    assert failing(spec(None, app_value=True)) == ["runAsNonRoot"]  # the init container inherits nothing
    assert failing(spec(False, app_value=True, init_value=True)) == ["runAsNonRoot"]
    (violation,) = evaluate_pod(None, spec(None, app_value=True), "restricted", "1.36")
    assert violation.detail == 'neither the pod nor container "init" set securityContext.runAsNonRoot=true'
    (violation,) = evaluate_pod(None, spec(False, app_value=False), "restricted", "1.36")
    assert violation.detail == 'the pod and container "app" set securityContext.runAsNonRoot=false'


def test_run_as_user_zero_is_refused_from_1_23():
    root_pod = tweak(restricted_spec(), lambda s: s["securityContext"].update(runAsUser=0))
    root_container = tweak(restricted_spec(), lambda s: app_security(s).update(runAsUser=0))
    assert failing(root_pod) == failing(root_container) == ["runAsUser"]
    assert failing(root_pod, version="1.22") == []
    assert failing(tweak(restricted_spec(), lambda s: app_security(s).update(runAsUser=10001))) == []


@pytest.mark.parametrize("check", ["runAsNonRoot", "runAsUser"])
def test_pods_in_a_user_namespace_may_run_as_root_from_1_35(check):
    spec = restricted_spec()
    if check == "runAsNonRoot":
        spec["securityContext"]["runAsNonRoot"] = False
    else:
        spec["securityContext"]["runAsUser"] = 0
    spec["hostUsers"] = False
    assert failing(spec, version="1.34") == [check]
    assert failing(spec, version="1.35") == []
    assert failing(spec, version="latest") == []


def test_seccomp_restricted_needs_a_profile_for_every_container():
    unset = tweak(restricted_spec(), lambda s: s["securityContext"].pop("seccompProfile"))
    assert failing(unset) == ["seccompProfile_restricted"]
    assert failing(unset, "baseline") == []
    per_container = tweak(
        unset,
        lambda s: [c["securityContext"].update(seccompProfile={"type": "Localhost", "localhostProfile": "p"}) for c in s["initContainers"] + s["containers"]],
    )
    assert failing(per_container) == []
    one_unconfined = tweak(restricted_spec(), lambda s: app_security(s).update(seccompProfile={"type": "Unconfined"}))
    assert failing(one_unconfined) == ["seccompProfile_restricted"]
    assert failing(one_unconfined, "baseline") == ["seccompProfile_baseline"]
    # Before 1.19 there was no field to require.
    assert "seccompProfile_restricted" not in failing(unset, version="1.18")


def test_capabilities_restricted_drop_all_and_add_only_net_bind_service():
    assert failing(tweak(restricted_spec(), _add_capability("NET_BIND_SERVICE"))) == []
    assert failing(tweak(restricted_spec(), _add_capability("CHOWN"))) == ["capabilities_restricted"]
    assert failing(tweak(restricted_spec(), _add_capability("CHOWN")), "baseline") == []
    keep = tweak(restricted_spec(), lambda s: app_security(s).update(capabilities={"drop": ["NET_RAW"]}))
    (violation,) = evaluate_pod(None, keep, "restricted", "1.36")
    assert violation.check == "capabilities_restricted"
    assert 'container "app" must drop "ALL"' in violation.detail
    # Before 1.22 restricted only applied the baseline capabilities rule.
    assert failing(keep, version="1.21") == []


def test_windows_pods_are_exempt_from_the_linux_only_rules_from_1_25():
    windows = baseline_spec()
    windows.update(os={"name": "windows"}, securityContext={"runAsNonRoot": True})
    windows["containers"][0]["securityContext"] = {}
    assert failing(windows, version="1.25") == []
    assert failing(windows, version="latest") == []
    assert set(failing(windows, version="1.24")) == {"allowPrivilegeEscalation", "capabilities_restricted", "seccompProfile_restricted"}
    linux = tweak(windows, lambda s: s.update(os={"name": "linux"}))
    assert set(failing(linux, version="1.25")) == {"allowPrivilegeEscalation", "capabilities_restricted", "seccompProfile_restricted"}
    # Upstream's override makes an (API-invalid) Windows pod that adds capabilities pass restricted but not baseline.
    odd = tweak(windows, _add_capability("SYS_ADMIN"))
    assert failing(odd, "restricted") == []
    assert failing(odd, "baseline") == ["capabilities_baseline"]


# ----------------------------------------------------------------------------------------------------------
# Containers of every sort, details, malformed input


@pytest.mark.parametrize("field", ["initContainers", "containers", "ephemeralContainers"])
def test_every_container_list_is_checked(field):
    spec = restricted_spec()
    spec.setdefault(field, []).append({"name": "debug", "image": "busybox", "securityContext": {"privileged": True}})
    violations = evaluate_pod(None, spec, "restricted", "1.36")
    assert [v.check for v in violations] == ["privileged", "allowPrivilegeEscalation", "capabilities_restricted"]
    assert violations[0].detail == 'container "debug" set securityContext.privileged=true'


def test_violations_are_frozen_and_name_every_offender():
    spec = tweak(baseline_spec(), lambda s: [c.update(securityContext={"privileged": True}) for c in s["initContainers"] + s["containers"]])
    (violation,) = evaluate_pod(None, spec, "baseline", "1.36")
    assert violation == Violation("privileged", "privileged containers", 'containers "init", "app" set securityContext.privileged=true')
    assert str(violation).startswith("privileged: privileged containers (")
    with pytest.raises(dataclasses.FrozenInstanceError):
        violation.check = "other"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: app_security(s).update(privileged="true"), r"^spec.containers\[0\].securityContext.privileged must be a boolean, got str 'true'$"),
        (lambda s: s["securityContext"].update(runAsNonRoot="yes"), r"^spec.securityContext.runAsNonRoot must be a boolean"),
        (lambda s: s["securityContext"].update(runAsUser=True), r"^spec.securityContext.runAsUser must be an integer, got bool True$"),
        (lambda s: s["containers"][0].update(ports=[{"hostPort": "8080"}]), r"^spec.containers\[0\].ports\[0\].hostPort must be an integer"),
        (lambda s: app_security(s).update(capabilities={"drop": "ALL"}), r"^spec.containers\[0\].securityContext.capabilities.drop must be a list"),
        (lambda s: s.update(containers="app"), r"^spec.containers must be a list"),
        (lambda s: s.update(initContainers=["init"]), r"^spec.initContainers\[0\] must be a mapping"),
        (
            lambda s: s.update(volumes=[{"name": "v", "emptyDir": {}, "hostPath": {"path": "/"}}]),
            r"^spec.volumes\[0\] \('v'\) sets more than one volume source: emptyDir, hostPath$",
        ),
        (
            lambda s: s.update(volumes=[{"name": "v", "hostpath": {"path": "/"}}]),
            r"^spec.volumes\[0\] \('v'\) has unknown field 'hostpath'; volume sources are awsElasticBlockStore, azureDisk, ",
        ),
    ],
)
def test_objects_the_api_server_would_reject_raise(change, message):
    with pytest.raises(ValueError, match=message):
        evaluate_pod(None, tweak(restricted_spec(), change), "restricted", "1.36")


def test_bad_spec_and_metadata_raise():
    with pytest.raises(ValueError, match=r"^spec must be a mapping, got list"):
        evaluate_pod(None, [], "baseline", "1.36")
    with pytest.raises(ValueError, match=r"^metadata.annotations\['a'\] must map a string to a string, got 1$"):
        evaluate_pod({"annotations": {"a": 1}}, baseline_spec(), "baseline", "1.36")


# ----------------------------------------------------------------------------------------------------------
# Workloads and manifests


def workload(kind, spec, name="web", namespace="chatbot", template_metadata=None):
    template = {"metadata": template_metadata or {"labels": {"app": name}}, "spec": spec}
    metadata = {"name": name, "namespace": namespace}
    if kind == "Pod":
        return {"apiVersion": "v1", "kind": "Pod", "metadata": {**metadata, **template["metadata"]}, "spec": spec}
    if kind == "PodTemplate":
        return {"apiVersion": "v1", "kind": kind, "metadata": metadata, "template": template}
    if kind == "CronJob":
        return {
            "apiVersion": "batch/v1",
            "kind": kind,
            "metadata": metadata,
            "spec": {"schedule": "0 * * * *", "jobTemplate": {"spec": {"template": template}}},
        }
    api_version = {"ReplicationController": "v1", "Job": "batch/v1"}.get(kind, "apps/v1")
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata, "spec": {"replicas": 1, "template": template}}


@pytest.mark.parametrize("kind", WORKLOAD_KINDS)
def test_workload_pods_returns_the_pod_template_of_every_kind(kind):
    spec = restricted_spec()
    annotations = {"container.apparmor.security.beta.kubernetes.io/app": "unconfined"}
    doc = workload(kind, spec, template_metadata={"annotations": annotations})
    ((metadata, pod_spec),) = workload_pods(doc)
    assert pod_spec == spec
    assert metadata["annotations"] == annotations
    # The template's own metadata is what counts, as in the admission controller.
    assert evaluate_manifest([doc], "restricted", "1.36") == {f"{kind}/chatbot/web": evaluate_pod(metadata, spec, "restricted", "1.36")}
    assert [v.check for v in evaluate_manifest([doc], "restricted", "1.36")[f"{kind}/chatbot/web"]] == ["appArmorProfile"]


def test_workload_pods_ignores_other_objects():
    assert workload_pods({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {}}) == []
    # Same kind name, another API group: not a workload the admission controller evaluates.
    assert workload_pods({"apiVersion": "example.com/v1", "kind": "Deployment", "spec": {"template": {"spec": baseline_spec()}}}) == []
    # A ReplicationController's template is optional.
    assert workload_pods({"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "rc"}, "spec": {}}) == []
    # A Deployment without a template reads as an empty pod (Go's zero value).
    assert workload_pods({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {}}) == [({}, {})]
    for bad in ({"kind": "Pod"}, {"apiVersion": "v1"}, ["Pod"]):
        with pytest.raises(ValueError):
            workload_pods(bad)


def test_evaluate_manifest_keys_failing_workloads_only():
    root = tweak(restricted_spec(), lambda s: s["securityContext"].update(runAsUser=0))
    docs = [
        None,
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}},
        workload("Deployment", restricted_spec(), "good"),
        workload("StatefulSet", root, "db"),
        {"apiVersion": "v1", "kind": "List", "items": [workload("CronJob", baseline_spec(), "job", namespace=None)]},
    ]
    result = evaluate_manifest(docs, "restricted", "1.36", default_namespace="release-ns")
    assert sorted(result) == ["CronJob/release-ns/job", "StatefulSet/chatbot/db"]
    assert [v.check for v in result["StatefulSet/chatbot/db"]] == ["runAsUser"]
    assert evaluate_manifest(docs, "baseline", "1.36") == {}
    assert evaluate_manifest(docs, "privileged", "latest") == {}


def test_evaluate_manifest_rejects_bad_arguments_and_duplicates():
    with pytest.raises(ValueError, match="unknown Pod Security level"):
        evaluate_manifest([], "strict", "1.36")
    with pytest.raises(ValueError, match=r"is not '1\.<minor>'"):
        evaluate_manifest([], "baseline", "1.3a")
    twice = [workload("Deployment", restricted_spec()), workload("Deployment", baseline_spec())]
    with pytest.raises(ValueError, match=r"^the manifest holds Deployment/chatbot/web more than once$"):
        evaluate_manifest(twice, "restricted", "1.36")
