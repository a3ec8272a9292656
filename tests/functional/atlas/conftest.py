"""Fixtures for running the atlas_* modules against the Atlas Admin API emulator.

The emulator runs in this process on a random free loopback port (one per test session) and is reset
before every test. Modules run in-process through their main() with the args ansible would send
(fast), or as real `ansible` ad-hoc subprocesses so the AnsiballZ path is exercised too.

Time is virtual for in-process modules: their waits and retry back-offs move the emulator's clock forward
instead of sleeping. Every request the emulator receives and every answer it gives is validated against the
published Atlas Admin API specification (../shared/atlas-openapi/) when that folder exists: a request the real
API would refuse, or an answer it would never give, fails the test that caused it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import time
import types

import pytest
from module_runner import ROOT, ModuleRunner

_spec = importlib.util.spec_from_file_location("atlas_emulator", ROOT / "tests" / "emulators" / "atlas" / "server.py")
atlas_emulator = importlib.util.module_from_spec(_spec)
sys.modules["atlas_emulator"] = atlas_emulator
_spec.loader.exec_module(atlas_emulator)
_check_spec = importlib.util.spec_from_file_location("atlas_openapi_check", ROOT / "tests" / "emulators" / "atlas" / "openapi_check.py")
openapi_check = importlib.util.module_from_spec(_check_spec)
sys.modules["atlas_openapi_check"] = openapi_check
_check_spec.loader.exec_module(openapi_check)

from ansible_collections.chatbot.platform.plugins.module_utils._atlas import client as atlas_client  # noqa: E402
from ansible_collections.chatbot.platform.plugins.module_utils._atlas import waiters as atlas_waiters  # noqa: E402

ORG_ID = atlas_emulator.DEFAULT_ORG_ID
PROVISIONING_DELAY = 0.4


class AtlasRunner(ModuleRunner):
    """The shared module runner with the emulator's service-account credentials, and the emulator's checks."""

    def __init__(self, emulator):
        self.auth = {"client_id": atlas_emulator.DEFAULT_CLIENT_ID, "client_secret": atlas_emulator.DEFAULT_CLIENT_SECRET}
        super().__init__(args={"base_url": emulator.base_url, **self.auth}, drop_env_prefix="MONGODB_ATLAS_")
        self.emulator = emulator
        self.expect_invalid = False

    def expect_spec_violations(self):
        """This test sends requests the real API refuses on purpose; at least one must be found invalid."""
        self.expect_invalid = True

    def writes(self):
        return self.emulator.write_requests()


@pytest.fixture(scope="session")
def spec_validator():
    """The specification validator, or None (with the reason printed once) when ../shared/atlas-openapi is absent."""
    if not openapi_check.spec_available():
        print("atlas functional tests: " + openapi_check.skip_reason())
        return None
    return openapi_check.SpecValidator()


@pytest.fixture(scope="session")
def emulator():
    emu = atlas_emulator.AtlasEmulator(provisioning_delay=PROVISIONING_DELAY, seed=1234)
    emu.start()
    yield emu
    emu.stop()


@pytest.fixture(autouse=True)
def _fresh_emulator(emulator, monkeypatch):
    for name in list(os.environ):
        if name.startswith("MONGODB_ATLAS_"):
            monkeypatch.delenv(name)
    emulator.reset()
    emulator.clock = atlas_emulator.Clock()
    emulator.configure(provisioning_delay=PROVISIONING_DELAY, token_ttl=3600)
    atlas_client._TOKEN_CACHE.clear()
    # In-process modules sleep on the emulator's virtual clock: waits and back-offs cost no real time.
    virtual = types.SimpleNamespace(sleep=emulator.clock.sleep, monotonic=emulator.clock.monotonic, time=time.time)
    monkeypatch.setattr(atlas_client, "time", virtual)
    monkeypatch.setattr(atlas_waiters, "time", virtual)
    yield


@pytest.fixture(autouse=True)
def _spec_checked_traffic(emulator, spec_validator, request):
    """Validate every exchange with the emulator against the specification; fail the test on any problem."""
    problems = []

    def observe(req, resp):
        if spec_validator is None:
            return
        problems.extend(spec_validator.check_request(req["method"], req["path"], req["headers"], req["body"]))
        body = resp["body"]
        raw = None if body is None else json.dumps(body).encode()
        problems.extend(spec_validator.check_response(req["method"], req["path"], resp["status"], resp["headers"], raw))

    emulator.observer = observe
    yield problems
    emulator.observer = None
    runner = request.node.funcargs.get("atlas")
    if runner is not None and runner.expect_invalid:
        if spec_validator is not None:
            assert problems, "the test meant to send requests the specification refuses, but every request was valid"
        return
    assert not problems, "Atlas traffic the specification does not allow:\n" + "\n".join(problems[:20])


@pytest.fixture
def org_id():
    return ORG_ID


@pytest.fixture
def atlas(emulator):
    return AtlasRunner(emulator)


@pytest.fixture
def project(atlas):
    """A project created through the module; returns its id."""
    result = atlas.run("atlas_project", {"name": "chatbot-test", "org_id": ORG_ID})
    assert result["changed"] is True, result
    atlas.emulator.clear_requests()
    return result["project"]["id"]
