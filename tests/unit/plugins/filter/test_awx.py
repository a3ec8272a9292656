from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.chatbot.platform.plugins.filter.awx import FilterModule, awx_steps, promote_survey, site_steps

SPECS = {
    "argument_specs": {
        "promote": {
            "options": {
                "ecr_promote_target_env": {"type": "str", "choices": ["staging", "prod"]},
                "ecr_promote_source_tag": {"type": "str"},
                "ecr_promote_version": {"type": "str"},
            }
        }
    }
}


def test_site_steps_follow_the_imports_in_order():
    site = [
        {"name": "one", "ansible.builtin.import_playbook": "bootstrap.yml"},
        {"name": "two", "import_playbook": "argocd.yml"},
        {"name": "summary", "ansible.builtin.import_playbook": "summary.yml"},
        {"name": "a play", "hosts": "all"},
    ]
    assert site_steps(site, ["summary.yml"]) == ["bootstrap.yml", "argocd.yml"]
    with pytest.raises(AnsibleFilterError, match="imports no step"):
        site_steps([{"hosts": "all"}])


def test_awx_steps_mark_the_steps_that_talk_to_atlas():
    steps = awx_steps(["atlas.yml", "ecr.yml"], ["name: chatbot.platform.atlas", "chatbot.platform.ecr_repository"])
    assert steps == [
        {"name": "atlas", "playbook": "playbooks/atlas.yml", "atlas": True},
        {"name": "ecr", "playbook": "playbooks/ecr.yml", "atlas": False},
    ]
    with pytest.raises(AnsibleFilterError, match="one text per playbook"):
        awx_steps(["a.yml"], [])


def test_promote_survey_takes_choices_from_the_argument_spec_and_refuses_unknown_variables():
    survey = promote_survey(SPECS, "ecr_promote_target_env", "ecr_promote_source_tag", "ecr_promote_version", ["dev", "staging"])
    questions = {q["variable"]: q for q in survey["spec"]}
    assert questions["ecr_promote_target_env"]["choices"] == ["staging", "prod"]
    assert questions["ecr_promote_source_tag"]["choices"] == ["dev", "staging"]
    assert questions["ecr_promote_version"]["type"] == "text"
    assert all(q["required"] for q in survey["spec"])
    with pytest.raises(AnsibleFilterError, match="ecr_promote_tag is not an option"):
        promote_survey(SPECS, "ecr_promote_target_env", "ecr_promote_tag", "ecr_promote_version", ["dev"])


def test_filter_names():
    assert set(FilterModule().filters()) == {"awx_calls_by_module", "awx_controller", "awx_steps", "promote_survey", "site_steps"}
