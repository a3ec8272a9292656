"""Render the chatbot chart with helm for the assertions in tests/charts."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "charts" / "chatbot"
OUTPUTS = Path(__file__).parent / "fixtures" / "platform-outputs.yaml"
MINIMAL = CHART / "ci" / "minimal-values.yaml"


class RenderError(Exception):
    pass


class Manifests(list):
    """Rendered documents with lookups by kind and name."""

    def of(self, kind):
        return [d for d in self if d["kind"] == kind]

    def get(self, kind, name):
        found = [d for d in self if d["kind"] == kind and d["metadata"]["name"] == name]
        assert found, f"{kind}/{name} not rendered; have {[(d['kind'], d['metadata']['name']) for d in self]}"
        return found[0]

    def pod_specs(self):
        """(owner, pod spec) of every workload."""
        for d in self:
            if d["kind"] in ("Deployment", "StatefulSet", "Job"):
                yield f"{d['kind']}/{d['metadata']['name']}", d["spec"]["template"]["spec"]


def _helm():
    helm = shutil.which("helm")
    if helm is None:
        pytest.fail("helm is not on PATH (make setup installs it into .tools/bin)")
    return helm


def render(*values: Path, chart: Path = CHART, sets: dict | None = None) -> Manifests:
    cmd = [_helm(), "template", "chatbot", str(chart), "--namespace", "chatbot"]
    for v in values:
        cmd += ["-f", str(v)]
    for key, value in (sets or {}).items():
        cmd += ["--set-json", f"{key}={json.dumps(value)}"]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RenderError(result.stderr)
    return Manifests(d for d in yaml.safe_load_all(result.stdout) if d)


@pytest.fixture(scope="session")
def envs():
    """The three environments as the Argo CD Applications render them."""
    return {env: render(CHART / f"values-{env}.yaml", CHART / f"images-{env}.yaml", OUTPUTS) for env in ("dev", "staging", "prod")}
