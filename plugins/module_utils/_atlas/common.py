# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every Atlas module shares: connection options, client construction, error handling, transforms."""

from __future__ import annotations

import traceback

from ansible.module_utils.basic import AnsibleModule, env_fallback
from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.chatbot.platform.plugins.module_utils._atlas.client import (
    ENV_BASE_URL,
    ENV_CLIENT_ID,
    ENV_CLIENT_SECRET,
    ENV_PRIVATE_KEY,
    ENV_PUBLIC_KEY,
    AtlasClient,
    AtlasError,
)


def atlas_argument_spec():
    """Connection options documented in the chatbot.platform.atlas doc fragment."""
    return dict(
        base_url=dict(type="str", fallback=(env_fallback, [ENV_BASE_URL])),
        client_id=dict(type="str", fallback=(env_fallback, [ENV_CLIENT_ID])),
        client_secret=dict(type="str", no_log=True, fallback=(env_fallback, [ENV_CLIENT_SECRET])),
        public_key=dict(type="str", fallback=(env_fallback, [ENV_PUBLIC_KEY])),
        private_key=dict(type="str", no_log=True, fallback=(env_fallback, [ENV_PRIVATE_KEY])),
        timeout=dict(type="int", default=30),
        max_retries=dict(type="int", default=5),
        validate_certs=dict(type="bool", default=True),
    )


def project_argument_spec():
    """project_id / project_name, used by every module that works inside a project."""
    return dict(project_id=dict(type="str"), project_name=dict(type="str"))


class AtlasModule:
    """AnsibleModule plus an AtlasClient built from the shared options."""

    def __init__(self, argument_spec, with_project=False, **kwargs):
        spec = atlas_argument_spec()
        if with_project:
            spec.update(project_argument_spec())
            kwargs["mutually_exclusive"] = [*list(kwargs.get("mutually_exclusive", [])), ["project_id", "project_name"]]
            kwargs["required_one_of"] = [*list(kwargs.get("required_one_of", [])), ["project_id", "project_name"]]
        spec.update(argument_spec)
        kwargs.setdefault("supports_check_mode", True)
        kwargs["required_together"] = [*list(kwargs.get("required_together", [])), ["client_id", "client_secret"], ["public_key", "private_key"]]
        self.module = AnsibleModule(argument_spec=spec, **kwargs)
        self.params = self.module.params
        self.check_mode = self.module.check_mode
        if self.params["timeout"] <= 0:
            self.fail("timeout must be a positive number of seconds, got {}".format(self.params["timeout"]))
        if self.params["max_retries"] < 0:
            self.fail("max_retries must be zero or more, got {}".format(self.params["max_retries"]))
        try:
            self.client = AtlasClient(
                base_url=self.params["base_url"],
                client_id=self.params["client_id"],
                client_secret=self.params["client_secret"],
                public_key=self.params["public_key"],
                private_key=self.params["private_key"],
                timeout=self.params["timeout"],
                max_retries=self.params["max_retries"],
                validate_certs=self.params["validate_certs"],
            )
        except AtlasError as exc:
            self.fail(str(exc))
        self._project = None

    def fail(self, msg, **kwargs):
        self.module.fail_json(msg=msg, **kwargs)

    def exit(self, **kwargs):
        self.module.exit_json(**kwargs)

    def project_id(self):
        """Resolve project_id, looking the project up by name when project_name was given."""
        if self.params.get("project_id"):
            return self.params["project_id"]
        if self._project is None:
            name = self.params["project_name"]
            project = self.client.call_or_none("getGroupByName", ("GROUP_NAME_NOT_FOUND",), groupName=name)
            if project is None:
                self.fail(f"Atlas project {name!r} was not found (or the credentials cannot see it)")
            self._project = project
        return self._project["id"]

    def run(self, func):
        """Run the module body; turn any Atlas failure into fail_json with one readable line."""
        try:
            func(self)
        except AtlasError as exc:
            self.fail(str(exc), **exc.to_dict())
        except Exception as exc:  # a module must answer with fail_json, never a traceback
            self.fail(
                "unexpected error in {}: {}: {}".format(self.module._name, type(exc).__name__, " ".join(str(exc).split())),
                exception=traceback.format_exc(),
            )


def to_snake(data):
    """Atlas camelCase dicts to the snake_case the modules return."""
    if data is None:
        return None
    if isinstance(data, list):
        return [to_snake(item) for item in data]
    snake = camel_dict_to_snake_dict(data)
    # camel_dict_to_snake_dict turns "mongoDBMajorVersion" into "mongo_db_major_version"; use the product name.
    fixes = {
        "mongo_db_major_version": "mongodb_major_version",
        "mongo_db_version": "mongodb_version",
        "mongo_db_employee_access_grant": "mongodb_employee_access_grant",
    }
    return _rename_keys(snake, fixes)


def _rename_keys(data, fixes):
    if isinstance(data, dict):
        return {fixes.get(k, k): _rename_keys(v, fixes) for k, v in data.items()}
    if isinstance(data, list):
        return [_rename_keys(item, fixes) for item in data]
    return data


def strip_links(data):
    """Drop the HATEOAS ``links`` arrays Atlas adds to every object; they are noise in module results."""
    if isinstance(data, dict):
        return {k: strip_links(v) for k, v in data.items() if k != "links"}
    if isinstance(data, list):
        return [strip_links(item) for item in data]
    return data


def values_equal(desired, current):
    if isinstance(desired, bool) or isinstance(current, bool):
        return desired is current or (desired == current and type(desired) is type(current))
    if isinstance(desired, (int, float)) and isinstance(current, (int, float)):
        return float(desired) == float(current)
    return desired == current


def is_subset(desired, current):
    """True when every value the user asked for is already present in the current object."""
    if isinstance(desired, dict):
        if not isinstance(current, dict):
            return False
        return all(is_subset(v, current.get(k)) for k, v in desired.items())
    if isinstance(desired, list):
        if not isinstance(current, list) or len(desired) != len(current):
            return False
        return all(is_subset(d, c) for d, c in zip(desired, current))
    return values_equal(desired, current)


def deep_merge(current, desired):
    """Return current with desired laid over it (lists merged element by element when lengths match)."""
    if isinstance(desired, dict) and isinstance(current, dict):
        merged = dict(current)
        for key, value in desired.items():
            merged[key] = deep_merge(current.get(key), value)
        return merged
    if isinstance(desired, list) and isinstance(current, list) and len(desired) == len(current):
        return [deep_merge(c, d) for c, d in zip(current, desired)]
    return desired


def tags_to_list(tags):
    return [{"key": str(k), "value": str(v)} for k, v in sorted((tags or {}).items())]


def tags_to_dict(tags):
    return {t.get("key"): t.get("value") for t in tags or [] if isinstance(t, dict)}


def normalize_region(region):
    """Atlas region names: 'eu-west-1' and 'EU_WEST_1' both become 'EU_WEST_1'."""
    if region is None:
        return None
    return str(region).strip().upper().replace("-", "_")
