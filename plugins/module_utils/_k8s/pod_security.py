# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline Pod Security Standards: does a rendered workload pass ``baseline`` or ``restricted``?

The rules are those of the Kubernetes Pod Security admission controller (k8s.io/pod-security-admission,
package ``policy``), checked against its generated fixtures by tests/unit/plugins/module_utils/_k8s/
test_pod_security_upstream.py and scripts/check_pod_security_upstream.py. Each check keeps the upstream
check id, the Kubernetes version it starts at, its later revisions, and which baseline check a restricted
check replaces. A policy version newer than the newest revision, or ``latest``, evaluates like the newest.

Like the API server, a volume without a source counts as the emptyDir it is defaulted to. Objects the API
server would reject before Pod Security runs (a field of the wrong type, a volume with an unknown field or
two sources) raise ValueError instead of getting a verdict. Standard library only: scripts load this file by path.
"""

from __future__ import annotations

import dataclasses
import functools
import re

LEVELS = ("privileged", "baseline", "restricted")


@dataclasses.dataclass(frozen=True)
class Violation:
    """One failed check: the upstream check id, a short reason and what exactly broke it."""

    check: str
    reason: str
    detail: str

    def __str__(self):
        return f"{self.check}: {self.reason} ({self.detail})"


# ---------------------------------------------------------------------------------------------------------
# Typed reads of a pod as plain data (a YAML or JSON document).


def _describe(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_KINDS = {
    bool: ("a boolean", lambda v: isinstance(v, bool)),
    int: ("an integer", lambda v: isinstance(v, int) and not isinstance(v, bool)),
    str: ("a string", lambda v: isinstance(v, str)),
    dict: ("a mapping", lambda v: isinstance(v, dict)),
    list: ("a list", lambda v: isinstance(v, list)),
}


class _Node:
    """A mapping of the manifest and where it sits; reads fail with the field's path when the type is wrong."""

    __slots__ = ("data", "path")

    def __init__(self, data, path):
        self.data = data
        self.path = path

    @classmethod
    def root(cls, data, path):
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ValueError(f"{path} must be a mapping, got {type(data).__name__} {_describe(data)}")
        return cls(data, path)

    def get(self, key, kind):
        """The value of key, or None when it is absent or null (Go's nil pointer)."""
        value = self.data.get(key)
        if value is None:
            return None
        name, accepts = _KINDS[kind]
        if not accepts(value):
            raise ValueError(f"{self.path}.{key} must be {name}, got {type(value).__name__} {_describe(value)}")
        return value

    def text(self, key):
        """A string field; absent reads as the empty string, as in Go."""
        return self.get(key, str) or ""

    def node(self, key):
        """The nested mapping at key, or None when it is not set."""
        value = self.get(key, dict)
        return None if value is None else _Node(value, f"{self.path}.{key}")

    def section(self, key):
        """The nested mapping at key, empty when it is not set (for objects whose absence means nothing is set)."""
        return self.node(key) or _Node({}, f"{self.path}.{key}")

    def nodes(self, key):
        """The mappings listed at key."""
        items = self.get(key, list) or []
        result = []
        for index, item in enumerate(items):
            result.append(_Node.root(item, f"{self.path}.{key}[{index}]"))
        return result

    def strings(self, key):
        items = self.get(key, list) or []
        for index, item in enumerate(items):
            if not isinstance(item, str):
                raise ValueError(f"{self.path}.{key}[{index}] must be a string, got {type(item).__name__} {_describe(item)}")
        return items


class _Pod:
    """What the checks read: annotations, the pod-level security context, the containers and the volumes."""

    def __init__(self, metadata, spec):
        meta = _Node.root(metadata, "metadata")
        self.spec = _Node.root(spec, "spec")
        annotations = meta.get("annotations", dict) or {}
        for key, value in annotations.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise ValueError(f"metadata.annotations[{_describe(key)}] must map a string to a string, got {_describe(value)}")
        self.annotations = annotations
        self.security = self.spec.section("securityContext")
        # Upstream visits init containers, then containers, then ephemeral containers.
        self.containers = [c for key in ("initContainers", "containers", "ephemeralContainers") for c in self.spec.nodes(key)]
        os_node = self.spec.node("os")
        self.windows = os_node is not None and os_node.text("name") == "windows"
        # hostUsers: false puts the pod in its own user namespace; only an explicit false counts.
        self.user_namespace = self.spec.get("hostUsers", bool) is False


def _name(container):
    return container.text("name")


def _security(container):
    return container.section("securityContext")


def _quoted(names):
    return ", ".join(f'"{name}"' for name in names)


def _containers(names):
    return f"{'container' if len(names) == 1 else 'containers'} {_quoted(names)}"


def _setters(pod_level, container_names):
    """'the pod', 'containers "a", "b"' or both, for details."""
    parts = ["the pod"] if pod_level else []
    if container_names:
        parts.append(_containers(container_names))
    return " and ".join(parts)


def _unique_sorted(values):
    return sorted(set(values))


def _failure(reason, *details):
    """(reason, the non-empty details joined) or None when every detail is empty."""
    details = [detail for detail in details if detail]
    return (reason, "; ".join(details)) if details else None


def _per_container(pod, find):
    """(the names of the containers for which find returns values, all those values)."""
    names, found = [], []
    for container in pod.containers:
        values = find(container)
        if values:
            names.append(_name(container))
            found.extend(values)
    return names, found


# ---------------------------------------------------------------------------------------------------------
# Baseline checks


def _host_namespaces(pod):
    shared = [f"{field}=true" for field in ("hostNetwork", "hostPID", "hostIPC") if pod.spec.get(field, bool)]
    if shared:
        return "host namespaces", f"the pod sets {', '.join(shared)}"
    return None


def _privileged(pod):
    bad = []
    for container in pod.containers:
        if _security(container).get("privileged", bool):
            bad.append(_name(container))
    if bad:
        return "privileged containers", f"{_containers(bad)} set securityContext.privileged=true"
    return None


DEFAULT_CAPABILITIES = frozenset(
    (
        "AUDIT_WRITE",
        "CHOWN",
        "DAC_OVERRIDE",
        "FOWNER",
        "FSETID",
        "KILL",
        "MKNOD",
        "NET_BIND_SERVICE",
        "SETFCAP",
        "SETGID",
        "SETPCAP",
        "SETUID",
        "SYS_CHROOT",
    )
)


def _capabilities(container):
    return _security(container).section("capabilities")


def _capabilities_baseline(pod):
    bad, added = _per_container(pod, lambda c: [cap for cap in _capabilities(c).strings("add") if cap not in DEFAULT_CAPABILITIES])
    if bad:
        return "capabilities beyond the default set", f"{_containers(bad)} add {_quoted(_unique_sorted(added))} in securityContext.capabilities.add"
    return None


# Every volume source of core/v1 VolumeSource (a Volume is a name and one of these).
VOLUME_SOURCES = (
    "awsElasticBlockStore",
    "azureDisk",
    "azureFile",
    "cephfs",
    "cinder",
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "fc",
    "flexVolume",
    "flocker",
    "gcePersistentDisk",
    "gitRepo",
    "glusterfs",
    "hostPath",
    "image",
    "iscsi",
    "nfs",
    "persistentVolumeClaim",
    "photonPersistentDisk",
    "portworxVolume",
    "projected",
    "quobyte",
    "rbd",
    "scaleIO",
    "secret",
    "storageos",
    "vsphereVolume",
)
# The inline sources the restricted level allows.
RESTRICTED_VOLUME_SOURCES = frozenset(("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim", "projected", "secret"))


def _volumes(pod):
    """(name, source) per volume. No source means emptyDir (the API server's default); a field that is not a
    volume source, or two sources, make the volume invalid."""
    result = []
    for volume in pod.spec.nodes("volumes"):
        name = volume.text("name")
        sources = [key for key, value in volume.data.items() if key != "name" and value is not None]
        unknown = [key for key in sources if key not in VOLUME_SOURCES]
        if unknown:
            raise ValueError(f"{volume.path} ({name!r}) has unknown field {_describe(unknown[0])}; volume sources are {', '.join(VOLUME_SOURCES)}")
        if len(sources) > 1:
            raise ValueError(f"{volume.path} ({name!r}) sets more than one volume source: {', '.join(sorted(sources))}")
        result.append((name, sources[0] if sources else "emptyDir"))
    return result


def _host_path_volumes(pod):
    bad = [name for name, source in _volumes(pod) if source == "hostPath"]
    if bad:
        return "hostPath volumes", f"{'volume' if len(bad) == 1 else 'volumes'} {_quoted(bad)} mount a host path"
    return None


def _host_ports(pod):
    bad, ports = _per_container(pod, lambda c: [port for port in (p.get("hostPort", int) for p in c.nodes("ports")) if port])
    if bad:
        return "host ports", f"{_containers(bad)} bind host {'port' if len(set(ports)) == 1 else 'ports'} {', '.join(map(str, sorted(set(ports))))}"
    return None


APPARMOR_TYPES = frozenset(("RuntimeDefault", "Localhost"))
APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/"


def _apparmor_annotation_allowed(value):
    return value in ("", "runtime/default") or value.startswith("localhost/")


def _apparmor(pod):
    values, pod_level, bad = [], False, []
    profile = pod.security.node("appArmorProfile")
    if profile is not None and profile.text("type") not in APPARMOR_TYPES:
        pod_level = True
        values.append(profile.text("type"))
    for container in pod.containers:
        profile = _security(container).node("appArmorProfile")
        if profile is not None and profile.text("type") not in APPARMOR_TYPES:
            bad.append(_name(container))
            values.append(profile.text("type"))
    annotations = sorted(
        f"{key}={value!r}" for key, value in pod.annotations.items() if key.startswith(APPARMOR_ANNOTATION_PREFIX) and not _apparmor_annotation_allowed(value)
    )
    return _failure(
        "AppArmor profile other than RuntimeDefault or Localhost",
        f"{_setters(pod_level, bad)} set appArmorProfile.type to {_quoted(_unique_sorted(values))}" if pod_level or bad else "",
        f"{'annotation' if len(annotations) == 1 else 'annotations'} {', '.join(annotations)}" if annotations else "",
    )


SELINUX_TYPES_1_0 = frozenset(("", "container_t", "container_init_t", "container_kvm_t"))
SELINUX_TYPES_1_31 = SELINUX_TYPES_1_0 | {"container_engine_t"}


def _selinux_options(allowed_types):
    def check(pod):
        bad_types, user, role = set(), False, False

        def forbidden(options):
            nonlocal user, role
            if options is None:
                return False
            found = False
            if options.text("type") not in allowed_types:
                bad_types.add(options.text("type"))
                found = True
            if options.text("user"):
                user = found = True
            if options.text("role"):
                role = found = True
            return found

        pod_level = forbidden(pod.security.node("seLinuxOptions"))
        bad = []
        for container in pod.containers:
            if forbidden(_security(container).node("seLinuxOptions")):
                bad.append(_name(container))
        if not (pod_level or bad):
            return None
        what = []
        if bad_types:
            what.append(f"{'type' if len(bad_types) == 1 else 'types'} {_quoted(sorted(bad_types))}")
        if user:
            what.append("a user")
        if role:
            what.append("a role")
        return "SELinux options", f"{_setters(pod_level, bad)} set seLinuxOptions with {', '.join(what)}"

    return check


def _unmasked_proc(container):
    value = _security(container).get("procMount", str)
    return [] if value in (None, "Default") else [value]


def _proc_mount(pod):
    bad, values = _per_container(pod, _unmasked_proc)
    if bad:
        return "unmasked /proc", f"{_containers(bad)} set securityContext.procMount to {_quoted(_unique_sorted(values))}"
    return None


def _outside_user_namespace(check):
    """The check, except for pods in their own user namespace (hostUsers: false), which pass."""

    def relaxed(pod):
        return None if pod.user_namespace else check(pod)

    return relaxed


def _except_windows(check):
    """The check, except for pods that declare spec.os.name: windows, which pass."""

    def relaxed(pod):
        return None if pod.windows else check(pod)

    return relaxed


SECCOMP_TYPES = frozenset(("RuntimeDefault", "Localhost"))
SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"
SECCOMP_CONTAINER_ANNOTATION_PREFIX = "container.seccomp.security.alpha.kubernetes.io/"


def _seccomp_annotations(pod):
    """Before 1.19 seccomp was set with alpha annotations."""

    def allowed(value):
        return value in ("runtime/default", "docker/default") or value.startswith("localhost/")

    keys = [SECCOMP_POD_ANNOTATION] + [SECCOMP_CONTAINER_ANNOTATION_PREFIX + _name(c) for c in pod.containers]
    bad = sorted({f"{key}={pod.annotations[key]!r}" for key in keys if key in pod.annotations and not allowed(pod.annotations[key])})
    if bad:
        return "seccomp profile other than RuntimeDefault or Localhost", f"{'annotation' if len(bad) == 1 else 'annotations'} {', '.join(bad)}"
    return None


def _seccomp_fields(required):
    """Explicit seccomp profiles must be RuntimeDefault or Localhost; when required, every container needs one
    of its own or from the pod."""

    def check(pod):
        values, bad, unset = [], [], []
        profile = pod.security.node("seccompProfile")
        pod_level = profile is not None and profile.text("type") not in SECCOMP_TYPES
        if pod_level:
            values.append(profile.text("type"))
        pod_default = profile is not None and not pod_level
        for container in pod.containers:
            own = _security(container).node("seccompProfile")
            if own is None:
                if not pod_default:
                    unset.append(_name(container))
            elif own.text("type") not in SECCOMP_TYPES:
                bad.append(_name(container))
                values.append(own.text("type"))
        if pod_level or bad:
            return (
                "seccomp profile other than RuntimeDefault or Localhost",
                f"{_setters(pod_level, bad)} set seccompProfile.type to {_quoted(_unique_sorted(values))}",
            )
        if required and unset:
            return "seccomp profile not set", f"neither the pod nor {_containers(unset)} set seccompProfile.type to RuntimeDefault or Localhost"
        return None

    return check


# Namespaced sysctls the baseline level allows, by the version that allowed them.
SYSCTLS_1_0 = frozenset(
    ("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start")
)
SYSCTLS_1_27 = SYSCTLS_1_0 | {"net.ipv4.ip_local_reserved_ports"}
SYSCTLS_1_29 = SYSCTLS_1_27 | {"net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"}
SYSCTLS_1_32 = SYSCTLS_1_29 | {"net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"}
SYSCTLS_1_37 = SYSCTLS_1_32 | {"net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"}


def _sysctls(allowed):
    def check(pod):
        names = [sysctl.text("name") for sysctl in pod.security.nodes("sysctls")]
        bad = [name for name in names if name not in allowed]
        if bad:
            return "unsafe sysctls", f"the pod sets {_quoted(bad)} in securityContext.sysctls"
        return None

    return check


def _windows_host_process(pod):
    def host_process(security):
        options = security.node("windowsOptions")
        return options is not None and options.get("hostProcess", bool) is True

    pod_level = host_process(pod.security)
    bad = [_name(c) for c in pod.containers if host_process(_security(c))]
    if pod_level or bad:
        return "Windows HostProcess", f"{_setters(pod_level, bad)} set windowsOptions.hostProcess=true"
    return None


def _handler_hosts(container):
    """The hosts set in the container's probes and lifecycle handlers (httpGet and tcpSocket)."""
    lifecycle = container.section("lifecycle")
    handlers = [container.node(probe) for probe in ("livenessProbe", "readinessProbe", "startupProbe")]
    handlers += [lifecycle.node("postStart"), lifecycle.node("preStop")]
    targets = [handler.node(action) for handler in handlers if handler is not None for action in ("httpGet", "tcpSocket")]
    return [target.text("host") for target in targets if target is not None and target.text("host")]


def _probe_and_lifecycle_hosts(pod):
    bad, hosts = _per_container(pod, _handler_hosts)
    if bad:
        names = _unique_sorted(bad)
        return "probe or lifecycle handler host", f"{_containers(names)} set httpGet/tcpSocket host {_quoted(_unique_sorted(hosts))}"
    return None


# ---------------------------------------------------------------------------------------------------------
# Restricted checks


def _restricted_volumes(pod):
    bad = [(name, source) for name, source in _volumes(pod) if source not in RESTRICTED_VOLUME_SOURCES]
    if bad:
        names = [name for name, _source in bad]
        return "volume types outside the restricted set", (
            f"{'volume' if len(names) == 1 else 'volumes'} {_quoted(names)} use {_quoted(_unique_sorted(source for _volume, source in bad))}; "
            f"allowed: {', '.join(sorted(RESTRICTED_VOLUME_SOURCES))}"
        )
    return None


def _allow_privilege_escalation(pod):
    bad = []
    for container in pod.containers:
        if _security(container).get("allowPrivilegeEscalation", bool) is not False:
            bad.append(_name(container))
    if bad:
        return "privilege escalation allowed", f"{_containers(bad)} must set securityContext.allowPrivilegeEscalation=false"
    return None


def _run_as_non_root(pod):
    pod_value = pod.security.get("runAsNonRoot", bool)
    explicit, implicit = [], []
    for container in pod.containers:
        own = _security(container).get("runAsNonRoot", bool)
        if own is False:
            explicit.append(_name(container))
        elif own is None and pod_value is not True:
            implicit.append(_name(container))
    if pod_value is False or explicit:
        return "may run as root", f"{_setters(pod_value is False, explicit)} set securityContext.runAsNonRoot=false"
    if implicit:
        return "may run as root", f"neither the pod nor {_containers(implicit)} set securityContext.runAsNonRoot=true"
    return None


def _run_as_user(pod):
    pod_level = pod.security.get("runAsUser", int) == 0
    bad = []
    for container in pod.containers:
        if _security(container).get("runAsUser", int) == 0:
            bad.append(_name(container))
    if pod_level or bad:
        return "runs as uid 0", f"{_setters(pod_level, bad)} set securityContext.runAsUser=0"
    return None


def _capabilities_restricted(pod):
    keep = [_name(c) for c in pod.containers if "ALL" not in _capabilities(c).strings("drop")]
    add, added = _per_container(pod, lambda c: [cap for cap in _capabilities(c).strings("add") if cap != "NET_BIND_SERVICE"])
    return _failure(
        "capabilities beyond the restricted set",
        f'{_containers(keep)} must drop "ALL" in securityContext.capabilities.drop' if keep else "",
        f'{_containers(add)} may add only "NET_BIND_SERVICE", not {_quoted(_unique_sorted(added))}' if add else "",
    )


# ---------------------------------------------------------------------------------------------------------
# The registry: every check with the version each revision starts at (1.<minor>) and, for restricted checks,
# the baseline checks the restricted level runs it in place of.


@dataclasses.dataclass(frozen=True)
class _Check:
    id: str
    level: str
    revisions: tuple  # ((minor, function, overridden check ids), ...) in increasing minor


def _baseline(check_id, *revisions):
    return _Check(check_id, "baseline", tuple((minor, fn, ()) for minor, fn in revisions))


_PROC_MOUNT = _baseline("procMount", (0, _proc_mount), (35, _outside_user_namespace(_proc_mount)))

CHECKS = (
    _baseline("appArmorProfile", (0, _apparmor)),
    _baseline("capabilities_baseline", (0, _capabilities_baseline)),
    _baseline("hostNamespaces", (0, _host_namespaces)),
    _baseline("hostPathVolumes", (0, _host_path_volumes)),
    _baseline("hostPorts", (0, _host_ports)),
    _baseline("hostProbesAndHostLifecycle", (34, _probe_and_lifecycle_hosts)),
    _baseline("privileged", (0, _privileged)),
    _PROC_MOUNT,
    _baseline("seLinuxOptions", (0, _selinux_options(SELINUX_TYPES_1_0)), (31, _selinux_options(SELINUX_TYPES_1_31))),
    _baseline("seccompProfile_baseline", (0, _seccomp_annotations), (19, _seccomp_fields(required=False))),
    _baseline(
        "sysctls",
        (0, _sysctls(SYSCTLS_1_0)),
        (27, _sysctls(SYSCTLS_1_27)),
        (29, _sysctls(SYSCTLS_1_29)),
        (32, _sysctls(SYSCTLS_1_32)),
        (37, _sysctls(SYSCTLS_1_37)),
    ),
    _baseline("windowsHostProcess", (0, _windows_host_process)),
    _Check("allowPrivilegeEscalation", "restricted", ((8, _allow_privilege_escalation, ()), (25, _except_windows(_allow_privilege_escalation), ()))),
    _Check(
        "capabilities_restricted",
        "restricted",
        ((22, _capabilities_restricted, ("capabilities_baseline",)), (25, _except_windows(_capabilities_restricted), ("capabilities_baseline",))),
    ),
    _Check("procMount_restricted", "restricted", ((35, _proc_mount, ("procMount",)),)),
    _Check("restrictedVolumes", "restricted", ((0, _restricted_volumes, ("hostPathVolumes",)),)),
    _Check("runAsNonRoot", "restricted", ((0, _run_as_non_root, ()), (35, _outside_user_namespace(_run_as_non_root), ()))),
    _Check("runAsUser", "restricted", ((23, _run_as_user, ()), (35, _outside_user_namespace(_run_as_user), ()))),
    _Check(
        "seccompProfile_restricted",
        "restricted",
        (
            (19, _seccomp_fields(required=True), ("seccompProfile_baseline",)),
            (25, _except_windows(_seccomp_fields(required=True)), ("seccompProfile_baseline",)),
        ),
    ),
)

# The newest minor version with a policy change; newer versions and "latest" evaluate like it.
NEWEST_MINOR = max(check.revisions[-1][0] for check in CHECKS)
NEWEST_VERSION = f"1.{NEWEST_MINOR}"

_VERSION_PATTERN = re.compile(r"v?1\.(0|[1-9][0-9]*)")


def parse_level(level):
    """The level, checked."""
    if not isinstance(level, str) or level not in LEVELS:
        raise ValueError(f"unknown Pod Security level {_describe(level)}; use one of {', '.join(LEVELS)}")
    return level


def parse_version(version):
    """'1.NN' (or upstream's 'v1.NN') or 'latest' -> the minor version whose rules apply."""
    if version == "latest":
        return NEWEST_MINOR
    match = _VERSION_PATTERN.fullmatch(version) if isinstance(version, str) else None
    if match is None:
        raise ValueError(f"Pod Security version {_describe(version)} is not '1.<minor>' (such as '1.36') or 'latest'")
    return min(int(match.group(1)), NEWEST_MINOR)


def check_ids(level, version):
    """The ids of the checks that run at this level and version, in the order they run."""
    return [check_id for check_id, _check in _plan(parse_level(level), parse_version(version))]


@functools.lru_cache(maxsize=None)
def _plan(level, minor):
    active = {}
    for check in CHECKS:
        current = [revision for revision in check.revisions if revision[0] <= minor]
        if current:
            active[check.id] = (check.level, current[-1][1], current[-1][2])
    if level == "privileged":
        return ()
    if level == "baseline":
        chosen = {cid: entry for cid, entry in active.items() if entry[0] == "baseline"}
    else:
        replaced = {cid for entry in active.values() if entry[0] == "restricted" for cid in entry[2]}
        chosen = {cid: entry for cid, entry in active.items() if cid not in replaced}
    ordered = sorted(cid for cid, entry in chosen.items() if entry[0] == "baseline") + sorted(cid for cid, entry in chosen.items() if entry[0] == "restricted")
    return tuple((cid, chosen[cid][1]) for cid in ordered)


def evaluate_pod(metadata, spec, level, version):
    """The violations of one pod (its metadata and spec) at a level and version; [] when it passes."""
    plan = _plan(parse_level(level), parse_version(version))
    if not plan:
        return []
    pod = _Pod(metadata, spec)
    violations = []
    for check_id, check in plan:
        failed = check(pod)
        if failed is not None:
            violations.append(Violation(check_id, *failed))
    return violations


# ---------------------------------------------------------------------------------------------------------
# Workloads: the objects the admission controller evaluates, by API group and kind.

_TEMPLATE_PATHS = {
    ("", "PodTemplate"): ("template",),
    ("", "ReplicationController"): ("spec", "template"),
    ("apps", "Deployment"): ("spec", "template"),
    ("apps", "StatefulSet"): ("spec", "template"),
    ("apps", "DaemonSet"): ("spec", "template"),
    ("apps", "ReplicaSet"): ("spec", "template"),
    ("batch", "Job"): ("spec", "template"),
    ("batch", "CronJob"): ("spec", "jobTemplate", "spec", "template"),
}
WORKLOAD_KINDS = ("Pod", *sorted({kind for _group, kind in _TEMPLATE_PATHS}))


def _identity(doc):
    node = _Node.root(doc, "document")
    api_version, kind = node.get("apiVersion", str), node.get("kind", str)
    if not api_version or not kind:
        raise ValueError("a manifest document without apiVersion or kind")
    group = api_version.rpartition("/")[0]
    return node, group, kind


def workload_pods(doc):
    """[(metadata, podSpec)] of a Pod or of a controller's pod template; [] for other objects and for a
    ReplicationController without a template."""
    node, group, kind = _identity(doc)
    if (group, kind) == ("", "Pod"):
        return [(node.get("metadata", dict) or {}, node.get("spec", dict) or {})]
    path = _TEMPLATE_PATHS.get((group, kind))
    if path is None:
        return []
    for key in path:
        child = node.node(key)
        if child is None:
            if kind == "ReplicationController":
                return []  # its template is optional; nothing to run
            child = _Node({}, f"{node.path}.{key}")  # Go reads a missing struct as an empty one
        node = child
    return [(node.get("metadata", dict) or {}, node.get("spec", dict) or {})]


def _documents(docs):
    """The documents, with the items of a v1 List in its place and empty documents (None) left out."""
    for doc in docs:
        if doc is None:
            continue
        node, group, kind = _identity(doc)
        if (group, kind) == ("", "List"):
            yield from _documents(node.get("items", list) or [])
        else:
            yield node, kind


def evaluate_manifest(docs, level, version, default_namespace=""):
    """{"Kind/namespace/name": [violations]} for the failing workloads among the documents.

    Empty documents are skipped and the items of a v1 List are evaluated one by one. A document without
    metadata.namespace is keyed with default_namespace (for example the Helm release namespace).
    """
    parse_level(level)
    parse_version(version)
    result, seen = {}, set()
    for node, kind in _documents(docs):
        pods = workload_pods(node.data)
        if not pods:
            continue
        metadata = _Node.root(node.get("metadata", dict), "metadata")
        key = f"{kind}/{metadata.text('namespace') or default_namespace}/{metadata.text('name')}"
        if key in seen:
            raise ValueError(f"the manifest holds {key} more than once")
        seen.add(key)
        violations = [v for pod_metadata, pod_spec in pods for v in evaluate_pod(pod_metadata, pod_spec, level, version)]
        if violations:
            result[key] = violations
    return result
