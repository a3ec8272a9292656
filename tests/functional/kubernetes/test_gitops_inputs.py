"""playbooks/chatbot.yml (step 8) given bad input: one clear message, nothing rendered; given good input, rendered
once and unchanged on the second run.

The platform outputs are hand-made (the step reads only the cluster's and the certificate's); the rendering with the
platform stack's real outputs is tests/kubernetes/test_gitops.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared"

OUTPUTS = {
    "cluster_name": "chatbot-prod-eks",
    "cluster_endpoint": "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
    "cluster_certificate_authority_data": "Q0VSVElGSUNBVEU=",
    "cluster_version": "1.36",
    "region": "eu-west-1",
    "certificate_arn": "arn:aws:acm:eu-west-1:444444444444:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
    "waf_web_acl_arn": "arn:aws:wafv2:eu-west-1:444444444444:regional/webacl/chatbot-prod-waf/a1b2c3d4-e5f6-7a8b-9c0d-e1f2a3b4c5d6",
}


def run_step(work: Path, outputs: dict, inventory: str = "prod", **extra) -> tuple[int, str]:
    extra_vars = {
        "platform_work_dir": str(work),
        "platform_k8s_mode": "render",
        "platform_helm_chart_archive_dir": str(SHARED / "charts"),
        "platform_crd_schema_dirs": [str(SHARED / "crd-schemas")],
        "platform_outputs": {"platform": outputs},
        **extra,
    }
    env = {
        **os.environ,
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        "PATH": os.pathsep.join([str(ROOT / ".tools" / "bin"), str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    }
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(ROOT / "inventories" / inventory), str(ROOT / "playbooks" / "chatbot.yml")]
    cmd += ["-e", json.dumps(extra_vars)]
    proc = subprocess.run(cmd, cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=300, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def assert_refused(rc: int, log: str, work: Path, expected: str) -> None:
    assert rc != 0, log[-3000:]
    assert expected in " ".join(log.split()), log[-3000:]
    assert "Traceback" not in log
    assert not (work / "rendered").exists(), "nothing may be rendered"


def test_missing_cluster_version_names_the_step_to_run_first(tmp_path):
    outputs = {k: v for k, v in OUTPUTS.items() if k != "cluster_version"}
    rc, log = run_step(tmp_path / "work", outputs)
    assert_refused(rc, log, tmp_path / "work", "has no cluster_version output: run playbooks/platform.yml (step 3) for this inventory first")


def test_bad_gitops_settings_are_named_together(tmp_path):
    rc, log = run_step(
        tmp_path / "work",
        OUTPUTS,
        platform_gitops_repo_url="git@github.com:chatbot-platform/chatbot.platform.git",
        platform_gitops_environment="qa",
        platform_gitops_notify={"on-sync-fail": {"slack": "x"}, "on-deployed": {"pager": "y", "slack": ""}},
        gitops_sync_windows=[{"kind": "maybe", "schedule": "0 8 * * *"}],
    )
    flat = " ".join(log.split())
    assert_refused(rc, log, tmp_path / "work", "GitOps settings of prod (inventories/prod/group_vars/all/gitops.yml):")
    for expected in (
        "platform_gitops_repo_url must be the https URL of this repository",
        "platform_gitops_environment must be dev, staging or prod (got qa)",
        "unknown notification trigger(s) on-sync-fail",
        "unknown notification service(s) pager",
        "every notification subscription needs a recipient",
        "every sync window needs kind (allow or deny), schedule and duration",
    ):
        assert expected in flat, expected


@pytest.mark.skipif(not (SHARED / "charts").is_dir(), reason="../shared/charts (the offline argocd-apps chart) is not on this machine")
def test_renders_once_and_a_second_run_changes_nothing(tmp_path):
    work = tmp_path / "work"
    rc, log = run_step(work, OUTPUTS)
    assert rc == 0, log[-4000:]
    manifests = (work / "rendered" / "chatbot-gitops" / "manifests.yaml").read_text()
    assert "kind: AppProject" in manifests and "name: chatbot-prod-root" in manifests
    assert OUTPUTS["certificate_arn"] in manifests
    rc, log = run_step(work, OUTPUTS)
    assert rc == 0, log[-4000:]
    assert "has no certificate_arn output" not in log
    recap = re.search(r"changed=(\d+)", log.split("PLAY RECAP")[-1])
    assert recap and recap.group(1) == "0", log[-3000:]


@pytest.mark.skipif(not (SHARED / "charts").is_dir(), reason="../shared/charts (the offline argocd-apps chart) is not on this machine")
def test_without_a_certificate_the_root_passes_only_what_the_stack_has_and_says_so(tmp_path):
    work = tmp_path / "work"
    rc, log = run_step(work, {**OUTPUTS, "certificate_arn": None, "waf_web_acl_arn": None}, inventory="local")
    assert rc == 0, log[-4000:]
    assert "has no certificate_arn output (no platform_stack_edge.domain_name)" in " ".join(log.split())
    manifests = (work / "rendered" / "chatbot-gitops" / "manifests.yaml").read_text()
    assert "name: chatbot-dev-root" in manifests and "kustomize" not in manifests
