"""Fixtures for the S3 backend tests: a moto server on a free loopback port and a Terraform runner."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def moto_url():
    port = _free_port()
    moto = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or shutil.which("moto_server")
    proc = subprocess.Popen([moto, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1)  # noqa: S310 - loopback
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("moto_server did not start")
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def aws_env(moto_url, tmp_path):
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
    env.pop("AWS_CA_BUNDLE", None)
    env.pop("AWS_PROFILE", None)
    return env


@pytest.fixture
def terraform(aws_env):
    if shutil.which("terraform") is None:
        pytest.fail("terraform is not on PATH: the S3 backend tests cannot run")

    def run(workdir, *args, check=True):
        result = subprocess.run(["terraform", *args, "-no-color"], cwd=workdir, env=aws_env, capture_output=True, text=True, check=False)
        if check and result.returncode != 0:
            pytest.fail(f"terraform {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    return run
