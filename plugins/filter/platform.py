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


class FilterModule:
    def filters(self):
        return {
            "missing_outputs": missing_outputs,
            "resource_name": resource_name,
            "tf_output_values": tf_output_values,
            "tf_state_key": tf_state_key,
        }
