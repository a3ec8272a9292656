"""Every terraform/modules/<name>/README.md is what scripts/terraform_docs.py makes of the module today.

A variable, output, leading main.tf comment or test value changed without running the script leaves the
README stale; this fails then and names the command that brings it up to date.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest
from tf_helpers import ROOT

_spec = importlib.util.spec_from_file_location("terraform_docs", ROOT / "scripts" / "terraform_docs.py")
terraform_docs = importlib.util.module_from_spec(_spec)
sys.modules["terraform_docs"] = terraform_docs
_spec.loader.exec_module(terraform_docs)

MODULES = sorted(p.parent for p in terraform_docs.MODULES.glob("*/main.tf"))


@pytest.mark.parametrize("module", MODULES, ids=[m.name for m in MODULES])
def test_readme_is_current(module):
    readme = module / "README.md"
    assert readme.exists(), f"{module.name} has no README.md: run python scripts/terraform_docs.py"
    assert readme.read_text() == terraform_docs.render(module), f"{readme.relative_to(ROOT)} is stale: run python scripts/terraform_docs.py"


def test_the_readme_lists_every_input_and_output():
    text = (terraform_docs.MODULES / "bucket" / "README.md").read_text()
    for name in ("name", "kms_key_arn", "attach_policy", "noncurrent_versions_to_keep"):
        assert f"| `{name}` |" in text
    assert "| `arn` | Bucket ARN. |" in text
    assert 'module "bucket" {' in text and 'source = "../../modules/bucket"' in text
