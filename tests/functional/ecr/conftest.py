"""Fixtures for running the ecr_* modules against a moto server.

The server (.venv/bin/moto_server) listens on a random free loopback port for the whole session and is
reset before every test. Modules run in-process through their main() with the arguments ansible would
send, with a botocore event hook that records every API call, or as real `ansible` subprocesses so the
AnsiballZ path is exercised too.
"""

from __future__ import annotations

import contextlib
import functools
import os

import boto3
import botocore.loaders
import botocore.session
import pytest
from ecr_helpers import REGION, moto_api
from local_moto import moto_server
from module_runner import ModuleRunner

from ansible_collections.chatbot.platform.plugins.module_utils._ecr import common as ecr_common
from ansible_collections.chatbot.platform.plugins.module_utils._ecr import images as ecr_images


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory):
    """moto server on a free loopback port; stopped at the end of the session.

    Its request recorder (off until a test starts it) writes to a file of its own, so tests can count the
    calls that `ansible-playbook` subprocesses make, which no in-process botocore hook can see.
    """
    workdir = tmp_path_factory.mktemp("moto")
    # No AWS managed policies: these tests attach none, and loading them into every account after each reset is slow.
    env = dict(os.environ, MOTO_RECORDER_FILEPATH=str(workdir / "recording.jsonl"), MOTO_IAM_LOAD_MANAGED_POLICIES="false")
    env.pop("MOTO_ENABLE_RECORDING", None)
    try:
        with moto_server(cwd=workdir, env=env) as url:
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


class CallRecorder:
    """Every AWS API call the modules make, recorded by a botocore ``before-call`` event hook."""

    def __init__(self):
        self.calls = []
        self.active = False  # only calls made while a module runs; the tests' own boto3 clients are not counted

    def hook(self, model, **_kwargs):
        if self.active:
            self.calls.append(f"{model.service_model.service_name}:{model.name}")

    def clear(self):
        self.calls = []

    def writes(self):
        return [c for c in self.calls if ecr_common.is_write_operation(c.split(":", 1)[1])]

    def count(self, operation):
        return sum(1 for c in self.calls if c.split(":", 1)[1] == operation)


class EcrRunner(ModuleRunner):
    """The shared module runner pointed at moto: endpoint and region as arguments in-process, from the
    environment through `ansible` (like amazon.aws), with the in-process API calls recorded."""

    def __init__(self, endpoint, recorder):
        super().__init__(args={"endpoint_url": endpoint, "region": REGION}, cli_args={}, cli_env={"AWS_ENDPOINT_URL": endpoint, "AWS_REGION": REGION})
        self.endpoint = endpoint
        self.recorder = recorder

    @contextlib.contextmanager
    def in_process(self):
        self.recorder.active = True
        try:
            yield
        finally:
            self.recorder.active = False


@pytest.fixture(scope="session", autouse=True)
def _shared_botocore_loader():
    """One botocore data loader for every session the in-process module runs create.

    Each run builds a new boto3 session, which parses botocore's endpoint and service JSON again (about
    two thirds of an in-process run here); the files never change, so sharing the parsed data only makes
    the tests faster. Module code and requests are unaffected.
    """
    original = botocore.session.create_loader
    botocore.session.create_loader = functools.lru_cache(maxsize=None)(original)
    yield
    botocore.session.create_loader = original


@pytest.fixture(autouse=True)
def _aws_environment(moto_endpoint, monkeypatch):
    moto_api(moto_endpoint, "recorder/stop-recording")
    moto_api(moto_endpoint, "reset")
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    # Retries and scan polling stay quick in tests; the schedules themselves are unit-tested.
    monkeypatch.setattr(ecr_common, "RETRY_DELAY", 0.01)
    monkeypatch.setattr(ecr_images, "SCAN_POLL_INTERVAL", 0.2)


@pytest.fixture
def calls(monkeypatch):
    recorder = CallRecorder()
    original = botocore.session.Session.create_client

    def create_client(self, *args, **kwargs):
        client = original(self, *args, **kwargs)
        client.meta.events.register("before-call", recorder.hook)
        return client

    monkeypatch.setattr(botocore.session.Session, "create_client", create_client)
    return recorder


@pytest.fixture
def ecr_runner(moto_endpoint, calls):
    return EcrRunner(moto_endpoint, calls)


@pytest.fixture
def ecr(moto_endpoint):
    """A plain boto3 client for arranging and checking state (not recorded)."""
    return boto3.client("ecr", endpoint_url=moto_endpoint, region_name=REGION)


@pytest.fixture
def kms(moto_endpoint):
    return boto3.client("kms", endpoint_url=moto_endpoint, region_name=REGION)
