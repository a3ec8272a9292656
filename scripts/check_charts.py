"""Chart checks of `make charts` (and, with --checkov, of `make security`).

For every case below: `helm lint --strict`, `helm template` into build/rendered/charts/<case>.yaml,
then `kubernetes-validate --strict` for the Kubernetes version the platform runs (platform_eks_version
of the prod inventory) and scripts/validate_crds.py for the custom resources.

Cases: the umbrella chart with values-<env>.yaml and images-<env>.yaml for dev, staging and prod (plus the Terraform
outputs the Argo CD root Application passes, tests/charts/fixtures/platform-outputs.yaml); every
charts/chatbot/ci/*-values.yaml scenario; every subchart alone with its ci/*-values.yaml.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CHART = ROOT / "charts" / "chatbot"
OUT = ROOT / "build" / "rendered" / "charts"
OUTPUTS_FIXTURE = ROOT / "tests" / "charts" / "fixtures" / "platform-outputs.yaml"
RELEASE, NAMESPACE = "chatbot", "chatbot"
ENVIRONMENTS = ("dev", "staging", "prod")


def kubernetes_version() -> str:
    main = yaml.safe_load((ROOT / "inventories" / "prod" / "group_vars" / "all" / "main.yml").read_text())
    return str(main["platform_eks_version"])


def cases() -> list[tuple[str, Path, list[Path]]]:
    found = [(f"env-{env}", CHART, [CHART / f"values-{env}.yaml", CHART / f"images-{env}.yaml", OUTPUTS_FIXTURE]) for env in ENVIRONMENTS]
    found += [(f"ci-{p.name.removesuffix('-values.yaml')}", CHART, [p]) for p in sorted((CHART / "ci").glob("*-values.yaml"))]
    for sub in sorted((CHART / "charts").iterdir()):
        for p in sorted((sub / "ci").glob("*-values.yaml")):
            found.append((f"{sub.name}-{p.name.removesuffix('-values.yaml')}", sub, [p]))
    return found


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)


def render_all(version: str) -> list[Path]:
    """Lint and render every case; exit 1 with helm's message on the first failure."""
    helm = shutil.which("helm")
    if helm is None:
        sys.exit("charts: FAILED - helm is not on PATH (make setup installs it into .tools/bin); nothing was checked")
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    rendered = []
    for name, chart, values in cases():
        flags = [arg for v in values for arg in ("-f", str(v))]
        lint = run([helm, "lint", "--strict", str(chart), "--namespace", NAMESPACE, "--kube-version", version, *flags])
        if lint.returncode != 0:
            print(f"charts: {name}: helm lint FAILED\n{lint.stdout}{lint.stderr}")
            sys.exit(1)
        tpl = run([helm, "template", RELEASE, str(chart), "--namespace", NAMESPACE, "--kube-version", version, *flags])
        if tpl.returncode != 0:
            print(f"charts: {name}: helm template FAILED\n{tpl.stderr}")
            sys.exit(1)
        path = OUT / f"{name}.yaml"
        path.write_text(tpl.stdout)
        kinds = sum(1 for d in yaml.safe_load_all(tpl.stdout) if d)
        print(f"charts: {name}: lint clean, {kinds} resources -> {path.relative_to(ROOT)}")
        rendered.append(path)
    return rendered


def validate(files: list[Path], version: str) -> None:
    kv = run([sys.executable, "-m", "kubernetes_validate", "--strict", "--quiet", "-k", version, *map(str, files)])
    if kv.returncode != 0:
        print(f"charts: kubernetes-validate --strict -k {version} FAILED\n{kv.stdout}{kv.stderr}")
        sys.exit(1)
    print(f"charts: kubernetes-validate --strict -k {version}: {len(files)} files valid")
    crd = run([sys.executable, str(ROOT / "scripts" / "validate_crds.py"), "--allow-missing-schemas", *map(str, files)])
    print(crd.stdout.rstrip())
    if crd.returncode != 0:
        print(f"charts: CRD schema validation FAILED\n{crd.stderr}")
        sys.exit(1)


def checkov(files: list[Path]) -> None:
    binary = os.environ.get("CHECKOV_BIN") or shutil.which("checkov")
    if not binary or not Path(binary).exists():
        sys.exit("charts: FAILED - checkov is not installed (make setup installs it into .venv-checkov)")
    env = {**os.environ, "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "BC_SKIP_MAPPING": "TRUE"}
    cmd = [binary, "--skip-download", "--quiet", "--compact", "--framework", "kubernetes", "--output", "cli"]
    cmd += [arg for f in files for arg in ("-f", str(f))]
    # Suppressions sit on the resources themselves (checkov.io/skipN annotations with their reasons).
    result = run(cmd, env=env)
    print(result.stdout.rstrip())
    if result.returncode != 0:
        print(f"charts: checkov FAILED on the rendered manifests\n{result.stderr}")
        sys.exit(1)
    print(f"charts: checkov clean on {len(files)} rendered files")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkov", action="store_true", help="render, then run checkov on the rendered manifests")
    args = parser.parse_args()
    start = time.monotonic()
    version = kubernetes_version()
    files = render_all(version)
    if args.checkov:
        checkov(files)
    else:
        validate(files, version)
    print(f"charts: {len(files)} cases checked in {time.monotonic() - start:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
