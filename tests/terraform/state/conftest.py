"""Terraform runner for the S3 backend tests (moto_url and aws_env come from tests/conftest.py)."""

from __future__ import annotations

import shutil
import subprocess

import pytest


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
