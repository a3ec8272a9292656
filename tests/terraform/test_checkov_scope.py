"""checkov suppressions on the bucket module are scoped to the instances they are true for.

A `checkov:skip` inside terraform/modules/bucket would silence a check for every bucket built from it, the
KMS-encrypted ones included. The skips therefore sit on the module calls (checkov applies a skip on a module
block to that instance only), and the ones that follow from a bucket's settings must match those settings:
CKV_AWS_145 (SSE-KMS by default) only on server-access-log targets, which AWS requires to be SSE-S3, and
CKV_AWS_18 (access logging) on those (they cannot log into themselves) and on buckets whose log target is an
optional input passed through unchanged (the state bucket: it exists before any log bucket can).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TERRAFORM = ROOT / "terraform"
SKIP = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+)\s*:\s*(\S.*)")
CALL = re.compile(r'^module "([^"]+)" \{\n(.*?)^\}', re.M | re.S)


def bucket_calls() -> list[tuple[str, str]]:
    """(file:module name, body) of every module block whose source is the bucket module."""
    calls = []
    for path in sorted(TERRAFORM.rglob("*.tf")):
        if ".terraform" in path.parts:
            continue
        for match in CALL.finditer(path.read_text()):
            name, body = match.groups()
            if re.search(r'source\s*=\s*"[./]*(modules/)?bucket"', body):
                calls.append((f"{path.relative_to(ROOT)}:{name}", body))
    return calls


CALLS = bucket_calls()


def test_the_bucket_module_itself_suppresses_nothing():
    text = "\n".join(p.read_text() for p in sorted((TERRAFORM / "modules" / "bucket").glob("*.tf")))
    assert not SKIP.findall(text), "a skip in modules/bucket applies to every bucket; put it on the module call"


def test_every_bucket_instance_is_found():
    # Two in the platform stack (assets, logs), three in the security baseline (access logs, CloudTrail, Config),
    # one in the state backend.
    assert len(CALLS) == 6, [call for call, _body in CALLS]


@pytest.mark.parametrize(("call", "body"), CALLS, ids=[call for call, _body in CALLS])
def test_skips_match_the_bucket_settings(call, body):
    skips = dict(SKIP.findall(body))
    assert all(reason.strip() for reason in skips.values()), f"{call}: every skip needs a reason"
    sse_s3 = re.search(r"^\s*kms_key_arn\s*=\s*null\b", body, re.M) is not None
    log_target = re.search(r"^\s*accept_access_logs_from\s*=", body, re.M) is not None
    assert sse_s3 == log_target, f"{call}: only server-access-log targets may be SSE-S3"
    assert ("CKV_AWS_145" in skips) == log_target, f"{call}: CKV_AWS_145 may be suppressed on access-log targets only (SSE-S3)"
    optional_logging = re.search(r"^\s*logging_target_bucket\s*=\s*var\.\w+\s*$", body, re.M) is not None
    assert ("CKV_AWS_18" in skips) == (log_target or optional_logging), (
        f"{call}: CKV_AWS_18 may be suppressed on access-log targets (no logging into themselves) and where logging is an optional input only"
    )
