"""playbooks/cluster_addons.yml given bad input, as a careless user would: one clear message, nothing rendered.

The platform outputs here are hand-made (the step's checks run before any chart is touched); the rendering
with the platform stack's real outputs is tests/kubernetes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared"

OUTPUTS = {
    "cluster_name": "chatbot-local-eks",
    "cluster_endpoint": "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
    "cluster_certificate_authority_data": "Q0VSVElGSUNBVEU=",
    "cluster_version": "1.36",
    "vpc_id": "vpc-0123456789abcdef0",
    "efs_file_system_id": "fs-0123456789abcdef0",
    "secrets_name_prefix": "chatbot/local/",
    "region": "eu-west-1",
    "autoscaler_discovery_tags": {"k8s.io/cluster-autoscaler/enabled": "true", "k8s.io/cluster-autoscaler/chatbot-local-eks": "owned"},
    "node_groups": {"general": {"tags": {"k8s.io/cluster-autoscaler/enabled": "true", "k8s.io/cluster-autoscaler/chatbot-local-eks": "owned"}}},
    "irsa_role_arns": {
        "aws_load_balancer_controller": "arn:aws:iam::123456789012:role/chatbot-local-aws-load-balancer-controller",
        "cluster_autoscaler": "arn:aws:iam::123456789012:role/chatbot-local-cluster-autoscaler",
        "external_secrets": "arn:aws:iam::123456789012:role/chatbot-local-external-secrets",
    },
    "irsa_service_accounts": {
        "aws_load_balancer_controller": {"namespace": "kube-system", "name": "aws-load-balancer-controller"},
        "cluster_autoscaler": {"namespace": "kube-system", "name": "cluster-autoscaler"},
        "external_secrets": {"namespace": "external-secrets", "name": "external-secrets"},
    },
}


def run_step(tmp_path: Path, outputs: dict | None, **extra) -> tuple[int, str, Path]:
    work = tmp_path / "work"
    extra_vars = {"platform_work_dir": str(work), "platform_helm_chart_archive_dir": str(SHARED / "charts"), **extra}
    if outputs is not None:
        extra_vars["platform_outputs"] = {"platform": outputs}
    env = {
        **os.environ,
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        "PATH": os.pathsep.join([str(ROOT / ".tools" / "bin"), str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    }
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(ROOT / "inventories" / "local"), str(ROOT / "playbooks" / "cluster_addons.yml")]
    cmd += ["-e", json.dumps(extra_vars)]
    proc = subprocess.run(cmd, cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=300, check=False)
    return proc.returncode, proc.stdout + proc.stderr, work


def assert_refused(rc: int, log: str, work: Path, expected: str) -> None:
    assert rc != 0, log[-3000:]
    assert expected in " ".join(log.split()), log[-3000:]
    assert "Traceback" not in log
    assert not (work / "rendered").exists(), "nothing may be rendered"


def test_unknown_mode(tmp_path):
    rc, log, work = run_step(tmp_path, OUTPUTS, platform_k8s_mode="aply")
    assert_refused(rc, log, work, "platform_k8s_mode must be 'apply' (install on the cluster) or 'render'")
    assert "got aply" in log
    assert not (work / "kubeconfig").exists()


@pytest.mark.parametrize("missing", ["vpc_id", "cluster_endpoint", "irsa_role_arns", "autoscaler_discovery_tags", "region"])
def test_missing_platform_output_names_the_step_to_run_first(tmp_path, missing):
    outputs = {k: v for k, v in OUTPUTS.items() if k != missing}
    rc, log, work = run_step(tmp_path, outputs)
    assert_refused(rc, log, work, f"has no {missing}")
    assert "run playbooks/platform.yml (step 3) for this inventory first" in " ".join(log.split())


def test_empty_role_arn_is_missing_too(tmp_path):
    outputs = {**OUTPUTS, "irsa_role_arns": {**OUTPUTS["irsa_role_arns"], "external_secrets": ""}}
    rc, log, work = run_step(tmp_path, outputs)
    assert_refused(rc, log, work, "has no irsa_role_arns.external_secrets output")


@pytest.mark.skipif(not (SHARED / "charts").is_dir(), reason="../shared/charts is not on this machine")
def test_chart_version_missing_from_the_offline_folder_stops_before_anything_is_rendered(tmp_path):
    rc, log, work = run_step(tmp_path, OUTPUTS, cluster_addons_chart_overrides={"external-secrets": {"version": "2.99.0"}})
    assert_refused(rc, log, work, "lacks external-secrets-2.99.0.tgz")
    assert "Nothing was rendered." in " ".join(log.split())


def test_unknown_release_and_bad_namespace_level_are_named(tmp_path):
    rc, log, work = run_step(
        tmp_path,
        OUTPUTS,
        cluster_addons_releases=["cluster-base", "cert-manager"],
        platform_namespaces={"chatbot": "restrictd", "external-secrets": "restricted"},
    )
    assert_refused(rc, log, work, "unknown release(s) cert-manager in cluster_addons_releases")
    assert "platform_namespaces must map each namespace to privileged, baseline or restricted (not: chatbot)" in " ".join(log.split())


def test_cluster_minor_without_an_autoscaler_image(tmp_path):
    rc, log, work = run_step(tmp_path, {**OUTPUTS, "cluster_version": "1.40"})
    assert_refused(rc, log, work, "no cluster-autoscaler image for Kubernetes 1.40 in cluster_addons_autoscaler_image_tags")
