# Copyright: chatbot.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters for the controller configuration (roles/awx): the AWX objects the platform needs, as module calls."""

from __future__ import annotations

import json
import re

from ansible.errors import AnsibleFilterError

_IMPORT_KEYS = ("ansible.builtin.import_playbook", "import_playbook")


def site_steps(site, exclude=()):
    """Return the playbook file names ``site.yml`` imports, in order, without those in ``exclude``."""
    if not isinstance(site, list):
        raise AnsibleFilterError("site_steps: expected the parsed site.yml (a list of plays and imports)")
    steps = []
    for entry in site:
        if not isinstance(entry, dict):
            continue
        for key in _IMPORT_KEYS:
            if key in entry:
                playbook = str(entry[key]).strip()
                if playbook not in exclude:
                    steps.append(playbook)
    if not steps:
        raise AnsibleFilterError("site_steps: site.yml imports no step playbook")
    return steps


def awx_steps(files, texts, atlas_pattern=r"chatbot\.platform\.atlas"):
    """Pair step playbook names with their text: ``{name, playbook, atlas}``, atlas true when the text matches the pattern."""
    if len(files) != len(texts):
        raise AnsibleFilterError("awx_steps: one text per playbook file is needed")
    return [
        {"name": re.sub(r"\.ya?ml$", "", name), "playbook": f"playbooks/{name}", "atlas": bool(re.search(atlas_pattern, text or ""))}
        for name, text in zip(files, texts)
    ]


def _survey_question(variable, option, name, description, default=None):
    question = {"question_name": name, "question_description": description, "variable": variable, "required": True}
    if option.get("choices"):
        question.update({"type": "multiplechoice", "choices": list(option["choices"])})
    else:
        question.update({"type": "text", "min": 1, "max": 128})
    if default is not None:
        question["default"] = default
    return question


def promote_survey(argument_specs, target_variable, source_variable, version_variable, source_choices):
    """Survey of the promote template, built from the ecr role's ``promote`` argument spec.

    Each question's variable must be an option of the entry point, and its choices are the option's own choices.
    ``source_choices`` lists the environments an image can be promoted from (their moving tags).
    """
    try:
        options = argument_specs["argument_specs"]["promote"]["options"]
    except (KeyError, TypeError) as exc:
        raise AnsibleFilterError("promote_survey: expected roles/ecr/meta/argument_specs.yml with a promote entry point") from exc
    for variable in (target_variable, source_variable, version_variable):
        if variable not in options:
            raise AnsibleFilterError(f"promote_survey: {variable} is not an option of the ecr role's promote entry point")
    source = dict(options[source_variable], choices=list(source_choices))
    return {
        "name": "Promote the chatbot images",
        "description": "Source environment, target environment and release version",
        "spec": [
            _survey_question(source_variable, source, "Source environment", "Environment whose moving tag is promoted"),
            _survey_question(target_variable, options[target_variable], "Target environment", "Environment to promote into"),
            _survey_question(version_variable, options[version_variable], "Release version", "Version in the immutable tag <target>-<version>"),
        ],
    }


def _org(settings):
    return settings["organization"]


def _notify(settings):
    return [settings["notification_name"]]


def awx_controller(settings, steps, environments, accounts, promote_survey_spec):
    """Return the AWX objects of the platform as an ordered list of ``{module, params}`` module calls.

    ``settings`` holds the role's inputs (names, image, repository, role names, schedule), ``steps`` a list of
    ``{name, playbook, atlas}`` (from site.yml), ``environments`` the inventory folders AWX gets, ``accounts`` the
    platform_accounts map. Objects are created in dependency order; nothing here talks to a controller.
    """
    for key in ("organization", "project", "project_dir", "scm_url", "scm_branch", "execution_environment", "image", "notification_name", "aws_role_name"):
        if not settings.get(key):
            raise AnsibleFilterError(f"awx_controller: setting {key!r} is empty")
    if not steps:
        raise AnsibleFilterError("awx_controller: no step playbooks")
    if settings["aws_credential_type"]["source"] == "web_identity" and not settings.get("aws_source_role_arn"):
        raise AnsibleFilterError("awx_controller: the web_identity source needs the controller's role (aws_source_role_arn)")
    org = _org(settings)
    approval_envs = set(settings.get("approval_environments", []))
    calls = []

    def add(module, **params):
        calls.append({"module": f"awx.awx.{module}", "params": params})

    add("organization", name=org, description=f"{settings['platform_name']} platform (chatbot.platform)")
    add(
        "notification_template",
        name=settings["notification_name"],
        organization=org,
        notification_type=settings["notification_type"],
        notification_configuration=settings["notification_configuration"],
    )
    add(
        "execution_environment",
        name=settings["execution_environment"],
        organization=org,
        image=settings["image"],
        pull="missing",
        description="ansible-builder image of execution-environment.yml",
        **({"credential": settings["registry_credential"]} if settings.get("registry_credential") else {}),
    )
    add(
        "project",
        name=settings["project"],
        organization=org,
        scm_type="git",
        scm_url=settings["scm_url"],
        scm_branch=settings["scm_branch"],
        scm_clean=True,
        scm_update_on_launch=True,
        default_environment=settings["execution_environment"],
        notification_templates_error=_notify(settings),
        **({"credential": settings["scm_credential"]} if settings.get("scm_credential") else {}),
    )

    # Credential types. Atlas: the variables the Atlas modules fall back to (plugins/module_utils/_atlas).
    atlas = settings["atlas_credential_type"]
    add(
        "credential_type",
        name=atlas["name"],
        kind="cloud",
        description="MongoDB Atlas service account for the chatbot.platform Atlas modules",
        inputs={
            "fields": [
                {"id": "client_id", "label": "Service account client ID", "type": "string"},
                {"id": "client_secret", "label": "Service account secret", "type": "string", "secret": True},
                {"id": "base_url", "label": "Administration API base URL (empty: cloud.mongodb.com)", "type": "string"},
            ],
            "required": ["client_id", "client_secret"],
        },
        injectors={"env": {env: "{{ " + field + " }}" for field, env in atlas["env"].items()}},
    )
    aws = settings["aws_credential_type"]
    add(
        "credential_type",
        name=aws["name"],
        kind="cloud",
        description="AWS by role assumption: the controller's own identity (web identity or instance profile) assumes the deploy role",
        inputs={
            "fields": [
                {"id": "role_arn", "label": "Role to assume", "type": "string"},
                {"id": "source", "label": "Identity the role is assumed from", "type": "string", "choices": ["web_identity", "instance_profile"]},
                {"id": "source_role_arn", "label": "Controller role (web identity only)", "type": "string"},
                {"id": "web_identity_token_file", "label": "Web identity token file", "type": "string"},
                {"id": "external_id", "label": "External ID", "type": "string"},
            ],
            "required": ["role_arn", "source"],
        },
        injectors={
            "file": {"template.aws_config": aws["config_template"]},
            "env": {"AWS_CONFIG_FILE": "{{ tower.filename.aws_config }}", "AWS_PROFILE": aws["profile"], "AWS_SDK_LOAD_CONFIG": "1"},
        },
    )

    add("credential", name=settings["atlas_credential"], organization=org, credential_type=atlas["name"], update_secrets=False, inputs={})
    account_keys = sorted({settings["step_accounts"].get(step["name"], env) for env in environments for step in steps} | {settings["promote_account"]})
    for key in account_keys:
        if key not in accounts:
            raise AnsibleFilterError(f"awx_controller: platform_accounts has no {key!r} account")
        add(
            "credential",
            name=f"aws-{key}",
            organization=org,
            credential_type=aws["name"],
            update_secrets=False,
            # Every input is given: the controller replaces a credential's inputs as a whole.
            inputs={
                "role_arn": f"arn:aws:iam::{accounts[key]}:role/{settings['aws_role_name']}",
                "source": aws["source"],
                **({"source_role_arn": settings["aws_source_role_arn"]} if aws["source"] == "web_identity" else {}),
            },
        )

    for env in environments:
        add("inventory", name=env, organization=org, description=f"inventories/{env} of {settings['project']}")
        add(
            "inventory_source",
            name=f"{env}-repository",
            inventory=env,
            organization=org,
            source="scm",
            source_project=settings["project"],
            source_path=f"inventories/{env}/hosts.yml",
            overwrite=True,
            overwrite_vars=True,
            update_on_launch=True,
            notification_templates_error=_notify(settings),
        )

    def template(name, playbook, env, credentials, **extra):
        params = {
            "name": name,
            "organization": org,
            "project": settings["project"],
            "playbook": playbook,
            "inventory": env,
            "execution_environment": settings["execution_environment"],
            "credentials": credentials,
            # The inventory's platform_work_dir is relative to the inventory file, which AWX copies elsewhere: the job
            # works in the project checkout of its execution environment instead.
            "extra_vars": {"platform_work_dir": f"{settings['project_dir']}/build/{env}"},
            "notification_templates_error": _notify(settings),
        }
        params.update(extra)
        add("job_template", **params)
        return name

    step_templates = {}
    for env in environments:
        for step in steps:
            account = settings["step_accounts"].get(step["name"], env)
            credentials = [f"aws-{account}"] + ([settings["atlas_credential"]] if step["atlas"] else [])
            step_templates[(env, step["name"])] = template(
                f"{env}-{step['name']}",
                step["playbook"],
                env,
                credentials,
                description=f"Step {step['name']} ({step['playbook']}) on {env}" + (", approved through the site workflow" if env in approval_envs else ""),
                job_type="run",
            )
        drift_credentials = [f"aws-{env}"] + ([settings["atlas_credential"]] if any(s["atlas"] for s in steps) else [])
        template(
            f"{env}-drift",
            "playbooks/drift.yml",
            env,
            drift_credentials,
            description=f"Drift of {env} against its inventory (check mode; fails when anything drifted)",
            job_type="check",
            diff_mode=True,
        )
        add(
            "schedule",
            name=f"{env}-drift-nightly",
            organization=org,
            unified_job_template=f"{env}-drift",
            rrule=settings["drift_rrule"],
            enabled=True,
            description="Nightly drift detection; a failed run sends the failure notification",
        )

    promote_survey_spec = json.loads(json.dumps(promote_survey_spec))
    template(
        "promote",
        "playbooks/promote.yml",
        settings["promote_inventory"],
        [f"aws-{settings['promote_account']}"],
        description="Promote the chatbot images by digest (launched through the promote workflow, after approval)",
        job_type="run",
        survey_enabled=True,
        survey_spec=promote_survey_spec,
    )

    def chain(env):
        nodes = []
        identifiers = [f"{env}-{step['name']}" for step in steps]
        for index, step in enumerate(steps):
            following = [{"identifier": identifiers[index + 1]}] if index + 1 < len(steps) else []
            nodes.append(
                {
                    "identifier": identifiers[index],
                    "unified_job_template": {"name": step_templates[(env, step["name"])], "type": "job_template", "organization": {"name": org}},
                    "related": {"success_nodes": following},
                }
            )
        return identifiers[0], nodes

    workflows = []
    for env in environments:
        first, nodes = chain(env)
        if env in approval_envs:
            approval = f"{env}-approve-apply"
            nodes = [
                {
                    "identifier": f"{env}-drift",
                    "unified_job_template": {"name": f"{env}-drift", "type": "job_template", "organization": {"name": org}},
                    "related": {"always_nodes": [{"identifier": approval}]},
                },
                {
                    "identifier": approval,
                    "unified_job_template": {
                        "name": f"Approve applying {env}",
                        "type": "workflow_approval",
                        "description": f"Read the drift job's report (what the run will change) before approving; every {env} step follows",
                        "timeout": settings["approval_timeout"],
                    },
                    "related": {"success_nodes": [{"identifier": first}]},
                },
                *nodes,
            ]
        workflows.append(f"{env}-site")
        add(
            "workflow_job_template",
            name=f"{env}-site",
            organization=org,
            inventory=env,
            description=f"site.yml step by step on {env}" + (" after an approval" if env in approval_envs else ""),
            notification_templates_error=_notify(settings),
            notification_templates_approvals=_notify(settings),
            workflow_nodes=nodes,
        )
    add(
        "workflow_job_template",
        name="promote",
        organization=org,
        description="Approval, then the promote template",
        survey_enabled=True,
        survey_spec=promote_survey_spec,
        notification_templates_error=_notify(settings),
        notification_templates_approvals=_notify(settings),
        workflow_nodes=[
            {
                "identifier": "promote-approve",
                "unified_job_template": {
                    "name": "Approve the promotion",
                    "type": "workflow_approval",
                    "description": "Check the version and target environment in the survey answers",
                    "timeout": settings["approval_timeout"],
                },
                "related": {"success_nodes": [{"identifier": "promote"}]},
            },
            {
                "identifier": "promote",
                "unified_job_template": {"name": "promote", "type": "job_template", "organization": {"name": org}},
                "related": {},
            },
        ],
    )
    workflows.append("promote")

    # Who may launch what: operators run every workflow and the templates of environments without approval, never a
    # template whose environment needs approval directly (that would skip the approval node).
    team = settings["operators_team"]
    add("team", name=team, organization=org, description="Launch the platform's workflows and unapproved environments' templates")
    open_templates = [name for (env, _step), name in sorted(step_templates.items()) if env not in approval_envs]
    open_templates += [f"{env}-drift" for env in environments]
    add("role", team=team, role="execute", job_templates=sorted(open_templates), workflows=workflows, lookup_organization=org)
    return calls


def awx_calls_by_module(calls):
    """Group ``{module, params}`` calls by module short name (``job_template`` -> list of params)."""
    grouped = {}
    for call in calls:
        grouped.setdefault(re.sub(r"^awx\.awx\.", "", call["module"]), []).append(call["params"])
    return grouped


class FilterModule:
    def filters(self):
        return {
            "awx_calls_by_module": awx_calls_by_module,
            "awx_controller": awx_controller,
            "awx_steps": awx_steps,
            "promote_survey": promote_survey,
            "site_steps": site_steps,
        }
