"""charts/chatbot/README.md documents every value a user can set."""

from __future__ import annotations

import pytest
import yaml

from .conftest import CHART

README = (CHART / "README.md").read_text()


def leaves(node, prefix=""):
    for key, value in node.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            yield from leaves(value, f"{path}.")
        else:
            yield path


@pytest.mark.parametrize(
    ("values", "prefix"), [("values.yaml", "")] + [(f"charts/{c}/values.yaml", f"{c}.") for c in ("frontend", "backend", "gateway", "mongodb")]
)
def test_every_value_is_in_the_readme(values, prefix):
    data = yaml.safe_load((CHART / values).read_text())
    data.pop("global", None)
    missing = [key for key in leaves(data, prefix) if f"`{key}`" not in README]
    assert not missing, f"add these keys of {values} to charts/chatbot/README.md: {missing}"
