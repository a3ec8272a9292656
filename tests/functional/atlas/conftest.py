"""Fixtures for running the atlas_* modules against the Atlas Admin API emulator.

The emulator runs in this process on a random free loopback port (one per test session) and is reset
before every test. Modules run in-process through their main() with the args ansible would send
(fast), or as real `ansible` ad-hoc subprocesses so the AnsiballZ path is exercised too.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
COLLECTIONS = ROOT / "build" / "collections"
if str(COLLECTIONS) not in sys.path:
    sys.path.insert(0, str(COLLECTIONS))

_spec = importlib.util.spec_from_file_location("atlas_emulator", ROOT / "tests" / "emulators" / "atlas" / "server.py")
atlas_emulator = importlib.util.module_from_spec(_spec)
sys.modules["atlas_emulator"] = atlas_emulator
_spec.loader.exec_module(atlas_emulator)

from module_runner import run_cli, run_in_process  # noqa: E402 - after the sys.path set-up above

from ansible_collections.chatbot.platform.plugins.module_utils._atlas import client as atlas_client  # noqa: E402
from ansible_collections.chatbot.platform.plugins.module_utils._atlas import waiters as atlas_waiters  # noqa: E402

ORG_ID = atlas_emulator.DEFAULT_ORG_ID
PROVISIONING_DELAY = 0.4


class ModuleRunner:
    """Runs chatbot.platform atlas modules against one emulator with service-account credentials."""

    def __init__(self, emulator):
        self.emulator = emulator
        self.auth = {"client_id": atlas_emulator.DEFAULT_CLIENT_ID, "client_secret": atlas_emulator.DEFAULT_CLIENT_SECRET}

    def connection(self, **overrides):
        args = {"base_url": self.emulator.base_url}
        args.update(self.auth)
        args.update(overrides)
        return args

    def run(self, module, args, check=False, diff=False, auth=True):
        """Run a module's main() in-process; return the result dict ansible would get."""
        base = self.connection() if auth else {"base_url": self.emulator.base_url}
        return run_in_process(module, {**base, **args}, check=check, diff=diff)

    def run_cli(self, module, args, check=False, diff=False, env=None, connection=True):
        """Run the module through `ansible` (AnsiballZ, real subprocess); return (result, completed process).

        With connection=False only ``args`` are passed, so credentials and base URL come from ``env``.
        """
        full = {**(self.connection() if connection else {}), **args}
        return run_cli(module, full, check=check, diff=diff, env=env, drop_env_prefix="MONGODB_ATLAS_")

    def writes(self):
        return self.emulator.write_requests()


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
    emulator.configure(provisioning_delay=PROVISIONING_DELAY, token_ttl=3600)
    atlas_client._TOKEN_CACHE.clear()
    # Keep retries quick in tests; the schedule itself is unit-tested.
    monkeypatch.setattr(atlas_client, "DEFAULT_BACKOFF_BASE", 0.05)
    monkeypatch.setattr(atlas_waiters, "DEFAULT_INITIAL_INTERVAL", 0.2)
    yield


@pytest.fixture
def org_id():
    return ORG_ID


@pytest.fixture
def atlas(emulator):
    return ModuleRunner(emulator)


@pytest.fixture
def project(atlas):
    """A project created through the module; returns its id."""
    result = atlas.run("atlas_project", {"name": "chatbot-test", "org_id": ORG_ID})
    assert result["changed"] is True, result
    atlas.emulator.clear_requests()
    return result["project"]["id"]
