"""playbooks/awx.yml without a controller: the objects it builds (awx_render_only), checked against the code they are
derived from (site.yml, the step playbooks, the roles' argument specs, the Atlas module_utils, the inventories) and
run through the real awx.awx modules' argument validation up to their first API call."""

from __future__ import annotations

import configparser
import contextlib
import importlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2.sandbox
import pytest
import yaml
from ansible.module_utils.testing import patch_module_args

ROOT = Path(__file__).resolve().parents[3]
VENV_BIN = Path(sys.executable).parent
ENV = {
    **os.environ,
    "ANSIBLE_COLLECTIONS_PATH": str(ROOT / "build" / "collections"),
    "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
    "ANSIBLE_NOCOLOR": "1",
}
# No controller listens here: a module whose arguments are valid fails on its first API call, and only there.
DEAD_CONTROLLER = "https://127.0.0.1:9"


def render(tmp_path: Path, *extra: str) -> dict:
    out = tmp_path / "awx"
    result = subprocess.run(
        [
            *(str(VENV_BIN / "ansible-playbook"), "-i", str(ROOT / "inventories" / "management"), str(ROOT / "playbooks" / "awx.yml")),
            *("-e", "awx_render_only=true", "-e", f"awx_render_dir={out}", *extra),
        ],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return json.loads((out / "controller.json").read_text())


@pytest.fixture(scope="module")
def controller(tmp_path_factory):
    return render(tmp_path_factory.mktemp("awx"))


def objects(controller, module):
    return [call["params"] for call in controller["calls"] if call["module"] == f"awx.awx.{module}"]


def by_name(controller, module):
    return {params["name"]: params for params in objects(controller, module)}


def site_imports() -> list[str]:
    site = yaml.safe_load((ROOT / "playbooks" / "site.yml").read_text())
    return [entry["ansible.builtin.import_playbook"] for entry in site if "ansible.builtin.import_playbook" in entry]


def awx_defaults() -> dict:
    return yaml.safe_load((ROOT / "roles" / "awx" / "defaults" / "main.yml").read_text())


def test_every_step_of_site_has_a_template_per_environment_and_its_playbook_exists(controller):
    steps = [name for name in site_imports() if name not in awx_defaults()["awx_site_exclude"]]
    inventories = sorted(p.parent.name for p in (ROOT / "inventories").glob("*/hosts.yml") if p.parent.name not in awx_defaults()["awx_environments_exclude"])
    assert controller["environments"] == inventories
    assert [step["playbook"] for step in controller["steps"]] == [f"playbooks/{name}" for name in steps]
    templates = by_name(controller, "job_template")
    for env in inventories:
        for name in steps:
            template = templates[f"{env}-{Path(name).stem}"]
            assert template["playbook"] == f"playbooks/{name}" and template["inventory"] == env
    for template in templates.values():
        assert (ROOT / template["playbook"]).is_file(), template["name"]
    assert {inv["name"] for inv in objects(controller, "inventory")} == set(inventories)
    for source in objects(controller, "inventory_source"):
        assert (ROOT / source["source_path"]).is_file()
        assert source["source_path"] == f"inventories/{source['inventory']}/hosts.yml"


def test_a_step_added_to_site_becomes_a_template_without_another_edit(tmp_path):
    playbooks = tmp_path / "tree" / "playbooks"
    shutil.copytree(ROOT / "playbooks", playbooks)
    (tmp_path / "tree" / "roles").symlink_to(ROOT / "roles")
    (playbooks / "probe_step.yml").write_text(
        "---\n- name: Probe step\n  hosts: platform\n  gather_facts: false\n  tasks:\n"
        "    - name: Talk to Atlas\n      chatbot.platform.atlas_project_info:\n        name: probe\n"
    )
    site = (
        (playbooks / "site.yml")
        .read_text()
        .replace("- name: Summary\n", "- name: Probe step\n  ansible.builtin.import_playbook: probe_step.yml\n\n- name: Summary\n")
    )
    (playbooks / "site.yml").write_text(site)
    data = render(tmp_path, "-e", f"awx_playbooks_dir={playbooks}")
    templates = by_name(data, "job_template")
    assert templates["prod-probe_step"]["playbook"] == "playbooks/probe_step.yml"
    assert "atlas" in templates["prod-probe_step"]["credentials"], "a step that calls an Atlas module gets the Atlas credential"
    prod_site = by_name(data, "workflow_job_template")["prod-site"]
    identifiers = [node["identifier"] for node in prod_site["workflow_nodes"]]
    assert identifiers[-1] == "prod-probe_step", "the new step is the last node of the site workflow"


def test_the_atlas_credential_injects_the_variables_the_atlas_modules_read(controller):
    from ansible_collections.chatbot.platform.plugins.module_utils._atlas import client

    atlas_type = next(t for t in objects(controller, "credential_type") if "Atlas" in t["name"])
    env = atlas_type["injectors"]["env"]
    assert set(env) == {client.ENV_CLIENT_ID, client.ENV_CLIENT_SECRET, client.ENV_BASE_URL}
    fields = {field["id"]: field for field in atlas_type["inputs"]["fields"]}
    assert env[client.ENV_CLIENT_ID] == "{{ client_id }}" and env[client.ENV_CLIENT_SECRET] == "{{ client_secret }}"
    assert fields["client_secret"].get("secret") is True
    assert set(atlas_type["inputs"]["required"]) <= set(fields)
    atlas_steps = {step["name"] for step in controller["steps"] if step["atlas"]}
    assert atlas_steps == {"atlas"}
    for template in objects(controller, "job_template"):
        step = template["name"].split("-", 1)[-1]
        assert ("atlas" in template["credentials"]) == (step in atlas_steps or step == "drift"), template["name"]


def _aws_config(controller, credential_name):
    """The AWS config file AWX writes for a credential: the injector template rendered like the controller does."""
    aws_type = next(t for t in objects(controller, "credential_type") if t["name"].startswith("AWS role"))
    credential = by_name(controller, "credential")[credential_name]
    inputs = {"external_id": "", "web_identity_token_file": ""}
    inputs.update(credential["inputs"])
    text = jinja2.sandbox.ImmutableSandboxedEnvironment().from_string(aws_type["injectors"]["file"]["template.aws_config"]).render(**inputs)
    return aws_type, text


def test_aws_credentials_assume_the_deploy_role_that_the_cluster_admits(controller, tmp_path):
    import botocore.configloader

    defaults = awx_defaults()
    management = yaml.safe_load((ROOT / "inventories" / "management" / "group_vars" / "all" / "main.yml").read_text())
    for template in objects(controller, "job_template"):
        aws = [name for name in template["credentials"] if name.startswith("aws-")]
        assert len(aws) == 1, template["name"]
    for env in ("dev", "staging", "prod"):
        aws_type, text = _aws_config(controller, f"aws-{env}")
        path = tmp_path / f"{env}.config"
        path.write_text(text)
        profiles = botocore.configloader.load_config(str(path))["profiles"]
        role_arn = f"arn:aws:iam::{management['platform_accounts'][env]}:role/{defaults['awx_aws_role_name']}"
        assert profiles[aws_type["injectors"]["env"]["AWS_PROFILE"]]["role_arn"] == role_arn
        assert profiles["platform"]["source_profile"] == "controller"
        assert profiles["controller"]["role_arn"] == f"arn:aws:iam::{management['platform_accounts']['management']}:role/chatbot-awx-controller"
        assert profiles["controller"]["web_identity_token_file"] == "/var/run/secrets/eks.amazonaws.com/serviceaccount/token"
        assert "aws_access_key_id" not in text
        # The role AWX assumes must be one the environment's cluster gives cluster-admin (platform.yml's access entries).
        inventory = yaml.safe_load((ROOT / "inventories" / env / "group_vars" / "all" / "platform.yml").read_text())
        env_main = yaml.safe_load((ROOT / "inventories" / env / "group_vars" / "all" / "main.yml").read_text())
        admins = [
            jinja2.sandbox.ImmutableSandboxedEnvironment().from_string(arn).render(platform_accounts=env_main["platform_accounts"], platform_env=env)
            for arn in inventory["platform_stack_admin_principal_arns"]
        ]
        assert role_arn in admins, f"{env}: AWX assumes {role_arn}, the cluster admits {admins}"
        assert env_main["platform_accounts"] == management["platform_accounts"], f"{env} and management disagree on the account ids"
    instance = configparser.ConfigParser()
    aws_type = _aws_config(controller, "aws-prod")[0]
    instance.read_string(
        jinja2.sandbox.ImmutableSandboxedEnvironment()
        .from_string(aws_type["injectors"]["file"]["template.aws_config"])
        .render(role_arn="arn:aws:iam::444444444444:role/x", source="instance_profile", external_id="", source_role_arn="", web_identity_token_file="")
    )
    assert instance["profile platform"]["credential_source"] == "Ec2InstanceMetadata"
    assert "profile controller" not in instance


def _argument_options(role: str, entry_point: str) -> dict:
    specs = yaml.safe_load((ROOT / "roles" / role / "meta" / "argument_specs.yml").read_text())
    return specs["argument_specs"][entry_point]["options"]


def test_every_survey_variable_is_accepted_by_the_roles_of_the_template_playbook(controller):
    templates = by_name(controller, "job_template")
    workflows = by_name(controller, "workflow_job_template")
    surveyed = [t for t in templates.values() if t.get("survey_enabled")] + [w for w in workflows.values() if w.get("survey_enabled")]
    assert {t["name"] for t in surveyed} == {"promote"}
    for template in surveyed:
        playbook = template.get("playbook", templates[template["name"]]["playbook"] if template["name"] in templates else None)
        plays = yaml.safe_load((ROOT / playbook).read_text())
        accepted = {}
        for play in plays:
            for task in play.get("tasks", []):
                include = task.get("ansible.builtin.include_role") or task.get("ansible.builtin.import_role")
                if include:
                    accepted.update(_argument_options(include["name"].split(".")[-1], include.get("tasks_from", "main")))
        questions = template["survey_spec"]["spec"]
        assert [q["variable"] for q in questions] == ["ecr_promote_source_tag", "ecr_promote_target_env", "ecr_promote_version"]
        for question in questions:
            option = accepted.get(question["variable"])
            assert option is not None, f"{template['name']}: {question['variable']} is no input of {playbook}'s roles"
            if option.get("choices"):
                assert set(question["choices"]) <= set(option["choices"]), question
        target = next(q for q in questions if q["variable"] == "ecr_promote_target_env")
        assert target["choices"] == accepted["ecr_promote_target_env"]["choices"]


def _graph(workflow):
    nodes = {node["identifier"]: node for node in workflow["workflow_nodes"]}
    edges = {
        ident: [n["identifier"] for kind in ("success_nodes", "failure_nodes", "always_nodes") for n in node.get("related", {}).get(kind, [])]
        for ident, node in nodes.items()
    }
    roots = set(nodes) - {child for children in edges.values() for child in children}
    return nodes, edges, roots


def test_prod_steps_run_only_after_an_approval(controller):
    templates = by_name(controller, "job_template")
    workflows = by_name(controller, "workflow_job_template")
    approval_envs = awx_defaults()["awx_approval_environments"]
    assert "prod" in approval_envs
    gated = {"promote"} | {name for name, t in templates.items() if t["inventory"] in approval_envs and t["job_type"] == "run"}
    assert {"prod-bootstrap", "prod-platform", "prod-cluster_addons", "promote"} <= gated
    # Nothing that applies in such an environment is reachable in a workflow without passing an approval node ...
    for workflow in workflows.values():
        nodes, edges, roots = _graph(workflow)
        for child in {c for children in edges.values() for c in children}:
            assert child in nodes, f"{workflow['name']}: edge to unknown node {child}"
        seen, pending = set(), list(roots)
        while pending:
            ident = pending.pop()
            if ident in seen:
                continue
            seen.add(ident)
            ujt = nodes[ident]["unified_job_template"]
            if ujt["type"] == "workflow_approval":
                assert ujt["timeout"] > 0
                continue
            assert ujt["name"] not in gated, f"{workflow['name']}: {ujt['name']} runs without an approval"
            pending.extend(edges[ident])
        for ident, node in nodes.items():
            if node["unified_job_template"]["type"] == "job_template":
                assert node["unified_job_template"]["name"] in templates, ident
    # ... every gated template is in some workflow, and the operators may not launch one directly.
    in_workflows = {n["unified_job_template"]["name"] for w in workflows.values() for n in w["workflow_nodes"]}
    assert gated <= in_workflows
    (grant,) = objects(controller, "role")
    assert grant["role"] == "execute"
    assert not gated & set(grant["job_templates"]), gated & set(grant["job_templates"])
    assert set(grant["workflows"]) == set(workflows)
    # The approver sees the drift report of what the run will change before approving prod.
    prod_nodes, _prod_edges, prod_roots = _graph(workflows["prod-site"])
    assert prod_roots == {"prod-drift"} and prod_nodes["prod-drift"]["related"]["always_nodes"] == [{"identifier": "prod-approve-apply"}]
    assert workflows["dev-site"]["workflow_nodes"][0]["identifier"] == "dev-bootstrap"


def test_drift_runs_nightly_in_check_mode_and_every_template_notifies_on_failure(controller):
    templates = by_name(controller, "job_template")
    schedules = by_name(controller, "schedule")
    notification = awx_defaults()["awx_notification_name"].replace("{{ platform_name }}", "chatbot")
    for env in controller["environments"]:
        drift = templates[f"{env}-drift"]
        assert drift["playbook"] == "playbooks/drift.yml" and drift["job_type"] == "check" and drift["diff_mode"] is True
        schedule = schedules[f"{env}-drift-nightly"]
        assert schedule["unified_job_template"] == f"{env}-drift" and "FREQ=DAILY" in schedule["rrule"]
    for params in objects(controller, "job_template") + objects(controller, "workflow_job_template") + objects(controller, "project"):
        assert params["notification_templates_error"] == [notification], params["name"]
    assert [n["name"] for n in objects(controller, "notification_template")] == [notification]


def test_project_and_execution_environment_match_the_repository(controller):
    galaxy = yaml.safe_load((ROOT / "galaxy.yml").read_text())
    (project,) = objects(controller, "project")
    assert project["scm_url"].removesuffix(".git") == galaxy["repository"]
    (ee,) = objects(controller, "execution_environment")
    assert ee["image"].endswith(f":{galaxy['version']}"), "the image tag is the collection version it was built from"
    assert project["default_environment"] == ee["name"]
    assert all(t["execution_environment"] == ee["name"] for t in objects(controller, "job_template"))
    assert all(t["extra_vars"]["platform_work_dir"] == f"/runner/project/build/{t['inventory']}" for t in objects(controller, "job_template"))


def test_apply_passes_every_parameter_the_data_holds(controller):
    tasks = yaml.safe_load((ROOT / "roles" / "awx" / "tasks" / "apply.yml").read_text())
    passed, order = {}, []
    for task in tasks:
        module = next((key for key in task if key.startswith("awx.awx.")), None)
        if module:
            passed[module] = set(task[module])
            order.append(module)
    modules_in_data = []
    for call in controller["calls"]:
        assert call["module"] in passed, f"no task in apply.yml for {call['module']}"
        assert set(call["params"]) <= passed[call["module"]], (call["module"], set(call["params"]) - passed[call["module"]])
        if call["module"] not in modules_in_data:
            modules_in_data.append(call["module"])
    # apply.yml creates the objects module by module: a module's objects may only refer to modules applied before it.
    assert order.index("awx.awx.execution_environment") < order.index("awx.awx.project") < order.index("awx.awx.job_template")
    assert order.index("awx.awx.job_template") < order.index("awx.awx.schedule") < order.index("awx.awx.workflow_job_template") < order.index("awx.awx.role")


def _run_module(module: str, params: dict) -> dict:
    args = dict(params, controller_host=DEAD_CONTROLLER, controller_oauthtoken="not-a-token", validate_certs=False, request_timeout=5)
    mod = importlib.import_module(f"ansible_collections.awx.awx.plugins.modules.{module}")
    out = io.StringIO()
    with patch_module_args(args), contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        mod.main()
    return json.loads(out.getvalue())


def test_the_awx_modules_accept_every_call(controller):
    checked = 0
    for call in controller["calls"]:
        result = _run_module(call["module"].rsplit(".", 1)[1], call["params"])
        # Argument errors (unknown option, wrong type or choice, missing requirement) fail before any request.
        assert result.get("failed") and "127.0.0.1:9" in result["msg"], (call["module"], call["params"].get("name"), result["msg"][:500])
        checked += 1
    assert checked == len(controller["calls"]) > 50


def test_the_module_check_catches_a_bad_call():
    result = _run_module("job_template", {"name": "x", "playbook": "playbooks/drift.yml", "job_type": "dry-run"})
    assert "127.0.0.1:9" not in result["msg"] and "job_type" in result["msg"]
