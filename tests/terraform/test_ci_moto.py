"""The CI stack (terraform/stacks/ci, module github_oidc) as step 4 applies it: playbooks/ecr.yml run with the local
inventory against a moto server of this module's own (the ECR role first, then roles/terraform_stack with the S3
backend), once; every assertion reads that one apply.

The expected values are the inventories' own, rendered by ansible (platform_ci_github_repository comes from
platform_gitops_repo_url through a template): the trust of each role must be exactly the subject the workflows'
tokens carry (repo:<repository>:ref:refs/heads/<branch> for the image-push role, repo:<repository>:environment:<env>
for each promotion role), the permissions must name exactly the repositories the ECR step created, and every
environment's inventory must name the same state, so dev, staging and prod converge one stack. Every policy the
stack rendered goes through the IAM linter (iam_lint.py, parliament). Last, playbooks/drift.yml checks the ECR step
afterwards and must find nothing (the plan of a second run is empty).

moto cannot show that the trust works: its AssumeRoleWithWebIdentity returns credentials for any token, whatever the
conditions say. So the trust documents are compared with the expected subjects exactly; README "Known limitations".
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
import yaml
from iam_lint import assert_policies_pass
from tf_helpers import REGION, ROOT, terraform, tf_env

pytestmark = pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")

ISSUER = "token.actions.githubusercontent.com"
COLLECTIONS = ROOT / "build" / "collections"
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"
# Inventory variables with the prefix that are not stack variables (playbooks/ecr.yml passes them otherwise).
NOT_STACK_VARS = {"platform_ci_enabled", "platform_ci_state_bucket", "platform_ci_tags"}


def ci_task() -> dict:
    """The task of playbooks/ecr.yml that applies the CI stack."""
    play = yaml.safe_load((ROOT / "playbooks" / "ecr.yml").read_text())[0]
    tasks = [t for t in play["tasks"] if t.get("vars", {}).get("terraform_stack_name") == "ci"]
    assert len(tasks) == 1, "playbooks/ecr.yml applies the ci stack in exactly one task"
    return tasks[0]


def ansible_env(extra: dict | None = None) -> dict:
    env = {
        **os.environ,
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS),
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_NOCOLOR": "1",
    }
    env.update(extra or {})
    return tf_env(env)


def rendered_inventory(inventory: str, tmp: Path) -> dict:
    """What ansible makes of inventories/<inventory>: every platform_ci_* variable, and the state bucket and key
    expressions of playbooks/ecr.yml's CI task, rendered."""
    task_vars = ci_task()["vars"]
    out = tmp / f"{inventory}.json"
    play = [
        {
            "name": "Render the CI facts",
            "hosts": "platform",
            "gather_facts": False,
            "tasks": [
                {
                    "name": "Write them",
                    "ansible.builtin.copy": {"dest": str(out), "mode": "0600", "content": "{{ facts | to_nice_json }}"},
                    "vars": {
                        "names": "{{ query('ansible.builtin.varnames', '^platform_ci_') }}",
                        "facts": {
                            "ci": "{{ dict(names | zip(query('ansible.builtin.vars', *names))) }}",
                            "state_bucket": task_vars["terraform_stack_state_bucket"],
                            "state_key": task_vars["terraform_stack_state_key"],
                            "state_region": "{{ platform_state_region | default(platform_region) }}",
                        },
                    },
                }
            ],
        }
    ]
    playbook = tmp / f"render-{inventory}.yml"
    playbook.write_text(yaml.safe_dump(play, sort_keys=False))
    result = subprocess.run(
        [str(ANSIBLE_PLAYBOOK), "-i", str(ROOT / "inventories" / inventory), str(playbook)],
        cwd=str(ROOT),
        env=ansible_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"rendering inventories/{inventory} failed:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}"
    return json.loads(out.read_text())


def stack_inputs(facts: dict) -> dict:
    """The stack variables playbooks/ecr.yml derives from the platform_ci_* variables (prefix stripped)."""
    task_vars = ci_task()["vars"]
    assert task_vars["terraform_stack_vars_prefix"] == "platform_ci_"
    assert set(task_vars["terraform_stack_vars_exclude"]) == NOT_STACK_VARS
    return {k.removeprefix("platform_ci_"): v for k, v in facts["ci"].items() if k not in NOT_STACK_VARS}


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    return rendered_inventory("local", tmp_path_factory.mktemp("facts"))


def aws(service: str, endpoint: str):
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")


def run_ecr_step(endpoint: str, work: Path, *extra: str, playbook: str = "ecr.yml") -> tuple[dict, subprocess.CompletedProcess]:
    env = ansible_env(
        {
            "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.json",
            "ANSIBLE_LOAD_CALLBACK_PLUGINS": "1",
            "PLATFORM_AWS_ENDPOINT_URL": endpoint,
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "CHECKPOINT_DISABLE": "1",
        }
    )
    for name in ("AWS_PROFILE", "AWS_CA_BUNDLE", "AWS_SESSION_TOKEN"):
        env.pop(name, None)
    cmd = [str(ANSIBLE_PLAYBOOK), "-i", str(ROOT / "inventories" / "local"), str(ROOT / "playbooks" / playbook), "-e", f"platform_work_dir={work}", *extra]
    proc = subprocess.run(cmd, cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=900, check=False)
    try:
        report = json.loads(proc.stdout[proc.stdout.index("{") :])
    except ValueError:
        pytest.fail(f"ansible-playbook printed no JSON:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return report, proc


def task_results(report: dict) -> dict[str, dict]:
    """Result by task name, without the "<role> : " prefix a role's tasks get (a name's last result wins)."""
    return {task["task"]["name"].rpartition(" : ")[2]: task["hosts"].get("localhost", {}) for play in report["plays"] for task in play["tasks"]}


def stack_task(results: dict[str, dict], name: str) -> dict:
    """The result of roles/terraform_stack's task named `<name> ... stack <stack name>` (the name may be the template)."""
    found = [r for n, r in results.items() if n.startswith(name) and n.endswith(("stack ci", "stack {{ terraform_stack_name }}"))]
    assert len(found) == 1, f"no single task {name!r} in {sorted(results)}"
    return found[0]


@pytest.fixture(scope="module")
def applied(module_moto_url, facts, tmp_path_factory):
    # A moto server of this module's own: the local state bucket's name is also the bootstrap test's.
    # The state bucket and its key, as the bootstrap step leaves them (the bootstrap stack has a test of its own).
    s3, kms = aws("s3", module_moto_url), aws("kms", module_moto_url)
    s3.create_bucket(Bucket=facts["state_bucket"], CreateBucketConfiguration={"LocationConstraint": facts["state_region"]})
    s3.put_bucket_versioning(Bucket=facts["state_bucket"], VersioningConfiguration={"Status": "Enabled"})
    key = kms.create_key(Description="state key")["KeyMetadata"]
    kms.create_alias(AliasName=f"alias/{facts['state_bucket']}", TargetKeyId=key["KeyId"])

    work = tmp_path_factory.mktemp("ecr-step")
    report, proc = run_ecr_step(module_moto_url, work)
    results = task_results(report)
    failed = {name: r.get("msg") for name, r in results.items() if r.get("failed")}
    assert report["stats"]["localhost"]["failures"] == 0, f"{failed}\n{proc.stderr[-3000:]}"
    return {"endpoint": module_moto_url, "work": work, "results": results, "state_key_arn": key["Arn"]}


def _role(endpoint: str, name: str) -> dict:
    return aws("iam", endpoint).get_role(RoleName=name)["Role"]


def _trust(provider_arn: str, subject: str) -> list[dict]:
    return [
        {
            "Sid": "GitHubActionsOidc",
            "Effect": "Allow",
            "Principal": {"Federated": provider_arn},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {f"{ISSUER}:aud": "sts.amazonaws.com", f"{ISSUER}:sub": subject}},
        }
    ]


def test_every_environment_converges_one_state_and_one_stack(facts, tmp_path):
    """dev, staging and prod all run step 4 against the shared-services account: same state object, same inputs."""
    rendered = {env: rendered_inventory(env, tmp_path) for env in ("dev", "staging", "prod")}
    keys = {env: r["state_key"] for env, r in rendered.items()} | {"local": facts["state_key"]}
    assert set(keys.values()) == {"chatbot/shared-services/ci.tfstate"}, keys
    assert len({r["state_bucket"] for r in rendered.values()}) == 1, {env: r["state_bucket"] for env, r in rendered.items()}
    shared_services = yaml.safe_load((ROOT / "inventories" / "prod" / "group_vars" / "all" / "main.yml").read_text())["platform_accounts"]["shared_services"]
    assert rendered["prod"]["state_bucket"].endswith(f"-{shared_services}"), "the bucket is the shared-services account's"
    inputs = {env: stack_inputs(r) | {"tags": r["ci"]["platform_ci_tags"]} for env, r in rendered.items()}
    assert inputs["dev"] == inputs["staging"] == inputs["prod"], "the CI stack's inputs differ between the environments' inventories"
    assert inputs["prod"]["tags"]["Environment"] == "shared-services"


def test_the_state_is_where_every_inventory_looks(applied, facts):
    head = aws("s3", applied["endpoint"]).head_object(Bucket=facts["state_bucket"], Key=facts["state_key"])
    assert head["ServerSideEncryption"] == "aws:kms" and head["SSEKMSKeyId"] == applied["state_key_arn"]
    assert stack_task(applied["results"], "Apply the plan of").get("changed") is True


def test_the_roles_trust_exactly_the_inventory_subjects(applied, facts):
    endpoint, ci = applied["endpoint"], facts["ci"]
    iam = aws("iam", endpoint)
    providers = [p["Arn"] for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]]
    assert len(providers) == 1 and providers[0].endswith(f":oidc-provider/{ISSUER}"), providers
    provider = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=providers[0])
    assert provider["Url"] == ISSUER and provider["ClientIDList"] == ["sts.amazonaws.com"]

    repository = ci["platform_ci_github_repository"]
    assert repository == "chatbot-platform/chatbot.platform", "rendered from platform_gitops_repo_url"
    push = _role(endpoint, ci["platform_ci_image_push_role_name"])
    assert push["AssumeRolePolicyDocument"]["Statement"] == _trust(providers[0], f"repo:{repository}:ref:refs/heads/{ci['platform_ci_github_branch']}")
    assert push["MaxSessionDuration"] == ci["platform_ci_max_session_duration"]
    assert "PermissionsBoundary" not in push
    assert {t["Key"]: t["Value"] for t in push.get("Tags", [])}["Environment"] == "shared-services"

    assert ci["platform_ci_promote_environments"] == ["staging", "prod"]
    for env in ci["platform_ci_promote_environments"]:
        role = _role(endpoint, f"{ci['platform_ci_promote_role_name_prefix']}-{env}")
        assert role["AssumeRolePolicyDocument"]["Statement"] == _trust(providers[0], f"repo:{repository}:environment:{env}"), env


def test_the_permissions_name_exactly_the_repositories_of_the_ecr_step(applied, facts):
    endpoint, ci = applied["endpoint"], facts["ci"]
    iam, ecr = aws("iam", endpoint), aws("ecr", endpoint)
    created = sorted(r["repositoryArn"] for r in ecr.describe_repositories()["repositories"])
    assert len(created) == 3, created

    def statements(role: str, policy: str) -> dict:
        document = iam.get_role_policy(RoleName=role, PolicyName=policy)["PolicyDocument"]
        return {s["Sid"]: s for s in document["Statement"]}

    push = statements(ci["platform_ci_image_push_role_name"], "ecr-push")
    assert push["RegistryLogin"] == {"Sid": "RegistryLogin", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}
    promote = {env: statements(f"{ci['platform_ci_promote_role_name_prefix']}-{env}", "ecr-promote") for env in ci["platform_ci_promote_environments"]}
    for where, found in [("push", push)] + [(f"promote-{env}", s) for env, s in promote.items()]:
        for sid, statement in found.items():
            if sid == "RegistryLogin":
                continue
            assert sorted(statement["Resource"]) == created, (where, sid)
            assert statement["Effect"] == "Allow" and not any("*" in a for a in statement["Action"]), (where, sid)
    assert set(promote["staging"]["PromoteByDigest"]["Action"]) == {"ecr:BatchGetImage", "ecr:PutImage", "ecr:DescribeRepositories"}
    assert (
        set(push["ScanGate"]["Action"])
        == set(promote["prod"]["ScanGate"]["Action"])
        == {
            "ecr:DescribeImages",
            "ecr:DescribeImageScanFindings",
            "ecr:StartImageScan",
        }
    )


def test_the_step_shows_the_values_github_needs(applied, facts):
    endpoint, ci = applied["endpoint"], facts["ci"]
    shown = applied["results"]["Show what GitHub needs (docs/ci.md)"]["msg"]
    uri = aws("ecr", endpoint).describe_repositories()["repositories"][0]["repositoryUri"]
    assert shown["repository variables"] == {
        "AWS_REGION": REGION,
        "ECR_REGISTRY": uri.split("/")[0],
        "AWS_IMAGE_PUSH_ROLE_ARN": _role(endpoint, ci["platform_ci_image_push_role_name"])["Arn"],
    }
    assert shown["environment variable AWS_PROMOTE_ROLE_ARN"] == {
        env: _role(endpoint, f"{ci['platform_ci_promote_role_name_prefix']}-{env}")["Arn"] for env in ci["platform_ci_promote_environments"]
    }


def test_every_rendered_policy_passes_the_iam_linter(applied):
    env = ansible_env({"AWS_ENDPOINT_URL": applied["endpoint"], "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": REGION})
    env["TF_DATA_DIR"] = str(applied["work"] / "terraform" / "ci" / "data")
    state = json.loads(terraform(env, ROOT / "terraform" / "stacks" / "ci", "show", "-json", "-no-color").stdout)
    assert assert_policies_pass([state], "ci") >= 5


def test_drift_detection_finds_nothing_after_the_apply(applied):
    """playbooks/drift.yml for the ECR step (check mode): the ECR role changes nothing, the CI stack is refreshed and
    planned (never applied) and neither reports a difference, so a second run of the step would change nothing."""
    report, proc = run_ecr_step(applied["endpoint"], applied["work"], "--check", "--diff", "--tags", "ecr", playbook="drift.yml")
    results = task_results(report)
    assert report["stats"]["localhost"]["failures"] == 0, (proc.stdout[-3000:], proc.stderr[-3000:])
    changed = sorted(name for name, r in results.items() if r.get("changed"))
    assert changed == ["Create the report folder", "Write the JSON report", "Write the table"], "only the report is written"
    drift = json.loads((applied["work"] / "drift" / "report.json").read_text())
    assert drift["checked"] == ["terraform:ci", "ecr"], drift["checked"]
    assert drift["items"] == [] and drift["terraform"]["ci"]["drifted"] is False, drift
    assert drift["terraform"]["ci"]["state_key"] == "chatbot/shared-services/ci.tfstate"
