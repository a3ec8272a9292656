"""playbooks/drift.yml on the ECR step against moto: a repository's scan setting changed behind the platform's back is
reported (and only that), nothing is changed by the detection, and after ecr.yml runs again nothing is reported.
Four playbook runs; the Terraform side is demonstrated by the bootstrap molecule scenario."""

from __future__ import annotations

import json

from module_runner import playbook_failures
from test_ecr_playbooks import playbook


def drift(endpoint, work_dir):
    stats, data, proc = playbook(endpoint, "drift.yml", "--check", "--diff", "--tags", "ecr", "-e", f"platform_work_dir={work_dir}")
    return stats, json.loads((work_dir / "drift" / "report.json").read_text()), data, proc


def test_drift_reports_a_scan_setting_changed_outside_the_platform(ecr_runner, ecr, tmp_path):
    endpoint = ecr_runner.endpoint
    stats, data, proc = playbook(endpoint, "ecr.yml")
    assert stats["failures"] == 0, playbook_failures(data) or proc.stderr

    ecr.put_image_scanning_configuration(repositoryName="chatbot/backend", imageScanningConfiguration={"scanOnPush": False})
    stats, report, data, proc = drift(endpoint, tmp_path)
    assert proc.returncode == 2, proc.stdout[-3000:]
    assert report["drifted"] and report["checked"] == ["ecr"]
    assert report["items"] == [{"source": "ecr", "object": "chatbot/backend", "actions": ["update"], "attributes": ["scan_on_push"]}]
    repo = ecr.describe_repositories(repositoryNames=["chatbot/backend"])["repositories"][0]
    assert repo["imageScanningConfiguration"]["scanOnPush"] is False, "drift detection changed the repository"

    stats, data, proc = playbook(endpoint, "ecr.yml")
    assert stats["failures"] == 0 and stats["changed"] > 0, playbook_failures(data) or proc.stderr
    stats, report, data, proc = drift(endpoint, tmp_path)
    # The clean run after the fix also shows the detection reports nothing where nothing differs.
    assert proc.returncode == 0 and report["items"] == [] and not report["drifted"], (report, playbook_failures(data))
