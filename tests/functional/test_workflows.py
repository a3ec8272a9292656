"""The image pipeline's workflows (.github/workflows/images.yml, promote.yml) against the inventories and each other.

The OIDC trust of the Terraform stack is built from the inventory (platform_ci_*); the tokens the workflows ask for
must match it: the push job runs on platform_ci_github_branch without a GitHub environment, the promotion job in the
environment named like the target. Role ARNs come from the repository and environment variables docs/ci.md lists.
The pre-push scan fails on the severities the dev gate allows none of. Every action is pinned by commit SHA, the
same SHA wherever it is used. make workflows runs actionlint and the workflow schema on the same files.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
SPEC = importlib.util.spec_from_file_location("platform_facts", ROOT / "tests" / "charts" / "platform_facts.py")
platform_facts = sys.modules.setdefault("platform_facts", importlib.util.module_from_spec(SPEC))
SPEC.loader.exec_module(platform_facts)

# The GitHub configuration docs/ci.md tells the user to set (the contract with the Terraform stack's outputs).
REPOSITORY_VARIABLES = {"AWS_REGION", "ECR_REGISTRY", "AWS_IMAGE_PUSH_ROLE_ARN", "ARGOCD_SERVER", "ARGOCD_RUNNER"}
ENVIRONMENT_VARIABLES = {"AWS_PROMOTE_ROLE_ARN"}
SECRETS = {"ARGOCD_DEV_TOKEN"}
CONFIGURE_AWS = "aws-actions/configure-aws-credentials"
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s+(?P<action>[\w.-]+/[\w./-]+)@(?P<ref>\S+)(?P<comment>\s+#\s*(?P<version>v\d+\.\d+\.\d+))?\s*$")


def load(name):
    return yaml.safe_load((WORKFLOWS / name).read_text())


def steps_using(workflow, action):
    return [(job_id, step) for job_id, job in workflow["jobs"].items() for step in job.get("steps", []) if step.get("uses", "").startswith(action + "@")]


@pytest.fixture(scope="module")
def dev():
    return platform_facts.inventory("dev")


@pytest.fixture(scope="module")
def images():
    return load("images.yml")


@pytest.fixture(scope="module")
def promote():
    return load("promote.yml")


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_the_inventories_agree_on_the_pipeline(env, dev):
    """One repository, branch and set of targets, whichever inventory the Terraform stack is applied from."""
    other = platform_facts.inventory(env)
    for name in ("platform_ci_github_repository", "platform_ci_github_branch", "platform_ci_promote_environments"):
        assert other[name] == dev[name], (env, name)


def test_images_run_on_the_branch_the_push_role_trusts(images, dev):
    branch = dev["platform_ci_github_branch"]
    assert images["on"]["push"]["branches"] == [branch]
    assert images["on"]["push"]["paths"] == ["images/upstream.env"]
    assert "workflow_dispatch" in images["on"]
    for job_id, _step in steps_using(images, CONFIGURE_AWS):
        assert images["jobs"][job_id]["if"] == f"github.ref == 'refs/heads/{branch}'", job_id
    deploy = images["jobs"]["deploy-dev"]
    assert deploy["steps"][0]["with"]["ref"] == branch
    commit = next(s for s in deploy["steps"] if s.get("id") == "commit")["run"]
    assert f"git push origin HEAD:{branch}" in commit and f"git pull --rebase origin {branch}" in commit


def test_jobs_that_assume_the_push_role_declare_no_environment(images):
    """An environment would make the token's sub repo:<repository>:environment:<name>, which the push role does not trust."""
    jobs = {job_id for job_id, _step in steps_using(images, CONFIGURE_AWS)}
    assert jobs == {"build", "deploy-dev"}
    for job_id, job in images["jobs"].items():
        assert "environment" not in job, job_id


def test_promotion_targets_are_the_inventorys_environments(promote, dev):
    targets = dev["platform_ci_promote_environments"]
    inputs = promote["on"]["workflow_dispatch"]["inputs"]
    assert inputs["target"]["options"] == targets
    # Each target is promoted from the environment before it: dev for the first, then the previous target.
    assert inputs["source"]["options"] == ["dev", *targets[:-1]]
    job = promote["jobs"]["promote"]
    assert job["environment"] == "${{ inputs.target }}", "the promotion role trusts repo:<repository>:environment:<target>"
    checks = next(s for s in job["steps"] if s["name"] == "Check the inputs")["run"]
    pairs = re.findall(r'"(\w+)->(\w+)"', checks)
    assert pairs == list(zip(["dev", *targets[:-1]], targets))
    assert next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))["with"]["ref"] == dev["platform_ci_github_branch"]


def test_roles_and_region_come_from_the_documented_variables(images, promote):
    for _job, step in steps_using(images, CONFIGURE_AWS):
        assert step["with"]["role-to-assume"] == "${{ vars.AWS_IMAGE_PUSH_ROLE_ARN }}"
        assert step["with"]["aws-region"] == "${{ vars.AWS_REGION }}"
    ((_job, step),) = steps_using(promote, CONFIGURE_AWS)
    assert step["with"]["role-to-assume"] == "${{ vars.AWS_PROMOTE_ROLE_ARN }}"
    assert step["with"]["aws-region"] == "${{ vars.AWS_REGION }}"
    for name, allowed in (("images.yml", REPOSITORY_VARIABLES), ("promote.yml", REPOSITORY_VARIABLES | ENVIRONMENT_VARIABLES)):
        text = (WORKFLOWS / name).read_text()
        assert set(re.findall(r"vars\.([A-Z0-9_]+)", text)) <= allowed, name
        assert set(re.findall(r"secrets\.([A-Z0-9_]+)", text)) <= SECRETS, name
    docs = (ROOT / "docs" / "ci.md").read_text()
    for name in REPOSITORY_VARIABLES | ENVIRONMENT_VARIABLES | SECRETS:
        assert f"`{name}`" in docs, f"docs/ci.md does not tell the user to set {name}"


def test_secrets_reach_steps_only_through_env(images, promote):
    for workflow in (images, promote):
        for job_id, job in workflow["jobs"].items():
            for step in job.get("steps", []):
                assert "secrets." not in yaml.safe_dump({k: v for k, v in step.items() if k != "env"}), (job_id, step.get("name"))
            assert "secrets." not in yaml.safe_dump(job.get("env", {})), job_id


def test_every_action_is_pinned_by_commit_with_its_version():
    pins = {}
    for path in sorted(WORKFLOWS.glob("*.y*ml")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if not re.match(r"^\s*(-\s+)?uses:", line):
                continue
            match = PINNED.match(line)
            where = f"{path.name}:{number}"
            assert match and re.fullmatch(r"[0-9a-f]{40}", match["ref"]), f"{where}: pin the action by its 40-hex commit SHA: {line.strip()}"
            assert match["version"], f"{where}: add the release the SHA is, as '# vX.Y.Z'"
            pins.setdefault(match["action"], set()).add((match["ref"], match["version"]))
    assert {CONFIGURE_AWS, "actions/checkout", "docker/build-push-action", "aquasecurity/trivy-action"} <= set(pins)
    for action, refs in pins.items():
        assert len(refs) == 1, f"{action} is pinned at {sorted(refs)}: one version of an action across the workflows"


def test_jobs_have_least_permissions_timeouts_and_concurrency(images, promote):
    for name, workflow in (("images.yml", images), ("promote.yml", promote)):
        assert workflow["permissions"] == {}, f"{name}: no permission by default"
        assert workflow["concurrency"]["cancel-in-progress"] is False, name
        for job_id, job in workflow["jobs"].items():
            assert "permissions" in job and "timeout-minutes" in job, (name, job_id)
            permissions = job["permissions"]
            assumes_role = any(s.get("uses", "").startswith(CONFIGURE_AWS + "@") for s in job.get("steps", []))
            assert (permissions.get("id-token") == "write") == (assumes_role or "actions/attest@" in yaml.safe_dump(job)), (name, job_id)
            assert set(permissions.values()) <= {"read", "write"}
    writers = {(n, j) for n, w in (("images", images), ("promote", promote)) for j, job in w["jobs"].items() if job["permissions"].get("contents") == "write"}
    assert writers == {("images", "deploy-dev"), ("promote", "promote")}


def test_the_pre_push_scan_fails_on_what_the_dev_gate_allows_none_of(images, dev):
    zero = sorted(severity.upper() for severity, maximum in dev["ecr_promote_max_findings"].items() if int(maximum) == 0)
    assert zero, "the dev gate allows some findings of every severity: the pre-push scan would check nothing"
    scans = [step for _job, step in steps_using(images, "aquasecurity/trivy-action") if step["with"].get("exit-code") == "1"]
    assert len(scans) == 1
    assert sorted(scans[0]["with"]["severity"].split(",")) == zero


def test_images_go_to_the_inventorys_repositories(images, dev):
    build = images["jobs"]["build"]
    names = [entry["image"] for entry in build["strategy"]["matrix"]["include"]]
    role = yaml.safe_load((ROOT / "roles" / "ecr" / "defaults" / "main.yml").read_text())
    assert set(names) <= {r["name"] for r in role["ecr_repositories"]}
    prefix = dev.get("ecr_repository_prefix", dev["platform_name"])
    assert build["env"]["IMAGE"] == "${{ vars.ECR_REGISTRY }}/" + prefix + "/${{ matrix.image }}"
    assert set(build["outputs"]) == set(names)
    deploy = next(s for s in images["jobs"]["deploy-dev"]["steps"] if s["name"].startswith("Gate the pushed digests"))
    assert {k.removesuffix("_DIGEST").lower() for k in deploy["env"] if k.endswith("_DIGEST")} == set(names)
    assert "playbooks/images.yml" in deploy["run"] and "-i inventories/dev " in deploy["run"]


def test_argocd_sync_targets_the_dev_application_ci_may_sync(images, dev):
    application = yaml.safe_load((ROOT / "argocd" / "dev" / "chatbot.yaml").read_text())
    sync = images["jobs"]["sync-dev"]
    assert sync["env"]["ARGOCD_APP"] == application["metadata"]["name"]
    assert application["spec"]["project"] == f"{dev['platform_name']}-dev"
    assert dev["argocd_rbac_sync_environments"]["ci"] == ["dev"], "the token's account may sync dev only"
    assert sync["permissions"] == {}


def test_the_pinned_upstream_revision_is_a_commit():
    text = (ROOT / "images" / "upstream.env").read_text()
    values = dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))
    assert set(values) == {"UPSTREAM_REPOSITORY", "UPSTREAM_REVISION"}
    assert values["UPSTREAM_REPOSITORY"] == "alfredfrancis/ai-chatbot-framework"
    assert re.fullmatch(r"[0-9a-f]{40}", values["UPSTREAM_REVISION"])


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("needs.build.outputs.frontend", "needs.build.outputs.frontned"),
        ("digest=${digest#*@}", "digest=${digest#*@} ; echo $digest"),
    ],
)
def test_actionlint_rejects_a_broken_copy(tmp_path, old, new):
    """The linter make workflows runs finds a misspelt job output and an unquoted variable (shellcheck) in images.yml."""
    actionlint = shutil.which("actionlint")
    assert actionlint, "actionlint is not on PATH (requirements/dev.txt; make setup)"
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    text = (WORKFLOWS / "images.yml").read_text()
    assert old in text
    (folder / "images.yml").write_text(text.replace(old, new, 1))
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    clean = subprocess.run([actionlint, "-no-color", str(WORKFLOWS / "images.yml")], cwd=ROOT, capture_output=True, text=True, check=False)
    assert clean.returncode == 0, clean.stdout
    broken = subprocess.run([actionlint, "-no-color", ".github/workflows/images.yml"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert broken.returncode == 1, broken.stdout + broken.stderr
