"""Run the gateway's rendered nginx configuration with a real nginx against recording stub upstreams.

The chart renders its ConfigMap with only addresses changed (upstreams on loopback stubs, listeners on
free ports, the resolver on loopback: nginx resolves nothing for IP literals). nginx runs it inside an
http block like the one of the image's /etc/nginx/nginx.conf, with every writable path under a temporary
folder, so it needs neither root nor a fixed port.
"""

from __future__ import annotations

import http.server
import itertools
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote

import pytest

from .conftest import CHART, OUTPUTS, render

HOST = "chatbot.example.com"
# Every request carries its own number in this header, which nginx passes on, so concurrent requests
# tell apart what each of them made reach the stubs.
REQUEST_ID = "X-Test-Request"
_ids = itertools.count()


def nginx_binary() -> str:
    """nginx from NGINX_BIN, PATH or Debian's /usr/sbin; the charts stage installs the package when it is missing."""
    for candidate in (os.environ.get("NGINX_BIN"), shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail("nginx is not installed: scripts/stages/charts.sh installs the Debian package nginx (apt-get install nginx)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers 200 with its name and records the request target and headers it received, by request number."""

    protocol_version = "HTTP/1.1"

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.server.seen.setdefault(self.headers.get(REQUEST_ID), []).append({"path": self.path, "headers": dict(self.headers)})
        body = json.dumps({"upstream": self.server.name, "path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _answer

    def log_message(self, *args):  # quiet
        pass


@contextmanager
def stub(name: str):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.name, server.seen = name, {}
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


class Forwarded(NamedTuple):
    """A request a stub upstream received."""

    upstream: str
    path: str
    headers: dict


class Response(NamedTuple):
    status: int
    headers: dict
    # What reached the upstreams because of this request.
    reached: list[Forwarded]

    def paths(self) -> list[tuple[str, str]]:
        return [(f.upstream, f.path) for f in self.reached]


class Gateway:
    """A running gateway: its listeners' ports and the stubs standing in for the frontend and the backend."""

    def __init__(self, public: int, admin: int, frontend, backend, conf: str):
        self.public, self.admin, self.frontend, self.backend, self.conf = public, admin, frontend, backend, conf

    def request(self, port: int, target: str, method: str = "GET", headers: dict | None = None) -> Response:
        """Send target byte for byte (no client-side normalisation)."""
        request_id = str(next(_ids))
        lines = [f"{method} {target} HTTP/1.1", f"Host: {HOST}", f"{REQUEST_ID}: {request_id}", "Connection: close", "Content-Length: 0"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            data = b""
            while chunk := conn.recv(65536):
                data += chunk
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        response_headers = {k.strip().lower(): v.strip() for k, v in (h.split(":", 1) for h in head[1:] if ":" in h)}
        # The stubs record before they answer, so what they got is in place once nginx has replied.
        reached = [Forwarded(stub.name, r["path"], r["headers"]) for stub in (self.frontend, self.backend) for r in stub.seen.get(request_id, [])]
        return Response(status, response_headers, reached)


def gateway_config(env: str, sets: dict) -> str:
    """default.conf of the gateway ConfigMap as Argo CD renders env, with the given values changed."""
    manifests = render(CHART / f"values-{env}.yaml", CHART / f"images-{env}.yaml", OUTPUTS, sets=sets)
    return manifests.get("ConfigMap", "chatbot-gateway")["data"]["default.conf"]


@contextmanager
def running_gateway(env: str, tmp: Path, extra_sets: dict | None = None):
    binary = nginx_binary()
    public, admin, status_port = free_port(), free_port(), free_port()
    with stub("frontend") as frontend, stub("backend") as backend:
        sets = {
            "gateway.containerPort": public,
            "gateway.adminContainerPort": admin,
            "gateway.metrics.statusPort": status_port,
            "gateway.config.dnsResolver": "127.0.0.1",
            "gateway.config.upstreams.frontend": {"host": "127.0.0.1", "port": frontend.server_address[1]},
            "gateway.config.upstreams.backend": {"host": "127.0.0.1", "port": backend.server_address[1]},
            **(extra_sets or {}),
        }
        conf = gateway_config(env, sets)
        (tmp / "conf.d").mkdir(parents=True)
        (tmp / "conf.d" / "default.conf").write_text(conf)
        # The http block of the image's nginx.conf, with the pid file, logs and temp paths under tmp.
        (tmp / "nginx.conf").write_text(
            f"pid {tmp}/nginx.pid;\nerror_log {tmp}/error.log notice;\nworker_processes 1;\n"
            "events { worker_connections 256; }\n"
            "http {\n  default_type application/octet-stream;\n"
            f"  access_log {tmp}/access.log;\n"
            + "".join(f"  {kind}_temp_path {tmp}/{kind}_temp;\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
            + f"  include {tmp}/conf.d/*.conf;\n}}\n"
        )
        cmd = [binary, "-p", str(tmp), "-c", str(tmp / "nginx.conf")]
        check = subprocess.run([*cmd, "-t"], capture_output=True, text=True, check=False)
        if check.returncode != 0:
            pytest.fail(f"nginx -t rejects the rendered gateway configuration:\n{check.stderr}\n{conf}")
        proc = subprocess.Popen([*cmd, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    for port in (p for p in (public, admin) if f"listen {p};" in conf):
                        socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"nginx did not start: {proc.stderr.read().decode() if proc.poll() is not None else 'timeout'}")
                    time.sleep(0.05)
            yield Gateway(public, admin, frontend, backend, conf)
        finally:
            proc.terminate()  # nginx's fast shutdown
            if proc.poll() is None:
                with suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=10)
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def canonical(path: str) -> str:
    """The most generous reading of a request path any upstream could make: percent-decoded until stable,
    backslashes as slashes, empty and dot segments resolved, `;parameters` and trailing dots or spaces
    dropped from each segment, lower case. An admin route under any reading counts as reached."""
    path = path.split("?", 1)[0]
    for _round in range(5):
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    segments: list[str] = []
    for raw in path.replace("\\", "/").split("/"):
        segment = raw.split(";", 1)[0]
        if segment.strip() == "..":
            if segments:
                segments.pop()
            continue
        segment = segment.rstrip(". ").lower()
        if segment:
            segments.append(segment)
    return "/" + "/".join(segments)


def is_admin_route(received: str, upstream: str) -> bool:
    """The backend's admin API is /admin/... (the gateway removed /api); the frontend's admin UI is /admin/...
    and the frontend must never see /api/admin either."""
    parts = canonical(received).split("/")[1:]
    if upstream == "backend":
        return parts[:1] == ["admin"]
    return parts[:1] == ["admin"] or parts[:2] == ["api", "admin"]
