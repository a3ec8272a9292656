"""Start moto server (with tests/emulators/moto/server.py's additions) on a free loopback port, for every suite."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# moto needs about 3 s to start on an idle machine; a loaded CI runner (stages in parallel) may take far longer.
STARTUP_SECONDS = 180
EXTENDED_SERVER = ROOT / "tests" / "emulators" / "moto" / "server.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def moto_server(cwd: Path | None = None, env: dict | None = None):
    """Yield the URL of a moto server (plain HTTP) that runs until the block ends; raise if it does not start."""
    moto = shutil.which("moto_server", path=str(ROOT / ".venv" / "bin")) or shutil.which("moto_server", path=str(Path(sys.executable).parent))
    if moto is None:
        raise RuntimeError("moto_server is not installed (make setup installs it into .venv)")
    # moto's own command line, with the IAM Identity Center calls Terraform needs added (tests/emulators/moto/server.py).
    python = Path(moto).parent / "python"
    port = free_port()
    proc = subprocess.Popen(
        [str(python), str(EXTENDED_SERVER), "-H", "127.0.0.1", "-p", str(port)], cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1)  # noqa: S310 - loopback
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
