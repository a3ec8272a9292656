"""Fixtures of tests/kubernetes: the Kubernetes steps rendered for every inventory with real platform outputs.

The outputs are those of terraform/stacks/platform applied to moto with the local inventory:
- the molecule scenario `cluster_addons` applies the stack (prepare), converges the step, then runs this
  suite as its verifier with PLATFORM_TEST_OUTPUTS naming a JSON file of `platform_outputs.platform`
  read back from the stack's state, and PLATFORM_TEST_WORK_DIR naming the converge's work folder;
- run on its own (`pytest tests/kubernetes`), the suite starts moto and the Atlas emulator on free ports
  and applies the bootstrap and platform steps itself.

Each inventory (local, dev, staging, prod) is then rendered once per session by the Kubernetes steps in order
(`playbooks/cluster_addons.yml`, `argocd.yml`, `chatbot.yml`, `observability.yml`) into one work folder, in render mode
with those outputs, the offline charts and CRD schemas, in parallel. moto's stack has no ACM certificate (no DNS zone
to validate one in), the AWS inventories' stacks have: their renders get `certificate_arn` in ACM's ARN format
(ACM_CERTIFICATE_ARN), so the ArgoCD Ingress is rendered and checked there, and left out for local as the step does
without a certificate.
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


# Parsed renders, by file and its size and modification time: the tests read the same manifests (CRDs of several
# megabytes among them) hundreds of times, and parsing them again each time was most of this suite's time. The
# documents are shared between tests: read them, never change them.
_PARSED: dict[tuple[str, int, int, bool], object] = {}


def _parsed(path: Path, all_docs: bool):
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns, all_docs)
    if key not in _PARSED:
        text = path.read_text()
        if all_docs:
            _PARSED[key] = tuple(d for d in yaml.load_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) if d)
        else:
            _PARSED[key] = yaml.safe_load(text)
    return _PARSED[key]


class Rendered:
    """The rendered releases of one inventory: build/<env>/rendered/<release>/{manifests,values}.yaml."""

    def __init__(self, env: str, work_dir: Path, log: str, only: tuple[str, ...] | None = None):
        self.env = env
        self.work_dir = work_dir
        self.log = log
        self.inventory = inventory_vars(env)
        self.only = only

    def releases(self) -> list[str]:
        found = sorted(p.name for p in (self.work_dir / "rendered").iterdir() if (p / "manifests.yaml").is_file())
        return [r for r in found if self.only is None or r in self.only]

    def of_step(self, releases: list[str]) -> Rendered:
        """The same render seen through one step's releases (each step's tests check their own)."""
        return Rendered(self.env, self.work_dir, self.log, tuple(releases))

    def docs(self, release: str) -> list[dict]:
        return list(_parsed(self.work_dir / "rendered" / release / "manifests.yaml", all_docs=True))

    def values(self, release: str) -> dict:
        return _parsed(self.work_dir / "rendered" / release / "values.yaml", all_docs=False)

    def all_docs(self) -> list[tuple[str, dict]]:
        return [(release, doc) for release in self.releases() for doc in self.docs(release) if doc.get("kind") != "CustomResourceDefinition"]

    def get(self, release: str, kind: str, name: str) -> dict:
        found = [d for d in self.docs(release) if d["kind"] == kind and d["metadata"]["name"] == name]
        assert len(found) == 1, f"{self.env}: {kind}/{name} in {release}: found {len(found)}"
        return found[0]

    def of_kind(self, kind: str) -> list[tuple[str, dict]]:
        return [(release, doc) for release, doc in self.all_docs() if doc["kind"] == kind]


# An ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<uuid>) for the inventories whose real stack has
# one (edge.domain_name): the stack applied to moto with the local inventory has none.
ACM_CERTIFICATE_ARN = "arn:aws:acm:{region}:{account}:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
# The steps after the add-ons, each with the release it renders, run into the same work folder in order.
LATER_STEPS = {"argocd": "argocd", "chatbot": "chatbot-gitops", "observability": "aws-for-fluent-bit"}


def stack_outputs(env: str, platform_outputs: dict) -> dict:
    """The platform outputs an inventory's render gets: moto's, plus a certificate where the inventory's stack has one."""
    outputs = dict(platform_outputs)
    if env != "local":
        outputs["certificate_arn"] = ACM_CERTIFICATE_ARN.format(region=outputs["region"], account=inventory_vars(env)["platform_accounts"][env])
    return outputs


def _render_vars(env: str, outputs_file: Path, work: Path) -> list[str]:
    outputs = json.loads(outputs_file.read_text())
    outputs["platform_outputs"]["platform"] = stack_outputs(env, outputs["platform_outputs"]["platform"])
    env_outputs = outputs_file.parent / f"outputs-{env}.json"
    env_outputs.write_text(json.dumps(outputs))
    extra = [f"@{env_outputs}", "platform_k8s_mode=render", f"platform_work_dir={work}"]
    if (SHARED / "charts").is_dir():
        extra.append(json.dumps({"platform_helm_chart_archive_dir": str(SHARED / "charts"), "platform_crd_schema_dirs": [str(SHARED / "crd-schemas")]}))
    return extra


def _render_steps(env: str, steps: list[str], outputs_file: Path, work: Path) -> str:
    """Run the steps in order into one work folder; stop at the first that fails. Returns their output."""
    extra = _render_vars(env, outputs_file, work)
    log = ""
    for step in steps:
        result = playbook(env, step, extra, ansible_env())
        log += result.stdout + (result.stderr if result.returncode else "")
        if result.returncode:
            break
    return log


def _render(env: str, outputs_file: Path, work: Path) -> tuple[str, Path, str]:
    return env, work, _render_steps(env, ["cluster_addons", *LATER_STEPS], outputs_file, work)


@pytest.fixture(scope="session")
def rendered(platform_outputs, tmp_path_factory) -> dict[str, Rendered]:
    """Every inventory's Kubernetes steps (6-8) rendered with the real outputs, once per session (in parallel)."""
    root = tmp_path_factory.mktemp("rendered")
    outputs_file = root / "outputs.json"
    outputs_file.write_text(json.dumps({"platform_outputs": {"platform": platform_outputs}}))
    given_work = os.environ.get("PLATFORM_TEST_WORK_DIR")
    found: dict[str, Rendered] = {}
    todo = list(ENVIRONMENTS)
    if given_work and (Path(given_work) / "rendered" / "cluster-base").is_dir():
        # What the molecule converge wrote for the local inventory is checked as it is; a later step it did not
        # converge is rendered into its work folder here.
        missing = [step for step, release in LATER_STEPS.items() if not (Path(given_work) / "rendered" / release).is_dir()]
        log = "(rendered by the molecule converge)\n" + (_render_steps("local", missing, outputs_file, Path(given_work)) if missing else "")
        found["local"] = Rendered("local", Path(given_work), log)
        todo.remove("local")
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for env, work, log in pool.map(lambda e: _render(e, outputs_file, root / e), todo):
            found[env] = Rendered(env, work, log)
    for env, result in found.items():
        for step, release in {"cluster_addons": "cluster-secret-store", **LATER_STEPS}.items():
            if not (result.work_dir / "rendered" / release / "manifests.yaml").is_file():
                pytest.fail(f"rendering step {step} of {env} failed:\n{result.log[-6000:]}")
    return found
