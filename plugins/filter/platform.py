# Copyright: chatbot.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters shared by the platform's roles: resource names and Terraform outputs."""

from __future__ import annotations

import re

from ansible.errors import AnsibleFilterError

_NAME_PART = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")


def resource_name(purpose, name, env, max_length=63):
    """Return ``<name>-<env>-<purpose>``, the naming rule every resource follows."""
    parts = [name, env, purpose]
    for label, value in zip(("name", "env", "purpose"), parts):
        if not isinstance(value, str) or not _NAME_PART.match(value):
            raise AnsibleFilterError(f"resource_name: {label} {value!r} must be lower-case letters, digits and inner hyphens")
    result = "-".join(parts)
    if len(result) > int(max_length):
        raise AnsibleFilterError(f"resource_name: {result!r} is {len(result)} characters, longer than the limit of {max_length}")
    return result


def tf_output_values(outputs, include_sensitive=True):
    """Turn ``terraform output -json`` data (name -> {value, type, sensitive}) into name -> value."""
    if outputs is None:
        return {}
    if not isinstance(outputs, dict):
        raise AnsibleFilterError(f"tf_output_values: expected a mapping of Terraform outputs, got {type(outputs).__name__}")
    values = {}
    for key, item in outputs.items():
        if not isinstance(item, dict) or "value" not in item:
            raise AnsibleFilterError(f"tf_output_values: output {key!r} has no 'value' (is this `terraform output -json` data?)")
        if item.get("sensitive") and not include_sensitive:
            continue
        values[key] = item["value"]
    return values


def tf_state_key(stack, name, env):
    """Return the S3 key of a stack's state: ``<name>/<env>/<stack>.tfstate``."""
    for label, value in (("stack", stack), ("name", name), ("env", env)):
        if not isinstance(value, str) or not _NAME_PART.match(value.replace("_", "-")):
            raise AnsibleFilterError(f"tf_state_key: {label} {value!r} is not a valid name")
    return f"{name}/{env}/{stack}.tfstate"


def missing_outputs(outputs, required):
    """Return the names in ``required`` that ``outputs`` lacks or holds empty (None, "", [] or {}).

    A name may be dotted to look into a mapping output, for example ``irsa_role_arns.external_secrets``.
    """
    if outputs is None:
        outputs = {}
    if not isinstance(outputs, dict):
        raise AnsibleFilterError(f"missing_outputs: expected a mapping of output values, got {type(outputs).__name__}")
    if isinstance(required, str) or not isinstance(required, (list, tuple)):
        raise AnsibleFilterError("missing_outputs: required must be a list of output names")
    missing = []
    for name in required:
        value = outputs
        for part in str(name).split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is None or value == "" or value == [] or value == {}:
            missing.append(name)
    return missing


def _changed_keys(before, after):
    """Top-level attribute names whose values differ between two resource bodies."""
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    return sorted(key for key in set(before) | set(after) if before.get(key) != after.get(key))


def tf_plan_drift(plan):
    """Reduce ``terraform show -json <plan>`` data to what drift detection reports.

    ``drift`` lists the resources that changed outside Terraform (the plan's ``resource_drift``, found by the refresh)
    with the attributes that changed, limited to the plan's ``relevant_attributes`` as Terraform's own output is;
    ``changes`` lists what applying the plan would do (resource and output changes
    other than no-op and read). Attribute names only, never values: a plan holds sensitive values in clear text.
    """
    if not isinstance(plan, dict) or "format_version" not in plan:
        raise AnsibleFilterError("tf_plan_drift: expected `terraform show -json <plan>` data (a mapping with format_version)")
    # Like Terraform's own "Objects have changed outside of Terraform", only drift in attributes the configuration
    # refers to counts (relevant_attributes): a provider's computed or deprecated inline attributes (for example
    # aws_s3_bucket's versioning, managed by its own resource) differ after every refresh.
    relevant = {}
    for item in plan.get("relevant_attributes") or []:
        path = item.get("attribute") or []
        relevant.setdefault(item.get("resource"), set()).add(path[0] if path else None)
    drift = []
    for item in plan.get("resource_drift") or []:
        change = item.get("change") or {}
        wanted = relevant.get(item["address"], set())
        attributes = [key for key in _changed_keys(change.get("before"), change.get("after")) if key in wanted or None in wanted]
        if attributes or (change.get("actions") == ["delete"] and item["address"] in relevant):
            drift.append({"address": item["address"], "actions": change.get("actions", []), "attributes": attributes})
    changes = []
    for item in plan.get("resource_changes") or []:
        change = item.get("change") or {}
        actions = change.get("actions", [])
        if actions in (["no-op"], ["read"]):
            continue
        changes.append({"address": item["address"], "actions": actions, "attributes": _changed_keys(change.get("before"), change.get("after"))})
    for name, change in sorted((plan.get("output_changes") or {}).items()):
        if change.get("actions", []) != ["no-op"]:
            changes.append({"address": f"output.{name}", "actions": change.get("actions", []), "attributes": []})
    return {"drift": drift, "changes": changes}


def module_drift(results, source):
    """Turn registered results of modules run in check mode with diff into drift entries.

    ``results`` is one registered result, a registered loop (with ``results``) or a list of either. Every result that
    would change something becomes ``{source, object, actions, attributes}``: the object is the loop label or the
    module's ``name`` argument, the attributes are the top-level keys that differ between the diff's before and after
    (empty when the module returns no diff, or hides it because it holds a secret). Skipped results are left out.
    """
    if results is None:
        return []
    pending = list(results) if isinstance(results, (list, tuple)) else [results]
    flat = []
    while pending:
        item = pending.pop(0)
        if not isinstance(item, dict):
            raise AnsibleFilterError(f"module_drift: expected registered module results, got {type(item).__name__}")
        if isinstance(item.get("results"), list):
            pending[0:0] = item["results"]
        else:
            flat.append(item)
    entries = []
    for item in flat:
        if item.get("skipped") or not item.get("changed"):
            continue
        invocation = (item.get("invocation") or {}).get("module_args") or {}
        label = item.get("_ansible_item_label") or invocation.get("name") or invocation.get("alias") or invocation.get("username") or source
        attributes = []
        diffs = item.get("diff") or []
        for diff in diffs if isinstance(diffs, list) else [diffs]:
            if isinstance(diff, dict):
                attributes.extend(_changed_keys(diff.get("before"), diff.get("after")))
        entries.append({"source": source, "object": str(label), "actions": ["update"], "attributes": sorted(set(attributes))})
    return entries


class FilterModule:
    def filters(self):
        return {
            "missing_outputs": missing_outputs,
            "module_drift": module_drift,
            "resource_name": resource_name,
            "tf_output_values": tf_output_values,
            "tf_plan_drift": tf_plan_drift,
            "tf_state_key": tf_state_key,
        }
