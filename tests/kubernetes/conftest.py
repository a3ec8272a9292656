"""Fixtures of tests/kubernetes: the Kubernetes steps rendered for every inventory with real platform outputs.

The outputs are those of terraform/stacks/platform applied to moto with the local inventory:
- the molecule scenario `cluster_addons` applies the stack (prepare), converges the step, then runs this
  suite as its verifier with PLATFORM_TEST_OUTPUTS naming a JSON file of `platform_outputs.platform`
  read back from the stack's state, and PLATFORM_TEST_WORK_DIR naming the converge's work folder;
- run on its own (`pytest tests/kubernetes`), the suite starts moto and the Atlas emulator on free ports
  and applies the bootstrap and platform steps itself.

Each inventory (local, dev, staging, prod) is then rendered once per session by the Kubernetes steps
(`playbooks/cluster_addons.yml`, then `playbooks/observability.yml`) into one work folder, in render mode with those
outputs, the offline charts and CRD schemas, in parallel.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
ENVIRONMENTS = ("local", "dev", "staging", "prod")
ANSIBLE_PLAYBOOK = str(Path(sys.executable).parent / "ansible-playbook")
# The Kubernetes steps rendered into one work folder per inventory, in site.yml's order, and a release each
# one renders (present once the step has run).
STEPS = ("cluster_addons", "observability")
STEP_MARKERS = {"cluster_addons": "cluster-secret-store", "observability": "aws-for-fluent-bit"}


def ansible_env(extra: dict | None = None) -> dict:
    env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0"}
    env["PATH"] = os.pathsep.join([str(ROOT / ".tools" / "bin"), str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update(extra or {})
    return env


def playbook(inventory: str, name: str, extra_vars: list[str], env: dict, timeout: int = 900) -> subprocess.CompletedProcess:
    cmd = [ANSIBLE_PLAYBOOK, "-i", str(ROOT / "inventories" / inventory), str(ROOT / "playbooks" / f"{name}.yml")]
    for item in extra_vars:
        cmd += ["-e", item]
    return subprocess.run(cmd, cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=timeout, check=False)


def _apply_platform(tmp_root: Path) -> dict:
    """Start local services on free ports, run the bootstrap and platform steps, return the platform outputs."""
    sys.path.insert(0, str(ROOT / "tests"))
    from local_moto import free_port

    services_env = ansible_env({"PLATFORM_MOTO_PORT": str(free_port()), "PLATFORM_ATLAS_PORT": str(free_port()), "MOTO_IAM_LOAD_MANAGED_POLICIES": "true"})
    services = [sys.executable, str(ROOT / "scripts" / "local_services.py")]
    subprocess.run([*services, "start"], env=services_env, check=True, capture_output=True, text=True)
    try:
        printed = subprocess.run([*services, "env"], env=services_env, check=True, capture_output=True, text=True).stdout
        env = dict(services_env)
        for line in printed.splitlines():
            key, _sep, value = line.removeprefix("export ").partition("=")
            env[key] = value.strip("'\"")
        work = tmp_root / "local-work"
        outputs_file = tmp_root / "platform-outputs.json"
        for step in ("bootstrap", "platform"):
            result = playbook("local", step, [f"platform_work_dir={work}"], env)
            if result.returncode != 0:
                pytest.fail(f"playbooks/{step}.yml failed on moto:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")
        dump = (
            "- hosts: platform\n  gather_facts: false\n  tasks:\n"
            "    - ansible.builtin.include_role: {name: chatbot.platform.terraform_stack}\n"
            "      vars: {terraform_stack_name: platform, terraform_stack_state: outputs}\n"
            f"    - ansible.builtin.copy: {{content: '{{{{ platform_outputs.platform | to_json }}}}', dest: '{outputs_file}', mode: '0600'}}\n"
        )
        dump_playbook = tmp_root / "dump-outputs.yml"
        dump_playbook.write_text(dump)
        result = subprocess.run(
            [ANSIBLE_PLAYBOOK, "-i", str(ROOT / "inventories" / "local"), str(dump_playbook), "-e", f"platform_work_dir={work}"],
            cwd=str(ROOT),
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0:
            pytest.fail(f"reading the platform outputs failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}")
        return json.loads(outputs_file.read_text())
    finally:
        subprocess.run([*services, "stop"], env=services_env, check=False, capture_output=True)


@pytest.fixture(scope="session")
def platform_outputs(tmp_path_factory) -> dict:
    """`platform_outputs.platform` of the platform stack applied to moto with the local inventory."""
    given = os.environ.get("PLATFORM_TEST_OUTPUTS")
    if given:
        return json.loads(Path(given).read_text())
    if shutil.which("terraform") is None:
        pytest.fail("terraform is not on PATH: the platform stack cannot be applied to moto")
    return _apply_platform(tmp_path_factory.mktemp("platform"))


def inventory_vars(env: str) -> dict:
    """group_vars/all of an inventory, merged (values that are templates stay unrendered)."""
    merged: dict = {}
    for path in sorted((ROOT / "inventories" / env / "group_vars" / "all").glob("*.yml")):
        merged.update(yaml.safe_load(path.read_text()) or {})
    return merged


class Rendered:
    """The rendered releases of one inventory: build/<env>/rendered/<release>/{manifests,values}.yaml."""

    def __init__(self, env: str, work_dir: Path, log: str):
        self.env = env
        self.work_dir = work_dir
        self.log = log
        self.inventory = inventory_vars(env)

    def releases(self) -> list[str]:
        found = sorted(p.name for p in (self.work_dir / "rendered").iterdir() if (p / "manifests.yaml").is_file())
        only = getattr(self, "_only", None)
        return [r for r in found if only is None or r in only]

    def only(self, releases) -> Rendered:
        """The same rendering seen through some releases only (the tests of one step)."""
        view = Rendered.__new__(Rendered)
        view.__dict__.update(self.__dict__)
        view._only = set(releases)
        return view

    def docs(self, release: str) -> list[dict]:
        text = (self.work_dir / "rendered" / release / "manifests.yaml").read_text()
        return [d for d in yaml.load_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) if d]

    def values(self, release: str) -> dict:
        return yaml.safe_load((self.work_dir / "rendered" / release / "values.yaml").read_text())

    def all_docs(self) -> list[tuple[str, dict]]:
        return [(release, doc) for release in self.releases() for doc in self.docs(release) if doc.get("kind") != "CustomResourceDefinition"]

    def get(self, release: str, kind: str, name: str) -> dict:
        found = [d for d in self.docs(release) if d["kind"] == kind and d["metadata"]["name"] == name]
        assert len(found) == 1, f"{self.env}: {kind}/{name} in {release}: found {len(found)}"
        return found[0]

    def of_kind(self, kind: str) -> list[tuple[str, dict]]:
        return [(release, doc) for release, doc in self.all_docs() if doc["kind"] == kind]


def _render(env: str, outputs_file: Path, work: Path, steps_done: bool = False) -> tuple[str, Path, str]:
    extra = [f"@{outputs_file}", "platform_k8s_mode=render", f"platform_work_dir={work}"]
    if (SHARED / "charts").is_dir():
        extra.append(json.dumps({"platform_helm_chart_archive_dir": str(SHARED / "charts"), "platform_crd_schema_dirs": [str(SHARED / "crd-schemas")]}))
    log = ""
    for step in STEPS:
        if steps_done and (work / "rendered" / STEP_MARKERS[step]).is_dir():
            continue
        result = playbook(env, step, extra, ansible_env())
        log += result.stdout + result.stderr if result.returncode else result.stdout
        if result.returncode:
            break
    return env, work, log


@pytest.fixture(scope="session")
def rendered(platform_outputs, tmp_path_factory) -> dict[str, Rendered]:
    """Every inventory's cluster add-ons rendered with the real outputs, once per session (in parallel)."""
    root = tmp_path_factory.mktemp("rendered")
    outputs_file = root / "outputs.json"
    outputs_file.write_text(json.dumps({"platform_outputs": {"platform": platform_outputs}}))
    given_work = os.environ.get("PLATFORM_TEST_WORK_DIR")
    found: dict[str, Rendered] = {}
    todo = list(ENVIRONMENTS)
    if given_work and (Path(given_work) / "rendered" / "cluster-base").is_dir():
        # What the molecule converge wrote for the local inventory is checked as it is; the later steps the
        # converge did not run are rendered into the same folder.
        _env, _work, log = _render("local", outputs_file, Path(given_work), steps_done=True)
        found["local"] = Rendered("local", Path(given_work), "(rendered by the molecule converge)\n" + log)
        todo.remove("local")
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for env, work, log in pool.map(lambda e: _render(e, outputs_file, root / e), todo):
            found[env] = Rendered(env, work, log)
    for env, result in found.items():
        for step, marker in STEP_MARKERS.items():
            if not (result.work_dir / "rendered" / marker / "manifests.yaml").is_file():
                pytest.fail(f"rendering step {step} of {env} failed:\n{result.log[-6000:]}")
    return found
