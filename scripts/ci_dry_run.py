"""The image pipeline's AWS half, run locally against moto (make ci-dry-run; tests/functional/ecr/test_ci_dry_run.py).

What .github/workflows/images.yml and promote.yml run after their Docker steps, with the same playbooks and modules:

1. playbooks/ecr.yml makes the ECR repositories (the shared-services step that exists before any build);
2. a manifest per built image (frontend, backend) is registered under dev-<version>, the way the ECR functional tests
   seed images (PutImage of a manifest: the last call of a registry push; moto keeps no layers, there is no Docker here);
3. playbooks/images.yml: the pushed digest behind dev-<version>, ECR's scan through the local inventory's gate, the
   dev pointer, and the digests written into charts/chatbot/images-dev.yaml of a temporary copy of the GitOps tree;
4. playbooks/promote.yml into staging: the digests images-dev.yaml of that copy names, gated again and re-tagged
   staging-<version> (no layer moves), and written into its images-staging.yaml.

    python scripts/ci_dry_run.py --endpoint https://127.0.0.1:4566 [--version v0.0.0-dry-run] [--workdir DIR]

The endpoint is a running moto server (scripts/ci_dry_run.sh starts one with scripts/local_services.py). Prints what
each step did and a diff of each image file; exits non-zero when a step fails or the result is not what the
pipeline must produce.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import boto3
import yaml

ROOT = Path(__file__).resolve().parent.parent
# The seeding helpers the ECR functional tests use, and their playbook runner: one way to run a playbook.
sys.path[:0] = [str(ROOT / "tests" / "functional" / "ecr"), str(ROOT / "tests" / "functional")]
from ecr_helpers import push_image  # noqa: E402
from module_runner import playbook_failures, run_playbook  # noqa: E402

# What images.yml builds from the upstream source (the gateway image is not built by the pipeline).
BUILT = ("frontend", "backend")
REGION = "eu-west-1"  # the local inventory's platform_region


class DryRunError(Exception):
    pass


def check_image_file(path: Path, env_name: str, version: str, digests: dict) -> dict:
    """The image file of the copy, parsed, after checking it names each digest with the release tag <env>-<version>."""
    images = yaml.safe_load(path.read_text())
    for name, digest in digests.items():
        if images[name]["image"] != {"tag": f"{env_name}-{version}", "digest": digest}:
            raise DryRunError(f"images-{env_name}.yaml of the copy has {name} {images[name]['image']}, expected {env_name}-{version} @ {digest}")
    return images


def playbook(name, *extra, env):
    """ansible-playbook on the local inventory, run the way the functional tests run it; returns the stats of localhost."""
    try:
        data, proc = run_playbook(name, *extra, env=env)
    except AssertionError as exc:  # the runner's word for "no JSON report"
        raise DryRunError(f"{name}: {str(exc).strip()[-2000:]}") from None
    stats = data["stats"]["localhost"]
    if stats["failures"] or stats["unreachable"]:
        raise DryRunError(f"{name} failed: {' | '.join(playbook_failures(data)) or proc.stderr.strip()[-2000:]}")
    return stats


def copy_gitops_tree(workdir: Path) -> Path:
    """The parts of the GitOps tree the pipeline edits (charts/chatbot) and reads (argocd/), copied into workdir."""
    tree = workdir / "gitops"
    shutil.rmtree(tree, ignore_errors=True)
    for part in ("charts/chatbot", "argocd"):
        shutil.copytree(ROOT / part, tree / part, ignore=shutil.ignore_patterns("*.tgz"))
    return tree


def file_diff(before: str, after: str, name: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True), f"a/{name}", f"b/{name}"))


def run(endpoint: str, workdir: Path, version: str = "v0.0.0-dry-run", log=print, before_gate=None) -> dict:
    """The whole dry run against the moto server at endpoint; returns what it produced. Raises DryRunError.

    ``before_gate(ecr_client, digests)`` runs between the push and the gate (the tests seed scan findings there).
    """
    env = dict(os.environ, PLATFORM_AWS_ENDPOINT_URL=endpoint, AWS_ENDPOINT_URL=endpoint, AWS_REGION=REGION, AWS_DEFAULT_REGION=REGION)
    env.setdefault("AWS_ACCESS_KEY_ID", "testing")
    env.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    ecr = boto3.client(
        "ecr", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"]
    )
    tree = copy_gitops_tree(workdir)
    dev_file = tree / "charts" / "chatbot" / "images-dev.yaml"
    staging_file = tree / "charts" / "chatbot" / "images-staging.yaml"
    before = {"dev": dev_file.read_text(), "staging": staging_file.read_text()}

    log("ci-dry-run: 1/4 playbooks/ecr.yml: the ECR repositories")
    # Only the repositories: the step's OIDC roles (terraform/stacks/ci) need a state bucket, which moto does not hold
    # here; nothing the workflows run after the build touches them (tests/terraform/test_ci_moto.py applies them).
    playbook("ecr.yml", "-e", "platform_ci_enabled=false", env=env)

    log(f"ci-dry-run: 2/4 a manifest per built image under dev-{version} (what the images workflow's push leaves)")
    digests = {name: push_image(ecr, f"chatbot/{name}", f"dev-{version}", f"ci-dry-run-{name}-{version}") for name in BUILT}
    for name, digest in digests.items():
        log(f"  chatbot/{name}:dev-{version} -> {digest}")

    if before_gate is not None:
        before_gate(ecr, digests)

    log("ci-dry-run: 3/4 playbooks/images.yml: gate, dev pointer, images-dev.yaml of the copy")
    stats = playbook(
        "images.yml",
        "-e",
        json.dumps({"images_version": version, "images_digests": digests, "gitops_images_file": str(dev_file)}),
        env=env,
    )
    log(f"  changed={stats['changed']}")
    dev = check_image_file(dev_file, "dev", version, digests)

    log("ci-dry-run: 4/4 playbooks/promote.yml into staging: the digests images-dev.yaml names, images-staging.yaml of the copy")
    stats = playbook(
        "promote.yml",
        "-e",
        json.dumps(
            {
                "ecr_promote_target_env": "staging",
                "ecr_promote_version": version,
                "ecr_promote_repositories": list(BUILT),
                "gitops_source_images_file": str(dev_file),
                "gitops_images_file": str(staging_file),
            }
        ),
        env=env,
    )
    log(f"  changed={stats['changed']}")
    staging = check_image_file(staging_file, "staging", version, digests)
    for name, digest in digests.items():
        for tag in (f"staging-{version}", "staging", "dev"):
            found = ecr.describe_images(repositoryName=f"chatbot/{name}", imageIds=[{"imageTag": tag}])["imageDetails"][0]["imageDigest"]
            if found != digest:
                raise DryRunError(f"chatbot/{name}:{tag} points to {found}, expected {digest}")

    diffs = {
        env_name: file_diff(before[env_name], path.read_text(), f"charts/chatbot/images-{env_name}.yaml")
        for env_name, path in (("dev", dev_file), ("staging", staging_file))
    }
    for text in diffs.values():
        log(text.rstrip())
    return {"digests": digests, "tree": tree, "dev": dev, "staging": staging, "diffs": diffs}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", default=os.environ.get("PLATFORM_AWS_ENDPOINT_URL"), help="moto server URL (default: PLATFORM_AWS_ENDPOINT_URL)")
    parser.add_argument("--version", default="v0.0.0-dry-run", help="the release the images are tagged as (dev-<version>, staging-<version>)")
    parser.add_argument("--workdir", help="where the copy of the GitOps tree goes (default: a temporary folder, removed afterwards)")
    args = parser.parse_args(argv)
    if not args.endpoint:
        parser.error("give --endpoint or set PLATFORM_AWS_ENDPOINT_URL (scripts/ci_dry_run.sh starts moto and sets it)")
    try:
        if args.workdir:
            Path(args.workdir).mkdir(parents=True, exist_ok=True)
            run(args.endpoint, Path(args.workdir), args.version)
        else:
            with tempfile.TemporaryDirectory(prefix="ci-dry-run-") as workdir:
                run(args.endpoint, Path(workdir), args.version)
    except DryRunError as exc:
        print(f"ci-dry-run: FAILED: {exc}", file=sys.stderr)
        return 1
    print("ci-dry-run: done: built images gated and deployed to dev, then promoted to staging by digest (copy of the tree only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
