"""Seeded fault injection for the ECR modules, at the botocore API level and at the HTTP level.

A :class:`FaultSchedule` decides, request by request, from its own seeded random generator, whether a call
fails and how:

- ``throttle``: ECR or KMS throttles the request (HTTP 400 ThrottlingException); nothing happened.
- ``before``: an HTTP 5xx before the request reached the service (nothing happened), with an error code
  no retry list names (InternalFailure, ServiceUnavailableException) or an HTML body with no code at all.
- ``after``: the service applied the request and the answer was lost (the caller sees an HTTP 5xx).

The same seed gives the same decisions for the same sequence of requests, so a failure reproduces.

:class:`ApiFaults` applies a schedule with botocore event hooks on every client the modules create
(``before-call`` fails the call without sending it; ``after-call`` fails it after moto answered), so the
faults reach the modules' own retry loop directly. :class:`FaultProxy` is an HTTP proxy in front of moto
that does the same on the wire (it answers instead of moto, or forwards and replaces moto's answer), for
modules and playbooks that run in other processes. Only requests to ECR and KMS (the JSON protocol with
an ``X-Amz-Target`` header) are faulted; moto's own API and other services pass through.
"""

from __future__ import annotations

import collections
import http.client
import http.server
import json
import random
import threading
import urllib.parse

from botocore.exceptions import ClientError

KINDS = ("throttle", "before", "after")
FAULTED_TARGET_PREFIXES = {"AmazonEC2ContainerRegistry_V20150921": "ecr", "TrentService": "kms"}
BEFORE_ERRORS = (
    (500, "InternalFailure"),
    (503, "ServiceUnavailableException"),
    (500, None),  # an HTML error page from a load balancer: no error code at all
)


class FaultSchedule:
    """Which requests fail, and how: ``rate`` of all requests, the kind drawn evenly from ``kinds``."""

    def __init__(self, seed, rate=0.3, kinds=KINDS, only=None):
        self.random = random.Random(seed)  # noqa: S311 - a reproducible schedule, not a secret
        self.rate = rate
        self.kinds = kinds
        self.only = only  # operation names to fault (None: every operation)
        self.injected = collections.Counter()  # (kind, operation) -> count
        self.requests = 0

    def decide(self, operation):
        """None (let the request through) or the kind of fault for this request."""
        self.requests += 1
        draw, kind = self.random.random(), self.random.choice(self.kinds)
        if draw >= self.rate or (self.only is not None and operation not in self.only):
            return None
        self.injected[(kind, operation)] += 1
        return kind

    def error(self, kind):
        """(HTTP status, error code or None, message) for a fault of this kind."""
        if kind == "throttle":
            return 400, "ThrottlingException", "Rate exceeded"
        if kind == "before":
            status, code = BEFORE_ERRORS[self.random.randrange(len(BEFORE_ERRORS))]
            return status, code, "injected before the request reached the service"
        return 500, "InternalFailure", "injected after the service applied the request (answer lost)"

    def kinds_seen(self):
        return {kind for kind, _operation in self.injected}

    def lost_writes(self, is_write):
        return sorted({operation for (kind, operation) in self.injected if kind == "after" and is_write(operation)})


def client_error(status, code, message, operation):
    error = {"Code": code or str(status), "Message": message if code else f"<html><body>{status} Server Error</body></html>"}
    return ClientError({"Error": error, "ResponseMetadata": {"HTTPStatusCode": status, "HTTPHeaders": {}}}, operation)


class ApiFaults:
    """Apply a schedule through botocore ``before-call`` / ``after-call`` hooks of ECR and KMS clients."""

    def __init__(self, schedule):
        self.schedule = schedule

    def register(self, client):
        service = client.meta.service_model.service_name
        if service not in FAULTED_TARGET_PREFIXES.values():
            return
        client.meta.events.register("before-call", self.before_call)
        client.meta.events.register("after-call", self.after_call)

    def before_call(self, model, context, **_kwargs):
        kind = self.schedule.decide(model.name)
        if kind in ("throttle", "before"):
            raise client_error(*self.schedule.error(kind), model.name)
        context["inject_after"] = kind == "after"

    def after_call(self, model, context, **_kwargs):
        if context.pop("inject_after", False):
            raise client_error(*self.schedule.error("after"), model.name)


class FaultProxy:
    """An HTTP proxy in front of moto that applies a schedule to ECR and KMS requests.

    Use as a context manager; ``url`` is the endpoint to give the modules instead of moto's. ``services``
    limits the faults to some services (a playbook that also runs amazon.aws modules faults only ECR, so
    what is compared is what the ecr_* modules did).
    """

    def __init__(self, upstream, schedule, services=("ecr", "kms")):
        self.upstream = urllib.parse.urlsplit(upstream)
        self.schedule = schedule
        faulted = {prefix for prefix, service in FAULTED_TARGET_PREFIXES.items() if service in services}
        self.lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args):
                pass

            def do_GET(self):
                self.forward()

            def do_POST(self):
                self.forward()

            def forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                target = self.headers.get("X-Amz-Target") or ""
                prefix, _dot, operation = target.partition(".")
                kind = None
                if prefix in faulted:
                    with proxy.lock:
                        kind = proxy.schedule.decide(operation)
                        error = proxy.schedule.error(kind) if kind else None
                if kind in ("throttle", "before"):
                    self.answer_error(*error)
                    return
                status, headers, answer = proxy.send_upstream(self.command, self.path, self.headers, body)
                if kind == "after":
                    self.answer_error(*error)
                    return
                self.send_response(status)
                for name, value in headers:
                    if name.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def answer_error(self, status, code, message):
                if code:
                    payload = json.dumps({"__type": code, "message": message}).encode()
                    content_type = "application/x-amz-json-1.1"
                else:
                    payload = f"<html><body><h1>{status} Server Error</h1></body></html>".encode()
                    content_type = "text/html"
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def send_upstream(self, method, path, headers, body):
        connection = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=60)
        try:
            forwarded = {k: v for k, v in headers.items() if k.lower() not in ("host", "connection", "content-length")}
            forwarded["Content-Length"] = str(len(body))
            connection.request(method, path, body=body, headers=forwarded)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_exc):
        self.server.shutdown()
        self.server.server_close()
