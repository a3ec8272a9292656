"""Hold plugins/module_utils/_k8s/pod_security.py against the upstream Pod Security admission fixtures.

k8s.io/pod-security-admission keeps generated pods under test/testdata/<level>/v1.<minor>/{pass,fail}/
(written by its TestFixtures): every pass pod must be allowed at that level and version, every fail pod
must be refused, by the check the fixture is named after or by the restricted check that replaces it.
This script reads them straight from a git clone of that repository (bare or not; nothing is copied into
the project), evaluates each pod with the collection's evaluator and prints a table per version and level.
It also evaluates the newest version's fixtures as "latest" and inside every workload kind's pod template.

    .venv/bin/python scripts/check_pod_security_upstream.py [--repo PATH] [--rev REV] [--min-version 1.25]

The repository defaults to $PSA_UPSTREAM_REPO or /work/.mirror/kubernetes+pod-security-admission/repo.
Exit status: 0 when every fixture agrees, 1 on any disagreement, 2 when the repository or its fixtures
cannot be read.
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
MODULE_PATH = ROOT / "plugins" / "module_utils" / "_k8s" / "pod_security.py"
DEFAULT_REPO = "/work/.mirror/kubernetes+pod-security-admission/repo"
FIXTURE_ROOT = "test/testdata"
FIXTURE_PATH = re.compile(r"test/testdata/(baseline|restricted)/v1\.(\d+)/(pass|fail)/([^/]+)\.yaml")
FIXTURE_NAME = re.compile(r"(.*?)(\d*)")
# The minimal valid pods every version has; they belong to no check.
BASE_FIXTURES = ("base", "base_linux", "base_windows")
LEVELS = ("baseline", "restricted")

try:
    YamlLoader = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml
    YamlLoader = yaml.SafeLoader


class UpstreamError(Exception):
    """The upstream repository or its fixtures cannot be read."""


def upstream_repo():
    return os.environ.get("PSA_UPSTREAM_REPO") or DEFAULT_REPO


def load_evaluator(path=MODULE_PATH):
    """The evaluator loaded from its file, outside any collection."""
    spec = importlib.util.spec_from_file_location("chatbot_platform_pod_security", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def _git(repo, *args, stdin=None):
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True, check=False)
    except OSError as exc:
        raise UpstreamError(f"cannot run git: {exc}") from exc
    if done.returncode != 0:
        raise UpstreamError(f"git {' '.join(args)} in {repo}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def load_fixtures(repo, rev="HEAD"):
    """(commit, {(level, minor): [(expect, name, pod)]}) read from the repository at rev, each blob parsed once."""
    commit = _git(repo, "rev-parse", "--verify", f"{rev}^{{commit}}").decode().strip()
    listing = _git(repo, "ls-tree", "-r", "-z", commit, "--", FIXTURE_ROOT)
    entries = []
    for line in listing.decode().split("\0"):
        if not line:
            continue
        meta, path = line.split("\t", 1)
        match = FIXTURE_PATH.fullmatch(path)
        if match:
            level, minor, expect, name = match.groups()
            entries.append((level, int(minor), expect, name, meta.split()[2]))
    if not entries:
        raise UpstreamError(f"no fixtures under {FIXTURE_ROOT} at {commit} in {repo}")
    blobs = sorted({entry[4] for entry in entries})
    raw = _git(repo, "cat-file", "--batch", stdin="".join(f"{blob}\n" for blob in blobs).encode())
    parsed, offset = {}, 0
    for _blob in blobs:
        header_end = raw.index(b"\n", offset)
        oid, _type, size = raw[offset:header_end].decode().split()
        start = header_end + 1
        parsed[oid] = yaml.load(raw[start : start + int(size)], Loader=YamlLoader)  # noqa: S506 - a safe loader
        offset = start + int(size) + 1
    fixtures = {}
    for level, minor, expect, name, blob in sorted(entries):
        fixtures.setdefault((level, minor), []).append((expect, name, parsed[blob]))
    return commit, fixtures


def _acceptable_checks(evaluator, check_id, minor):
    """The check a fail fixture is named after, and the restricted checks that replace it at that version."""
    accepted = {check_id}
    for check in evaluator.CHECKS:
        revisions = [revision for revision in check.revisions if revision[0] <= minor]
        if revisions and check_id in revisions[-1][2]:
            accepted.add(check.id)
    return accepted


def judge(evaluator, level, version, expect, name, violations):
    """None when the evaluator agrees with the fixture, else why not."""
    if name in BASE_FIXTURES:
        check_id = None
    else:
        prefix = FIXTURE_NAME.fullmatch(name).group(1)
        known = {check.id.lower(): check.id for check in evaluator.CHECKS}
        if prefix not in known:
            return f"upstream fixture for a check this evaluator does not have ({prefix})"
        check_id = known[prefix]
    found = sorted({violation.check for violation in violations})
    if expect == "pass":
        return f"refused by {', '.join(found)}" if found else None
    if not found:
        return "allowed"
    if check_id is not None and not _acceptable_checks(evaluator, check_id, evaluator.parse_version(version)) & set(found):
        return f"refused by {', '.join(found)}, not by {check_id}"
    return None


def _controller(kind, pod):
    """The fixture pod as the pod template of a workload of this kind."""
    template = {"metadata": copy.deepcopy(pod.get("metadata") or {}), "spec": copy.deepcopy(pod.get("spec") or {})}
    name = {"name": "fixture", "namespace": "upstream"}
    if kind == "PodTemplate":
        return {"apiVersion": "v1", "kind": kind, "metadata": name, "template": template}
    if kind == "CronJob":
        return {"apiVersion": "batch/v1", "kind": kind, "metadata": name, "spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": template}}}}
    group = {"ReplicationController": "v1", "Job": "batch/v1"}.get(kind, "apps/v1")
    return {"apiVersion": group, "kind": kind, "metadata": name, "spec": {"template": template}}


def compare(evaluator, fixtures, min_minor=0, workload_minor=None):
    """Rows (version, level, checked, [(fixture, reason)]) for every version from min_minor, then "latest"
    with the newest version's fixtures, then those fixtures in every workload kind at workload_minor."""
    minors = sorted({minor for _level, minor in fixtures if minor >= min_minor})
    newest = max(minor for _level, minor in fixtures)
    rows = []
    runs = [(f"1.{minor}", minor) for minor in minors] + [("latest", newest)]
    for version, minor in runs:
        for level in LEVELS:
            pods = fixtures.get((level, minor), [])
            wrong = []
            for expect, name, pod in pods:
                violations = evaluator.evaluate_pod(pod.get("metadata"), pod.get("spec") or {}, level, version)
                reason = judge(evaluator, level, version, expect, name, violations)
                if reason:
                    wrong.append((f"{level}/v1.{minor}/{expect}/{name}.yaml", reason))
            rows.append((version, level, len(pods), wrong))
    workload_minor = newest if workload_minor is None else workload_minor
    version = f"1.{workload_minor}"
    for level in LEVELS:
        checked, wrong = 0, []
        for expect, name, pod in fixtures.get((level, workload_minor), []):
            for kind in evaluator.WORKLOAD_KINDS[1:]:
                checked += 1
                found = evaluator.evaluate_manifest([_controller(kind, pod)], level, version).get(f"{kind}/upstream/fixture", [])
                reason = judge(evaluator, level, version, expect, name, found)
                if reason:
                    wrong.append((f"{level}/v1.{workload_minor}/{expect}/{name}.yaml as {kind}", reason))
        rows.append((f"{version} workloads", level, checked, wrong))
    return rows


def render(rows):
    lines = [f"{'version':<16} {'level':<10} {'fixtures':>8} {'agree':>6} {'disagree':>8}"]
    for version, level, checked, wrong in rows:
        lines.append(f"{version:<16} {level:<10} {checked:>8} {checked - len(wrong):>6} {len(wrong):>8}")
    total = sum(row[2] for row in rows)
    wrong = [item for row in rows for item in row[3]]
    lines.append(f"{'total':<16} {'':<10} {total:>8} {total - len(wrong):>6} {len(wrong):>8}")
    for fixture, reason in wrong:
        lines.append(f"DISAGREE {fixture}: {reason}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--repo", default=upstream_repo(), help="git clone of kubernetes/pod-security-admission (default: %(default)s)")
    parser.add_argument("--rev", default="HEAD", help="upstream revision to read the fixtures from (default: %(default)s)")
    parser.add_argument("--min-version", default="1.25", help="oldest version to check, 1.<minor> (default: %(default)s; 1.0 checks all)")
    args = parser.parse_args(argv)
    evaluator = load_evaluator()
    try:
        min_minor = evaluator.parse_version(args.min_version)
    except ValueError as exc:
        parser.error(str(exc))
    if not Path(args.repo).exists():
        print(f"check_pod_security_upstream: no upstream repository at {args.repo} (set PSA_UPSTREAM_REPO or --repo)", file=sys.stderr)
        return 2
    try:
        commit, fixtures = load_fixtures(args.repo, args.rev)
    except UpstreamError as exc:
        print(f"check_pod_security_upstream: {exc}", file=sys.stderr)
        return 2
    rows = compare(evaluator, fixtures, min_minor)
    print(f"upstream: {args.repo} at {commit}; evaluator newest policy version {evaluator.NEWEST_VERSION}")
    print(render(rows))
    return 1 if any(row[3] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
