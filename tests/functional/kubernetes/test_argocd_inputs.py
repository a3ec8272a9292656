"""playbooks/argocd.yml given bad input: one clear message naming every problem, nothing rendered or installed.

The platform outputs are hand-made (the step's checks run before any chart is touched); the rendering with the
platform stack's real outputs is tests/kubernetes/test_argocd.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared"

OUTPUTS = {
    "cluster_name": "chatbot-prod-eks",
    "cluster_endpoint": "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
    "cluster_certificate_authority_data": "Q0VSVElGSUNBVEU=",
    "cluster_version": "1.36",
    "secrets_name_prefix": "chatbot/prod/",
    "region": "eu-west-1",
    "app_secret_arns": {
        name: f"arn:aws:secretsmanager:eu-west-1:444444444444:secret:chatbot/prod/{name}-AbCdEf"
        for name in ("admin-oidc", "argocd-sso", "argocd-notifications", "argocd-repository")
    },
    "certificate_arn": "arn:aws:acm:eu-west-1:444444444444:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
    "waf_web_acl_arn": None,
}


def run_step(tmp_path: Path, outputs: dict, **extra) -> tuple[int, str, Path]:
    work = tmp_path / "work"
    extra_vars = {"platform_work_dir": str(work), "platform_k8s_mode": "render", "platform_helm_chart_archive_dir": str(SHARED / "charts"), **extra}
    extra_vars["platform_outputs"] = {"platform": outputs}
    env = {
        **os.environ,
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        "PATH": os.pathsep.join([str(ROOT / ".tools" / "bin"), str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    }
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(ROOT / "inventories" / "prod"), str(ROOT / "playbooks" / "argocd.yml")]
    cmd += ["-e", json.dumps(extra_vars)]
    proc = subprocess.run(cmd, cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=300, check=False)
    return proc.returncode, " ".join((proc.stdout + proc.stderr).split()), work


def assert_refused(rc: int, log: str, work: Path, *expected: str) -> None:
    assert rc != 0, log[-3000:]
    for text in expected:
        assert text in log, (text, log[-3000:])
    assert "Traceback" not in log
    assert not (work / "rendered").exists(), "nothing may be rendered"


def test_missing_outputs_name_the_step_to_run_first(tmp_path):
    outputs = {k: v for k, v in OUTPUTS.items() if k not in ("app_secret_arns", "secrets_name_prefix")}
    rc, log, work = run_step(tmp_path, outputs)
    assert_refused(rc, log, work, "has no secrets_name_prefix, app_secret_arns output: run playbooks/platform.yml (step 3)")


def test_every_inventory_problem_is_named_at_once(tmp_path):
    rc, log, work = run_step(
        tmp_path,
        {**OUTPUTS, "app_secret_arns": {"admin-oidc": OUTPUTS["app_secret_arns"]["admin-oidc"]}},
        argocd_repository_url="https://github.com/chatbot-platform/chatbot.platform.git",
        argocd_hostname="argocd.elsewhere.example.org",
        argocd_rbac_group_roles={"platform": "platform-admin", "developers": "superuser", "finance": "readonly"},
        platform_stack_node_groups={"general": {"min_size": 2, "labels": {"workload": "general"}}, "ml": {"min_size": 3, "labels": {"workload": "ml"}}},
        argocd_rbac_sync_environments={"developer": ["dev", "production"]},
    )
    assert_refused(
        rc,
        log,
        work,
        "Secrets Manager secret(s) argocd-notifications, argocd-sso, argocd-repository are not made by the platform stack",
        "unknown ArgoCD role(s) superuser",
        "no Identity Center group id in argocd_rbac_group_ids for finance",
        "argocd_hostname argocd.elsewhere.example.org is not a name of the certificate",
        "argocd_ha needs 3 nodes for redis-ha, but the node groups matching argocd_node_selector start with 2",
        "argocd_rbac_sync_environments may name developer and ci only",
    )


def test_apply_mode_without_a_certificate_fails_instead_of_serving_plain_http(tmp_path):
    # Terraform leaves a null output out of the state: no certificate_arn at all.
    outputs = {k: v for k, v in OUTPUTS.items() if k != "certificate_arn"}
    rc, log, work = run_step(tmp_path, outputs, platform_k8s_mode="apply")
    assert_refused(rc, log, work, "has no ACM certificate (certificate_arn is null", "set argocd_ingress_enabled: false")
