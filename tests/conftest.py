"""Fixtures shared by the pytest suites under tests/ (functional, terraform, charts).

ansible-test units runs tests/unit on its own and does not need anything here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def moto_server(aws_managed_policies: bool):
    """Import the launcher lazily: ansible-test units loads this conftest without tests/ on sys.path."""
    import sys

    tests_dir = str(Path(__file__).resolve().parent)
    if tests_dir not in sys.path:
        sys.path.insert(0, tests_dir)
    from local_moto import moto_server as launcher

    return launcher(env={**os.environ, "MOTO_IAM_LOAD_MANAGED_POLICIES": str(aws_managed_policies).lower()})


@pytest.fixture(scope="session")
def moto_url():
    """A moto server (plain HTTP) on a free loopback port for the whole session, without AWS managed
    policies (loading them slows every account moto creates; see tests/emulators/moto/server.py)."""
    try:
        with moto_server(aws_managed_policies=False) as url:
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


def _module_moto_url(aws_managed_policies: bool):
    try:
        with moto_server(aws_managed_policies=aws_managed_policies) as url:
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def moto_url_with_aws_managed_policies():
    """A moto server of one test module's own in which every account knows the AWS managed policies,
    for stacks that attach them (the security stack's Config aggregator role)."""
    yield from _module_moto_url(aws_managed_policies=True)


@pytest.fixture(scope="module")
def module_moto_url():
    """A moto server of one test module's own, without AWS managed policies, for a module whose objects would
    meet another module's in the session's server (the local inventory's state bucket, say)."""
    yield from _module_moto_url(aws_managed_policies=False)


@pytest.fixture
def aws_env(moto_url, tmp_path):
    """Environment for AWS clients and Terraform pointed at moto, with a Terraform data folder per test."""
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "TF_DATA_DIR": str(tmp_path / "tfdata"),
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
        "CHECKPOINT_DISABLE": "1",
    }
    for name in ("AWS_CA_BUNDLE", "AWS_PROFILE", "PLATFORM_AWS_ENDPOINT_URL"):
        env.pop(name, None)
    return env
