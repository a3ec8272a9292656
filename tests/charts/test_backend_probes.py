"""The backend's rendered probes against a server whose event loop is blocked, as upstream's training blocks it.

Upstream (v1.0.0-alpha.10, app/admin/train/routes.py) answers POST /admin/train/build_models, then runs
`train_pipeline()` as a background task on the event loop; the spaCy and scikit-learn training inside is
synchronous, so nothing else is served until it ends (minutes on a real bot). The stand-in below is an
asyncio HTTP server that does the same: its "training" blocks the loop until the test ends it. The probes
run the way the kubelet runs them: httpGet succeeds on a status from 200 to 399 within timeoutSeconds,
tcpSocket when the connection opens.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import urllib.error
import urllib.request

import pytest

STAND_IN = textwrap.dedent(
    """
    import asyncio, sys

    async def handle(reader, writer):
        request = (await reader.readline()).decode()
        while (await reader.readline()) not in (b"\\r\\n", b""):
            pass
        writer.write(b"HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\nConnection: close\\r\\n\\r\\nok")
        await writer.drain()
        writer.close()
        if request.startswith("POST /admin/train/build_models"):
            sys.stdin.readline()  # synchronous "training" on the event loop, until the test ends it

    async def main():
        server = await asyncio.start_server(handle, "127.0.0.1", int(sys.argv[1]))
        print("listening", flush=True)
        await server.serve_forever()

    asyncio.run(main())
    """
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def probe(spec: dict, port: int, named_ports: dict) -> bool:
    """One probe attempt as the kubelet makes it."""
    timeout = spec.get("timeoutSeconds", 1)
    if "httpGet" in spec:
        assert named_ports[spec["httpGet"]["port"]]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{spec['httpGet']['path']}", timeout=timeout) as response:
                return 200 <= response.status < 400
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            return False
    if "tcpSocket" in spec:
        assert named_ports[spec["tcpSocket"]["port"]]
        try:
            socket.create_connection(("127.0.0.1", port), timeout=timeout).close()
            return True
        except OSError:
            return False
    pytest.fail(f"probe kind not simulated here: {spec}")


@pytest.fixture
def stand_in():
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", STAND_IN, str(port)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "listening"
    yield proc, port
    proc.kill()
    proc.wait()


def start_training(port: int):
    conn = socket.create_connection(("127.0.0.1", port), timeout=5)
    conn.sendall(b"POST /admin/train/build_models HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
    assert conn.recv(64).startswith(b"HTTP/1.1 200"), "training answers before it runs, as upstream's background task does"
    conn.close()


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_training_makes_the_pod_unready_but_never_restarts_it(envs, env, stand_in):
    proc, port = stand_in
    container = envs[env].get("Deployment", "chatbot-backend")["spec"]["template"]["spec"]["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    liveness, readiness = container["livenessProbe"], container["readinessProbe"]

    assert probe(liveness, port, ports) and probe(readiness, port, ports)
    start_training(port)
    # failureThreshold failed attempts in a row restart the container; training outlasts any of them.
    for attempt in range(liveness["failureThreshold"]):
        assert probe(liveness, port, ports), (
            f"liveness attempt {attempt + 1} failed while training blocks the event loop: the kubelet would restart the pod mid-training"
        )
    assert not probe(readiness, port, ports), "readiness should take the training pod out of the Service"

    proc.stdin.write("done\n")
    proc.stdin.flush()
    assert probe(readiness, port, ports), "ready again once training ends"
    proc.kill()
    proc.wait()
    assert not probe(liveness, port, ports), "liveness must fail once the server is gone"


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_startup_and_readiness_still_ask_the_application(envs, env):
    container = envs[env].get("Deployment", "chatbot-backend")["spec"]["template"]["spec"]["containers"][0]
    for name in ("startupProbe", "readinessProbe"):
        assert container[name]["httpGet"] == {"path": "/ready", "port": "http"}
    assert container["livenessProbe"]["tcpSocket"] == {"port": "http"}
