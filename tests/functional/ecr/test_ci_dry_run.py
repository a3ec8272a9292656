"""make ci-dry-run's code (scripts/ci_dry_run.py) against this suite's moto server: the image pipeline's AWS half.

The dry run seeds a manifest per built image under dev-<version>, gates and deploys them to dev with
playbooks/images.yml and promotes them to staging with playbooks/promote.yml, editing a temporary copy of the
GitOps tree with chatbot.platform.gitops_images. These tests hold what the workflows rely on: only the image lines
of the copy change, the checkout is untouched, a second run changes nothing, and a failing gate deploys nothing.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess

import pytest
from ecr_helpers import push_image, seed_scan_findings
from module_runner import ROOT, playbook_failures, run_playbook

SPEC = importlib.util.spec_from_file_location("ci_dry_run", ROOT / "scripts" / "ci_dry_run.py")
ci_dry_run = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(ci_dry_run)

VERSION = "v9.9.9-test"


def tracked_image_files():
    """The checkout's image files as git has them plus any uncommitted change (the dry run must leave both alone)."""
    status = subprocess.run(["git", "status", "--porcelain", "--", "charts/chatbot"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return status, {p.name: p.read_text() for p in (ROOT / "charts" / "chatbot").glob("images-*.yaml")}


def changed_lines(diff):
    return [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def test_dry_run_deploys_the_built_images_to_dev_then_promotes_them_to_staging(moto_endpoint, tmp_path):
    checkout = tracked_image_files()
    result = ci_dry_run.run(moto_endpoint, tmp_path, VERSION, log=lambda *_: None)
    assert tracked_image_files() == checkout, "the dry run edited the checkout"

    digests = result["digests"]
    assert set(digests) == {"frontend", "backend"}
    for env in ("dev", "staging"):
        original = (ROOT / "charts" / "chatbot" / f"images-{env}.yaml").read_text()
        lines = changed_lines(result["diffs"][env])
        expected_added = [
            f'+    tag: "{env}-{VERSION}"',
            f'+    digest: "{digests["frontend"]}"',
            f'+    tag: "{env}-{VERSION}"',
            f'+    digest: "{digests["backend"]}"',
        ]
        assert [line for line in lines if line.startswith("+")] == expected_added, lines
        assert len([line for line in lines if line.startswith("-")]) == 4, lines
        copy = (result["tree"] / "charts" / "chatbot" / f"images-{env}.yaml").read_text()
        assert [line for line in copy.splitlines() if line.startswith("#")] == [line for line in original.splitlines() if line.startswith("#")]
        assert result[env]["gateway"] == ci_dry_run.yaml.safe_load(original)["gateway"], "the gateway is not built by the pipeline"

    # The workflow's second attempt (a re-run of the job) changes nothing: same tags in ECR, same file.
    env = dict(ci_dry_run.os.environ, PLATFORM_AWS_ENDPOINT_URL=moto_endpoint, AWS_ENDPOINT_URL=moto_endpoint, AWS_REGION=ci_dry_run.REGION)
    dev_file = result["tree"] / "charts" / "chatbot" / "images-dev.yaml"
    before = dev_file.read_text()
    stats = ci_dry_run.playbook(
        "images.yml", "-e", json.dumps({"images_version": VERSION, "images_digests": digests, "gitops_images_file": str(dev_file)}), env=env
    )
    assert stats["changed"] == 0 and dev_file.read_text() == before


def test_a_failing_gate_deploys_nothing(moto_endpoint, tmp_path):
    """A critical finding on the backend: no dev pointer moves for any image and the dev file stays as it was."""

    def seed_critical(ecr, digests):
        ecr.start_image_scan(repositoryName="chatbot/backend", imageId={"imageDigest": digests["backend"]})
        critical = {"name": "CVE-2026-0002", "severity": "CRITICAL", "uri": "https://nvd.nist.gov/vuln/detail/CVE-2026-0002", "attributes": []}
        seed_scan_findings(moto_endpoint, "chatbot/backend", digests["backend"], findings=[critical])
        seed_critical.digests = digests

    with pytest.raises(
        ci_dry_run.DryRunError, match=r"images.yml failed: .*vulnerability gate failed for chatbot/backend@sha256:[0-9a-f]{64}: 1 critical \(max 0\)"
    ):
        ci_dry_run.run(moto_endpoint, tmp_path, VERSION, log=lambda *_: None, before_gate=seed_critical)
    copy = (tmp_path / "gitops" / "charts" / "chatbot" / "images-dev.yaml").read_text()
    assert copy == (ROOT / "charts" / "chatbot" / "images-dev.yaml").read_text()
    ecr = ci_dry_run.boto3.client("ecr", endpoint_url=moto_endpoint, region_name=ci_dry_run.REGION)
    for name in seed_critical.digests:
        tags = {i.get("imageTag") for i in ecr.list_images(repositoryName=f"chatbot/{name}")["imageIds"]}
        assert tags == {f"dev-{VERSION}"}, (name, tags)


@pytest.mark.parametrize(
    ("inventory", "extra", "expected"),
    [
        # Careless or hostile workflow inputs: each is refused in one message, and no tag moves.
        ("local", {"images_version": "../v1", "images_digests": {"backend": "PUSHED"}}, "Set ecr_deploy_version"),
        ("local", {"images_version": "v1", "images_digests": {}}, "Set ecr_deploy_version"),
        ("local", {"images_version": "v" + "1" * 101, "images_digests": {"backend": "PUSHED"}}, "Set ecr_deploy_version"),
        ("local", {"images_version": "v1"}, "Give images_version"),
        ("local", {"images_version": "v1", "images_digests": {"backend": "latest"}}, "latest"),
        ("staging", {"images_version": "v1", "images_digests": {"backend": "PUSHED"}}, "not staging"),
    ],
    ids=["path-as-version", "no-digests", "version-too-long", "digests-missing", "tag-as-digest", "staging-inventory"],
)
def test_images_playbook_refuses_bad_input_and_tags_nothing(moto_endpoint, ecr, inventory, extra, expected):
    ecr.create_repository(repositoryName="chatbot/backend")
    pushed = push_image(ecr, "chatbot/backend", "dev-v1", "refused-input")
    if "images_digests" in extra:
        extra = {**extra, "images_digests": {k: pushed if v == "PUSHED" else v for k, v in extra["images_digests"].items()}}
    env = {"PLATFORM_AWS_ENDPOINT_URL": moto_endpoint, "AWS_ENDPOINT_URL": moto_endpoint, "AWS_REGION": ci_dry_run.REGION}
    data, proc = run_playbook("images.yml", "-e", json.dumps(extra), inventory=inventory, env=env)
    messages = playbook_failures(data)
    assert sum(stats["failures"] for stats in data["stats"].values()) == 1, (messages, proc.stderr[-2000:])
    assert any(expected in message for message in messages), messages
    assert "Traceback" not in proc.stdout + proc.stderr
    tags = {i.get("imageTag") for i in ecr.list_images(repositoryName="chatbot/backend")["imageIds"]}
    assert tags == {"dev-v1"}, f"a refused deployment tagged something: {tags}"
