#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to chatbot.platform
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: gitops_images
short_description: Set the image digests (and release tag) of one environment in the GitOps tree's image file
version_added: 0.1.0
description:
  - Edits an environment's image file, C(charts/chatbot/images-<env>.yaml), which maps each component to
    C(image.digest) (what runs, the chart renders C(repository@digest)) and C(image.tag) (the release that digest was
    built or promoted as). This is the one file the image pipeline and C(playbooks/promote.yml) change to deploy.
  - Only the values of the C(digest:) and C(tag:) lines of the listed components change. Comments, blank lines,
    key order, indentation and quoting stay as they are, so the commit is a diff of the changed lines only.
  - A value in O(digests) that is a tag (for example V(dev-1.4.0) or V(latest)) is refused, as is a malformed digest, a
    digest given as O(tag), a component the file does not list, and a component without a C(digest:) or C(tag:) line.
    Every error is one line that names the option or the file and line; the file is then left untouched.
  - The edited text is parsed again and must equal the old data with exactly the requested values set, with every
    component pinned by a well-formed digest; otherwise the module fails without writing.
  - When every value is already set, nothing is written and the result is unchanged.
author:
  - chatbot.platform maintainers (@chatbot-platform)
requirements:
  - PyYAML
options:
  path:
    description:
      - The image file, for example C(charts/chatbot/images-dev.yaml). It must exist.
    type: path
    required: true
  digests:
    description:
      - Map from component (a top-level key of the file, for example V(backend)) to its image digest,
        V(sha256:) followed by 64 lowercase hex digits.
      - Components of the file not listed here are left as they are.
    type: dict
    required: true
  tag:
    description:
      - The release tag the digests were pushed or promoted as, for example V(dev-v1.0.0-alpha.10) or V(staging-1.4.0),
        written to C(image.tag) of every component in O(digests). Left as it is when omitted.
    type: str
attributes:
  check_mode:
    support: full
    description: Validates and computes the edit, and reports what would change without writing.
  diff_mode:
    support: full
    description: Shows the file before and after.
seealso:
  - module: chatbot.platform.ecr_image
"""

EXAMPLES = r"""
- name: Deploy the gated builds to dev (the image pipeline, .github/workflows/images.yml)
  chatbot.platform.gitops_images:
    path: charts/chatbot/images-dev.yaml
    digests:
      frontend: sha256:91897821b3b75d1827f30dce66d34f9a481183c09d9d7dc62afca146fbf7bf36
      backend: sha256:b4d3f529898499af719242af0290eea02d501c6d55e2e83776a6cd89baa594da
    tag: dev-v1.0.0-alpha.10

- name: Write what the ECR role promoted into the staging image file (playbooks/promote.yml)
  chatbot.platform.gitops_images:
    path: charts/chatbot/images-staging.yaml
    digests: "{{ ecr_promoted_images }}"
    tag: "staging-{{ ecr_promote_version }}"
"""

RETURN = r"""
path:
  description: The image file.
  returned: always
  type: str
  sample: charts/chatbot/images-dev.yaml
images:
  description: Every component of the file with its tag and digest after the change (in check mode, as they would be).
  returned: success
  type: dict
  sample: {backend: {image: {tag: dev-v1.0.0-alpha.10, digest: "sha256:b4d3..."}}}
changes:
  description: Each value that changed (or would change in check mode), with the value before.
  returned: success
  type: list
  elements: dict
  sample: [{image: backend, field: digest, before: "sha256:0d1e...", after: "sha256:b4d3..."}]
"""

import os
import tempfile

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.chatbot.platform.plugins.module_utils._gitops.images import GitopsImagesError, update, verify

try:
    import yaml

    HAS_YAML = True
except ImportError:
    HAS_YAML = False


def load(text, path):
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else path
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise GitopsImagesError(f"{where}: {problem}") from None


def run(params, check_mode=False):
    """Compute the edit and write it unless in check mode; returns (result, before, after). Raises GitopsImagesError or OSError."""
    path = params["path"]
    if not os.path.isfile(path):
        raise GitopsImagesError(f"path {path} does not exist or is not a file")
    with open(path, encoding="utf-8", newline="") as handle:
        before = handle.read()
    old_data = load(before, path)
    if not isinstance(old_data, dict):
        raise GitopsImagesError(f"{path} is not a mapping of components to their image")
    digests = {str(name): "" if value is None else str(value).strip() for name, value in (params["digests"] or {}).items()}
    tag = None if params.get("tag") is None else params["tag"].strip()
    after, changes = update(before, digests, tag, path)
    data = verify(old_data, load(after, path), digests, tag, path)
    if changes and not check_mode:
        write(path, after)
    return {"changed": bool(changes), "path": path, "images": data, "changes": changes}, before, after


def write(path, text):
    """Replace the file atomically, keeping its permissions."""
    folder = os.path.dirname(os.path.abspath(path))
    mode = os.stat(path).st_mode & 0o7777
    fd, temp = tempfile.mkstemp(prefix=".gitops_images.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path", required=True),
            digests=dict(type="dict", required=True),
            tag=dict(type="str"),
        ),
        supports_check_mode=True,
    )
    if not HAS_YAML:
        module.fail_json(msg=missing_required_lib("PyYAML"))
    try:
        result, before, after = run(module.params, module.check_mode)
    except GitopsImagesError as exc:
        module.fail_json(msg=str(exc), path=module.params["path"])
    except (OSError, UnicodeDecodeError) as exc:
        module.fail_json(msg=f"gitops_images: {module.params['path']}: {exc}", path=module.params["path"])
    if module._diff and result["changed"]:
        result["diff"] = {"before_header": result["path"], "after_header": result["path"], "before": before, "after": after}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
