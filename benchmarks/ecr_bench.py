"""What the ECR benchmarks share: moto in this process on a free port, a meter for API calls and bytes, and
running a module's main() in-process with that meter on every client it creates.

Not a benchmark itself; benchmarks/ecr_promotion.py and benchmarks/ecr_repository.py import it.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import logging
import os
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "build" / "collections"))

import botocore.session  # noqa: E402
from ansible.module_utils.testing import patch_module_args  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

REGION = "eu-west-1"


class Meter:
    """Counts API calls and request/response bytes of the clients the modules create."""

    def __init__(self):
        self.calls, self.sent, self.received, self.active = [], 0, 0, False

    def before_send(self, request, **_kwargs):
        if self.active:
            body = request.body or b""
            self.sent += len(body if isinstance(body, (bytes, bytearray)) else str(body).encode())

    def after_call(self, model, http_response, **_kwargs):
        if self.active:
            self.calls.append(model.name)
            self.received += len(http_response.content or b"")

    def install(self):
        original = botocore.session.Session.create_client
        meter = self

        def create_client(self, *args, **kwargs):
            client = original(self, *args, **kwargs)
            client.meta.events.register("before-send", meter.before_send)
            client.meta.events.register("after-call", meter.after_call)
            return client

        botocore.session.Session.create_client = create_client


@contextlib.contextmanager
def moto_endpoint():
    """moto in a thread of this process on a free loopback port, with moto's dummy credentials in the environment."""
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CA_BUNDLE"):
        os.environ.pop(name, None)
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION=REGION)  # noqa: S106 - moto's dummy credentials
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "false")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def run_module(module, endpoint, meter, args):
    """Run ``module`` (a dotted path under ansible_collections) in-process; return its result and the calls it made."""
    full = {"endpoint_url": endpoint, "region": REGION, "_ansible_check_mode": False, "_ansible_diff": False}
    full.update(args)
    out = io.StringIO()
    meter.calls, meter.sent, meter.received, meter.active = [], 0, 0, True
    try:
        with patch_module_args(full), contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
            importlib.import_module("ansible_collections." + module).main()
    finally:
        meter.active = False
    text = out.getvalue()
    result = json.loads(text[text.index("{") :])
    if result.get("failed"):
        raise SystemExit(f"{module} failed: {result['msg']}")
    return result, list(meter.calls)


def check_targets(rows):
    """rows: (scenario, calls, target). Prints each against its target; returns the scenarios over target."""
    width = max(len(row[0]) for row in rows)
    over = []
    print(f"{'scenario':<{width}} {'calls':>5} {'target':>7}  verdict")
    for scenario, calls, target in rows:
        verdict = "ok" if len(calls) <= target else "OVER TARGET"
        if len(calls) > target:
            over.append(scenario)
        print(f"{scenario:<{width}} {len(calls):>5} {'<= ' + str(target):>7}  {verdict}: {', '.join(calls)}")
    return over
