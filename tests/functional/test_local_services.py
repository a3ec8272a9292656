"""`scripts/local_services.py stop` must end what `start` began, however the processes behave.

The CI run of stop 26 failed after every scenario had passed: moto's process group ended between
stop's last look and its SIGKILL, and the harmless race became a traceback and a red stage.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def services(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("local_services_under_test", ROOT / "scripts" / "local_services.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "STATE_DIR", tmp_path)
    started = []

    def launch(name, port, script):
        proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)], start_new_session=True)
        # `start` exits right after launching, so nobody keeps an ended leader as a zombie; reap it at once
        # here too, or its zombie would look alive to `stop`.
        threading.Thread(target=proc.wait, daemon=True).start()
        (tmp_path / f"{name}-{port}.pid").write_text(str(proc.pid))
        started.append(proc)
        return proc

    monkeypatch.setattr(module, "_services", lambda: [{"name": "moto", "port": module.MOTO_PORT}])
    module.launch = launch
    yield module
    for proc in started:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_child_that_ignores_sigterm_is_killed_with_its_group(services, monkeypatch, capsys):
    # The leader leaves on SIGTERM; its child ignores it. Looking only at the leader would report
    # "stopped" and leave the child holding the port for the next scenario.
    leader = services.launch(
        "moto",
        services.MOTO_PORT,
        """
        import signal, subprocess, sys, time
        subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(120)"])
        time.sleep(120)
        """,
    )
    time.sleep(1.0)
    real_sleep = time.sleep  # services.time is this module's time: keep the real one before patching
    monkeypatch.setattr(services.time, "sleep", lambda _seconds: real_sleep(0.01))
    assert services.stop() == 0
    leader.wait(timeout=10)
    deadline = time.monotonic() + 5
    while _group_alive(leader.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _group_alive(leader.pid)
    assert "stopped moto" in capsys.readouterr().out


def test_a_group_that_ends_just_before_sigkill_is_not_an_error(services, monkeypatch, capsys):
    proc = services.launch("moto", services.MOTO_PORT, "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(120)")
    time.sleep(0.5)
    real_killpg = os.killpg

    def killpg(pgid, sig):
        if sig == signal.SIGKILL:
            # The race of the failed run: the group is gone when SIGKILL is sent.
            real_killpg(pgid, signal.SIGKILL)
            proc.wait(timeout=10)
            raise ProcessLookupError(3, "No such process")
        return real_killpg(pgid, sig)

    monkeypatch.setattr(services.os, "killpg", killpg)
    monkeypatch.setattr(services.time, "sleep", lambda _seconds: None)
    assert services.stop() == 0
    assert "stopped moto" in capsys.readouterr().out
    assert not (services.STATE_DIR / f"moto-{services.MOTO_PORT}.pid").exists()
